//! What a report says, worked out once from the plan and its figures, so that
//! the XLSX appendix, the DOCX report and the PDF all say the same thing.

use chrono::{Datelike, NaiveDate};
use kehoach_domain::evaluate::{Evaluation, Status};
use kehoach_domain::period::Period;
use kehoach_domain::plan::{Comparator, Measure, Plan, Task};
use kehoach_domain::progress::{Milestone, TaskProgress, TaskStatus};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Who issues the report and how it is signed: the parts of a Decree 30/2020
/// heading that do not come from the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Issuer {
    /// The governing body, upper case: `UBND TỈNH BẾN TRE`.
    pub parent: String,
    /// The issuing agency, upper case: `SỞ TÀI CHÍNH`.
    pub agency: String,
    /// The symbol after the number: `BC-STC` gives `Số:      /BC-STC`.
    pub symbol: String,
    /// The place in the date line: `Bến Tre`.
    pub place: String,
    pub date: NaiveDate,
    /// Above the signature: `GIÁM ĐỐC`, or `KT. GIÁM ĐỐC` with `PHÓ GIÁM ĐỐC`.
    pub signer_title: Vec<String>,
    /// Left empty for the signer to write in.
    pub signer_name: String,
    /// Nơi nhận.
    pub recipients: Vec<String>,
}

impl Issuer {
    /// The planning department of the plan's province (the Department of
    /// Finance since the 2025 merger of the Department of Planning and
    /// Investment into it), dated `date`.
    pub fn planning_department(plan: &Plan, date: NaiveDate) -> Self {
        let region = plan.region.clone();
        Self {
            parent: format!("UBND TỈNH {}", region.to_uppercase()),
            agency: "SỞ TÀI CHÍNH".into(),
            symbol: "BC-STC".into(),
            place: region,
            date,
            signer_title: vec!["GIÁM ĐỐC".into()],
            signer_name: String::new(),
            recipients: vec![
                "Thường trực Tỉnh ủy (để b/c);".into(),
                "Thường trực HĐND tỉnh (để b/c);".into(),
                "UBND tỉnh (để b/c);".into(),
                "Các sở, ban, ngành tỉnh;".into(),
                "Lưu: VT.".into(),
            ],
        }
    }

    /// `Bến Tre, ngày 15 tháng 7 năm 2025`. Days below 10 and the months
    /// January and February take a leading zero (Decree 30/2020, Appendix I:
    /// "ngày 05 tháng 01").
    pub fn date_line(&self) -> String {
        let (d, m, y) = (self.date.day(), self.date.month(), self.date.year());
        let day = if d < 10 { format!("0{d}") } else { d.to_string() };
        let month = if m < 3 { format!("0{m}") } else { m.to_string() };
        format!("{}, ngày {day} tháng {month} năm {y}", self.place)
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub issuer: Issuer,
    pub region: String,
    pub year: i32,
    pub period: Period,
    /// The resolution the plan was adopted by: `Nghị quyết số 24/NQ-HĐND
    /// ngày 06/12/2024 của Hội đồng nhân dân tỉnh Bến Tre`, with the parts
    /// the plan knows.
    pub resolution: String,
    /// Whether the targets are the ones adopted or the ones revised since.
    pub against_original: bool,
    pub sectors: Vec<SectorBlock>,
    pub tasks: Vec<TaskRow>,
    /// Stored figures the engine could not take, left out of the verdicts
    /// (said by whoever makes the report, until corrected).
    pub left_out: Vec<String>,
}

/// The measures of one sector, in the resolution's order.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorBlock {
    /// `Kinh tế`; empty where the resolution names no sector.
    pub name: String,
    pub rows: Vec<MeasureRow>,
}

/// One line of the appendix.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureRow {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub comparator: Comparator,
    /// Thực hiện năm trước.
    pub last_year: Option<Decimal>,
    /// Kế hoạch năm as one number, where the target is one number.
    pub plan_value: Option<Decimal>,
    /// Kế hoạch năm as a range, where the target is one (`6,0 - 6,5`, a
    /// fall of `0,5 - 1` point).
    pub plan_range: Option<(Decimal, Decimal)>,
    /// Kế hoạch năm as written: `6,0 - 6,5`, `≥ 1.850`.
    pub plan_text: String,
    /// Ước thực hiện in the period.
    pub actual: Option<Decimal>,
    /// So sánh: % of the plan.
    pub pct_plan: Option<Decimal>,
    /// So sánh: % of the same period last year.
    pub pct_last_year: Option<Decimal>,
    /// The same period last year, where known.
    pub same_period_last_year: Option<Decimal>,
    pub status: Status,
}

/// One key task and its latest progress.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    pub key: String,
    pub group: String,
    pub text: String,
    pub lead: String,
    pub status: TaskStatus,
    /// Whether the lead agency has reported on it at all.
    pub reported: bool,
    pub percent: Option<Decimal>,
    /// One per line, as a list: `Khởi công: hạn 31/03/2025, đạt 15/03/2025`.
    pub milestones: String,
    pub overdue: usize,
    pub narrative: String,
}

impl SectorBlock {
    /// The sector's heading: `Kinh tế`, or a name for targets without one.
    pub fn title(&self) -> &str {
        if self.name.is_empty() { "Các chỉ tiêu khác" } else { &self.name }
    }
}

impl MeasureRow {
    /// Đánh giá as the tables print it: blank where there is no figure.
    pub fn verdict(&self) -> &'static str {
        if self.status == Status::NoData { "" } else { self.status.label_vi() }
    }
}

impl TaskRow {
    /// Tình trạng as the tables print it, with the milestones past due.
    pub fn status_text(&self) -> String {
        if !self.reported {
            return NOT_REPORTED.to_string();
        }
        match self.overdue {
            0 => self.status.label_vi().to_string(),
            n => format!("{} ({n} mốc quá hạn)", self.status.label_vi()),
        }
    }
}

/// Figures beyond the evaluation that a row needs, by measure key.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub last_year: Option<Decimal>,
    pub same_period_last_year: Option<Decimal>,
}

/// The counts a summary starts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub exceeded: usize,
    pub achieved: usize,
    pub not_achieved: usize,
    pub at_risk: usize,
    pub on_track: usize,
    pub no_data: usize,
}

impl Counts {
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a MeasureRow>) -> Self {
        let mut c = Self::default();
        for r in rows {
            match r.status {
                Status::Exceeded => c.exceeded += 1,
                Status::Achieved => c.achieved += 1,
                Status::NotAchieved => c.not_achieved += 1,
                Status::AtRisk => c.at_risk += 1,
                Status::OnTrack => c.on_track += 1,
                Status::NoData => c.no_data += 1,
            }
        }
        c
    }

    /// Each verdict with its count and a colour (RGB hex) for charts, in
    /// the order reports list them; verdicts no measure has are left out.
    pub fn bars(&self) -> Vec<(Status, usize, &'static str)> {
        [
            (Status::Exceeded, self.exceeded, "1B7A3D"),
            (Status::Achieved, self.achieved, "4CAF50"),
            (Status::OnTrack, self.on_track, "7CB342"),
            (Status::AtRisk, self.at_risk, "F0A30A"),
            (Status::NotAchieved, self.not_achieved, "C62828"),
            (Status::NoData, self.no_data, "9E9E9E"),
        ]
        .into_iter()
        .filter(|(_, n, _)| *n > 0)
        .collect()
    }

    pub fn total(&self) -> usize {
        self.exceeded + self.achieved + self.not_achieved + self.at_risk + self.on_track + self.no_data
    }
}

impl Report {
    /// Puts the report together from a judged plan. `results` are the
    /// evaluations for `period` in plan order, `extra` the figures of last
    /// year, `progress` each task's latest report, `leads` the lead agency's
    /// name by measure key (and `task:<key>`).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        plan: &Plan,
        period: Period,
        against_original: bool,
        results: &[(&Measure, Evaluation)],
        extra: &HashMap<String, Extra>,
        progress: &HashMap<String, TaskProgress>,
        leads: &HashMap<String, String>,
        issuer: Issuer,
        today: NaiveDate,
    ) -> Self {
        let evaluations: HashMap<&str, &Evaluation> = results.iter().map(|(m, e)| (m.key.as_str(), e)).collect();
        let mut sectors: Vec<SectorBlock> = Vec::new();
        for target in &plan.targets {
            // One block per sector, in the order sectors first appear: a
            // resolution may come back to a sector after another.
            let name = target.sector.map(|s| s.label_vi().to_string()).unwrap_or_default();
            let at = match sectors.iter().position(|s| s.name == name) {
                Some(i) => i,
                None => {
                    sectors.push(SectorBlock { name, rows: Vec::new() });
                    sectors.len() - 1
                }
            };
            let block = &mut sectors[at];
            for m in &target.measures {
                let Some(e) = evaluations.get(m.key.as_str()) else { continue };
                let x = extra.get(&m.key).cloned().unwrap_or_default();
                block.rows.push(MeasureRow {
                    key: m.key.clone(),
                    name: m.name.clone(),
                    unit: m.unit.clone(),
                    comparator: m.comparator,
                    last_year: x.last_year,
                    plan_value: single_target(m),
                    plan_range: m.low.zip(m.high),
                    plan_text: target_without_unit(m),
                    actual: e.actual,
                    pct_plan: e.achievement_pct,
                    // A rate against last year's rate is not a comparison
                    // reports make; they compare rates in points (the prose).
                    pct_last_year: if is_rate(&m.unit) { None } else { e.vs_last_year_pct },
                    same_period_last_year: x.same_period_last_year,
                    status: e.status,
                });
            }
        }
        sectors.retain(|s| !s.rows.is_empty());
        let tasks = plan.tasks.iter().map(|t| task_row(t, progress.get(&t.key), leads, today)).collect();
        Self {
            issuer,
            region: plan.region.clone(),
            year: plan.year,
            period,
            resolution: resolution_phrase(plan),
            against_original,
            sectors,
            tasks,
            left_out: Vec::new(),
        }
    }

    pub fn rows(&self) -> impl Iterator<Item = &MeasureRow> {
        self.sectors.iter().flat_map(|s| s.rows.iter())
    }

    /// `6 tháng đầu năm 2025`, `năm 2025`, `tháng 9 năm 2025`: the period as
    /// it sits inside a sentence or a title.
    pub fn period_phrase(&self) -> String {
        period_phrase(self.period)
    }

    /// The title under `BÁO CÁO`.
    pub fn title(&self) -> String {
        format!("Tình hình thực hiện kế hoạch phát triển kinh tế - xã hội {}", self.period_phrase())
    }

    /// The heading of the appendix table.
    pub fn appendix_title(&self) -> String {
        format!("TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU {}", self.period_phrase().to_uppercase())
    }

    /// The line under the appendix's title, tying it to the report.
    pub fn appendix_note(&self) -> String {
        format!(
            "(Kèm theo Báo cáo số      /{} ngày … của {})",
            self.issuer.symbol,
            crate::prose::sentence_case(&self.issuer.agency)
        )
    }

    /// The heading of the task table.
    pub fn tasks_title(&self) -> String {
        format!("TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ TRỌNG TÂM {}", self.period_phrase().to_uppercase())
    }

    /// The column heading for the period's figure.
    pub fn actual_heading(&self) -> String {
        format!("Ước thực hiện {}", self.period_phrase())
    }
}

/// A rate or a ratio (per cent, per 10,000 people): never added up, never
/// compared with last year as a percentage of it.
pub fn is_rate(unit: &str) -> bool {
    unit == "%" || unit.contains('/')
}

fn resolution_phrase(plan: &Plan) -> String {
    let d = &plan.document;
    let mut s = "Nghị quyết".to_string();
    if let Some(n) = &d.number {
        s.push_str(&format!(" số {n}"));
    }
    if let Some(date) = d.adopted {
        s.push_str(&format!(" ngày {}", date.format("%d/%m/%Y")));
    }
    match &d.body {
        Some(body) => s.push_str(&format!(" của {body}")),
        None => s.push_str(&format!(" của Hội đồng nhân dân tỉnh {}", plan.region)),
    }
    s
}

/// The period inside a sentence.
pub fn period_phrase(period: Period) -> String {
    match period {
        Period::Month(y, m) => format!("tháng {m} năm {y}"),
        Period::Quarter(y, q) => format!("quý {} năm {y}", ["I", "II", "III", "IV"][(q.clamp(1, 4) - 1) as usize]),
        Period::FirstHalf(y) => format!("6 tháng đầu năm {y}"),
        Period::NineMonths(y) => format!("9 tháng năm {y}"),
        Period::Year(y) => format!("năm {y}"),
    }
}

/// STT of a sector: I, II, III, …
pub fn roman(n: usize) -> String {
    const NUMERALS: [(usize, &str); 9] =
        [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
    let mut n = n;
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

fn single_target(m: &Measure) -> Option<Decimal> {
    match m.comparator {
        Comparator::Between => None,
        _ => m.value,
    }
}

/// The target without its unit (the unit has its own column).
fn target_without_unit(m: &Measure) -> String {
    use kehoach_domain::number::format_vi;
    let v = |d: Option<Decimal>| d.map(format_vi).unwrap_or_default();
    match m.comparator {
        Comparator::Between => format!("{} - {}", v(m.low), v(m.high)),
        Comparator::AtLeast => format!("≥ {}", v(m.value)),
        Comparator::Above => format!("> {}", v(m.value)),
        Comparator::AtMost => format!("≤ {}", v(m.value)),
        Comparator::Below => format!("< {}", v(m.value)),
        Comparator::About => format!("khoảng {}", v(m.value)),
        Comparator::IncreaseBy => format!("tăng {}", v(m.value)),
        _ if m.value.is_some() => v(m.value),
        _ => m.target_text(),
    }
}

/// What a task nobody has reported on is said to be: not "chưa triển khai",
/// which would be a report.
pub const NOT_REPORTED: &str = "Chưa có báo cáo";

/// Milestones as a report lists them, one a line: the name, then its due
/// date and the day it was reached, in words.
fn milestone_lines(milestones: &[Milestone]) -> String {
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    milestones
        .iter()
        .map(|m| {
            let when: Vec<String> =
                [m.due.map(|d| format!("hạn {}", day(d))), m.reached.map(|d| format!("đạt {}", day(d)))]
                    .into_iter()
                    .flatten()
                    .collect();
            if when.is_empty() { format!("- {}", m.name) } else { format!("- {}: {}", m.name, when.join(", ")) }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn task_row(t: &Task, p: Option<&TaskProgress>, leads: &HashMap<String, String>, today: NaiveDate) -> TaskRow {
    // One clause often holds several tasks (11 projects, then a bridge by
    // name): the item is its verb and object; the clause only stands in
    // where the reader could not name an object (it cut it with "…").
    let text = if t.object.is_empty() || t.object.ends_with('…') {
        t.text.clone()
    } else {
        let (action, object) = (crate::prose::capitalise(&t.action), crate::prose::lower_first(&t.object));
        format!("{action} {object}").trim().to_string()
    };
    TaskRow {
        key: t.key.clone(),
        group: t.group.clone(),
        text,
        lead: leads.get(&kehoach_domain::org::Assignment::task_key(&t.key)).cloned().unwrap_or_default(),
        status: p.map_or(TaskStatus::NotStarted, |p| p.status),
        reported: p.is_some(),
        percent: p.and_then(|p| p.percent),
        milestones: p.map(|p| milestone_lines(&p.milestones)).unwrap_or_default(),
        overdue: p.map_or(0, |p| p.overdue(today).len()),
        narrative: p.map(|p| p.narrative.clone()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(
            (1..=12).map(roman).collect::<Vec<_>>(),
            ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
        );
    }

    #[test]
    fn a_task_is_named_by_its_verb_and_object_not_its_whole_clause() {
        let task = |action: &str, object: &str| Task {
            key: "b.3".into(),
            group: "b".into(),
            action: action.into(),
            object: object.into(),
            place: None,
            quantity: None,
            unit: None,
            deadline: None,
            text: "Đẩy nhanh tiến độ thực hiện 11 công trình, dự án, cầu Ba Lai 8".into(),
            source: Default::default(),
            review: Vec::new(),
        };
        let today = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        let name = |t: Task| task_row(&t, None, &HashMap::new(), today).text;
        assert_eq!(name(task("khánh thành", "Cầu Rạch Miễu 2")), "Khánh thành cầu Rạch Miễu 2");
        assert_eq!(name(task("xây dựng", "KCN Phú Thuận")), "Xây dựng KCN Phú Thuận");
        assert_eq!(
            name(task("tổ chức", "tổng kết các văn bản…")),
            "Đẩy nhanh tiến độ thực hiện 11 công trình, dự án, cầu Ba Lai 8"
        );
    }

    #[test]
    fn periods_read_inside_a_sentence() {
        assert_eq!(period_phrase(Period::FirstHalf(2025)), "6 tháng đầu năm 2025");
        assert_eq!(period_phrase(Period::Quarter(2025, 3)), "quý III năm 2025");
        assert_eq!(period_phrase(Period::Month(2025, 9)), "tháng 9 năm 2025");
        assert_eq!(period_phrase(Period::Year(2025)), "năm 2025");
    }
}
