//! The report as a Word document laid out per Decree 30/2020/NĐ-CP
//! (Appendix I): A4; margins top 20 mm, bottom 20 mm, left 30 mm, right
//! 15 mm; Times New Roman 14 pt body; the heading block with the issuing body
//! on the left and the national motto on the right; number, place and date;
//! title; body; recipients and signature. The appendix and the task table
//! follow in a landscape section.

use docx_rs::{
    AlignmentType, Docx, Header, LineSpacing, PageMargin, PageNum, PageOrientationType, Paragraph, Run, RunFonts,
    Section, Shading, ShdType, SpecialIndentType, Table, TableCell, TableLayoutType, TableRow, VAlignType, VMergeType,
    WidthType,
};

use crate::model::{Counts, Report, roman};
use crate::prose::{self, Block, figure_cell, percent_cell};

/// The body's font, as the Decree asks for.
pub const FONT: &str = "Times New Roman";
/// A4 in twentieths of a point (twips).
pub const A4: (u32, u32) = (11906, 16838);
/// Margins in twips: top, bottom, left, right (20, 20, 30, 15 mm).
pub const MARGINS: (i32, i32, i32, i32) = (1134, 1134, 1701, 851);
/// Body size in half-points (14 pt).
const BODY: usize = 28;

/// Why the document could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the DOCX report: {0}")]
pub struct DocxError(String);

/// The report as DOCX bytes.
pub fn report(report: &Report) -> Result<Vec<u8>, DocxError> {
    let margin =
        || PageMargin::new().top(MARGINS.0).bottom(MARGINS.1).left(MARGINS.2).right(MARGINS.3).header(567).footer(567);
    // The letter itself: portrait, page numbers from page 2, at the top.
    let mut letter = Section::new()
        .page_size(docx_rs::PageSize::new().width(A4.0).height(A4.1))
        .page_margin(margin())
        .title_pg()
        .header(Header::new().add_paragraph(Paragraph::new().align(AlignmentType::Center).add_page_num(PageNum::new())))
        .first_header(Header::new());
    letter = letter.add_table(heading(report));
    for p in title(report) {
        letter = letter.add_paragraph(p);
    }
    for block in prose::body(report) {
        letter = match block {
            Block::Chart => letter.add_table(chart(report)).add_paragraph(Paragraph::new()),
            block => letter.add_paragraph(block_paragraph(&block)),
        };
    }
    letter = letter.add_paragraph(Paragraph::new()).add_table(signature(report));

    // The appendix: landscape, in the document's last section.
    let mut docx = Docx::new()
        .default_fonts(fonts())
        .default_size(BODY)
        .add_section(letter)
        .page_size(A4.1, A4.0)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(PageMargin::new().top(1134).bottom(1134).left(1134).right(1134).header(567).footer(567))
        .header(
            Header::new().add_paragraph(Paragraph::new().align(AlignmentType::Center).add_page_num(PageNum::new())),
        );
    docx = docx
        .add_paragraph(centred(run("PHỤ LỤC").bold()))
        .add_paragraph(centred(run(&report.appendix_title()).bold()))
        .add_paragraph(centred(run(&report.appendix_note()).italic()))
        .add_table(appendix_table(report))
        .add_paragraph(centred(run(&report.tasks_title())).page_break_before(true))
        .add_table(task_table(report));
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut out).map_err(|e| DocxError(e.to_string()))?;
    Ok(out.into_inner())
}

fn fonts() -> RunFonts {
    RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT)
}

fn run(text: &str) -> Run {
    Run::new().add_text(text).fonts(fonts())
}

fn tight() -> LineSpacing {
    LineSpacing::new().before(0).after(0).line(240)
}

fn centred(r: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).line_spacing(tight()).add_run(r)
}

/// A cell with no borders holding centred lines.
fn plain_cell(width: usize, lines: Vec<Paragraph>) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa).clear_all_border();
    for p in lines {
        c = c.add_paragraph(p);
    }
    c
}

/// The heading block: issuing body on the left, motto on the right, then the
/// number and the place and date.
fn heading(report: &Report) -> Table {
    let issuer = &report.issuer;
    let left = vec![
        centred(run(&issuer.parent).size(26)),
        centred(run(&issuer.agency).bold().size(26)),
        centred(run("________").bold().size(26)),
        centred(run(&format!("Số:      /{}", issuer.symbol)).size(26))
            .line_spacing(LineSpacing::new().before(160).after(0)),
    ];
    let right = vec![
        centred(run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold().size(26)),
        centred(run("Độc lập - Tự do - Hạnh phúc").bold().size(BODY)),
        centred(run("_______________________").bold().size(26)),
        centred(run(&issuer.date_line()).italic().size(BODY)).line_spacing(LineSpacing::new().before(160).after(0)),
    ];
    Table::without_borders(vec![TableRow::new(vec![plain_cell(3600, left), plain_cell(5754, right)])])
        .set_grid(vec![3600, 5754])
        .layout(TableLayoutType::Fixed)
        .width(9354, WidthType::Dxa)
}

fn title(report: &Report) -> Vec<Paragraph> {
    vec![
        Paragraph::new().line_spacing(tight()),
        centred(run("BÁO CÁO").bold()).line_spacing(LineSpacing::new().before(240).after(0)),
        centred(run(&report.title()).bold()),
        centred(run("________________").bold()).line_spacing(LineSpacing::new().before(0).after(240)),
    ]
}

fn block_paragraph(block: &Block) -> Paragraph {
    let body = |p: Paragraph| {
        p.align(AlignmentType::Both)
            .indent(None, Some(SpecialIndentType::FirstLine(567)), None, None)
            .line_spacing(LineSpacing::new().before(60).after(60).line(288))
    };
    match block {
        Block::Heading(_, text) => body(Paragraph::new().add_run(run(text).bold())).keep_next(true),
        Block::Paragraph(text) => body(Paragraph::new().add_run(run(text))),
        Block::Item(text) => body(Paragraph::new().add_run(run(&format!("- {text}")))),
        Block::Chart => Paragraph::new(),
    }
}

/// The measures by verdict as a bar chart drawn with the document's own
/// table cells (a shaded cell as wide as the share of measures), so that it
/// prints the same in every word processor and stays editable.
fn chart(report: &Report) -> Table {
    const LABEL: usize = 2800;
    const BARS: usize = 5600;
    const COUNT: usize = 700;
    let counts = Counts::of(report.rows());
    let total = counts.total().max(1);
    let mut rows = vec![TableRow::new(vec![
        plain_cell(
            LABEL + BARS + COUNT,
            vec![centred(
                run(&format!("Đánh giá {} chỉ tiêu chủ yếu {}", counts.total(), report.period_phrase()))
                    .bold()
                    .size(24),
            )],
        )
        .grid_span(3),
    ])];
    for (status, n, colour) in counts.bars() {
        let width = (BARS * n / total).max(60);
        let bar = Table::without_borders(vec![TableRow::new(vec![
            TableCell::new()
                .width(width, WidthType::Dxa)
                .shading(Shading::new().fill(colour).color("auto").shd_type(ShdType::Clear))
                .clear_all_border()
                .add_paragraph(Paragraph::new().line_spacing(tight()).add_run(run(" ").size(16))),
        ])])
        .set_grid(vec![width])
        .layout(TableLayoutType::Fixed)
        .width(width, WidthType::Dxa);
        rows.push(TableRow::new(vec![
            plain_cell(
                LABEL,
                vec![Paragraph::new().align(AlignmentType::Right).add_run(run(status.label_vi()).size(22))],
            ),
            TableCell::new()
                .width(BARS, WidthType::Dxa)
                .clear_all_border()
                .vertical_align(VAlignType::Center)
                .add_table(bar)
                .add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().before(0).after(0).line(20))),
            plain_cell(COUNT, vec![Paragraph::new().add_run(run(&n.to_string()).size(22))]),
        ]));
    }
    Table::without_borders(rows)
        .set_grid(vec![LABEL, BARS, COUNT])
        .layout(TableLayoutType::Fixed)
        .width(LABEL + BARS + COUNT, WidthType::Dxa)
}

/// Nơi nhận on the left, the signature on the right.
fn signature(report: &Report) -> Table {
    let issuer = &report.issuer;
    let mut left = vec![Paragraph::new().line_spacing(tight()).add_run(run("Nơi nhận:").bold().italic().size(24))];
    for r in &issuer.recipients {
        left.push(Paragraph::new().line_spacing(tight()).add_run(run(&format!("- {r}")).size(22)));
    }
    let mut right: Vec<Paragraph> = issuer.signer_title.iter().map(|t| centred(run(t).bold().size(BODY))).collect();
    for _ in 0..4 {
        right.push(Paragraph::new().line_spacing(tight()));
    }
    right.push(centred(run(&issuer.signer_name).bold().size(BODY)));
    Table::without_borders(vec![TableRow::new(vec![plain_cell(4677, left), plain_cell(4677, right)])])
        .set_grid(vec![4677, 4677])
        .layout(TableLayoutType::Fixed)
        .width(9354, WidthType::Dxa)
}

/// A bordered table cell with one line of text at `size` half-points.
fn grid_cell(width: usize, text: &str, size: usize, bold: bool, align: AlignmentType) -> TableCell {
    let mut r = run(text).size(size);
    if bold {
        r = r.bold();
    }
    TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
        .add_paragraph(Paragraph::new().align(align).line_spacing(tight()).add_run(r))
}

/// The appendix: the same columns as the XLSX.
fn appendix_table(report: &Report) -> Table {
    const W: [usize; 9] = [600, 4300, 1300, 1250, 1250, 1350, 1050, 1050, 1420];
    const SIZE: usize = 22;
    let head = |w: usize, t: &str| grid_cell(w, t, SIZE, true, AlignmentType::Center);
    let merged = |w: usize, t: &str| head(w, t).vertical_merge(VMergeType::Restart);
    let cont = |w: usize| TableCell::new().width(w, WidthType::Dxa).vertical_merge(VMergeType::Continue);
    let first = TableRow::new(vec![
        merged(W[0], "STT"),
        merged(W[1], "Chỉ tiêu"),
        merged(W[2], "Đơn vị tính"),
        merged(W[3], &format!("Thực hiện năm {}", report.year - 1)),
        merged(W[4], &format!("Kế hoạch năm {}", report.year)),
        merged(W[5], &report.actual_heading()),
        head(W[6] + W[7], "So sánh (%)").grid_span(2),
        merged(W[8], "Đánh giá"),
    ])
    .cant_split();
    let second = TableRow::new(vec![
        cont(W[0]),
        cont(W[1]),
        cont(W[2]),
        cont(W[3]),
        cont(W[4]),
        cont(W[5]),
        head(W[6], "Ước TH so với KH năm"),
        head(W[7], "So với cùng kỳ"),
        cont(W[8]),
    ])
    .cant_split();
    let mut rows = vec![first, second];
    let mut n = 0;
    for (i, block) in report.sectors.iter().enumerate() {
        let name = block.title().to_uppercase();
        let rest: usize = W[1..].iter().sum();
        rows.push(
            TableRow::new(vec![
                grid_cell(W[0], &roman(i + 1), SIZE, true, AlignmentType::Center),
                grid_cell(rest, &name, SIZE, true, AlignmentType::Left).grid_span(8),
            ])
            .cant_split(),
        );
        for r in &block.rows {
            n += 1;
            let c = |i: usize, t: &str, a: AlignmentType| grid_cell(W[i], t, SIZE, false, a);
            rows.push(
                TableRow::new(vec![
                    c(0, &n.to_string(), AlignmentType::Center),
                    c(1, &r.name, AlignmentType::Left),
                    c(2, &r.unit, AlignmentType::Center),
                    c(3, &figure_cell(r.last_year), AlignmentType::Right),
                    c(4, &r.plan_text, AlignmentType::Right),
                    c(5, &figure_cell(r.actual), AlignmentType::Right),
                    c(6, &percent_cell(r.pct_plan), AlignmentType::Right),
                    c(7, &percent_cell(r.pct_last_year), AlignmentType::Right),
                    c(8, r.verdict(), AlignmentType::Center),
                ])
                .cant_split(),
            );
        }
    }
    Table::new(rows).set_grid(W.to_vec()).layout(TableLayoutType::Fixed).width(W.iter().sum(), WidthType::Dxa)
}

fn task_table(report: &Report) -> Table {
    const W: [usize; 6] = [600, 5200, 2600, 1900, 1000, 3270];
    const SIZE: usize = 22;
    let head = |i: usize, t: &str| grid_cell(W[i], t, SIZE, true, AlignmentType::Center);
    let mut rows = vec![
        TableRow::new(vec![
            head(0, "STT"),
            head(1, "Nhiệm vụ, công trình"),
            head(2, "Cơ quan chủ trì"),
            head(3, "Tình trạng"),
            head(4, "Tiến độ (%)"),
            head(5, "Mốc tiến độ"),
        ])
        .cant_split(),
    ];
    for (i, t) in report.tasks.iter().enumerate() {
        let c = |k: usize, text: &str, a: AlignmentType| grid_cell(W[k], text, SIZE, false, a);
        let mut milestones = TableCell::new().width(W[5], WidthType::Dxa).vertical_align(VAlignType::Center);
        let lines: Vec<&str> = t.milestones.lines().collect();
        if lines.is_empty() {
            milestones = milestones.add_paragraph(Paragraph::new());
        }
        for line in lines {
            milestones = milestones.add_paragraph(Paragraph::new().line_spacing(tight()).add_run(run(line).size(SIZE)));
        }
        rows.push(
            TableRow::new(vec![
                c(0, &(i + 1).to_string(), AlignmentType::Center),
                c(1, &t.text, AlignmentType::Left),
                c(2, &t.lead, AlignmentType::Left),
                c(3, &t.status_text(), AlignmentType::Center),
                c(4, &percent_cell(t.percent), AlignmentType::Right),
                milestones,
            ])
            .cant_split(),
        );
    }
    Table::new(rows).set_grid(W.to_vec()).layout(TableLayoutType::Fixed).width(W.iter().sum(), WidthType::Dxa)
}
