//! Judging a measure for a period the way Vietnamese reports do: Vượt, Đạt,
//! Không đạt for a finished year; Ước đạt or Có nguy cơ không đạt during it;
//! Chưa có số liệu when nothing has been reported.
//!
//! The rules, per comparator (the target version is the one in force):
//! - `at_least X`: above X exceeded, X achieved, below not achieved.
//! - `above X`: above X exceeded, X or below not achieved.
//! - `at_most X` / `below X`: the mirror (less is better).
//! - `between L–H`: from L to H achieved, above H exceeded, below L not.
//! - `about X`: within the tolerance (± `about_pct` % of X) achieved, above
//!   it exceeded, below it not achieved.
//! - `equal X` (shares): within ± `share_points` achieved, else not achieved.
//! - `increase_by X`: growth over last year's actual (percent for levels,
//!   points for rates) judged as `at_least` (or `between` for a range).
//! - `decrease_by X` / `L–H`: the fall from last year's actual, in points for
//!   rates, judged as `at_least X` (or `between L–H`).
//! - `decrease` / `increase`: compared with the same period last year.
//! - `zero`: any occurrence fails, in the year or any part of it.
//! - `complete_by`: done (the value, or every named unit) by the deadline;
//!   before it, on track if progress keeps pace with the time gone.
//!
//! During the year a flow (exports, revenue: aggregation `sum`) is judged by
//! its forecast for the year; a stock or rate by its latest figure; the
//! verdict is then "on track" or "at risk" instead of the final one.

use rust_decimal::Decimal;
use std::fmt;

use crate::number::format_vi_rounded;
use crate::period::Period;
use crate::plan::{Aggregation, Comparator, Measure, MeasureKind, Plan};

/// The verdict on a measure for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Exceeded,
    Achieved,
    OnTrack,
    AtRisk,
    NotAchieved,
    NoData,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exceeded => "exceeded",
            Self::Achieved => "achieved",
            Self::NotAchieved => "not_achieved",
            Self::OnTrack => "on_track",
            Self::AtRisk => "at_risk",
            Self::NoData => "no_data",
        }
    }

    /// The word a Vietnamese report uses.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Exceeded => "Vượt",
            Self::Achieved => "Đạt",
            Self::NotAchieved => "Không đạt",
            Self::OnTrack => "Ước đạt",
            Self::AtRisk => "Có nguy cơ không đạt",
            Self::NoData => "Chưa có số liệu",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How close is close enough, stated with every verdict that uses it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerances {
    /// `about X` is met within ± this percentage of X.
    pub about_pct: Decimal,
    /// A share of a structure is met within ± this many percentage points.
    pub share_points: Decimal,
}

impl Default for Tolerances {
    fn default() -> Self {
        Self { about_pct: Decimal::from(2), share_points: Decimal::new(5, 1) }
    }
}

/// The figures a verdict rests on. Values are for the period as asked: the
/// year-to-date total of a flow for a cumulative period, the level at the end
/// of the period for a stock or a rate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub actual: Option<Decimal>,
    /// The same period last year (cùng kỳ).
    pub same_period_last_year: Option<Decimal>,
    /// Last year's actual for the whole year: the base of change targets.
    pub last_year: Option<Decimal>,
    /// This year's monthly values (index 0 = January), for the forecast of
    /// flows.
    pub months: [Option<Decimal>; 12],
    /// Last year's monthly values: the seasonal profile of the forecast.
    pub months_last_year: [Option<Decimal>; 12],
}

/// A year-end forecast and how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub value: Decimal,
    pub method: ForecastMethod,
    /// How many months the forecast rests on.
    pub months: u32,
    /// Which months (1 = January): every month so far, or only those that
    /// have figures when some are missing.
    pub used: Vec<u32>,
    pub year_to_date: Decimal,
    /// With the profile method: the share of last year's total that fell in
    /// the same months, in percent.
    pub share_pct: Option<Decimal>,
}

impl Forecast {
    /// The method in words, with its figures. Written on demand: a
    /// dashboard judges many periods and shows few explanations.
    pub fn explanation(&self) -> String {
        let (n, ytd) = (self.months, format_vi_rounded(self.year_to_date, 2));
        let first_n = self.used.iter().copied().eq(1..=n);
        match (self.method, self.share_pct) {
            (ForecastMethod::LastYearProfile, Some(share)) if first_n => format!(
                "ước cả năm = lũy kế {n} tháng {ytd} ÷ {}% (tỷ trọng {n} tháng đầu năm trong cả năm trước)",
                format_vi_rounded(share, 1)
            ),
            (ForecastMethod::LastYearProfile, Some(share)) => format!(
                "ước cả năm = tổng các tháng có số liệu ({}) {ytd} ÷ {}% (tỷ trọng các tháng đó trong cả năm trước)",
                month_list(&self.used),
                format_vi_rounded(share, 1)
            ),
            _ => format!("ước cả năm = lũy kế {n} tháng {ytd} × 12 / {n} (chưa có số liệu từng tháng năm trước)"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForecastMethod {
    /// Year to date divided by the share of last year's total that fell in
    /// the same months.
    LastYearProfile,
    /// Year to date scaled to twelve months (no profile for last year).
    Linear,
}

/// The verdict with what it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub status: Status,
    pub actual: Option<Decimal>,
    /// Actual as a percentage of the target (% so với kế hoạch).
    pub achievement_pct: Option<Decimal>,
    /// Actual as a percentage of the same period last year (% so với cùng kỳ).
    pub vs_last_year_pct: Option<Decimal>,
    pub forecast: Option<Forecast>,
    /// What was compared ("giảm 0,7 điểm % so với 3,2% năm trước").
    pub basis: Basis,
}

/// What a verdict rests on, beyond the target itself: a kind with its
/// figures, worded by [`Basis::to_vi`] as Vietnamese reports write it (the
/// web words it in English too). `unit` is the measure's unit.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Basis {
    /// Nothing to add: the figure against the target says it all.
    #[default]
    None,
    /// The plan gives no figure to compare with.
    NoTarget,
    /// The plan gives no range to compare with.
    NoRange,
    /// "About x": within ± the margin.
    About { target: Decimal, margin: Decimal, unit: String },
    /// A share: off the target by `deviation`, `margin` allowed.
    Deviation { deviation: Decimal, target: Decimal, margin: Decimal, unit: String },
    /// A rise or fall on last year, with last year's figure missing.
    NoBase { year: i32, decrease: bool },
    /// A rise or fall in per cent on a last year of zero.
    ZeroBase { year: i32 },
    /// The rise or fall on last year: in points for a rate, else in per cent.
    Change { decrease: bool, change: Decimal, points: bool, base: Decimal, unit: String },
    /// A direction, with the same period last year missing.
    NoSamePeriod { period: Period },
    /// A direction: this figure against the same period last year.
    SamePeriod { actual: Decimal, before: Decimal, unit: String },
    /// What must not happen did not.
    NotOccurred,
    /// What must not happen happened, this many times.
    Occurred(Decimal),
    /// A deadline: how far along it should be by now.
    Expected(Decimal),
    /// A flow's year cannot be forecast: these months are missing and last
    /// year's are not all in.
    NoForecast { missing: Vec<u32> },
}

impl Basis {
    /// As a Vietnamese report writes it; empty for [`Basis::None`].
    pub fn to_vi(&self) -> String {
        let show = |d: &Decimal, unit: &str| format!("{}{}", format_vi_rounded(*d, 2), unit_suffix(unit));
        let word = |decrease: &bool| if *decrease { "giảm" } else { "tăng" };
        match self {
            Self::None => String::new(),
            Self::NoTarget => "kế hoạch chưa có giá trị chỉ tiêu".into(),
            Self::NoRange => "kế hoạch chưa có khoảng chỉ tiêu".into(),
            Self::About { target, margin, unit } => format!("khoảng {} ± {}", show(target, unit), show(margin, unit)),
            Self::Deviation { deviation, target, margin, unit } => format!(
                "lệch {} so với {} (cho phép ± {})",
                show(deviation, unit),
                show(target, unit),
                show(margin, unit)
            ),
            Self::NoBase { year, decrease } => format!(
                "thiếu số liệu thực hiện năm {year} (gốc để tính mức {}): cơ quan chủ trì nhập số liệu kỳ Năm {year}",
                word(decrease)
            ),
            Self::ZeroBase { year } => format!("số liệu thực hiện năm {year} bằng 0: không tính được tỷ lệ thay đổi"),
            Self::Change { decrease, change, points, base, unit } => format!(
                "{} {}{} so với {} năm trước",
                word(decrease),
                format_vi_rounded(*change, 2),
                if *points { " điểm %" } else { "%" },
                show(base, unit)
            ),
            Self::NoSamePeriod { period } => format!(
                "thiếu số liệu cùng kỳ năm trước ({}) để so sánh: cơ quan chủ trì nhập số liệu kỳ đó",
                period.label_vi()
            ),
            Self::SamePeriod { actual, before, unit } => {
                format!("{} so với {} cùng kỳ", show(actual, unit), show(before, unit))
            }
            Self::NotOccurred => "không xảy ra".into(),
            Self::Occurred(n) => format!("xảy ra {}", format_vi_rounded(*n, 2)),
            Self::Expected(x) => format!("cần {} ở thời điểm này", format_vi_rounded(*x, 2)),
            Self::NoForecast { missing } => format!(
                "chưa ước được cả năm: thiếu số liệu tháng {} và chưa có đủ số liệu từng tháng năm trước",
                month_list(missing)
            ),
        }
    }
}

/// Judges a measure for a period.
pub fn evaluate(measure: &Measure, period: Period, figures: &Figures, tolerances: &Tolerances) -> Evaluation {
    let final_verdict = matches!(period, Period::Year(_));
    let forecast = if measure.aggregation == Aggregation::Sum && !final_verdict && is_flow(measure) {
        forecast(period, figures)
    } else {
        None
    };
    let vs_last_year_pct = ratio_pct(figures.actual, figures.same_period_last_year);
    // A flow whose year cannot be forecast (months missing, no profile) is
    // not judged on its year to date against the year's target.
    let gap = if is_flow(measure) && measure.aggregation == Aggregation::Sum && !final_verdict && forecast.is_none() {
        forecast_gap(period, figures)
    } else {
        None
    };
    if let (Some(basis), Some(actual)) = (gap, figures.actual) {
        return Evaluation {
            status: Status::NoData,
            actual: Some(actual),
            achievement_pct: None,
            vs_last_year_pct,
            forecast: None,
            basis,
        };
    }
    let Some(actual) = figures.actual else {
        return Evaluation {
            status: Status::NoData,
            actual: None,
            achievement_pct: None,
            vs_last_year_pct: None,
            forecast,
            basis: Basis::None,
        };
    };
    // During the year a flow is judged by where it is heading.
    let judged = forecast.as_ref().map_or(actual, |f| f.value);
    let (verdict, basis) = judge(measure, judged, period, figures, tolerances);
    let status = match (verdict, final_verdict) {
        // An occurrence of what must not happen fails at once.
        (Status::NotAchieved, false) if measure.comparator == Comparator::Zero => Status::NotAchieved,
        (Status::Exceeded | Status::Achieved, false) => Status::OnTrack,
        (Status::NotAchieved, false) => Status::AtRisk,
        (s, _) => s,
    };
    let target = measure.value.or(measure.low);
    let achievement_pct = match measure.comparator {
        Comparator::AtLeast
        | Comparator::Above
        | Comparator::AtMost
        | Comparator::Below
        | Comparator::About
        | Comparator::Equal
        | Comparator::Between
        | Comparator::CompleteBy => ratio_pct(Some(actual), target),
        _ => None,
    };
    Evaluation { status, actual: Some(actual), achievement_pct, vs_last_year_pct, forecast, basis }
}

/// Judges every measure of a plan for a period. `value(key, period)` gives
/// the reported figure of a measure (the caller picks the unit and the
/// latest version). A period with no figure of its own takes the sum of its
/// months for flows (when every month is in), the last month's for the rest.
pub fn evaluate_plan<'p>(
    plan: &'p Plan,
    period: Period,
    value: &dyn Fn(&str, Period) -> Option<Decimal>,
    tolerances: &Tolerances,
) -> Vec<(&'p Measure, Evaluation)> {
    evaluate_periods(plan, &[period], value, tolerances).pop().unwrap_or_default()
}

/// Judges every measure for several periods of one year (a dashboard's
/// months, quarters and year at once): each measure's monthly series is read
/// once, not once per period. The result has one list per period, in order.
pub fn evaluate_periods<'p>(
    plan: &'p Plan,
    periods: &[Period],
    value: &dyn Fn(&str, Period) -> Option<Decimal>,
    tolerances: &Tolerances,
) -> Vec<Vec<(&'p Measure, Evaluation)>> {
    let mut out: Vec<Vec<(&Measure, Evaluation)>> =
        periods.iter().map(|_| Vec::with_capacity(plan.measures().count())).collect();
    for m in plan.measures() {
        let key = m.key.as_str();
        // Monthly series are read only for flows, which need them for the
        // forecast and for sums; others need at most their last month.
        let flow = m.aggregation == Aggregation::Sum;
        let series = |y: i32| -> [Option<Decimal>; 12] {
            if flow { std::array::from_fn(|i| value(key, Period::Month(y, i as u32 + 1))) } else { [None; 12] }
        };
        let mut years: Vec<(i32, Months, Months)> = Vec::new();
        for (i, &period) in periods.iter().enumerate() {
            let year = period.year();
            if !years.iter().any(|(y, ..)| *y == year) {
                years.push((year, series(year), series(year - 1)));
            }
            let (_, months, months_last_year) = years.iter().find(|(y, ..)| *y == year).expect("read above");
            // A period with no figure of its own: the sum of its months for a
            // flow (when every month is in), the last month's for a stock or
            // a rate.
            let derived = |months: &[Option<Decimal>; 12], p: Period| -> Option<Decimal> {
                let (first, last) = p.months();
                if flow {
                    let slice = &months[(first - 1) as usize..last as usize];
                    slice.iter().try_fold(Decimal::ZERO, |total, v| total.checked_add((*v)?))
                } else if matches!(p, Period::Month(..)) {
                    None
                } else {
                    value(key, Period::Month(p.year(), last))
                }
            };
            let before = period.year_before();
            let figures = Figures {
                actual: value(key, period).or_else(|| derived(months, period)),
                same_period_last_year: value(key, before).or_else(|| derived(months_last_year, before)),
                last_year: value(key, Period::Year(year - 1)),
                months: *months,
                months_last_year: *months_last_year,
            };
            out[i].push((m, evaluate(m, period, &figures, tolerances)));
        }
    }
    out
}

/// A year of monthly figures, January first.
type Months = [Option<Decimal>; 12];

/// Flows add up over the year; counts of new things too.
fn is_flow(measure: &Measure) -> bool {
    matches!(measure.kind, MeasureKind::Level | MeasureKind::Count)
}

fn ratio_pct(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    match (a, b) {
        (Some(a), Some(b)) if !b.is_zero() => a.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(b),
        _ => None,
    }
}

/// Compares one figure with the target: exceeded, achieved or not achieved,
/// and the comparison in words.
fn judge(m: &Measure, actual: Decimal, period: Period, figures: &Figures, tol: &Tolerances) -> (Status, Basis) {
    let unit = &m.unit;
    match m.comparator {
        Comparator::AtLeast => at_least(actual, m.value),
        Comparator::Above => match m.value {
            Some(x) if actual > x => (Status::Exceeded, Basis::None),
            Some(_) => (Status::NotAchieved, Basis::None),
            None => (Status::NoData, Basis::NoTarget),
        },
        Comparator::AtMost => match m.value {
            Some(x) if actual < x => (Status::Exceeded, Basis::None),
            Some(x) if actual == x => (Status::Achieved, Basis::None),
            Some(_) => (Status::NotAchieved, Basis::None),
            None => (Status::NoData, Basis::NoTarget),
        },
        Comparator::Below => match m.value {
            Some(x) if actual < x => (Status::Exceeded, Basis::None),
            Some(_) => (Status::NotAchieved, Basis::None),
            None => (Status::NoData, Basis::NoTarget),
        },
        Comparator::Between => between(actual, m.low, m.high),
        Comparator::About => match m.value {
            Some(x) => {
                let margin = (x * tol.about_pct / Decimal::ONE_HUNDRED).abs();
                let basis = Basis::About { target: x, margin, unit: unit.clone() };
                if actual > x + margin {
                    (Status::Exceeded, basis)
                } else if actual < x - margin {
                    (Status::NotAchieved, basis)
                } else {
                    (Status::Achieved, basis)
                }
            }
            None => (Status::NoData, Basis::NoTarget),
        },
        Comparator::Equal => match m.value {
            Some(x) => {
                let margin =
                    if unit == "%" { tol.share_points } else { (x * tol.about_pct / Decimal::ONE_HUNDRED).abs() };
                let deviation = actual - x;
                let basis = Basis::Deviation { deviation, target: x, margin, unit: unit.clone() };
                if deviation.abs() <= margin { (Status::Achieved, basis) } else { (Status::NotAchieved, basis) }
            }
            None => (Status::NoData, Basis::NoTarget),
        },
        Comparator::IncreaseBy | Comparator::DecreaseBy => {
            let Some(base) = figures.last_year else {
                let (year, decrease) = (period.year() - 1, m.comparator == Comparator::DecreaseBy);
                return (Status::NoData, Basis::NoBase { year, decrease });
            };
            let rate = unit == "%" || unit == "‰";
            let change = match (m.comparator, rate) {
                (Comparator::DecreaseBy, true) => base - actual,
                (Comparator::IncreaseBy, true) => actual - base,
                (Comparator::DecreaseBy, false) if !base.is_zero() => (base - actual) / base * Decimal::ONE_HUNDRED,
                (Comparator::IncreaseBy, false) if !base.is_zero() => (actual - base) / base * Decimal::ONE_HUNDRED,
                _ => {
                    return (Status::NoData, Basis::ZeroBase { year: period.year() - 1 });
                }
            };
            let decrease = m.comparator == Comparator::DecreaseBy;
            let basis = Basis::Change { decrease, change, points: rate, base, unit: unit.clone() };
            let status = if m.low.is_some() { between(change, m.low, m.high).0 } else { at_least(change, m.value).0 };
            (status, basis)
        }
        Comparator::Decrease | Comparator::Increase => {
            let Some(before) = figures.same_period_last_year else {
                return (Status::NoData, Basis::NoSamePeriod { period: period.year_before() });
            };
            let better = if m.comparator == Comparator::Decrease { actual < before } else { actual > before };
            let basis = Basis::SamePeriod { actual, before, unit: unit.clone() };
            (if better { Status::Achieved } else { Status::NotAchieved }, basis)
        }
        Comparator::Zero => {
            if actual.is_zero() {
                (Status::Achieved, Basis::NotOccurred)
            } else {
                (Status::NotAchieved, Basis::Occurred(actual))
            }
        }
        Comparator::CompleteBy => complete_by(m, actual, period),
    }
}

fn at_least(actual: Decimal, target: Option<Decimal>) -> (Status, Basis) {
    match target {
        Some(x) if actual > x => (Status::Exceeded, Basis::None),
        Some(x) if actual == x => (Status::Achieved, Basis::None),
        Some(_) => (Status::NotAchieved, Basis::None),
        None => (Status::NoData, Basis::NoTarget),
    }
}

fn between(actual: Decimal, low: Option<Decimal>, high: Option<Decimal>) -> (Status, Basis) {
    match (low, high) {
        (Some(_), Some(hi)) if actual > hi => (Status::Exceeded, Basis::None),
        (Some(lo), Some(_)) if actual >= lo => (Status::Achieved, Basis::None),
        (Some(_), Some(_)) => (Status::NotAchieved, Basis::None),
        _ => (Status::NoData, Basis::NoRange),
    }
}

/// Done by the deadline (default: the end of the plan year). Before it,
/// progress must keep pace with the time gone.
fn complete_by(m: &Measure, actual: Decimal, period: Period) -> (Status, Basis) {
    let target = m.value.unwrap_or_else(|| Decimal::from(m.subjects.len().max(1)));
    if actual >= target {
        return (Status::Achieved, Basis::None);
    }
    let deadline_month = m.deadline.map_or(12, |d| {
        use chrono::Datelike;
        if d.year() > period.year() {
            12
        } else if d.year() < period.year() {
            0
        } else {
            d.month()
        }
    });
    let reached = period.last_month();
    if reached >= deadline_month || matches!(period, Period::Year(_)) {
        return (Status::NotAchieved, Basis::None);
    }
    let expected = target * Decimal::from(reached) / Decimal::from(deadline_month);
    let basis = Basis::Expected(expected);
    if actual >= expected { (Status::Achieved, basis) } else { (Status::NotAchieved, basis) }
}

fn unit_suffix(unit: &str) -> String {
    match unit {
        "" => String::new(),
        "%" | "‰" => unit.to_string(),
        u => format!(" {u}"),
    }
}

/// The year-end forecast of a flow from this year's figures so far and last
/// year's monthly profile: year to date ÷ the share of last year's total that
/// fell in the same months. Without a full profile for last year, year to
/// date scaled to twelve months.
///
/// Missing months are never taken as zero. When some months of the year so
/// far have no figure, the year to date is the period's own cumulative figure
/// where the period runs from January and has one; otherwise the months that
/// have figures are scaled by last year's share of those same months. With
/// months missing and no profile there is no forecast ([`forecast_gap`] says
/// why).
pub fn forecast(period: Period, figures: &Figures) -> Option<Forecast> {
    let reached = period.last_month() as usize;
    let total_of =
        |months: &[Option<Decimal>]| months.iter().flatten().try_fold(Decimal::ZERO, |t, v| t.checked_add(*v));
    let have: Vec<u32> = (1..=reached as u32).filter(|m| figures.months[*m as usize - 1].is_some()).collect();
    let complete = have.len() == reached;
    let cumulative = period.months().0 == 1 && figures.actual.is_some();
    let (used, ytd): (Vec<u32>, Decimal) = if complete {
        (have, total_of(&figures.months[..reached])?)
    } else if cumulative {
        ((1..=reached as u32).collect(), figures.actual?)
    } else if have.is_empty() {
        return None;
    } else {
        let ytd = have.iter().try_fold(Decimal::ZERO, |t, m| t.checked_add(figures.months[*m as usize - 1]?))?;
        (have, ytd)
    };
    let whole = used.len() == reached;
    let profile_complete = figures.months_last_year.iter().all(Option::is_some);
    if profile_complete {
        let total = total_of(&figures.months_last_year)?;
        let same_months =
            used.iter().try_fold(Decimal::ZERO, |t, m| t.checked_add(figures.months_last_year[*m as usize - 1]?))?;
        if !total.is_zero() && !same_months.is_zero() {
            // Multiply first: 660 × 1800 / 600 is exactly 1980.
            let value = ytd.checked_mul(total)?.checked_div(same_months)?;
            return Some(Forecast {
                value,
                method: ForecastMethod::LastYearProfile,
                months: used.len() as u32,
                used,
                year_to_date: ytd,
                share_pct: same_months.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(total),
            });
        }
    }
    if !whole {
        return None;
    }
    let value = ytd.checked_mul(Decimal::from(12))? / Decimal::from(reached);
    Some(Forecast {
        value,
        method: ForecastMethod::Linear,
        months: reached as u32,
        used,
        year_to_date: ytd,
        share_pct: None,
    })
}

/// Why a flow has no forecast for a period though it has figures: the months
/// missing so far, in Vietnamese ("thiếu số liệu tháng 4, 7–8").
pub fn forecast_gap(period: Period, figures: &Figures) -> Option<Basis> {
    let reached = period.last_month();
    let missing: Vec<u32> = (1..=reached).filter(|m| figures.months[*m as usize - 1].is_none()).collect();
    if missing.is_empty() || forecast(period, figures).is_some() {
        return None;
    }
    Some(Basis::NoForecast { missing })
}

/// `[1, 2, 3, 5, 7, 8]` → "1–3, 5, 7–8".
pub fn month_list(months: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < months.len() {
        let start = months[i];
        let mut end = start;
        while i + 1 < months.len() && months[i + 1] == end + 1 {
            i += 1;
            end = months[i];
        }
        parts.push(if end > start { format!("{start}–{end}") } else { start.to_string() });
        i += 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn measure(
        comparator: Comparator,
        value: Option<&str>,
        range: Option<(&str, &str)>,
        unit: &str,
        kind: MeasureKind,
    ) -> Measure {
        let m = Measure::new("x.1", "x", comparator, kind, crate::plan::Aggregation::Latest);
        Measure { value: value.map(d), low: range.map(|r| d(r.0)), high: range.map(|r| d(r.1)), unit: unit.into(), ..m }
    }

    fn year(actual: &str, last_year: Option<&str>) -> Figures {
        Figures { actual: Some(d(actual)), last_year: last_year.map(d), ..Figures::default() }
    }

    fn status(m: &Measure, f: &Figures) -> Status {
        evaluate(m, Period::Year(2025), f, &Tolerances::default()).status
    }

    /// The examples the issue fixes.
    #[test]
    fn the_seed_examples() {
        let grdp = measure(Comparator::Between, None, Some(("6.0", "6.5")), "%", MeasureKind::Growth);
        assert_eq!(status(&grdp, &year("5.84", None)), Status::NotAchieved);
        let mut exports = measure(Comparator::AtLeast, Some("1850"), None, "triệu USD", MeasureKind::Level);
        exports.aggregation = Aggregation::Sum;
        let e = evaluate(&exports, Period::Year(2025), &year("1900", None), &Tolerances::default());
        assert_eq!(e.status, Status::Exceeded);
        assert_eq!(e.achievement_pct.map(|p| p.round_dp(2)), Some(d("102.70")));
        let poverty = measure(Comparator::DecreaseBy, None, Some(("0.5", "1")), "%", MeasureKind::Change);
        assert_eq!(status(&poverty, &year("2.5", Some("3.2"))), Status::Achieved);
        assert_eq!(status(&poverty, &year("2.9", Some("3.2"))), Status::NotAchieved);
        assert_eq!(status(&poverty, &year("2.0", Some("3.2"))), Status::Exceeded);
        let basis =
            evaluate(&poverty, Period::Year(2025), &year("2.5", Some("3.2")), &Tolerances::default()).basis.to_vi();
        assert_eq!(basis, "giảm 0,7 điểm % so với 3,2% năm trước");
        // Without its base the verdict says, in Vietnamese, which figure is missing.
        let e = evaluate(&poverty, Period::Year(2025), &year("2.5", None), &Tolerances::default());
        assert_eq!(e.status, Status::NoData);
        assert!(
            e.basis.to_vi().starts_with("thiếu số liệu thực hiện năm 2024 (gốc để tính mức giảm)"),
            "{:?}",
            e.basis
        );
        let crime = measure(Comparator::Decrease, None, None, "", MeasureKind::Direction);
        let e = evaluate(&crime, Period::Quarter(2025, 3), &year("90", None), &Tolerances::default());
        assert!(e.basis.to_vi().contains("thiếu số liệu cùng kỳ năm trước (Quý III/2024)"), "{:?}", e.basis);
    }

    #[test]
    fn ranges_ceilings_and_tolerances() {
        let grdp = measure(Comparator::Between, None, Some(("6.0", "6.5")), "%", MeasureKind::Growth);
        assert_eq!(status(&grdp, &year("6.0", None)), Status::Achieved);
        assert_eq!(status(&grdp, &year("6.5", None)), Status::Achieved);
        assert_eq!(status(&grdp, &year("6.51", None)), Status::Exceeded);
        let ceiling = measure(Comparator::AtMost, Some("3"), None, "%", MeasureKind::Level);
        assert_eq!(status(&ceiling, &year("2.5", None)), Status::Exceeded);
        assert_eq!(status(&ceiling, &year("3", None)), Status::Achieved);
        assert_eq!(status(&ceiling, &year("3.1", None)), Status::NotAchieved);
        let about = measure(Comparator::About, Some("30"), None, "%", MeasureKind::Level);
        assert_eq!(status(&about, &year("30.5", None)), Status::Achieved);
        assert_eq!(status(&about, &year("29.4", None)), Status::Achieved);
        assert_eq!(status(&about, &year("29.3", None)), Status::NotAchieved);
        assert_eq!(status(&about, &year("31", None)), Status::Exceeded);
        let share = measure(Comparator::Equal, Some("33.10"), None, "%", MeasureKind::Share);
        assert_eq!(status(&share, &year("33.5", None)), Status::Achieved);
        assert_eq!(status(&share, &year("32.5", None)), Status::NotAchieved);
        let zero = measure(Comparator::Zero, None, None, "", MeasureKind::Zero);
        assert_eq!(status(&zero, &year("0", None)), Status::Achieved);
        assert_eq!(status(&zero, &year("1", None)), Status::NotAchieved);
        // Any occurrence fails even before the year is out.
        let e = evaluate(&zero, Period::Month(2025, 3), &year("1", None), &Tolerances::default());
        assert_eq!(e.status, Status::NotAchieved);
        let crime = measure(Comparator::Decrease, None, None, "", MeasureKind::Direction);
        let f = Figures { actual: Some(d("90")), same_period_last_year: Some(d("100")), ..Figures::default() };
        assert_eq!(status(&crime, &f), Status::Achieved);
        assert_eq!(evaluate(&crime, Period::Year(2025), &f, &Tolerances::default()).vs_last_year_pct, Some(d("90")));
        assert_eq!(status(&crime, &Figures { actual: Some(d("90")), ..Figures::default() }), Status::NoData);
    }

    #[test]
    fn no_data_without_a_figure() {
        let m = measure(Comparator::AtLeast, Some("1"), None, "%", MeasureKind::Level);
        assert_eq!(status(&m, &Figures::default()), Status::NoData);
    }

    #[test]
    fn a_flow_during_the_year_is_judged_by_its_forecast() {
        let mut exports = measure(Comparator::AtLeast, Some("1850"), None, "triệu USD", MeasureKind::Level);
        exports.aggregation = Aggregation::Sum;
        let mut f = Figures::default();
        // Last year: 100 a month in the first half, 200 in the second (1.800).
        for m in 0..12 {
            f.months_last_year[m] = Some(Decimal::from(if m < 6 { 100 } else { 200 }));
        }
        // This year: 110 a month so far, 660 by June.
        for m in 0..6 {
            f.months[m] = Some(Decimal::from(110));
        }
        f.actual = Some(Decimal::from(660));
        let e = evaluate(&exports, Period::FirstHalf(2025), &f, &Tolerances::default());
        let forecast = e.forecast.unwrap();
        // 660 ÷ (600 / 1800) = 1980: on track for 1850.
        assert_eq!(forecast.value, Decimal::from(1980));
        assert_eq!(forecast.method, ForecastMethod::LastYearProfile);
        assert!(forecast.explanation().contains("33,3%"), "{}", forecast.explanation());
        assert_eq!(e.status, Status::OnTrack);
        // Without last year's profile the forecast is linear: 1320, at risk.
        f.months_last_year = [None; 12];
        let e = evaluate(&exports, Period::FirstHalf(2025), &f, &Tolerances::default());
        assert_eq!(e.forecast.as_ref().unwrap().value, Decimal::from(1320));
        assert_eq!(e.forecast.unwrap().method, ForecastMethod::Linear);
        assert_eq!(e.status, Status::AtRisk);
    }

    #[test]
    fn a_forecast_never_takes_a_missing_month_as_zero() {
        let mut exports = measure(Comparator::AtLeast, Some("1850"), None, "triệu USD", MeasureKind::Level);
        exports.aggregation = Aggregation::Sum;
        let mut f = Figures::default();
        for m in 0..12 {
            f.months_last_year[m] = Some(Decimal::from(if m < 6 { 100 } else { 200 }));
        }
        // January to October except April: 150 a month.
        for m in (0..10).filter(|m| *m != 3) {
            f.months[m] = Some(Decimal::from(150));
        }
        f.actual = f.months[9];
        let e = evaluate(&exports, Period::Month(2025, 10), &f, &Tolerances::default());
        let fc = e.forecast.clone().unwrap();
        // Nine months used, 1350 against last year's 1300 for the same months
        // out of 1800: 1350 × 1800 / 1300.
        assert_eq!(fc.used, vec![1, 2, 3, 5, 6, 7, 8, 9, 10]);
        assert_eq!(fc.value, Decimal::from(1350) * Decimal::from(1800) / Decimal::from(1300));
        let text = fc.explanation();
        assert!(text.contains("tổng các tháng có số liệu (1–3, 5–10)"), "{text}");
        assert!(!text.contains("lũy kế 10 tháng"), "{text}");
        // No profile: no forecast, no verdict, and the reason.
        f.months_last_year = [None; 12];
        let e = evaluate(&exports, Period::Month(2025, 10), &f, &Tolerances::default());
        assert_eq!(e.forecast, None);
        assert_eq!(e.status, Status::NoData);
        assert!(e.basis.to_vi().contains("thiếu số liệu tháng 4"), "{:?}", e.basis);
        // A cumulative figure for the ten months stands for the gap.
        f.actual = Some(Decimal::from(1500));
        let e = evaluate(&exports, Period::NineMonths(2025), &f, &Tolerances::default());
        let fc = e.forecast.unwrap();
        assert_eq!(fc.year_to_date, Decimal::from(1500));
        assert_eq!(fc.value, Decimal::from(2000));
        assert!(fc.explanation().contains("lũy kế 9 tháng"), "{}", fc.explanation());
    }

    #[test]
    fn a_deadline_keeps_pace_with_the_year() {
        let mut houses = measure(Comparator::CompleteBy, Some("100"), None, "%", MeasureKind::Deadline);
        houses.deadline = chrono::NaiveDate::from_ymd_opt(2025, 12, 31);
        let at = |p: Period, v: &str| evaluate(&houses, p, &year(v, None), &Tolerances::default()).status;
        assert_eq!(at(Period::FirstHalf(2025), "60"), Status::OnTrack);
        assert_eq!(at(Period::FirstHalf(2025), "40"), Status::AtRisk);
        assert_eq!(at(Period::Year(2025), "100"), Status::Achieved);
        assert_eq!(at(Period::Year(2025), "99"), Status::NotAchieved);
    }

    fn value() -> impl Strategy<Value = Decimal> {
        (0i64..10_000_000, 0u32..3).prop_map(|(u, s)| Decimal::new(u, s))
    }

    fn rank(s: Status) -> u8 {
        match s {
            Status::Exceeded => 3,
            Status::Achieved => 2,
            Status::NotAchieved => 1,
            _ => 0,
        }
    }

    proptest! {
        /// More is never worse for a floor, less never worse for a ceiling.
        #[test]
        fn verdicts_are_monotonic(target in value(), a in value(), b in value()) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let t = target.to_string();
            let floor = measure(Comparator::AtLeast, Some(&t), None, "tỷ đồng", MeasureKind::Level);
            prop_assert!(rank(status(&floor, &year(&lo.to_string(), None))) <= rank(status(&floor, &year(&hi.to_string(), None))));
            let ceiling = measure(Comparator::AtMost, Some(&t), None, "%", MeasureKind::Level);
            prop_assert!(rank(status(&ceiling, &year(&hi.to_string(), None))) <= rank(status(&ceiling, &year(&lo.to_string(), None))));
        }

        /// A range is achieved exactly on [low, high].
        #[test]
        fn between_is_achieved_on_the_closed_range(a in value(), b in value(), x in value()) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let m = measure(Comparator::Between, None, Some((&lo.to_string(), &hi.to_string())), "%", MeasureKind::Growth);
            let s = status(&m, &year(&x.to_string(), None));
            let expected = if x > hi { Status::Exceeded } else if x >= lo { Status::Achieved } else { Status::NotAchieved };
            prop_assert_eq!(s, expected);
        }

        /// A fall in points from last year: the fall itself is what is judged.
        #[test]
        fn decrease_by_judges_the_fall(base in value(), fall in value(), target in value()) {
            let actual = base - fall;
            let m = measure(Comparator::DecreaseBy, Some(&target.to_string()), None, "%", MeasureKind::Change);
            let s = status(&m, &year(&actual.to_string(), Some(&base.to_string())));
            let expected = if fall > target { Status::Exceeded } else if fall == target { Status::Achieved } else { Status::NotAchieved };
            prop_assert_eq!(s, expected);
        }

        /// A year that repeats last year month by month is forecast at last
        /// year's total.
        #[test]
        fn the_profile_forecast_recovers_a_repeated_year(months in proptest::collection::vec(1i64..1000, 12), upto in 1u32..12) {
            let mut f = Figures::default();
            for (i, v) in months.iter().enumerate() {
                f.months_last_year[i] = Some(Decimal::from(*v));
                if (i as u32) < upto {
                    f.months[i] = Some(Decimal::from(*v));
                }
            }
            let total: i64 = months.iter().sum();
            let fc = forecast(Period::Month(2025, upto), &f).unwrap();
            prop_assert!((fc.value - Decimal::from(total)).abs() < Decimal::new(1, 6), "{} vs {}", fc.value, total);
        }

        /// Nothing reported is never judged.
        #[test]
        fn no_figure_is_no_data(c in prop::sample::select(Comparator::ALL.to_vec()), m in 1u32..13) {
            let x = measure(c, Some("1"), Some(("1", "2")), "%", MeasureKind::Level);
            prop_assert_eq!(evaluate(&x, Period::Month(2025, m), &Figures::default(), &Tolerances::default()).status, Status::NoData);
        }
    }
}
