//! Scoring: how Vietnamese does a text read? (See the crate's documentation.)

use super::*;

pub(crate) const ONSETS: &[&str] = &[
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k", "l", "m",
    "n", "p", "r", "s", "t", "v", "x", "",
];

/// Every Vietnamese rime (medial + nucleus + coda), without tone.
pub(crate) const RIMES: &[&str] = &[
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
pub(crate) const COMMON_WORDS: &[&str] = &[
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

pub(crate) fn rimes() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| RIMES.iter().copied().collect())
}

pub(crate) fn common_words() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON_WORDS.iter().copied().collect())
}

/// Whether an NFC word is a well-formed Vietnamese syllable, in lower
/// case, upper case or title case.
pub(crate) fn is_vietnamese_syllable(word: &str) -> bool {
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

pub(crate) fn rime_fits(onset: &str, rime: &str, tone: usize) -> bool {
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
pub(crate) struct VnStats {
    /// Words with a non-ASCII letter that are Vietnamese syllables.
    pub(crate) valid: usize,
    /// Words with a non-ASCII letter that are not.
    pub(crate) invalid: usize,
    /// Valid words that are in [`COMMON_WORDS`].
    pub(crate) common: usize,
    /// Symbols a correct decoding does not leave behind (`® ¨ ¸ ·`, C1
    /// controls, U+FFFD, ...).
    pub(crate) junk: usize,
}

impl VnStats {
    pub(crate) fn of(text: &str) -> Self {
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

    pub(crate) fn add_word(&mut self, word: &str) {
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

    pub(crate) fn bad(&self) -> usize {
        self.invalid + self.junk
    }

    pub(crate) fn score(&self) -> i64 {
        let v = |n: usize| i64::try_from(n).unwrap_or(i64::MAX / 8);
        2 * v(self.valid) + v(self.common) - 2 * v(self.invalid) - v(self.junk)
    }

    /// Enough valid syllables and few enough bad words, or one very common
    /// word and nothing bad.
    pub(crate) fn looks_vietnamese(&self) -> bool {
        (self.valid >= 2 && self.valid * 10 >= (self.valid + self.bad()) * 7)
            || (self.valid >= 1 && self.common >= 1 && self.bad() == 0)
    }

    /// `self` (after converting) is clearly better Vietnamese than `before`:
    /// reads as Vietnamese, scores at least 4 more, and has two more valid
    /// syllables (or one more and fewer bad words), or is a one-word run.
    pub(crate) fn confident_improvement_over(&self, before: &Self) -> bool {
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

pub(crate) fn is_junk(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' | '\u{c}' | '\u{a0}' | '°' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{a1}'..='\u{bf}' => true,
        '×' | '÷' | '\u{fffd}' => true,
        _ => false,
    }
}

/// The runner-up is within 10% (at least 2 points) of the best score.
pub(crate) fn too_close(best: i64, second: i64) -> bool {
    second + (best / 10).max(2) > best
}
