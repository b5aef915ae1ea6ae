//! The Vietnamese alphabet that resolutions letter their items with.
//!
//! Items run `a b c d đ e g h i k l m n o p q r s t u v x y`: no f, j, w, z,
//! and `đ` sits between `d` and `e`.

/// The letters used to mark items, in order.
pub const ITEM_LETTERS: [&str; 23] =
    ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"];

/// Position of an item letter (`"đ"` → 4), case-insensitive.
pub fn letter_index(letter: &str) -> Option<usize> {
    let lower = letter.to_lowercase();
    ITEM_LETTERS.iter().position(|l| *l == lower)
}

/// The letter that follows `letter` in an item list.
pub fn next_letter(letter: &str) -> Option<&'static str> {
    letter_index(letter).and_then(|i| ITEM_LETTERS.get(i + 1).copied())
}

/// Orders item codes the way a reader expects: letters in Vietnamese order,
/// numbers numerically, anything else after them by text.
pub fn compare_codes(a: &str, b: &str) -> std::cmp::Ordering {
    fn rank(code: &str) -> (u8, u64, String) {
        if let Some(i) = letter_index(code) {
            return (0, i as u64, String::new());
        }
        if let Ok(n) = code.parse::<u64>() {
            return (1, n, String::new());
        }
        (2, 0, code.to_string())
    }
    rank(a).cmp(&rank(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d_stroke_follows_d() {
        assert_eq!(next_letter("d"), Some("đ"));
        assert_eq!(next_letter("đ"), Some("e"));
        assert_eq!(next_letter("e"), Some("g"));
        assert_eq!(next_letter("y"), None);
        assert_eq!(letter_index("Đ"), Some(4));
        assert_eq!(letter_index("f"), None);
    }

    #[test]
    fn codes_sort_in_reading_order() {
        let mut codes = vec!["e", "đ", "10", "d", "2", "a"];
        codes.sort_by(|a, b| compare_codes(a, b));
        assert_eq!(codes, ["a", "d", "đ", "e", "2", "10"]);
    }
}
