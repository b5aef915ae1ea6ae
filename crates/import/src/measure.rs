//! Reads the measures of one target from its text.

use kehoach_domain::{Aggregation, Comparator, Measure, MeasureKind, ReviewFlag};
use regex::Regex;
use std::sync::LazyLock;

use crate::lexicon::{COMPARATOR_WORDS, Cmp, LOWER_IS_BETTER};
use crate::quantity::{self, Quantity};
use crate::split::{split_top, trim};
use crate::text::{Source, collapse, fold};

/// What the measures of a target inherit from the target.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The target's title or heading contains "cơ cấu": shares.
    pub structure: bool,
    /// Read as stretch goals throughout ("phấn đấu" before the list).
    pub stretch: bool,
}

/// A measure before it gets its key.
#[derive(Debug, Clone)]
pub struct Draft {
    pub measure: Measure,
    /// Index (among the target's drafts) of the total this is a part of.
    pub part_of: Option<usize>,
}

static ZERO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:không\s+để\s+(?:xảy\s+ra|phát\s+sinh|xuất\s+hiện)|không\s+để|không\s+xảy\s+ra|không\s+phát\s+sinh|không\s+có)\s+").unwrap()
});
static DIRECTION_DOWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:tiếp\s+tục\s+)?(?:kiềm\s+chế|kéo\s+giảm|giảm\s+dần|giảm|hạn\s+chế|kiểm\s+soát|ngăn\s+chặn|đẩy\s+lùi)(?:\s*,\s*|\s+và\s+|\s+))+").unwrap()
});
static DIRECTION_UP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:tiếp\s+tục\s+)?(?:tăng|nâng\s+cao|cải\s+thiện)(?:\s*,\s*|\s+và\s+|\s+))+").unwrap()
});
static SUBJECTS: LazyLock<Regex> = LazyLock::new(|| {
    // A name: capitalised words (or numbers: "Phường 1"), then maybe its
    // parent in brackets ("Hòa Phú (thành phố Buôn Ma Thuột)").
    let name = r"\p{Lu}[\p{L}\d'’]*(?:\s+\p{Lu}[\p{L}\d'’]*|\s+\d+)*(?:\s*\([^()]*\))?";
    Regex::new(&format!(
        r"(?:^|\s|\()(?:các\s+)?(huyện|thị\s+xã|thành\s+phố|xã|phường|thị\s+trấn|quận)\s*:?\s+((?:{name})(?:\s*(?:,|và)\s*{name})*)"
    ))
    .unwrap()
});
static CONNECTOR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s(?:với|và|trong\s+đó|gồm|bằng)\s").unwrap());
static INLINE_ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\((\d{1,2})\)\s").unwrap());
static PARENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s*\([^()]*\)").unwrap());
static LEAD_CONNECTOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:trong\s+đó|đồng\s+thời|riêng|gồm)\s*[,:]?\s*").unwrap());

/// Reads the measures in `source.text[start..end]`, the body of one target.
pub fn read_measures(source: &Source, start: usize, end: usize, title: &str, ctx: &Context) -> Vec<Draft> {
    let text = &source.text;
    let mut drafts: Vec<Draft> = Vec::new();
    let growth_target = is_growth_name(title);
    let mut in_parts = false;
    let mut previous: Option<Inherit> = None;
    let clauses: Vec<(usize, usize)> =
        inline_items(text, start, end).into_iter().flat_map(|(s, e)| split_top(text, s, e, &[';', '.'])).collect();
    for (cs, ce) in clauses {
        let mut cs = cs;
        if let Some(m) = LEAD_CONNECTOR.find(&text[cs..ce]) {
            if fold(m.as_str()).starts_with("trong do") {
                in_parts = true;
            }
            cs += m.end();
        }
        for (ss, se) in segments(text, cs, ce) {
            let mut seg_start = ss;
            if let Some(m) = LEAD_CONNECTOR.find(&text[ss..se]) {
                if fold(m.as_str()).starts_with("trong do") {
                    in_parts = true;
                }
                seg_start += m.end();
            }
            let part_of = if in_parts && !drafts.is_empty() { Some(0) } else { None };
            let parent_growth = part_of.is_some_and(|i| drafts[i].measure.kind == MeasureKind::Growth);
            let read = read_segment(
                source,
                seg_start,
                se,
                &SegmentContext { title, ctx, growth: growth_target || parent_growth, previous: previous.as_ref() },
            );
            for (measure, inherit) in read {
                previous = Some(inherit);
                drafts.push(Draft { measure, part_of });
            }
        }
    }
    drafts
}

/// What a list continuation ("…; 15 hợp tác xã; 01 Liên hiệp…") takes from the
/// measure before it.
#[derive(Debug, Clone)]
struct Inherit {
    /// The figure was a counted noun: a continuation must be one too.
    counted: bool,
    comparator: Option<Cmp>,
    verb: String,
    stretch: bool,
}

struct SegmentContext<'a> {
    title: &'a str,
    ctx: &'a Context,
    growth: bool,
    previous: Option<&'a Inherit>,
}

/// Splits a clause at commas into segments of one measure each: a piece with
/// a figure (or a zero/direction marker) starts a new segment; pieces without
/// one belong to the segment they touch.
fn segments(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let pieces = split_top(text, start, end, &[',']);
    let anchored: Vec<bool> =
        pieces.iter().map(|&(ps, pe)| !quantity::scan(&text[ps..pe]).is_empty() || has_marker(&text[ps..pe])).collect();
    let mut out: Vec<(usize, usize, bool)> = Vec::new();
    for (i, &(ps, pe)) in pieces.iter().enumerate() {
        let piece = &text[ps..pe];
        // A piece without a figure after a finished measure opens the next
        // one when it leads into it: "…đạt 84%, trong đó có bằng cấp, chứng
        // chỉ đạt 42%".
        let leads_on = !anchored[i]
            && (LEAD_CONNECTOR.is_match(piece)
                || anchored.get(i + 1).is_some_and(|&a| a)
                    && words_before_figure(&text[pieces[i + 1].0..pieces[i + 1].1]) <= 3);
        match out.last_mut() {
            Some(last) if !last.2 || !(anchored[i] || leads_on) => {
                last.1 = pe;
                last.2 |= anchored[i];
            }
            _ => out.push((ps, pe, anchored[i])),
        }
    }
    // Split segments holding two figures ("550 doanh nghiệp với vốn đăng ký
    // khoảng 4.600 tỷ đồng") before the second figure's words.
    let mut result = Vec::new();
    for (s, e, _) in out {
        let qs = quantity::scan(&text[s..e]);
        let mut cut = s;
        for pair in qs.windows(2) {
            let gap_start = s + pair[0].end;
            let gap_end = s + pair[1].start;
            let gap = &text[gap_start..gap_end];
            let at = CONNECTOR.find(gap).map_or(0, |m| m.start() + 1);
            let split_at = gap_start + at;
            if split_at > cut {
                result.push(trim(text, cut, split_at));
                cut = split_at;
            }
        }
        result.push(trim(text, cut, e));
    }
    result.into_iter().filter(|(s, e)| s < e).collect()
}

fn words_before_figure(piece: &str) -> usize {
    quantity::scan(piece).first().map_or(usize::MAX, |q| piece[..q.start].split_whitespace().count())
}

/// Items numbered inside running text ("a) Về kinh tế: (1) Tốc độ …; (2) …"):
/// the ranges between the markers, markers left out. Markers must count up
/// from where they start, or they are something else ("(2)" in a name).
fn inline_items(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut cuts = Vec::new();
    let mut expected: Option<u32> = None;
    for c in INLINE_ITEM.captures_iter(&text[start..end]) {
        let m = c.get(0).unwrap();
        let n: u32 = c[1].parse().unwrap_or(0);
        if expected.is_none_or(|e| e == n) && (expected.is_some() || n <= 1 || cuts.is_empty()) {
            cuts.push((start + m.start(), start + m.end()));
            expected = Some(n + 1);
        }
    }
    if cuts.len() < 2 {
        return vec![(start, end)];
    }
    let mut out = vec![(start, cuts[0].0)];
    for (i, &(_, after)) in cuts.iter().enumerate() {
        out.push((after, cuts.get(i + 1).map_or(end, |c| c.0)));
    }
    out.into_iter().filter(|(s, e)| s < e).collect()
}

fn has_marker(piece: &str) -> bool {
    let t = piece.trim_start();
    let words_after = |m: usize| t[m..].split_whitespace().count() >= 1;
    if let Some(m) = ZERO.find(t) {
        return words_after(m.end());
    }
    if let Some(m) = DIRECTION_DOWN.find(t).or_else(|| DIRECTION_UP.find(t)) {
        return words_after(m.end()) && !t[m.end()..].trim().is_empty();
    }
    false
}

fn read_segment(source: &Source, start: usize, end: usize, sc: &SegmentContext) -> Vec<(Measure, Inherit)> {
    let text = &source.text[start..end];
    let quantities = quantity::scan(text);
    let dates = quantity::deadlines(text);
    let mut review = Vec::new();
    let span = source.span(start, end);
    let stretch = sc.ctx.stretch || fold(text).contains("phan dau");

    let Some(q) = quantities.first() else {
        return qualitative(text, span, sc, stretch, dates.first().map(|d| d.date)).into_iter().collect();
    };
    if quantities.len() > 1 {
        review.push(ReviewFlag::new("value", "several figures in one phrase; only the first was read"));
    }
    let prefix = &text[..q.start];
    let suffix = &text[q.end..];
    let folded_prefix = fold(prefix);
    if ["uoc dat", "uoc thuc hien", "uoc tinh", "uoc th ", "thuc hien nam", "nam truoc dat"]
        .iter()
        .any(|w| folded_prefix.contains(w))
    {
        // "(năm 2023 ước đạt 73,2%)": last year's estimate quoted beside the
        // target, not a target.
        return Vec::new();
    }
    let words = read_prefix(prefix);
    let folded_suffix = fold(suffix);
    let mut cmp = words.cmp;
    if folded_suffix.trim_start().starts_with("tro len") || folded_suffix.contains(" tro len") {
        cmp = Some(Cmp::AtLeast);
    } else if folded_suffix.contains("tro xuong") {
        cmp = Some(Cmp::AtMost);
    }
    let continuation = words.name.is_empty() && cmp.is_none() && !words.increase && !words.decrease;
    let inherit = sc.previous.filter(|p| continuation && p.counted == q.counted);
    if let Some(prev) = inherit {
        cmp = prev.comparator;
    }
    let verb = match inherit {
        Some(prev) if words.name.is_empty() => prev.verb.clone(),
        _ => words.name.clone(),
    };
    let stretch = stretch || inherit.is_some_and(|p| p.stretch);

    let mut unit = q.unit.clone().unwrap_or_default();
    let mut counted = q.counted;
    let suffix_clean = clean_suffix(suffix);
    // "Số giường bệnh/vạn dân: 30,5 giường": the name carries the ratio unit.
    if let Some(ratio) = ratio_unit_in(&verb).filter(|r| unit.is_empty() || (r.starts_with(unit.as_str()) && counted)) {
        unit = ratio;
        counted = false;
    }
    let mut suffix_clean = suffix_clean;
    if unit.is_empty() {
        // A counted noun the lexicon does not know ("đạt 35 trạm sạc"): take
        // the words after the figure, and say so.
        match quantity::guess_counted_noun(text, q.end).filter(|_| !q.is_range() || q.unit.is_none()) {
            Some((noun, noun_end)) => {
                review.push(ReviewFlag::new("unit", format!("unit “{noun}” read from the words after the figure")));
                unit = noun;
                counted = true;
                suffix_clean = clean_suffix(&text[noun_end..]);
            }
            None => review.push(ReviewFlag::new("unit", "no unit after the figure")),
        }
    }
    let mut name = if counted && needs_noun(&verb, &suffix_clean) {
        join_words(&[&verb, &unit, &suffix_clean])
    } else {
        join_words(&[&verb, &suffix_clean])
    };
    if name.is_empty() || words.increase && name.split_whitespace().count() <= 4 && fold(&name).starts_with("so voi") {
        name = match (sc.previous, unit.contains('/')) {
            (_, true) => unit.clone(),
            (Some(prev), _) if !prev.verb.is_empty() && words.increase => {
                format!("Tốc độ tăng {}", lower_first(&prev.verb))
            }
            _ => sc.title.to_string(),
        };
    }
    let deadline = dates.first().map(|d| d.date);
    let complete = fold(text).contains("hoan thanh") && deadline.is_some();
    if complete {
        name = completion_name(text, &dates, q);
    }
    let name = capitalize(&strip_since(&name));

    let structure = sc.ctx.structure;
    // "X tăng 7 - 8% (so với năm trước)" sets the growth rate of X.
    let growth = unit == "%" && (is_growth_name(&name) || sc.growth || words.increase);
    let lower_better = LOWER_IS_BETTER.iter().any(|w| fold(&name).contains(w) || fold(sc.title).contains(w));
    let (comparator, kind) = if complete {
        (Comparator::CompleteBy, MeasureKind::Deadline)
    } else if words.decrease && !matches!(cmp, Some(Cmp::AtMost | Cmp::Below)) {
        (Comparator::DecreaseBy, MeasureKind::Change)
    } else if words.increase && unit != "%" {
        (Comparator::IncreaseBy, MeasureKind::Change)
    } else if q.is_range() {
        (Comparator::Between, kind_of(&unit, counted, growth, structure))
    } else {
        let kind = kind_of(&unit, counted, growth, structure);
        let comparator = match cmp {
            Some(Cmp::AtLeast) => Comparator::AtLeast,
            Some(Cmp::AtMost) => Comparator::AtMost,
            Some(Cmp::Below) => Comparator::Below,
            Some(Cmp::Above) => Comparator::Above,
            Some(Cmp::About) => Comparator::About,
            Some(Cmp::Equal) => Comparator::Equal,
            Some(Cmp::From) | None if kind == MeasureKind::Share => Comparator::Equal,
            Some(Cmp::From) | None if lower_better && !words.increase && !words.reach => {
                review.push(ReviewFlag::new("comparator", "read as a ceiling because less is better for this measure"));
                Comparator::AtMost
            }
            Some(Cmp::From) | None => Comparator::AtLeast,
        };
        (comparator, kind)
    };
    let (value, low, high) = if q.is_range() { (None, q.low, q.high) } else { (q.value, None, None) };
    let measure = Measure {
        value,
        low,
        high,
        unit: unit.clone(),
        deadline,
        subjects: subjects(text),
        stretch,
        source: span,
        review,
        ..Measure::new("", name, comparator, kind, aggregation(kind, &unit))
    };
    let inherit = Inherit { counted, comparator: cmp, verb, stretch };
    vec![(measure, inherit)]
}

/// The ratio unit a name spells out ("Số bác sĩ/vạn dân", "giường bệnh trên
/// vạn dân"), in canonical form.
pub fn ratio_unit_in(name: &str) -> Option<String> {
    let lower = name.to_lowercase();
    crate::lexicon::UNITS
        .iter()
        .filter(|(w, c)| c.contains('/') && c.contains("dân") && lower.contains(w))
        .max_by_key(|(w, _)| w.len())
        .map(|(_, c)| (*c).to_string())
}

/// Whether the counted noun belongs in the name: after a verb ("Thành lập
/// mới … hợp tác xã", "Công nhận … xã"), or before words that qualify it.
fn needs_noun(verb: &str, suffix: &str) -> bool {
    if verb.is_empty() || !suffix.is_empty() {
        return true;
    }
    let f = fold(verb);
    let last = f.split_whitespace().last().unwrap_or("");
    ["moi", "nhan", "cho", "them", "co", "lap", "tuyen", "tao", "dung", "vung", "hien", "nghe", "nhu"].contains(&last)
}

/// "… so với năm 2024" says what a growth rate is measured against; the
/// measure's name does not need it.
fn strip_since(name: &str) -> String {
    let f = fold(name);
    for marker in [" so voi nam ", " so voi cung ky", " so cung ky"] {
        if let Some(i) = f.find(marker) {
            // Folding keeps one character per character: cut at the same char.
            let chars = f[..i].chars().count();
            return name.chars().take(chars).collect::<String>().trim().to_string();
        }
    }
    name.to_string()
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if s.split_whitespace().next().is_none_or(|w| w.chars().filter(|c| c.is_uppercase()).count() <= 1) => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => s.to_string(),
    }
}

/// A measure with no figure: zero occurrences, a direction, a checklist.
fn qualitative(
    text: &str,
    span: kehoach_domain::Span,
    sc: &SegmentContext,
    stretch: bool,
    deadline: Option<chrono::NaiveDate>,
) -> Option<(Measure, Inherit)> {
    let trimmed = text.trim();
    let subjects = subjects(trimmed);
    let (comparator, kind, name) = if let Some(m) = ZERO.find(trimmed) {
        (Comparator::Zero, MeasureKind::Zero, trimmed[m.end()..].to_string())
    } else if let Some(m) = DIRECTION_DOWN.find(trimmed).filter(|m| m.end() < trimmed.len()) {
        (Comparator::Decrease, MeasureKind::Direction, trimmed[m.end()..].to_string())
    } else if !subjects.is_empty()
        && (fold(trimmed).contains("dat chuan") || fold(trimmed).contains("hoan thanh nhiem vu"))
    {
        (Comparator::CompleteBy, MeasureKind::Checklist, checklist_name(trimmed))
    } else if let Some(m) = DIRECTION_UP.find(trimmed).filter(|m| m.end() < trimmed.len()) {
        (Comparator::Increase, MeasureKind::Direction, trimmed[m.end()..].to_string())
    } else {
        return None;
    };
    let mut review = Vec::new();
    if kind == MeasureKind::Direction && comparator == Comparator::Increase {
        review.push(ReviewFlag::new("comparator", "a direction without a figure: check that it is meant as a target"));
    }
    let name = capitalize(&collapse(&name));
    let name = if name.is_empty() { sc.title.to_string() } else { name };
    let measure = Measure {
        deadline,
        subjects,
        stretch,
        source: span,
        review,
        ..Measure::new("", name, comparator, kind, aggregation(kind, ""))
    };
    Some((measure, Inherit { counted: false, comparator: None, verb: String::new(), stretch }))
}

/// "các huyện: Châu Thành, Thạnh Phú, Mỏ Cày Bắc và Bình Đại đạt chuẩn…" →
/// "Huyện đạt chuẩn…".
fn checklist_name(text: &str) -> String {
    match SUBJECTS.captures(text) {
        Some(c) => {
            let level = c.get(1).map_or("", |m| m.as_str());
            let before = text[..c.get(0).unwrap().start()].trim();
            let after = text[c.get(0).unwrap().end()..].trim();
            join_words(&[before, level, after])
        }
        None => text.to_string(),
    }
}

/// Named units in the text: "các huyện: A, B và C", "huyện D".
pub fn subjects(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // The pattern is costly; most phrases name no unit at all.
    let lower = text.to_lowercase();
    if !["huyện", "thị xã", "thành phố", "xã", "phường", "thị trấn", "quận"].iter().any(|w| lower.contains(w))
    {
        return out;
    }
    for c in SUBJECTS.captures_iter(text) {
        let names = c.get(2).map_or("", |m| m.as_str());
        let without_parents = PARENT.replace_all(names, "");
        for name in without_parents.split(',').flat_map(|p| p.split(" và ")) {
            let name = collapse(name);
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// The words before a figure: its comparator, whether it is a rise or a
/// fall, and the name that is left.
#[derive(Debug, Default)]
struct PrefixWords {
    cmp: Option<Cmp>,
    /// "đạt X": a level to reach, whatever the measure.
    reach: bool,
    increase: bool,
    decrease: bool,
    name: String,
}

fn read_prefix(prefix: &str) -> PrefixWords {
    let mut words: Vec<&str> = prefix.split_whitespace().collect();
    let mut out = PrefixWords::default();
    // Strip from the end: comparator words, then verbs like đạt/tăng/giảm,
    // as long as they keep matching.
    loop {
        let tail = fold(&words.join(" "));
        let tail = tail.trim_end_matches([':', '(', ' ']);
        if words.last().is_some_and(|w| *w == ":" || *w == "(") {
            words.pop();
            continue;
        }
        if let Some(last) = words.last_mut()
            && (last.ends_with(':') || last.ends_with('('))
        {
            *last = last.trim_end_matches([':', '(']);
            continue;
        }
        let mut matched = false;
        for (w, cmp) in COMPARATOR_WORDS {
            if ends_with_words(tail, w) {
                if out.cmp.is_none() {
                    out.cmp = Some(*cmp);
                }
                let n = w.split(' ').count();
                words.truncate(words.len().saturating_sub(n));
                matched = true;
                break;
            }
        }
        if matched {
            continue;
        }
        if ["dat", "dat muc", "dat duoc", "phan dau dat"].iter().any(|w| ends_with_words(tail, w)) {
            out.reach = true;
        }
        for (w, up, down) in [
            ("tang binh quan", true, false),
            ("tang them", true, false),
            ("tang", true, false),
            ("giam them", false, true),
            ("giam", false, true),
            ("dat muc", false, false),
            ("duy tri on dinh", false, false),
            ("duy tri", false, false),
            ("on dinh", false, false),
            ("o muc", false, false),
            ("dat", false, false),
            ("la", false, false),
            ("dat duoc", false, false),
            ("phan dau dat", false, false),
            ("phan dau", false, false),
            ("binh quan", false, false),
            ("nam", false, false),
        ] {
            if ends_with_words(tail, w) {
                out.increase |= up;
                out.decrease |= down;
                words.truncate(words.len().saturating_sub(w.split(' ').count()));
                matched = true;
                break;
            }
        }
        if !matched {
            break;
        }
    }
    while words.first().is_some_and(|w| ["và", "với", "còn", "riêng"].contains(&w.to_lowercase().as_str())) {
        words.remove(0);
    }
    out.name = words.join(" ");
    out
}

fn ends_with_words(tail: &str, w: &str) -> bool {
    tail == w || tail.ends_with(&format!(" {w}"))
}

/// The words after the unit that qualify the measure ("so với lực lượng lao
/// động", "khởi nghiệp"), without "trở lên" and dates.
fn clean_suffix(suffix: &str) -> String {
    let mut s = collapse(suffix);
    for w in ["trở lên", "trở xuống"] {
        if let Some(i) = s.find(w) {
            s = format!("{} {}", &s[..i], &s[i + w.len()..]);
        }
    }
    let s = s.trim().trim_matches(|c: char| c == ',' || c == ')' || c.is_whitespace());
    let lower = s.to_lowercase();
    if lower == "chỉ tiêu" || lower == "kế hoạch" || lower == "so với kế hoạch" {
        return String::new();
    }
    collapse(s)
}

/// The name of a "by date D complete (100 %) X" measure: X.
fn completion_name(text: &str, dates: &[quantity::DateMention], q: &Quantity) -> String {
    let mut keep = String::new();
    let mut last = 0;
    let mut cuts: Vec<(usize, usize)> = dates.iter().map(|d| (d.start, d.end)).collect();
    cuts.push((q.start, q.end));
    cuts.sort();
    for (s, e) in cuts {
        if s >= last {
            keep.push_str(&text[last..s]);
            keep.push(' ');
            last = e;
        }
    }
    keep.push_str(&text[last..]);
    let mut name = collapse(&keep.replace("()", " ").replace("( )", " "));
    name = name.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == ':').to_string();
    for lead in ["đến", "trước", "ngày", "hoàn thành", "việc"] {
        loop {
            let f = fold(&name);
            let lf = fold(lead);
            if f.starts_with(&format!("{lf} ")) {
                name = name[lead.len()..].trim_start_matches(|c: char| c.is_whitespace() || c == ',').to_string();
            } else {
                break;
            }
        }
    }
    name
}

fn kind_of(unit: &str, counted: bool, growth: bool, structure: bool) -> MeasureKind {
    if unit == "%" && structure {
        MeasureKind::Share
    } else if unit == "%" && growth {
        MeasureKind::Growth
    } else if unit.contains('/') {
        MeasureKind::Ratio
    } else if counted {
        MeasureKind::Count
    } else {
        MeasureKind::Level
    }
}

/// How values combine: flows and counts add up, ratios by their parts, rates
/// and stocks by the latest figure.
pub fn aggregation(kind: MeasureKind, unit: &str) -> Aggregation {
    match kind {
        MeasureKind::Growth | MeasureKind::Share | MeasureKind::Checklist => Aggregation::None,
        MeasureKind::Ratio => Aggregation::Ratio,
        MeasureKind::Count | MeasureKind::Zero | MeasureKind::Direction => Aggregation::Sum,
        MeasureKind::Level if unit == "%" || unit == "‰" || unit == "điểm" => Aggregation::Latest,
        MeasureKind::Level => Aggregation::Sum,
        MeasureKind::Change | MeasureKind::Deadline => Aggregation::Latest,
    }
}

fn is_growth_name(name: &str) -> bool {
    let f = fold(name);
    f.contains("toc do tang") || f.starts_with("tang truong") || f.contains("grdp tang")
}

fn join_words(parts: &[&str]) -> String {
    collapse(&parts.iter().filter(|p| !p.trim().is_empty()).copied().collect::<Vec<_>>().join(" "))
}

pub fn capitalize(s: &str) -> String {
    let mut s = s.trim().trim_matches(|c: char| c == ',' || c == ';' || c == ':' || c == '-' || c.is_whitespace());
    for lead in ["với ", "và ", "trong đó ", "gồm ", "còn "] {
        if s.get(..lead.len()).is_some_and(|p| p.to_lowercase() == lead) && s.len() > lead.len() {
            s = s[lead.len()..].trim_start();
        }
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measures(text: &str) -> Vec<Measure> {
        let source = Source::new(text);
        read_measures(&source, 0, source.text.len(), "", &Context::default()).into_iter().map(|d| d.measure).collect()
    }

    #[test]
    fn an_unknown_counted_noun_is_read_and_flagged() {
        let m = measures("Lắp đặt đạt 35 trạm sạc xe điện");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].unit, "trạm sạc");
        assert_eq!(m[0].review.len(), 1);
        assert!(m[0].review[0].reason.contains("trạm sạc"), "{:?}", m[0].review);
    }

    #[test]
    fn a_list_wide_quantifier_governs_the_list() {
        let m = measures("Thành lập mới ít nhất 50 tổ hợp tác; 15 hợp tác xã; 01 Liên hiệp hợp tác xã nông nghiệp");
        let got: Vec<(Comparator, &str)> = m.iter().map(|m| (m.comparator, m.unit.as_str())).collect();
        assert_eq!(
            got,
            [
                (Comparator::AtLeast, "tổ hợp tác"),
                (Comparator::AtLeast, "hợp tác xã"),
                (Comparator::AtLeast, "liên hiệp hợp tác xã")
            ]
        );
        assert_eq!(m[1].name, "Thành lập mới hợp tác xã");
    }

    #[test]
    fn comparator_words() {
        let cases = [
            ("Tỷ lệ A không quá 5%", Comparator::AtMost),
            ("Tỷ lệ A dưới 5%", Comparator::Below),
            ("Tỷ lệ A trên 5%", Comparator::Above),
            ("Tỷ lệ A khoảng 5%", Comparator::About),
            ("Tỷ lệ A tối thiểu 5%", Comparator::AtLeast),
            ("Tỷ lệ A đạt 5% trở lên", Comparator::AtLeast),
            ("Tỷ lệ A từ 5% đến 6%", Comparator::Between),
            ("Tỷ lệ hộ nghèo giảm 1,5%", Comparator::DecreaseBy),
            ("Tỷ lệ hộ nghèo giảm còn dưới 1,5%", Comparator::Below),
            ("Tỷ lệ thất nghiệp khu vực thành thị 3%", Comparator::AtMost),
            ("Không để xảy ra cháy rừng", Comparator::Zero),
            ("Kiềm chế, kéo giảm tai nạn giao thông", Comparator::Decrease),
        ];
        for (text, want) in cases {
            let m = measures(text);
            assert_eq!(m.len(), 1, "{text}");
            assert_eq!(m[0].comparator, want, "{text}");
        }
        // A ceiling assumed from the name is flagged.
        assert!(!measures("Tỷ lệ thất nghiệp khu vực thành thị 3%")[0].review.is_empty());
    }
}
