//! Excel data-entry templates (biểu nhập số liệu): a workbook with an
//! agency's measures for one period, filled in offline and read back.
//!
//! The workbook carries a hidden sheet that says what it was made for (plan,
//! period, agency, unit), which measure each row holds and which version of
//! its figure the template showed, so that reading it back can tell a
//! filled-in template from a workbook that is not ours, a row whose label was
//! edited, moved or deleted from a good one, and a figure changed by someone
//! else since the template was made. The hidden sheet is trusted for nothing
//! else: what a workbook may hold (the measures an agency reports, the unit
//! of the period) is decided by whoever reads it ([`read`] takes the
//! [`Spec`] the server builds), and a workbook whose rows or unit differ is
//! refused naming the cells. Reading is all or nothing: every cell that is
//! wrong is reported by sheet, cell and reason, and no figure is returned
//! unless every cell is right.

use calamine::{Data, Reader, Xlsx};
use kehoach_domain::Plan;
use kehoach_domain::number::{NumberError, format_vi, parse_decimal};
use kehoach_domain::period::Period;
use kehoach_domain::value::{Range, ValueStatus};
use kehoach_legacy::{convert_legacy_unicode, detect_legacy_unicode};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::fmt;
use std::io::{Cursor, Read as _};
use unicode_normalization::UnicodeNormalization;

/// The sheet people fill in.
pub const ENTRY_SHEET: &str = "Nhập số liệu";
/// The hidden sheet that says what the workbook is for.
pub const META_SHEET: &str = "_kehoach";
/// The first line of the hidden sheet: which program and layout made it.
const MARKER: &str = "kehoach-template/2";
/// The first data row (0-based) of the entry sheet.
const FIRST_ROW: u32 = 5;
/// Columns of the entry sheet.
const COLUMNS: [(&str, f64); 9] = [
    ("STT", 5.0),
    ("Mã", 7.0),
    ("Chỉ tiêu", 44.0),
    ("Đơn vị tính", 12.0),
    ("Kế hoạch năm", 14.0),
    ("Số liệu đã có", 16.0),
    ("Số liệu kỳ này", 15.0),
    ("Loại số liệu", 13.0),
    ("Ghi chú, nguồn số liệu", 30.0),
];
const KEY: u16 = 1;
const NAME: u16 = 2;
const UNIT: u16 = 3;
const VALUE: u16 = 6;
const STATUS: u16 = 7;
const NOTE: u16 = 8;

/// What a template is made for.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub plan_id: i64,
    pub region: String,
    pub year: i32,
    pub period: Period,
    pub agency: String,
    pub agency_name: String,
    /// The unit the figures are for (its code).
    pub unit: String,
    pub unit_name: String,
    pub rows: Vec<SpecRow>,
}

/// One measure of the template.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecRow {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub target: String,
    pub range: Range,
    /// The latest figure stored for the period, shown for reference, and
    /// its version.
    pub latest: Option<(Decimal, ValueStatus, u32)>,
    /// The version a figure typed into the template replaces (0: none):
    /// the latest of its chain.
    pub seen: u32,
}

impl Spec {
    /// The measures `agency` leads, in plan order.
    pub fn for_agency(
        plan: &Plan,
        plan_id: i64,
        period: Period,
        agency: (&str, &str),
        unit: (&str, &str),
        leads: &std::collections::HashMap<String, String>,
        latest: impl Fn(&str) -> Option<(Decimal, ValueStatus, u32)>,
    ) -> Self {
        let rows = plan
            .measures()
            .filter(|m| leads.get(&m.key).map(String::as_str) == Some(agency.0))
            .map(|m| SpecRow {
                key: m.key.clone(),
                name: m.name.clone(),
                unit: m.unit.clone(),
                target: m.target_text(),
                range: Range::of(m.kind, &m.unit),
                latest: latest(&m.key),
                seen: latest(&m.key).map_or(0, |l| l.2),
            })
            .collect();
        Self {
            plan_id,
            region: plan.region.clone(),
            year: plan.year,
            period,
            agency: agency.0.into(),
            agency_name: agency.1.into(),
            unit: unit.0.into(),
            unit_name: unit.1.into(),
            rows,
        }
    }
}

/// The template as XLSX bytes.
pub fn write(spec: &Spec) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    entry_sheet(book.add_worksheet(), spec)?;
    meta_sheet(book.add_worksheet(), spec)?;
    book.save_to_buffer()
}

fn font() -> Format {
    Format::new().set_font_name("Times New Roman").set_font_size(12)
}

fn entry_sheet(sheet: &mut Worksheet, spec: &Spec) -> Result<(), XlsxError> {
    sheet.set_name(ENTRY_SHEET)?;
    let last = (COLUMNS.len() - 1) as u16;
    let bold = font().set_bold();
    sheet.merge_range(
        0,
        0,
        0,
        last,
        &format!("BIỂU NHẬP SỐ LIỆU CHỈ TIÊU {}", spec.period.label_vi().to_uppercase()),
        &bold.clone().set_align(FormatAlign::Center),
    )?;
    sheet.merge_range(
        1,
        0,
        1,
        last,
        &format!(
            "Kế hoạch phát triển KT-XH năm {} – {}. Cơ quan: {}. Đơn vị báo cáo: {}. Kỳ: {} ({}).",
            spec.year,
            spec.region,
            spec.agency_name,
            spec.unit_name,
            spec.period.label_vi(),
            spec.period
        ),
        &font().set_align(FormatAlign::Center).set_text_wrap(),
    )?;
    sheet.set_row_height(1, 32)?;
    sheet.merge_range(
        2,
        0,
        2,
        last,
        "Chỉ nhập vào các ô nền vàng (số liệu, loại số liệu, ghi chú). Số thập phân viết 1.850,5 hoặc 1850.5. \
         Không sửa, thêm hay xóa dòng; ô để trống thì không nhập.",
        &font().set_italic().set_text_wrap(),
    )?;
    sheet.set_row_height(2, 32)?;
    let header = font()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_background_color(0xE8EEF4);
    for (c, (name, width)) in COLUMNS.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
        sheet.write_string_with_format(4, c as u16, *name, &header)?;
    }
    sheet.set_row_height(4, 32)?;
    sheet.set_freeze_panes(FIRST_ROW, 3)?;

    let locked = font().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
    let input = font().set_border(FormatBorder::Thin).set_unlocked().set_background_color(0xFFF6CC);
    let number = input.clone().set_num_format("[$-42A]#,##0.####");
    for (i, r) in spec.rows.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        sheet.write_number_with_format(row, 0, (i + 1) as u32, &locked)?;
        sheet.write_string_with_format(row, KEY, &r.key, &locked)?;
        sheet.write_string_with_format(row, NAME, &r.name, &locked)?;
        sheet.write_string_with_format(row, UNIT, &r.unit, &locked)?;
        sheet.write_string_with_format(row, 4, &r.target, &locked)?;
        let latest = r.latest.map(|(v, s, _)| format!("{} ({})", format_vi(v), s.label_vi())).unwrap_or_default();
        sheet.write_string_with_format(row, 5, &latest, &locked)?;
        let tallest = crate::xlsx::lines(&r.name, COLUMNS[2].1).max(crate::xlsx::lines(&r.target, COLUMNS[4].1));
        if tallest > 1 {
            sheet.set_row_height(row, crate::xlsx::height(tallest))?;
        }
        sheet.write_blank(row, VALUE, &number)?;
        sheet.write_blank(row, STATUS, &input)?;
        sheet.write_blank(row, NOTE, &input.clone().set_text_wrap())?;
        let mut validation = match (r.range.min, r.range.max) {
            (Some(min), Some(max)) => {
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(to_f64(min), to_f64(max)))
            }
            (Some(min), None) => {
                DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(to_f64(min)))
            }
            _ => DataValidation::new().allow_decimal_number(DataValidationRule::Between(-1e15, 1e15)),
        };
        if r.range.whole {
            validation = DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0));
        }
        let message = match r.range {
            Range { whole: true, .. } => "Nhập một số nguyên không âm.",
            Range { max: Some(_), .. } => "Nhập một tỷ lệ từ 0 đến 100.",
            Range { min: Some(_), .. } => "Nhập một số không âm.",
            _ => "Nhập một số.",
        };
        let validation = validation.set_error_title("Số liệu không hợp lệ")?.set_error_message(message)?;
        sheet.add_data_validation(row, VALUE, row, VALUE, &validation)?;
    }
    if !spec.rows.is_empty() {
        let last_row = FIRST_ROW + spec.rows.len() as u32 - 1;
        let statuses = DataValidation::new()
            .allow_list_strings(&["Ước tính", "Sơ bộ", "Chính thức"])?
            .set_error_title("Loại số liệu")?
            .set_error_message("Chọn Ước tính, Sơ bộ hoặc Chính thức.")?;
        sheet.add_data_validation(FIRST_ROW, STATUS, last_row, STATUS, &statuses)?;
        let note = DataValidation::new().allow_text_length(DataValidationRule::LessThanOrEqualTo(500));
        sheet.add_data_validation(FIRST_ROW, NOTE, last_row, NOTE, &note)?;
    }
    sheet.protect();
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(4, 4)?;
    Ok(())
}

/// Excel keeps numbers as doubles; the validation bounds are the only place
/// a decimal becomes one, and they are whole numbers here.
fn to_f64(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(0.0)
}

fn meta_sheet(sheet: &mut Worksheet, spec: &Spec) -> Result<(), XlsxError> {
    sheet.set_name(META_SHEET)?;
    let lines: [(&str, String); 6] = [
        ("template", MARKER.into()),
        ("plan", spec.plan_id.to_string()),
        ("period", spec.period.to_string()),
        ("agency", spec.agency.clone()),
        ("unit", spec.unit.clone()),
        ("rows", spec.rows.len().to_string()),
    ];
    for (i, (k, v)) in lines.iter().enumerate() {
        sheet.write_string(i as u32, 0, *k)?;
        sheet.write_string(i as u32, 1, v)?;
    }
    for (i, r) in spec.rows.iter().enumerate() {
        let row = lines.len() as u32 + i as u32;
        sheet.write_string(row, 0, &r.key)?;
        sheet.write_string(row, 1, &r.name)?;
        sheet.write_string(row, 2, &r.unit)?;
        sheet.write_string(row, 3, r.seen.to_string())?;
    }
    sheet.set_hidden(true);
    sheet.protect();
    Ok(())
}

/// What is wrong with one cell (or the workbook), and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The sheet; empty for the workbook as a whole.
    pub sheet: String,
    /// `G7`; empty for the sheet or workbook as a whole.
    pub cell: String,
    pub problem: CellProblem,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.sheet.is_empty(), self.cell.is_empty()) {
            (true, _) => write!(f, "{}", self.problem),
            (false, true) => write!(f, "sheet “{}”: {}", self.sheet, self.problem),
            (false, false) => write!(f, "sheet “{}”, cell {}: {}", self.sheet, self.cell, self.problem),
        }
    }
}

/// A line of the hidden sheet that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaField {
    Plan,
    Period,
    Rows,
}

impl fmt::Display for MetaField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Plan => "plan",
            Self::Period => "period",
            Self::Rows => "rows",
        })
    }
}

/// Why a workbook, one of its sheets or one of its cells is refused: a kind,
/// worded in English for the command line (`Display`); an interface words
/// it in its own language. Text from another library (`error`) and the
/// domain's reasons, in Vietnamese (`reason`), are carried as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellProblem {
    /// Not a zip archive, or one the spreadsheet reader cannot open.
    NotAWorkbook { error: String },
    /// The spreadsheet reader failed (panicked) on it.
    Damaged,
    /// It unpacks to more than [`MAX_UNPACKED`] (a zip bomb).
    TooLarge { unpacked_mb: u64, max_mb: u64 },
    /// A part of a sheet reaches a cell beyond what a template holds.
    BeyondTemplate { part: String, cell: String, last_column: String, last_row: u32 },
    /// It lacks the entry sheet or the hidden sheet.
    NotATemplate { sheets: Vec<String> },
    /// The first layout, which did not record the figures it showed.
    EarlierVersion,
    /// The hidden sheet's first line is not ours.
    WrongMarker { marker: String },
    /// A sheet cannot be read.
    SheetUnreadable { sheet: String, error: String },
    /// A line of the hidden sheet cannot be read (in `cell`).
    MetaEdited { field: MetaField, cell: String },
    /// The period is not of the plan's year.
    OtherYear { period: Period, year: i32 },
    /// The formulas of the entry sheet cannot be read.
    FormulasUnreadable { error: String },
    /// The merged cells of the entry sheet cannot be read.
    MergesUnreadable { error: String },
    /// The hidden sheet names another plan than the server's…
    OtherPlan { found: i64, expected: i64 },
    /// …another period…
    OtherPeriod { found: Period, expected: Period },
    /// …another agency…
    OtherAgency { found: String, agency: String, agency_name: String },
    /// …another unit…
    OtherUnit { found: String, agency: String, period: Period, unit: String, unit_name: String },
    /// …another measure in a row than the agency reports in its place…
    OtherMeasure { key: String, name: String, agency: String, expected_key: String, expected_name: String },
    /// …a measure the agency does not report…
    NotReported { key: String, name: String, agency: String },
    /// …fewer rows than the agency reports.
    RowsMissing { listed: usize, agency: String, expected: usize, missing: Vec<String> },
    /// The version of a figure shown was edited.
    VersionEdited,
    /// Cells of the entry sheet's rows were merged.
    Merged { from: String, to: String },
    /// A formula in the entry sheet's rows.
    Formula { formula: String },
    /// A row was deleted…
    RowDeleted { key: String, name: String },
    /// …moved, or another added in its place…
    RowMoved { key: String, name: String, found: String },
    /// …or its label edited.
    LabelEdited { key: String, name: String, unit: String },
    /// The plan no longer has the measure.
    NotInPlan { key: String },
    /// A status or a note without a figure.
    NoFigure,
    /// Text typed in the figure's cell.
    NotANumber { text: String, error: NumberError },
    /// Something else than a number or text (a date, a truth value, an
    /// error of Excel's), as the reader shows it.
    NotNumeric { text: String },
    /// A number past what a decimal holds.
    TooLargeNumber,
    /// A figure the measure or the store cannot take (the domain's reason).
    Refused(kehoach_domain::value::FigureProblem),
    /// The status column's text, and the domain's reason.
    NotAStatus { text: String, reason: String },
    /// Something typed below the template's rows.
    RowsAdded,
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAWorkbook { error } => {
                write!(f, "the file is not an Excel workbook (.xlsx) or it is damaged: {error}")
            }
            Self::Damaged => f.write_str("the workbook is damaged: its sheets cannot be read"),
            Self::TooLarge { unpacked_mb, max_mb } => write!(
                f,
                "the workbook unpacks to {unpacked_mb} MB, more than a template can hold ({max_mb} MB): \
                 it is not a filled template"
            ),
            Self::BeyondTemplate { part, cell, last_column, last_row } => write!(
                f,
                "the sheet part {part} reaches cell {cell}, beyond what a template holds (columns A–{last_column}, \
                 rows up to {last_row}): it is not a filled template"
            ),
            Self::NotATemplate { sheets } => write!(
                f,
                "this workbook was not made by `kehoach template`: it has no “{ENTRY_SHEET}” and “{META_SHEET}” \
                 sheets (sheets found: {})",
                sheets.join(", ")
            ),
            Self::EarlierVersion => f.write_str(
                "this template was made by an earlier version of kehoach, which did not record the figures it \
                 showed: download a new template and type the figures into it",
            ),
            Self::WrongMarker { marker } => {
                write!(f, "this workbook was not made by `kehoach template` (marker “{marker}”)")
            }
            Self::SheetUnreadable { sheet, error } => write!(f, "the sheet “{sheet}”: {error}"),
            Self::MetaEdited { field, cell } => {
                write!(f, "the sheet “{META_SHEET}” was edited: “{field}” in cell {cell} cannot be read")
            }
            Self::OtherYear { period, year } => {
                write!(f, "the template is for {period}, not a period of the {year} plan")
            }
            Self::FormulasUnreadable { error } => write!(f, "formulas: {error}"),
            Self::MergesUnreadable { error } => write!(f, "merged cells: {error}"),
            Self::OtherPlan { found, expected } => write!(f, "names plan {found}, this is plan {expected}"),
            Self::OtherPeriod { found, expected } => write!(f, "names the period {found}, expected {expected}"),
            Self::OtherAgency { found, agency, agency_name } => {
                write!(f, "names the agency “{found}”; the figures are {agency}'s ({agency_name})")
            }
            Self::OtherUnit { found, agency, period, unit, unit_name } => {
                write!(f, "names the unit “{found}”; {agency}'s figures for {period} are for {unit} ({unit_name})")
            }
            Self::OtherMeasure { key, name, agency, expected_key, expected_name } => {
                write!(f, "names {key} “{name}” where {agency} reports {expected_key} “{expected_name}”")
            }
            Self::NotReported { key, name, agency } => {
                write!(f, "names {key} “{name}”, a measure {agency} does not report")
            }
            Self::RowsMissing { listed, agency, expected, missing } => {
                write!(f, "lists {listed} rows; {agency} reports {expected} (missing {})", missing.join(", "))
            }
            Self::VersionEdited => f.write_str("the version of the figure shown was edited"),
            Self::Merged { from, to } => {
                write!(f, "cells {from}:{to} were merged; the template's rows must stay as they were")
            }
            Self::Formula { formula } => write!(f, "holds a formula (={formula}); type the figure itself"),
            Self::RowDeleted { key, name } => write!(f, "the row of {key} “{name}” was deleted"),
            Self::RowMoved { key, name, found } => {
                write!(f, "expected the row of {key} “{name}”, found “{found}”: rows were moved, added or deleted")
            }
            Self::LabelEdited { key, name, unit } => {
                write!(f, "the label of {key} was edited (expected “{name}”, “{unit}”)")
            }
            Self::NotInPlan { key } => write!(f, "{key} is no longer a measure of the plan"),
            Self::NoFigure => f.write_str("a status or note was given but no figure"),
            Self::NotANumber { text, error } => write!(f, "“{text}” is not a number: {error}"),
            Self::NotNumeric { text } => write!(f, "“{text}” is not a number"),
            Self::TooLargeNumber => f.write_str("the number is too large"),
            Self::Refused(why) => write!(f, "{why}"),
            Self::NotAStatus { reason, .. } => f.write_str(reason),
            Self::RowsAdded => f.write_str("rows were added below the template; add figures only in its yellow cells"),
        }
    }
}

/// Every error of a rejected workbook.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} error(s), nothing imported:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct Rejected(pub Vec<CellError>);

/// One figure read from a template.
#[derive(Debug, Clone, PartialEq)]
pub struct Filled {
    /// Where it was typed: `G7`.
    pub cell: String,
    pub measure: String,
    pub value: Decimal,
    pub status: ValueStatus,
    pub note: String,
    /// The version of the figure the template showed (0: none): a figure
    /// stored since is a conflict, as on the entry form.
    pub seen: u32,
}

/// What a workbook's hidden sheet says it was made for. Read first, so that
/// the reader's caller can build the [`Spec`] the workbook must match; only
/// the period is taken from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub plan_id: i64,
    pub period: Period,
    pub agency: String,
    pub unit: String,
}

/// A template read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub plan_id: i64,
    pub period: Period,
    pub agency: String,
    pub unit: String,
    pub figures: Vec<Filled>,
    /// Cells whose text was typed in a legacy encoding and converted:
    /// `I7: TCVN3 (ABC)`.
    pub converted: Vec<String>,
}

impl Read {
    /// The figures, ready for the store, for the template's unit and period:
    /// an agency's submission (`origin` entered, `agency` given) or a
    /// planner's record (`origin` recorded, no agency).
    pub fn new_values(
        &self,
        origin: kehoach_domain::value::Origin,
        agency: Option<&str>,
    ) -> Vec<kehoach_store::NewValue> {
        self.figures
            .iter()
            .map(|f| kehoach_store::NewValue {
                measure: f.measure.clone(),
                org_unit: self.unit.clone(),
                period: self.period,
                value: f.value,
                status: f.status,
                note: f.note.clone(),
                origin,
                agency: agency.map(str::to_string),
                expected_version: Some(f.seen),
            })
            .collect()
    }
}

/// `G7` from a 0-based row and column.
pub fn cell_name(row: u32, col: u16) -> String {
    let mut col = u32::from(col) + 1;
    let mut letters = Vec::new();
    while col > 0 {
        let r = (col - 1) % 26;
        letters.push(char::from(b'A' + r as u8));
        col = (col - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

fn whole(problem: CellProblem) -> Rejected {
    Rejected(vec![CellError { sheet: String::new(), cell: String::new(), problem }])
}

fn unreadable(sheet: &str, e: &dyn fmt::Display) -> Rejected {
    whole(CellProblem::SheetUnreadable { sheet: sheet.to_string(), error: e.to_string() })
}

/// Text of a cell as typed (NFC, trimmed); numbers as their shortest form.
fn text_of(data: Option<&Data>) -> String {
    match data {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.nfc().collect::<String>().trim().to_string(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(other) => other.to_string(),
    }
}

/// The most a workbook may unpack to. A filled template is a few dozen
/// kilobytes; a small upload that unpacks to more is a zip bomb.
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;

/// Reads what a workbook's hidden sheet says it was made for.
pub fn header(bytes: &[u8]) -> Result<Header, Rejected> {
    guarded(bytes, |book| read_header(book).map(|(h, _)| h))
}

/// Reads a filled template for `plan` against `spec`, the template the
/// reader's caller says this workbook must be (the measures the uploader's
/// agency reports, the plan's unit for the period): the hidden sheet's
/// plan, agency, unit and rows must be the spec's, and so must the visible
/// rows. Nothing is returned unless every cell is right.
pub fn read(bytes: &[u8], plan: &Plan, spec: &Spec) -> Result<Read, Rejected> {
    guarded(bytes, |book| read_checked(book, plan, spec))
}

/// Opens the workbook and runs `f` on it, refusing archives too large to be
/// a template first.
///
/// The spreadsheet reader (calamine) is not ours and has panicked on damaged
/// files (a sheet dimension `Y1:I6` underflows in its debug builds, found by
/// our fuzz target), so a panic inside it is caught and reported as a
/// damaged workbook: outside input never takes the process down.
fn guarded<T>(bytes: &[u8], f: impl FnOnce(&mut Xlsx<Cursor<&[u8]>>) -> Result<T, Rejected>) -> Result<T, Rejected> {
    check_archive(bytes)?;
    let run = || {
        let mut book: Xlsx<_> =
            Xlsx::new(Cursor::new(bytes)).map_err(|e| whole(CellProblem::NotAWorkbook { error: e.to_string() }))?;
        f(&mut book)
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(_) => Err(whole(CellProblem::Damaged)),
    }
}

/// Refuses what is not a zip archive, and archives that unpack to more than
/// [`MAX_UNPACKED`], before any of it is unpacked.
fn check_archive(bytes: &[u8]) -> Result<(), Rejected> {
    let damaged = |e: &dyn fmt::Display| whole(CellProblem::NotAWorkbook { error: e.to_string() });
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let file = zip.by_index_raw(i).map_err(|e| damaged(&e))?;
        total = total.saturating_add(file.size());
    }
    if total > MAX_UNPACKED {
        return Err(whole(CellProblem::TooLarge {
            unpacked_mb: total / (1024 * 1024),
            max_mb: MAX_UNPACKED / (1024 * 1024),
        }));
    }
    // The spreadsheet reader allocates a sheet's whole range, from its
    // dimension or its farthest cell: one cell at XFD1048576 would ask for
    // half a terabyte. A template's sheets are small, so anything beyond
    // what one can hold is refused here, before the reader sees it.
    for i in 0..zip.len() {
        let file = zip.by_index(i).map_err(|e| damaged(&e))?;
        let name = file.name().unwrap_or_default().to_string();
        if !(name.starts_with("xl/worksheets/") && name.ends_with(".xml")) {
            continue;
        }
        let mut xml = Vec::new();
        std::io::Read::take(file, MAX_UNPACKED + 1).read_to_end(&mut xml).map_err(|e| damaged(&e))?;
        if let Some(far) = farthest_beyond(&xml, MAX_COLUMN, MAX_ROW) {
            return Err(whole(CellProblem::BeyondTemplate {
                part: name,
                cell: far,
                last_column: cell_name(0, (MAX_COLUMN - 1) as u16).trim_end_matches('1').to_string(),
                last_row: MAX_ROW,
            }));
        }
    }
    Ok(())
}

/// The last column (1 = A) and row a template's sheets may reach.
const MAX_COLUMN: u32 = 26;
const MAX_ROW: u32 = 20_000;

/// The first cell reference in a sheet's XML beyond the last column or row
/// allowed, as written: a cell `r="XFD1048576"`, a row `r="1048576"`, a
/// dimension, merged range or validation `ref`/`sqref="A1:XFD1048576"`.
fn farthest_beyond(xml: &[u8], max_col: u32, max_row: u32) -> Option<String> {
    let mut at = 0;
    while let Some(found) = xml[at..].windows(2).position(|w| w == b"=\"") {
        let eq = at + found;
        let start = eq + 2;
        let Some(len) = xml[start..].iter().position(|b| *b == b'"') else { break };
        let end = start + len;
        at = end + 1;
        let name_start = xml[..eq].iter().rposition(|b| b.is_ascii_whitespace()).map_or(0, |p| p + 1);
        if !matches!(&xml[name_start..eq], b"r" | b"ref" | b"sqref") {
            continue;
        }
        for reference in xml[start..end].split(|b| *b == b':' || b.is_ascii_whitespace()) {
            let letters = reference.iter().take_while(|b| b.is_ascii_alphabetic()).count();
            let (col, row) = reference.split_at(letters);
            // More letters or digits than a real reference has is past every limit.
            let column = if col.len() > 3 {
                u32::MAX
            } else {
                col.iter().fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1))
            };
            let row = if row.len() > 7 { u32::MAX } else { std::str::from_utf8(row).ok()?.parse().unwrap_or(0) };
            if column > max_col || row > max_row {
                return Some(String::from_utf8_lossy(reference).into_owned());
            }
        }
    }
    None
}

/// The hidden sheet: what the workbook says it was made for, and its rows
/// (key, name, unit, version shown).
type MetaRows = Vec<(String, String, String, String)>;

fn read_header(book: &mut Xlsx<Cursor<&[u8]>>) -> Result<(Header, MetaRows), Rejected> {
    let names = book.sheet_names();
    if !names.iter().any(|n| n == META_SHEET) || !names.iter().any(|n| n == ENTRY_SHEET) {
        return Err(whole(CellProblem::NotATemplate { sheets: names }));
    }
    let meta = book.worksheet_range(META_SHEET).map_err(|e| unreadable(META_SHEET, &e))?;
    let at = |r: u32, c: u32| text_of(meta.get_value((r, c)));
    if at(0, 1) == "kehoach-template/1" {
        return Err(whole(CellProblem::EarlierVersion));
    }
    if at(0, 1) != MARKER {
        return Err(whole(CellProblem::WrongMarker { marker: at(0, 1) }));
    }
    let bad_meta = |field: MetaField, row: u32| whole(CellProblem::MetaEdited { field, cell: cell_name(row, 1) });
    let plan_id: i64 = at(1, 1).parse().map_err(|_| bad_meta(MetaField::Plan, 1))?;
    let period: Period = at(2, 1).parse().map_err(|_| bad_meta(MetaField::Period, 2))?;
    let count: u32 = at(5, 1).parse().map_err(|_| bad_meta(MetaField::Rows, 5))?;
    // A count past what any plan holds is an edit, not a template.
    if count > 10_000 {
        return Err(bad_meta(MetaField::Rows, 5));
    }
    let rows = (0..count).map(|i| (at(6 + i, 0), at(6 + i, 1), at(6 + i, 2), at(6 + i, 3))).collect();
    Ok((Header { plan_id, period, agency: at(3, 1), unit: at(4, 1) }, rows))
}

fn read_checked(book: &mut Xlsx<Cursor<&[u8]>>, plan: &Plan, spec: &Spec) -> Result<Read, Rejected> {
    let (header, meta_rows) = read_header(book)?;
    let Header { plan_id, period, agency, unit } = header;
    if period.year() != plan.year {
        return Err(whole(CellProblem::OtherYear { period, year: plan.year }));
    }
    // The hidden sheet must say what the server says the workbook is.
    let mut meta_errors = Vec::new();
    let mut meta_err = |row: u32, col: u16, problem: CellProblem| {
        meta_errors.push(CellError { sheet: META_SHEET.to_string(), cell: cell_name(row, col), problem })
    };
    if plan_id != spec.plan_id {
        meta_err(1, 1, CellProblem::OtherPlan { found: plan_id, expected: spec.plan_id });
    }
    if period != spec.period {
        meta_err(2, 1, CellProblem::OtherPeriod { found: period, expected: spec.period });
    }
    if agency != spec.agency {
        let (found, agency, agency_name) = (agency.clone(), spec.agency.clone(), spec.agency_name.clone());
        meta_err(3, 1, CellProblem::OtherAgency { found, agency, agency_name });
    }
    if unit != spec.unit {
        let problem = CellProblem::OtherUnit {
            found: unit.clone(),
            agency: spec.agency.clone(),
            period,
            unit: spec.unit.clone(),
            unit_name: spec.unit_name.clone(),
        };
        meta_err(4, 1, problem);
    }
    for (i, (key, name, unit_label, _)) in meta_rows.iter().enumerate() {
        let row = 6 + i as u32;
        let (key, name, agency) = (key.clone(), name.clone(), spec.agency.clone());
        match spec.rows.get(i) {
            Some(r) if r.key == key && r.name == name && r.unit == *unit_label => {}
            Some(r) => {
                let (expected_key, expected_name) = (r.key.clone(), r.name.clone());
                meta_err(row, 0, CellProblem::OtherMeasure { key, name, agency, expected_key, expected_name })
            }
            None => meta_err(row, 0, CellProblem::NotReported { key, name, agency }),
        }
    }
    if meta_rows.len() < spec.rows.len() {
        let missing = spec.rows[meta_rows.len()..].iter().map(|r| r.key.clone()).collect();
        let (listed, expected, agency) = (meta_rows.len(), spec.rows.len(), spec.agency.clone());
        meta_err(5, 1, CellProblem::RowsMissing { listed, agency, expected, missing });
    }
    if !meta_errors.is_empty() {
        return Err(Rejected(meta_errors));
    }
    let count = spec.rows.len() as u32;
    let expected: Vec<(String, String, String)> =
        spec.rows.iter().map(|r| (r.key.clone(), r.name.clone(), r.unit.clone())).collect();
    let shown: Vec<u32> = meta_rows.iter().map(|r| r.3.parse().unwrap_or(u32::MAX)).collect();

    let sheet = ENTRY_SHEET.to_string();
    let mut errors = Vec::new();
    let mut err = |row: u32, col: u16, problem: CellProblem| {
        errors.push(CellError { sheet: sheet.clone(), cell: cell_name(row, col), problem })
    };
    let range = book.worksheet_range(ENTRY_SHEET).map_err(|e| unreadable(ENTRY_SHEET, &e))?;
    if shown.contains(&u32::MAX) {
        let i = shown.iter().position(|v| *v == u32::MAX).unwrap_or(0) as u32;
        return Err(Rejected(vec![CellError {
            sheet: META_SHEET.to_string(),
            cell: cell_name(6 + i, 3),
            problem: CellProblem::VersionEdited,
        }]));
    }
    let formulas = book
        .worksheet_formula(ENTRY_SHEET)
        .map_err(|e| whole(CellProblem::FormulasUnreadable { error: e.to_string() }))?;
    let merged = book
        .merge_cells_by_sheet_name(ENTRY_SHEET)
        .map_err(|e| whole(CellProblem::MergesUnreadable { error: e.to_string() }))?;
    for d in &merged {
        if d.end.0 >= FIRST_ROW {
            let (from, to) = (cell_name(d.start.0, d.start.1 as u16), cell_name(d.end.0, d.end.1 as u16));
            err(d.start.0, d.start.1 as u16, CellProblem::Merged { from, to });
        }
    }
    for (r, c, f) in formulas.used_cells() {
        let (row, col) =
            (formulas.start().map_or(0, |s| s.0) + r as u32, formulas.start().map_or(0, |s| s.1) + c as u32);
        if row >= FIRST_ROW && !f.is_empty() {
            err(row, col as u16, CellProblem::Formula { formula: f.clone() });
        }
    }

    let measures: std::collections::HashMap<&str, &kehoach_domain::Measure> =
        plan.measures().map(|m| (m.key.as_str(), m)).collect();
    let mut figures = Vec::new();
    let mut converted = Vec::new();
    for (i, (key, name, unit_label)) in expected.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        let cell = |c: u16| text_of(range.get_value((row, u32::from(c))));
        if cell(KEY) != *key || cell(NAME) != *name || cell(UNIT) != *unit_label {
            let found = cell(KEY);
            let (key, name) = (key.clone(), name.clone());
            let why = if found.is_empty() && cell(NAME).is_empty() {
                CellProblem::RowDeleted { key, name }
            } else if found != key {
                CellProblem::RowMoved { key, name, found }
            } else {
                CellProblem::LabelEdited { key, name, unit: unit_label.clone() }
            };
            err(row, KEY, why);
            continue;
        }
        let Some(measure) = measures.get(key.as_str()) else {
            err(row, KEY, CellProblem::NotInPlan { key: key.clone() });
            continue;
        };
        let mut legacy = |c: u16, text: String| -> String {
            match detect_legacy_unicode(&text) {
                Some(enc) => {
                    converted.push(format!("{}: {}", cell_name(row, c), enc.name()));
                    convert_legacy_unicode(&text, enc)
                }
                None => text,
            }
        };
        let note = legacy(NOTE, cell(NOTE));
        let status_text = legacy(STATUS, cell(STATUS));
        let value = match range.get_value((row, u32::from(VALUE))) {
            None | Some(Data::Empty) => {
                if !status_text.is_empty() || !note.is_empty() {
                    err(row, VALUE, CellProblem::NoFigure);
                }
                continue;
            }
            Some(Data::Float(f)) => f.to_string().parse::<Decimal>().or_else(|_| Decimal::try_from(*f)).ok(),
            Some(Data::Int(i)) => Some(Decimal::from(*i)),
            Some(Data::String(s)) => match parse_decimal(s) {
                Ok(d) => Some(d),
                Err(e) => {
                    err(row, VALUE, CellProblem::NotANumber { text: s.clone(), error: e });
                    continue;
                }
            },
            Some(other) => {
                err(row, VALUE, CellProblem::NotNumeric { text: other.to_string() });
                continue;
            }
        };
        let Some(value) = value else {
            err(row, VALUE, CellProblem::TooLargeNumber);
            continue;
        };
        if let Err(why) = kehoach_domain::value::check_figure(measure.kind, &measure.unit, value) {
            err(row, VALUE, CellProblem::Refused(why));
        }
        let status = if status_text.is_empty() {
            ValueStatus::Estimate
        } else {
            match status_text.parse::<ValueStatus>() {
                Ok(s) => s,
                Err(reason) => {
                    err(row, STATUS, CellProblem::NotAStatus { text: status_text, reason });
                    continue;
                }
            }
        };
        figures.push(Filled { cell: cell_name(row, VALUE), measure: key.clone(), value, status, note, seen: shown[i] });
    }
    // Anything typed below the template's rows would be silently lost.
    let end = FIRST_ROW + count;
    for (r, c, d) in range.used_cells() {
        let row = range.start().map_or(0, |s| s.0) + r as u32;
        let col = range.start().map_or(0, |s| s.1) + c as u32;
        if row >= end && !matches!(d, Data::Empty) {
            err(row, col as u16, CellProblem::RowsAdded);
            break;
        }
    }
    if !errors.is_empty() {
        return Err(Rejected(errors));
    }
    Ok(Read { plan_id, period, agency, unit, figures, converted })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_past_a_template_are_found() {
        let far = |xml: &str| farthest_beyond(xml.as_bytes(), 26, 20_000);
        assert_eq!(far(r#"<dimension ref="A1:I9"/><row r="6"><c r="G6" s="3"/></row>"#), None);
        assert_eq!(far(r#"<row r="6"><c r="XFD1048576"><v>1</v></c></row>"#).as_deref(), Some("XFD1048576"));
        assert_eq!(far(r#"<dimension ref="A1:ZZ100000"/>"#).as_deref(), Some("ZZ100000"));
        assert_eq!(far(r#"<row r="1048576" spans="1:1">"#).as_deref(), Some("1048576"));
        assert_eq!(far(r#"<dataValidation sqref="G6:G9 AA6:AA9">"#).as_deref(), Some("AA6"));
        // Other attributes ending in r are not references.
        assert_eq!(far(r#"<c r="B2" t="s" other="XFD1"><v>3</v></c>"#), None);
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 6), "G7");
        assert_eq!(cell_name(9, 26), "AA10");
    }
}
