//! Legacy Vietnamese encodings (TCVN3/ABC, VNI, Windows-1258).
//!
//! Resolutions older than the switch to Unicode (TCVN 6909:2001) reach us in
//! two shapes:
//!
//! * **bytes** that are not UTF-8 (an old `.txt`): [`decode_legacy_bytes`]
//!   decodes them with every candidate encoding and keeps the one whose
//!   result reads as Vietnamese;
//! * **Unicode text typed in a legacy font** (DOCX runs in `.VnTime` or
//!   `VNI-Times`, or a TCVN3 file some tool opened as Windows-1252), e.g.
//!   `"Tèc ®é t¨ng tr­ëng"`: [`detect_legacy_unicode`] says which encoding it
//!   looks like (only when confident) and [`convert_legacy_unicode`] repairs
//!   it.
//!
//! How a decoding is judged: the text is split into words (runs of
//! letters); every word that contains a non-ASCII character is checked
//! against the structure of a Vietnamese syllable (onset + rime from the
//! closed list of rimes, one tone mark, the spelling rules for `c/k`,
//! `g/gh`, `ng/ngh`, `qu`, and the rule that a syllable closed by `p t c ch`
//! only takes the sắc or nặng tone). Valid syllables and very common words
//! ("của", "và", "năm", "chỉ tiêu", ...) count for a decoding; non-syllables
//! and stray symbols (`® ¨ ¸ ·`, C1 controls, U+FFFD) count against it.
//! ASCII-only words read the same in every encoding and are not counted.
//!
//! The character tables live in this file: TCVN3 is TCVN 5712:1993 VN3 (the
//! `.VnTime` fonts), decoded with the VN2 upper-case slots that fall in
//! 0xA0–0xFF as an extension; VNI is the VNI-Windows layout (base letter
//! followed by a diacritic letter); Windows-1258 comes from `encoding_rs`.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use encoding_rs::{WINDOWS_1252, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;

/// A pre-Unicode Vietnamese encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegacyEncoding {
    /// TCVN 5712:1993 VN3, the "ABC" encoding of the `.VnTime` fonts.
    Tcvn3,
    /// VNI-Windows (`VNI-Times` fonts): diacritics are separate letters.
    Vni,
    /// Microsoft code page 1258: tone marks are combining characters.
    Windows1258,
}

impl LegacyEncoding {
    /// Every supported encoding, in the order used to break exact ties.
    pub const ALL: [LegacyEncoding; 3] = [Self::Tcvn3, Self::Vni, Self::Windows1258];

    /// Human-readable name (the same as `Display`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Tcvn3 => "TCVN3 (ABC)",
            Self::Vni => "VNI",
            Self::Windows1258 => "Windows-1258",
        }
    }
}

impl fmt::Display for LegacyEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why legacy bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegacyError {
    /// No candidate encoding gives text that reads as Vietnamese.
    NotVietnamese,
    /// Several encodings give plausible Vietnamese and none clearly wins.
    /// Best first.
    Ambiguous { candidates: Vec<LegacyEncoding> },
}

impl fmt::Display for LegacyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotVietnamese => f.write_str("not Vietnamese text in TCVN3 (ABC), VNI or Windows-1258"),
            Self::Ambiguous { candidates } => {
                f.write_str("cannot tell which legacy Vietnamese encoding this is: ")?;
                for (i, enc) in candidates.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" or ")?;
                    }
                    f.write_str(enc.name())?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LegacyError {}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// Decodes bytes that are not valid UTF-8 (an old `.txt` file): tries every
/// [`LegacyEncoding`], scores how Vietnamese each result reads, and returns
/// the best one (NFC) if it clearly is Vietnamese and clearly beats the
/// others.
pub fn decode_legacy_bytes(bytes: &[u8]) -> Result<(LegacyEncoding, String), LegacyError> {
    let sample = scoring_sample(bytes);
    let mut candidates: Vec<(LegacyEncoding, VnStats)> =
        LegacyEncoding::ALL.iter().map(|&enc| (enc, VnStats::of(&decode_legacy_bytes_as(sample, enc)))).collect();
    // Stable: exact ties keep the order of `ALL`.
    candidates.sort_by_key(|c| std::cmp::Reverse(c.1.score()));
    let best_stats = candidates[0].1;
    if !best_stats.looks_vietnamese() {
        return Err(LegacyError::NotVietnamese);
    }
    let rivals: Vec<LegacyEncoding> = candidates[1..]
        .iter()
        .filter(|c| c.1.looks_vietnamese() && too_close(best_stats.score(), c.1.score()))
        .map(|c| c.0)
        .collect();
    let best = candidates[0].0;
    if !rivals.is_empty() {
        let mut all = vec![best];
        all.extend(rivals);
        return Err(LegacyError::Ambiguous { candidates: all });
    }
    Ok((best, decode_legacy_bytes_as(bytes, best)))
}

/// How much of a text is scored: tens of thousands of words are plenty of
/// evidence.
const SAMPLE_BYTES: usize = 128 * 1024;

/// The first [`SAMPLE_BYTES`] of a file, cut after a space or line break.
fn scoring_sample(bytes: &[u8]) -> &[u8] {
    if bytes.len() <= SAMPLE_BYTES {
        return bytes;
    }
    let head = &bytes[..SAMPLE_BYTES];
    match head.iter().rposition(|b| b.is_ascii_whitespace()) {
        Some(i) => &head[..=i],
        None => head,
    }
}

/// The same for text (which is UTF-8, so the cut is at an ASCII byte).
fn scoring_sample_str(text: &str) -> &str {
    if text.len() <= SAMPLE_BYTES {
        return text;
    }
    match text.as_bytes()[..SAMPLE_BYTES].iter().rposition(|b| b.is_ascii_whitespace()) {
        Some(i) => &text[..=i],
        None => text,
    }
}

/// Decodes bytes in a known legacy encoding (no detection), to NFC.
/// Bytes outside the encoding's Vietnamese table decode as Windows-1252.
pub fn decode_legacy_bytes_as(bytes: &[u8], encoding: LegacyEncoding) -> String {
    match encoding {
        LegacyEncoding::Windows1258 => {
            let (text, _) = WINDOWS_1258.decode_without_bom_handling(bytes);
            text.nfc().collect()
        }
        LegacyEncoding::Tcvn3 | LegacyEncoding::Vni => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            convert_legacy_unicode(&text, encoding)
        }
    }
}

/// Says whether Unicode text was typed in a legacy font (or is a legacy file
/// opened as Windows-1252), e.g. TCVN3 `"Tèc ®é t¨ng tr­ëng"` or VNI
/// `"Toác ñoä taêng tröôûng"`. Returns `Some` only when converting clearly
/// turns non-Vietnamese into Vietnamese: at least two more valid syllables
/// than the text has as it stands (or, for a one-word run, a very common
/// word made out of symbols/garbage), mostly valid afterwards, and no other
/// encoding about as good. English, proper Unicode Vietnamese and a stray
/// `®` in good text give `None`.
///
/// Note for callers: TCVN3 writes "ư" as U+00AD (soft hyphen), so call this
/// (and [`convert_legacy_unicode`]) before any normalisation that drops
/// soft hyphens or non-breaking spaces.
pub fn detect_legacy_unicode(text: &str) -> Option<LegacyEncoding> {
    let text = scoring_sample_str(text);
    if !text.chars().any(|c| ('\u{a0}'..='\u{ff}').contains(&c)) {
        // Every legacy table lives in U+00A0..=U+00FF.
        return None;
    }
    let original_nfc: String = text.nfc().collect();
    let before = VnStats::of(&original_nfc);
    let mut found: Vec<(LegacyEncoding, VnStats)> = Vec::new();
    for enc in LegacyEncoding::ALL {
        let converted = convert_legacy_unicode(text, enc);
        if converted == original_nfc {
            continue;
        }
        let after = VnStats::of(&converted);
        if after.confident_improvement_over(&before) {
            found.push((enc, after));
        }
    }
    found.sort_by_key(|c| std::cmp::Reverse(c.1.score()));
    match found.as_slice() {
        [] => None,
        [(enc, _)] => Some(*enc),
        [(enc, best), (_, second), ..] => (!too_close(best.score(), second.score())).then_some(*enc),
    }
}

/// Converts Unicode text typed in a legacy font back to proper NFC
/// Vietnamese: every character in U+00A0..=U+00FF is taken as the legacy
/// byte of the same value and decoded with the encoding's table; all other
/// characters pass through unchanged.
///
/// For TCVN3, words typed with Caps Lock in the `.VnTimeH` (upper-case)
/// fonts are stored with the lower-case toned letters (`"NGHÞ QUYÕT"`);
/// such words (no ASCII lower-case letter, two or more capitals, or next to
/// such a word on the same line) are upper-cased: `"NGHỊ QUYẾT"`.
pub fn convert_legacy_unicode(text: &str, encoding: LegacyEncoding) -> String {
    match encoding {
        LegacyEncoding::Tcvn3 => {
            let table = tcvn3_table();
            let mapped: String = text.chars().map(|c| latin1_map(c, table)).collect();
            restore_vntimeh_caps(&mapped).nfc().collect()
        }
        LegacyEncoding::Vni => vni_to_unicode(text).nfc().collect(),
        LegacyEncoding::Windows1258 => {
            let table = cp1258_table();
            let mapped: String = text.chars().map(|c| latin1_map(c, table)).collect();
            mapped.nfc().collect()
        }
    }
}

/// Encodes Vietnamese text into a legacy encoding (the inverse of
/// [`decode_legacy_bytes_as`]), for tests and fixtures. `None` if a
/// character cannot be written in that encoding.
///
/// * TCVN3: strict VN3; upper-case letters carrying a tone mark (`Ấ`, `Ị`,
///   ...) have no slot (documents used the separate `.VnTimeH` fonts) and
///   give `None`, as do characters whose byte means a Vietnamese letter.
/// * VNI: base letter + diacritic letter; non-Vietnamese Latin-1 letters
///   that VNI uses as diacritics (`ä`, `ø`, `ñ`, ...) give `None`.
/// * Windows-1258: tone marks are written as combining characters after the
///   base letter (`â`, `ă`, `ê`, `ô`, `ơ`, `ư`, `đ` stay precomposed), the
///   form Windows' Vietnamese keyboard produces.
pub fn encode_legacy(text: &str, encoding: LegacyEncoding) -> Option<Vec<u8>> {
    let text: String = text.nfc().collect();
    match encoding {
        LegacyEncoding::Tcvn3 => encode_tcvn3(&text),
        LegacyEncoding::Vni => encode_vni(&text),
        LegacyEncoding::Windows1258 => encode_cp1258(&text),
    }
}

// ---------------------------------------------------------------------------
// Vietnamese vowels
// ---------------------------------------------------------------------------

/// Tone indices (columns of [`VOWELS`]).
const NO_TONE: usize = 0;
const GRAVE: usize = 1; // huyền
const HOOK: usize = 2; // hỏi
const TILDE: usize = 3; // ngã
const ACUTE: usize = 4; // sắc
const DOT: usize = 5; // nặng

/// Vowel rows of [`VOWELS`].
const ROW_A: usize = 0;
const ROW_A_BREVE: usize = 1;
const ROW_A_CIRC: usize = 2;
const ROW_E: usize = 3;
const ROW_E_CIRC: usize = 4;
const ROW_I: usize = 5;
const ROW_O: usize = 6;
const ROW_O_CIRC: usize = 7;
const ROW_O_HORN: usize = 8;
const ROW_U: usize = 9;
const ROW_U_HORN: usize = 10;
const ROW_Y: usize = 11;

/// The twelve vowels × (no tone, huyền, hỏi, ngã, sắc, nặng), lower case.
/// Checked against Unicode composition in the tests.
const VOWELS: [[char; 6]; 12] = [
    ['a', 'à', 'ả', 'ã', 'á', 'ạ'],
    ['ă', 'ằ', 'ẳ', 'ẵ', 'ắ', 'ặ'],
    ['â', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ'],
    ['e', 'è', 'ẻ', 'ẽ', 'é', 'ẹ'],
    ['ê', 'ề', 'ể', 'ễ', 'ế', 'ệ'],
    ['i', 'ì', 'ỉ', 'ĩ', 'í', 'ị'],
    ['o', 'ò', 'ỏ', 'õ', 'ó', 'ọ'],
    ['ô', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ'],
    ['ơ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ'],
    ['u', 'ù', 'ủ', 'ũ', 'ú', 'ụ'],
    ['ư', 'ừ', 'ử', 'ữ', 'ứ', 'ự'],
    ['y', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ'],
];

fn to_upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

fn to_lower(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

fn with_case(c: char, upper: bool) -> char {
    if upper { to_upper(c) } else { c }
}

/// A Vietnamese vowel as (row, tone, is upper case).
fn vowel_parts(c: char) -> Option<(usize, usize, bool)> {
    if c.is_ascii() && !matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
        return None;
    }
    let lower = to_lower(c);
    VOWELS
        .iter()
        .enumerate()
        .find_map(|(row, tones)| tones.iter().position(|&v| v == lower).map(|tone| (row, tone, lower != c)))
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

/// TCVN3 (VN3, `.VnTime`): byte → character. Bytes not listed are the same
/// as Windows-1252 (ASCII, punctuation in 0x80–0x9F, NBSP, `°±²³´`).
const TCVN3_VN3: &[(u8, char)] = &[
    (0xA1, 'Ă'),
    (0xA2, 'Â'),
    (0xA3, 'Ê'),
    (0xA4, 'Ô'),
    (0xA5, 'Ơ'),
    (0xA6, 'Ư'),
    (0xA7, 'Đ'),
    (0xA8, 'ă'),
    (0xA9, 'â'),
    (0xAA, 'ê'),
    (0xAB, 'ô'),
    (0xAC, 'ơ'),
    (0xAD, 'ư'),
    (0xAE, 'đ'),
    (0xB5, 'à'),
    (0xB6, 'ả'),
    (0xB7, 'ã'),
    (0xB8, 'á'),
    (0xB9, 'ạ'),
    (0xBB, 'ằ'),
    (0xBC, 'ẳ'),
    (0xBD, 'ẵ'),
    (0xBE, 'ắ'),
    (0xC6, 'ặ'),
    (0xC7, 'ầ'),
    (0xC8, 'ẩ'),
    (0xC9, 'ẫ'),
    (0xCA, 'ấ'),
    (0xCB, 'ậ'),
    (0xCC, 'è'),
    (0xCE, 'ẻ'),
    (0xCF, 'ẽ'),
    (0xD0, 'é'),
    (0xD1, 'ẹ'),
    (0xD2, 'ề'),
    (0xD3, 'ể'),
    (0xD4, 'ễ'),
    (0xD5, 'ế'),
    (0xD6, 'ệ'),
    (0xD7, 'ì'),
    (0xD8, 'ỉ'),
    (0xDC, 'ĩ'),
    (0xDD, 'í'),
    (0xDE, 'ị'),
    (0xDF, 'ò'),
    (0xE1, 'ỏ'),
    (0xE2, 'õ'),
    (0xE3, 'ó'),
    (0xE4, 'ọ'),
    (0xE5, 'ồ'),
    (0xE6, 'ổ'),
    (0xE7, 'ỗ'),
    (0xE8, 'ố'),
    (0xE9, 'ộ'),
    (0xEA, 'ờ'),
    (0xEB, 'ở'),
    (0xEC, 'ỡ'),
    (0xED, 'ớ'),
    (0xEE, 'ợ'),
    (0xEF, 'ù'),
    (0xF1, 'ủ'),
    (0xF2, 'ũ'),
    (0xF3, 'ú'),
    (0xF4, 'ụ'),
    (0xF5, 'ừ'),
    (0xF6, 'ử'),
    (0xF7, 'ữ'),
    (0xF8, 'ứ'),
    (0xF9, 'ự'),
    (0xFA, 'ỳ'),
    (0xFB, 'ỷ'),
    (0xFC, 'ỹ'),
    (0xFD, 'ý'),
    (0xFE, 'ỵ'),
];

/// Upper-case toned letters that TCVN 5712 VN1/VN2 put in slots VN3 leaves
/// empty within 0xA0–0xFF. Decoded (harmless for VN3 text, helps VN2
/// files), never produced by [`encode_legacy`]. VN2's other upper-case
/// slots are in 0x80–0x9F, where VN3 fonts keep Windows-1252 punctuation
/// (“ ” – …), so they are not decoded.
const TCVN3_VN2_UPPER: &[(u8, char)] = &[
    (0xAF, 'Ằ'),
    (0xBA, 'Ẳ'),
    (0xBF, 'Ẵ'),
    (0xC0, 'Ắ'),
    (0xC1, 'Ầ'),
    (0xC2, 'Ẩ'),
    (0xC3, 'Ẫ'),
    (0xC4, 'Ấ'),
    (0xC5, 'Ề'),
    (0xCD, 'Ể'),
    (0xD9, 'Ễ'),
    (0xDA, 'Ế'),
    (0xDB, 'Ồ'),
    (0xE0, 'Ổ'),
    (0xF0, 'Ỗ'),
    (0xFF, 'Ố'),
];

/// Characters for bytes 0xA0..=0xFF.
type HighTable = [char; 96];

fn latin1_identity() -> HighTable {
    let mut t = ['\0'; 96];
    for (i, slot) in t.iter_mut().enumerate() {
        *slot = char::from(0xA0 + i as u8);
    }
    t
}

fn tcvn3_table() -> &'static HighTable {
    static TABLE: OnceLock<HighTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = latin1_identity();
        for &(b, c) in TCVN3_VN3.iter().chain(TCVN3_VN2_UPPER) {
            t[usize::from(b - 0xA0)] = c;
        }
        t
    })
}

fn cp1258_table() -> &'static HighTable {
    static TABLE: OnceLock<HighTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = latin1_identity();
        for (i, slot) in t.iter_mut().enumerate() {
            let byte = [0xA0 + i as u8];
            let (s, _) = WINDOWS_1258.decode_without_bom_handling(&byte);
            if let Some(c) = s.chars().next() {
                *slot = c;
            }
        }
        t
    })
}

/// Maps a character in U+00A0..=U+00FF through a byte table.
fn latin1_map(c: char, table: &HighTable) -> char {
    match u32::from(c) {
        v @ 0xA0..=0xFF => table[(v - 0xA0) as usize],
        _ => c,
    }
}

/// The Windows-1252 byte of a character, if it has one.
fn cp1252_byte(c: char) -> Option<u8> {
    static HIGH: OnceLock<[char; 32]> = OnceLock::new();
    let v = u32::from(c);
    if v < 0x80 || (0xA0..=0xFF).contains(&v) {
        return u8::try_from(v).ok();
    }
    let high = HIGH.get_or_init(|| {
        let mut t = ['\0'; 32];
        for (i, slot) in t.iter_mut().enumerate() {
            let byte = [0x80 + i as u8];
            let (s, _) = WINDOWS_1252.decode_without_bom_handling(&byte);
            *slot = s.chars().next().unwrap_or('\u{fffd}');
        }
        t
    });
    high.iter().position(|&h| h == c).map(|i| 0x80 + i as u8)
}

// --- VNI --------------------------------------------------------------------

/// A VNI diacritic letter, as it modifies the preceding base letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VniMark {
    /// Tone only: ø û õ ù ï (huyền hỏi ngã sắc nặng).
    Tone(usize),
    /// Circumflex (+ tone): â à å ã á ä.
    Circumflex(usize),
    /// Breve (+ tone): ê è ú ü é ë.
    Breve(usize),
}

fn vni_mark(c: char) -> Option<VniMark> {
    use VniMark::*;
    Some(match to_lower(c) {
        'ø' => Tone(GRAVE),
        'û' => Tone(HOOK),
        'õ' => Tone(TILDE),
        'ù' => Tone(ACUTE),
        'ï' => Tone(DOT),
        'â' => Circumflex(NO_TONE),
        'à' => Circumflex(GRAVE),
        'å' => Circumflex(HOOK),
        'ã' => Circumflex(TILDE),
        'á' => Circumflex(ACUTE),
        'ä' => Circumflex(DOT),
        'ê' => Breve(NO_TONE),
        'è' => Breve(GRAVE),
        'ú' => Breve(HOOK),
        'ü' => Breve(TILDE),
        'é' => Breve(ACUTE),
        'ë' => Breve(DOT),
        _ => return None,
    })
}

/// The VNI mark letter (lower case) for a mark.
fn vni_mark_char(mark: VniMark) -> char {
    match mark {
        VniMark::Tone(t) => ['\0', 'ø', 'û', 'õ', 'ù', 'ï'][t],
        VniMark::Circumflex(t) => ['â', 'à', 'å', 'ã', 'á', 'ä'][t],
        VniMark::Breve(t) => ['ê', 'è', 'ú', 'ü', 'é', 'ë'][t],
    }
}

/// Letters that take a following VNI mark: (vowel row, upper case).
/// `ô` is ơ and `ö` is ư, which take tone marks too.
fn vni_base(c: char) -> Option<(usize, bool)> {
    let lower = to_lower(c);
    let row = match lower {
        'a' => ROW_A,
        'e' => ROW_E,
        'o' => ROW_O,
        'u' => ROW_U,
        'y' => ROW_Y,
        'ô' => ROW_O_HORN,
        'ö' => ROW_U_HORN,
        _ => return None,
    };
    Some((row, lower != c))
}

/// The vowel a VNI base + mark makes, lower case.
fn vni_combine(row: usize, mark: VniMark) -> Option<char> {
    match (row, mark) {
        (_, VniMark::Tone(t)) => Some(VOWELS[row][t]),
        (ROW_A, VniMark::Circumflex(t)) => Some(VOWELS[ROW_A_CIRC][t]),
        (ROW_E, VniMark::Circumflex(t)) => Some(VOWELS[ROW_E_CIRC][t]),
        (ROW_O, VniMark::Circumflex(t)) => Some(VOWELS[ROW_O_CIRC][t]),
        (ROW_A, VniMark::Breve(t)) => Some(VOWELS[ROW_A_BREVE][t]),
        _ => None,
    }
}

/// VNI letters that stand for a Vietnamese letter on their own.
fn vni_standalone(c: char) -> Option<char> {
    let upper = to_lower(c) != c;
    let v = match to_lower(c) {
        'ô' => 'ơ',
        'ö' => 'ư',
        'ñ' => 'đ',
        'ì' => 'ì',
        'æ' => 'ỉ',
        'ó' => 'ĩ',
        'í' => 'í',
        'ò' => 'ị',
        'î' => 'ỵ',
        _ => return None,
    };
    Some(with_case(v, upper))
}

/// The VNI letters for i + tone, and for ỵ (y + nặng).
const VNI_I: [char; 6] = ['i', 'ì', 'æ', 'ó', 'í', 'ò'];
const VNI_Y_DOT: char = 'î';

fn vni_to_unicode(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some((row, upper)) = vni_base(c) {
            let combined = chars.get(i + 1).and_then(|&next| vni_mark(next)).and_then(|mark| vni_combine(row, mark));
            match combined {
                Some(v) => {
                    out.push(with_case(v, upper));
                    i += 2;
                }
                None => {
                    out.push(with_case(VOWELS[row][NO_TONE], upper));
                    i += 1;
                }
            }
            continue;
        }
        out.push(vni_standalone(c).unwrap_or(c));
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------
// Encoders
// ---------------------------------------------------------------------------

fn encode_tcvn3(text: &str) -> Option<Vec<u8>> {
    let table = tcvn3_table();
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
        } else if let Some(&(b, _)) = TCVN3_VN3.iter().find(|&&(_, v)| v == c) {
            out.push(b);
        } else {
            // Any other Windows-1252 character, if its byte is not a
            // Vietnamese letter in TCVN3.
            let b = cp1252_byte(c)?;
            if b >= 0xA0 && table[usize::from(b - 0xA0)] != c {
                return None;
            }
            out.push(b);
        }
    }
    Some(out)
}

fn encode_vni(text: &str) -> Option<Vec<u8>> {
    let mut letters = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii() {
            letters.push(c);
            continue;
        }
        if to_lower(c) == 'đ' {
            letters.push(with_case('ñ', c != 'đ'));
            continue;
        }
        if let Some((row, tone, upper)) = vowel_parts(c) {
            let (base, mark) = match row {
                ROW_A | ROW_E | ROW_O | ROW_U => {
                    (VOWELS[row][NO_TONE], (tone != NO_TONE).then_some(VniMark::Tone(tone)))
                }
                ROW_A_BREVE => ('a', Some(VniMark::Breve(tone))),
                ROW_A_CIRC => ('a', Some(VniMark::Circumflex(tone))),
                ROW_E_CIRC => ('e', Some(VniMark::Circumflex(tone))),
                ROW_O_CIRC => ('o', Some(VniMark::Circumflex(tone))),
                ROW_O_HORN => ('ô', (tone != NO_TONE).then_some(VniMark::Tone(tone))),
                ROW_U_HORN => ('ö', (tone != NO_TONE).then_some(VniMark::Tone(tone))),
                ROW_I => (VNI_I[tone], None),
                _ if tone == DOT => (VNI_Y_DOT, None),
                _ => ('y', (tone != NO_TONE).then_some(VniMark::Tone(tone))),
            };
            letters.push(with_case(base, upper));
            if let Some(mark) = mark {
                letters.push(with_case(vni_mark_char(mark), upper));
            }
            continue;
        }
        // Non-Vietnamese: only if its byte has no VNI meaning.
        if vni_mark(c).is_some() || vni_standalone(c).is_some() {
            return None;
        }
        letters.push(c);
    }
    letters.chars().map(cp1252_byte).collect()
}

fn encode_cp1258(text: &str) -> Option<Vec<u8>> {
    const TONE_MARKS: [char; 6] = ['\0', '\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];
    let mut decomposed = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        match vowel_parts(c) {
            Some((row, tone, upper)) if tone != NO_TONE => {
                decomposed.push(with_case(VOWELS[row][NO_TONE], upper));
                decomposed.push(TONE_MARKS[tone]);
            }
            _ => decomposed.push(c),
        }
    }
    let (bytes, _, had_errors) = WINDOWS_1258.encode(&decomposed);
    (!had_errors).then(|| bytes.into_owned())
}

// ---------------------------------------------------------------------------
// VnTimeH capitals
// ---------------------------------------------------------------------------

/// Upper-cases words typed with Caps Lock in a `.VnTimeH` font, whose toned
/// letters come out of the table in lower case (`"QUYếT"` → `"QUYẾT"`).
fn restore_vntimeh_caps(text: &str) -> String {
    // Split into words (letter runs) and the gaps between them.
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for c in text.chars() {
        let is_word = c.is_alphabetic();
        match pieces.last_mut() {
            Some((s, w)) if *w == is_word => s.push(c),
            _ => pieces.push((c.to_string(), is_word)),
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        /// No ASCII lower case, a capital, and a lower-case toned letter.
        Candidate {
            strong: bool,
        },
        /// Already all capitals and a Vietnamese syllable ("KINH").
        CapsContext,
        Other,
    }
    let kinds: Vec<Kind> = pieces
        .iter()
        .map(|(s, is_word)| {
            if !is_word {
                return Kind::Other;
            }
            let upper = s.chars().filter(|c| c.is_uppercase()).count();
            let ascii_lower = s.chars().filter(|c| c.is_ascii_lowercase()).count();
            let other_lower = s.chars().filter(|c| !c.is_ascii() && c.is_lowercase()).count();
            if ascii_lower == 0 && other_lower > 0 && upper > 0 {
                let upcased: String = s.chars().map(to_upper).collect();
                if is_vietnamese_syllable(&upcased) {
                    return Kind::Candidate { strong: upper >= 2 };
                }
                Kind::Other
            } else if upper >= 2 && ascii_lower + other_lower == 0 && is_vietnamese_syllable(s) {
                Kind::CapsContext
            } else {
                Kind::Other
            }
        })
        .collect();
    if !kinds.iter().any(|k| matches!(k, Kind::Candidate { .. })) {
        return text.to_string();
    }
    // Neighbouring words on the same line.
    let words: Vec<usize> = (0..pieces.len()).filter(|&i| pieces[i].1).collect();
    let linked = |a: usize, b: usize| !pieces[a + 1..b].iter().any(|(s, _)| s.contains('\n'));
    let mut upgraded: Vec<bool> = kinds.iter().map(|k| *k == Kind::Candidate { strong: true }).collect();
    loop {
        let mut changed = false;
        for (wi, &i) in words.iter().enumerate() {
            if upgraded[i] || !matches!(kinds[i], Kind::Candidate { .. }) {
                continue;
            }
            let near = |j: usize| upgraded[j] || kinds[j] == Kind::CapsContext;
            let prev = wi.checked_sub(1).map(|p| words[p]).filter(|&p| linked(p, i));
            let next = words.get(wi + 1).copied().filter(|&n| linked(i, n));
            if prev.is_some_and(near) || next.is_some_and(near) {
                upgraded[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    pieces
        .iter()
        .zip(&upgraded)
        .map(|((s, _), &up)| if up { s.chars().map(to_upper).collect() } else { s.clone() })
        .collect()
}

// ---------------------------------------------------------------------------
// Scoring: how Vietnamese does a text read?
// ---------------------------------------------------------------------------

const ONSETS: &[&str] = &[
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k", "l", "m",
    "n", "p", "r", "s", "t", "v", "x", "",
];

/// Every Vietnamese rime (medial + nucleus + coda), without tone.
const RIMES: &[&str] = &[
    "a", "ac", "ach", "ai", "am", "an", "ang", "anh", "ao", "ap", "at", "au", "ay", //
    "ăc", "ăk", "ăm", "ăn", "ăng", "ăp", "ăt", //
    "âc", "âm", "ân", "âng", "âp", "ât", "âu", "ây", //
    "e", "ec", "em", "en", "eng", "eo", "ep", "et", //
    "ê", "êch", "êm", "ên", "ênh", "êp", "êt", "êu", //
    "i", "ia", "ich", "im", "in", "inh", "ip", "it", "iu", //
    "iêc", "iêm", "iên", "iêng", "iêp", "iêt", "iêu", //
    "o", "oc", "oi", "om", "on", "ong", "op", "ot", //
    "oa", "oac", "oach", "oai", "oam", "oan", "oang", "oanh", "oao", "oap", "oat", "oay", //
    "oăc", "oăm", "oăn", "oăng", "oăt", //
    "oe", "oem", "oen", "oeo", "oet", "oong", "ooc", //
    "ô", "ôc", "ôi", "ôm", "ôn", "ông", "ôp", "ôt", //
    "ơ", "ơi", "ơm", "ơn", "ơp", "ơt", //
    "u", "ua", "uc", "ui", "um", "un", "ung", "up", "ut", //
    "uân", "uâng", "uât", "uây", //
    "uê", "uêch", "uênh", //
    "uôc", "uôi", "uôm", "uôn", "uông", "uôt", //
    "uơ",  //
    "uy", "uya", "uych", "uyên", "uyêt", "uyn", "uynh", "uyp", "uyt", "uyu", //
    "ư", "ưa", "ưc", "ưi", "ưm", "ưn", "ưng", "ưt", "ưu", //
    "ươc", "ươi", "ươm", "ươn", "ương", "ươp", "ươt", "ươu", //
    "y", "yêm", "yên", "yêt", "yêu",
];

/// Frequent words in resolutions that carry a diacritic (ASCII words read
/// the same in every encoding and prove nothing).
const COMMON_WORDS: &[&str] = &[
    "của",
    "và",
    "năm",
    "chỉ",
    "tiêu",
    "đạt",
    "tỷ",
    "tỉ",
    "lệ",
    "phát",
    "triển",
    "các",
    "được",
    "những",
    "người",
    "trong",
    "với",
    "đồng",
    "nghị",
    "quyết",
    "tỉnh",
    "hội",
    "nhân",
    "dân",
    "thực",
    "hiện",
    "tế",
    "xã",
    "huyện",
    "thành",
    "phố",
    "ngân",
    "sách",
    "đầu",
    "tư",
    "công",
    "nghiệp",
    "dự",
    "án",
    "kế",
    "hoạch",
    "tăng",
    "trưởng",
    "số",
    "là",
    "có",
    "không",
    "về",
    "trên",
    "địa",
    "bàn",
    "tổng",
    "đến",
    "quản",
    "lý",
    "nhà",
    "nước",
    "xây",
    "dựng",
    "một",
    "này",
    "đã",
    "sẽ",
    "từ",
    "để",
    "việc",
    "đường",
    "điện",
    "giáo",
    "dục",
    "nông",
    "thôn",
    "mới",
    "chương",
    "trình",
    "cấp",
    "học",
    "đơn",
    "vị",
    "tập",
    "trung",
    "bảo",
    "đảm",
    "giảm",
    "chính",
    "sản",
    "xuất",
    "lao",
    "động",
    "thời",
    "kỳ",
    "mục",
    "giai",
    "đoạn",
];

fn rimes() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| RIMES.iter().copied().collect())
}

fn common_words() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON_WORDS.iter().copied().collect())
}

/// Whether an NFC word is a well-formed Vietnamese syllable, in lower
/// case, upper case or title case.
fn is_vietnamese_syllable(word: &str) -> bool {
    let uppers = word.chars().filter(|c| c.is_uppercase()).count();
    let title = uppers == 1 && word.chars().next().is_some_and(char::is_uppercase);
    if uppers != 0 && !title && uppers != word.chars().count() {
        return false;
    }
    let mut bases = String::with_capacity(word.len());
    let mut tone = NO_TONE;
    for c in word.chars() {
        if let Some((row, t, _)) = vowel_parts(c) {
            bases.push(VOWELS[row][NO_TONE]);
            if t != NO_TONE {
                if tone != NO_TONE {
                    return false;
                }
                tone = t;
            }
            continue;
        }
        let l = to_lower(c);
        if !matches!(
            l,
            'b' | 'c' | 'd' | 'đ' | 'g' | 'h' | 'k' | 'l' | 'm' | 'n' | 'p' | 'q' | 'r' | 's' | 't' | 'v' | 'x'
        ) {
            return false;
        }
        bases.push(l);
    }
    ONSETS.iter().any(|onset| bases.strip_prefix(onset).is_some_and(|rime| rime_fits(onset, rime, tone)))
}

fn rime_fits(onset: &str, rime: &str, tone: usize) -> bool {
    if !rimes().contains(rime) {
        return false;
    }
    let Some(first) = rime.chars().next() else {
        return false;
    };
    let front = matches!(first, 'i' | 'e' | 'ê' | 'y');
    let spelling_ok = match onset {
        "k" => front,
        "c" => !front,
        "gh" | "ngh" => matches!(first, 'i' | 'e' | 'ê'),
        "ng" => !matches!(first, 'i' | 'e' | 'ê'),
        "g" => !matches!(first, 'e' | 'ê'),
        "qu" => !matches!(first, 'u' | 'o'),
        "gi" => first != 'i',
        _ => true,
    };
    let ye_ok = !rime.starts_with("yê") || onset.is_empty() || onset == "qu";
    let stop = ["c", "ch", "p", "t", "k"].iter().any(|coda| rime.ends_with(coda));
    let tone_ok = !stop || tone == ACUTE || tone == DOT;
    spelling_ok && ye_ok && tone_ok
}

/// Evidence that a text is Vietnamese.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct VnStats {
    /// Words with a non-ASCII letter that are Vietnamese syllables.
    valid: usize,
    /// Words with a non-ASCII letter that are not.
    invalid: usize,
    /// Valid words that are in [`COMMON_WORDS`].
    common: usize,
    /// Symbols a correct decoding does not leave behind (`® ¨ ¸ ·`, C1
    /// controls, U+FFFD, ...).
    junk: usize,
}

impl VnStats {
    fn of(text: &str) -> Self {
        let mut stats = Self::default();
        let mut word = String::new();
        for c in text.nfc().chain(std::iter::once(' ')) {
            if c.is_alphabetic() || ('\u{300}'..='\u{36f}').contains(&c) {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                stats.add_word(&word);
                word.clear();
            }
            if is_junk(c) {
                stats.junk += 1;
            }
        }
        stats
    }

    fn add_word(&mut self, word: &str) {
        // ASCII words read the same in every encoding; capitals with Đ are
        // abbreviations ("HĐND", "ĐBQH"), not syllables.
        let abbreviation = || word.chars().all(|c| c.is_ascii_uppercase() || c == 'Đ');
        if word.is_ascii() || abbreviation() {
            return;
        }
        if is_vietnamese_syllable(word) {
            self.valid += 1;
            let lower: String = word.chars().map(to_lower).collect();
            if common_words().contains(lower.as_str()) {
                self.common += 1;
            }
        } else {
            self.invalid += 1;
        }
    }

    fn bad(&self) -> usize {
        self.invalid + self.junk
    }

    fn score(&self) -> i64 {
        let v = |n: usize| i64::try_from(n).unwrap_or(i64::MAX / 8);
        2 * v(self.valid) + v(self.common) - 2 * v(self.invalid) - v(self.junk)
    }

    /// Enough valid syllables and few enough bad words, or one very common
    /// word and nothing bad.
    fn looks_vietnamese(&self) -> bool {
        (self.valid >= 2 && self.valid * 10 >= (self.valid + self.bad()) * 7)
            || (self.valid >= 1 && self.common >= 1 && self.bad() == 0)
    }

    /// `self` (after converting) is clearly better Vietnamese than `before`:
    /// reads as Vietnamese, scores at least 4 more, and has two more valid
    /// syllables (or one more and fewer bad words), or is a one-word run.
    fn confident_improvement_over(&self, before: &Self) -> bool {
        if !self.looks_vietnamese() || self.score() < before.score() + 4 {
            return false;
        }
        let many = self.valid >= 2
            && (self.valid >= before.valid + 2 || (self.valid > before.valid && self.bad() < before.bad()));
        // A one-word run ("n¨m", "naêm"): a very common word, nothing left
        // over, made out of something that was not Vietnamese at all.
        let one_common = self.common >= 1 && self.bad() == 0 && before.valid == 0 && before.bad() >= 1;
        many || one_common
    }
}

fn is_junk(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' | '\u{c}' | '\u{a0}' | '°' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{a1}'..='\u{bf}' => true,
        '×' | '÷' | '\u{fffd}' => true,
        _ => false,
    }
}

/// The runner-up is within 10% (at least 2 points) of the best score.
fn too_close(best: i64, second: i64) -> bool {
    second + (best / 10).max(2) > best
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // --- fixtures: (Unicode, TCVN3 as Windows-1252 text, VNI as text) -----

    const PHRASES: &[(&str, &str, &str)] = &[
        (
            "Tốc độ tăng trưởng kinh tế (GRDP) đạt 6,5%",
            "Tèc ®é t¨ng tr\u{ad}ëng kinh tÕ (GRDP) ®¹t 6,5%",
            "Toác ñoä taêng tröôûng kinh teá (GRDP) ñaït 6,5%",
        ),
        (
            "Nghị quyết của Hội đồng nhân dân tỉnh",
            "NghÞ quyÕt cña Héi ®ång nh©n d©n tØnh",
            "Nghò quyeát cuûa Hoäi ñoàng nhaân daân tænh",
        ),
        (
            "Thu ngân sách nhà nước trên địa bàn đạt 6.388,3 tỷ đồng",
            "Thu ng©n s¸ch nhµ n\u{ad}íc trªn ®Þa bµn ®¹t 6.388,3 tû ®ång",
            "Thu ngaân saùch nhaø nöôùc treân ñòa baøn ñaït 6.388,3 tyû ñoàng",
        ),
        ("Đường dây 110kV", "§\u{ad}êng d©y 110kV", "Ñöôøng daây 110kV"),
        (
            "Cộng hoà xã hội chủ nghĩa Việt Nam",
            "Céng hoµ x· héi chñ nghÜa ViÖt Nam",
            "Coäng hoaø xaõ hoäi chuû nghóa Vieät Nam",
        ),
        ("Độc lập - Tự do - Hạnh phúc", "§éc lËp - Tù do - H¹nh phóc", "Ñoäc laäp - Töï do - Haïnh phuùc"),
        ("Uỷ ban nhân dân tỉnh Quảng Ninh", "Uû ban nh©n d©n tØnh Qu¶ng Ninh", "Uyû ban nhaân daân tænh Quaûng Ninh"),
        (
            "hỗ trợ đặc biệt, bền vững, sẵn sàng, khuyến khích",
            "hç trî ®Æc biÖt, bÒn v÷ng, s½n sµng, khuyÕn khÝch",
            "hoã trôï ñaëc bieät, beàn vöõng, saün saøng, khuyeán khích",
        ),
        (
            "Giữa năm, tổng kiểm kê rượu, thuế, kỹ thuật, học phí",
            "Gi÷a n¨m, tæng kiÓm kª r\u{ad}îu, thuÕ, kü thuËt, häc phÝ",
            "Giöõa naêm, toång kieåm keâ röôïu, thueá, kyõ thuaät, hoïc phí",
        ),
    ];

    /// Each vowel with its six tones (no tone, huyền, hỏi, ngã, sắc, nặng).
    const TONE_ROWS: &[(&str, &str, &str)] = &[
        ("a à ả ã á ạ", "a µ ¶ · ¸ ¹", "a aø aû aõ aù aï"),
        ("ă ằ ẳ ẵ ắ ặ", "¨ » ¼ ½ ¾ Æ", "aê aè aú aü aé aë"),
        ("â ầ ẩ ẫ ấ ậ", "© Ç È É Ê Ë", "aâ aà aå aã aá aä"),
        ("e è ẻ ẽ é ẹ", "e Ì Î Ï Ð Ñ", "e eø eû eõ eù eï"),
        ("ê ề ể ễ ế ệ", "ª Ò Ó Ô Õ Ö", "eâ eà eå eã eá eä"),
        ("i ì ỉ ĩ í ị", "i × Ø Ü Ý Þ", "i ì æ ó í ò"),
        ("o ò ỏ õ ó ọ", "o ß á â ã ä", "o oø oû oõ où oï"),
        ("ô ồ ổ ỗ ố ộ", "« å æ ç è é", "oâ oà oå oã oá oä"),
        ("ơ ờ ở ỡ ớ ợ", "¬ ê ë ì í î", "ô ôø ôû ôõ ôù ôï"),
        ("u ù ủ ũ ú ụ", "u ï ñ ò ó ô", "u uø uû uõ uù uï"),
        ("ư ừ ử ữ ứ ự", "\u{ad} õ ö ÷ ø ù", "ö öø öû öõ öù öï"),
        ("y ỳ ỷ ỹ ý ỵ", "y ú û ü ý þ", "y yø yû yõ yù î"),
        ("đ Đ", "® §", "ñ Ñ"),
        ("Ă Â Ê Ô Ơ Ư", "¡ ¢ £ ¤ ¥ ¦", "AÊ AÂ EÂ OÂ Ô Ö"),
    ];

    /// Upper case with tones: VNI only (VN3 has no slots for them).
    const VNI_UPPER_ROWS: &[(&str, &str)] = &[
        ("A À Ả Ã Á Ạ", "A AØ AÛ AÕ AÙ AÏ"),
        ("Ă Ằ Ẳ Ẵ Ắ Ặ", "AÊ AÈ AÚ AÜ AÉ AË"),
        ("Â Ầ Ẩ Ẫ Ấ Ậ", "AÂ AÀ AÅ AÃ AÁ AÄ"),
        ("E È Ẻ Ẽ É Ẹ", "E EØ EÛ EÕ EÙ EÏ"),
        ("Ê Ề Ể Ễ Ế Ệ", "EÂ EÀ EÅ EÃ EÁ EÄ"),
        ("I Ì Ỉ Ĩ Í Ị", "I Ì Æ Ó Í Ò"),
        ("O Ò Ỏ Õ Ó Ọ", "O OØ OÛ OÕ OÙ OÏ"),
        ("Ô Ồ Ổ Ỗ Ố Ộ", "OÂ OÀ OÅ OÃ OÁ OÄ"),
        ("Ơ Ờ Ở Ỡ Ớ Ợ", "Ô ÔØ ÔÛ ÔÕ ÔÙ ÔÏ"),
        ("U Ù Ủ Ũ Ú Ụ", "U UØ UÛ UÕ UÙ UÏ"),
        ("Ư Ừ Ử Ữ Ứ Ự", "Ö ÖØ ÖÛ ÖÕ ÖÙ ÖÏ"),
        ("Y Ỳ Ỷ Ỹ Ý Ỵ", "Y YØ YÛ YÕ YÙ Î"),
        ("NGHỊ QUYẾT HỘI ĐỒNG NHÂN DÂN", "NGHÒ QUYEÁT HOÄI ÑOÀNG NHAÂN DAÂN"),
        ("Ủy ban, Ước tính, Ở đâu", "UÛy ban, Öôùc tính, ÔÛ ñaâu"),
    ];

    fn cp1252_text(bytes: &[u8]) -> String {
        WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()
    }

    fn cp1252_bytes(text: &str) -> Vec<u8> {
        text.chars().map(|c| cp1252_byte(c).expect("cp1252 char")).collect()
    }

    // --- tables ----------------------------------------------------------

    #[test]
    fn vowel_table_matches_unicode_composition() {
        let marks = ['\0', '\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];
        let bases =
            ["a", "a\u{306}", "a\u{302}", "e", "e\u{302}", "i", "o", "o\u{302}", "o\u{31b}", "u", "u\u{31b}", "y"];
        for (row, base) in bases.iter().enumerate() {
            for (tone, mark) in marks.iter().enumerate() {
                let mut s = base.to_string();
                if tone != NO_TONE {
                    s.push(*mark);
                }
                let nfc: String = s.nfc().collect();
                assert_eq!(nfc, VOWELS[row][tone].to_string(), "row {row} tone {tone}");
                let upper = to_upper(VOWELS[row][tone]);
                assert_ne!(upper, VOWELS[row][tone]);
                assert_eq!(vowel_parts(upper), Some((row, tone, true)));
                assert_eq!(vowel_parts(VOWELS[row][tone]), Some((row, tone, false)));
            }
        }
    }

    #[test]
    fn tcvn3_table_is_a_bijection_onto_vietnamese_letters() {
        let mut seen = HashSet::new();
        for &(b, c) in TCVN3_VN3.iter().chain(TCVN3_VN2_UPPER) {
            assert!(b >= 0xA1, "{b:#x}");
            assert!(seen.insert(b), "byte {b:#x} twice");
            assert!(vowel_parts(c).is_some() || c == 'đ' || c == 'Đ', "{c} at {b:#x} is not a Vietnamese letter");
        }
        // Every lower-case toned vowel and every base letter is in VN3.
        for row in VOWELS {
            for v in row {
                let ascii = v.is_ascii();
                let in_vn3 = TCVN3_VN3.iter().any(|&(_, c)| c == v);
                assert!(ascii || in_vn3, "{v} missing from VN3");
            }
        }
        for c in ['Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'đ'] {
            assert!(TCVN3_VN3.iter().any(|&(_, t)| t == c), "{c}");
        }
        assert_eq!(TCVN3_VN3.len(), 12 * 5 + 14);
    }

    #[test]
    fn cp1258_tone_bytes_from_encoding_rs() {
        let (s, _) = WINDOWS_1258.decode_without_bom_handling(&[0xCC, 0xEC, 0xD2, 0xDE, 0xF2]);
        assert_eq!(s, "\u{300}\u{301}\u{309}\u{303}\u{323}");
        let (s, _) = WINDOWS_1258.decode_without_bom_handling(&[0xC3, 0xE3, 0xD0, 0xF0, 0xD5, 0xF5, 0xDD, 0xFD]);
        assert_eq!(s, "ĂăĐđƠơƯư");
    }

    // --- conversion both ways --------------------------------------------

    #[test]
    fn tcvn3_phrases_both_ways() {
        for (uni, tcvn3, _) in PHRASES.iter().chain(TONE_ROWS) {
            assert_eq!(convert_legacy_unicode(tcvn3, LegacyEncoding::Tcvn3), *uni);
            let bytes = encode_legacy(uni, LegacyEncoding::Tcvn3).expect("encodable");
            assert_eq!(cp1252_text(&bytes), *tcvn3, "encoding {uni}");
            assert_eq!(decode_legacy_bytes_as(&bytes, LegacyEncoding::Tcvn3), *uni);
        }
    }

    #[test]
    fn vni_phrases_both_ways() {
        let upper = VNI_UPPER_ROWS.iter().map(|&(u, v)| (u, "", v));
        for (uni, _, vni) in PHRASES.iter().copied().chain(TONE_ROWS.iter().copied()).chain(upper) {
            assert_eq!(convert_legacy_unicode(vni, LegacyEncoding::Vni), uni);
            let bytes = encode_legacy(uni, LegacyEncoding::Vni).expect("encodable");
            assert_eq!(cp1252_text(&bytes), vni, "encoding {uni}");
            assert_eq!(decode_legacy_bytes_as(&bytes, LegacyEncoding::Vni), uni);
        }
    }

    #[test]
    fn hand_written_bytes_decode() {
        let cases: &[(&[u8], LegacyEncoding, &str)] = &[
            (b"T\xE8c \xAE\xE9 t\xA8ng tr\xAD\xEBng", LegacyEncoding::Tcvn3, "Tốc độ tăng trưởng"),
            (b"Ngh\xDE quy\xD5t c\xF1a H\xE9i \xAE\xE5ng", LegacyEncoding::Tcvn3, "Nghị quyết của Hội đồng"),
            (b"To\xE1c \xF1o\xE4 ta\xEAng tr\xF6\xF4\xFBng", LegacyEncoding::Vni, "Tốc độ tăng trưởng"),
            (b"\xD1\xF6\xF4\xF8ng da\xE2y", LegacyEncoding::Vni, "Đường dây"),
            // Windows-1258: base letters, then combining tone bytes.
            (b"T\xF4\xECc \xF0\xF4\xF2 t\xE3ng tr\xFD\xF5\xD2ng", LegacyEncoding::Windows1258, "Tốc độ tăng trưởng"),
            (b"\xD0\xFD\xF5\xCCng d\xE2y", LegacyEncoding::Windows1258, "Đường dây"),
            // Precomposed Latin-1 letters are legal Windows-1258 too.
            (b"nh\xE0 n\xFD\xF5\xECc", LegacyEncoding::Windows1258, "nhà nước"),
        ];
        for (bytes, enc, want) in cases {
            assert_eq!(decode_legacy_bytes_as(bytes, *enc), *want, "{enc}");
            assert_eq!(decode_legacy_bytes(bytes), Ok((*enc, want.to_string())), "{want}");
        }
    }

    #[test]
    fn tcvn3_upper_case_toned_letters() {
        // Not encodable in VN3 ...
        assert_eq!(encode_legacy("NGHỊ QUYẾT", LegacyEncoding::Tcvn3), None);
        assert_eq!(encode_legacy("Ấp", LegacyEncoding::Tcvn3), None);
        // ... but typed in .VnTimeH with Caps Lock, they come back upper case.
        let cases = [
            ("NGHÞ QUYÕT", "NGHỊ QUYẾT"),
            ("HéI §åNG NH¢N D¢N TØNH", "HỘI ĐỒNG NHÂN DÂN TỈNH"),
            ("KINH TÕ Vµ X· HéI", "KINH TẾ VÀ XÃ HỘI"),
            ("Hµ NéI\nHµ Néi", "HÀ NỘI\nHà Nội"),
            ("UBND §Ò nghÞ", "UBND Đề nghị"),
            ("§µ N½NG", "ĐÀ NẴNG"),
        ];
        for (tcvn3, want) in cases {
            assert_eq!(convert_legacy_unicode(tcvn3, LegacyEncoding::Tcvn3), want);
        }
        // VN2 upper-case slots inside 0xA0..=0xFF decode.
        assert_eq!(decode_legacy_bytes_as(b"\xC4\xFF\xDA", LegacyEncoding::Tcvn3), "ẤỐẾ");
    }

    #[test]
    fn cp1258_encoder_decomposes_tones() {
        let bytes = encode_legacy("Tốc độ", LegacyEncoding::Windows1258).unwrap();
        assert_eq!(bytes, b"T\xF4\xECc \xF0\xF4\xF2");
        for (uni, _, _) in PHRASES.iter().chain(TONE_ROWS) {
            let bytes = encode_legacy(uni, LegacyEncoding::Windows1258).unwrap();
            assert_eq!(decode_legacy_bytes_as(&bytes, LegacyEncoding::Windows1258), *uni);
        }
        for (uni, _) in VNI_UPPER_ROWS {
            let bytes = encode_legacy(uni, LegacyEncoding::Windows1258).unwrap();
            assert_eq!(decode_legacy_bytes_as(&bytes, LegacyEncoding::Windows1258), *uni);
        }
        // Plain NFD is not Windows-1258: it splits â, ơ, ư, ... too.
        let nfd: String = "Đường dây".nfd().collect();
        assert!(WINDOWS_1258.encode(&nfd).2);
    }

    #[test]
    fn encoders_refuse_what_they_cannot_write() {
        assert_eq!(encode_legacy("日本", LegacyEncoding::Tcvn3), None);
        assert_eq!(encode_legacy("日本", LegacyEncoding::Vni), None);
        assert_eq!(encode_legacy("日本", LegacyEncoding::Windows1258), None);
        // ñ is đ in VNI and ủ in TCVN3.
        assert_eq!(encode_legacy("España", LegacyEncoding::Vni), None);
        assert_eq!(encode_legacy("España", LegacyEncoding::Tcvn3), None);
        // Harmless symbols pass.
        assert_eq!(encode_legacy("25°C – “x”", LegacyEncoding::Tcvn3), Some(cp1252_bytes("25°C – “x”")));
        assert_eq!(encode_legacy("25°C – “x”", LegacyEncoding::Vni), Some(cp1252_bytes("25°C – “x”")));
    }

    // --- detection on bytes ----------------------------------------------

    fn long_text() -> String {
        PHRASES.iter().map(|p| p.0).collect::<Vec<_>>().join(". ")
    }

    #[test]
    fn detects_each_encoding_from_bytes() {
        let text = long_text();
        for enc in LegacyEncoding::ALL {
            let bytes = encode_legacy(&text, enc).unwrap();
            assert!(std::str::from_utf8(&bytes).is_err());
            assert_eq!(decode_legacy_bytes(&bytes), Ok((enc, text.clone())), "{enc}");
        }
        for (uni, _, _) in PHRASES {
            for enc in LegacyEncoding::ALL {
                let bytes = encode_legacy(uni, enc).unwrap();
                assert_eq!(decode_legacy_bytes(&bytes), Ok((enc, uni.to_string())), "{enc}");
            }
        }
    }

    #[test]
    fn windows1258_from_encoding_rs_nfd() {
        // What a Windows-1258 file written by a converter from NFD looks like.
        let text = long_text();
        let nfd: String = text.nfd().collect();
        // NFD splits â/ơ/ư too; put those back (1258 has them precomposed).
        let mut prepared = String::new();
        for c in text.chars() {
            match vowel_parts(c) {
                Some((row, tone, up)) if tone != NO_TONE => {
                    prepared.push(with_case(VOWELS[row][NO_TONE], up));
                    prepared.extend(
                        c.to_string()
                            .nfd()
                            .filter(|m| matches!(m, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')),
                    );
                }
                _ => prepared.push(c),
            }
        }
        assert_ne!(nfd, prepared);
        let (bytes, _, errors) = WINDOWS_1258.encode(&prepared);
        assert!(!errors);
        assert_eq!(decode_legacy_bytes(&bytes), Ok((LegacyEncoding::Windows1258, text)));
    }

    #[test]
    fn not_vietnamese_bytes() {
        let english = "The naïve café’s “résumé” costs 5 €; don’t worry.".to_string();
        let english = WINDOWS_1252.encode(&english).0.into_owned();
        assert_eq!(decode_legacy_bytes(&english), Err(LegacyError::NotVietnamese));
        // UTF-8 Vietnamese is not a legacy encoding.
        let utf8 = long_text().into_bytes();
        assert_eq!(decode_legacy_bytes(&utf8), Err(LegacyError::NotVietnamese));
        assert_eq!(decode_legacy_bytes(b""), Err(LegacyError::NotVietnamese));
        assert_eq!(decode_legacy_bytes(b"plain ascii"), Err(LegacyError::NotVietnamese));
        // Random binary (deterministic xorshift).
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for round in 0..2000 {
            let len = 16 + round % 700;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            assert_eq!(decode_legacy_bytes(&bytes), Err(LegacyError::NotVietnamese), "{bytes:?}");
        }
    }

    #[test]
    fn ambiguous_bytes() {
        // "đi đi" in VNI reads as "ủi ủi" in TCVN3: both are Vietnamese.
        assert_eq!(
            decode_legacy_bytes(b"\xF1i \xF1i"),
            Err(LegacyError::Ambiguous { candidates: vec![LegacyEncoding::Tcvn3, LegacyEncoding::Vni] })
        );
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            LegacyError::Ambiguous { candidates: vec![LegacyEncoding::Tcvn3, LegacyEncoding::Vni] }.to_string(),
            "cannot tell which legacy Vietnamese encoding this is: TCVN3 (ABC) or VNI"
        );
        assert!(LegacyError::NotVietnamese.to_string().contains("Windows-1258"));
        assert_eq!(LegacyEncoding::Tcvn3.to_string(), "TCVN3 (ABC)");
        assert_eq!(LegacyEncoding::Vni.to_string(), "VNI");
        assert_eq!(LegacyEncoding::Windows1258.to_string(), "Windows-1258");
        let e: Box<dyn std::error::Error> = Box::new(LegacyError::NotVietnamese);
        assert!(!e.to_string().is_empty());
    }

    // --- detection on Unicode text ---------------------------------------

    #[test]
    fn detects_legacy_fonts_in_unicode() {
        for (uni, tcvn3, vni) in PHRASES {
            assert_eq!(detect_legacy_unicode(tcvn3), Some(LegacyEncoding::Tcvn3), "{tcvn3}");
            assert_eq!(detect_legacy_unicode(vni), Some(LegacyEncoding::Vni), "{vni}");
            let cp1258 = cp1252_text(&encode_legacy(uni, LegacyEncoding::Windows1258).unwrap());
            assert_eq!(detect_legacy_unicode(&cp1258), Some(LegacyEncoding::Windows1258), "{cp1258}");
            assert_eq!(detect_legacy_unicode(uni), None, "{uni}");
        }
        assert_eq!(detect_legacy_unicode("NGHÞ QUYÕT"), Some(LegacyEncoding::Tcvn3));
        assert_eq!(detect_legacy_unicode("NGHÒ QUYEÁT"), Some(LegacyEncoding::Vni));
        // One-word runs made of legacy symbols.
        assert_eq!(detect_legacy_unicode("n¨m"), Some(LegacyEncoding::Tcvn3));
        assert_eq!(detect_legacy_unicode("®¹t"), Some(LegacyEncoding::Tcvn3));
        assert_eq!(detect_legacy_unicode("naêm"), Some(LegacyEncoding::Vni));
    }

    #[test]
    fn leaves_other_text_alone() {
        let samples = [
            "",
            "The quick brown fox jumps over the lazy dog.",
            "The naïve café’s “résumé”, déjà vu, Größe über Straße, où est-il?",
            "Microsoft® Windows© 2024 — 25°C ± 2, ½ cup, §3",
            "España, año, niño, señor, mañana",
            "Tốc độ tăng trưởng kinh tế (GRDP) đạt 6,5%",
            "Sản phẩm Vinamilk® đạt chuẩn, Công ty ABC® là đơn vị hàng đầu",
            "Hà Nội, Đà Nẵng, Thành phố Hồ Chí Minh; vì sao? gì vậy? hòa bình",
            "Xã Ía, xã Ea Tu, huyện Krông Pắc, tỉnh Đắk Lắk",
            "TO\u{302}\u{301}C \u{110}O\u{323}\u{302} to\u{302}\u{301}c",
            "®",
            "µm",
            "x · y",
        ];
        for s in samples {
            assert_eq!(detect_legacy_unicode(s), None, "{s}");
        }
    }

    #[test]
    fn syllable_checker() {
        for w in [
            "nghiêng",
            "quyết",
            "khuya",
            "khuỷu",
            "giữa",
            "gì",
            "rượu",
            "thuở",
            "Đắk",
            "xoong",
            "huỳnh",
            "ĐƯỜNG",
            "yêu",
            "uống",
            "oái",
            "ngoằn",
            "ngoèo",
            "kỹ",
            "quỵ",
            "nghĩa",
        ] {
            assert!(is_vietnamese_syllable(w), "{w}");
        }
        for w in [
            "tèc",
            "ka",
            "ci",
            "ghe\u{301}",
            "ngi",
            "café",
            "naïve",
            "tiéng",
            "ăn\u{301}g",
            "quu",
            "tyên",
            "þ",
            "bẫt",
            "aự",
            "Größe",
            "ñoä",
            "taêng",
            "đ",
        ] {
            assert!(!is_vietnamese_syllable(w), "{w}");
        }
        for (uni, _, _) in PHRASES {
            for w in uni.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_ascii()) {
                assert!(is_vietnamese_syllable(w), "{w}");
            }
        }
        for w in POOL {
            assert!(is_vietnamese_syllable(w), "{w}");
        }
    }

    // --- property tests --------------------------------------------------

    /// Real syllables covering every vowel with every tone.
    const POOL: &[&str] = &[
        "ba",
        "bà",
        "bả",
        "bã",
        "bá",
        "bạ",
        "ăn",
        "nằm",
        "chẳng",
        "chẵn",
        "chắc",
        "mặt",
        "năm",
        "ân",
        "tầng",
        "phẩm",
        "dẫn",
        "cấp",
        "bậc",
        "em",
        "kè",
        "kẻ",
        "sẽ",
        "vé",
        "nhẹ",
        "đê",
        "về",
        "thể",
        "diễn",
        "kế",
        "lệ",
        "đêm",
        "đi",
        "chì",
        "chỉ",
        "nghĩa",
        "chính",
        "thị",
        "in",
        "to",
        "hòa",
        "cỏ",
        "rõ",
        "có",
        "học",
        "ông",
        "đồng",
        "tổng",
        "hỗ",
        "tốc",
        "độ",
        "ô",
        "ơn",
        "vờ",
        "cơ",
        "ở",
        "mỡ",
        "lớn",
        "hợp",
        "thu",
        "tù",
        "của",
        "cũng",
        "cú",
        "dụng",
        "ư",
        "từ",
        "sử",
        "những",
        "mức",
        "thực",
        "người",
        "y",
        "kỳ",
        "tỷ",
        "mỹ",
        "ý",
        "kỵ",
        "quỵ",
        "và",
        "tiêu",
        "đạt",
        "phát",
        "triển",
        "kinh",
        "tế",
        "tăng",
        "trưởng",
        "nghị",
        "quyết",
        "hội",
        "nhân",
        "dân",
        "tỉnh",
        "ngân",
        "sách",
        "nhà",
        "nước",
        "trên",
        "địa",
        "bàn",
        "đường",
        "dây",
        "được",
        "huyện",
        "xã",
        "quốc",
        "khuyến",
        "nguyên",
        "giữa",
        "gì",
        "kiểm",
        "ghi",
        "nghiêm",
        "thuế",
        "quyền",
        "yêu",
        "uống",
        "khuya",
        "rượu",
    ];

    fn title_case(w: &str) -> String {
        let mut cs = w.chars();
        cs.next().map(|f| to_upper(f).to_string() + cs.as_str()).unwrap_or_default()
    }

    const SEPARATORS: &[&str] = &[" ", " ", " ", ", ", ". ", " 12,5% ", " - "];

    fn sentence() -> impl Strategy<Value = String> {
        prop::collection::vec((prop::sample::select(POOL), any::<bool>(), prop::sample::select(SEPARATORS)), 8..40)
            .prop_map(|words| {
                let mut s = String::new();
                for (i, (w, cap, sep)) in words.iter().enumerate() {
                    if i > 0 {
                        s.push_str(sep);
                    }
                    s.push_str(&if *cap { title_case(w) } else { w.to_string() });
                }
                s
            })
    }

    /// Words carrying a tone mark (â, ê, ô alone look the same in
    /// Windows-1258 and Latin-1, so they prove nothing).
    fn toned_words(s: &str) -> usize {
        s.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().any(|c| vowel_parts(c).is_some_and(|(_, t, _)| t != NO_TONE)))
            .count()
    }

    /// The text, or its lower-case form if TCVN3 cannot hold its capitals.
    fn encodable(text: &str, enc: LegacyEncoding) -> (String, Vec<u8>) {
        match encode_legacy(text, enc) {
            Some(b) => (text.to_string(), b),
            None => {
                let lower = text.to_lowercase();
                let b = encode_legacy(&lower, enc).expect("lower case is encodable");
                (lower, b)
            }
        }
    }

    proptest! {
        #[test]
        fn roundtrip_through_bytes(text in sentence()) {
            prop_assume!(toned_words(&text) >= 6);
            for enc in LegacyEncoding::ALL {
                let (text, bytes) = encodable(&text, enc);
                prop_assert_eq!(decode_legacy_bytes_as(&bytes, enc), text.clone());
                prop_assert_eq!(decode_legacy_bytes(&bytes), Ok((enc, text)));
            }
        }

        #[test]
        fn roundtrip_through_legacy_unicode(text in sentence()) {
            prop_assume!(toned_words(&text) >= 6);
            prop_assert_eq!(detect_legacy_unicode(&text), None);
            for enc in LegacyEncoding::ALL {
                let (text, bytes) = encodable(&text, enc);
                let legacy = cp1252_text(&bytes);
                prop_assert_eq!(detect_legacy_unicode(&legacy), Some(enc));
                prop_assert_eq!(convert_legacy_unicode(&legacy, enc), text);
            }
        }

        #[test]
        fn never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300), s in ".{0,80}") {
            let _ = decode_legacy_bytes(&bytes);
            for enc in LegacyEncoding::ALL {
                let _ = decode_legacy_bytes_as(&bytes, enc);
                let _ = convert_legacy_unicode(&s, enc);
                let _ = encode_legacy(&s, enc);
            }
            let _ = detect_legacy_unicode(&s);
        }
    }

    #[test]
    fn large_input_is_scored_on_a_sample_and_decoded_whole() {
        let text = long_text();
        let big = vec![text.as_str(); 800].join("\r\n");
        assert!(big.len() > 2 * SAMPLE_BYTES);
        for enc in LegacyEncoding::ALL {
            let bytes = encode_legacy(&big, enc).unwrap();
            assert_eq!(decode_legacy_bytes(&bytes), Ok((enc, big.clone())), "{enc}");
            assert_eq!(detect_legacy_unicode(&cp1252_text(&bytes)), Some(enc), "{enc}");
        }
    }

    #[test]
    fn abbreviations_are_neutral() {
        let mut stats = VnStats::default();
        for w in ["HĐND", "UBND", "ĐBQH", "Hđnd"] {
            stats.add_word(w);
        }
        assert_eq!(stats, VnStats { invalid: 1, ..VnStats::default() });
        let tcvn3 = "NghÞ quyÕt sè 15/2023/NQ-H§ND cña H§ND tØnh";
        assert_eq!(detect_legacy_unicode(tcvn3), Some(LegacyEncoding::Tcvn3));
        assert_eq!(convert_legacy_unicode(tcvn3, LegacyEncoding::Tcvn3), "Nghị quyết số 15/2023/NQ-HĐND của HĐND tỉnh");
    }
}
