//! The input text after normalisation, and how to point back into it.

use unicode_normalization::UnicodeNormalization;

/// Normalised input: NFC, `\n` line ends, ordinary spaces, no zero-width
/// characters. Spans are computed over this text.
#[derive(Debug, Clone)]
pub struct Source {
    pub text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// Characters before the start of each line.
    line_chars: Vec<usize>,
}

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
        let mut line_chars = vec![0];
        let mut chars = 0;
        for (i, c) in text.char_indices() {
            chars += 1;
            if c == '\n' {
                line_starts.push(i + 1);
                line_chars.push(chars);
            }
        }
        Self { text, line_starts, line_chars }
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
        let line = self.line_of(byte) as usize - 1;
        let start = self.line_starts[line];
        self.line_chars[line] + self.text[start..byte].chars().count()
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

    #[test]
    fn folds_diacritics_and_case() {
        assert_eq!(fold("Đạt CHỈ TIÊU"), "dat chi tieu");
        assert_eq!(fold("Tỷ lệ hộ\n  nghèo"), "ty le ho ngheo");
    }
}
