//! The report as PDF, typeset by typst from the same model and the same
//! sentences as the DOCX, laid out per Decree 30/2020/NĐ-CP.
//!
//! The fonts are embedded in the binary: Liberation Serif 2 (SIL OFL 1.1,
//! `fonts/LICENSE-OFL.txt`), metric-compatible with Times New Roman and
//! covering every Vietnamese letter, so that the PDF looks the same wherever
//! it is made and never depends on the machine's fonts. Typst lives in this
//! crate alone because it is heavy to build.

use kehoach_report::model::{Counts, Report, roman};
use kehoach_report::prose::{self, Block, figure_cell, percent_cell};
use std::fmt::Write;
use typst_as_lib::TypstEngine;

static FONTS: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
];

/// Why the PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("cannot typeset the report: {0}")]
    Typeset(String),
    #[error("cannot write the PDF: {0}")]
    Export(String),
}

/// The report as PDF bytes.
pub fn report(report: &Report) -> Result<Vec<u8>, PdfError> {
    let source = source(report);
    let engine = TypstEngine::builder().main_file(source).fonts(FONTS).build();
    let doc = engine.compile().output.map_err(|e| PdfError::Typeset(e.to_string()))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError::Export(format!("{e:?}")))
}

/// A typst string literal: the only way report text enters the source, so
/// that no text from the data can be read as markup.
fn s(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The typst source of the whole report.
pub fn source(report: &Report) -> String {
    let issuer = &report.issuer;
    let mut t = String::new();
    // Page numbers at the top centre from the second page (Decree 30/2020).
    t.push_str(
        r#"#set document(title: "Báo cáo")
#set page(paper: "a4", margin: (top: 20mm, bottom: 20mm, left: 30mm, right: 15mm),
  header: context { if counter(page).get().first() > 1 { align(center, text(size: 13pt, counter(page).display())) } })
#set text(font: "Liberation Serif", size: 14pt, lang: "vi")
#set par(justify: true, leading: 0.55em, spacing: 0.75em)
#let line-rule(w) = line(length: w, stroke: 0.6pt)
"#,
    );
    let _ = writeln!(
        t,
        r#"#grid(columns: (38%, 62%), align: center + top, row-gutter: 0.45em,
  text(size: 13pt, {s_parent}), text(size: 13pt, weight: "bold", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
  text(size: 13pt, weight: "bold", {s_agency}), text(size: 14pt, weight: "bold", "Độc lập - Tự do - Hạnh phúc"),
  line-rule(30%), line-rule(55%),
  text(size: 13pt, {s_number}), text(size: 14pt, style: "italic", {s_date}),
)
#v(1.2em)
#align(center, text(weight: "bold", "BÁO CÁO"))
#v(-0.4em)
#align(center, text(weight: "bold", {s_title}))
#v(0.25em)
#align(center, line-rule(25%))
#v(0.6em)"#,
        s_parent = s(&issuer.parent),
        s_agency = s(&issuer.agency),
        s_number = s(&format!("Số:      /{}", issuer.symbol)),
        s_date = s(&issuer.date_line()),
        s_title = s(&report.title()),
    );
    for block in prose::body(report) {
        match block {
            Block::Heading(_, text) => {
                let _ = writeln!(t, "#block(above: 0.9em, below: 0.6em, sticky: true, strong({}))", s(&text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(t, "#par(first-line-indent: (amount: 1cm, all: true), {})", s(&text));
            }
            Block::Item(text) => {
                let _ = writeln!(t, "#par(first-line-indent: (amount: 1cm, all: true), {})", s(&format!("- {text}")));
            }
            Block::Chart => t.push_str(&chart(report)),
        }
    }
    // Recipients and signature.
    let recipients: Vec<String> = issuer.recipients.iter().map(|r| s(&format!("- {r}"))).collect();
    let titles: Vec<String> = issuer.signer_title.iter().map(|r| s(r)).collect();
    let _ = writeln!(
        t,
        r#"#v(1em)
#block(breakable: false, grid(columns: (50%, 50%), align: (left + top, center + top),
  [#set par(justify: false, spacing: 0.3em)
   #text(size: 12pt, weight: "bold", style: "italic", "Nơi nhận:") \
   #text(size: 11pt, ({rec},).join(linebreak()))],
  [#set par(justify: false, spacing: 0.3em)
   #text(weight: "bold", ({titles},).join(linebreak())) \
   #v(5em)
   #text(weight: "bold", {signer})],
))"#,
        rec = recipients.join(", "),
        titles = titles.join(", "),
        signer = s(&issuer.signer_name),
    );
    t.push_str(&appendix(report));
    t.push_str(&tasks(report));
    t
}

/// A bar per verdict: how many measures have it.
fn chart(report: &Report) -> String {
    let c = Counts::of(report.rows());
    let total = c.total().max(1);
    let mut rows = String::new();
    for (status, n, colour) in c.bars() {
        let _ = writeln!(
            rows,
            "  text(size: 11pt, {}), box(width: {}.{}%, height: 0.8em, fill: rgb(\"#{colour}\")), text(size: 11pt, \"{n}\"),",
            s(status.label_vi()),
            n * 900 / total / 10,
            n * 900 / total % 10,
        );
    }
    format!(
        r#"#block(breakable: false, above: 1em, below: 0.5em)[
#align(center, text(size: 12pt, weight: "bold", {title}))
#grid(columns: (30%, 1fr, 8%), row-gutter: 0.45em, column-gutter: 0.6em, align: (right + horizon, left + horizon, left + horizon),
{rows})]
"#,
        title = s(&format!("Đánh giá {} chỉ tiêu chủ yếu {}", c.total(), report.period_phrase())),
    )
}

fn appendix(report: &Report) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        r#"#set page(flipped: true, margin: 15mm, header: context align(center, text(size: 12pt, counter(page).display())))
#set text(size: 11pt)
#set par(justify: false, spacing: 0.5em)
#align(center, strong("PHỤ LỤC"))
#align(center, strong({title}))
#align(center, emph({note}))
#table(columns: (4%, 31%, 9%, 9%, 10%, 10%, 8%, 8%, 11%), align: (center, left, center, right, right, right, right, right, center) , inset: 4pt,
  table.header(
    table.cell(rowspan: 2, align: center + horizon, strong("STT")), table.cell(rowspan: 2, align: center + horizon, strong("Chỉ tiêu")),
    table.cell(rowspan: 2, align: center + horizon, strong("Đơn vị tính")), table.cell(rowspan: 2, align: center + horizon, strong({last})),
    table.cell(rowspan: 2, align: center + horizon, strong({plan})), table.cell(rowspan: 2, align: center + horizon, strong({actual})),
    table.cell(colspan: 2, align: center, strong("So sánh (%)")), table.cell(rowspan: 2, align: center + horizon, strong("Đánh giá")),
    table.cell(align: center, strong("Ước TH so với KH năm")), table.cell(align: center, strong("So với cùng kỳ")),
  ),"#,
        title = s(&report.appendix_title()),
        note = s(&report.appendix_note()),
        last = s(&format!("Thực hiện năm {}", report.year - 1)),
        plan = s(&format!("Kế hoạch năm {}", report.year)),
        actual = s(&report.actual_heading()),
    );
    let mut n = 0;
    for (i, block) in report.sectors.iter().enumerate() {
        let name = block.title().to_uppercase();
        let _ = writeln!(t, "  strong({}), table.cell(colspan: 8, strong({})),", s(&roman(i + 1)), s(&name));
        for r in &block.rows {
            n += 1;
            let cells = [
                n.to_string(),
                r.name.clone(),
                r.unit.clone(),
                figure_cell(r.last_year),
                r.plan_text.clone(),
                figure_cell(r.actual),
                percent_cell(r.pct_plan),
                percent_cell(r.pct_last_year),
                r.verdict().to_string(),
            ];
            let cells: Vec<String> = cells.iter().map(|c| s(c)).collect();
            let _ = writeln!(t, "  {},", cells.join(", "));
        }
    }
    t.push_str(")\n");
    t
}

fn tasks(report: &Report) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        r#"#pagebreak()
#align(center, strong({title}))
#table(columns: (4%, 36%, 17%, 13%, 7%, 23%), align: (center, left, left, center, right, left), inset: 4pt,
  table.header(strong("STT"), strong("Nhiệm vụ, công trình"), strong("Cơ quan chủ trì"), strong("Tình trạng"),
    strong("Tiến độ (%)"), strong("Mốc tiến độ")),"#,
        title = s(&report.tasks_title()),
    );
    for (i, task) in report.tasks.iter().enumerate() {
        let cells = [
            (i + 1).to_string(),
            task.text.clone(),
            task.lead.clone(),
            task.status_text(),
            percent_cell(task.percent),
            task.milestones.clone(),
        ];
        let cells: Vec<String> = cells.iter().map(|c| s(c)).collect();
        let _ = writeln!(t, "  {},", cells.join(", "));
    }
    t.push_str(")\n");
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_never_escapes_its_string() {
        assert_eq!(s(r#"a "b" \ #c [d] $e$"#), r#""a \"b\" \\ #c [d] $e$""#);
        assert_eq!(s("x\ny"), "\"x\\ny\"");
    }
}
