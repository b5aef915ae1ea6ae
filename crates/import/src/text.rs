//! The input text after normalisation, and how to point back into it.

use unicode_normalization::UnicodeNormalization;

/// Normalised input: NFC, `\n` line ends, ordinary spaces, no zero-width
/// characters. Spans are computed over this text.
#[derive(Debug, Clone)]
pub struct Source {
    pub text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// Byte offset of every [`MARK`]th character, so that turning a byte
    /// offset into a character offset (or back) costs at most `MARK` steps
    /// whatever the length of the line: counting from the line's start made
    /// a document of one long line quadratic.
    char_marks: Vec<usize>,
}

/// Characters between two entries of `Source::char_marks`.
const MARK: usize = 64;

/// Brings text from any of the ways it arrives (NFD from PDFs, CRLF from
/// Windows, non-breaking spaces from web pages) to one form.
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.nfc().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{ad}' => {}
            '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{2009}' | '\u{2002}' | '\u{2003}' | '\u{3000}' => out.push(' '),
            '\u{2028}' | '\u{2029}' | '\u{0b}' | '\u{0c}' | '\u{85}' => out.push('\n'),
            '\t' => out.push('\t'),
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

impl Source {
    pub fn new(raw: &str) -> Self {
        let text = normalize(raw);
        let mut line_starts = vec![0];
        let mut char_marks = Vec::with_capacity(text.len() / MARK + 1);
        for (n, (i, c)) in text.char_indices().enumerate() {
            if n % MARK == 0 {
                char_marks.push(i);
            }
            if c == '\n' {
                line_starts.push(i + 1);
            }
        }
        Self { text, line_starts, char_marks }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, byte: usize) -> u32 {
        match self.line_starts.binary_search(&byte) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// Character offset of a byte offset.
    pub fn char_of(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        let mark = self.char_marks.partition_point(|&b| b <= byte).saturating_sub(1);
        let start = self.char_marks.get(mark).copied().unwrap_or(0);
        mark * MARK + self.text[start..byte].chars().count()
    }

    /// Byte offset of a character offset (the end of the text past it).
    pub fn byte_of(&self, char: usize) -> usize {
        let Some(&start) = self.char_marks.get(char / MARK) else {
            return self.text.len();
        };
        self.text[start..].char_indices().nth(char % MARK).map_or(self.text.len(), |(i, _)| start + i)
    }

    /// The span of a byte range, with its words as the quote.
    pub fn span(&self, start: usize, end: usize) -> kehoach_domain::Span {
        let end = end.max(start).min(self.text.len());
        kehoach_domain::Span {
            line: self.line_of(start),
            end_line: self.line_of(end.saturating_sub(1).max(start)),
            start: self.char_of(start) as u32,
            end: self.char_of(end) as u32,
            quote: collapse(&self.text[start..end]),
        }
    }

    /// Byte ranges of the lines, without their `\n`.
    pub fn lines(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.line_starts.iter().enumerate().map(|(i, &s)| {
            let e = self.line_starts.get(i + 1).map_or(self.text.len(), |&n| n - 1);
            (s, e)
        })
    }
}

/// Collapses runs of whitespace (line breaks included) into one space.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Lower case without tone marks, `đ` as `d`, and any run of whitespace as one
/// space: for matching words whatever the diacritics, case and line breaks,
/// never for output.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd() {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        match c {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_ways_text_arrives() {
        let nfd = "To\u{302}\u{301}c đo\u{323}\u{302}\r\ntăng\u{a0}trưởng\r";
        let s = Source::new(nfd);
        assert_eq!(s.text, "Tốc độ\ntăng trưởng\n");
        assert_eq!(s.line_of(0), 1);
        assert_eq!(s.line_of(s.text.find("tăng").unwrap()), 2);
        assert_eq!(s.char_of(s.text.find("tăng").unwrap()), 7);
    }

    #[test]
    fn spans_quote_collapsed_words() {
        let s = Source::new("a) Kim ngạch\nxuất khẩu đạt 1.850 triệu USD;");
        let start = s.text.find("Kim").unwrap();
        let end = s.text.find(';').unwrap();
        let span = s.span(start, end);
        assert_eq!((span.line, span.end_line, span.start), (1, 2, 3));
        assert_eq!(span.quote, "Kim ngạch xuất khẩu đạt 1.850 triệu USD");
        assert_eq!(span.end as usize, s.text[..end].chars().count());
    }

    proptest::proptest! {
        /// The marks give the same offsets as counting from the start.
        #[test]
        fn char_and_byte_offsets_agree_with_counting(text in "[a-zăđơ\u{1ec7}\n ]{0,300}", at in 0usize..400) {
            let s = Source::new(&text);
            let chars: Vec<usize> = s.text.char_indices().map(|(i, _)| i).collect();
            let char = at.min(chars.len());
            let byte = chars.get(char).copied().unwrap_or(s.text.len());
            proptest::prop_assert_eq!(s.char_of(byte), char);
            proptest::prop_assert_eq!(s.byte_of(char), byte);
            proptest::prop_assert_eq!(s.byte_of(at + 1000), s.text.len());
        }
    }

    #[test]
    fn folds_diacritics_and_case() {
        assert_eq!(fold("Đạt CHỈ TIÊU"), "dat chi tieu");
        assert_eq!(fold("Tỷ lệ hộ\n  nghèo"), "ty le ho ngheo");
    }
}
