//! Why a data-entry workbook (biểu nhập) was refused, worded for the
//! interface: the report crate gives each refusal as a kind
//! (`kehoach_report::template::CellProblem`) and words it in English for the
//! command line (`Display`); the pages word it here, in the viewer's
//! language. Text from another library (the zip or spreadsheet reader's
//! error) is quoted as it comes; the domain's reasons are Vietnamese already.

use kehoach_domain::number::{NumberError, format_vi};
use kehoach_domain::period::Period;
use kehoach_report::template::{CellError, CellProblem, ENTRY_SHEET, META_SHEET, MetaField};
use rust_decimal::Decimal;

use crate::i18n::Lang;

/// One error of a refused workbook, the whole sentence (sheet, cell and
/// why), in `lang`.
pub(crate) fn cell_error(e: &CellError, lang: Lang) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Vi => {
            let why = problem_vi(&e.problem);
            match (e.sheet.is_empty(), e.cell.is_empty()) {
                (true, _) => why,
                (false, true) => format!("trang tính “{}”: {why}", e.sheet),
                (false, false) => format!("trang tính “{}”, ô {}: {why}", e.sheet, e.cell),
            }
        }
    }
}

/// A period in the middle of a sentence: `quý I/2025`, `tháng 9/2025`.
fn period_vi(p: Period) -> String {
    let label = p.label_vi();
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => label,
    }
}

/// Why, in Vietnamese.
fn problem_vi(p: &CellProblem) -> String {
    const NOT_FILLED: &str = "đây không phải là biểu nhập đã điền";
    match p {
        CellProblem::NotAWorkbook { error } => {
            format!("đây không phải là tệp Excel (.xlsx) hoặc tệp đã bị hỏng: {error}")
        }
        CellProblem::Damaged => "tệp Excel đã bị hỏng: không đọc được các trang tính".into(),
        CellProblem::TooLarge { unpacked_mb, max_mb } => format!(
            "tệp Excel khi giải nén có dung lượng {unpacked_mb} MB, lớn hơn mức tối đa của một biểu nhập \
             ({max_mb} MB): {NOT_FILLED}"
        ),
        CellProblem::BeyondTemplate { part, cell, last_column, last_row } => format!(
            "phần trang tính {part} có ô {cell}, vượt ra ngoài phạm vi của biểu nhập (cột A–{last_column}, tối đa \
             {} dòng): {NOT_FILLED}",
            format_vi(Decimal::from(*last_row))
        ),
        CellProblem::NotATemplate { sheets } => format!(
            "tệp Excel này không phải là biểu nhập do kehoach lập: không có đủ hai trang tính “{ENTRY_SHEET}” và \
             “{META_SHEET}” (các trang tính hiện có: {})",
            sheets.join(", ")
        ),
        CellProblem::EarlierVersion => "biểu nhập này được lập bằng phiên bản cũ của kehoach, không ghi lại số liệu \
                                        đã hiển thị: hãy tải biểu nhập mới và nhập số liệu vào biểu đó"
            .into(),
        CellProblem::WrongMarker { marker } => {
            format!("tệp Excel này không phải là biểu nhập do kehoach lập (dấu nhận biết “{marker}”)")
        }
        CellProblem::SheetUnreadable { sheet, error } => format!("không đọc được trang tính “{sheet}”: {error}"),
        CellProblem::MetaEdited { field, cell } => {
            let field = match field {
                MetaField::Plan => "số hiệu kế hoạch",
                MetaField::Period => "kỳ báo cáo",
                MetaField::Rows => "số dòng chỉ tiêu",
            };
            format!("trang tính “{META_SHEET}” đã bị sửa: không đọc được {field} ở ô {cell}")
        }
        CellProblem::OtherYear { period, year } => {
            format!("biểu nhập dành cho {}, không phải là kỳ của kế hoạch năm {year}", period_vi(*period))
        }
        CellProblem::FormulasUnreadable { error } => {
            format!("không đọc được các công thức của trang tính “{ENTRY_SHEET}”: {error}")
        }
        CellProblem::MergesUnreadable { error } => {
            format!("không đọc được các ô gộp của trang tính “{ENTRY_SHEET}”: {error}")
        }
        CellProblem::OtherPlan { found, expected } => {
            format!("ghi kế hoạch số {found}, nhưng đây là kế hoạch số {expected}")
        }
        CellProblem::OtherPeriod { found, expected } => {
            format!("ghi kỳ {}, không phải kỳ {}", period_vi(*found), period_vi(*expected))
        }
        CellProblem::OtherAgency { found, agency, agency_name } => {
            format!("ghi cơ quan “{found}”, nhưng đây là số liệu của {agency} ({agency_name})")
        }
        CellProblem::OtherUnit { found, agency, period, unit, unit_name } => format!(
            "ghi đơn vị báo cáo “{found}”, nhưng số liệu {} của {agency} phải báo cáo cho đơn vị {unit} \
             ({unit_name})",
            period_vi(*period)
        ),
        CellProblem::OtherMeasure { key, name, agency, expected_key, expected_name } => format!(
            "ghi chỉ tiêu {key} “{name}” ở vị trí của chỉ tiêu {expected_key} “{expected_name}” mà {agency} báo cáo"
        ),
        CellProblem::NotReported { key, name, agency } => {
            format!("ghi chỉ tiêu {key} “{name}”, không thuộc các chỉ tiêu {agency} báo cáo")
        }
        CellProblem::RowsMissing { listed, agency, expected, missing } => format!(
            "chỉ liệt kê {listed} chỉ tiêu, trong khi {agency} báo cáo {expected} chỉ tiêu (thiếu {})",
            missing.join(", ")
        ),
        CellProblem::VersionEdited => "phiên bản của số liệu hiển thị trong biểu đã bị sửa".into(),
        CellProblem::Merged { from, to } => {
            format!("các ô {from}:{to} đã bị gộp; các dòng của biểu phải giữ nguyên như khi tải về")
        }
        CellProblem::Formula { formula } => format!("ô có công thức (={formula}); hãy nhập chính con số"),
        CellProblem::RowDeleted { key, name } => format!("dòng của chỉ tiêu {key} “{name}” đã bị xóa"),
        CellProblem::RowMoved { key, name, found } => format!(
            "ở đây phải là dòng của chỉ tiêu {key} “{name}”, nhưng lại là “{found}”: các dòng đã bị di chuyển, thêm \
             hoặc xóa"
        ),
        CellProblem::LabelEdited { key, name, unit } => {
            format!("tên hoặc đơn vị tính của chỉ tiêu {key} đã bị sửa (phải là “{name}”, “{unit}”)")
        }
        CellProblem::NotInPlan { key } => format!("chỉ tiêu {key} không còn trong kế hoạch"),
        CellProblem::NoFigure => "đã ghi loại số liệu hoặc ghi chú nhưng chưa nhập số liệu".into(),
        CellProblem::NotANumber { text, error } => match error {
            NumberError::Empty => "ô chỉ có khoảng trắng, chưa có số".into(),
            NumberError::Invalid(_) => format!("“{text}” không phải là số (viết 1.850,5 hoặc 1850.5)"),
            NumberError::OutOfRange(_) => format!("“{text}” quá lớn hoặc có quá nhiều chữ số thập phân"),
        },
        CellProblem::NotNumeric { text } => format!("“{text}” không phải là số"),
        CellProblem::TooLargeNumber => "số quá lớn".into(),
        CellProblem::Refused(why) => crate::words::figure(why, Lang::Vi),
        CellProblem::NotAStatus { text, .. } => {
            format!("“{text}” không phải là loại số liệu: chọn Ước tính, Sơ bộ hoặc Chính thức")
        }
        CellProblem::RowsAdded => "đã thêm dòng dưới biểu; chỉ nhập số liệu vào các ô nền vàng".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind's place in [`every_kind`]: the match has no catch-all, so a
    /// kind added to the report crate stops this test from compiling until
    /// it is worded and given a sample.
    fn index(p: &CellProblem) -> usize {
        match p {
            CellProblem::NotAWorkbook { .. } => 0,
            CellProblem::Damaged => 1,
            CellProblem::TooLarge { .. } => 2,
            CellProblem::BeyondTemplate { .. } => 3,
            CellProblem::NotATemplate { .. } => 4,
            CellProblem::EarlierVersion => 5,
            CellProblem::WrongMarker { .. } => 6,
            CellProblem::SheetUnreadable { .. } => 7,
            CellProblem::MetaEdited { .. } => 8,
            CellProblem::OtherYear { .. } => 9,
            CellProblem::FormulasUnreadable { .. } => 10,
            CellProblem::MergesUnreadable { .. } => 11,
            CellProblem::OtherPlan { .. } => 12,
            CellProblem::OtherPeriod { .. } => 13,
            CellProblem::OtherAgency { .. } => 14,
            CellProblem::OtherUnit { .. } => 15,
            CellProblem::OtherMeasure { .. } => 16,
            CellProblem::NotReported { .. } => 17,
            CellProblem::RowsMissing { .. } => 18,
            CellProblem::VersionEdited => 19,
            CellProblem::Merged { .. } => 20,
            CellProblem::Formula { .. } => 21,
            CellProblem::RowDeleted { .. } => 22,
            CellProblem::RowMoved { .. } => 23,
            CellProblem::LabelEdited { .. } => 24,
            CellProblem::NotInPlan { .. } => 25,
            CellProblem::NoFigure => 26,
            CellProblem::NotANumber { .. } => 27,
            CellProblem::NotNumeric { .. } => 28,
            CellProblem::TooLargeNumber => 29,
            CellProblem::Refused { .. } => 30,
            CellProblem::NotAStatus { .. } => 31,
            CellProblem::RowsAdded => 32,
        }
    }
    const KINDS: usize = 33;

    /// A sample of every kind, with values as a workbook gives them (and
    /// no English of their own, so that any English left is the wording's).
    fn every_kind() -> Vec<CellProblem> {
        let s = |t: &str| t.to_string();
        let q1 = Period::Quarter(2025, 1);
        vec![
            CellProblem::NotAWorkbook { error: s("lỗi 42") },
            CellProblem::Damaged,
            CellProblem::TooLarge { unpacked_mb: 70, max_mb: 64 },
            CellProblem::BeyondTemplate {
                part: s("xl/worksheets/sheet1.xml"),
                cell: s("XFD1048576"),
                last_column: s("Z"),
                last_row: 20_000,
            },
            CellProblem::NotATemplate { sheets: vec![s("Trang1"), s("Trang2")] },
            CellProblem::EarlierVersion,
            CellProblem::WrongMarker { marker: s("xyz/3") },
            CellProblem::SheetUnreadable { sheet: s(META_SHEET), error: s("lỗi 42") },
            CellProblem::MetaEdited { field: MetaField::Plan, cell: s("B2") },
            CellProblem::MetaEdited { field: MetaField::Period, cell: s("B3") },
            CellProblem::MetaEdited { field: MetaField::Rows, cell: s("B6") },
            CellProblem::OtherYear { period: Period::Year(2024), year: 2025 },
            CellProblem::FormulasUnreadable { error: s("lỗi 42") },
            CellProblem::MergesUnreadable { error: s("lỗi 42") },
            CellProblem::OtherPlan { found: 2, expected: 1 },
            CellProblem::OtherPeriod { found: Period::Quarter(2025, 2), expected: q1 },
            CellProblem::OtherAgency { found: s("SYT"), agency: s("SCT"), agency_name: s("Sở Công Thương") },
            CellProblem::OtherUnit {
                found: s("86"),
                agency: s("SCT"),
                period: q1,
                unit: s("83"),
                unit_name: s("Bến Tre"),
            },
            CellProblem::OtherMeasure {
                key: s("g.1"),
                name: s("Số giường bệnh"),
                agency: s("SCT"),
                expected_key: s("c.1"),
                expected_name: s("Kim ngạch xuất khẩu"),
            },
            CellProblem::NotReported { key: s("g.1"), name: s("Số giường bệnh"), agency: s("SCT") },
            CellProblem::RowsMissing { listed: 2, agency: s("SCT"), expected: 3, missing: vec![s("d.1")] },
            CellProblem::VersionEdited,
            CellProblem::Merged { from: s("G7"), to: s("G8") },
            CellProblem::Formula { formula: s("400+12") },
            CellProblem::RowDeleted { key: s("d.1"), name: s("Tổng mức bán lẻ") },
            CellProblem::RowMoved { key: s("c.1"), name: s("Kim ngạch xuất khẩu"), found: s("d.1") },
            CellProblem::LabelEdited { key: s("c.1"), name: s("Kim ngạch xuất khẩu"), unit: s("triệu USD") },
            CellProblem::NotInPlan { key: s("c.1") },
            CellProblem::NoFigure,
            CellProblem::NotANumber { text: s("nhiều"), error: NumberError::Invalid(s("nhiều")) },
            CellProblem::NotANumber { text: s(" "), error: NumberError::Empty },
            CellProblem::NotANumber { text: s("1e40"), error: NumberError::OutOfRange(s("1e40")) },
            CellProblem::NotNumeric { text: s("#DIV/0!") },
            CellProblem::TooLargeNumber,
            CellProblem::Refused(kehoach_domain::value::FigureProblem::OutOfRange {
                value: Decimal::from(120),
                min: Decimal::ZERO,
                max: Decimal::ONE_HUNDRED,
            }),
            CellProblem::NotAStatus {
                text: s("chắc chắn"),
                reason: "chắc chắn".parse::<kehoach_domain::value::ValueStatus>().unwrap_err(),
            },
            CellProblem::RowsAdded,
        ]
    }

    fn at(problem: CellProblem) -> CellError {
        CellError { sheet: ENTRY_SHEET.into(), cell: "G7".into(), problem }
    }

    #[test]
    fn every_kind_has_a_sample() {
        let mut seen: Vec<usize> = every_kind().iter().map(index).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, (0..KINDS).collect::<Vec<_>>());
    }

    /// Every refusal reads in Vietnamese, with no English word left of the
    /// report crate's wording.
    #[test]
    fn every_kind_is_worded_in_vietnamese() {
        const ENGLISH: &[&str] = &[
            "sheet", "sheets", "cell", "cells", "the", "is", "not", "no", "number", "workbook", "template", "row",
            "rows", "figure", "figures", "edited", "expected", "names", "was", "were", "damaged", "formula",
            "formulas", "merged", "plan", "period", "agency", "unit", "version", "lists", "reports", "missing",
            "found", "file", "added", "deleted", "moved", "label", "holds", "type", "status", "note", "given", "too",
            "large", "of", "and", "or", "it", "this", "by", "made", "marker", "earlier", "beyond", "part", "columns",
            "unpacks", "more", "than", "where", "measure", "longer", "yellow", "below", "write",
        ];
        for problem in every_kind() {
            let said = cell_error(&at(problem.clone()), Lang::Vi);
            assert!(said.starts_with("trang tính “Nhập số liệu”, ô G7: "), "{said}");
            let english: Vec<&str> = said
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| ENGLISH.contains(&w.to_lowercase().as_str()))
                .collect();
            assert!(english.is_empty(), "{problem:?}: “{said}” has English: {english:?}");
            assert_ne!(said, cell_error(&at(problem.clone()), Lang::En), "{problem:?}");
        }
    }

    /// In English, a refusal reads as the command line prints it.
    #[test]
    fn every_kind_reads_in_english_as_the_command_line_says_it() {
        for problem in every_kind() {
            let e = at(problem.clone());
            assert_eq!(cell_error(&e, Lang::En), e.to_string());
            assert_eq!(cell_error(&e, Lang::En), format!("sheet “Nhập số liệu”, cell G7: {problem}"));
        }
        let whole = CellError { sheet: String::new(), cell: String::new(), problem: CellProblem::Damaged };
        assert_eq!(cell_error(&whole, Lang::En), "the workbook is damaged: its sheets cannot be read");
    }

    #[test]
    fn a_refusal_reads_in_vietnamese_as_an_official_would_write_it() {
        let formula = at(CellProblem::Formula { formula: "400+12".into() });
        assert_eq!(
            cell_error(&formula, Lang::Vi),
            "trang tính “Nhập số liệu”, ô G7: ô có công thức (=400+12); hãy nhập chính con số"
        );
        let text =
            at(CellProblem::NotANumber { text: "nhiều".into(), error: NumberError::Invalid("nhiều".into()) });
        assert_eq!(
            cell_error(&text, Lang::Vi),
            "trang tính “Nhập số liệu”, ô G7: “nhiều” không phải là số (viết 1.850,5 hoặc 1850.5)"
        );
        let unit = CellError {
            sheet: META_SHEET.into(),
            cell: "B5".into(),
            problem: CellProblem::OtherUnit {
                found: "86".into(),
                agency: "SCT".into(),
                period: Period::Quarter(2025, 1),
                unit: "83".into(),
                unit_name: "Bến Tre".into(),
            },
        };
        assert_eq!(
            cell_error(&unit, Lang::Vi),
            "trang tính “_kehoach”, ô B5: ghi đơn vị báo cáo “86”, nhưng số liệu quý I/2025 của SCT phải báo cáo \
             cho đơn vị 83 (Bến Tre)"
        );
        let whole = CellError {
            sheet: String::new(),
            cell: String::new(),
            problem: CellProblem::TooLarge { unpacked_mb: 70, max_mb: 64 },
        };
        assert_eq!(
            cell_error(&whole, Lang::Vi),
            "tệp Excel khi giải nén có dung lượng 70 MB, lớn hơn mức tối đa của một biểu nhập (64 MB): đây không \
             phải là biểu nhập đã điền"
        );
        let far = at(CellProblem::BeyondTemplate {
            part: "xl/worksheets/sheet1.xml".into(),
            cell: "ZZ100000".into(),
            last_column: "Z".into(),
            last_row: 20_000,
        });
        assert!(cell_error(&far, Lang::Vi).contains("(cột A–Z, tối đa 20.000 dòng)"), "{}", cell_error(&far, Lang::Vi));
    }
}
