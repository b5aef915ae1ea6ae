//! What the libraries report as kinds, worded for the interface: the
//! checks' findings on a plan (`domain::check::Problem`) and the reader's
//! review flags. The libraries word them in English for the command line
//! (`Display`); the pages word them here, in the viewer's language.

use kehoach_domain::check::Problem;
use kehoach_domain::formula::FormulaError;
use kehoach_domain::number::format_vi;
use kehoach_store::{Missing, StoreError};

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
        other => other.to_string(),
    }
}

/// What sort of figure a measure is, in Vietnamese (the English is in
/// `i18n`).
pub(crate) fn kind_vi(kind: kehoach_domain::MeasureKind) -> &'static str {
    use kehoach_domain::MeasureKind::*;
    match kind {
        Growth => "tốc độ tăng",
        Share => "tỷ trọng",
        Level => "mức đạt",
        Ratio => "tỷ số",
        Count => "số lượng",
        Change => "mức thay đổi",
        Direction => "xu hướng",
        Zero => "không để xảy ra",
        Deadline => "thời hạn hoàn thành",
        Checklist => "danh sách đơn vị đạt",
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
    fn every_kind_of_measure_has_its_words() {
        use kehoach_domain::MeasureKind::*;
        for kind in [Growth, Share, Level, Ratio, Count, Change, Direction, Zero, Deadline, Checklist] {
            let vi = kind_vi(kind);
            assert_ne!(Lang::En.t(vi), vi, "{kind:?}: “{vi}” has no English");
        }
    }

    #[test]
    fn findings_read_in_vietnamese_and_english() {
        let p = Problem::PercentOutside { value: "150.5".parse().unwrap() };
        assert_eq!(problem(&p, Lang::Vi), "150,5% nằm ngoài khoảng 0–100%");
        assert_eq!(problem(&p, Lang::En), "150,5% is outside 0–100 %");
        let r = Problem::Review { field: "unit".into(), reason: "no unit after the figure".into() };
        assert_eq!(problem(&r, Lang::Vi), "đơn vị tính: không có đơn vị tính sau số liệu");
    }
}
