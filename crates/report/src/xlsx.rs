//! The appendix workbook (phụ lục): the main targets by sector, and the key
//! tasks, as the planning department sends them with its report.
//!
//! Figures are written as numbers with a Vietnamese number format
//! (`[$-42A]`, the Vietnamese locale, so `1.850,5` shows the Vietnamese way
//! wherever the reader's program follows the cell's locale). The plan is a
//! number too: its comparator goes in the cell's number format (`"≥ "#,##0`
//! shows `≥ 1.850` and computes as 1850), a range in two cells (từ, đến);
//! text only where the plan has no number at all ("kéo giảm").

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::model::{Report, roman};

/// Sheet names, which a reader of the workbook can rely on.
pub const TARGETS_SHEET: &str = "Chỉ tiêu";
pub const TASKS_SHEET: &str = "Nhiệm vụ";
/// The first row of figures (0-based) on the targets sheet.
pub const FIRST_DATA_ROW: u32 = 6;
const FONT: &str = "Times New Roman";

/// The columns of the targets sheet: heading and width.
const COLUMNS: [(&str, f64); 10] = [
    ("STT", 6.0),
    ("Chỉ tiêu", 46.0),
    ("Đơn vị tính", 13.0),
    ("", 13.0),
    ("Mức, từ", 12.0),
    ("Đến", 10.0),
    ("", 14.0),
    ("Ước TH so với KH năm", 11.0),
    ("So với cùng kỳ năm trước", 11.0),
    ("Đánh giá", 15.0),
];

/// The workbook as bytes.
pub fn appendix(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    targets_sheet(book.add_worksheet(), report)?;
    tasks_sheet(book.add_worksheet(), report)?;
    book.save_to_buffer()
}

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(12)
}

fn cell() -> Format {
    base().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter)
}

fn header() -> Format {
    cell().set_bold().set_align(FormatAlign::Center).set_text_wrap().set_background_color(0xE8EEF4)
}

/// A number format that shows `decimals` places, the Vietnamese way.
fn number_format(decimals: u32) -> Format {
    prefixed_format("", decimals)
}

/// [`number_format`] with words before the number (`≥ `, `giảm `): the
/// cell still holds the number.
fn prefixed_format(prefix: &str, decimals: u32) -> Format {
    let digits = if decimals == 0 { "#,##0".to_string() } else { format!("#,##0.{}", "0".repeat(decimals as usize)) };
    let words = if prefix.is_empty() { String::new() } else { format!("\"{prefix}\"") };
    cell().set_num_format(format!("[$-42A]{words}{digits}"))
}

/// The words a plan's comparator puts before its number.
fn comparator_words(c: kehoach_domain::Comparator) -> &'static str {
    use kehoach_domain::Comparator::*;
    match c {
        AtLeast => "≥ ",
        Above => "> ",
        AtMost => "≤ ",
        Below => "< ",
        About => "khoảng ",
        IncreaseBy => "tăng ",
        DecreaseBy => "giảm ",
        _ => "",
    }
}

/// How many decimals a row's figures need: as many as they carry, at most 2.
fn decimals_of(values: &[Option<Decimal>]) -> u32 {
    values.iter().flatten().map(|v| v.normalize().scale()).max().unwrap_or(0).min(2)
}

/// How many lines `text` takes in a wrapped cell `width` characters wide.
/// Spreadsheet files do not store row heights that follow their content,
/// and LibreOffice does not recompute them on opening: without this, long
/// names overlap the next row.
pub(crate) fn lines(text: &str, width: f64) -> u32 {
    // Times New Roman 12 pt fits about 1.25 characters per unit of width.
    let per_line = ((width * 1.25) as usize).max(1);
    text.split('\n').map(|l| l.chars().count().div_ceil(per_line).max(1) as u32).sum::<u32>().max(1)
}

/// The height of a row whose tallest cell takes `lines` lines.
pub(crate) fn height(lines: u32) -> f64 {
    f64::from(lines) * 15.6 + 3.0
}

fn page_setup(sheet: &mut Worksheet, header_rows: (u32, u32)) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_margins(0.6, 0.4, 0.6, 0.6, 0.3, 0.3);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(header_rows.0, header_rows.1)?;
    sheet.set_footer("&C&\"Times New Roman\"&10Trang &P/&N");
    Ok(())
}

fn targets_sheet(sheet: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    sheet.set_name(TARGETS_SHEET)?;
    for (c, (_, width)) in COLUMNS.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
    }
    let last = (COLUMNS.len() - 1) as u16;
    let title = base().set_bold().set_align(FormatAlign::Center);
    let note = base().set_italic().set_align(FormatAlign::Center);
    sheet.merge_range(0, 0, 0, last, "PHỤ LỤC", &title.clone().set_font_size(13))?;
    sheet.merge_range(1, 0, 1, last, &report.appendix_title(), &title.clone().set_text_wrap())?;
    sheet.set_row_height(1, 33)?;
    sheet.merge_range(2, 0, 2, last, &report.appendix_note(), &note)?;

    let h = header();
    for (c, (name, _)) in COLUMNS.iter().enumerate() {
        let c = c as u16;
        match c {
            3 => {
                sheet.merge_range(4, c, 5, c, &format!("Thực hiện năm {}", report.year - 1), &h)?;
            }
            6 => {
                sheet.merge_range(4, c, 5, c, &report.actual_heading(), &h)?;
            }
            4 | 5 | 7 | 8 => {
                sheet.write_string_with_format(5, c, *name, &h)?;
            }
            _ => {
                sheet.merge_range(4, c, 5, c, name, &h)?;
            }
        }
    }
    sheet.merge_range(4, 4, 4, 5, &format!("Kế hoạch năm {}", report.year), &h)?;
    sheet.merge_range(4, 7, 4, 8, "So sánh (%)", &h)?;
    sheet.set_row_height(4, 24)?;
    sheet.set_row_height(5, 48)?;
    sheet.set_freeze_panes(FIRST_DATA_ROW, 0)?;

    let text = cell().set_text_wrap();
    let centred = cell().set_align(FormatAlign::Center).set_text_wrap();
    let sector = cell().set_bold().set_text_wrap();
    let percent = number_format(1);
    let mut row = FIRST_DATA_ROW;
    let mut n = 0;
    for (i, block) in report.sectors.iter().enumerate() {
        sheet.write_string_with_format(row, 0, roman(i + 1), &sector.clone().set_align(FormatAlign::Center))?;
        sheet.merge_range(row, 1, row, last, &block.title().to_uppercase(), &sector)?;
        row += 1;
        for r in &block.rows {
            n += 1;
            let (low, high) = r.plan_range.unzip();
            let decimals = decimals_of(&[r.last_year, r.plan_value, low, high, r.actual]);
            let figures = number_format(decimals);
            sheet.write_number_with_format(row, 0, n, &centred)?;
            sheet.write_string_with_format(row, 1, &r.name, &text)?;
            sheet.write_string_with_format(row, 2, &r.unit, &centred)?;
            write_figure(sheet, row, 3, r.last_year, &figures)?;
            let words = comparator_words(r.comparator);
            match (r.plan_range, r.plan_value) {
                (Some((low, high)), _) => {
                    sheet.write_with_format(row, 4, low, &prefixed_format(words, decimals))?;
                    sheet.write_with_format(row, 5, high, &figures)?;
                }
                (None, Some(v)) => {
                    sheet.write_with_format(row, 4, v, &prefixed_format(words, decimals))?;
                    sheet.write_blank(row, 5, &figures)?;
                }
                // No number in the plan ("kéo giảm"): its words.
                (None, None) => {
                    sheet.merge_range(row, 4, row, 5, &r.plan_text, &centred)?;
                }
            }
            write_figure(sheet, row, 6, r.actual, &figures)?;
            write_figure(sheet, row, 7, r.pct_plan.map(|p| p.round_dp(1)), &percent)?;
            write_figure(sheet, row, 8, r.pct_last_year.map(|p| p.round_dp(1)), &percent)?;
            sheet.write_string_with_format(row, 9, r.verdict(), &centred)?;
            let tallest = [
                (r.name.as_str(), COLUMNS[1].1),
                (r.unit.as_str(), COLUMNS[2].1),
                (&r.plan_text, COLUMNS[4].1 + COLUMNS[5].1),
            ]
            .iter()
            .map(|(t, w)| lines(t, *w))
            .max()
            .unwrap_or(1);
            if tallest > 1 {
                sheet.set_row_height(row, height(tallest))?;
            }
            row += 1;
        }
    }
    page_setup(sheet, (4, 5))?;
    sheet.set_print_area(0, 0, row.saturating_sub(1).max(FIRST_DATA_ROW), last)?;
    Ok(())
}

fn write_figure(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Decimal>,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Some(v) => sheet.write_with_format(row, col, v, format).map(|_| ()),
        None => sheet.write_blank(row, col, format).map(|_| ()),
    }
}

fn tasks_sheet(sheet: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    sheet.set_name(TASKS_SHEET)?;
    let columns: [(&str, f64); 7] = [
        ("STT", 6.0),
        ("Nhiệm vụ, công trình trọng tâm", 50.0),
        ("Cơ quan chủ trì", 22.0),
        ("Tình trạng", 15.0),
        ("Tiến độ (%)", 10.0),
        ("Mốc tiến độ", 34.0),
        ("Ghi chú", 26.0),
    ];
    let last = (columns.len() - 1) as u16;
    let title = base().set_bold().set_align(FormatAlign::Center);
    sheet.merge_range(0, 0, 0, last, &report.tasks_title(), &title)?;
    let h = header();
    for (c, (name, width)) in columns.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
        sheet.write_string_with_format(2, c as u16, *name, &h)?;
    }
    sheet.set_row_height(2, 33)?;
    sheet.set_freeze_panes(3, 0)?;
    let text = cell().set_text_wrap().set_align(FormatAlign::Top);
    let centred = text.clone().set_align(FormatAlign::Center);
    let percent = number_format(0).set_align(FormatAlign::Top);
    for (i, t) in report.tasks.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_number_with_format(row, 0, (i + 1) as u32, &centred)?;
        sheet.write_string_with_format(row, 1, &t.text, &text)?;
        sheet.write_string_with_format(row, 2, &t.lead, &text)?;
        sheet.write_string_with_format(row, 3, t.status_text(), &centred)?;
        write_figure(sheet, row, 4, t.percent, &percent)?;
        sheet.write_string_with_format(row, 5, &t.milestones, &text)?;
        sheet.write_string_with_format(row, 6, &t.narrative, &text)?;
        let tallest = [
            (t.text.as_str(), columns[1].1),
            (&t.lead, columns[2].1),
            (&t.milestones, columns[5].1),
            (&t.narrative, columns[6].1),
        ]
        .iter()
        .map(|(s, w)| lines(s, *w))
        .max()
        .unwrap_or(1);
        if tallest > 1 {
            sheet.set_row_height(row, height(tallest))?;
        }
    }
    page_setup(sheet, (2, 2))?;
    Ok(())
}
