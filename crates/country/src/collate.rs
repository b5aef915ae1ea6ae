//! Vietnamese alphabetical order (CLDR's Vietnamese collation: a ă â b c d
//! đ e ê …, tones after letters), for lists people scan by name; and the
//! folding a search by name uses.

use std::cmp::Ordering;
use std::sync::LazyLock;

static COLLATOR: LazyLock<icu_collator::CollatorBorrowed<'static>> = LazyLock::new(|| {
    let locale: icu_locale_core::Locale = "vi".parse().expect("vi is a locale");
    icu_collator::Collator::try_new((&locale).into(), Default::default()).expect("Vietnamese collation is compiled in")
});

/// Two names in Vietnamese order.
pub fn compare_vi(a: &str, b: &str) -> Ordering {
    COLLATOR.compare(a, b)
}

/// Sorts items by a name, in Vietnamese order.
pub fn sort_vi<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| compare_vi(name(a), name(b)));
}

/// A name as a search matches it: lower case, without tone or vowel marks,
/// đ as d ("Giồng Trôm" and "giong trom" fold the same).
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn folding_drops_marks_and_case() {
        assert_eq!(super::fold("Xã  Giồng Trôm"), "xa giong trom");
        assert_eq!(super::fold("ĐẮK LẮK"), "dak lak");
    }

    #[test]
    fn d_with_stroke_comes_after_d_and_breve_after_a() {
        let mut names = vec!["Đồng Tháp", "Giang", "Dương", "Ăn", "Bình", "An", "Âu", "Dz"];
        super::sort_vi(&mut names, |s| s);
        assert_eq!(names, ["An", "Ăn", "Âu", "Bình", "Dương", "Dz", "Đồng Tháp", "Giang"]);
    }
}
