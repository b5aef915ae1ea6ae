//! The skeleton of a resolution: where the target list and the key tasks
//! are, and the marked items (a), 1., (1), -, I.) inside them.

use kehoach_domain::alphabet::{letter_index, next_letter};
use regex::Regex;
use std::sync::LazyLock;

use crate::text::Source;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkerKind {
    Letter,
    Number,
    Paren,
    Dotted,
    Dash,
    Roman,
}

/// A marked item: the marker, its label, and the byte ranges of its own text
/// (up to the next marker) and of its whole body (children included).
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: MarkerKind,
    pub label: String,
    pub level: usize,
    pub marker_start: usize,
    pub text_start: usize,
    pub own_end: usize,
    pub end: usize,
    pub has_children: bool,
}

/// The parts of the document the reader uses, as byte ranges.
#[derive(Debug, Clone, Default)]
pub struct Sections {
    /// The target list: from the heading (after its colon) to the tasks.
    pub targets: Option<(usize, usize)>,
    pub tasks: Option<(usize, usize)>,
}

static TARGETS_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?im)^[ \t]*(?:(?:\d+(?:\.\d+)*|[IVX]+)[.)/]?[ \t]*|[a-zđ]\)[ \t]*)?",
        r"(?:các|một\s+số|những)?\s*chỉ\s+tiêu\s+",
        r"(?:(?:kinh\s+tế\s*[-–]\s*xã\s+hội|phát\s+triển\s+kinh\s+tế\s*[-–]\s*xã\s+hội|kế\s+hoạch)\s+)?",
        r"(?:chủ\s+yếu|cụ\s+thể|chính|kinh\s+tế\s*[-–]\s*xã\s+hội)",
        r"(?:\s+(?:về\s+)?kinh\s+tế\s*[-–]\s*xã\s+hội)?(?:\s+(?:chủ\s+yếu|năm\s+\d{4}))*[ \t]*:?",
    ))
    .unwrap()
});
static TASKS_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?im)^[ \t]*(?:(?:\d+(?:\.\d+)*|[IVX]+)[.)/]?[ \t]*)?",
        r"(?:một\s+số|các|những)?\s*(?:nhiệm\s+vụ|giải\s+pháp)",
        r"(?:\s*(?:,|và)\s*(?:các\s+)?(?:giải\s+pháp|nhiệm\s+vụ))?",
        r"(?:\s+(?:trọng\s+tâm|chủ\s+yếu|trọng\s+yếu|chủ\s+yếu|cụ\s+thể))*",
        r"(?:\s+năm\s+\d{4})?[ \t]*(?::|\.|$|\n)",
    ))
    .unwrap()
});
static END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t]*(?:Điều\s+3\b|Tổ\s+chức\s+thực\s+hiện|Nơi\s+nhận|Nghị\s+quyết\s+này\s+đã\s+được)").unwrap()
});
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^[ \t]*(?:",
        r"(?P<letter>[a-zđ])\)|(?P<letterdot>[a-zđ])\.[ \t]",
        r"|\((?P<paren>\d{1,2})\)",
        r"|(?P<dotted>\d{1,2}(?:\.\d{1,2})+)\.?[ \t]",
        r"|(?P<number>\d{1,2})[.)][ \t]",
        r"|(?P<roman>[IVX]{1,4})[.)/][ \t]",
        r"|(?P<dash>[-–•+*])[ \t]",
        r")[ \t]*",
    ))
    .unwrap()
});

/// Finds the target list and the key tasks.
pub fn sections(source: &Source) -> Sections {
    let text = &source.text;
    let end_of_doc = END.find(text).map_or(text.len(), |m| m.start());
    let mut out = Sections::default();
    let heading = TARGETS_HEADING.find_iter(text).find(|m| m.start() < end_of_doc);
    let tasks_heading = TASKS_HEADING.find_iter(text).find(|m| {
        heading.is_none_or(|h| m.start() > h.end())
            && m.start() < end_of_doc
            && is_heading_line(text, m.start(), m.end())
    });
    if let Some(h) = heading {
        let stop = tasks_heading.map_or(end_of_doc, |t| t.start());
        let stop = if stop > h.end() { stop } else { end_of_doc.max(h.end()) };
        out.targets = Some((h.end(), stop));
    }
    if let Some(t) = tasks_heading {
        let end = END.find_at(text, t.end()).map_or(text.len(), |m| m.start());
        out.tasks = Some((t.end(), end.max(t.end())));
    }
    out
}

/// A heading is a short line (or the start of one, up to its colon).
fn is_heading_line(text: &str, start: usize, end: usize) -> bool {
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let rest = text[end..line_end].trim();
    line_end - start < 160 || rest.is_empty() || text[start..end].trim_end().ends_with(':')
}

/// The marked items in `text[start..end]`, with their levels. Letters and
/// numbers must follow on from the previous item of their kind, so a line
/// that happens to begin "c)" in the middle of prose does not open an item.
pub fn items(source: &Source, start: usize, end: usize) -> Vec<Item> {
    let text = &source.text;
    let mut found: Vec<Item> = Vec::new();
    let mut last_label: Vec<(MarkerKind, String)> = Vec::new();
    let mut stack: Vec<MarkerKind> = Vec::new();
    // Numbering often runs on across sector headings ("2.2. Xã hội" then "6.").
    let mut last_number: std::collections::HashMap<MarkerKind, u32> = std::collections::HashMap::new();
    let mut prev_line_end_char: Option<char> = Some('\n');
    for (ls, le) in source.lines() {
        if le <= start || ls >= end {
            continue;
        }
        let ls = ls.max(start);
        let le = le.min(end);
        let line = &text[ls..le];
        let Some(c) = MARKER.captures(line) else {
            if !line.trim().is_empty() {
                prev_line_end_char = line.trim_end().chars().next_back();
            }
            continue;
        };
        let (kind, label) = if let Some(m) = c.name("letter").or_else(|| c.name("letterdot")) {
            (MarkerKind::Letter, m.as_str().to_string())
        } else if let Some(m) = c.name("paren") {
            (MarkerKind::Paren, m.as_str().to_string())
        } else if let Some(m) = c.name("dotted") {
            (MarkerKind::Dotted, m.as_str().to_string())
        } else if let Some(m) = c.name("number") {
            (MarkerKind::Number, m.as_str().to_string())
        } else if let Some(m) = c.name("roman") {
            (MarkerKind::Roman, m.as_str().to_string())
        } else {
            (MarkerKind::Dash, String::new())
        };
        let previous = last_label.iter().rev().find(|(k, _)| *k == kind).map(|(_, l)| l.as_str());
        let follows = match kind {
            MarkerKind::Letter => label == "a" || previous.and_then(next_letter) == Some(label.as_str()),
            MarkerKind::Number | MarkerKind::Paren => {
                let n: u32 = label.parse().unwrap_or(0);
                n == 1
                    || previous.and_then(|p| p.parse::<u32>().ok()) == Some(n.wrapping_sub(1))
                    || last_number.get(&kind) == Some(&n.wrapping_sub(1))
            }
            // A dash after a line that ends mid-sentence is a hyphen that
            // the line break put first ("Đìa Dứa\n- huyện Mỏ Cày Nam").
            MarkerKind::Dash => {
                // "giảm 0,5\n- 1%": a range broken before its dash.
                let after_figure = prev_line_end_char.is_some_and(|ch| ch.is_ascii_digit() || ch == '%');
                !after_figure
                    && (prev_line_end_char.is_none_or(|ch| matches!(ch, '.' | ';' | ':' | '\n' | '!' | '?'))
                        || found.last().is_some_and(|i| i.kind == MarkerKind::Dash)
                        || found.last().is_some_and(|i| {
                            // Right after a short heading with no figure ("a) Về kinh tế").
                            let heading = text[i.text_start..ls].trim();
                            heading.len() < 80 && !heading.chars().any(|c| c.is_ascii_digit())
                        }))
            }
            MarkerKind::Dotted | MarkerKind::Roman => true,
        };
        // "a." is also how a sentence about "a" might start; only trust the
        // dotted letter form where it follows on.
        let follows = follows && !(c.name("letterdot").is_some() && label != "a" && previous.is_none());
        if !follows || (kind == MarkerKind::Letter && letter_index(&label).is_none()) {
            prev_line_end_char = line.trim_end().chars().next_back();
            continue;
        }
        prev_line_end_char = line.trim_end().chars().next_back();
        let level = match stack.iter().position(|k| *k == kind) {
            Some(p) => {
                stack.truncate(p + 1);
                p
            }
            None => {
                stack.push(kind);
                stack.len() - 1
            }
        };
        last_label.retain(|(k, _)| stack.contains(k));
        last_label.push((kind, label.clone()));
        if let Ok(n) = label.parse::<u32>() {
            last_number.insert(kind, n);
        }
        found.push(Item {
            kind,
            label,
            level,
            marker_start: ls,
            text_start: ls + c.get(0).unwrap().end(),
            own_end: end,
            end,
            has_children: false,
        });
    }
    for i in 0..found.len() {
        if let Some(next) = found.get(i + 1) {
            found[i].own_end = next.marker_start;
        }
        let level = found[i].level;
        if let Some(next) = found[i + 1..].iter().find(|n| n.level <= level) {
            found[i].end = next.marker_start;
        }
        found[i].has_children = found.get(i + 1).is_some_and(|n| n.level > level);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sections_with_broken_headings() {
        let s = Source::new(
            "Điều 2.\n2. Các chỉ tiêu chủ\nyếu\na) X đạt 5%;\n3. Một số nhiệm vụ\ntrọng tâm\na) Khởi công cầu A.\nĐiều 3. Tổ chức thực hiện\n",
        );
        let sec = sections(&s);
        let (ts, te) = sec.targets.unwrap();
        assert_eq!(s.text[ts..te].trim(), "a) X đạt 5%;");
        let (ks, ke) = sec.tasks.unwrap();
        assert!(s.text[ks..ke].contains("Khởi công cầu A."), "{}", &s.text[ks..ke]);
        assert!(!s.text[ks..ke].contains("Điều 3"));
    }

    #[test]
    fn nests_items_by_marker_kind() {
        let s = Source::new(
            "a) Về kinh tế:\n- GRDP: 8%;\n- Thu ngân sách: 100 tỷ đồng.\nb) Về xã hội:\n- Hộ nghèo giảm 1%.\n",
        );
        let items = items(&s, 0, s.text.len());
        let shape: Vec<(MarkerKind, usize, bool)> = items.iter().map(|i| (i.kind, i.level, i.has_children)).collect();
        assert_eq!(
            shape,
            [
                (MarkerKind::Letter, 0, true),
                (MarkerKind::Dash, 1, false),
                (MarkerKind::Dash, 1, false),
                (MarkerKind::Letter, 0, true),
                (MarkerKind::Dash, 1, false)
            ]
        );
    }

    #[test]
    fn letters_must_follow_on() {
        let s = Source::new("a) Một;\nb) Hai\nc) Ba;\nd) Bốn;\nđ) Năm;\ne) Sáu\nx) không phải;\ng) Bảy\n");
        let labels: Vec<String> = items(&s, 0, s.text.len()).into_iter().map(|i| i.label).collect();
        assert_eq!(labels, ["a", "b", "c", "d", "đ", "e", "g"]);
    }
}
