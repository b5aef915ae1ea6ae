//! Data-entry templates: written, filled in the way Excel saves a workbook
//! (values in the sheet's XML), and read back; and every kind of bad
//! workbook refused with the sheet, the cell and the reason.

use kehoach_domain::Plan;
use kehoach_domain::number::NumberError;
use kehoach_domain::period::Period;
use kehoach_domain::value::{FigureProblem, ValueStatus};
use kehoach_report::template::{self, CellError, CellProblem, META_SHEET, Spec};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::Write;

fn plan() -> Plan {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/plans/ben-tre-2025.toml"))
        .expect("the built-in plan");
    kehoach_planfile::from_toml(&text).expect("a valid plan")
}

/// The template of the Department of Industry and Trade (SCT), which leads
/// exports (c.1, a level in million USD) and a share in per cent (b.1), for
/// the first quarter.
fn spec(plan: &Plan) -> Spec {
    sct(plan)
}

/// [`spec`], under a name a test's own `spec` does not shadow.
fn sct(plan: &Plan) -> Spec {
    let leads: HashMap<String, String> =
        ["c.1", "b.1", "d.1"].iter().map(|k| (k.to_string(), "SCT".to_string())).collect();
    Spec::for_agency(
        plan,
        1,
        Period::Quarter(2025, 1),
        ("SCT", "Sở Công Thương"),
        ("83", "Bến Tre"),
        &leads,
        |k| (k == "c.1").then(|| ("400.5".parse().unwrap(), ValueStatus::Estimate, 3)),
    )
}

/// Rewrites the entry sheet's XML as a spreadsheet program would save it.
fn edit(bytes: &[u8], f: impl Fn(String) -> String) -> Vec<u8> {
    edit_sheet(bytes, "xl/worksheets/sheet1.xml", f)
}

/// Replaces a text cell's content with `text`, typed in it.
fn set_text(xml: String, cell: &str, text: &str) -> String {
    let re = regex::Regex::new(&format!(r#"<c r="{cell}"( s="\d+")?( t="s")?><v>\d+</v></c>"#)).unwrap();
    assert!(re.is_match(&xml), "no text cell {cell}");
    re.replace(&xml, format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#).as_str()).into_owned()
}

/// Rewrites one part of the workbook.
fn edit_sheet(bytes: &[u8], part: &str, f: impl Fn(String) -> String) -> Vec<u8> {
    kehoach_testing::zip::rewrite(bytes, part, f)
}

/// Puts a value in an empty cell (`G6`): a number, or text typed in it.
fn put(xml: String, cell: &str, value: &str) -> String {
    put_as(xml, cell, value, value.parse::<f64>().is_ok())
}

/// Puts text in an empty cell, even text that looks like a number.
fn put_text(xml: String, cell: &str, value: &str) -> String {
    put_as(xml, cell, value, false)
}

fn put_as(xml: String, cell: &str, value: &str, number: bool) -> String {
    let re = regex::Regex::new(&format!(r#"<c r="{cell}" s="(\d+)"/>"#)).unwrap();
    assert!(re.is_match(&xml), "no empty cell {cell} in the template");
    let content = if number {
        format!(r#"<c r="{cell}" s="$1"><v>{value}</v></c>"#)
    } else {
        format!(r#"<c r="{cell}" s="$1" t="inlineStr"><is><t>{value}</t></is></c>"#)
    };
    re.replace(&xml, content.as_str()).into_owned()
}

fn row_of(spec: &Spec, key: &str) -> usize {
    6 + spec.rows.iter().position(|r| r.key == key).expect("the key is in the template")
}

fn errors(result: Result<template::Read, template::Rejected>) -> String {
    match result {
        Ok(r) => panic!("accepted: {r:?}"),
        Err(e) => e.to_string(),
    }
}

/// The errors of a refused workbook, as kinds.
fn refused(result: Result<template::Read, template::Rejected>) -> Vec<CellError> {
    match result {
        Ok(r) => panic!("accepted: {r:?}"),
        Err(e) => e.0,
    }
}

/// An error in `sheet`, at `cell` (both empty: of the workbook as a whole).
fn at(sheet: &str, cell: &str, problem: CellProblem) -> CellError {
    CellError { sheet: sheet.into(), cell: cell.into(), problem }
}

/// An error of the entry sheet.
fn entry(cell: String, problem: CellProblem) -> CellError {
    at(template::ENTRY_SHEET, &cell, problem)
}

#[test]
fn a_filled_template_round_trips_exactly() {
    let plan = plan();
    let spec = spec(&plan);
    assert_eq!(spec.rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["b.1", "c.1", "d.1"]);
    let blank = template::write(&spec).unwrap();

    // Nothing typed: nothing read, and no error.
    let read = template::read(&blank, &plan, &sct(&plan)).unwrap();
    assert_eq!((read.period, read.agency.as_str(), read.unit.as_str()), (Period::Quarter(2025, 1), "SCT", "83"));
    assert!(read.figures.is_empty());

    let (c1, b1) = (row_of(&spec, "c.1"), row_of(&spec, "b.1"));
    let filled = edit(&blank, |xml| {
        let xml = put(xml, &format!("G{c1}"), "412.37");
        let xml = put(xml, &format!("H{c1}"), "Sơ bộ");
        let xml = put(xml, &format!("I{c1}"), "Cục Thống kê, 04/2025");
        // Typed as text the Vietnamese way: 1.234,5678 is still exact.
        let xml = put(xml, &format!("G{b1}"), "38,0125");
        put(xml, &format!("H{b1}"), "chính thức")
    });
    let read = template::read(&filled, &plan, &sct(&plan)).unwrap();
    let got: Vec<(String, Decimal, ValueStatus, String)> =
        read.figures.iter().map(|f| (f.measure.clone(), f.value, f.status, f.note.clone())).collect();
    assert_eq!(
        got,
        vec![
            ("b.1".into(), "38.0125".parse().unwrap(), ValueStatus::Official, String::new()),
            ("c.1".into(), "412.37".parse().unwrap(), ValueStatus::Preliminary, "Cục Thống kê, 04/2025".into()),
        ]
    );
    assert_eq!(read.figures[1].cell, format!("G{c1}"));
    // What each figure replaces is what the template showed: version 3 of
    // c.1, nothing of b.1; a figure stored since is then a conflict.
    assert_eq!((read.figures[0].seen, read.figures[1].seen), (0, 3));
    let values = read.new_values(kehoach_domain::value::Origin::Entered, Some("SCT"));
    assert_eq!(values[1].expected_version, Some(3));
    assert_eq!(values[1].agency.as_deref(), Some("SCT"));
}

/// A reporter of another agency (or one who edited the hidden sheet) cannot
/// bring in figures the server did not ask of them: the workbook is read
/// against the template the server builds for the uploader, and every cell
/// of the hidden sheet that disagrees is named.
#[test]
fn a_workbook_for_other_measures_agency_or_unit_is_refused_naming_the_cells() {
    let plan = plan();
    let ours = spec(&plan);
    // The Department of Health's workbook, for its own measures.
    let leads: HashMap<String, String> = ["g.1", "g.2"].iter().map(|k| (k.to_string(), "SYT".to_string())).collect();
    let theirs =
        Spec::for_agency(&plan, 1, Period::Quarter(2025, 1), ("SYT", "Sở Y tế"), ("83", "Bến Tre"), &leads, |_| None);
    assert!(!theirs.rows.is_empty());
    let said = errors(template::read(&template::write(&theirs).unwrap(), &plan, &ours));
    assert!(said.contains("sheet “_kehoach”, cell B4: names the agency “SYT”; the figures are SCT's"), "{said}");
    assert!(said.contains("sheet “_kehoach”, cell A7: names g.1"), "{said}");
    let found = refused(template::read(&template::write(&theirs).unwrap(), &plan, &ours));
    let (agency, agency_name) = ("SCT".to_string(), "Sở Công Thương".to_string());
    assert!(found.contains(&at(
        META_SHEET,
        "B4",
        CellProblem::OtherAgency { found: "SYT".into(), agency, agency_name }
    )));
    let g1 = |e: &CellError| matches!(&e.problem, CellProblem::OtherMeasure { key, .. } if key == "g.1");
    assert!(found.iter().any(|e| e.cell == "A7" && g1(e)), "{found:?}");

    // Ours, with the hidden sheet's unit and agency rewritten by hand.
    let edited = edit_sheet(&template::write(&ours).unwrap(), "xl/worksheets/sheet2.xml", |xml| {
        let xml = set_text(xml, "B4", "SYT");
        set_text(xml, "B5", "86")
    });
    let said = errors(template::read(&edited, &plan, &ours));
    assert!(said.contains("cell B4: names the agency “SYT”"), "{said}");
    assert!(said.contains("cell B5: names the unit “86”; SCT's figures for 2025-Q1 are for 83 (Bến Tre)"), "{said}");
    let unit = CellProblem::OtherUnit {
        found: "86".into(),
        agency: "SCT".into(),
        period: Period::Quarter(2025, 1),
        unit: "83".into(),
        unit_name: "Bến Tre".into(),
    };
    assert!(refused(template::read(&edited, &plan, &ours)).contains(&at(META_SHEET, "B5", unit)));

    // The server's template changed (a measure assigned elsewhere): an old
    // workbook's rows no longer match and it is refused, not half-read.
    let mut fewer = ours.clone();
    fewer.rows.retain(|r| r.key != "c.1");
    let found = refused(template::read(&template::write(&ours).unwrap(), &plan, &fewer));
    let name = |key: &str| ours.rows.iter().find(|r| r.key == key).unwrap().name.clone();
    let (c1, d1, sct) = (String::from("c.1"), String::from("d.1"), String::from("SCT"));
    let (name_c1, name_d1) = (name("c.1"), name("d.1"));
    let other = CellProblem::OtherMeasure {
        key: c1,
        name: name_c1,
        agency: sct.clone(),
        expected_key: d1.clone(),
        expected_name: name_d1.clone(),
    };
    let not_reported = CellProblem::NotReported { key: d1, name: name_d1, agency: sct };
    assert_eq!(found, vec![at(META_SHEET, "A8", other), at(META_SHEET, "A9", not_reported)]);
}

#[test]
fn text_typed_in_a_legacy_encoding_is_converted_and_said() {
    let plan = plan();
    let spec = spec(&plan);
    let c1 = row_of(&spec, "c.1");
    // "Số liệu ước tính" typed with a .VnTime (TCVN3) font: the cell holds
    // the font's bytes read as Windows-1252 letters.
    let bytes = kehoach_legacy::encode_legacy("Số liệu ước tính", kehoach_legacy::LegacyEncoding::Tcvn3)
        .expect("TCVN3 has every letter");
    let (typed, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert_ne!(typed, "Số liệu ước tính");
    let filled = edit(&template::write(&spec).unwrap(), |xml| {
        put(put(xml, &format!("G{c1}"), "400"), &format!("I{c1}"), &typed)
    });
    let read = template::read(&filled, &plan, &sct(&plan)).unwrap();
    assert_eq!(read.figures[0].note, "Số liệu ước tính");
    assert_eq!(read.converted, vec![format!("I{c1}: TCVN3 (ABC)")]);
}

#[test]
fn every_bad_cell_is_named_and_nothing_is_read() {
    let plan = plan();
    let spec = spec(&plan);
    let blank = template::write(&spec).unwrap();
    let (b1, c1, d1) = (row_of(&spec, "b.1"), row_of(&spec, "c.1"), row_of(&spec, "d.1"));
    let bad = edit(&blank, |xml| {
        let xml = put(xml, &format!("G{b1}"), "120"); // a share above 100 %
        let xml = put(xml, &format!("G{c1}"), "-5"); // exports below zero
        put(xml, &format!("G{d1}"), "nhiều") // not a number
    });
    assert_eq!(
        refused(template::read(&bad, &plan, &sct(&plan))),
        vec![
            entry(
                format!("G{b1}"),
                CellProblem::Refused(FigureProblem::OutOfRange {
                    value: Decimal::from(120),
                    min: Decimal::ZERO,
                    max: Decimal::ONE_HUNDRED
                })
            ),
            entry(
                format!("G{c1}"),
                CellProblem::Refused(FigureProblem::Below { value: Decimal::from(-5), min: Decimal::ZERO })
            ),
            entry(
                format!("G{d1}"),
                CellProblem::NotANumber { text: "nhiều".into(), error: NumberError::Invalid("nhiều".into()) }
            ),
        ]
    );
    // The command line says it in English, as it always has.
    assert_eq!(
        errors(template::read(&bad, &plan, &sct(&plan))),
        format!(
            "3 error(s), nothing imported:\n\
             sheet “Nhập số liệu”, cell G{b1}: 120 is outside 0 – 100\n\
             sheet “Nhập số liệu”, cell G{c1}: -5 is less than 0\n\
             sheet “Nhập số liệu”, cell G{d1}: “nhiều” is not a number: “nhiều” is not a number (write 1.850,5 or \
             1850.5)"
        )
    );
}

#[test]
fn an_unknown_status_and_a_note_without_a_figure_are_refused() {
    let plan = plan();
    let spec = spec(&plan);
    let (b1, c1) = (row_of(&spec, "b.1"), row_of(&spec, "c.1"));
    let bad = edit(&template::write(&spec).unwrap(), |xml| {
        let xml = put(xml, &format!("G{c1}"), "400");
        let xml = put(xml, &format!("H{c1}"), "chắc chắn");
        put(xml, &format!("I{b1}"), "chưa có số")
    });
    let reason = "chắc chắn".parse::<ValueStatus>().unwrap_err();
    assert_eq!(
        refused(template::read(&bad, &plan, &sct(&plan))),
        vec![
            entry(format!("G{b1}"), CellProblem::NoFigure),
            entry(format!("H{c1}"), CellProblem::NotAStatus { text: "chắc chắn".into(), reason: reason.clone() }),
        ]
    );
    let said = errors(template::read(&bad, &plan, &sct(&plan)));
    assert!(said.contains(&format!("cell G{b1}: a status or note was given but no figure")), "{said}");
    assert!(said.contains(&format!("cell H{c1}: {reason}")), "{said}");
}

#[test]
fn a_formula_in_an_input_cell_is_refused() {
    let plan = plan();
    let spec = spec(&plan);
    let c1 = row_of(&spec, "c.1");
    let bad = edit(&template::write(&spec).unwrap(), |xml| {
        let re = regex::Regex::new(&format!(r#"<c r="G{c1}" s="(\d+)"/>"#)).unwrap();
        re.replace(&xml, format!(r#"<c r="G{c1}" s="$1"><f>400+12</f><v>412</v></c>"#).as_str()).into_owned()
    });
    let said = errors(template::read(&bad, &plan, &sct(&plan)));
    assert!(said.contains(&format!("cell G{c1}: holds a formula (=400+12); type the figure itself")), "{said}");
    let formula = CellProblem::Formula { formula: "400+12".into() };
    assert_eq!(refused(template::read(&bad, &plan, &sct(&plan))), vec![entry(format!("G{c1}"), formula)]);
}

#[test]
fn edited_labels_deleted_rows_and_merged_cells_are_refused() {
    let plan = plan();
    let spec = spec(&plan);
    let blank = template::write(&spec).unwrap();
    let c1 = row_of(&spec, "c.1");
    let d1 = row_of(&spec, "d.1");

    // A label rewritten in the cell.
    let edited = edit(&blank, |xml| {
        let re = regex::Regex::new(&format!(r#"<c r="C{c1}" s="(\d+)" t="s"><v>\d+</v></c>"#)).unwrap();
        assert!(re.is_match(&xml));
        re.replace(&xml, format!(r#"<c r="C{c1}" s="$1" t="inlineStr"><is><t>Xuất khẩu</t></is></c>"#).as_str())
            .into_owned()
    });
    let said = errors(template::read(&edited, &plan, &sct(&plan)));
    assert!(said.contains(&format!("cell B{c1}: the label of c.1 was edited")), "{said}");
    let c = &spec.rows[c1 - 6];
    let label = CellProblem::LabelEdited { key: "c.1".into(), name: c.name.clone(), unit: c.unit.clone() };
    assert_eq!(refused(template::read(&edited, &plan, &sct(&plan))), vec![entry(format!("B{c1}"), label)]);

    // A row deleted: the rows below move up, the last row is empty.
    let deleted = edit(&blank, |xml| {
        let re = regex::Regex::new(&format!(r#"<row r="{c1}"[^>]*>.*?</row>"#)).unwrap();
        let xml = re.replace(&xml, "").into_owned();
        xml.replace(&format!(r#"<row r="{d1}""#), &format!(r#"<row r="{c1}""#))
            .replace(&format!(r#"r="A{d1}""#), &format!(r#"r="A{c1}""#))
            .replace(&format!(r#"r="B{d1}""#), &format!(r#"r="B{c1}""#))
            .replace(&format!(r#"r="C{d1}""#), &format!(r#"r="C{c1}""#))
            .replace(&format!(r#"r="D{d1}""#), &format!(r#"r="D{c1}""#))
    });
    let found = refused(template::read(&deleted, &plan, &sct(&plan)));
    let name = |key: &str| spec.rows.iter().find(|r| r.key == key).unwrap().name.clone();
    let moved = CellProblem::RowMoved { key: "c.1".into(), name: name("c.1"), found: "d.1".into() };
    let deleted = CellProblem::RowDeleted { key: "d.1".into(), name: name("d.1") };
    assert_eq!(found, vec![entry(format!("B{c1}"), moved), entry(format!("B{d1}"), deleted)]);

    // Two input cells merged.
    let merged = edit(&blank, |xml| {
        let at = xml.find("</sheetData>").unwrap() + "</sheetData>".len();
        let (head, tail) = xml.split_at(at);
        let tail = match tail.find("<mergeCells") {
            Some(_) => tail.replacen("<mergeCells count=\"", "<mergeCells count=\"1", 1).replacen(
                "\">",
                &format!("\"><mergeCell ref=\"G{c1}:G{d1}\"/>"),
                1,
            ),
            None => format!("<mergeCells count=\"1\"><mergeCell ref=\"G{c1}:G{d1}\"/></mergeCells>{tail}"),
        };
        format!("{head}{tail}")
    });
    let said = errors(template::read(&merged, &plan, &sct(&plan)));
    assert!(said.contains(&format!("cells G{c1}:G{d1} were merged")), "{said}");
    let cells = CellProblem::Merged { from: format!("G{c1}"), to: format!("G{d1}") };
    assert!(refused(template::read(&merged, &plan, &sct(&plan))).contains(&entry(format!("G{c1}"), cells)));
}

#[test]
fn a_workbook_that_is_not_ours_or_is_broken_is_refused_whole() {
    let plan = plan();
    let mut other = rust_xlsxwriter::Workbook::new();
    other.add_worksheet().write_string(0, 0, "Chỉ tiêu").unwrap();
    let said = errors(template::read(&other.save_to_buffer().unwrap(), &plan, &sct(&plan)));
    assert!(said.contains("this workbook was not made by `kehoach template`"), "{said}");
    let sheets = CellProblem::NotATemplate { sheets: vec!["Sheet1".into()] };
    assert_eq!(refused(template::read(&other.save_to_buffer().unwrap(), &plan, &sct(&plan))), vec![at("", "", sheets)]);

    let good = template::write(&spec(&plan)).unwrap();
    let said = errors(template::read(&good[..good.len() / 2], &plan, &sct(&plan)));
    assert!(said.contains("not an Excel workbook (.xlsx) or it is damaged"), "{said}");
    let said = errors(template::read(b"measure,period,value\n", &plan, &sct(&plan)));
    assert!(said.contains("not an Excel workbook"), "{said}");
    let found = refused(template::read(b"measure,period,value\n", &plan, &sct(&plan)));
    assert!(matches!(&found[..], [CellError { problem: CellProblem::NotAWorkbook { .. }, .. }]), "{found:?}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Any figure a person can type (up to 15 significant digits, which is
    /// what a spreadsheet keeps) comes back exactly, as a number or as text
    /// written the Vietnamese way.
    #[test]
    fn typed_figures_round_trip_exactly(
        mantissa in proptest::prop_oneof![0i64..1_000_000, 0i64..999_999_999_999_999],
        scale in 0u32..=4,
        as_text: bool,
    ) {
        let plan = plan();
        let spec = spec(&plan);
        let value = Decimal::new(mantissa, scale);
        // A thousand billion or more is refused (see
        // `a_figure_no_store_can_hold_exactly_is_refused`).
        proptest::prop_assume!(value < Decimal::from(kehoach_domain::value::MAX_MAGNITUDE));
        let c1 = row_of(&spec, "c.1");
        let cell = format!("G{c1}");
        let filled = edit(&template::write(&spec).unwrap(), |xml| {
            if as_text {
                put_text(xml, &cell, &kehoach_domain::number::format_vi(value))
            } else {
                put(xml, &cell, &value.to_string())
            }
        });
        let read = template::read(&filled, &plan, &sct(&plan)).unwrap();
        proptest::prop_assert_eq!(read.figures.len(), 1);
        proptest::prop_assert_eq!(read.figures[0].value.normalize(), value.normalize());
    }
}

/// A figure past what the store, the engine and the reports hold exactly
/// is refused with its cell, not rounded.
#[test]
fn a_figure_no_store_can_hold_exactly_is_refused() {
    let plan = plan();
    let spec = spec(&plan);
    let c1 = row_of(&spec, "c.1");
    for (typed, why) in [("10000000000000000000", "is too large"), ("0,0000000000000000001", "decimals")] {
        let filled = edit(&template::write(&spec).unwrap(), |xml| put_text(xml, &format!("G{c1}"), typed));
        let said = errors(template::read(&filled, &plan, &spec));
        assert!(said.contains(&format!("cell G{c1}")) && said.contains(why), "{typed}: {said}");
    }
}

/// Found by the fuzz target: a sheet whose dimension is `y1:I6` (start
/// after end) made the spreadsheet reader panic. It is a damaged workbook.
#[test]
fn a_workbook_that_makes_the_reader_panic_is_refused_as_damaged() {
    let plan = plan();
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/dimension-y1-i6.xlsx")).unwrap();
    let said = errors(template::read(&bytes, &plan, &sct(&plan)));
    // The fuzzer's file is of the first template layout, refused before its
    // sheets are read; today's template with the same dimension is damaged.
    assert!(said.contains("damaged") || said.contains("earlier version of kehoach"), "{said}");
    let broken = edit(&template::write(&sct(&plan)).unwrap(), |xml| {
        let re = regex::Regex::new(r#"<dimension ref="[^"]*"/>"#).unwrap();
        assert!(re.is_match(&xml));
        re.replace(&xml, r#"<dimension ref="y1:I6"/>"#).into_owned()
    });
    let said = errors(template::read(&broken, &plan, &sct(&plan)));
    assert!(said.contains("damaged"), "{said}");
}

/// Found by an attack on a release build: one cell at XFD1048576 made the
/// spreadsheet reader allocate the whole range (half a terabyte) and the
/// process abort; a cell at ZZ100000 took 2.2 GB. Both are refused before
/// the reader sees the workbook, naming the cell.
#[test]
fn a_cell_far_beyond_the_template_is_refused_before_it_is_read() {
    let plan = plan();
    let spec = spec(&plan);
    for far in ["XFD1048576", "ZZ100000"] {
        let bad = edit(&template::write(&spec).unwrap(), |xml| {
            xml.replace(
                "</sheetData>",
                &format!(
                    r#"<row r="{0}"><c r="{1}"><v>1</v></c></row></sheetData>"#,
                    &far[far.find(|c: char| c.is_ascii_digit()).unwrap()..],
                    far
                ),
            )
        });
        let said = errors(template::read(&bad, &plan, &spec));
        let row = &far[far.find(|c: char| c.is_ascii_digit()).unwrap()..];
        assert!(
            said.contains(&format!("reaches cell {row}")) || said.contains(&format!("reaches cell {far}")),
            "{far}: {said}"
        );
        assert!(said.contains("beyond what a template holds"), "{far}: {said}");
        let found = refused(template::read(&bad, &plan, &spec));
        let [CellError { problem: CellProblem::BeyondTemplate { cell, last_column, last_row, .. }, .. }] = &found[..]
        else {
            panic!("{found:?}")
        };
        assert!(cell == far || cell == row, "{found:?}");
        assert_eq!((last_column.as_str(), *last_row), ("Z", 20_000));
        let said = template::header(&bad).unwrap_err().to_string();
        assert!(said.contains("beyond what a template holds"), "{said}");
    }
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    let plan = plan();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..70 {
        zip.write_all(&zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 1024 * 1024, "small on the wire: {} bytes", bytes.len());
    let said = errors(template::read(&bytes, &plan, &sct(&plan)));
    assert!(said.contains("unpacks to 70 MB"), "{said}");
    let bomb = CellProblem::TooLarge { unpacked_mb: 70, max_mb: 64 };
    assert_eq!(refused(template::read(&bytes, &plan, &sct(&plan))), vec![at("", "", bomb)]);
}
