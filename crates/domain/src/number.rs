//! Numbers as Vietnamese write them: `1.850` is one thousand eight hundred and
//! fifty, `6.388,3` has a decimal comma, `05` is five.
//!
//! Everything is a [`Decimal`]: money and rates are never floats here.

use rust_decimal::Decimal;
use std::str::FromStr;

/// Why a piece of text is not a number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("no number given")]
    Empty,
    #[error("“{0}” is not a number (write 1.850,5 or 1850.5)")]
    Invalid(String),
    #[error("“{0}” is too large or has too many decimals")]
    OutOfRange(String),
}

/// Parses a number in Vietnamese notation (`1.850,5`, `6,0`, `05`, `19.960`)
/// or plain notation (`1850.5`). A dot followed by exactly three digits is a
/// thousands separator, as in every Vietnamese document; `1,850.5` with both
/// marks in English order is accepted too. Signs `+`, `-` and `−` are allowed.
pub fn parse_decimal(text: &str) -> Result<Decimal, NumberError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(NumberError::Empty);
    }
    let invalid = || NumberError::Invalid(trimmed.to_string());
    let (negative, body) = match trimmed.chars().next() {
        Some('-' | '−') => {
            (true, trimmed[trimmed.char_indices().nth(1).map_or(trimmed.len(), |(i, _)| i)..].trim_start())
        }
        Some('+') => (false, trimmed[1..].trim_start()),
        _ => (false, trimmed),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(invalid());
    }
    if !body.starts_with(|c: char| c.is_ascii_digit()) || !body.ends_with(|c: char| c.is_ascii_digit()) {
        return Err(invalid());
    }
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    let canonical = match (dots, commas) {
        (0, 0) => body.to_string(),
        // 6,0 — decimal comma
        (0, 1) => body.replace(',', "."),
        // 1.850 or 1.850.000 — thousands; 1850.5 or 1.85 — decimal dot
        (_, 0) => {
            if grouped_thousands(body, '.') {
                body.replace('.', "")
            } else if dots == 1 {
                body.to_string()
            } else {
                return Err(invalid());
            }
        }
        (_, 1) => {
            let comma = body.find(',').unwrap_or(0);
            let dot = body.rfind('.').unwrap_or(0);
            if dot < comma && grouped_thousands(&body[..comma], '.') {
                // 6.388,3
                format!("{}.{}", body[..comma].replace('.', ""), &body[comma + 1..])
            } else if comma < dot && dots == 1 && grouped_thousands(&body[..dot], ',') {
                // 1,850.5
                body.replace(',', "")
            } else {
                return Err(invalid());
            }
        }
        // 1,850,000 or 1,850,000.5 in English order
        (0 | 1, _) => {
            let int_end = body.find('.').unwrap_or(body.len());
            if grouped_thousands(&body[..int_end], ',') {
                body.replace(',', "")
            } else {
                return Err(invalid());
            }
        }
        _ => return Err(invalid()),
    };
    let value = Decimal::from_str(&canonical).map_err(|_| NumberError::OutOfRange(trimmed.to_string()))?;
    // A decimal keeps 28 digits; past that `from_str` rounds, and a figure
    // is never rounded on the way in.
    let typed_decimals = canonical.split_once('.').map_or(0, |(_, f)| f.len());
    if value.scale() as usize != typed_decimals {
        return Err(NumberError::OutOfRange(trimmed.to_string()));
    }
    Ok(if negative { -value } else { value })
}

/// `1.850.000` with `sep = '.'`: a first group of 1–3 digits, then groups of
/// exactly three. Needs at least one separator.
fn grouped_thousands(text: &str, sep: char) -> bool {
    let mut groups = text.split(sep);
    let first = groups.next().unwrap_or("");
    let mut rest = 0;
    if first.is_empty() || first.len() > 3 {
        return false;
    }
    for group in groups {
        if group.len() != 3 || !group.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
        rest += 1;
    }
    rest > 0
}

/// Writes a number the Vietnamese way: dots between thousands, a decimal
/// comma, the decimals the value carries (`6388.3` → `6.388,3`, `33.10` →
/// `33,10`).
pub fn format_vi(value: Decimal) -> String {
    let text = value.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    match frac_part {
        Some(frac) => format!("{sign}{grouped},{frac}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Writes a number the Vietnamese way rounded to `decimals` places, dropping
/// trailing zeros (`96.7400` → `96,74`).
pub fn format_vi_rounded(value: Decimal, decimals: u32) -> String {
    format_vi(value.round_dp(decimals).normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn vietnamese_notation() {
        assert_eq!(parse_decimal("1.850").unwrap(), d("1850"));
        assert_eq!(parse_decimal("6.388,3").unwrap(), d("6388.3"));
        assert_eq!(parse_decimal("6,0").unwrap(), d("6.0"));
        assert_eq!(parse_decimal("05").unwrap(), d("5"));
        assert_eq!(parse_decimal("19.960").unwrap(), d("19960"));
        assert_eq!(parse_decimal("1.850.000,25").unwrap(), d("1850000.25"));
        assert_eq!(parse_decimal("0,5").unwrap(), d("0.5"));
    }

    #[test]
    fn plain_and_english_notation() {
        assert_eq!(parse_decimal("1850.5").unwrap(), d("1850.5"));
        assert_eq!(parse_decimal("1.85").unwrap(), d("1.85"));
        assert_eq!(parse_decimal("1,850.5").unwrap(), d("1850.5"));
        assert_eq!(parse_decimal("-0,7").unwrap(), d("-0.7"));
        assert_eq!(parse_decimal("−2").unwrap(), d("-2"));
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for bad in ["", " ", "abc", "1..2", "1.2.3,4,5", "1,2,3", ".5", "5.", "12a", "--1", "1 000"] {
            assert!(parse_decimal(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(parse_decimal("  "), Err(NumberError::Empty));
    }

    #[test]
    fn digits_past_what_a_decimal_keeps_are_refused_not_rounded() {
        let long = format!("0,{}1", "0".repeat(28));
        assert!(matches!(parse_decimal(&long), Err(NumberError::OutOfRange(_))));
        assert!(matches!(parse_decimal("123456789012345678901234567890"), Err(NumberError::OutOfRange(_))));
        assert_eq!(parse_decimal("10,4567").unwrap().to_string(), "10.4567");
    }

    #[test]
    fn formats_the_vietnamese_way() {
        assert_eq!(format_vi(d("6388.3")), "6.388,3");
        assert_eq!(format_vi(d("33.10")), "33,10");
        assert_eq!(format_vi(d("1850")), "1.850");
        assert_eq!(format_vi(d("-1234567.5")), "-1.234.567,5");
        assert_eq!(format_vi(d("999")), "999");
        assert_eq!(format_vi_rounded(d("96.7400"), 2), "96,74");
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_decimal(&s);
        }

        #[test]
        fn formatted_numbers_parse_back(units in -10_000_000_000i64..10_000_000_000i64, scale in 0u32..6) {
            let value = Decimal::new(units, scale);
            let text = format_vi(value);
            prop_assert_eq!(parse_decimal(&text).unwrap(), value);
        }

        /// Any decimal at all, written the Vietnamese way (as the entry
        /// form shows a stored figure) and read back, is itself, to the
        /// last written digit.
        #[test]
        fn any_decimal_shown_and_read_back_is_itself(lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(), negative in any::<bool>(), scale in 0u32..=28) {
            let value = Decimal::from_parts(lo, mid, hi, negative, scale);
            let back = parse_decimal(&format_vi(value)).unwrap();
            prop_assert_eq!(back, value);
            prop_assert_eq!(back.scale(), value.scale());
        }

        #[test]
        fn plain_notation_parses(units in -1_000_000_000i64..1_000_000_000i64, scale in 0u32..4) {
            let value = Decimal::new(units, scale);
            let plain = value.to_string();
            let parsed = parse_decimal(&plain);
            // "1.850" is thousands in Vietnamese notation: the only plain
            // numbers read differently are those with exactly three decimals
            // and an integer part of at most three digits.
            let three_decimals = scale == 3 && value.abs().trunc() < Decimal::from(1000);
            if !three_decimals {
                prop_assert_eq!(parsed.unwrap(), value);
            }
        }
    }
}
