//! The report's body in words: what the DOCX and the PDF both print.
//!
//! Sentences follow the way provincial reports write results: a count of the
//! targets by verdict, then each measure with its figure, the plan, the
//! comparison with the same period last year and the verdict, in the
//! resolution's order; measures without figures are named together rather
//! than one sentence each.

use kehoach_domain::evaluate::Status;
use kehoach_domain::number::{format_vi, format_vi_rounded};
use kehoach_domain::period::Period;
use kehoach_domain::progress::TaskStatus;
use rust_decimal::Decimal;

use crate::model::{Counts, MeasureRow, Report, is_rate};

/// A piece of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `I. KẾT QUẢ …` (level 1) or `1. Kinh tế` (level 2).
    Heading(u8, String),
    Paragraph(String),
    /// A line introduced by a dash, as lists are written in reports.
    Item(String),
    /// The chart of the measures by verdict (drawn by each format).
    Chart,
}

/// The body from the opening sentence to the closing one.
pub fn body(report: &Report) -> Vec<Block> {
    let mut out = Vec::new();
    let phrase = report.period_phrase();
    let resolution = &report.resolution;
    let against =
        if report.against_original { "" } else { " (chỉ tiêu theo kế hoạch đã điều chỉnh, nếu có)" };
    out.push(Block::Paragraph(format!(
        "Thực hiện {resolution} về kế hoạch phát triển kinh tế - xã hội năm {}, {} báo cáo tình hình thực hiện \
         kế hoạch {phrase}{against} như sau:",
        report.year,
        sentence_case(&report.issuer.agency),
    )));

    out.push(Block::Heading(1, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU".into()));
    let all = Counts::of(report.rows());
    out.push(Block::Paragraph(format!(
        "Trong {} chỉ tiêu chủ yếu Nghị quyết đề ra, {phrase} {}.",
        all.total(),
        tally(&all, report.period)
    )));
    if all.total() > all.no_data {
        out.push(Block::Chart);
    }
    for (i, sector) in report.sectors.iter().enumerate() {
        out.push(Block::Heading(2, format!("{}. {}", i + 1, sector.title())));
        let counts = Counts::of(&sector.rows);
        if counts.total() > 1 {
            out.push(Block::Paragraph(format!(
                "Trong {} chỉ tiêu của lĩnh vực, {}.",
                counts.total(),
                tally(&counts, report.period)
            )));
        }
        let mut missing = Vec::new();
        for row in &sector.rows {
            match measure_sentence(row, report.period) {
                Some(s) => out.push(Block::Item(s)),
                None => missing.push(lower_first(&row.name)),
            }
        }
        if !missing.is_empty() {
            out.push(Block::Item(format!("Chưa có số liệu {phrase}: {}.", missing.join("; "))));
        }
    }

    out.push(Block::Heading(1, "II. TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ TRỌNG TÂM".into()));
    out.extend(task_blocks(report));

    out.push(Block::Heading(1, "III. ĐÁNH GIÁ CHUNG".into()));
    out.push(Block::Paragraph(assessment(&all, report)));
    out.push(Block::Paragraph(format!(
        "Chi tiết các chỉ tiêu tại Phụ lục kèm theo. Trên đây là báo cáo tình hình thực hiện kế hoạch phát \
         triển kinh tế - xã hội {phrase} của {}./.",
        sentence_case(&report.issuer.agency)
    )));
    out
}

/// `có 3 chỉ tiêu vượt kế hoạch, 5 chỉ tiêu đạt, 2 chỉ tiêu không đạt và 4
/// chỉ tiêu chưa có số liệu`.
fn tally(c: &Counts, period: Period) -> String {
    let year = matches!(period, Period::Year(_));
    let not_achieved = if year { "không đạt" } else { "chưa đạt" };
    let parts: Vec<String> = [
        (c.exceeded, "vượt kế hoạch"),
        (c.achieved, "đạt kế hoạch"),
        (c.on_track, "ước đạt kế hoạch năm"),
        (c.not_achieved, not_achieved),
        (c.at_risk, "có nguy cơ không đạt kế hoạch năm"),
        (c.no_data, "chưa có số liệu"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} chỉ tiêu {what}"))
    .collect();
    format!("có {}", join_vi(&parts))
}

/// `a, b và c`.
fn join_vi(parts: &[String]) -> String {
    match parts {
        [] => "không có chỉ tiêu nào".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} và {last}", rest.join(", ")),
    }
}

/// One measure in a sentence, or `None` when it has no figure.
pub fn measure_sentence(row: &MeasureRow, period: Period) -> Option<String> {
    let actual = row.actual?;
    let mut s = format!("{} ước đạt {}", row.name, with_unit(actual, &row.unit));
    let rate = is_rate(&row.unit);
    let plan = plan_phrase(row);
    match (row.pct_plan, rate) {
        (Some(p), false) if matches!(period, Period::Year(_)) || !plan.is_empty() => {
            s.push_str(&format!(", bằng {} kế hoạch{}", percent(p), annual(period)));
        }
        _ if !plan.is_empty() => s.push_str(&format!(" (kế hoạch {plan})")),
        _ => {}
    }
    if !rate {
        if let Some(p) = row.pct_last_year {
            let change = p - Decimal::ONE_HUNDRED;
            if change > Decimal::ZERO {
                s.push_str(&format!(", tăng {} so với cùng kỳ", percent(change)));
            } else if change < Decimal::ZERO {
                s.push_str(&format!(", giảm {} so với cùng kỳ", percent(-change)));
            } else {
                s.push_str(", bằng cùng kỳ");
            }
        }
    } else if let Some(before) = row.same_period_last_year {
        let diff = actual - before;
        if diff != Decimal::ZERO {
            let dir = if diff > Decimal::ZERO { "cao hơn" } else { "thấp hơn" };
            s.push_str(&format!(", {dir} cùng kỳ {} điểm phần trăm", format_vi_rounded(diff.abs(), 2)));
        }
    }
    s.push_str(&format!("; {}.", verdict(row.status, period)));
    Some(s)
}

fn annual(period: Period) -> &'static str {
    if matches!(period, Period::Year(_)) { "" } else { " năm" }
}

fn verdict(status: Status, period: Period) -> &'static str {
    let year = matches!(period, Period::Year(_));
    match status {
        Status::Exceeded => "vượt kế hoạch",
        Status::Achieved => "đạt kế hoạch",
        Status::OnTrack => "dự báo đạt kế hoạch năm",
        Status::AtRisk => "có nguy cơ không đạt kế hoạch năm",
        Status::NotAchieved if year => "không đạt kế hoạch",
        Status::NotAchieved => "chưa đạt kế hoạch",
        Status::NoData => "chưa có số liệu",
    }
}

fn plan_phrase(row: &MeasureRow) -> String {
    match (row.plan_text.trim(), row.unit.as_str()) {
        ("", _) => String::new(),
        (plan, "%") => format!("{plan}%"),
        (plan, "") => plan.to_string(),
        (plan, unit) => format!("{plan} {unit}"),
    }
}

/// `5,84%`, `1.900 triệu USD`.
pub fn with_unit(value: Decimal, unit: &str) -> String {
    let n = format_vi(value.normalize());
    match unit {
        "" => n,
        "%" => format!("{n}%"),
        u => format!("{n} {u}"),
    }
}

/// `102,7%`.
pub fn percent(p: Decimal) -> String {
    format!("{}%", format_vi_rounded(p, 1))
}

/// A table's figure as written (`1.850,5`), blank where there is none.
pub fn figure_cell(v: Option<Decimal>) -> String {
    v.map(|v| format_vi(v.normalize())).unwrap_or_default()
}

/// A table's percentage to one decimal (`102,7`; the heading says %), blank
/// where there is none.
pub fn percent_cell(v: Option<Decimal>) -> String {
    v.map(|v| format_vi_rounded(v, 1)).unwrap_or_default()
}

fn task_blocks(report: &Report) -> Vec<Block> {
    let mut out = Vec::new();
    let total = report.tasks.len();
    if total == 0 {
        out.push(Block::Paragraph("Nghị quyết không đề ra nhiệm vụ trọng tâm có thể theo dõi riêng.".into()));
        return out;
    }
    let count = |s: TaskStatus| report.tasks.iter().filter(|t| t.reported && t.status == s).count();
    let unreported = report.tasks.iter().filter(|t| !t.reported).count();
    if unreported == total {
        out.push(Block::Paragraph(format!(
            "Các cơ quan chủ trì chưa báo cáo tiến độ của {total} nhiệm vụ, công trình trọng tâm được theo dõi; \
             đề nghị các cơ quan cập nhật tiến độ trong kỳ báo cáo tới."
        )));
        return out;
    }
    let parts: Vec<String> = [
        (count(TaskStatus::Done), "đã hoàn thành"),
        (count(TaskStatus::InProgress), "đang triển khai"),
        (count(TaskStatus::Delayed), "chậm tiến độ"),
        (count(TaskStatus::NotStarted), "chưa triển khai"),
        (count(TaskStatus::Cancelled), "dừng thực hiện"),
        (unreported, "chưa có báo cáo"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} nhiệm vụ {what}"))
    .collect();
    out.push(Block::Paragraph(format!(
        "Trong {total} nhiệm vụ, công trình trọng tâm được theo dõi, có {}.",
        join_vi(&parts)
    )));
    for t in &report.tasks {
        if t.status == TaskStatus::Done {
            out.push(Block::Item(format!("{}: đã hoàn thành.", capitalise(&t.text))));
        } else if t.status == TaskStatus::Delayed || t.overdue > 0 {
            let mut s = format!("{}: chậm tiến độ", capitalise(&t.text));
            if let Some(p) = t.percent {
                s.push_str(&format!(", đạt {} khối lượng", percent(p)));
            }
            if t.overdue > 0 {
                s.push_str(&format!(", {} mốc tiến độ đã quá hạn", t.overdue));
            }
            if !t.lead.is_empty() {
                s.push_str(&format!(" ({} chủ trì)", t.lead));
            }
            s.push('.');
            out.push(Block::Item(s));
        }
    }
    out
}

fn assessment(all: &Counts, report: &Report) -> String {
    let met = all.exceeded + all.achieved + all.on_track;
    let judged = all.total() - all.no_data;
    let mut s = if judged == 0 {
        format!("Chưa đủ số liệu để đánh giá kết quả thực hiện các chỉ tiêu {}.", report.period_phrase())
    } else if met == 0 {
        format!("Trong {judged} chỉ tiêu đã có số liệu, chưa có chỉ tiêu nào đạt kế hoạch.")
    } else {
        format!(
            "Trong {judged} chỉ tiêu đã có số liệu, có {met} chỉ tiêu đạt và vượt kế hoạch (chiếm {}).",
            percent(Decimal::from(met as u64) * Decimal::ONE_HUNDRED / Decimal::from(judged as u64))
        )
    };
    let behind = all.not_achieved + all.at_risk;
    if behind > 0 {
        s.push_str(&format!(
            " Có {behind} chỉ tiêu chưa đạt hoặc có nguy cơ không đạt; các cơ quan chủ trì cần tập trung chỉ đạo, \
             có giải pháp khắc phục trong thời gian tới."
        ));
    }
    if all.no_data > 0 {
        s.push_str(&format!(
            " Đề nghị các cơ quan, đơn vị cập nhật số liệu của {} chỉ tiêu chưa có số liệu.",
            all.no_data
        ));
    }
    s
}

/// `SỞ TÀI CHÍNH` → `Sở Tài chính`: an upper-case agency name inside a
/// sentence, first word capitalised and the rest lower case, as written in
/// Vietnamese (proper names after the first word keep their capital only
/// when they are place names, which the caller's data rarely holds in upper
/// case; `Sở Tài chính`, `Cục Thống kê`).
pub fn sentence_case(upper: &str) -> String {
    let lower = upper.to_lowercase();
    let mut words = lower.split(' ');
    let mut out = Vec::new();
    if let Some(first) = words.next() {
        out.push(capitalise(first));
    }
    if let Some(second) = words.next() {
        out.push(capitalise(second));
    }
    out.extend(words.map(str::to_string));
    out.join(" ")
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), s.chars().nth(1)) {
        // Keep acronyms (GRDP, FDI) as written.
        (Some(f), Some(second)) if !second.is_uppercase() => f.to_lowercase().collect::<String>() + c.as_str(),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kehoach_domain::plan::Comparator;

    fn row(name: &str, unit: &str, actual: &str, plan: &str, pct: Option<&str>, last: Option<&str>) -> MeasureRow {
        MeasureRow {
            key: "x.1".into(),
            name: name.into(),
            unit: unit.into(),
            comparator: Comparator::AtLeast,
            last_year: None,
            plan_value: None,
            plan_range: None,
            plan_text: plan.into(),
            actual: Some(actual.parse().unwrap()),
            pct_plan: pct.map(|p| p.parse().unwrap()),
            pct_last_year: last.map(|p| p.parse().unwrap()),
            same_period_last_year: None,
            status: Status::Exceeded,
        }
    }

    #[test]
    fn a_flow_reads_with_its_share_of_the_plan_and_its_growth() {
        let r = row("Kim ngạch xuất khẩu", "triệu USD", "1900", "≥ 1.850", Some("102.70"), Some("108.46"));
        assert_eq!(
            measure_sentence(&r, Period::Year(2025)).unwrap(),
            "Kim ngạch xuất khẩu ước đạt 1.900 triệu USD, bằng 102,7% kế hoạch, tăng 8,5% so với cùng kỳ; \
             vượt kế hoạch."
        );
    }

    #[test]
    fn a_rate_reads_against_its_target_not_as_a_share() {
        let mut r = row("Tốc độ tăng trưởng kinh tế (GRDP)", "%", "5.84", "6,0 - 6,5", Some("92"), None);
        r.status = Status::NotAchieved;
        r.same_period_last_year = Some("6.5".parse().unwrap());
        assert_eq!(
            measure_sentence(&r, Period::Year(2025)).unwrap(),
            "Tốc độ tăng trưởng kinh tế (GRDP) ước đạt 5,84% (kế hoạch 6,0 - 6,5%), thấp hơn cùng kỳ 0,66 điểm \
             phần trăm; không đạt kế hoạch."
        );
    }

    #[test]
    fn counts_join_with_commas_and_a_final_and() {
        let c = Counts { exceeded: 3, achieved: 5, not_achieved: 2, no_data: 4, ..Counts::default() };
        assert_eq!(
            tally(&c, Period::FirstHalf(2025)),
            "có 3 chỉ tiêu vượt kế hoạch, 5 chỉ tiêu đạt kế hoạch, 2 chỉ tiêu chưa đạt và 4 chỉ tiêu chưa có số liệu"
        );
    }

    #[test]
    fn agency_names_in_a_sentence() {
        assert_eq!(sentence_case("SỞ TÀI CHÍNH"), "Sở Tài chính");
        assert_eq!(sentence_case("CỤC THỐNG KÊ"), "Cục Thống kê");
    }
}
