//! The commands over the store: init, values import, plan revise, status.

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use kehoach_domain::evaluate::Status;
use kehoach_domain::number::{format_vi_rounded, parse_decimal};
use kehoach_domain::org::{self, Assignment, OrgUnit};
use kehoach_domain::period::Period;
use kehoach_domain::value::Origin;
use kehoach_domain::{Comparator, Plan};
use kehoach_store::{Against, AnyStore, NewValue, PlanId, Revision, Store};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;

/// The built-in plan and what goes with it, compiled into the binary.
const BUILT_IN_PLAN: &str = include_str!("../../../data/plans/ben-tre-2025.toml");
const BUILT_IN_UNITS: &str = include_str!("../../../data/org-units/ben-tre.toml");
const PUBLISHED: &str = include_str!("../../../data/ben-tre-published.csv");
const BUILT_IN_AGENCIES: &str = include_str!("../../../data/agencies/ben-tre.toml");

/// Who the command line acts as in the audit log.
pub(crate) fn actor() -> String {
    std::env::var("USER").map(|u| format!("cli:{u}")).unwrap_or_else(|_| "cli".into())
}

pub async fn open(database: &str) -> Result<AnyStore> {
    AnyStore::open(database).await.with_context(|| format!("cannot open the database {database}"))
}

pub async fn init(database: &str, plan_file: Option<&Path>, demo: bool) -> Result<()> {
    let store = open(database).await?;
    if let Some(p) = store.plans().await?.into_iter().next() {
        bail!("{database} already holds plan {} ({} {}); nothing changed", p.id, p.region, p.year);
    }
    let by = actor();
    let (plan, units, published) = match plan_file {
        None => (
            kehoach_planfile::from_toml(BUILT_IN_PLAN).context("the built-in plan")?,
            kehoach_planfile::org_units_from_toml(BUILT_IN_UNITS).context("the built-in units")?,
            Some(PUBLISHED),
        ),
        Some(path) => {
            let plan = crate::load_plan(path)?;
            let unit = OrgUnit::province(&plan.region);
            (plan, vec![unit], None)
        }
    };
    // Read the published figures before writing anything: a bad file stops
    // the whole init.
    let figures = match published {
        Some(csv) => {
            kehoach_values::read_csv(csv, &plan, &units).map_err(|e| anyhow::anyhow!("published figures: {e}"))?
        }
        None => Vec::new(),
    };
    let mut values: Vec<NewValue> = figures.into_iter().map(|r| new_value(r, Origin::Published)).collect();
    let published_count = values.len();
    if demo {
        let home = kehoach_judge::home_of(&plan, &units);
        values.extend(crate::demo::illustrative_year(&plan, &home));
    }
    let (agencies, assignments) = match published {
        Some(_) => kehoach_planfile::agencies_from_toml(BUILT_IN_AGENCIES, &plan).context("the built-in agencies")?,
        None => (Vec::new(), Vec::new()),
    };
    // One transaction: a process killed half way leaves the database empty.
    let setup = kehoach_store::Setup { plan, units, agencies, assignments, values };
    let id = store.init(&setup, &by).await?;
    let kehoach_store::Setup { plan, units, agencies, values, .. } = setup;
    println!(
        "{database}: plan {id} ({} {}): {} measures, {} tasks; {} units; {} agencies; {} published figures{}",
        plan.region,
        plan.year,
        plan.measures().count(),
        plan.tasks.len(),
        units.len(),
        agencies.len(),
        published_count,
        if values.len() > published_count {
            format!(
                "; {} illustrative figures (MINH HỌA, shown only with status --illustrative)",
                values.len() - published_count
            )
        } else {
            String::new()
        }
    );
    Ok(())
}

fn new_value(row: kehoach_values::ValueRow, origin: Origin) -> NewValue {
    NewValue {
        measure: row.measure,
        org_unit: row.org_unit,
        period: row.period,
        value: row.value,
        status: row.status,
        note: row.note,
        origin,
        agency: None,
        expected_version: None,
    }
}

/// The last year a plan's span covers (a five-year plan's fifth).
pub(crate) async fn last_year(store: &AnyStore, id: PlanId) -> Result<i32> {
    use chrono::Datelike;
    let entry = store.plans().await?.into_iter().find(|p| p.id == id);
    entry.map(|p| p.to.year()).with_context(|| format!("no plan {id} in the database"))
}

/// The plan a command works on: the one asked for, or the default one.
pub(crate) async fn plan_id(store: &AnyStore, asked: Option<PlanId>) -> Result<PlanId> {
    let plans = store.plans().await?;
    match asked {
        Some(id) if plans.iter().any(|p| p.id == id) => Ok(id),
        Some(id) => bail!("no plan {id} in the database (kehoach plan list)"),
        None => match store.default_plan().await? {
            Some(id) => Ok(id),
            None => bail!("the database holds no plan yet: run `kehoach init` first"),
        },
    }
}

pub async fn import_values(database: &str, file: &Path, plan: Option<PlanId>) -> Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let store = open(database).await?;
    let id = plan_id(&store, plan).await?;
    let current = store.plan(id, Against::Current).await?;
    let units = store.org_units().await?;
    let rows = kehoach_values::read_csv_until(&text, &current, &units, last_year(&store, id).await?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let released = store.released_values(id).await?;
    refuse_unlikely(
        file,
        &released,
        rows.iter()
            .map(|r| (format!("line {}, column value", r.line), &r.measure, &r.org_unit, r.period, r.value, &r.note)),
    )?;
    // A planner who runs the command answers for the figures: they are
    // recorded, and count once stored.
    let values: Vec<NewValue> = rows.into_iter().map(|r| new_value(r, Origin::Recorded)).collect();
    store
        .submit_values(id, &values, &actor())
        .await
        .with_context(|| format!("{}: nothing imported", file.display()))?;
    println!("{}: {} figures stored in plan {id}", file.display(), values.len());
    Ok(())
}

/// `values list`: every version of the figures asked for, oldest first.
pub async fn list_values(
    database: &str,
    measure: &str,
    period: Option<Period>,
    unit: Option<&str>,
    json: bool,
    plan: Option<PlanId>,
) -> Result<()> {
    let store = open(database).await?;
    let id = plan_id(&store, plan).await?;
    let current = store.plan(id, Against::Current).await?;
    if !current.reports(measure) {
        bail!("no measure or component {measure} in plan {id}");
    }
    let units = store.org_units().await?;
    let org_unit = match unit {
        Some(u) => Some(org::find(&units, u).with_context(|| format!("no unit “{u}”"))?.code.clone()),
        None => None,
    };
    let which = kehoach_store::Which { measure: measure.to_string(), period, org_unit };
    let versions = store.value_versions(id, &which).await?;
    if json {
        let rows: Vec<serde_json::Value> = versions
            .iter()
            .map(|v| {
                serde_json::json!({
                    "measure": v.measure,
                    "period": v.period.to_string(),
                    "unit": v.org_unit,
                    "version": v.version,
                    "value": v.value.to_string(),
                    "status": v.status.as_str(),
                    "workflow": v.workflow.as_str(),
                    // A demonstration's illustrative figures never count as real ones.
                    "counts": v.workflow.counts() && v.origin != Origin::Illustrative,
                    "origin": v.origin.as_str(),
                    "agency": v.agency,
                    "by": v.entered_by,
                    "at": v.entered_at,
                    "note": v.note,
                })
            })
            .collect();
        crate::emit(&format!("{}\n", serde_json::to_string_pretty(&rows).expect("JSON")));
        return Ok(());
    }
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<10} {:<8} {:>3} {:>20} {:<12} {:<10} {:<20} Thời điểm",
        "Kỳ", "Đơn vị", "Lần", "Giá trị", "Loại", "Tình trạng", "Người nhập"
    );
    for v in &versions {
        let _ = writeln!(
            out,
            "{:<10} {:<8} {:>3} {:>20} {:<12} {:<10} {:<20} {}",
            v.period.to_string(),
            v.org_unit,
            v.version,
            kehoach_domain::number::format_vi(v.value),
            v.status.label_vi(),
            v.workflow.label_vi(),
            v.entered_by,
            v.entered_at
        );
    }
    if versions.is_empty() {
        let _ = writeln!(out, "Chưa có số liệu.");
    }
    crate::emit(&out);
    Ok(())
}

/// Refuses an import holding figures far from what the same unit's figures
/// that count say for the same period last year or the months before,
/// typed without a note to say why: one line each, where it is and why
/// (`value::unlikely`).
pub(crate) fn refuse_unlikely<'a>(
    file: &Path,
    released: &[kehoach_store::StoredValue],
    figures: impl Iterator<Item = (String, &'a String, &'a String, Period, Decimal, &'a String)>,
) -> Result<()> {
    let known: HashMap<(&str, &str, Period), Decimal> =
        released.iter().map(|v| ((v.measure.as_str(), v.org_unit.as_str(), v.period), v.value)).collect();
    let unlikely: Vec<String> = figures
        .filter(|(.., note)| note.trim().is_empty())
        .filter_map(|(at, measure, unit, period, value, _)| {
            let refs = kehoach_domain::value::references(period, |p| {
                known.get(&(measure.as_str(), unit.as_str(), p)).copied()
            });
            kehoach_domain::value::unlikely(value, &refs).map(|why| format!("{at}: {why}; give the reason in its note"))
        })
        .collect();
    if !unlikely.is_empty() {
        bail!(
            "{}: {} unlikely figure(s) without a note, nothing imported:\n{}",
            file.display(),
            unlikely.len(),
            unlikely.join("\n")
        );
    }
    Ok(())
}

/// The new target of a revision, as given on the command line.
pub struct NewTarget {
    pub comparator: Comparator,
    pub value: Option<String>,
    pub range: Option<(String, String)>,
}

pub async fn revise(
    database: &str,
    key: &str,
    target: NewTarget,
    decision: &str,
    date: NaiveDate,
    plan: Option<PlanId>,
) -> Result<()> {
    let store = open(database).await?;
    let id = plan_id(&store, plan).await?;
    let current = store.plan(id, Against::Current).await?;
    let Some(measure) = current.measure(key) else { bail!("no measure {key} in plan {id}") };
    let mut revised = measure.clone();
    revised.comparator = target.comparator;
    let number = |s: &str| parse_decimal(s).with_context(|| format!("{key}: “{s}”"));
    (revised.value, revised.low, revised.high) = match (&target.value, &target.range) {
        (Some(v), None) => (Some(number(v)?), None, None),
        (None, Some((lo, hi))) => {
            let (lo, hi) = (number(lo)?, number(hi)?);
            if lo > hi {
                bail!("{key}: the low end {lo} is above the high end {hi}");
            }
            (None, Some(lo), Some(hi))
        }
        _ => bail!("give the new target: --at-least X, --between LOW HIGH, …"),
    };
    let version = store
        .revise(id, &Revision { measure: revised.clone(), decision: decision.into(), decided_on: date }, &actor())
        .await?;
    println!(
        "{key}: {} → {} (version {version}, {decision} of {})",
        measure.target_text(),
        revised.target_text(),
        date.format("%d/%m/%Y")
    );
    Ok(())
}

pub async fn status(
    database: &str,
    period: Period,
    against: Against,
    json: bool,
    illustrative: bool,
    plan: Option<PlanId>,
) -> Result<()> {
    let store = open(database).await?;
    let id = plan_id(&store, plan).await?;
    // Illustrative figures are judged on their own, never mixed with real ones.
    let book =
        kehoach_judge::Book::load(&store, id, against, |v| (v.origin == Origin::Illustrative) == illustrative).await?;
    if !book.units().iter().any(|u| u.code == book.home) {
        bail!("the plan's province {} is not a known unit", book.plan.region);
    }
    crate::warn_left_out(&book.left_out);
    let plan = &book.plan;
    let results = book.evaluate(&[period]).pop().unwrap_or_default();
    let leads: HashMap<String, String> =
        store.assignments(id).await?.into_iter().map(|a| (a.measure, a.lead)).collect();
    if json {
        print_json(&results, &leads, illustrative);
    } else {
        print_table(plan, period, &results, illustrative);
    }
    Ok(())
}

fn print_json(
    results: &[(&kehoach_domain::Measure, kehoach_domain::evaluate::Evaluation)],
    leads: &HashMap<String, String>,
    illustrative: bool,
) {
    use serde_json::{Number, Value, json};
    use std::str::FromStr;
    let num = |d: Option<Decimal>| {
        d.and_then(|d| Number::from_str(&d.normalize().to_string()).ok()).map_or(Value::Null, Value::Number)
    };
    let measures: Vec<Value> = results
        .iter()
        .map(|(m, e)| {
            json!({
                "key": m.key,
                "name": m.name,
                "target": m.target_text(),
                "actual": num(e.actual),
                "unit": m.unit,
                "achievement_pct": num(e.achievement_pct.map(|p| p.round_dp(2))),
                "status": e.status.as_str(),
                "status_vi": e.status.label_vi(),
                "forecast": e.forecast.as_ref().map(|f| json!({"value": num(Some(f.value.round_dp(2))), "method": f.explanation()})),
                "basis": e.basis.to_vi(),
                "lead": leads.get(&m.key),
            })
        })
        .collect();
    let body = if illustrative {
        json!({ "illustrative": true, "note": "MINH HỌA: số liệu giả lập để trình diễn, không phải số liệu thật", "measures": measures })
    } else {
        json!({ "measures": measures })
    };
    crate::emit(&format!("{}\n", serde_json::to_string_pretty(&body).expect("JSON")));
}

fn print_table(
    plan: &Plan,
    period: Period,
    results: &[(&kehoach_domain::Measure, kehoach_domain::evaluate::Evaluation)],
    illustrative: bool,
) {
    use std::fmt::Write;
    let mut out = String::new();
    if illustrative {
        let _ =
            writeln!(out, "MINH HỌA — số liệu giả lập để trình diễn, không phải số liệu thật (illustrative, not data)");
    }
    let _ = writeln!(out, "{} — {} ({})", plan.region, period.label_vi(), period);
    let _ =
        writeln!(out, "{:<6} {:<44} {:>22} {:>14} {:>9}  Đánh giá", "Mã", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "% KH");
    for (m, e) in results {
        let name: String = m.name.chars().take(44).collect();
        let target: String = m.target_text().chars().take(22).collect();
        let actual = e.actual.map(|a| format_vi_rounded(a, 2)).unwrap_or_else(|| "—".into());
        let pct = e.achievement_pct.map(|p| format_vi_rounded(p, 1)).unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<6} {:<44} {:>22} {:>14} {:>9}  {}",
            m.key,
            name,
            target,
            actual,
            pct,
            e.status.label_vi()
        );
    }
    let mut counts: Vec<(Status, usize)> = Vec::new();
    for (_, e) in results {
        match counts.iter_mut().find(|(s, _)| *s == e.status) {
            Some((_, n)) => *n += 1,
            None => counts.push((e.status, 1)),
        }
    }
    counts.sort();
    let summary: Vec<String> = counts.iter().map(|(s, n)| format!("{} {n}", s.label_vi())).collect();
    let _ = writeln!(out, "{}", summary.join(" · "));
    crate::emit(&out);
}

pub async fn assign(database: &str, key: &str, lead: &str, units: Vec<String>, plan: Option<PlanId>) -> Result<()> {
    let store = open(database).await?;
    let id = plan_id(&store, plan).await?;
    let known = store.org_units().await?;
    if let Some(unknown) = units.iter().find(|u| org::find(&known, u).is_none()) {
        bail!("no unit “{unknown}”");
    }
    let contributors: Vec<String> = units.iter().filter_map(|u| org::find(&known, u)).map(|u| u.code.clone()).collect();
    store.assign(id, &[Assignment { measure: key.into(), lead: lead.into(), contributors }], &actor()).await?;
    println!("{key}: lead agency {lead}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kehoach_domain::evaluate::{Tolerances, evaluate_periods};
    use kehoach_domain::ledger::Ledger;
    use kehoach_judge::{self as judge, Book};
    use kehoach_store::StoredValue;
    use rust_decimal::Decimal;
    use std::collections::HashMap;

    fn stored(v: NewValue) -> StoredValue {
        StoredValue {
            measure: v.measure,
            org_unit: v.org_unit,
            period: v.period,
            version: 1,
            value: v.value,
            status: v.status,
            note: v.note,
            origin: v.origin,
            agency: None,
            workflow: kehoach_domain::value::Workflow::Recorded,
            entered_by: "test".into(),
            entered_at: String::new(),
        }
    }

    /// Every verdict on the built-in plan, for every period of the year, is
    /// the same whether its figures come from the analytics engine (as the
    /// pages and reports now take them) or from the ledger over the same
    /// figures (as they took them before): the published figures, the
    /// illustrative year at the province, and the districts' exports with
    /// one district missing in April.
    #[test]
    fn the_engine_judges_the_built_in_plan_as_the_ledger_does() {
        let plan = kehoach_planfile::from_toml(BUILT_IN_PLAN).unwrap();
        let units = kehoach_planfile::org_units_from_toml(BUILT_IN_UNITS).unwrap();
        let published = kehoach_values::read_csv(PUBLISHED, &plan, &units).unwrap();
        let mut values: Vec<NewValue> = published.into_iter().map(|r| new_value(r, Origin::Published)).collect();
        values.extend(crate::demo::illustrative_year(&plan, "83").into_iter().filter(|v| v.measure != "c.1"));
        let districts: Vec<&str> =
            units.iter().filter(|u| u.parent.as_deref() == Some("83")).map(|u| u.code.as_str()).collect();
        for (i, d) in districts.iter().enumerate() {
            for month in 1..=6 {
                if month == 4 && i == 0 {
                    continue;
                }
                let mut v = crate::demo::illustrative_year(&plan, d).into_iter().find(|v| v.measure == "c.1").unwrap();
                (v.period, v.value) = (Period::Month(2025, month), Decimal::new(1000 + i as i64 * 7 + month as i64, 1));
                values.push(v);
            }
        }
        let values: Vec<StoredValue> = values.into_iter().map(stored).collect();
        let periods = Period::all_of(plan.year);

        let book = Book::new(1, plan.clone(), units.clone(), values.clone()).unwrap();
        let by_engine = book.evaluate(&periods);

        let map: HashMap<(String, String, Period), Decimal> =
            values.iter().map(|v| ((v.measure.clone(), v.org_unit.clone(), v.period), v.value)).collect();
        let reported = |k: &str, u: &str, p: Period| map.get(&(k.to_string(), u.to_string(), p)).copied();
        let ledger = Ledger::new(&plan, &units, &reported).unwrap();
        let home = judge::home_of(&plan, &units);
        let lookup = |k: &str, p: Period| ledger.value(k, &home, p);
        let by_ledger = evaluate_periods(&plan, &periods, &lookup, &Tolerances::default());

        assert_eq!(by_engine.len(), periods.len());
        let mut judged = 0;
        for ((period, engine), ledger) in periods.iter().zip(&by_engine).zip(&by_ledger) {
            assert_eq!(engine.len(), ledger.len());
            for ((m, a), (_, b)) in engine.iter().zip(ledger) {
                assert_eq!(a, b, "{} for {period}", m.key);
                judged += usize::from(a.actual.is_some());
            }
        }
        assert!(judged > 500, "most verdicts rest on a figure: {judged}");
        // The districts' exports: complete in March, partial (not judged) in April.
        let c1 = |p: usize| by_engine[p].iter().find(|(m, _)| m.key == "c.1").unwrap().1.actual;
        assert!(c1(2).is_some() && c1(3).is_none() && c1(12).is_some() && c1(13).is_none());
    }
}
