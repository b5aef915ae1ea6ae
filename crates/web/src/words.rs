//! What the libraries report as kinds, worded for the interface: the
//! checks' findings on a plan (`domain::check::Problem`) and the reader's
//! review flags. The libraries word them in English for the command line
//! (`Display`); the pages word them here, in the viewer's language.

use kehoach_analytics::EngineError;
use kehoach_domain::Measure;
use kehoach_domain::check::Problem;
use kehoach_domain::evaluate::{Basis, Forecast, ForecastMethod, month_list};
use kehoach_domain::formula::FormulaError;
use kehoach_domain::number::format_vi;
use kehoach_domain::number::format_vi_rounded;
use kehoach_domain::progress::ProgressError;
use kehoach_domain::value::{FigureProblem, MAX_DECIMALS, Reference, Unusual};
use kehoach_store::{Missing, Refusal, StoreError};
use rust_decimal::Decimal;

use crate::i18n::Lang;

/// A finding of the checks, in `lang`.
pub(crate) fn problem(p: &Problem, lang: Lang) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    let n = |d: &rust_decimal::Decimal| format_vi(*d);
    match p {
        Problem::KeyTwice => "mã chỉ tiêu bị dùng hai lần".into(),
        Problem::LowAboveHigh { low, high } => format!("cận dưới {} lớn hơn cận trên {}", n(low), n(high)),
        Problem::RangeNeedsBoth => "khoảng giá trị cần có cả cận dưới và cận trên".into(),
        Problem::NeedsValue { comparator } => format!("cách so sánh “{comparator}” cần có giá trị"),
        Problem::NoUnit => "số liệu chưa có đơn vị tính".into(),
        Problem::PercentOutside { value } => format!("{}% nằm ngoài khoảng 0–100%", n(value)),
        Problem::DeadlineOutsideYear { deadline, year } => {
            format!("thời hạn {} không thuộc năm kế hoạch {year}", deadline.format("%d/%m/%Y"))
        }
        Problem::SharesNot100 { total, shares } => {
            format!("các tỷ trọng cộng lại {}%, không phải 100% ({})", n(total), shares.join(" + "))
        }
        Problem::PartExceedsTotal { part, value, total, total_value, unit } => {
            format!("phần {part} ({} {unit}) lớn hơn tổng {total} ({} {unit})", n(value), n(total_value))
        }
        Problem::PartsExceedTotal { sum, total_value, unit } => {
            format!("các phần cộng lại {} {unit}, lớn hơn tổng {} {unit}", n(sum), n(total_value))
        }
        Problem::TaskRepeatsMeasure { task, measure, quantity, unit } => {
            format!("nhiệm vụ {task} lặp lại chỉ tiêu {measure} ({} {unit}): chỉ theo dõi một lần", n(quantity))
        }
        Problem::Formula(e) => format!("công thức: {}", formula(e)),
        Problem::Review { field, reason } => review(field, reason, lang),
    }
}

/// Why the store refused a change the person asked for, in `lang`: the
/// kinds a person can meet; the rest (the database's own trouble) are
/// answered by `AppError` without detail.
pub(crate) fn refusal(e: &StoreError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        StoreError::Transition { subject, from, to } => format!(
            "{subject}: không chuyển được từ “{}” sang “{}”",
            from.map_or("chưa nhập", |s| s.label_vi()),
            to.label_vi()
        ),
        StoreError::NotFound(what) => missing(what),
        StoreError::Locked { measure, period, agency, state } => format!(
            "{measure} {period}: số liệu của {agency} kỳ này đang ở trạng thái “{}”, chưa nhận số liệu mới cho đến khi \
             lãnh đạo trả lại hoặc mở khóa",
            state.label_vi()
        ),
        StoreError::Changed { subject, changes } => {
            format!("{subject}: số liệu đã thay đổi kể từ khi được xem ({})", changes.join("; "))
        }
        StoreError::Conflict { measure, expected, current, .. } => {
            format!("{measure} vừa được người khác thay đổi (đã xem lần {expected}, nay là lần {current})")
        }
        StoreError::Refused(r) => refused(r, lang),
        other => other.to_string(),
    }
}

/// A change the store refused (`Refusal`), in `lang`.
pub(crate) fn refused(r: &Refusal, lang: Lang) -> String {
    if lang == Lang::En {
        return r.to_string();
    }
    match r {
        Refusal::ApprovalWithoutVersions { subject } => {
            format!("{subject}: khi duyệt phải nêu phiên bản của các số liệu được duyệt")
        }
        Refusal::AgencyOfFigure { subject } => {
            format!("{subject}: số liệu do cơ quan nhập phải ghi cơ quan đó, và chỉ số liệu ấy mới ghi")
        }
        Refusal::Figure { subject, problem } => format!("{subject}: {}", figure(problem, lang)),
        Refusal::Progress { task, problem } => match problem {
            ProgressError::OutOfRange(p) => format!("{task}: tỷ lệ {} nằm ngoài khoảng 0–100", format_vi(*p)),
            ProgressError::DoneBelowFull(p) => {
                format!("{task}: nhiệm vụ đã hoàn thành thì đạt 100%, không phải {}%", format_vi(*p))
            }
        },
        Refusal::UsernameTaken(name) => format!("tên đăng nhập {name} đã có người dùng"),
        Refusal::DraftConfirmed { draft, plan: Some(plan) } => {
            format!("bản nháp số {draft} đã được xác nhận thành kế hoạch số {plan}")
        }
        Refusal::DraftConfirmed { draft, plan: None } => format!("bản nháp số {draft} đã được xác nhận"),
        Refusal::PlanOverlaps { other, kind, region, from, to } => format!(
            "kế hoạch số {other} đã là {} của {region} cho {} – {}; hai kế hoạch cùng loại không được trùng thời gian",
            kind.label_vi().to_lowercase(),
            from.format("%d/%m/%Y"),
            to.format("%d/%m/%Y")
        ),
    }
}

/// A figure with its unit as the pages write it, to two decimals: `6,2%`,
/// `1.850,5 triệu USD`.
pub(crate) fn amount(d: Decimal, unit: &str) -> String {
    match unit {
        "" | "%" | "‰" => format!("{}{unit}", format_vi_rounded(d, 2)),
        u => format!("{} {u}", format_vi_rounded(d, 2)),
    }
}

/// What a verdict rests on (`evaluate::Basis`), in `lang`: the domain's
/// own Vietnamese, the English here.
pub(crate) fn basis(b: &Basis, lang: Lang) -> String {
    if lang == Lang::Vi {
        return b.to_vi();
    }
    let show = |d: &Decimal, unit: &str| amount(*d, unit);
    let word = |decrease: &bool| if *decrease { "fall" } else { "rise" };
    match b {
        Basis::None => String::new(),
        Basis::NoTarget => "the plan gives no target figure".into(),
        Basis::NoRange => "the plan gives no target range".into(),
        Basis::About { target, margin, unit } => format!("about {} ± {}", show(target, unit), show(margin, unit)),
        Basis::Deviation { deviation, target, margin, unit } => {
            format!("{} off {} (± {} allowed)", show(deviation, unit), show(target, unit), show(margin, unit))
        }
        Basis::NoBase { year, decrease } => format!(
            "the actual of {year} is missing (the base of the {}): the lead agency enters the figure of the year {year}",
            word(decrease)
        ),
        Basis::ZeroBase { year } => format!("the actual of {year} is 0: no rate of change can be worked out"),
        Basis::Change { decrease, change, points, base, unit } => format!(
            "a {} of {}{} on last year's {}",
            word(decrease),
            format_vi_rounded(*change, 2),
            if *points { " points" } else { "%" },
            show(base, unit)
        ),
        Basis::NoSamePeriod { period } => format!(
            "the same period last year ({}) has no figure to compare with: the lead agency enters it",
            lang.period(*period)
        ),
        Basis::SamePeriod { actual, before, unit } => {
            format!("{} against {} in the same period last year", show(actual, unit), show(before, unit))
        }
        Basis::NotOccurred => "did not happen".into(),
        Basis::Occurred(n) => format!("happened {}", format_vi_rounded(*n, 2)),
        Basis::Expected(x) => format!("{} needed by now", format_vi_rounded(*x, 2)),
        Basis::NoForecast { missing } => format!(
            "the year cannot be forecast: months {} have no figure and last year's months are not all in",
            month_list(missing)
        ),
    }
}

/// A measure's target in `lang`: the domain's Vietnamese
/// (`Measure::target_text`, as the reports write it), or the same in
/// English. Units and named subjects are the plan's own words.
pub(crate) fn target(m: &Measure, lang: Lang) -> String {
    use kehoach_domain::Comparator::*;
    if lang == Lang::Vi {
        return m.target_text();
    }
    let unit = match m.unit.as_str() {
        "" => String::new(),
        "%" => "%".into(),
        u => format!(" {u}"),
    };
    let v = |d: Option<Decimal>| d.map(format_vi).unwrap_or_else(|| "?".into());
    let value_or_range = || match (m.value, m.low, m.high) {
        (None, Some(lo), Some(hi)) => format!("{} - {}", format_vi(lo), format_vi(hi)),
        (value, ..) => v(value),
    };
    let text = match m.comparator {
        AtLeast | Above | AtMost | Below | Between | Equal => return m.target_text(),
        About => format!("about {}{unit}", v(m.value)),
        IncreaseBy => format!("up {}{unit}", value_or_range()),
        DecreaseBy => format!("down {}{unit}", value_or_range()),
        Decrease => "lower than last year".into(),
        Increase => "higher than last year".into(),
        Zero => "none".into(),
        CompleteBy => match (m.value, m.deadline) {
            (Some(value), Some(date)) => format!("{}{unit} by {}", format_vi(value), date.format("%d/%m/%Y")),
            (None, Some(date)) => format!("done by {}", date.format("%d/%m/%Y")),
            (Some(value), None) => format!("{}{unit} within the year", format_vi(value)),
            (None, None) => "done within the year".into(),
        },
    };
    if m.subjects.is_empty() { text } else { format!("{text}: {}", m.subjects.join(", ")) }
}

/// How a year-end forecast was made, in `lang`.
pub(crate) fn forecast(f: &Forecast, lang: Lang) -> String {
    if lang == Lang::Vi {
        return f.explanation();
    }
    let (n, ytd) = (f.months, format_vi_rounded(f.year_to_date, 2));
    match (f.method, f.share_pct) {
        (ForecastMethod::LastYearProfile, Some(share)) if f.used.iter().copied().eq(1..=n) => format!(
            "year forecast = {n} months to date {ytd} ÷ {}% (the share of the first {n} months in last year's total)",
            format_vi_rounded(share, 1)
        ),
        (ForecastMethod::LastYearProfile, Some(share)) => format!(
            "year forecast = the months with figures ({}) {ytd} ÷ {}% (their share in last year's total)",
            month_list(&f.used),
            format_vi_rounded(share, 1)
        ),
        _ => format!("year forecast = {n} months to date {ytd} × 12 / {n} (no monthly figures of last year)"),
    }
}

/// Why a figure cannot be taken (`value::FigureProblem`), in `lang`: the
/// English as the command line says it.
pub(crate) fn figure(p: &FigureProblem, lang: Lang) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    let n = |d: &Decimal| format_vi(d.normalize());
    match p {
        FigureProblem::NegativeZero => "“-0” không phải là số liệu; nhập 0".into(),
        FigureProblem::TooManyDecimals(v) => {
            format!("{} có quá {MAX_DECIMALS} chữ số thập phân; làm tròn trước khi nhập", format_vi(*v))
        }
        FigureProblem::TooLarge(v) => format!("{} quá lớn (từ 1.000 tỷ đơn vị trở lên); kiểm tra đơn vị tính", n(v)),
        FigureProblem::NotWhole(v) => format!("{} không phải số nguyên (chỉ tiêu đếm số lượng)", n(v)),
        FigureProblem::OutOfRange { value, min, max } => {
            format!("{} nằm ngoài khoảng {} – {}", n(value), n(min), n(max))
        }
        FigureProblem::Below { value, min } => format!("{} nhỏ hơn {}", n(value), n(min)),
    }
}

/// A figure far from the unit's earlier ones (`value::Unusual`), in `lang`.
pub(crate) fn unusual(u: &Unusual, lang: Lang) -> String {
    let said: Vec<String> = u
        .references
        .iter()
        .map(|(what, r)| {
            let what = match what {
                Reference::LastYear(_) => lang.t("same-period-last-year").to_string(),
                Reference::MonthBefore(p) => lang.period(*p),
            };
            format!("{what}: {}", format_vi(r.normalize()))
        })
        .collect();
    tr!(lang, "unusual-figure-far", value = format_vi(u.value.normalize()), references = said.join("; "))
}

/// Why the engine left a stored figure out (`EngineError`), in `lang`.
pub(crate) fn left_out(e: &EngineError, lang: Lang) -> String {
    match e {
        EngineError::Unstorable(p) => figure(p, lang),
        EngineError::TooLarge(_) => lang.t("left-out.too-many-digits").to_string(),
        EngineError::UnknownMeasure(key) => tr!(lang, "left-out.unknown-measure", key = key),
        EngineError::UnknownUnit(code) => tr!(lang, "left-out.unknown-unit", code = code),
    }
}

/// What is not there, in Vietnamese.
fn missing(what: &Missing) -> String {
    match what {
        Missing::Plan(id) => format!("không có kế hoạch số {id}"),
        Missing::Measure { measure, .. } => format!("kế hoạch không có chỉ tiêu {measure}"),
        Missing::Task { task, .. } => format!("kế hoạch không có nhiệm vụ {task}"),
        Missing::Agency(code) => format!("không có cơ quan “{code}”"),
        Missing::User(name) => format!("không có tài khoản “{name}”"),
        Missing::Draft(id) => format!("không có bản nháp số {id}"),
    }
}

/// Why a formula cannot be used, in Vietnamese.
fn formula(e: &FormulaError) -> String {
    match e {
        FormulaError::Syntax { at, .. } => format!("sai cú pháp ở ký tự {at}"),
        FormulaError::Missing(key) => format!("[{key}] chưa có giá trị"),
        FormulaError::DivisionByZero => "chia cho 0".into(),
        FormulaError::Overflow => "kết quả quá lớn".into(),
        FormulaError::Cycle(keys) => format!("các công thức tham chiếu vòng tròn: {keys}"),
    }
}

/// The fields the reader flags, in Vietnamese.
fn field_vi(field: &str) -> &str {
    match field {
        "value" => "giá trị",
        "unit" => "đơn vị tính",
        "comparator" => "cách so sánh",
        "year" => "năm kế hoạch",
        "region" => "tỉnh",
        "targets" => "danh mục chỉ tiêu",
        "measures" => "chỉ tiêu",
        "action" => "hành động",
        "object" => "đối tượng",
        other => other,
    }
}

/// The reasons the reader gives (`kehoach_import`), in Vietnamese; those
/// that quote the text keep the quote. A reason this version does not know
/// is shown as written.
fn reason_vi(reason: &str) -> String {
    const FIXED: &[(&str, &str)] = &[
        ("several figures in one phrase; only the first was read", "nhiều số liệu trong một cụm; chỉ đọc số đầu tiên"),
        ("no unit after the figure", "không có đơn vị tính sau số liệu"),
        (
            "read as a ceiling because less is better for this measure",
            "hiểu là mức trần vì chỉ tiêu này càng thấp càng tốt",
        ),
        (
            "a direction without a figure: check that it is meant as a target",
            "chỉ có hướng tăng, giảm mà không có số: xem lại đây có phải là chỉ tiêu không",
        ),
        (
            "the plan year is not stated; guessed from the deadlines",
            "văn bản không nêu năm kế hoạch; đã đoán theo các thời hạn",
        ),
        ("the plan year could not be read", "không đọc được năm kế hoạch"),
        ("the province is not named in the text", "văn bản không nêu tên tỉnh"),
        ("the row gives no unit", "dòng này không ghi đơn vị tính"),
        (
            "no figure or measurable wording found in this target",
            "mục tiêu này không có số liệu hay cách diễn đạt đo được",
        ),
        ("no milestone verb found for this item", "không tìm thấy động từ chỉ mốc tiến độ của mục này"),
        (
            "no named project in this group; its first sentence stands for it",
            "nhóm này không nêu tên công trình, dự án; lấy câu đầu tiên thay cho nhóm",
        ),
        (
            "no “chỉ tiêu chủ yếu” heading found; the targets were read from the list with figures",
            "không thấy đề mục “chỉ tiêu chủ yếu”; các chỉ tiêu được đọc từ danh sách có số liệu",
        ),
    ];
    if let Some((_, vi)) = FIXED.iter().find(|(en, _)| *en == reason) {
        return (*vi).to_string();
    }
    if let Some(rest) =
        reason.strip_prefix("unit “").and_then(|r| r.strip_suffix("” read from the words after the figure"))
    {
        return format!("đơn vị tính “{rest}” đọc từ các chữ sau số liệu");
    }
    if let Some(rest) = reason.strip_prefix("no figure read in the plan cell “").and_then(|r| r.strip_suffix('”')) {
        return format!("không đọc được số liệu trong ô kế hoạch “{rest}”");
    }
    reason.to_string()
}

/// A review flag (the field in doubt and why), in `lang`.
pub(crate) fn review(field: &str, reason: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{field}: {reason}"),
        Lang::Vi => format!("{}: {}", field_vi(field), reason_vi(reason)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of basis is worded in both languages, the English
    /// without a Vietnamese word.
    #[test]
    fn every_basis_reads_in_both_languages() {
        use kehoach_domain::period::Period;
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let unit = || "%".to_string();
        let all = [
            Basis::NoTarget,
            Basis::NoRange,
            Basis::About { target: d("6.5"), margin: d("0.5"), unit: unit() },
            Basis::Deviation { deviation: d("-1.2"), target: d("30"), margin: d("1"), unit: unit() },
            Basis::NoBase { year: 2024, decrease: true },
            Basis::ZeroBase { year: 2024 },
            Basis::Change { decrease: true, change: d("0.7"), points: true, base: d("3.2"), unit: unit() },
            Basis::NoSamePeriod { period: Period::Quarter(2024, 3) },
            Basis::SamePeriod { actual: d("12"), before: d("15"), unit: "vụ".into() },
            Basis::NotOccurred,
            Basis::Occurred(d("2")),
            Basis::Expected(d("50")),
            Basis::NoForecast { missing: vec![4, 5, 7] },
        ];
        let vietnamese =
            |s: &str| s.chars().any(|c| "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ".contains(c));
        for b in &all {
            let (vi, en) = (basis(b, Lang::Vi), basis(b, Lang::En));
            assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{b:?}");
            // The unit is the plan's own word ("vụ"); the rest is English.
            assert!(!vietnamese(&en.replace("vụ", "")), "{b:?}: {en}");
        }
        assert_eq!(basis(&all[6], Lang::En), "a fall of 0,7 points on last year's 3,2%");
        assert!(basis(&Basis::None, Lang::En).is_empty());
    }

    /// Every reason the reader writes has its Vietnamese: the literal
    /// reasons of `ReviewFlag::new` in the importer's source.
    #[test]
    fn every_reason_of_the_reader_is_worded_in_vietnamese() {
        let dir = format!("{}/../import/src", env!("CARGO_MANIFEST_DIR"));
        let mut found = 0;
        for file in std::fs::read_dir(dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("ReviewFlag::new(") {
                let call = &text[at..text[at..].find(')').map_or(text.len(), |e| at + e)];
                let quoted: Vec<&str> = call.split('"').skip(1).step_by(2).collect();
                let (Some(field), Some(reason)) = (quoted.first(), quoted.get(1)) else { continue };
                found += 1;
                assert_ne!(field_vi(field), *field, "{}: the field {field} has no Vietnamese", path.display());
                // A reason written with format! quotes the text: try it with a sample.
                let sample = reason.replace("{noun}", "tổ").replace("{cell}", "x");
                assert_ne!(reason_vi(&sample), sample, "{}: “{reason}” has no Vietnamese", path.display());
            }
        }
        assert!(found >= 12, "only {found} reasons found");
    }

    #[test]
    fn findings_read_in_vietnamese_and_english() {
        let p = Problem::PercentOutside { value: "150.5".parse().unwrap() };
        assert_eq!(problem(&p, Lang::Vi), "150,5% nằm ngoài khoảng 0–100%");
        assert_eq!(problem(&p, Lang::En), "150,5% is outside 0–100 %");
        let r = Problem::Review { field: "unit".into(), reason: "no unit after the figure".into() };
        assert_eq!(problem(&r, Lang::Vi), "đơn vị tính: không có đơn vị tính sau số liệu");
    }

    /// A refused figure, an unusual one and one the engine left out read in
    /// both languages: the Vietnamese with the pages' numbers, the English
    /// as the command line says it.
    #[test]
    fn figures_refused_unusual_or_left_out_read_in_both_languages() {
        use kehoach_domain::period::Period;
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let all = [
            FigureProblem::NegativeZero,
            FigureProblem::TooManyDecimals(d("0.0000001")),
            FigureProblem::TooLarge(d("10000000000000")),
            FigureProblem::NotWhole(d("2.5")),
            FigureProblem::OutOfRange { value: d("120"), min: d("0"), max: d("100") },
            FigureProblem::Below { value: d("-5"), min: d("0") },
        ];
        for p in &all {
            let (vi, en) = (figure(p, Lang::Vi), figure(p, Lang::En));
            assert_eq!(en, p.to_string());
            assert_ne!(vi, en, "{p:?}");
            let left = left_out(&EngineError::Unstorable(p.clone()), Lang::Vi);
            assert_eq!(left, vi);
        }
        assert_eq!(
            figure(&all[2], Lang::Vi),
            "10.000.000.000.000 quá lớn (từ 1.000 tỷ đơn vị trở lên); kiểm tra đơn vị tính"
        );
        let u = Unusual {
            value: d("16300"),
            references: vec![
                (Reference::LastYear(Period::Month(2024, 9)), d("1630")),
                (Reference::MonthBefore(Period::Month(2025, 8)), d("1700.5")),
            ],
        };
        assert_eq!(
            unusual(&u, Lang::Vi),
            "16.300 khác xa số đã báo cáo (cùng kỳ năm trước: 1.630; Tháng 8/2025: 1.700,5)"
        );
        assert_eq!(
            unusual(&u, Lang::En),
            "16.300 is far from the figures reported before (the same period last year: 1.630; August 2025: 1.700,5)"
        );
        assert_eq!(
            left_out(&EngineError::UnknownUnit("999".into()), Lang::Vi),
            "đơn vị 999 không có trong danh mục đơn vị"
        );
        assert_eq!(left_out(&EngineError::UnknownMeasure("z.9".into()), Lang::En), "the plan has no measure z.9");
    }

    /// Every refusal of the store reads in both languages.
    #[test]
    fn refusals_read_in_both_languages() {
        let all = [
            Refusal::ApprovalWithoutVersions { subject: "SCT 2025-09".into() },
            Refusal::AgencyOfFigure { subject: "c.1 83 2025".into() },
            Refusal::Figure { subject: "c.1 83 2025".into(), problem: FigureProblem::NegativeZero },
            Refusal::Progress { task: "t.1".into(), problem: ProgressError::OutOfRange(Decimal::from(120)) },
            Refusal::Progress { task: "t.1".into(), problem: ProgressError::DoneBelowFull(Decimal::from(80)) },
            Refusal::UsernameTaken("an".into()),
            Refusal::DraftConfirmed { draft: 3, plan: Some(2) },
            Refusal::DraftConfirmed { draft: 3, plan: None },
            Refusal::PlanOverlaps {
                other: 1,
                kind: kehoach_domain::PlanKind::Year,
                region: "86".into(),
                from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                to: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            },
        ];
        for r in &all {
            let e = StoreError::Refused(r.clone());
            let (vi, en) = (refusal(&e, Lang::Vi), refusal(&e, Lang::En));
            assert_eq!(en, r.to_string());
            assert_ne!(vi, en, "{r:?}");
        }
        assert_eq!(refused(&all[6], Lang::Vi), "bản nháp số 3 đã được xác nhận thành kế hoạch số 2");
    }
}
