//! The resolution's own particulars: region, year, number, body, dates.

use chrono::{Datelike, NaiveDate};
use kehoach_domain::{Document, ReviewFlag};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

use crate::quantity::dates;
use crate::text::{Source, collapse};

static BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"((?i:hội\s+đồng\s+nhân\s+dân)|HĐND)\s+((?i:tỉnh|thành\s+phố))\s+(\p{Lu}(?:\p{Lu}+|\p{Ll}*)(?:[ \t]+\p{Lu}(?:\p{Lu}+|\p{Ll}*))*)",
    )
    .unwrap()
});
static REGION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:tỉnh|thành phố)\s+(\p{Lu}[\p{Ll}]*(?:[ \t]+\p{Lu}[\p{Ll}]*)*)").unwrap());
static PLAN_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)kinh\s+tế\s*[-–]\s*xã\s+hội\s+năm\s+(20\d{2})").unwrap());
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:nghị\s+quyết\s+)?số[:\s]*(\d+/(?:\d{4}/)?NQ-HĐND)").unwrap());
static ADOPTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)thông\s+qua\s+(?:ngày|vào\s+ngày)").unwrap());
static EFFECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:có\s+)?hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:kể\s+)?từ\s+ngày").unwrap());
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:về\s+)?(?:kế\s+hoạch|nhiệm\s+vụ)\s+phát\s+triển\s+kinh\s+tế\s*[-–]\s*xã\s+hội\s+năm\s+\d{4}")
        .unwrap()
});

pub struct Particulars {
    pub region: String,
    pub year: i32,
    pub document: Document,
    pub review: Vec<ReviewFlag>,
}

/// Reads what the text says about the resolution itself; `years_seen` are
/// the deadline years of the measures, a last resort for the plan year.
pub fn read(source: &Source, years_seen: &[i32]) -> Particulars {
    let text = &source.text;
    let mut review = Vec::new();
    let body_match = BODY.captures(text);
    let region = body_match.as_ref().map(|c| title_case(&collapse(&c[3]))).or_else(|| most_frequent_region(text));
    let body = body_match
        .map(|c| format!("Hội đồng nhân dân {} {}", collapse(&c[2].to_lowercase()), title_case(&collapse(&c[3]))));
    let adopted = date_after(&ADOPTED, source);
    let effective = date_after(&EFFECTIVE, source);
    let head = &text[..text.char_indices().nth(3000).map_or(text.len(), |(i, _)| i)];
    let number = NUMBER.captures(head).map(|c| c[1].to_string());
    let title = TITLE.find(text).map(|m| collapse(m.as_str()));
    let year = PLAN_YEAR
        .captures(text)
        .and_then(|c| c[1].parse().ok())
        .or_else(|| adopted.map(|d| d.year() + 1))
        .or_else(|| {
            review.push(ReviewFlag::new("year", "the plan year is not stated; guessed from the deadlines"));
            most_frequent(years_seen)
        })
        .unwrap_or_else(|| {
            review.push(ReviewFlag::new("year", "the plan year could not be read"));
            0
        });
    let region = region.unwrap_or_else(|| {
        review.push(ReviewFlag::new("region", "the province is not named in the text"));
        String::new()
    });
    Particulars { region, year, document: Document { number, title, body, adopted, effective, file: None }, review }
}

fn date_after(re: &Regex, source: &Source) -> Option<NaiveDate> {
    let m = re.find_iter(&source.text).last()?;
    // The phrase ends in "ngày"; the date follows it.
    let from = m.end() - "ngày".len();
    let rest = &source.text[from..];
    let window = &rest[..rest.char_indices().nth(60).map_or(rest.len(), |(i, _)| i)];
    dates(window).first().filter(|d| d.start == 0).map(|d| d.date)
}

fn most_frequent_region(text: &str) -> Option<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for (i, c) in REGION.captures_iter(text).enumerate() {
        let name = collapse(&c[1]);
        *counts.entry(name.clone()).or_default() += 1;
        first_seen.entry(name).or_insert(i);
    }
    counts.into_iter().max_by_key(|(n, c)| (*c, usize::MAX - first_seen[n])).map(|(n, _)| n)
}

fn most_frequent(years: &[i32]) -> Option<i32> {
    let mut counts: HashMap<i32, usize> = HashMap::new();
    for y in years {
        *counts.entry(*y).or_default() += 1;
    }
    counts.into_iter().max_by_key(|&(y, c)| (c, y)).map(|(y, _)| y)
}

/// "CẦN THƠ" → "Cần Thơ"; names already in mixed case stay as written.
fn title_case(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    name.split(' ')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The council's name in capitals, as the heading writes it, names the
    /// province whole ("NGHỆ AN", not "N").
    #[test]
    fn a_province_in_capitals_is_read_whole() {
        for (text, region) in [
            ("HỘI ĐỒNG NHÂN DÂN TỈNH NGHỆ AN\nKHÓA XVIII", "Nghệ An"),
            ("HỘI ĐỒNG NHÂN DÂN\nTỈNH BẮC GIANG\n", "Bắc Giang"),
            ("Hội đồng nhân dân tỉnh Bến Tre khóa X", "Bến Tre"),
            ("HĐND THÀNH PHỐ ĐÀ NẴNG", "Đà Nẵng"),
        ] {
            let c = BODY.captures(text).unwrap();
            assert_eq!(title_case(&collapse(&c[3])), region, "{text}");
        }
    }
}
