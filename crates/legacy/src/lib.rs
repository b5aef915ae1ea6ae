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

mod scoring;
use scoring::*;

#[cfg(test)]
mod tests;
