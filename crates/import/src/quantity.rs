//! Finds the figures in a piece of text: numbers, ranges and their units,
//! and the dates that are not figures.

use chrono::NaiveDate;
use kehoach_domain::number::parse_decimal;
use regex::Regex;
use rust_decimal::Decimal;
use std::sync::LazyLock;

use crate::lexicon::{ATTRIBUTE_NOUNS, COUNTED_NOUNS, STOP_WORDS, UNITS, at_word_end, longest_prefix, match_words};
use crate::text::fold;

/// A figure found in text: a number or a range, with its unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Byte range covering `từ`, the numbers and the unit.
    pub start: usize,
    pub end: usize,
    pub value: Option<Decimal>,
    pub low: Option<Decimal>,
    pub high: Option<Decimal>,
    pub unit: Option<String>,
    /// The unit is a counted noun read from the words after the number.
    pub counted: bool,
}

impl Quantity {
    pub fn is_range(&self) -> bool {
        self.low.is_some()
    }
}

/// A date written in the text, with the byte range it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    pub start: usize,
    pub end: usize,
    pub date: NaiveDate,
}

static DATE_FULL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})|(?:ngày\s+)?\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b",
    )
    .unwrap()
});
static DATE_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)tháng\s+(\d{1,2})\s*(?:/|năm|-)\s*(\d{4})\b").unwrap());
static DATE_QUARTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)quý\s+(IV|I{1,3}|[1-4])\s*(?:/|năm|-)\s*(\d{4})\b").unwrap());
static DATE_YEAR_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:hết|cuối)\s+năm\s+(\d{4})\b").unwrap());
/// Numbers that are labels, not figures: years, year ranges, document
/// numbers, ordinals.
static NOT_FIGURES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2}\b",
        r"|\b(?:năm|giai đoạn|nhiệm kỳ|thời kỳ|khóa|lần thứ|lần|thứ|số|Nghị định|Nghị quyết|Thông tư|Quyết định|Chỉ thị|Luật|Kết luận)\s+[\dIVXLC][\p{L}\d./-]*",
        r"|\b\d+[/-]\d*[\p{L}][\p{L}\d./-]*",
        r"|\b\d+/\d+(?:/\d+)?\b",
        r"|\b(?:tỷ lệ)\s+\d+/\d+",
    ))
    .unwrap()
});
static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+(?:[.,]\d+)*").unwrap());
static RANGE_SEP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:-|–|—|đến|tới)\s*").unwrap());

/// Dates mentioned in the text, in order.
pub fn dates(text: &str) -> Vec<DateMention> {
    let mut out = Vec::new();
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    for c in DATE_FULL.captures_iter(text) {
        let m = c.get(0).unwrap();
        let nums: Vec<u32> = (1..=6).filter_map(|i| c.get(i)).filter_map(|g| g.as_str().parse().ok()).collect();
        if let [d, mo, y] = nums[..]
            && let Some(date) = NaiveDate::from_ymd_opt(y as i32, mo, d)
        {
            out.push(DateMention { start: m.start(), end: m.end(), date });
        }
    }
    let covered = |s: usize, out: &[DateMention]| out.iter().any(|d| d.start <= s && s < d.end);
    for c in DATE_MONTH.captures_iter(text) {
        let m = c.get(0).unwrap();
        if covered(m.start(), &out) {
            continue;
        }
        let (Ok(mo), Ok(y)) = (c[1].parse::<u32>(), c[2].parse::<i32>()) else {
            continue;
        };
        if let Some(date) = end_of_month(y, mo) {
            out.push(DateMention { start: m.start(), end: m.end(), date });
        }
    }
    for c in DATE_QUARTER.captures_iter(text) {
        let m = c.get(0).unwrap();
        let q = match c[1].to_uppercase().as_str() {
            "I" | "1" => 1,
            "II" | "2" => 2,
            "III" | "3" => 3,
            _ => 4,
        };
        let Ok(y) = c[2].parse::<i32>() else { continue };
        if let Some(date) = end_of_month(y, q * 3) {
            out.push(DateMention { start: m.start(), end: m.end(), date });
        }
    }
    for c in DATE_YEAR_END.captures_iter(text) {
        let m = c.get(0).unwrap();
        if let Ok(y) = c[1].parse::<i32>()
            && let Some(date) = NaiveDate::from_ymd_opt(y, 12, 31)
        {
            out.push(DateMention { start: m.start(), end: m.end(), date });
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

/// Dates that set a deadline ("đến ngày …", "trước 30/6/2026", "trong quý
/// II/2026"), not those that date a document ("Nghị quyết số 45 ngày …").
pub fn deadlines(text: &str) -> Vec<DateMention> {
    dates(text)
        .into_iter()
        .filter(|d| {
            let before = fold(&text[..d.start]);
            let words: Vec<&str> = before.split_whitespace().rev().take(3).collect();
            let own = fold(&text[d.start..d.end]);
            words.iter().any(|w| ["truoc", "den", "nhat", "trong", "xong", "tu"].contains(w))
                || own.starts_with("het")
                || own.starts_with("cuoi")
                || own.starts_with("quy")
        })
        .collect()
}

fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt().filter(|_| (1..=12).contains(&month))
}

/// The figures of a piece of text, in order. Dates, years, document numbers
/// and ordinals are left out; a number needs a unit, or a comparator word or
/// colon just before it, to count as a figure.
pub fn scan(text: &str) -> Vec<Quantity> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let mut masked: Vec<(usize, usize)> = dates(text).iter().map(|d| (d.start, d.end)).collect();
    masked.extend(NOT_FIGURES.find_iter(text).map(|m| (m.start(), m.end())));
    let is_masked = |s: usize| masked.iter().any(|&(a, b)| a <= s && s < b);

    let mut out: Vec<Quantity> = Vec::new();
    let mut pos = 0;
    while let Some(m) = NUMBER.find_at(text, pos) {
        pos = m.end();
        let start = m.start();
        if is_masked(start) || out.last().is_some_and(|q| start < q.end) {
            continue;
        }
        let before = &text[..start];
        if before.chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',' || c == '/') {
            continue;
        }
        let Ok(first) = parse_decimal(m.as_str()) else {
            continue;
        };
        let after_number = &text[m.end()..];
        if after_number.starts_with([' ', '\n']) && longest_prefix(after_number.trim_start(), ATTRIBUTE_NOUNS).is_some()
        {
            // "trẻ em dưới 1 tuổi", "kỷ niệm 65 năm": part of a name.
            continue;
        }
        let (unit1, counted1, after1) = read_unit(text, m.end());
        // A range: 6,0% - 6,5%, 0,5 - 1%, từ 40 đến 50 tỷ đồng.
        let mut quantity = None;
        if let Some(sep) = RANGE_SEP.find(&text[after1..]) {
            let second_start = after1 + sep.end();
            if let Some(m2) = NUMBER.find_at(text, second_start).filter(|m2| m2.start() == second_start)
                && !is_masked(second_start)
                && let Ok(second) = parse_decimal(m2.as_str())
            {
                let (unit2, counted2, after2) = read_unit(text, m2.end());
                let same_unit = unit1.is_none() || unit2.is_none() || unit1 == unit2;
                if same_unit && (unit1.is_some() || unit2.is_some()) && first <= second {
                    let range_start = from_word_start(text, start).unwrap_or(start);
                    quantity = Some(Quantity {
                        start: range_start,
                        end: after2,
                        value: None,
                        low: Some(first),
                        high: Some(second),
                        counted: counted2 || counted1,
                        unit: unit2.or(unit1.clone()),
                    });
                }
            }
        }
        let quantity = match quantity {
            Some(q) => q,
            None => {
                if unit1.is_none() && !introduced(before) {
                    continue;
                }
                if looks_like_year(first, m.as_str()) && unit1.is_none() {
                    continue;
                }
                Quantity {
                    start,
                    end: after1,
                    value: Some(first),
                    low: None,
                    high: None,
                    unit: unit1,
                    counted: counted1,
                }
            }
        };
        if preceded_by_ca(before) {
            // "cả 03 tiêu chí": all three criteria, not a figure to reach.
            pos = quantity.end;
            continue;
        }
        pos = quantity.end;
        out.push(quantity);
    }
    out
}

fn looks_like_year(value: Decimal, raw: &str) -> bool {
    raw.len() == 4 && value >= Decimal::from(1900) && value <= Decimal::from(2100)
}

/// `từ` just before a number opens a range.
fn from_word_start(text: &str, start: usize) -> Option<usize> {
    let before = text[..start].trim_end();
    let f = fold(before);
    if f.ends_with(" tu") || f == "tu" { Some(before.len() - "từ".len()) } else { None }
}

fn preceded_by_ca(before: &str) -> bool {
    let f = fold(before.trim_end());
    f.ends_with(" ca") || f == "ca"
}

/// A bare number counts as a figure after a comparator word or a colon.
fn introduced(before: &str) -> bool {
    let trimmed = before.trim_end();
    if trimmed.ends_with(':') {
        return true;
    }
    let f = fold(trimmed);
    let last = f.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    matches!(
        last,
        "dat" | "la" | "khoang" | "tren" | "duoi" | "nhat" | "thieu" | "da" | "qua" | "con" | "tang" | "giam" | "bang"
    )
}

/// Reads the unit after a number: a known unit, or a counted noun. Returns the
/// canonical unit, whether it is a counted noun, and where it ends.
fn read_unit(text: &str, at: usize) -> (Option<String>, bool, usize) {
    let rest = &text[at..];
    let trimmed = rest.trim_start_matches([' ', '\t', '\n']);
    let skip = rest.len() - trimmed.len();
    if skip > 2 {
        return (None, false, at);
    }
    // "triệu"/"nghìn" before a counted noun scale the number; keep them in
    // the unit so the figure reads as written ("10 triệu cây").
    let known = UNITS
        .iter()
        .filter_map(|(w, canon)| {
            let n = match_words(trimmed, w)?;
            (w.ends_with('%') || w.ends_with('‰') || at_word_end(trimmed, n)).then_some((*w, *canon, n))
        })
        .max_by_key(|(w, _, _)| w.len());
    // A counted noun does not run into a proper name: "500 giường Bệnh viện
    // Đa khoa" counts giường, not "giường bệnh".
    let counted = COUNTED_NOUNS
        .iter()
        .filter_map(|&noun| {
            let n = match_words(trimmed, noun).filter(|&n| at_word_end(trimmed, n))?;
            let later_capital =
                trimmed[..n].split_whitespace().skip(1).any(|w| w.chars().next().is_some_and(char::is_uppercase));
            (!later_capital).then_some((noun, n))
        })
        .max_by_key(|(noun, _)| noun.len());
    match (known, counted) {
        (Some((w, _, _)), Some((noun, n))) if noun.len() > w.len() => (Some(noun.to_string()), true, at + skip + n),
        (Some((_, canon, n)), _) => (Some(canon.to_string()), false, at + skip + n),
        (None, Some((noun, n))) => (Some(noun.to_string()), true, at + skip + n),
        (None, None) => (None, false, at),
    }
}

/// A guess at a counted noun the lexicon doesn't know: the one or two words
/// after the number, up to a stop word. The caller flags it for review.
pub fn guess_counted_noun(text: &str, at: usize) -> Option<(String, usize)> {
    let rest = &text[at..];
    let trimmed = rest.trim_start();
    let skip = rest.len() - trimmed.len();
    if skip == 0 || skip > 2 {
        return None;
    }
    let mut end = 0;
    let mut words = Vec::new();
    for word in trimmed.split(' ').take(2) {
        let clean: String = word.chars().take_while(|c| c.is_alphabetic()).collect();
        if clean.is_empty()
            || clean.chars().next().is_some_and(char::is_uppercase)
            || STOP_WORDS.contains(&clean.to_lowercase().as_str())
        {
            break;
        }
        end += if words.is_empty() { 0 } else { 1 } + clean.len();
        let complete = clean.len() == word.len();
        words.push(clean);
        if !complete {
            break;
        }
    }
    if words.is_empty() {
        return None;
    }
    Some((words.join(" ").to_lowercase(), at + skip + end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn reads_values_ranges_and_units() {
        let q = scan("Tốc độ tăng trưởng kinh tế (GRDP) năm là 6,0% - 6,5%; trong đó");
        assert_eq!(q.len(), 1);
        assert_eq!((q[0].low, q[0].high, q[0].unit.as_deref()), (d("6.0"), d("6.5"), Some("%")));

        let q = scan("Kim ngạch xuất khẩu đạt 1.850 triệu USD");
        assert_eq!((q[0].value, q[0].unit.as_deref()), (d("1850"), Some("triệu USD")));

        let q = scan("giảm 0,5 - 1%");
        assert_eq!((q[0].low, q[0].high, q[0].unit.as_deref()), (d("0.5"), d("1"), Some("%")));

        let q = scan("GRDP bình quân đầu người đạt 62,0 triệu đồng/người");
        assert_eq!(q[0].unit.as_deref(), Some("triệu đồng/người"));

        let q = scan("01 Liên hiệp hợp tác xã nông nghiệp");
        assert_eq!((q[0].value, q[0].unit.as_deref(), q[0].counted), (d("1"), Some("liên hiệp hợp tác xã"), true));

        let q = scan("từ 40 đến 50 tỷ đồng");
        assert_eq!((q[0].start, q[0].low, q[0].high), (0, d("40"), d("50")));
    }

    #[test]
    fn leaves_out_what_is_not_a_figure() {
        for text in [
            "Nghị quyết số 45/NQ-HĐND ngày 08 tháng 12 năm 2022",
            "giai đoạn 2021 - 2025",
            "Đến ngày 31 tháng 12 năm 2025",
            "đường (ĐT.DK.07)",
            "cầu Rạch Miễu 2",
            "kéo giảm tai nạn giao thông cả 03 tiêu chí",
            "Nhà máy điện gió số 19 Bến Tre",
            "Khu công nghiệp An Nhơn (tỷ lệ 1/2000)",
            "Luật Đất đai số 31/2024/QH15",
            "Tết cổ truyền Ất Tỵ 2025",
        ] {
            assert!(scan(text).is_empty(), "{text}: {:?}", scan(text));
        }
        let q = scan("Nhà máy điện gió số 19 Bến Tre (50 MW)");
        assert_eq!((q.len(), q[0].value, q[0].unit.as_deref()), (1, d("50"), Some("MW")));
    }

    #[test]
    fn reads_dates() {
        let ds = dates("Đến ngày 31 tháng 12 năm 2025 hoàn thành; trước 30/6/2026; trong quý II/2026");
        let got: Vec<String> = ds.iter().map(|d| d.date.to_string()).collect();
        assert_eq!(got, ["2025-12-31", "2026-06-30", "2026-06-30"]);
    }

    mod properties {
        use super::super::*;
        use kehoach_domain::number::format_vi;
        use proptest::prelude::*;

        fn decimal() -> impl Strategy<Value = Decimal> {
            (0i64..100_000_000, 0u32..3).prop_map(|(units, scale)| Decimal::new(units, scale))
        }

        fn unit() -> impl Strategy<Value = (&'static str, &'static str)> {
            prop::sample::select(vec![
                ("%", "%"),
                ("tỷ đồng", "tỷ đồng"),
                ("triệu USD", "triệu USD"),
                ("triệu đồng/người", "triệu đồng/người"),
                ("giường bệnh/vạn dân", "giường bệnh/vạn dân"),
                ("hợp tác xã", "hợp tác xã"),
                ("ha", "ha"),
                ("MW", "MW"),
                ("km", "km"),
            ])
        }

        fn spaced(unit: &str) -> String {
            if unit == "%" { unit.to_string() } else { format!(" {unit}") }
        }

        proptest! {
            #[test]
            fn a_figure_reads_back(v in decimal(), (written, canonical) in unit()) {
                let text = format!("Chỉ tiêu X đạt {}{}; chỉ tiêu khác", format_vi(v), spaced(written));
                let q = scan(&text);
                prop_assert_eq!(q.len(), 1, "{}", text);
                prop_assert_eq!(q[0].value, Some(v));
                prop_assert_eq!(q[0].unit.as_deref(), Some(canonical));
            }

            #[test]
            fn a_range_reads_back(a in decimal(), b in decimal(), (written, canonical) in unit(), words in any::<bool>()) {
                let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                let text = if words {
                    format!("đạt từ {} đến {}{}", format_vi(lo), format_vi(hi), spaced(written))
                } else {
                    format!("đạt {}{} - {}{}", format_vi(lo), spaced(written), format_vi(hi), spaced(written))
                };
                let q = scan(&text);
                prop_assert_eq!(q.len(), 1, "{}", text);
                prop_assert_eq!((q[0].low, q[0].high), (Some(lo), Some(hi)), "{}", text);
                prop_assert_eq!(q[0].unit.as_deref(), Some(canonical));
            }

            #[test]
            fn years_and_dates_are_never_figures(y in 1990i32..2060, m in 1u32..13, d in 1u32..29) {
                for text in [
                    format!("giai đoạn {y} - {}", y + 5),
                    format!("ngày {d:02} tháng {m:02} năm {y}"),
                    format!("trước ngày {d}/{m}/{y}"),
                    format!("Nghị quyết số {d}/NQ-HĐND năm {y}"),
                ] {
                    prop_assert!(scan(&text).is_empty(), "{}: {:?}", text, scan(&text));
                }
            }

            #[test]
            fn never_panics(text in "\\PC{0,200}") {
                let _ = scan(&text);
                let _ = dates(&text);
                let _ = deadlines(&text);
            }
        }
    }
}
