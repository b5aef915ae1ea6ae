//! A checklist target ("các huyện: Châu Thành, Thạnh Phú, Mỏ Cày Bắc và Bình
//! Đại đạt chuẩn huyện nông thôn mới") is reported per named unit: reached
//! or not, and when. Its figure is the number reached, which is what it is
//! judged on; which units and when travel with that figure, in its note,
//! so that they are versioned, submitted and approved together with it.
//!
//! The note's first two lines are written here and read back here:
//!
//! ```text
//! Đạt: Châu Thành (15/09/2025); Thạnh Phú
//! Chưa đạt: Mỏ Cày Bắc; Bình Đại
//! (anything the reporter wrote)
//! ```

use chrono::NaiveDate;

const REACHED: &str = "Đạt: ";
const NOT_YET: &str = "Chưa đạt: ";

/// Where one named unit stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub subject: String,
    pub reached: bool,
    /// When it was reached, if said.
    pub on: Option<NaiveDate>,
}

/// The note of a checklist figure: which units reached it and when, which
/// not yet, then the reporter's own words.
pub fn note(items: &[Item], free: &str) -> String {
    let day = |d: Option<NaiveDate>| d.map(|d| format!(" ({})", d.format("%d/%m/%Y"))).unwrap_or_default();
    let reached: Vec<String> =
        items.iter().filter(|i| i.reached).map(|i| format!("{}{}", i.subject, day(i.on))).collect();
    let not_yet: Vec<&str> = items.iter().filter(|i| !i.reached).map(|i| i.subject.as_str()).collect();
    let mut out = format!("{REACHED}{}\n{NOT_YET}{}", reached.join("; "), not_yet.join("; "));
    let free = free.trim();
    if !free.is_empty() {
        out.push('\n');
        out.push_str(free);
    }
    out
}

/// Reads a checklist figure's note back against the plan's named units:
/// each unit as the note says it stands (not reached where it says nothing),
/// and the reporter's own words. A note this module did not write is all
/// the reporter's.
pub fn read(subjects: &[String], text: &str) -> (Vec<Item>, String) {
    let mut items: Vec<Item> = subjects.iter().map(|s| Item { subject: s.clone(), reached: false, on: None }).collect();
    let mut lines = text.lines();
    let (Some(first), Some(second)) = (lines.next(), lines.next()) else {
        return (items, text.to_string());
    };
    let (Some(reached), Some(_)) = (first.strip_prefix(REACHED), second.strip_prefix(NOT_YET)) else {
        return (items, text.to_string());
    };
    for part in reached.split("; ").filter(|p| !p.is_empty()) {
        let (name, on) = match part.strip_suffix(')').and_then(|p| p.rsplit_once(" (")) {
            Some((name, day)) => (name, NaiveDate::parse_from_str(day, "%d/%m/%Y").ok()),
            None => (part, None),
        };
        if let Some(item) = items.iter_mut().find(|i| i.subject == name) {
            item.reached = true;
            item.on = on;
        }
    }
    (items, lines.collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn subjects() -> Vec<String> {
        ["Châu Thành", "Thạnh Phú", "Mỏ Cày Bắc", "Bình Đại"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_note_says_who_reached_it_and_when_and_reads_back() {
        let mut items: Vec<Item> =
            subjects().into_iter().map(|subject| Item { subject, reached: false, on: None }).collect();
        items[0] = Item { reached: true, on: NaiveDate::from_ymd_opt(2025, 9, 15), ..items[0].clone() };
        items[1].reached = true;
        let text = note(&items, "Theo Quyết định công nhận của UBND tỉnh");
        assert_eq!(
            text,
            "Đạt: Châu Thành (15/09/2025); Thạnh Phú\nChưa đạt: Mỏ Cày Bắc; Bình Đại\nTheo Quyết định công nhận của UBND tỉnh"
        );
        assert_eq!(read(&subjects(), &text), (items, "Theo Quyết định công nhận của UBND tỉnh".to_string()));
        // A note written by hand is all the reporter's.
        let (items, free) = read(&subjects(), "2 huyện đạt");
        assert!(items.iter().all(|i| !i.reached));
        assert_eq!(free, "2 huyện đạt");
    }

    proptest! {
        #[test]
        fn any_state_reads_back(states in proptest::collection::vec((any::<bool>(), proptest::option::of(1u32..365)), 4), free in "[a-zA-Zà-ỹ ,.]{0,30}") {
            let items: Vec<Item> = subjects()
                .into_iter()
                .zip(states)
                .map(|(subject, (reached, day))| Item {
                    subject,
                    reached,
                    on: if reached { day.and_then(|d| NaiveDate::from_yo_opt(2025, d)) } else { None },
                })
                .collect();
            let (back, rest) = read(&subjects(), &note(&items, &free));
            prop_assert_eq!(back, items);
            prop_assert_eq!(rest, free.trim().to_string());
        }
    }
}
