//! Key tasks (nhiệm vụ trọng tâm) split into trackable items: a milestone
//! verb, a named project or programme, a place, a quantity.

use kehoach_domain::{ReviewFlag, Task};
use regex::Regex;
use std::sync::LazyLock;

use crate::lexicon::{ACTIONS, PROJECT_NOUNS, at_word_end};
use crate::measure::capitalize;
use crate::quantity;
use crate::split::{split_top, trim};
use crate::structure::items;
use crate::text::{Source, collapse, fold};

static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\(\s*|\s-\s|\btại\s+)((?:huyện|thành phố|thị xã|xã|phường|thị trấn|tỉnh|quận)\s+\p{Lu}[\p{L}\d]*(?:\s+\p{Lu}[\p{L}\d]*)*)\s*\)?").unwrap()
});

/// Reads the key tasks in `source.text[start..end]`, grouped by their
/// top-level letters (or numbers).
pub fn read_tasks(source: &Source, start: usize, end: usize) -> Vec<Task> {
    let groups: Vec<(String, usize, usize)> = {
        let found = items(source, start, end);
        let top: Vec<_> = found.iter().filter(|i| i.level == 0).collect();
        if top.is_empty() {
            vec![(String::new(), start, end)]
        } else {
            top.iter()
                .map(|i| (i.label.clone(), skip_group_heading(&source.text, i.text_start, i.end), i.end))
                .collect()
        }
    };
    let mut tasks = Vec::new();
    for (group, gs, ge) in groups {
        let before = tasks.len();
        for (cs, ce) in split_top(&source.text, gs, ge, &['.', ';', '…']) {
            read_clause(source, &group, cs, ce, &mut tasks);
        }
        if tasks.len() == before
            && let Some((cs, ce)) = split_top(&source.text, gs, ge, &['.', ';', '…']).into_iter().next()
        {
            // A group with no named project is still a task to follow: its
            // first sentence stands for it.
            let text = collapse(&source.text[cs..ce]);
            let (action, object) = match find_action(&text) {
                Some((s, e)) => (text[s..e].to_lowercase(), text[e..].trim().to_string()),
                None => (String::new(), text.clone()),
            };
            tasks.push(Task {
                key: String::new(),
                group: group.clone(),
                action,
                object: shorten(&object),
                place: None,
                quantity: None,
                unit: None,
                deadline: None,
                text,
                source: source.span(cs, ce),
                review: vec![ReviewFlag::new(
                    "object",
                    "no named project in this group; its first sentence stands for it",
                )],
            });
        }
        for (n, task) in tasks[before..].iter_mut().enumerate() {
            task.key = if group.is_empty() { format!("{}", n + 1) } else { format!("{group}.{}", n + 1) };
        }
    }
    tasks
}

/// A group often opens with its sector as a heading ("Về quốc phòng, an
/// ninh:", "d) Về phát triển\nkinh tế\nTiếp tục …"): the tasks start after it.
fn skip_group_heading(text: &str, start: usize, end: usize) -> usize {
    let body = &text[start..end];
    let f = fold(&body.chars().take(12).collect::<String>());
    if !(f.starts_with("ve ") || f.starts_with("linh vuc") || f.starts_with("cong tac ")) {
        return start;
    }
    let window = &body[..body.char_indices().nth(160).map_or(body.len(), |(i, _)| i)];
    if let Some(colon) = window.find(':') {
        return start + colon + 1;
    }
    // The heading ends at a line break followed by a capital letter.
    for (i, _) in window.match_indices('\n') {
        if window[i + 1..].chars().next().is_some_and(char::is_uppercase) {
            return start + i + 1;
        }
    }
    start
}

/// One clause: pieces between commas, each naming an object or carrying the
/// verb to the pieces after it ("khởi công A, B, C").
fn read_clause(source: &Source, group: &str, cs: usize, ce: usize, out: &mut Vec<Task>) {
    let text = &source.text;
    let clause = collapse(&text[cs..ce]);
    let first_of_clause = out.len();
    let mut action = String::new();
    let mut pending_action = false;
    // "thông xe dự án cải tạo, nâng cấp đèo Prenn": a project noun whose name
    // comes in the next piece.
    let mut pending_object: Option<String> = None;
    let mut last_noun: Option<String> = None;
    for (ps, pe) in pieces(text, cs, ce) {
        let piece = &text[ps..pe];
        let flat = collapse(piece);
        let noun_at = project_noun(&flat);
        let quantities: Vec<_> =
            quantity::scan(&flat).into_iter().filter(|q| q.unit.as_deref() != Some("kV")).collect();
        let limit = noun_at.map(|(s, _)| s).or(quantities.first().map(|q| q.start)).unwrap_or(flat.len());
        let verb = last_action_before(&flat, limit);
        let has_name = noun_at.is_some_and(|(s, _)| has_proper_name(&flat[s..]));
        let name_only = verb.is_none() && last_noun.is_some() && is_name_list(&flat);
        let mut object_from = 0;
        let mut object_prefix = String::new();
        match (verb, pending_object.take()) {
            (Some((0, _)), Some(pending)) if has_name => {
                // The verb belongs to the project's name ("cải tạo, nâng cấp").
                object_prefix = format!("{pending}, ");
            }
            (Some((s, e)), _) => {
                let word = flat[s..e].to_lowercase();
                action = if pending_action && s == 0 { format!("{action}, {word}") } else { word };
                object_from = e;
            }
            (None, _) => {}
        }
        if !has_name && quantities.is_empty() && !name_only {
            if verb.is_some() {
                pending_action = true;
                pending_object = noun_at.map(|(s, _)| flat[s..].to_string());
            } else if out.len() > first_of_clause && noun_at.is_none() && !starts_with_verb(&flat) {
                // "dự án Điều tra, đánh giá ô nhiễm đất …": the comma was inside the name.
                let last = out.last_mut().expect("checked above");
                last.object = shorten(&format!("{}, {flat}", last.object.trim_end_matches('…')));
                last.source = source.span(span_start(source, &last.source), pe);
            }
            continue;
        }
        pending_action = false;
        let mut object = format!("{object_prefix}{}", flat[object_from..].trim());
        if name_only && let Some(noun) = &last_noun {
            object = format!("{noun} {object}");
        }
        let place = PLACE.captures(&object).map(|c| c[1].to_string());
        if let Some(c) = PLACE.captures(&object)
            && (c.get(0).unwrap().as_str().trim_start().starts_with('(')
                || c.get(0).unwrap().as_str().starts_with(" - "))
        {
            let m = c.get(0).unwrap();
            object = collapse(&format!("{} {}", &object[..m.start()], &object[m.end()..]));
        }
        if let Some((s, _)) = noun_at.filter(|_| has_name) {
            last_noun = Some(noun_before_name(&flat[s..]));
        }
        // "05 dự án nhà ở xã hội với quy mô 7.000 căn": the scale, not the
        // number of projects, is what gets built.
        let q = quantities
            .iter()
            .find(|q| !matches!(q.unit.as_deref(), Some("dự án" | "công trình")))
            .or(quantities.first());
        let mut review = Vec::new();
        if action.is_empty() {
            review.push(ReviewFlag::new("action", "no milestone verb found for this item"));
        }
        let deadline = quantity::deadlines(&clause).first().map(|d| d.date);
        out.push(Task {
            key: String::new(),
            group: group.to_string(),
            action: action.clone(),
            object: shorten(&capitalize_object(&object)),
            place,
            quantity: q.and_then(|q| q.value.or(q.high)),
            unit: q.and_then(|q| q.unit.clone()),
            deadline,
            text: clause.clone(),
            source: source.span(ps, pe),
            review,
        });
    }
}

fn span_start(source: &Source, span: &kehoach_domain::Span) -> usize {
    source.byte_of(span.start as usize)
}

/// Verbs that start a new thought, not the rest of a name.
fn starts_with_verb(text: &str) -> bool {
    let f = fold(text);
    last_action_before(text, text.len().min(24)).is_some_and(|(s, _)| s == 0)
        || ["dam bao", "bao dam", "gop phan", "tao ", "gan voi", "nham ", "phan dau"].iter().any(|w| f.starts_with(w))
}

/// The noun right before the proper name ("các phường Phú Hưng" → "phường"),
/// for lists of names that follow it.
fn noun_before_name(object: &str) -> String {
    let words: Vec<&str> = object.split_whitespace().collect();
    let first_name = words.iter().position(|w| w.chars().next().is_some_and(char::is_uppercase)).unwrap_or(0);
    let first_name = if first_name == 0 {
        words.iter().skip(1).position(|w| w.chars().next().is_some_and(char::is_uppercase)).map_or(0, |p| p + 1)
    } else {
        first_name
    };
    if first_name == 0 {
        return words.first().map_or(String::new(), |w| w.to_string());
    }
    let two = if first_name >= 2 {
        format!("{} {}", words[first_name - 2], words[first_name - 1]).to_lowercase()
    } else {
        String::new()
    };
    if ["thị trấn", "thị xã", "thành phố", "khu công nghiệp", "cụm công nghiệp", "nhà máy", "bệnh viện"]
        .contains(&two.as_str())
    {
        two
    } else {
        words[first_name - 1].to_lowercase()
    }
}

/// Pieces of a clause at top-level commas, at "và" between two items of the
/// same kind, and inside a bracketed list of projects.
fn pieces(text: &str, cs: usize, ce: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (s, e) in split_top(text, cs, ce, &[',']) {
        let flat = text[s..e].replace(['\n', '\t'], " ");
        let piece = flat.as_str();
        // "các cụm công nghiệp (Cụm công nghiệp C2, Cụm công nghiệp An Điền - huyện Thạnh Phú, …)"
        if let (Some(open), Some(close)) = (piece.find('('), piece.rfind(')'))
            && open < close
        {
            let inner = &piece[open + 1..close];
            let items = split_top(text, s + open + 1, s + close, &[',']);
            let projects =
                items.iter().filter(|&&(a, b)| project_noun(&text[a..b]).is_some_and(|(p, _)| p == 0)).count();
            if projects >= 2 && inner.contains(',') {
                for (a, b) in items {
                    out.extend(split_and(text, a, b));
                }
                continue;
            }
        }
        out.extend(split_and(text, s, e));
    }
    out.into_iter().filter(|(s, e)| s < e).collect()
}

fn split_and(text: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = s;
    // Line breaks become spaces; each is one byte, so offsets stay put.
    let flat = text[s..e].replace(['\n', '\t'], " ");
    let piece = flat.as_str();
    let first_noun = project_noun(piece).map(|(a, b)| piece[a..b].to_lowercase());
    for (i, _) in piece.match_indices(" và ") {
        let after = &piece[i + " và ".len()..];
        let left = piece[from - s..i].trim_end();
        let same_noun =
            project_noun(after).is_some_and(|(p, e2)| p == 0 && Some(after[..e2].to_lowercase()) == first_noun);
        let closes_item = left.ends_with(')') && after.chars().next().is_some_and(char::is_uppercase);
        if (same_noun && has_proper_name(after)) || closes_item {
            out.push(trim(text, from, s + i));
            from = s + i + " và ".len();
        }
    }
    out.push(trim(text, from, e));
    out
}

/// The first project noun in the text, as a byte range.
fn project_noun(text: &str) -> Option<(usize, usize)> {
    let lower = text.to_lowercase();
    let mut best: Option<(usize, usize)> = None;
    for noun in PROJECT_NOUNS {
        let mut from = 0;
        while let Some(i) = lower[from..].find(noun) {
            let at = from + i;
            let starts_word = at == 0 || lower[..at].ends_with(|c: char| !c.is_alphanumeric());
            if starts_word && at_word_end(&lower, at + noun.len()) {
                let candidate = (at, at + noun.len());
                if best.is_none_or(|(b, be)| at < b || at == b && candidate.1 > be) {
                    best = Some(candidate);
                }
                break;
            }
            from = at + noun.len();
        }
    }
    best.filter(|&(s, e)| text.is_char_boundary(s) && text.is_char_boundary(e))
}

/// A proper name or a code after the head noun: a capitalised word that is
/// not the first word, or a word mixing letters and digits.
fn has_proper_name(text: &str) -> bool {
    text.split_whitespace().skip(1).any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.chars().next().is_some_and(char::is_uppercase)
            || w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic)
    })
}

/// A piece that is only names ("Bình Phú", "Sơn Đông (thành phố Bến Tre)").
fn is_name_list(text: &str) -> bool {
    let before_paren = text.split('(').next().unwrap_or("").trim();
    !before_paren.is_empty()
        && before_paren
            .split_whitespace()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()))
}

/// The milestone verb nearest before `limit`.
fn last_action_before(text: &str, limit: usize) -> Option<(usize, usize)> {
    let lower = text.to_lowercase();
    let mut best: Option<(usize, usize)> = None;
    for verb in ACTIONS {
        for (i, _) in lower.match_indices(verb) {
            let end = i + verb.len();
            let starts_word = i == 0 || lower[..i].ends_with(|c: char| !c.is_alphanumeric());
            if end <= limit && starts_word && at_word_end(&lower, end) {
                // Prefer the later verb; at the same start, the longer one.
                if best.is_none_or(|(b, be)| i > b && i >= be || i == b && end > be) {
                    best = Some((i, end));
                }
            }
        }
    }
    best.filter(|&(s, e)| text.is_char_boundary(s) && text.is_char_boundary(e))
}

fn find_action(text: &str) -> Option<(usize, usize)> {
    last_action_before(text, text.split_whitespace().take(6).map(|w| w.len() + 1).sum::<usize>().min(text.len()))
}

fn capitalize_object(object: &str) -> String {
    let o = object.trim();
    let f = fold(o);
    let o = if f.starts_with("cac ") { &o["các ".len()..] } else { o };
    capitalize(o)
}

/// Long objects are cut at a word boundary for display; `text` keeps all.
fn shorten(object: &str) -> String {
    const MAX: usize = 160;
    if object.chars().count() <= MAX {
        return object.to_string();
    }
    let cut: String = object.chars().take(MAX).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Task> {
        let source = Source::new(text);
        read_tasks(&source, 0, source.text.len())
    }

    #[test]
    fn a_verb_governs_the_list_after_it() {
        let tasks = read(
            "a) Khởi công dự án Bệnh viện đa khoa tỉnh, hệ thống xử lý nước thải Cụm công nghiệp Phong Nẫm; hoàn thành, thông xe dự án cải tạo, nâng cấp đèo Prenn\ntrước mùa Festival.",
        );
        let got: Vec<(&str, &str)> = tasks.iter().map(|t| (t.action.as_str(), t.object.as_str())).collect();
        assert_eq!(
            got,
            [
                ("khởi công", "Dự án Bệnh viện đa khoa tỉnh"),
                ("khởi công", "Hệ thống xử lý nước thải Cụm công nghiệp Phong Nẫm"),
                ("hoàn thành, thông xe", "Dự án cải tạo, nâng cấp đèo Prenn trước mùa Festival"),
            ]
        );
        assert!(tasks.iter().all(|t| t.group == "a"));
        assert_eq!(tasks[2].key, "a.3");
    }

    #[test]
    fn places_and_quantities() {
        let tasks = read(
            "a) Hỗ trợ triển khai Nhà máy điện gió Bảo Thạnh (49,5 MW); hoàn thành cơ bản Cụm công nghiệp Tân Thành Bình (huyện Mỏ Cày Bắc) và Cụm công nghiệp An Đức (huyện Ba Tri).",
        );
        assert_eq!(tasks.len(), 3);
        assert_eq!(
            (tasks[0].quantity.map(|q| q.to_string()), tasks[0].unit.as_deref()),
            (Some("49.5".into()), Some("MW"))
        );
        assert_eq!(tasks[1].place.as_deref(), Some("huyện Mỏ Cày Bắc"));
        assert_eq!(tasks[1].object, "Cụm công nghiệp Tân Thành Bình");
        assert_eq!(tasks[2].place.as_deref(), Some("huyện Ba Tri"));
        assert_eq!(tasks[2].action, "hoàn thành cơ bản");
    }
}
