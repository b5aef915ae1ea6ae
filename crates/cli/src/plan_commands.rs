//! `kehoach plan list|add|default`: the plans a database holds side by
//! side, for regions of the country over years or spans.

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use kehoach_domain::PlanKind;
use kehoach_domain::org::OrgUnit;
use kehoach_store::{Drafts, NewPlan, PlanEntry, Store};
use serde_json::{Value, json};
use std::path::Path;

use crate::store_commands::{actor, open};

/// What `plan add` was told of the span.
pub(crate) enum Span {
    Year(i32),
    Days(NaiveDate, NaiveDate),
}

pub(crate) async fn list(database: &str, as_json: bool) -> Result<String> {
    let store = open(database).await?;
    let plans = store.plans().await?;
    let default = store.default_plan().await?;
    let drafts: Vec<_> = store.drafts().await?.into_iter().filter(|d| d.plan_id.is_none()).collect();
    let region = |p: &PlanEntry| {
        let unit = kehoach_country::country().find_during(p.region_code.as_deref().unwrap_or(&p.region), p.from, p.to);
        (
            p.region_code.clone().or_else(|| unit.map(|u| u.code.clone())),
            unit.map_or(p.region.clone(), |u| u.name.clone()),
        )
    };
    if as_json {
        let mut out: Vec<Value> = plans
            .iter()
            .map(|p| {
                let (code, name) = region(p);
                json!({
                    "id": p.id,
                    "region": code,
                    "region_name": name,
                    "year": p.year,
                    "from": p.from.to_string(),
                    "to": p.to.to_string(),
                    "kind": p.kind.as_str(),
                    "state": "adopted",
                    "default": Some(p.id) == default,
                })
            })
            .collect();
        out.extend(drafts.iter().map(|d| json!({"draft": d.id, "file_name": d.file_name, "state": "draft"})));
        return Ok(serde_json::to_string_pretty(&out)? + "\n");
    }
    use std::fmt::Write;
    let mut out = format!("{:<4} {:<6} {:<24} {:<23} {:<12} state\n", "id", "region", "name", "span", "kind");
    for p in &plans {
        let (code, name) = region(p);
        let mark = if Some(p.id) == default { "adopted (default)" } else { "adopted" };
        let span = format!("{} – {}", p.from.format("%d/%m/%Y"), p.to.format("%d/%m/%Y"));
        let _ =
            writeln!(out, "{:<4} {:<6} {name:<24} {span:<23} {:<12} {mark}", p.id, code.unwrap_or_default(), p.kind);
    }
    for d in &drafts {
        let _ = writeln!(out, "draft {}: {} (being reviewed: /plan/drafts/{})", d.id, d.file_name, d.id);
    }
    Ok(out)
}

pub(crate) async fn add(
    database: &str,
    file: &Path,
    region: &str,
    span: Span,
    kind: Option<PlanKind>,
) -> Result<String> {
    let (from, to, kind) = span_of(span, kind)?;
    let country = kehoach_country::country();
    let all: Vec<&OrgUnit> = country.units.iter().filter(|u| u.code == region.trim()).collect();
    let Some(unit) = country.find_during(region, from, to).filter(|u| u.code == region.trim()) else {
        match all.as_slice() {
            [] => bail!("no unit “{region}” in the country: give an official code (kehoach units list --search NAME)"),
            some => bail!(
                "{region} did not exist during {} – {} ({}); a plan is for a region of its span",
                from.format("%d/%m/%Y"),
                to.format("%d/%m/%Y"),
                some.iter().map(|u| lived(u)).collect::<Vec<_>>().join("; ")
            ),
        }
    };
    let mut plan = crate::load_plan(file)?;
    // Judged on the region given, whatever name its text uses.
    plan.region_code = Some(unit.code.clone());
    if plan.year != from.year() {
        bail!(
            "{} is a plan for {}, not for {}: give the year it was adopted for (--year {})",
            file.display(),
            plan.year,
            from.year(),
            plan.year
        );
    }
    let store = open(database).await?;
    // The region is a unit the engine must know: from the country where the
    // database does not hold it yet.
    let known = store.org_units().await?;
    if !known.iter().any(|u| u.code == unit.code) {
        store.put_org_units(std::slice::from_ref(unit), &actor()).await?;
    }
    let new = NewPlan { plan: &plan, region_code: &unit.code, kind, from, to };
    let id = store.add_plan(&new, &actor()).await.map_err(anyhow::Error::from).context("the plan was not added")?;
    Ok(format!(
        "added plan {id}: {} ({}), {} – {}, {} measures; the default plan is still {}\n",
        unit.name,
        kind,
        from.format("%d/%m/%Y"),
        to.format("%d/%m/%Y"),
        plan.measures().count(),
        store.default_plan().await?.map_or_else(|| "none".into(), |d| d.to_string())
    ))
}

pub(crate) async fn choose_default(database: &str, id: i64) -> Result<String> {
    let store = open(database).await?;
    if !store.plans().await?.iter().any(|p| p.id == id) {
        bail!("no plan {id} in the database (kehoach plan list)");
    }
    store.choose_default_plan(id, &actor()).await?;
    Ok(format!("plan {id} is the default: commands and pages work on it when no plan is named\n"))
}

/// The first and last day and the kind, from what was given.
fn span_of(span: Span, kind: Option<PlanKind>) -> Result<(NaiveDate, NaiveDate, PlanKind)> {
    match span {
        Span::Year(year) => {
            let kind = kind.unwrap_or(PlanKind::Year);
            let Some((from, to)) = kind.span_of(year) else {
                bail!("a plan for the rest of a year gives its days: --from DATE --to DATE");
            };
            Ok((from, to, kind))
        }
        Span::Days(from, to) if from > to => {
            bail!("--from {from} is after --to {to}")
        }
        Span::Days(from, to) => {
            let whole_years = from.month() == 1 && from.day() == 1 && to.month() == 12 && to.day() == 31;
            let years = to.year() - from.year() + 1;
            let kind = match kind {
                Some(k) => k,
                None if whole_years && years == 1 => PlanKind::Year,
                None if whole_years && years == 5 => PlanKind::FiveYear,
                None if from.year() == to.year() => PlanKind::RestOfYear,
                None => bail!("{from} – {to} is neither a year, five years nor part of a year: say which with --kind"),
            };
            if let Some((f, t)) = kind.span_of(from.year())
                && (f, t) != (from, to)
            {
                bail!("a {kind} plan from {} runs {f} – {t}, not {from} – {to}", from.year());
            }
            Ok((from, to, kind))
        }
    }
}

fn lived(u: &OrgUnit) -> String {
    let day = |d: Option<NaiveDate>| d.map_or_else(|| "…".into(), |d| d.format("%d/%m/%Y").to_string());
    format!("{} existed {} – {}", u.name, day(u.valid_from), day(u.valid_to))
}

/// `kehoach compare --code CODE --year Y`: every region whose plan of that
/// year has a measure of that national indicator code, with its target,
/// its figure of record and the verdict, each judged on its own plan.
pub(crate) async fn compare(database: &str, code: &str, year: i32, as_json: bool) -> Result<String> {
    use kehoach_domain::period::Period;
    use kehoach_domain::value::Origin;
    let store = open(database).await?;
    let country = kehoach_country::country();
    let mut rows = Vec::new();
    for p in store.plans().await? {
        if p.kind == PlanKind::FiveYear || !(p.from.year()..=p.to.year()).contains(&year) {
            continue;
        }
        let plan = store.plan(p.id, kehoach_store::Against::Current).await?;
        let Some(measure) = plan.measures().find(|m| m.indicator.as_deref() == Some(code.trim())) else { continue };
        let key = measure.key.clone();
        let book = kehoach_judge::Book::load(&store, p.id, kehoach_store::Against::Current, |v| {
            v.origin != Origin::Illustrative
        })
        .await?;
        let results = book.evaluate(&[Period::Year(year)]).pop().unwrap_or_default();
        let Some((m, e)) = results.into_iter().find(|(m, _)| m.key == key) else { continue };
        let region_code = p.region_code.clone().unwrap_or_else(|| book.home.clone());
        let region_name =
            country.find_during(&region_code, p.from, p.to).map_or_else(|| p.region.clone(), |u| u.name.clone());
        rows.push((p.id, region_code, region_name, m.clone(), e));
    }
    kehoach_country::sort_vi(&mut rows, |r| kehoach_domain::org::short_name(&r.2));
    if rows.is_empty() {
        bail!(
            "no plan of {year} has a measure of indicator “{code}”: give it in the plan file (indicator = \"{code}\")"
        );
    }
    if as_json {
        let out: Vec<Value> = rows
            .iter()
            .map(|(id, region, name, m, e)| {
                json!({
                    "plan": id,
                    "region": region,
                    "region_name": name,
                    "measure": m.key,
                    "name": m.name,
                    "target": m.target_text(),
                    "actual": e.actual.map(|a| a.normalize().to_string()),
                    "unit": m.unit,
                    "status": e.status.as_str(),
                    "status_vi": e.status.label_vi(),
                })
            })
            .collect();
        return Ok(serde_json::to_string_pretty(&out)? + "\n");
    }
    use std::fmt::Write;
    let mut out =
        format!("{:<6} {:<26} {:<5} {:<22} {:<14} Đánh giá\n", "Mã", "Địa bàn", "KH số", "Kế hoạch", "Thực hiện");
    for (id, region, name, m, e) in &rows {
        let actual = e.actual.map_or_else(|| "—".into(), |a| kehoach_domain::number::format_vi(a.normalize()));
        let _ = writeln!(
            out,
            "{region:<6} {name:<26} {id:<5} {:<22} {actual:<14} {}",
            m.target_text(),
            e.status.label_vi()
        );
    }
    Ok(out)
}
