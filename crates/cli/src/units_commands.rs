//! `kehoach units`: the country's administrative units with their official
//! codes, before and after the reform of 01/07/2025, and their lineage.

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use kehoach_country::{Country, country, fold, sort_vi};
use kehoach_domain::org::{OrgLevel, OrgUnit, short_name};
use serde_json::{Value, json};

#[derive(Subcommand)]
pub(crate) enum UnitsCommand {
    /// List the units that existed on a day [default: today], by name in
    /// Vietnamese order.
    List {
        /// The day (YYYY-MM-DD): 2025-06-30 gives the 63 provinces and their
        /// districts, 2025-07-01 the 34 provinces and 3,321 communes.
        #[arg(long)]
        on: Option<NaiveDate>,
        #[arg(long, value_enum)]
        level: Option<Level>,
        /// Only the units within this one (a code, or the name of a unit).
        #[arg(long = "in")]
        within: Option<String>,
        /// Only the units whose name holds this text (tones and case aside).
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One unit: name, level, parent, when it existed, and the units it was
    /// formed from or went into.
    Show {
        code: String,
        /// The day the code is meant on [default: the unit it names now, or
        /// last named]: codes were reused by the reform (86 is old Vĩnh Long
        /// until 30/06/2025, the new one after).
        #[arg(long)]
        on: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Level {
    Province,
    District,
    Commune,
}

impl From<Level> for OrgLevel {
    fn from(l: Level) -> Self {
        match l {
            Level::Province => OrgLevel::Province,
            Level::District => OrgLevel::District,
            Level::Commune => OrgLevel::Commune,
        }
    }
}

pub(crate) fn run(command: UnitsCommand, today: NaiveDate) -> Result<String> {
    let c = country();
    match command {
        UnitsCommand::List { on, level, within, search, json } => {
            let on = on.unwrap_or(today);
            let within = within.map(|w| find(c, &w, Some(on))).transpose()?;
            let search = search.map(|s| fold(&s));
            let mut units: Vec<&OrgUnit> = c
                .on(on)
                .filter(|u| level.is_none_or(|l| u.level == l.into()))
                .filter(|u| within.is_none_or(|w| w.code != u.code && inside(c, u, &w.code, on)))
                .filter(|u| search.as_ref().is_none_or(|s| fold(&u.name).contains(s.as_str())))
                .collect();
            units.sort_by(|a, b| a.level.cmp(&b.level).then(a.code.cmp(&b.code)));
            sort_vi(&mut units, |u| short_name(&u.name));
            Ok(if json { pretty(&Value::Array(units.iter().map(|u| unit_json(u)).collect())) } else { table(&units) })
        }
        UnitsCommand::Show { code, on, json } => {
            let unit = find(c, &code, on)?;
            Ok(if json { pretty(&show_json(c, unit)) } else { show_text(c, unit) })
        }
    }
}

/// A unit by code (or name), on a day or, without one, the latest.
fn find<'a>(c: &'a Country, wanted: &str, on: Option<NaiveDate>) -> Result<&'a OrgUnit> {
    let found = match on {
        Some(day) => c
            .unit_on(wanted.trim(), day)
            .or_else(|| kehoach_domain::org::find(&c.units, wanted).filter(|u| u.valid_on(day))),
        None => kehoach_domain::org::find(&c.units, wanted),
    };
    match (found, on) {
        (Some(u), _) => Ok(u),
        (None, Some(day)) => bail!(
            "no unit “{wanted}” on {}: give a code or name of a unit of that day (kehoach units list --on {day})",
            day.format("%d/%m/%Y")
        ),
        (None, None) => {
            bail!("no unit “{wanted}” in the country: give an official code (kehoach units list --search NAME)")
        }
    }
}

/// Whether `unit` lies within `code` on a day, through its parents.
fn inside(c: &Country, unit: &OrgUnit, code: &str, on: NaiveDate) -> bool {
    let mut at = unit;
    for _ in 0..8 {
        let Some(parent) = at.parent.as_deref().and_then(|p| c.unit_on(p, on)) else { return false };
        if parent.code == code {
            return true;
        }
        at = parent;
    }
    false
}

fn date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| json!(d.to_string()))
}

fn unit_json(u: &OrgUnit) -> Value {
    json!({
        "code": u.code,
        "name": u.name,
        "level": u.level.as_str(),
        "parent": u.parent,
        "valid_from": date(u.valid_from),
        "valid_to": date(u.valid_to),
    })
}

fn show_json(c: &Country, u: &OrgUnit) -> Value {
    let parent = u.parent.as_deref().and_then(|p| c.unit_on(p, u.valid_to.or(u.valid_from)?));
    let link = |(l, other): &(&kehoach_domain::org::Lineage, &OrgUnit)| {
        json!({
            "code": other.code,
            "name": other.name,
            "level": other.level.as_str(),
            "valid_from": date(other.valid_from),
            "valid_to": date(other.valid_to),
            "whole": l.whole,
        })
    };
    let mut out = unit_json(u);
    out["parent_name"] = parent.map_or(Value::Null, |p| json!(p.name));
    out["successor"] = json!(u.successor);
    out["predecessors"] = Value::Array(c.predecessors(u).iter().map(link).collect());
    out["successors"] = Value::Array(c.successors(u).iter().map(link).collect());
    out
}

fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".into(), |d| d.format("%d/%m/%Y").to_string())
}

fn table(units: &[&OrgUnit]) -> String {
    use std::fmt::Write;
    let mut out = format!("{:<6} {:<9} {:<40} {:<7} {:<10} {}\n", "code", "level", "name", "parent", "from", "to");
    for u in units {
        let name = &u.name;
        let _ = writeln!(
            out,
            "{:<6} {:<9} {name:<40} {:<7} {:<10} {}",
            u.code,
            u.level.as_str(),
            u.parent.as_deref().unwrap_or("—"),
            day(u.valid_from),
            day(u.valid_to)
        );
    }
    let _ = writeln!(out, "{} unit(s)", units.len());
    out
}

fn show_text(c: &Country, u: &OrgUnit) -> String {
    use std::fmt::Write;
    let mut out = format!("{} {} ({})\n", u.code, u.name, u.level);
    if let Some(p) = u.parent.as_deref() {
        let name = c.unit_on(p, u.valid_to.or(u.valid_from).unwrap_or(kehoach_country::REFORM));
        let _ = writeln!(out, "within: {p} {}", name.map_or("", |p| p.name.as_str()));
    }
    let _ = writeln!(out, "existed: {} – {}", day(u.valid_from), day(u.valid_to));
    for (title, links) in [("formed from", c.predecessors(u)), ("went into", c.successors(u))] {
        if links.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title}:");
        for (l, other) in links {
            let part = if l.whole { "" } else { " (part)" };
            let _ = writeln!(out, "  {} {}{part}", other.code, other.name);
        }
    }
    for other in c.units.iter().filter(|o| o.code == u.code && !std::ptr::eq(*o, u)) {
        let _ = writeln!(
            out,
            "the code also named {} ({} – {}): kehoach units show {} --on {}",
            other.name,
            day(other.valid_from),
            day(other.valid_to),
            other.code,
            other.valid_to.or(other.valid_from).map_or_else(String::new, |d| d.to_string())
        );
    }
    out
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("JSON of our own values") + "\n"
}
