//! Reads what a report needs from the store: the one path the command line
//! and the web application both take.

use chrono::NaiveDate;
use kehoach_analytics::Engine;
use kehoach_domain::org::Assignment;
use kehoach_domain::period::Period;
use kehoach_domain::progress::TaskProgress;
use kehoach_domain::value::Origin;
use kehoach_judge::{self as judge, Book};
use kehoach_store::{Against, PlanId, Store, StoreError};
use std::borrow::Borrow;
use std::collections::HashMap;

use crate::model::{Extra, Issuer, Report};

/// Why a report could not be put together.
#[derive(Debug, thiserror::Error)]
pub enum GatherError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{period} is not a period of the {year} plan")]
    OutsidePlan { period: Period, year: i32 },
}

/// What a report is asked for.
#[derive(Debug, Clone)]
pub struct Request {
    pub plan: PlanId,
    pub period: Period,
    pub against: Against,
    /// The report's date (and the day milestones are judged overdue on).
    pub date: NaiveDate,
    /// Who issues it; the planning department of the plan's province when
    /// not given.
    pub issuer: Option<Issuer>,
}

/// Loads the plan, judges it for the period with the figures of record
/// (never the illustrative ones), and reads the tasks' latest progress.
/// The figures come from `live`, the engine a running application keeps
/// current, or else from the store.
pub async fn gather(store: &impl Store, request: &Request, live: Option<&Engine>) -> Result<Report, GatherError> {
    match live {
        Some(engine) => {
            let plan = store.plan(request.plan, request.against).await?;
            finish(store, request, &Book::over(request.plan, plan, engine)).await
        }
        None => {
            let book = Book::load(store, request.plan, request.against, |v| v.origin != Origin::Illustrative).await?;
            finish(store, request, &book).await
        }
    }
}

async fn finish<E: Borrow<Engine>>(
    store: &impl Store,
    request: &Request,
    book: &Book<E>,
) -> Result<Report, GatherError> {
    if request.period.year() != book.plan.year {
        return Err(GatherError::OutsidePlan { period: request.period, year: book.plan.year });
    }
    let agencies: HashMap<String, String> = store.agencies().await?.into_iter().map(|a| (a.code, a.name)).collect();
    let leads: HashMap<String, String> = store
        .assignments(request.plan)
        .await?
        .into_iter()
        .map(|a: Assignment| {
            let name = agencies.get(&a.lead).cloned().unwrap_or(a.lead);
            (a.measure, name)
        })
        .collect();
    let mut progress: HashMap<String, TaskProgress> = HashMap::new();
    for t in &book.plan.tasks {
        if let Some((_, p, _, _)) = store.task_history(request.plan, &t.key).await?.pop() {
            progress.insert(t.key.clone(), p);
        }
    }
    let issuer = request.issuer.clone().unwrap_or_else(|| Issuer::planning_department(&book.plan, request.date));
    from_book(book, request.period, request.against, &progress, &leads, issuer, request.date)
}

/// The report of a judged plan: what [`gather`] does once it has read the
/// store, and what the benchmark times.
pub fn from_book<E: Borrow<Engine>>(
    book: &Book<E>,
    period: Period,
    against: Against,
    progress: &HashMap<String, TaskProgress>,
    leads: &HashMap<String, String>,
    issuer: Issuer,
    today: NaiveDate,
) -> Result<Report, GatherError> {
    let results = book.evaluate(&[period]).pop().unwrap_or_default();
    let extra: HashMap<String, Extra> = results
        .iter()
        .map(|(m, _)| {
            let last_year = book.figure(&m.key, Period::Year(book.plan.year - 1));
            let same = book.figure(&m.key, period.year_before());
            (m.key.clone(), Extra { last_year, same_period_last_year: same })
        })
        .collect();
    let report =
        Report::new(&book.plan, period, against == Against::Original, &results, &extra, progress, leads, issuer, today);
    Ok(Report { left_out: book.left_out.iter().map(ToString::to_string).collect(), ..report })
}

/// Why a template could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no agency “{0}” (see the plan's agencies)")]
    UnknownAgency(String),
    #[error("{period} is not a period of the {year} plan")]
    OutsidePlan { period: Period, year: i32 },
    #[error("the agency {0} leads no measure of the plan: assign some first (`kehoach plan assign`)")]
    NothingToReport(String),
}

/// What the data-entry template of `agency` for `period` holds: the
/// measures it leads, for the plan's unit in that period, with the latest
/// figure of each.
pub async fn template_spec(
    store: &impl Store,
    plan: PlanId,
    agency: &str,
    period: Period,
) -> Result<crate::template::Spec, TemplateError> {
    let the_plan = store.plan(plan, Against::Current).await?;
    if period.year() != the_plan.year {
        return Err(TemplateError::OutsidePlan { period, year: the_plan.year });
    }
    let agencies = store.agencies().await?;
    let found = agencies
        .iter()
        .find(|a| a.code.eq_ignore_ascii_case(agency) || a.name == agency)
        .ok_or_else(|| TemplateError::UnknownAgency(agency.to_string()))?;
    let leads: HashMap<String, String> =
        store.assignments(plan).await?.into_iter().map(|a| (a.measure, a.lead)).collect();
    let units = store.org_units().await?;
    let unit = judge::home_of(&the_plan, &units);
    let unit_name = units.iter().find(|u| u.code == unit).map_or_else(|| unit.clone(), |u| u.name.clone());
    let here: Vec<_> =
        store.latest_values(plan).await?.into_iter().filter(|v| v.period == period && v.org_unit == unit).collect();
    // What a figure typed in the template replaces is the latest version of
    // its chain, an illustrative one of a demonstration included; what it
    // shows is the latest real figure.
    let versions: HashMap<String, u32> = here.iter().map(|v| (v.measure.clone(), v.version)).collect();
    let latest: HashMap<String, (rust_decimal::Decimal, kehoach_domain::value::ValueStatus, u32)> = here
        .into_iter()
        .filter(|v| v.origin != Origin::Illustrative)
        .map(|v| (v.measure.clone(), (v.value, v.status, v.version)))
        .collect();
    let mut spec = crate::template::Spec::for_agency(
        &the_plan,
        plan,
        period,
        (&found.code, &found.name),
        (&unit, &unit_name),
        &leads,
        |key| latest.get(key).copied(),
    );
    if spec.rows.is_empty() {
        return Err(TemplateError::NothingToReport(found.code.clone()));
    }
    for row in &mut spec.rows {
        row.seen = versions.get(&row.key).copied().unwrap_or(0);
    }
    Ok(spec)
}
