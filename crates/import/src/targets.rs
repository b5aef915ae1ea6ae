//! The target list in its layouts: lettered items, bullets or numbers under
//! sector headings, running prose, and tables.

use kehoach_domain::{Measure, ReviewFlag, Sector, Target};
use std::collections::HashSet;

use crate::measure::{self, Context, Draft, capitalize};
use crate::split::{split_top, trim};
use crate::structure::{Item, MarkerKind, items};
use crate::table;
use crate::text::{Source, collapse, fold};

/// Reads the targets in `source.text[start..end]`.
pub fn read_targets(source: &Source, start: usize, end: usize) -> Vec<Target> {
    if let Some(targets) = table::read_table(source, start, end) {
        return targets;
    }
    let found = items(source, start, end);
    let leaves: Vec<&Item> = found.iter().filter(|i| !i.has_children).collect();
    if leaves.len() >= 2 {
        let mut targets = Vec::new();
        // The sector headings in force, with their levels: a heading governs
        // the items nested under it, not those after it at its own level.
        let mut headings: Vec<(usize, Option<Sector>, bool)> = Vec::new();
        let labels_unique = {
            let mut seen = HashSet::new();
            leaves.iter().all(|i| i.kind != MarkerKind::Dash && seen.insert((i.label.clone(), i.kind)))
        };
        let mut number = 0;
        for item in &found {
            while headings.last().is_some_and(|&(level, _, _)| item.level <= level) {
                headings.pop();
            }
            if item.has_children {
                let text = &source.text[item.text_start..item.own_end];
                let outer = headings.last().and_then(|&(_, sector, _)| sector);
                headings.push((item.level, sector_of(text).or(outer), fold(text).contains("co cau")));
                // A heading that carries its own figures before its children
                // ("a) Tăng trưởng 8%, trong đó:") is a target too.
                if crate::quantity::scan(text).is_empty() {
                    continue;
                }
            }
            number += 1;
            let code = if labels_unique { item.label.clone() } else { number.to_string() };
            let end = if item.has_children { item.own_end } else { item.end };
            let (sector, structure) =
                headings.last().map_or((None, false), |&(_, sector, structure)| (sector, structure));
            if let Some(t) = target(source, &code, item.text_start, end, sector, structure) {
                targets.push(t);
            }
        }
        return targets;
    }
    // Running prose: "…: tăng trưởng GRDP 7%; thu ngân sách 10.000 tỷ đồng; …".
    split_top(&source.text, start, end, &[';'])
        .into_iter()
        .enumerate()
        .filter_map(|(i, (s, e))| target(source, &(i + 1).to_string(), s, e, None, false))
        .collect()
}

fn target(
    source: &Source,
    code: &str,
    start: usize,
    end: usize,
    sector: Option<Sector>,
    structure_heading: bool,
) -> Option<Target> {
    let (start, end) = trim(&source.text, start, end);
    if start >= end {
        return None;
    }
    let body = &source.text[start..end];
    // "Cơ cấu kinh tế: Khu vực I: 33,10%; …": the words before the first colon
    // title the target when they hold no figure.
    let head = heading_of(body);
    let measures_from = head.as_ref().map_or(start, |(_, n)| start + n);
    let head_title = head.map(|(t, _)| t);
    let title_hint = head_title.clone().unwrap_or_else(|| collapse(body.split([';', '\n']).next().unwrap_or(body)));
    let ctx = Context {
        structure: structure_heading || fold(&title_hint).contains("co cau"),
        stretch: fold(body).starts_with("phan dau"),
    };
    let drafts = measure::read_measures(source, measures_from, end, &title_hint, &ctx);
    let mut review = Vec::new();
    if drafts.is_empty() {
        review.push(ReviewFlag::new("measures", "no figure or measurable wording found in this target"));
    }
    let measures = assign_keys(code, drafts);
    let first_clause = || {
        let flat = collapse(body);
        capitalize(flat.split(';').next().unwrap_or(&flat).split(':').next().unwrap_or(&flat))
    };
    let title = head_title.unwrap_or_else(|| match measures.first() {
        Some(m) if m.value.is_some() || m.low.is_some() => m.name.clone(),
        _ => first_clause(),
    });
    let sector = sector
        .or_else(|| sector_of(&title))
        .or_else(|| measures.iter().find_map(|m| sector_of(&m.name)))
        .or_else(|| sector_of(body));
    Some(Target { code: code.to_string(), title, sector, measures, source: source.span(start, end), review })
}

/// "Cơ cấu kinh tế:" at the start of a target: its title, and the bytes to
/// skip to reach its measures.
fn heading_of(body: &str) -> Option<(String, usize)> {
    let first_clause = body.split(';').next().unwrap_or(body);
    let (head, _) = first_clause.split_once(':')?;
    let words = head.split_whitespace().count();
    if head.chars().any(|c| c.is_ascii_digit()) || words == 0 || words > 14 || !crate::quantity::scan(head).is_empty() {
        return None;
    }
    // "Khu vực I: 33,10%" is a measure, not a heading: a heading is followed
    // by more than one figure.
    let after = &body[head.len() + 1..];
    if crate::quantity::scan(after).len() < 2 && !after.trim_start_matches([' ', '\t']).starts_with('\n') {
        return None;
    }
    Some((capitalize(&collapse(head)), head.len() + 1))
}

fn assign_keys(code: &str, drafts: Vec<Draft>) -> Vec<Measure> {
    let keys: Vec<String> = (1..=drafts.len()).map(|n| format!("{code}.{n}")).collect();
    drafts
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let mut m = d.measure;
            m.key = keys[i].clone();
            m.part_of = d.part_of.filter(|&p| p != i).map(|p| keys[p].clone());
            m
        })
        .collect()
}

/// The sector a heading or title speaks of.
pub fn sector_of(text: &str) -> Option<Sector> {
    let f = fold(text);
    let has = |w: &str| f.contains(w);
    if has("moi truong") || has("rac thai") || has("chat thai") || has("nuoc sach") || has("che phu rung") {
        Some(Sector::Environment)
    } else if has("quoc phong")
        || has("an ninh")
        || has("toi pham")
        || has("nhap ngu")
        || has("hinh su")
        || has("quan su")
    {
        Some(Sector::DefenceSecurity)
    } else if has("xa hoi") && !has("kinh te - xa hoi") && !has("toan xa hoi")
        || has("van hoa")
        || has("y te")
        || has("giao duc")
        || has("ngheo")
        || has("lao dong")
        || has("bac si")
        || has("giuong benh")
        || has("bao hiem")
        || has("viec lam")
        || has("nha tam")
        || has("nha o")
    {
        Some(Sector::Society)
    } else if has("cai cach hanh chinh") || has("chinh quyen") {
        Some(Sector::Administration)
    } else if has("kinh te")
        || has("grdp")
        || has("xuat khau")
        || has("ngan sach")
        || has("dau tu")
        || has("doanh nghiep")
        || has("hop tac")
        || has("do thi")
        || has("nong thon moi")
    {
        Some(Sector::Economy)
    } else {
        None
    }
}
