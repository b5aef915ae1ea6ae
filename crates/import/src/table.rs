//! Targets laid out as a table: `Stt | Chỉ tiêu | Đơn vị tính | … | Kế hoạch`.
//! Rows come from text with `|` or tab separators, and from DOCX tables
//! (which the DOCX reader writes the same way).

use kehoach_domain::{Comparator, Measure, MeasureKind, ReviewFlag, Sector, Target};
use regex::Regex;
use std::sync::LazyLock;

use crate::measure::{aggregation, capitalize};
use crate::quantity;
use crate::targets::sector_of;
use crate::text::{Source, collapse, fold};
use kehoach_domain::number::parse_decimal;
use rust_decimal::Decimal;

struct Row {
    start: usize,
    end: usize,
    cells: Vec<(usize, usize)>,
}

struct Columns {
    stt: Option<usize>,
    name: usize,
    unit: Option<usize>,
    plan: usize,
}

static UNIT_IN_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(([^()]{1,40})\)\s*$").unwrap());

/// Reads a table of targets, or `None` when the range holds no such table.
pub fn read_table(source: &Source, start: usize, end: usize) -> Option<Vec<Target>> {
    let rows = rows(source, start, end);
    let header_at = rows.iter().position(|r| {
        let cells: Vec<String> = r.cells.iter().map(|&(s, e)| fold(&source.text[s..e])).collect();
        cells.iter().any(|c| c.contains("chi tieu") || c.contains("noi dung"))
            && cells.iter().any(|c| c.contains("ke hoach") || c.contains("muc tieu") || c.starts_with("kh"))
    })?;
    let columns = columns(source, &rows[header_at])?;
    let mut targets: Vec<Target> = Vec::new();
    let mut sector: Option<Sector> = None;
    let mut number = 0;
    for row in &rows[header_at + 1..] {
        let cell = |i: usize| row.cells.get(i).map_or("", |&(s, e)| source.text[s..e].trim());
        let stt = columns.stt.map(cell).unwrap_or("");
        let raw_name = cell(columns.name);
        let plan_cell = row.cells.get(columns.plan).copied();
        let plan_text = plan_cell.map_or("", |(s, e)| source.text[s..e].trim());
        if raw_name.is_empty() {
            continue;
        }
        let numbered = !stt.is_empty() && stt.chars().all(|c| c.is_ascii_digit());
        if plan_text.is_empty() {
            if numbered {
                // "3 | Cơ cấu kinh tế | | |" heads the rows below it.
                number += 1;
                targets.push(Target {
                    code: stt.to_string(),
                    title: capitalize(&collapse(raw_name)),
                    sector: sector.or_else(|| sector_of(raw_name)),
                    measures: vec![],
                    source: source.span(row.start, row.end),
                    review: vec![],
                });
            } else {
                sector = sector_of(raw_name).or(sector);
            }
            continue;
        }
        let mut unit = columns.unit.map(cell).map(normalize_unit).unwrap_or_default();
        let mut name = raw_name.to_string();
        if let Some(c) = UNIT_IN_NAME.captures(raw_name) {
            let inner = normalize_unit(&c[1]);
            if unit.is_empty() && looks_like_unit(&inner) {
                unit = inner;
                name = raw_name[..c.get(0).unwrap().start()].trim().to_string();
            }
        }
        let name = capitalize(&collapse(name.trim_start_matches(['-', '–', '+', '*', ' '])));
        let name = strip_in_which(&name);
        let Some((ps, pe)) = plan_cell else { continue };
        // Rows under a numbered row: "3.1", or no number at all ("- Dịch vụ").
        let child = (stt.contains('.') || stt.is_empty()) && !targets.is_empty();
        let structure = child && targets.last().is_some_and(|t| fold(&t.title).contains("co cau"));
        let mut measure = cell_measure(source, (ps, pe), row, &name, &unit);
        if structure && measure.unit == "%" {
            measure.kind = MeasureKind::Share;
            measure.aggregation = aggregation(MeasureKind::Share, "%");
            if measure.comparator == Comparator::AtLeast {
                measure.comparator = Comparator::Equal;
            }
        }
        match (child, targets.last_mut()) {
            (true, Some(parent)) => {
                let key = format!("{}.{}", parent.code, parent.measures.len() + 1);
                let total = parent.measures.first().filter(|_| !structure).map(|m| m.key.clone());
                parent.measures.push(Measure { key, part_of: total, ..measure });
            }
            _ => {
                number += 1;
                let code = if stt.chars().all(|c| c.is_ascii_digit()) && !stt.is_empty() {
                    stt.to_string()
                } else {
                    number.to_string()
                };
                let key = format!("{code}.1");
                targets.push(Target {
                    code,
                    title: name.clone(),
                    sector: sector.or_else(|| sector_of(&name)),
                    measures: vec![Measure { key, ..measure }],
                    source: source.span(row.start, row.end),
                    review: vec![],
                });
            }
        }
    }
    targets.retain(|t| !t.measures.is_empty());
    (!targets.is_empty()).then_some(targets)
}

/// "Trong đó: Vốn ngân sách nhà nước" → "Vốn ngân sách nhà nước".
fn strip_in_which(name: &str) -> String {
    let f = fold(name);
    for lead in ["trong do:", "trong do", "trong do,"] {
        if f.starts_with(lead) {
            let chars = lead.chars().count();
            return capitalize(&name.chars().skip(chars).collect::<String>());
        }
    }
    name.to_string()
}

fn rows(source: &Source, start: usize, end: usize) -> Vec<Row> {
    let mut out = Vec::new();
    for (ls, le) in source.lines() {
        if le <= start || ls >= end {
            continue;
        }
        let line = &source.text[ls..le];
        let sep = if line.matches('|').count() >= 2 {
            '|'
        } else if line.matches('\t').count() >= 2 {
            '\t'
        } else {
            continue;
        };
        let trimmed_line = line.trim();
        let offset = ls + (line.len() - line.trim_start().len());
        let body = trimmed_line.strip_prefix('|').unwrap_or(trimmed_line);
        let lead = trimmed_line.len() - body.len();
        let body = body.strip_suffix('|').unwrap_or(body);
        let mut cells = Vec::new();
        let mut pos = offset + lead;
        for cell in body.split(sep) {
            cells.push((pos, pos + cell.len()));
            pos += cell.len() + sep.len_utf8();
        }
        if cells.iter().all(|&(s, e)| source.text[s..e].trim().chars().all(|c| c == '-' || c == ':' || c == ' ')) {
            continue; // a Markdown rule line
        }
        out.push(Row { start: ls, end: le, cells });
    }
    out
}

fn columns(source: &Source, header: &Row) -> Option<Columns> {
    let cells: Vec<String> = header.cells.iter().map(|&(s, e)| fold(source.text[s..e].trim())).collect();
    let stt = cells.iter().position(|c| c == "stt" || c == "tt" || c == "so tt" || c == "so thu tu");
    let name = cells.iter().position(|c| {
        c.contains("chi tieu") && !c.contains("ke hoach") || c.contains("noi dung") || c.contains("ten chi tieu")
    })?;
    let unit = cells.iter().position(|c| c.contains("don vi") || c == "dvt" || c.contains("dvt"));
    let plan = cells
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            *i != name
                && (c.contains("ke hoach")
                    || c.starts_with("kh ")
                    || c == &"kh"
                    || c.contains("muc tieu")
                    || c.contains("chi tieu nam"))
        })
        .filter(|(_, c)| !c.contains("uoc") && !c.contains("thuc hien"))
        .map(|(i, _)| i)
        .next_back()?;
    Some(Columns { stt, name, unit, plan })
}

fn normalize_unit(u: &str) -> String {
    let t = collapse(u);
    let lower = t.to_lowercase();
    crate::lexicon::UNITS
        .iter()
        .find(|(w, _)| *w == lower)
        .map(|(_, c)| (*c).to_string())
        .unwrap_or_else(|| if t.chars().any(char::is_uppercase) && t.len() <= 5 { t.clone() } else { lower })
}

fn looks_like_unit(u: &str) -> bool {
    let lower = u.to_lowercase();
    crate::lexicon::UNITS.iter().any(|(_, c)| c.to_lowercase() == lower)
        || crate::lexicon::COUNTED_NOUNS.contains(&lower.as_str())
        || u.contains('/')
        || u == "%"
}

/// The planned figure in a cell: `8,0 - 8,5`, `≥ 70`, `> 95`, `Khoảng 30`,
/// `7% trở lên`, `giảm 1`.
fn cell_measure(source: &Source, (ps, pe): (usize, usize), row: &Row, name: &str, unit: &str) -> Measure {
    let cell = source.text[ps..pe].trim();
    let folded = fold(cell);
    let figure = cell_figure(cell);
    let mut review = Vec::new();
    let growth = fold(name).contains("tang truong") || fold(name).contains("toc do tang");
    let lower_better = crate::lexicon::LOWER_IS_BETTER.iter().any(|w| fold(name).contains(w));
    let decrease = folded.starts_with("giam") || fold(name).ends_with(" giam") || fold(name).contains(" giam ");
    let (mut comparator, value, low, high) = match figure {
        Some((lo, Some(hi))) => (Comparator::Between, None, Some(lo), Some(hi)),
        Some((v, None)) => (Comparator::AtLeast, Some(v), None, None),
        None => {
            review.push(ReviewFlag::new("value", format!("no figure read in the plan cell “{cell}”")));
            (Comparator::AtLeast, None, None, None)
        }
    };
    if comparator != Comparator::Between {
        comparator = if cell.starts_with('≥')
            || cell.starts_with(">=")
            || folded.contains("tro len")
            || folded.starts_with("toi thieu")
            || folded.starts_with("it nhat")
        {
            Comparator::AtLeast
        } else if cell.starts_with('>') || folded.starts_with("tren") {
            Comparator::Above
        } else if cell.starts_with('≤')
            || cell.starts_with("<=")
            || folded.starts_with("khong qua")
            || folded.starts_with("toi da")
        {
            Comparator::AtMost
        } else if cell.starts_with('<') || folded.starts_with("duoi") {
            Comparator::Below
        } else if folded.starts_with("khoang") || cell.starts_with('~') {
            Comparator::About
        } else if lower_better && !decrease {
            review.push(ReviewFlag::new("comparator", "read as a ceiling because less is better for this measure"));
            Comparator::AtMost
        } else {
            Comparator::AtLeast
        };
    }
    let cell_unit = || quantity::scan(&format!("đạt {cell}")).first().and_then(|q| q.unit.clone());
    let mut unit = if unit.is_empty() { cell_unit().unwrap_or_default() } else { unit.to_string() };
    if let Some(ratio) = crate::measure::ratio_unit_in(name).filter(|r| unit.is_empty() || r.starts_with(unit.as_str()))
    {
        unit = ratio;
    }
    let kind = if decrease {
        comparator = Comparator::DecreaseBy;
        MeasureKind::Change
    } else if unit == "%" && growth {
        MeasureKind::Growth
    } else if fold(name).contains("co cau") {
        MeasureKind::Share
    } else if unit.contains('/') {
        MeasureKind::Ratio
    } else if crate::lexicon::COUNTED_NOUNS.contains(&unit.as_str()) {
        MeasureKind::Count
    } else {
        MeasureKind::Level
    };
    if unit.is_empty() {
        review.push(ReviewFlag::new("unit", "the row gives no unit"));
    }
    Measure {
        key: String::new(),
        name: name.to_string(),
        comparator,
        value,
        low,
        high,
        unit: unit.clone(),
        deadline: None,
        subjects: vec![],
        kind,
        aggregation: aggregation(kind, &unit),
        stretch: false,
        part_of: None,
        formula: None,
        indicator: None,
        source: source.span(row.start, row.end),
        review,
    }
}

/// The number or range in a plan cell, without its comparator words and
/// unit: `8,0 - 8,5`, `≥ 70`, `> 95`, `Khoảng 30`, `7% trở lên`, `giảm 1`.
fn cell_figure(cell: &str) -> Option<(Decimal, Option<Decimal>)> {
    let numbers: Vec<&str> = cell
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .map(|n| n.trim_matches(|c| c == '.' || c == ','))
        .filter(|n| !n.is_empty())
        .collect();
    match numbers.as_slice() {
        [one] => Some((parse_decimal(one).ok()?, None)),
        [lo, hi] if cell.contains(['-', '–', '—']) || fold(cell).contains("den") => {
            Some((parse_decimal(lo).ok()?, Some(parse_decimal(hi).ok()?)))
        }
        _ => None,
    }
}
