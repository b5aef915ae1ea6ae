//! Splitting text at punctuation that is not inside brackets or numbers.

/// Byte ranges of `text[start..end]` split at any of `seps`, skipping
/// separators inside parentheses and commas between digits (decimal commas).
pub fn split_top(text: &str, start: usize, end: usize, seps: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut piece = start;
    let bytes = text.as_bytes();
    for (i, c) in text[start..end].char_indices() {
        let at = start + i;
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            c if depth == 0 && seps.contains(&c) => {
                let digit_before = at > 0 && bytes[at - 1].is_ascii_digit();
                let digit_after = bytes.get(at + 1).is_some_and(u8::is_ascii_digit);
                if (c == ',' || c == '.') && digit_before && digit_after {
                    continue;
                }
                if c == '.' && !sentence_end(text, at) {
                    continue;
                }
                out.push((piece, at));
                piece = at + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push((piece, end));
    out.into_iter().map(|(s, e)| trim(text, s, e)).filter(|(s, e)| s < e).collect()
}

/// A full stop ends a sentence when a space and a capital (or the end) follow.
fn sentence_end(text: &str, at: usize) -> bool {
    let rest = &text[at + 1..];
    let mut chars = rest.chars();
    match chars.next() {
        None => true,
        Some(c) if c.is_whitespace() => {
            let next = rest.trim_start().chars().next();
            next.is_none_or(|n| n.is_uppercase() || n.is_ascii_digit() || n == '-' || n == '(')
        }
        _ => false,
    }
}

/// Shrinks a byte range past whitespace and stray punctuation at both ends.
pub fn trim(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    let junk = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '.' | '…');
    while s < e {
        let c = text[s..e].chars().next().unwrap();
        if junk(c) {
            s += c.len_utf8();
        } else {
            break;
        }
    }
    while e > s {
        let c = text[s..e].chars().next_back().unwrap();
        if junk(c) {
            e -= c.len_utf8();
        } else {
            break;
        }
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_decimal_commas_and_brackets() {
        let t = "Khu vực I: 33,10%; Khu vực II (gồm a; b): 21,64%, thuế 3,30%.";
        let parts: Vec<&str> = split_top(t, 0, t.len(), &[';']).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(parts, ["Khu vực I: 33,10%", "Khu vực II (gồm a; b): 21,64%, thuế 3,30%"]);
        let parts: Vec<&str> = split_top(t, 0, t.len(), &[',']).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(parts.len(), 2);
    }

    #[test]
    fn full_stops_end_sentences_only_before_capitals() {
        let t = "Hoàn thành cầu A. Khởi công đường (ĐT.DK.07) và TP. mới";
        let parts: Vec<&str> = split_top(t, 0, t.len(), &['.']).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(parts, ["Hoàn thành cầu A", "Khởi công đường (ĐT.DK.07) và TP. mới"]);
    }
}
