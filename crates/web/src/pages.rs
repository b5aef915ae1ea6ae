//! The pages. Every handler first asks `Viewer::require` (role and agency,
//! on the server), then reads the store, then renders a template.

use askama::Template;
use axum::extract::{Path, Query, State as AxumState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kehoach_analytics::Engine;
use kehoach_domain::access::{Action, Role, SubmissionState};
use kehoach_domain::evaluate::{Evaluation, Status};
use kehoach_domain::number::{format_vi, parse_decimal};
use kehoach_domain::org::Agency;
use kehoach_domain::period::Period;
use kehoach_domain::value::{Origin, ValueStatus, Workflow};
use kehoach_domain::{Aggregation, Measure, Plan};
use kehoach_store::judge::{self, Book};
use kehoach_store::{Accounts, Against, Move, NewValue, Store, StoreError, StoredValue};
use rust_decimal::Decimal;
use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};

use crate::State;
use crate::auth::Viewer;
use crate::chart;
use crate::view::{Chrome, chip, html, number, percent, when};

// ---------------------------------------------------------------- errors

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    chrome: Chrome,
    heading: String,
    text: String,
}

pub(crate) fn message(viewer: &Viewer, status: StatusCode, heading: &str, text: &str) -> Response {
    let page = MessagePage { chrome: Chrome::new(viewer, heading, ""), heading: heading.into(), text: text.into() };
    (status, html(&page)).into_response()
}

pub(crate) fn forbidden(viewer: &Viewer) -> Response {
    message(
        viewer,
        StatusCode::FORBIDDEN,
        "Không có quyền truy cập",
        "Tài khoản của bạn không được mở trang này (vai trò hoặc đơn vị không phù hợp).",
    )
}

/// A store failure: logged in full, told to the user without internals.
pub(crate) fn failure(e: &StoreError) -> Response {
    let anonymous = Viewer { user: None, csrf: String::new(), lang: Default::default() };
    // What the request asked for does not exist, or cannot be: the
    // person's answer, not the database's trouble.
    match e {
        StoreError::NotFound(what) => {
            tracing::info!("not found: {what}");
            return message(
                &anonymous,
                StatusCode::NOT_FOUND,
                "Không tìm thấy",
                "Mục được yêu cầu không có trong hệ thống.",
            );
        }
        StoreError::Conflict { .. } | StoreError::Locked { .. } | StoreError::Changed { .. } => {
            tracing::info!("conflict: {e}");
            return message(
                &anonymous,
                StatusCode::CONFLICT,
                "Số liệu đã thay đổi",
                "Số liệu vừa được người khác thay đổi, hoặc kỳ báo cáo đã khóa. Vui lòng tải lại trang và xem lại.",
            );
        }
        _ => {}
    }
    tracing::error!("store: {e}");
    message(
        &anonymous,
        StatusCode::SERVICE_UNAVAILABLE,
        "Không đọc được cơ sở dữ liệu",
        "Hệ thống đang bận hoặc không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.",
    )
}

pub(crate) async fn not_found() -> Response {
    let anonymous = Viewer { user: None, csrf: String::new(), lang: Default::default() };
    message(&anonymous, StatusCode::NOT_FOUND, "Không tìm thấy trang", "Địa chỉ này không có trong hệ thống.")
}

macro_rules! attempt {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return failure(&e.into()),
        }
    };
}

macro_rules! allow {
    ($viewer:expr, $action:expr, $agency:expr, $next:expr) => {
        if let Err(r) = $viewer.require($action, $agency, $next) {
            return r;
        }
    };
}

// ---------------------------------------------------------------- shared

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Filters {
    period: Option<String>,
    against: Option<String>,
    sector: Option<String>,
    agency: Option<String>,
    status: Option<String>,
    saved: Option<String>,
}

/// The period asked for, or the default: the plan's year once it is over,
/// else the current month.
fn period_of(year: i32, asked: Option<&str>) -> Result<Period, String> {
    match asked.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => {
            let p: Period = text.parse().map_err(|e| format!("Kỳ “{text}” không hợp lệ: {e}"))?;
            if p.year() != year {
                return Err(format!("Kỳ {} không thuộc năm kế hoạch {year}.", p.label_vi()));
            }
            Ok(p)
        }
        None => {
            use chrono::Datelike;
            let today = chrono::Utc::now().date_naive();
            Ok(if today.year() == year { Period::Month(year, today.month()) } else { Period::Year(year) })
        }
    }
}

/// The period of an entry form: one of the plan's year, or of the year
/// before, whose figures are the base of measures judged against last year.
fn entry_period(plan: &Plan, asked: Option<&str>) -> Result<Period, String> {
    period_of(plan.year, asked).or_else(|e| period_of(plan.year - 1, asked).map_err(|_| e))
}

fn against_of(asked: Option<&str>) -> Against {
    if asked == Some("original") { Against::Original } else { Against::Current }
}

pub(crate) struct PeriodOption {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) fn period_options(year: i32, chosen: Period) -> Vec<PeriodOption> {
    Period::all_of(year)
        .into_iter()
        .map(|p| PeriodOption { code: p.to_string(), label: p.label_vi(), selected: p == chosen })
        .collect()
}

fn target_band(m: &Measure) -> Option<(Decimal, Decimal)> {
    match (m.value, m.low, m.high) {
        (Some(v), _, _) => Some((v, v)),
        (None, Some(l), Some(h)) => Some((l, h)),
        _ => None,
    }
}

/// The year's months of a measure at the plan's unit; running totals for
/// flows, so that the line meets the year's target.
fn months(figure: &dyn Fn(&str, Period) -> Option<Decimal>, m: &str, flow: bool, year: i32) -> [Option<Decimal>; 12] {
    let mut out: [Option<Decimal>; 12] = std::array::from_fn(|i| figure(m, Period::Month(year, i as u32 + 1)));
    if flow {
        let mut total = Some(Decimal::ZERO);
        for v in out.iter_mut() {
            total = match (total, *v) {
                (Some(t), Some(x)) => t.checked_add(x),
                _ => None,
            };
            *v = total;
        }
    }
    out
}

/// One row of the overview and the public portal.
struct Row {
    key: String,
    name: String,
    target: String,
    actual: String,
    /// Parts in and expected of a total still missing some.
    parts: Option<(usize, usize)>,
    unit: String,
    achievement: String,
    status: &'static str,
    chip: &'static str,
    lead: String,
    spark: String,
    sector: String,
}

struct Count {
    label: &'static str,
    chip: &'static str,
    code: &'static str,
    n: usize,
}

fn counts(results: &[(&Measure, Evaluation)]) -> Vec<Count> {
    [Status::Exceeded, Status::Achieved, Status::OnTrack, Status::AtRisk, Status::NotAchieved, Status::NoData]
        .into_iter()
        .map(|s| Count {
            label: s.label_vi(),
            chip: chip(s),
            code: s.as_str(),
            n: results.iter().filter(|(_, e)| e.status == s).count(),
        })
        .collect()
}

fn rows<E: Borrow<Engine>>(
    book: &Book<E>,
    results: &[(&Measure, Evaluation)],
    leads: &HashMap<String, String>,
    period: Period,
    keep: impl Fn(&Measure, &Evaluation, &str) -> bool,
) -> Vec<Row> {
    let year = period.year();
    let sectors: HashMap<&str, String> = book
        .plan
        .targets
        .iter()
        .flat_map(|t| t.measures.iter().map(move |m| (m.key.as_str(), t.sector.map(|s| s.label_vi().to_string()))))
        .map(|(k, s)| (k, s.unwrap_or_default()))
        .collect();
    let figure = |k: &str, p: Period| book.figure(k, p);
    results
        .iter()
        .filter(|(m, e)| keep(m, e, sectors.get(m.key.as_str()).map_or("", |s| s.as_str())))
        .map(|(m, e)| Row {
            key: m.key.clone(),
            name: m.name.clone(),
            target: m.target_text(),
            actual: number(e.actual),
            parts: e.actual.is_none().then(|| book.parts_in(&m.key, period)).flatten(),
            unit: m.unit.clone(),
            achievement: percent(e.achievement_pct),
            status: e.status.label_vi(),
            chip: chip(e.status),
            lead: leads.get(&m.key).cloned().unwrap_or_default(),
            spark: chart::sparkline(&months(&figure, &m.key, m.aggregation == Aggregation::Sum, year)),
            sector: sectors.get(m.key.as_str()).cloned().unwrap_or_default(),
        })
        .collect()
}

// ---------------------------------------------------------------- overview

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    chrome: Chrome,
    region: String,
    year: i32,
    period_label: String,
    periods: Vec<PeriodOption>,
    original: bool,
    counts: Vec<Count>,
    rows: Vec<Row>,
    sectors: Vec<(String, bool)>,
    agencies: Vec<(Agency, bool)>,
    status: String,
    total: usize,
    period: String,
    /// Stored figures the engine leaves out, said until corrected.
    /// Link to the measure, and what was left out.
    left_out: Vec<(String, String)>,
}

pub(crate) async fn overview(AxumState(state): AxumState<State>, viewer: Viewer, Query(q): Query<Filters>) -> Response {
    allow!(viewer, Action::Read, None, "/");
    let against = against_of(q.against.as_deref());
    let plan = attempt!(state.store.plan(state.plan(), against).await);
    let period = match period_of(plan.year, q.period.as_deref()) {
        Ok(p) => p,
        Err(e) => return message(&viewer, StatusCode::BAD_REQUEST, "Kỳ báo cáo không hợp lệ", &e),
    };
    let leads: HashMap<String, String> =
        attempt!(state.store.assignments(state.plan()).await).into_iter().map(|a| (a.measure, a.lead)).collect();
    let mut agencies = attempt!(state.store.agencies().await);
    // The figures of record of the engine this application keeps current
    // (illustrative figures never reach it).
    let engine = attempt!(state.analytics.engine(&state.store, state.plan()).await);
    let book = Book::over(state.plan(), plan, &*engine);
    let results = book.evaluate(&[period]).pop().unwrap_or_default();
    let sector = q.sector.clone().unwrap_or_default();
    let agency = q.agency.clone().unwrap_or_default();
    let status = q.status.clone().unwrap_or_default();
    let rows = rows(&book, &results, &leads, period, |m, e, s| {
        (sector.is_empty() || s == sector)
            && (agency.is_empty() || leads.get(&m.key) == Some(&agency))
            && (status.is_empty() || e.status.as_str() == status)
    });
    let mut sectors: Vec<String> =
        book.plan.targets.iter().filter_map(|t| t.sector.map(|s| s.label_vi().to_string())).collect();
    // Sectors come back in later groups ("Văn hóa - xã hội" before and after
    // "Môi trường"): each once, in order of first appearance.
    let mut seen = std::collections::HashSet::new();
    sectors.retain(|s| seen.insert(s.clone()));
    let sectors = sectors.into_iter().map(|s| (s.clone(), s == sector)).collect();
    crate::view::sort_vi(&mut agencies, |a| a.name.as_str());
    let agencies = agencies.into_iter().map(|a| (a.clone(), a.code == agency)).collect();
    let page = OverviewPage {
        chrome: Chrome::new(&viewer, "Tổng quan", "overview"),
        region: book.plan.region.clone(),
        year: book.plan.year,
        period_label: period.label_vi(),
        periods: period_options(book.plan.year, period),
        original: against == Against::Original,
        counts: counts(&results),
        total: results.len(),
        rows,
        sectors,
        agencies,
        status,
        period: period.to_string(),
        left_out: left_out_rows(&book, &state.analytics.left_out(state.plan()).await),
    };
    html(&page)
}

/// The figures left out of the calculations, as a reader of the overview
/// names them: the measure and the unit by name, the version in words, and a
/// link to the measure where the figure is corrected.
fn left_out_rows<E: std::borrow::Borrow<Engine>>(book: &Book<E>, left_out: &[judge::LeftOut]) -> Vec<(String, String)> {
    left_out
        .iter()
        .map(|o| {
            let measure = book.plan.measures().find(|m| m.key == o.measure);
            let name = measure.map_or(o.measure.as_str(), |m| m.name.as_str());
            let unit = book.units().iter().find(|u| u.code == o.org_unit).map_or(o.org_unit.as_str(), |u| &u.name);
            let text =
                format!("{name} ({}), {unit}, {}, phiên bản {}: {}", o.measure, o.period.label_vi(), o.version, o.why);
            (format!("/measures/{}", crate::auth::encode(&o.measure)), text)
        })
        .collect()
}

// ---------------------------------------------------------------- measure

struct HistoryRow {
    period: String,
    unit: String,
    version: u32,
    value: String,
    status: &'static str,
    origin: &'static str,
    /// Where the version stands: đã duyệt, chờ duyệt, nháp, trả lại…
    workflow: &'static str,
    /// Whether it counts (approved or recorded).
    counts: bool,
    by: String,
    at: String,
    note: String,
}

struct VersionRow {
    version: u32,
    target: String,
    decision: String,
}

struct CommentRow {
    author: String,
    at: String,
    body: String,
}

#[derive(Template)]
#[template(path = "measure.html")]
struct MeasurePage {
    chrome: Chrome,
    public: bool,
    key: String,
    name: String,
    unit: String,
    target: String,
    quote: String,
    line: u32,
    resolution: String,
    period_label: String,
    periods: Vec<PeriodOption>,
    status: &'static str,
    chip: &'static str,
    actual: String,
    /// A figure of the plan's unit for the period awaiting approval: shown
    /// beside the judged one, it changes nothing until approved.
    pending: String,
    /// Parts in and expected of a total still missing some.
    parts: Option<(usize, usize)>,
    achievement: String,
    vs_last_year: String,
    forecast: String,
    basis: String,
    chart: String,
    history: Vec<HistoryRow>,
    versions: Vec<VersionRow>,
    comments: Vec<CommentRow>,
    may_comment: bool,
    formula: String,
}

fn origin_label(o: Origin) -> &'static str {
    match o {
        Origin::Entered => "Đơn vị nhập",
        Origin::Recorded => "Ghi nhận từ dòng lệnh",
        Origin::Published => "Đã công bố",
        Origin::Illustrative => "Minh họa",
    }
}

async fn measure_page(
    state: &State,
    viewer: &Viewer,
    key: &str,
    q: &Filters,
    public: bool,
    keep: impl Fn(&StoredValue) -> bool,
) -> Response {
    let against = if public { Against::Current } else { against_of(q.against.as_deref()) };
    // The public reads only what counts; signed-in users see every latest
    // figure, marked with where it stands.
    let all = if public {
        attempt!(state.store.released_values(state.plan()).await)
    } else {
        attempt!(state.store.latest_values(state.plan()).await)
    };
    let plan = attempt!(state.store.plan(state.plan(), against).await);
    let Some(measure) = plan.measure(key).cloned() else { return not_found().await };
    let period = match period_of(plan.year, q.period.as_deref()) {
        Ok(p) => p,
        Err(e) => return message(viewer, StatusCode::BAD_REQUEST, "Kỳ báo cáo không hợp lệ", &e),
    };
    let mine: Vec<StoredValue> = all.into_iter().filter(|v| keep(v)).collect();
    // The engine this application keeps current holds the figures that
    // count and are not illustrative: what everyone is judged on, the
    // public included.
    let live = attempt!(state.analytics.engine(&state.store, state.plan()).await);
    let book = Book::over(state.plan(), plan, &*live);
    let evaluation = book.evaluate(&[period]).pop().unwrap_or_default().into_iter().find(|(m, _)| m.key == key);
    let Some((_, e)) = evaluation else { return not_found().await };
    let flow = measure.aggregation == Aggregation::Sum;
    let year = book.plan.year;
    let figure = |k: &str, p: Period| book.figure(k, p);
    let (this_year, last_year) = (months(&figure, key, flow, year), months(&figure, key, flow, year - 1));
    let svg = chart::measure_chart(&chart::Series {
        this_year,
        last_year,
        target: target_band(&measure),
        forecast: e.forecast.as_ref().map(|f| f.value),
        unit: measure.unit.clone(),
        year,
    });
    let unit_names: HashMap<&str, &str> = book.units().iter().map(|u| (u.code.as_str(), u.name.as_str())).collect();
    let pending = mine
        .iter()
        .find(|v| {
            !public
                && v.measure == key
                && v.period == period
                && v.org_unit == book.home
                && v.workflow == Workflow::Submitted
        })
        .map(|v| format_vi(v.value))
        .unwrap_or_default();
    let mut history = Vec::new();
    let mut figures: Vec<&StoredValue> = mine.iter().filter(|v| v.measure == key).collect();
    figures.sort_by_key(|v| std::cmp::Reverse(v.period.calendar().1));
    for v in figures.into_iter().take(24) {
        let versions = attempt!(state.store.value_history(state.plan(), key, &v.org_unit, v.period).await);
        for h in versions.into_iter().rev().filter(|h| if public { keep(h) && h.workflow.counts() } else { true }) {
            // Another agency's drafts stay with it; of its other figures a
            // reporter sees the value, not who typed it or the note.
            let theirs =
                viewer.role() == Some(Role::Reporter) && h.agency.is_some() && h.agency.as_deref() != viewer.agency();
            if theirs && !h.workflow.counts() && h.workflow != Workflow::Submitted {
                continue;
            }
            history.push(HistoryRow {
                period: h.period.label_vi(),
                unit: unit_names.get(h.org_unit.as_str()).map_or(h.org_unit.clone(), |n| n.to_string()),
                version: h.version,
                value: format_vi(h.value),
                status: h.status.label_vi(),
                origin: origin_label(h.origin),
                workflow: h.workflow.label_vi(),
                counts: h.workflow.counts(),
                by: if public || theirs { String::new() } else { h.entered_by.clone() },
                at: when(&h.entered_at),
                note: if theirs { String::new() } else { h.note.clone() },
            });
        }
    }
    let versions = attempt!(state.store.measure_history(state.plan(), key).await)
        .into_iter()
        .map(|v| VersionRow {
            version: v.version,
            target: v.measure.target_text(),
            decision: match (v.decision, v.decided_on) {
                (Some(d), Some(on)) => format!("{d} ngày {}", on.format("%d/%m/%Y")),
                _ => "Nghị quyết ban hành kế hoạch".into(),
            },
        })
        .collect();
    let comments = if public {
        Vec::new()
    } else {
        attempt!(state.store.comments(state.plan(), key).await)
            .into_iter()
            .map(|c| CommentRow { author: c.author, at: when(&c.at), body: c.body })
            .collect()
    };
    let page = MeasurePage {
        chrome: Chrome::new(
            viewer,
            &format!("{} {}", measure.key, measure.name),
            if public { "public" } else { "overview" },
        ),
        public,
        key: measure.key.clone(),
        name: measure.name.clone(),
        unit: measure.unit.clone(),
        target: measure.target_text(),
        quote: measure.source.quote.clone(),
        line: measure.source.line,
        resolution: book.plan.document.number.clone().unwrap_or_default(),
        period_label: period.label_vi(),
        periods: period_options(year, period),
        status: e.status.label_vi(),
        chip: chip(e.status),
        actual: number(e.actual),
        pending,
        parts: e.actual.is_none().then(|| book.parts_in(key, period)).flatten(),
        achievement: percent(e.achievement_pct),
        vs_last_year: percent(e.vs_last_year_pct),
        forecast: e
            .forecast
            .as_ref()
            .map(|f| format!("{} ({})", number(Some(f.value)), f.explanation()))
            .unwrap_or_default(),
        basis: e.basis.clone(),
        chart: svg,
        history,
        versions,
        comments,
        may_comment: !public && viewer.may(Action::Comment, None),
        formula: measure.formula.clone().unwrap_or_default(),
    };
    html(&page)
}

pub(crate) async fn measure(
    AxumState(state): AxumState<State>,
    viewer: Viewer,
    Path(key): Path<String>,
    Query(q): Query<Filters>,
) -> Response {
    allow!(viewer, Action::Read, None, &format!("/measures/{key}"));
    measure_page(&state, &viewer, &key, &q, false, |v| v.origin != Origin::Illustrative).await
}

#[derive(serde::Deserialize)]
pub(crate) struct CommentForm {
    csrf: Option<String>,
    body: String,
}

pub(crate) async fn comment(
    AxumState(state): AxumState<State>,
    viewer: Viewer,
    Path(key): Path<String>,
    axum::Form(form): axum::Form<CommentForm>,
) -> Response {
    allow!(viewer, Action::Comment, None, &format!("/measures/{key}"));
    if let Err(r) = viewer.check_csrf(form.csrf.as_deref()) {
        return r;
    }
    let plan = attempt!(state.store.plan(state.plan(), Against::Current).await);
    if !plan.reports(&key) {
        return not_found().await;
    }
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > 4000 {
        return message(
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ý kiến không hợp lệ",
            "Ý kiến phải có từ 1 đến 4.000 ký tự.",
        );
    }
    let by = viewer.user.as_ref().map(|u| u.username.clone()).unwrap_or_default();
    attempt!(state.store.add_comment(state.plan(), &key, body, &by).await);
    Redirect::to(&format!("/measures/{}", crate::auth::encode(&key))).into_response()
}

// ---------------------------------------------------------------- entry

struct Field {
    key: String,
    name: String,
    unit: String,
    target: String,
    /// What to type for this kind of measure.
    hint: &'static str,
    value: String,
    status: String,
    note: String,
    version: u32,
    /// Where the stored figure stands (nháp, chờ duyệt, đã duyệt…).
    workflow: &'static str,
    error: String,
    /// A figure far from the earlier ones: kept only with a note.
    warning: String,
    /// For a measure judged against last year: the figure it needs (its
    /// period's code and label), and whether it counts already.
    base: Option<(String, String, bool)>,
    /// For a checklist: each named unit, reached or not and when (the date
    /// as an `<input type=date>` value), in place of a value box.
    checklist: Vec<(String, bool, String)>,
}

/// Whether a measure is entered per named unit.
fn is_checklist(m: &Measure) -> bool {
    m.kind == kehoach_domain::MeasureKind::Checklist && !m.subjects.is_empty()
}

#[derive(Template)]
#[template(path = "entry.html")]
struct EntryPage {
    chrome: Chrome,
    agency: Agency,
    agencies: Vec<(Agency, bool)>,
    choose_agency: bool,
    period: String,
    period_label: String,
    periods: Vec<PeriodOption>,
    fields: Vec<Field>,
    state: String,
    state_comment: String,
    locked: bool,
    submission_version: u32,
    flash: String,
    problem: String,
    unit_name: String,
}

/// What to type in a measure's field, by its kind: the figure as it is
/// judged, never the target's own wording.
pub(crate) fn entry_hint(m: &Measure) -> &'static str {
    use kehoach_domain::MeasureKind::*;
    match m.kind {
        Growth => "Tốc độ tăng so với cùng kỳ năm trước (%), ví dụ 6,5 hoặc -1,2.",
        Share => "Tỷ trọng trong cơ cấu (%), từ 0 đến 100.",
        Change => "Giá trị của kỳ này (không nhập mức tăng, giảm): mức thay đổi so với năm trước được tính tự động.",
        Ratio => "Tỷ số của kỳ này, không âm (ví dụ số giường bệnh trên một vạn dân).",
        Count | Zero => "Số lượng, số nguyên không âm.",
        Deadline => "Tiến độ đạt được đến cuối kỳ (%), từ 0 đến 100.",
        Direction => "Số liệu của kỳ này; được so với cùng kỳ năm trước.",
        Checklist => "Số đơn vị đã đạt đến cuối kỳ.",
        Level if m.unit == "%" => "Tỷ lệ đạt được (%), từ 0 đến 100.",
        Level if m.aggregation == Aggregation::Sum => "Số phát sinh trong kỳ (không cộng dồn các kỳ trước), không âm.",
        Level => "Mức đạt được đến cuối kỳ, không âm.",
    }
}

/// The agency whose form is asked for: the one in the address, or the
/// reporter's own; planners and administrators default to the first.
fn agency_of(viewer: &Viewer, asked: Option<&str>, agencies: &[Agency]) -> Option<Agency> {
    let code = asked.filter(|a| !a.is_empty()).or(viewer.agency()).or(agencies.first().map(|a| a.code.as_str()))?;
    agencies.iter().find(|a| a.code == code).cloned()
}

struct EntryContext {
    plan: Plan,
    unit: String,
    unit_name: String,
    agencies: Vec<Agency>,
    measures: Vec<Measure>,
    latest: HashMap<String, StoredValue>,
    /// The latest version of each figure's chain, illustrative ones of a
    /// demonstration included: what a save must name to replace it.
    versions: HashMap<String, u32>,
    /// What counts of this unit's figures: the references a new figure is
    /// compared with.
    released: HashMap<(String, Period), Decimal>,
    submission: Option<kehoach_store::Submission>,
}

async fn entry_context(state: &State, agency: &str, period: Period) -> Result<EntryContext, StoreError> {
    let plan = state.store.plan(state.plan(), Against::Current).await?;
    let units = state.store.org_units().await?;
    let unit = judge::home_of(&plan, &units);
    let unit_name = units.iter().find(|u| u.code == unit).map_or(unit.clone(), |u| u.name.clone());
    let leads: HashSet<String> = state
        .store
        .assignments(state.plan())
        .await?
        .into_iter()
        .filter(|a| a.lead == agency)
        .map(|a| a.measure)
        .collect();
    let measures: Vec<Measure> = plan.measures().filter(|m| leads.contains(&m.key)).cloned().collect();
    let here: Vec<StoredValue> = state
        .store
        .latest_values(state.plan())
        .await?
        .into_iter()
        .filter(|v| v.period == period && v.org_unit == unit)
        .collect();
    let versions = here.iter().map(|v| (v.measure.clone(), v.version)).collect();
    let latest =
        here.into_iter().filter(|v| v.origin != Origin::Illustrative).map(|v| (v.measure.clone(), v)).collect();
    let released = state
        .store
        .released_values(state.plan())
        .await?
        .into_iter()
        .filter(|v| v.org_unit == unit && v.origin != Origin::Illustrative && leads.contains(&v.measure))
        .map(|v| ((v.measure, v.period), v.value))
        .collect();
    let submission =
        state.store.submissions(state.plan()).await?.into_iter().find(|s| s.agency == agency && s.period == period);
    let mut agencies = state.store.agencies().await?;
    crate::view::sort_vi(&mut agencies, |a| a.name.as_str());
    Ok(EntryContext { plan, unit, unit_name, agencies, measures, latest, versions, released, submission })
}

/// The figure a measure judged against last year needs beside this
/// period's: last year's actual for a change ("giảm 0,5 - 1 điểm %"), the
/// same period last year for a direction ("kéo giảm").
fn base_of(m: &Measure, period: Period) -> Option<Period> {
    use kehoach_domain::Comparator::*;
    match m.comparator {
        IncreaseBy | DecreaseBy => Some(Period::Year(period.year() - 1)),
        Increase | Decrease => Some(period.year_before()),
        _ => None,
    }
}

/// The figures a new one of a measure is compared with
/// (`value::references`), from what counts at the unit.
pub(crate) fn references(
    released: &HashMap<(String, Period), Decimal>,
    key: &str,
    period: Period,
) -> Vec<(String, Decimal)> {
    kehoach_domain::value::references(period, |p| released.get(&(key.to_string(), p)).copied())
}

/// A checklist's named units as the form says they stand: `r.KEY.I` checked
/// when reached, `d.KEY.I` the day (`2025-09-15`, or `15/09/2025` typed).
fn checklist_of<'a>(
    m: &Measure,
    get: &impl Fn(&str) -> Option<&'a str>,
) -> Result<Vec<kehoach_domain::checklist::Item>, String> {
    m.subjects
        .iter()
        .enumerate()
        .map(|(i, subject)| {
            let reached = get(&format!("r.{}.{i}", m.key)).is_some();
            let day = get(&format!("d.{}.{i}", m.key)).unwrap_or_default().trim();
            let on = if day.is_empty() || !reached {
                None
            } else {
                let parsed = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .or_else(|_| chrono::NaiveDate::parse_from_str(day, "%d/%m/%Y"));
                Some(parsed.map_err(|_| format!("Ngày đạt của {subject} “{day}” không hợp lệ (viết 15/09/2025)."))?)
            };
            Ok(kehoach_domain::checklist::Item { subject: subject.clone(), reached, on })
        })
        .collect()
}

/// What the entry page says beside the form.
#[derive(Default)]
struct Said<'a> {
    /// What was typed, shown again after a rejection.
    typed: Option<&'a HashMap<String, String>>,
    errors: HashMap<String, String>,
    warnings: HashMap<String, String>,
    flash: &'a str,
    problem: &'a str,
}

fn entry_page(viewer: &Viewer, ctx: &EntryContext, agency: &Agency, period: Period, said: Said<'_>) -> EntryPage {
    let Said { typed, errors, warnings, flash, problem } = said;
    let fields = ctx
        .measures
        .iter()
        .map(|m| {
            let stored = ctx.latest.get(&m.key);
            let typed_field = |prefix: &str| typed.and_then(|t| t.get(&format!("{prefix}.{}", m.key))).cloned();
            let (items, free_note) = if is_checklist(m) {
                let (items, free) =
                    kehoach_domain::checklist::read(&m.subjects, stored.map_or("", |v| v.note.as_str()));
                let items = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| match typed {
                        Some(t) => (
                            item.subject,
                            t.contains_key(&format!("r.{}.{i}", m.key)),
                            t.get(&format!("d.{}.{i}", m.key)).cloned().unwrap_or_default(),
                        ),
                        None => (item.subject, item.reached, item.on.map(|d| d.to_string()).unwrap_or_default()),
                    })
                    .collect();
                (items, Some(free))
            } else {
                (Vec::new(), None)
            };
            Field {
                key: m.key.clone(),
                name: m.name.clone(),
                unit: m.unit.clone(),
                target: m.target_text(),
                hint: entry_hint(m),
                // Exactly as stored: 10,4567 stays 10,4567.
                value: typed_field("v").unwrap_or_else(|| stored.map(|v| format_vi(v.value)).unwrap_or_default()),
                status: typed_field("s").unwrap_or_else(|| {
                    stored.map_or(ValueStatus::Estimate.as_str(), |v| v.status.as_str()).to_string()
                }),
                note: typed_field("n")
                    .unwrap_or_else(|| free_note.unwrap_or_else(|| stored.map(|v| v.note.clone()).unwrap_or_default())),
                version: ctx.versions.get(&m.key).copied().unwrap_or(0),
                workflow: stored.map_or("", |v| v.workflow.label_vi()),
                error: errors.get(&m.key).cloned().unwrap_or_default(),
                warning: warnings.get(&m.key).cloned().unwrap_or_default(),
                base: base_of(m, period).map(|p| {
                    let have = ctx.released.contains_key(&(m.key.clone(), p));
                    (p.to_string(), p.label_vi(), have)
                }),
                checklist: items,
            }
        })
        .collect();
    let state = ctx.submission.as_ref().map(|s| s.state);
    EntryPage {
        chrome: Chrome::new(viewer, "Nhập số liệu", "entry"),
        agency: agency.clone(),
        agencies: ctx.agencies.iter().map(|a| (a.clone(), a.code == agency.code)).collect(),
        choose_agency: viewer.agency().is_none(),
        period: period.to_string(),
        period_label: period.label_vi(),
        periods: period_options(ctx.plan.year, period)
            .into_iter()
            .chain(period_options(ctx.plan.year - 1, period))
            .collect(),
        fields,
        state: state.map(|s| s.label_vi().to_string()).unwrap_or_else(|| "Chưa nhập".into()),
        state_comment: ctx.submission.as_ref().map(|s| s.comment.clone()).unwrap_or_default(),
        locked: state.is_some_and(|s| !s.open()),
        submission_version: ctx.submission.as_ref().map_or(0, |s| s.version),
        flash: flash.into(),
        problem: problem.into(),
        unit_name: ctx.unit_name.clone(),
    }
}

pub(crate) async fn entry_form(
    AxumState(state): AxumState<State>,
    viewer: Viewer,
    Query(q): Query<Filters>,
) -> Response {
    let next = format!("/entry?period={}", crate::auth::encode(q.period.as_deref().unwrap_or_default()));
    // Nobody outside sees even an empty form.
    allow!(viewer, Action::Read, None, &next);
    let agencies = attempt!(state.store.agencies().await);
    let Some(agency) = agency_of(&viewer, q.agency.as_deref(), &agencies) else {
        return message(&viewer, StatusCode::NOT_FOUND, "Không có đơn vị", "Không tìm thấy đơn vị báo cáo này.");
    };
    allow!(viewer, Action::Enter, Some(&agency.code), &next);
    let plan_year = attempt!(state.store.plan(state.plan(), Against::Current).await);
    let period = match entry_period(&plan_year, q.period.as_deref()) {
        Ok(p) => p,
        Err(e) => return message(&viewer, StatusCode::BAD_REQUEST, "Kỳ báo cáo không hợp lệ", &e),
    };
    let ctx = attempt!(entry_context(&state, &agency.code, period).await);
    let flash = match q.saved.as_deref() {
        Some("submitted") => "Đã gửi số liệu để lãnh đạo duyệt.",
        Some("draft") => "Đã lưu nháp.",
        _ => "",
    };
    html(&entry_page(&viewer, &ctx, &agency, period, Said { flash, ..Said::default() }))
}

pub(crate) async fn entry(
    AxumState(state): AxumState<State>,
    viewer: Viewer,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Response {
    let form: HashMap<String, String> = form.into_iter().collect();
    let get = |k: &str| form.get(k).map(String::as_str);
    allow!(viewer, Action::Read, None, "/entry");
    let agencies = attempt!(state.store.agencies().await);
    let Some(agency) = agency_of(&viewer, get("agency"), &agencies) else {
        return message(&viewer, StatusCode::NOT_FOUND, "Không có đơn vị", "Không tìm thấy đơn vị báo cáo này.");
    };
    allow!(viewer, Action::Enter, Some(&agency.code), "/entry");
    if let Err(r) = viewer.check_csrf(get("csrf")) {
        return r;
    }
    let plan = attempt!(state.store.plan(state.plan(), Against::Current).await);
    let period = match entry_period(&plan, get("period")) {
        Ok(p) => p,
        Err(e) => return message(&viewer, StatusCode::BAD_REQUEST, "Kỳ báo cáo không hợp lệ", &e),
    };
    let submit = get("action") == Some("submit");
    let ctx = attempt!(entry_context(&state, &agency.code, period).await);
    let again =
        |status: StatusCode, errors: HashMap<String, String>, warnings: HashMap<String, String>, problem: &str| {
            let said = Said { typed: Some(&form), errors, warnings, flash: "", problem };
            (status, html(&entry_page(&viewer, &ctx, &agency, period, said))).into_response()
        };
    if let Some(s) = ctx.submission.as_ref().filter(|s| !s.state.open()) {
        let problem = if s.state == SubmissionState::Submitted {
            "Số liệu kỳ này đang chờ duyệt: không sửa được cho đến khi lãnh đạo duyệt hoặc trả lại."
        } else {
            "Số liệu kỳ này đã được duyệt và khóa. Đề nghị lãnh đạo mở khóa nếu cần sửa."
        };
        return again(StatusCode::CONFLICT, HashMap::new(), HashMap::new(), problem);
    }
    // Read every field first: one bad field keeps all that was typed.
    let mut errors = HashMap::new();
    let mut warnings = HashMap::new();
    let mut values = Vec::new();
    for m in &ctx.measures {
        let status_text = get(&format!("s.{}", m.key)).unwrap_or("estimate");
        let free = get(&format!("n.{}", m.key)).unwrap_or_default().trim();
        // A checklist is entered per named unit: its figure is how many have
        // reached it, and which and when go in its note.
        let checklist = if is_checklist(m) {
            match checklist_of(m, &get) {
                Ok(items) => Some(items),
                Err(why) => {
                    errors.insert(m.key.clone(), why);
                    continue;
                }
            }
        } else {
            None
        };
        let (counted, note_text);
        let (text, note) = match &checklist {
            Some(items) => {
                let reached = items.iter().filter(|i| i.reached).count();
                if reached == 0 && free.is_empty() && !ctx.latest.contains_key(&m.key) {
                    continue;
                }
                counted = reached.to_string();
                note_text = kehoach_domain::checklist::note(items, free);
                (counted.as_str(), note_text.as_str())
            }
            None => (get(&format!("v.{}", m.key)).unwrap_or_default().trim(), free),
        };
        if text.is_empty() {
            continue;
        }
        if text.chars().count() > 40 || note.chars().count() > 1000 {
            errors.insert(m.key.clone(), "Nội dung quá dài.".to_string());
            continue;
        }
        let value = match parse_decimal(text) {
            Ok(v) => v,
            Err(kehoach_domain::number::NumberError::OutOfRange(_)) => {
                errors.insert(
                    m.key.clone(),
                    format!(
                        "“{text}” có quá nhiều chữ số: số liệu không được làm tròn khi lưu, hãy nhập ít chữ số hơn."
                    ),
                );
                continue;
            }
            Err(_) => {
                errors.insert(m.key.clone(), format!("“{text}” không phải là số. Viết số như 1.850,5 hoặc 1850.5."));
                continue;
            }
        };
        if let Err(why) = kehoach_domain::value::check_figure(m.kind, &m.unit, value) {
            errors.insert(m.key.clone(), format!("Không nhận: {why}."));
            continue;
        }
        let Ok(status) = status_text.parse::<ValueStatus>() else {
            errors.insert(m.key.clone(), "Chọn loại số liệu: ước tính, sơ bộ hoặc chính thức.".to_string());
            continue;
        };
        let stored = ctx.latest.get(&m.key);
        // The same figure posted back is no new version.
        if stored.is_some_and(|s| s.value == value && s.status == status && s.note == note) {
            continue;
        }
        if let Some(why) = kehoach_domain::value::unlikely(value, &references(&ctx.released, &m.key, period))
            && note.is_empty()
        {
            warnings.insert(m.key.clone(), format!("{why}: ghi chú lý do thì mới lưu được."));
            continue;
        }
        let seen = get(&format!("ver.{}", m.key)).and_then(|v| v.parse().ok()).unwrap_or(0);
        values.push(NewValue {
            measure: m.key.clone(),
            org_unit: ctx.unit.clone(),
            period,
            value,
            status,
            note: note.to_string(),
            origin: Origin::Entered,
            agency: Some(agency.code.clone()),
            expected_version: Some(seen),
        });
    }
    if !errors.is_empty() || !warnings.is_empty() {
        let problem = format!(
            "{} ô chưa hợp lệ hoặc cần ghi chú; chưa có gì được lưu. Sửa các ô được đánh dấu rồi gửi lại.",
            errors.len() + warnings.len()
        );
        return again(StatusCode::UNPROCESSABLE_ENTITY, errors, warnings, &problem);
    }
    let by = viewer.user.as_ref().map(|u| u.username.clone()).unwrap_or_default();
    let to = if submit { SubmissionState::Submitted } else { SubmissionState::Draft };
    let seen = get("submission_version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let step = Move { agency: &agency.code, period, to, comment: "", expected_version: seen, seen: None };
    // Saving a draft again with nothing changed moves nothing.
    let unchanged =
        values.is_empty() && !submit && ctx.submission.as_ref().is_some_and(|s| s.state == SubmissionState::Draft);
    match state.enter(&values, (!unchanged).then_some(&step), &by).await {
        Ok(_) => {}
        Err(StoreError::Conflict { measure, period: p, .. }) if !p.is_empty() => {
            let problem = format!(
                "Chỉ tiêu {measure} vừa được người khác cập nhật; chưa có gì được lưu. Tải lại trang để xem số mới rồi nhập lại."
            );
            return again(StatusCode::CONFLICT, HashMap::new(), HashMap::new(), &problem);
        }
        Err(StoreError::Conflict { .. }) => {
            return again(
                StatusCode::CONFLICT,
                HashMap::new(),
                HashMap::new(),
                "Trạng thái kỳ báo cáo vừa thay đổi; chưa có gì được lưu. Tải lại trang rồi gửi lại.",
            );
        }
        Err(StoreError::Locked { .. }) => {
            return again(
                StatusCode::CONFLICT,
                HashMap::new(),
                HashMap::new(),
                "Số liệu kỳ này đang chờ duyệt hoặc đã được duyệt và khóa; chưa có gì được lưu.",
            );
        }
        Err(e) => return failure(&e),
    }
    let saved = if submit { "submitted" } else { "draft" };
    Redirect::to(&format!("/entry?period={period}&agency={}&saved={saved}", crate::auth::encode(&agency.code)))
        .into_response()
}

// ---------------------------------------------------------------- approvals

/// A figure as the approver is shown it, and approves it: by version.
struct ShownFigure {
    key: String,
    name: String,
    unit: String,
    org_unit: String,
    value: String,
    version: u32,
    note: String,
    /// Far from the same unit's earlier figures (the note says why).
    warning: String,
}

struct SubmissionRow {
    id: String,
    agency: String,
    agency_name: String,
    period: String,
    period_label: String,
    state: &'static str,
    waiting: bool,
    approved: bool,
    by: String,
    at: String,
    comment: String,
    version: u32,
    figures: Vec<ShownFigure>,
}

#[derive(Template)]
#[template(path = "approvals.html")]
struct ApprovalsPage {
    chrome: Chrome,
    waiting: Vec<SubmissionRow>,
    others: Vec<SubmissionRow>,
    problem: String,
}

async fn approvals_page(state: &State, viewer: &Viewer, problem: &str) -> Result<ApprovalsPage, StoreError> {
    let submissions = state.store.submissions(state.plan()).await?;
    let agencies: HashMap<String, String> =
        state.store.agencies().await?.into_iter().map(|a| (a.code, a.name)).collect();
    let plan = state.store.plan(state.plan(), Against::Current).await?;
    let latest = state.store.latest_values(state.plan()).await?;
    let released: HashMap<(String, Period), Decimal> = {
        let units = state.store.org_units().await?;
        let home = judge::home_of(&plan, &units);
        state
            .store
            .released_values(state.plan())
            .await?
            .into_iter()
            .filter(|v| v.org_unit == home && v.origin != Origin::Illustrative)
            .map(|v| ((v.measure, v.period), v.value))
            .collect()
    };
    let mut waiting = Vec::new();
    let mut others = Vec::new();
    for s in submissions {
        // Exactly what an approval would approve: the latest version of each
        // figure the agency entered for the period.
        let figures = latest
            .iter()
            .filter(|v| v.period == s.period && v.origin == Origin::Entered && v.agency.as_deref() == Some(&s.agency))
            .map(|v| {
                let m = plan.measure(&v.measure);
                ShownFigure {
                    key: v.measure.clone(),
                    name: m.map(|m| m.name.clone()).unwrap_or_default(),
                    unit: m.map(|m| m.unit.clone()).unwrap_or_default(),
                    org_unit: v.org_unit.clone(),
                    value: format_vi(v.value),
                    version: v.version,
                    note: v.note.clone(),
                    warning: kehoach_domain::value::unlikely(v.value, &references(&released, &v.measure, v.period))
                        .unwrap_or_default(),
                }
            })
            .collect();
        let row = SubmissionRow {
            id: format!("{}/{}", s.agency, s.period),
            agency_name: agencies.get(&s.agency).cloned().unwrap_or_else(|| s.agency.clone()),
            agency: s.agency.clone(),
            period: s.period.to_string(),
            period_label: s.period.label_vi(),
            state: s.state.label_vi(),
            waiting: s.state == SubmissionState::Submitted,
            approved: s.state == SubmissionState::Approved,
            by: s.by,
            at: when(&s.at),
            comment: s.comment,
            version: s.version,
            figures,
        };
        if row.waiting { waiting.push(row) } else { others.push(row) }
    }
    Ok(ApprovalsPage {
        chrome: Chrome::new(viewer, "Duyệt số liệu", "approvals"),
        waiting,
        others,
        problem: problem.into(),
    })
}

pub(crate) async fn approvals(AxumState(state): AxumState<State>, viewer: Viewer) -> Response {
    allow!(viewer, Action::Approve, None, "/approvals");
    html(&attempt!(approvals_page(&state, &viewer, "").await))
}

/// An approver's decision, as posted: `seen` repeats, one
/// `measure|unit|version` per figure shown.
#[derive(Default)]
pub(crate) struct Decision {
    csrf: Option<String>,
    decision: String,
    comment: Option<String>,
    version: u32,
    seen: Vec<kehoach_store::Seen>,
}

impl Decision {
    fn read(fields: Vec<(String, String)>) -> Result<Self, String> {
        let mut d = Decision::default();
        for (k, v) in fields {
            match k.as_str() {
                "csrf" => d.csrf = Some(v),
                "decision" => d.decision = v,
                "comment" => d.comment = Some(v),
                "version" => d.version = v.parse().map_err(|_| format!("version “{v}”"))?,
                "seen" => {
                    let mut parts = v.splitn(3, '|');
                    let (Some(measure), Some(org_unit), Some(version)) = (parts.next(), parts.next(), parts.next())
                    else {
                        return Err(format!("seen “{v}”"));
                    };
                    let version = version.parse().map_err(|_| format!("seen “{v}”"))?;
                    d.seen.push(kehoach_store::Seen { measure: measure.into(), org_unit: org_unit.into(), version });
                }
                _ => {}
            }
        }
        Ok(d)
    }
}

pub(crate) async fn decide(
    AxumState(state): AxumState<State>,
    viewer: Viewer,
    Path((agency, period)): Path<(String, String)>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Response {
    allow!(viewer, Action::Approve, None, "/approvals");
    let form = match Decision::read(fields) {
        Ok(d) => d,
        Err(what) => {
            return message(
                &viewer,
                StatusCode::BAD_REQUEST,
                "Quyết định không hợp lệ",
                &format!("Không đọc được {what}."),
            );
        }
    };
    if let Err(r) = viewer.check_csrf(form.csrf.as_deref()) {
        return r;
    }
    let Ok(period) = period.parse::<Period>() else { return not_found().await };
    let comment = form.comment.as_deref().unwrap_or_default().trim();
    let to = match form.decision.as_str() {
        "approve" => SubmissionState::Approved,
        "return" => SubmissionState::Returned,
        "unlock" => SubmissionState::Unlocked,
        _ => {
            return message(
                &viewer,
                StatusCode::BAD_REQUEST,
                "Quyết định không hợp lệ",
                "Chọn duyệt, trả lại hoặc mở khóa.",
            );
        }
    };
    let problem = if matches!(to, SubmissionState::Returned | SubmissionState::Unlocked) && comment.is_empty() {
        Some("Khi trả lại hoặc mở khóa, cần ghi rõ lý do.".to_string())
    } else if comment.chars().count() > 2000 {
        Some("Ý kiến quá dài (tối đa 2.000 ký tự).".to_string())
    } else {
        None
    };
    if let Some(problem) = problem {
        let page = attempt!(approvals_page(&state, &viewer, &problem).await);
        return (StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response();
    }
    let by = viewer.user.as_ref().map(|u| u.username.clone()).unwrap_or_default();
    let seen = (to == SubmissionState::Approved).then_some(form.seen.as_slice());
    let step = Move { agency: &agency, period, to, comment, expected_version: form.version, seen };
    match state.move_submission(&step, &by).await {
        Ok(_) => Redirect::to("/approvals").into_response(),
        Err(StoreError::Changed { changes, .. }) => {
            let problem = format!(
                "Chưa duyệt: số liệu đã thay đổi kể từ khi trang được mở ({}). Xem lại số liệu mới rồi quyết định.",
                changes.join("; ")
            );
            let page = attempt!(approvals_page(&state, &viewer, &problem).await);
            (StatusCode::CONFLICT, html(&page)).into_response()
        }
        Err(StoreError::Conflict { expected, current, .. }) => {
            let problem = format!(
                "Chưa thực hiện: kỳ báo cáo này vừa được xử lý hoặc gửi lại (trang đã mở ở lần {expected}, nay là lần \
                 {current}). Xem lại số liệu mới rồi quyết định."
            );
            let page = attempt!(approvals_page(&state, &viewer, &problem).await);
            (StatusCode::CONFLICT, html(&page)).into_response()
        }
        Err(e @ StoreError::Invalid(_)) => {
            let page = attempt!(approvals_page(&state, &viewer, &format!("Không thực hiện được: {e}")).await);
            (StatusCode::CONFLICT, html(&page)).into_response()
        }
        Err(e) => failure(&e),
    }
}

// ---------------------------------------------------------------- tasks

struct TaskRow {
    key: String,
    action: String,
    object: String,
    place: String,
    deadline: String,
    status: &'static str,
    status_class: &'static str,
    percent: String,
    overdue: bool,
    narrative: String,
    /// Name, due, reached, overdue.
    milestones: Vec<(String, String, String, bool)>,
    lead: String,
    /// Whether the viewer may report this task's progress.
    may_report: bool,
    form: ProgressForm,
    error: String,
    open: bool,
}

struct TaskGroup {
    code: String,
    tasks: Vec<TaskRow>,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    chrome: Chrome,
    groups: Vec<TaskGroup>,
    statuses: Vec<(&'static str, &'static str)>,
    flash: String,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub(crate) struct ProgressForm {
    csrf: Option<String>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    percent: String,
    #[serde(default)]
    narrative: String,
    #[serde(default)]
    milestones: String,
    #[serde(default)]
    version: u32,
}

const TASK_STATUSES: [kehoach_domain::progress::TaskStatus; 5] = {
    use kehoach_domain::progress::TaskStatus::*;
    [NotStarted, InProgress, Done, Delayed, Cancelled]
};

async fn tasks_page(
    state: &State,
    viewer: &Viewer,
    refused: Option<(&str, ProgressForm, String)>,
    flash: &str,
) -> Response {
    use kehoach_domain::progress::TaskStatus;
    let plan = attempt!(state.store.plan(state.plan(), Against::Current).await);
    let leads: HashMap<String, String> =
        attempt!(state.store.assignments(state.plan()).await).into_iter().map(|a| (a.measure, a.lead)).collect();
    let today = chrono::Utc::now().date_naive();
    let mut groups: Vec<TaskGroup> = Vec::new();
    for t in &plan.tasks {
        let history = attempt!(state.store.task_history(state.plan(), &t.key).await);
        let version = history.last().map_or(0, |(v, ..)| *v);
        let latest = history.last().map(|(_, p, _, _)| p.clone());
        let status = latest.as_ref().map(|p| p.status);
        let deadline = t.deadline.unwrap_or_else(|| {
            chrono::NaiveDate::from_ymd_opt(plan.year, 12, 31).expect("a plan year has a 31 December")
        });
        let done = matches!(status, Some(TaskStatus::Done | TaskStatus::Cancelled));
        let lead = leads.get(&kehoach_domain::org::Assignment::task_key(&t.key)).cloned().unwrap_or_default();
        let (form, error, open) = match &refused {
            Some((key, form, error)) if *key == t.key => (form.clone(), error.clone(), true),
            _ => (
                ProgressForm {
                    status: status.unwrap_or(TaskStatus::NotStarted).as_str().into(),
                    percent: latest.as_ref().and_then(|p| p.percent).map(|p| number(Some(p))).unwrap_or_default(),
                    narrative: latest.as_ref().map(|p| p.narrative.clone()).unwrap_or_default(),
                    milestones: latest
                        .as_ref()
                        .map(|p| kehoach_domain::progress::format_milestones(&p.milestones))
                        .unwrap_or_default(),
                    version,
                    csrf: None,
                },
                String::new(),
                false,
            ),
        };
        let row = TaskRow {
            key: t.key.clone(),
            action: t.action.clone(),
            object: t.object.clone(),
            place: t.place.clone().unwrap_or_default(),
            deadline: deadline.format("%d/%m/%Y").to_string(),
            status: status.map_or(kehoach_report::model::NOT_REPORTED, |s| s.label_vi()),
            status_class: match status {
                Some(TaskStatus::Done) => "chip achieved",
                Some(TaskStatus::Delayed) => "chip not-achieved",
                Some(TaskStatus::InProgress) => "chip on-track",
                _ => "chip no-data",
            },
            percent: percent(latest.as_ref().and_then(|p| p.percent)),
            overdue: !done && (deadline < today || latest.as_ref().is_some_and(|p| !p.overdue(today).is_empty())),
            milestones: latest
                .as_ref()
                .map(|p| {
                    let day =
                        |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default();
                    p.milestones
                        .iter()
                        .map(|m| {
                            let late = m.reached.is_none() && m.due.is_some_and(|d| d < today);
                            (m.name.clone(), day(m.due), day(m.reached), late)
                        })
                        .collect()
                })
                .unwrap_or_default(),
            narrative: latest.map(|p| p.narrative).unwrap_or_default(),
            may_report: !lead.is_empty() && viewer.may(Action::Enter, Some(&lead)),
            lead,
            form,
            error,
            open,
        };
        match groups.iter_mut().find(|g| g.code == t.group) {
            Some(g) => g.tasks.push(row),
            None => groups.push(TaskGroup { code: t.group.clone(), tasks: vec![row] }),
        }
    }
    let page = TasksPage {
        chrome: Chrome::new(viewer, "Nhiệm vụ trọng tâm", "tasks"),
        groups,
        statuses: TASK_STATUSES.iter().map(|s| (s.as_str(), s.label_vi())).collect(),
        flash: flash.to_string(),
    };
    let status = if refused.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, html(&page)).into_response()
}

pub(crate) async fn tasks(AxumState(state): AxumState<State>, viewer: Viewer, Query(q): Query<Filters>) -> Response {
    allow!(viewer, Action::Read, None, "/tasks");
    let flash = match q.saved.as_deref() {
        Some(key) if !key.is_empty() => format!("Đã ghi nhận tiến độ nhiệm vụ {key}."),
        _ => String::new(),
    };
    tasks_page(&state, &viewer, None, &flash).await
}

pub(crate) async fn report_progress(
    AxumState(state): AxumState<State>,
    viewer: Viewer,
    Path(key): Path<String>,
    axum::Form(form): axum::Form<ProgressForm>,
) -> Response {
    use kehoach_domain::progress::{TaskProgress, TaskStatus};
    allow!(viewer, Action::Read, None, "/tasks");
    if !attempt!(state.store.plan(state.plan(), Against::Current).await).tasks.iter().any(|t| t.key == key) {
        return not_found().await;
    }
    let lead = attempt!(state.store.assignments(state.plan()).await)
        .into_iter()
        .find(|a| a.measure == kehoach_domain::org::Assignment::task_key(&key))
        .map(|a| a.lead);
    allow!(viewer, Action::Enter, lead.as_deref(), "/tasks");
    if let Err(r) = viewer.check_csrf(form.csrf.as_deref()) {
        return r;
    }
    let refuse = |error: &str| (key.as_str(), form.clone(), error.to_string());
    let Ok(status) = form.status.parse::<TaskStatus>() else {
        return tasks_page(&state, &viewer, Some(refuse("Chọn tình trạng thực hiện.")), "").await;
    };
    let percent = match form.percent.trim() {
        "" => None,
        text => match parse_decimal(text.trim_end_matches('%').trim()) {
            Ok(p) => Some(p),
            Err(_) => {
                let error = format!("Tiến độ “{text}” không phải là số phần trăm (0 đến 100).");
                return tasks_page(&state, &viewer, Some(refuse(&error)), "").await;
            }
        },
    };
    let milestones = match kehoach_domain::progress::parse_milestones(&form.milestones) {
        Ok(m) => m,
        Err((line, _)) => {
            let error = format!(
                "Mốc tiến độ, dòng {line}: viết “tên mốc | hạn | ngày đạt”, ngày dạng 31/03/2025 (ngày có thể bỏ trống)."
            );
            return tasks_page(&state, &viewer, Some(refuse(&error)), "").await;
        }
    };
    if form.narrative.chars().count() > 4000 {
        return tasks_page(&state, &viewer, Some(refuse("Nội dung quá dài (tối đa 4.000 ký tự).")), "").await;
    }
    let progress =
        TaskProgress { task: key.clone(), status, percent, milestones, narrative: form.narrative.trim().into() };
    if let Err(e) = progress.validate() {
        let error = match e {
            kehoach_domain::progress::ProgressError::DoneBelowFull(_) => "Nhiệm vụ hoàn thành thì tiến độ là 100%.",
            kehoach_domain::progress::ProgressError::OutOfRange(_) => "Tiến độ phải từ 0 đến 100%.",
        };
        return tasks_page(&state, &viewer, Some(refuse(error)), "").await;
    }

    let by = viewer.user.as_ref().map(|u| u.username.clone()).unwrap_or_default();
    match state.store.report_progress(state.plan(), &progress, form.version, &by).await {
        Ok(_) => Redirect::to(&format!("/tasks?saved={}", crate::auth::encode(&key))).into_response(),
        Err(StoreError::Conflict { .. }) => {
            let error = "Nhiệm vụ vừa được người khác cập nhật; tải lại trang rồi nhập lại.";
            tasks_page(&state, &viewer, Some(refuse(error)), "").await
        }
        Err(e) => failure(&e),
    }
}

// ---------------------------------------------------------------- audit

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    q: String,
    entries: Vec<(String, String, String, String, String)>,
}

#[derive(serde::Deserialize)]
pub(crate) struct Search {
    q: Option<String>,
}

pub(crate) async fn audit(AxumState(state): AxumState<State>, viewer: Viewer, Query(s): Query<Search>) -> Response {
    allow!(viewer, Action::Audit, None, "/audit");
    let q = s.q.unwrap_or_default().trim().to_lowercase();
    let entries = attempt!(state.store.audit(2000).await)
        .into_iter()
        .filter(|e| {
            q.is_empty() || [&e.actor, &e.action, &e.entity, &e.detail].iter().any(|f| f.to_lowercase().contains(&q))
        })
        .take(500)
        .map(|e| (when(&e.at), e.actor, e.action, e.entity, e.detail))
        .collect();
    html(&AuditPage { chrome: Chrome::new(&viewer, "Nhật ký thay đổi", "audit"), q, entries })
}

// ---------------------------------------------------------------- public

/// Figures the public sees: those published, and those of periods whose
/// lead agency's submission an approver has approved.
/// What the public sees of the figures that count: all but the illustrative
/// ones of a demonstration. (Which figures count, approved or recorded, the
/// store decides: `Store::released_values`.)
fn published(v: &StoredValue) -> bool {
    v.origin != Origin::Illustrative
}

#[derive(Template)]
#[template(path = "public.html")]
struct PublicPage {
    chrome: Chrome,
    region: String,
    year: i32,
    resolution: String,
    period_label: String,
    periods: Vec<PeriodOption>,
    counts: Vec<Count>,
    rows: Vec<Row>,
    period: String,
}

pub(crate) async fn public(AxumState(state): AxumState<State>, viewer: Viewer, Query(q): Query<Filters>) -> Response {
    allow!(viewer, Action::ReadPublic, None, "/public");
    // From the engine kept current, not from the store on every request:
    // it holds exactly the released figures that are not illustrative.
    let plan = attempt!(state.store.plan(state.plan(), Against::Current).await);
    let live = attempt!(state.analytics.engine(&state.store, state.plan()).await);
    let book = Book::over(state.plan(), plan, &*live);
    let period = match period_of(book.plan.year, q.period.as_deref()) {
        Ok(p) => p,
        Err(e) => return message(&viewer, StatusCode::BAD_REQUEST, "Kỳ báo cáo không hợp lệ", &e),
    };
    let results = book.evaluate(&[period]).pop().unwrap_or_default();
    let rows = rows(&book, &results, &HashMap::new(), period, |_, _, _| true);
    let page = PublicPage {
        chrome: Chrome::new(&viewer, "Công khai kết quả thực hiện kế hoạch", "public"),
        region: book.plan.region.clone(),
        year: book.plan.year,
        resolution: book.plan.document.number.clone().unwrap_or_default(),
        period_label: period.label_vi(),
        periods: period_options(book.plan.year, period),
        counts: counts(&results),
        rows,
        period: period.to_string(),
    };
    html(&page)
}

pub(crate) async fn public_measure(
    AxumState(state): AxumState<State>,
    viewer: Viewer,
    Path(key): Path<String>,
    Query(q): Query<Filters>,
) -> Response {
    measure_page(&state, &viewer, &key, &q, true, published).await
}

/// Every figure that counts, one per line, for anyone to download.
/// A text cell of the public CSV: one a spreadsheet would take as a
/// formula (`=`, `+`, `-`, `@`, and a tab or carriage return before them) is
/// written as text; quotes, commas and line breaks are quoted.
fn csv_text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

pub(crate) async fn public_csv(AxumState(state): AxumState<State>) -> Response {
    let plan = attempt!(state.store.plan(state.plan(), Against::Current).await);
    let values = attempt!(state.store.released_values(state.plan()).await);
    let mut out = String::from("measure,name,period,org_unit,value,unit,status,origin\r\n");
    let field = csv_text;
    for v in values.iter().filter(|v| published(v)) {
        let m = plan.measure(&v.measure);
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\r\n",
            field(&v.measure),
            field(m.map_or("", |m| m.name.as_str())),
            v.period,
            field(&v.org_unit),
            v.value,
            field(m.map_or("", |m| m.unit.as_str())),
            v.status.as_str(),
            v.origin.as_str()
        ));
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"so-lieu-cong-khai.csv\""),
        ],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod csv_tests {
    #[test]
    fn a_cell_a_spreadsheet_would_run_is_written_as_text() {
        assert_eq!(super::csv_text("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        for formula in ["+1+1", "-2+3", "@SUM(A1)", "\t=1"] {
            assert!(super::csv_text(formula).trim_start_matches('"').starts_with('\''), "{formula}");
        }
        assert_eq!(super::csv_text("Kim ngạch xuất khẩu"), "Kim ngạch xuất khẩu");
        assert_eq!(super::csv_text("tỷ USD, giá hiện hành"), "\"tỷ USD, giá hiện hành\"");
    }
}
