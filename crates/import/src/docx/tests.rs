//! The DOCX reader on files built in memory.

use super::testing::{build_docx, build_docx_with_styles, build_zip, document, numbering};
use super::*;
use proptest::prelude::*;

fn p(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

fn numbered(num_id: u32, ilvl: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn lvl(ilvl: u32, fmt: &str, text: &str) -> String {
    format!(
        r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>"#
    )
}

fn abstract_num(id: u32, levels: &[String]) -> String {
    format!(
        r#"<w:abstractNum w:abstractNumId="{id}"><w:multiLevelType w:val="hybridMultilevel"/>{}</w:abstractNum>"#,
        levels.concat()
    )
}

fn num(num_id: u32, abstract_id: u32) -> String {
    format!(r#"<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>"#)
}

fn text_of(body: &str) -> String {
    docx_to_text(&build_docx(&document(body), None)).expect("valid docx")
}

fn text_with_numbering(body: &str, numbering_content: &str) -> String {
    let numbering = numbering(numbering_content);
    docx_to_text(&build_docx(&document(body), Some(&numbering))).expect("valid docx")
}

#[test]
fn paragraphs_one_per_line() {
    let body = [
        p("HỘI ĐỒNG NHÂN DÂN"),
        "<w:p/>".to_owned(),
        r#"<w:p><w:r><w:t>Nghị </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>quyết</w:t></w:r></w:p>"#.to_owned(),
    ]
    .concat();
    assert_eq!(text_of(&body), "HỘI ĐỒNG NHÂN DÂN\n\nNghị quyết\n");
}

#[test]
fn tabs_breaks_hyphens_and_symbols() {
    let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t><w:noBreakHyphen/><w:t>e</w:t><w:sym w:font="Symbol" w:char="F0B7"/><w:softHyphen/><w:t>f</w:t></w:r></w:p>"#;
    assert_eq!(text_of(body), "a\tb\nc\nd-ef\n");
}

#[test]
fn page_break_adds_no_empty_line() {
    let body = r#"<w:p><w:r><w:br w:type="page"/></w:r><w:r><w:t>Điều 1</w:t></w:r></w:p><w:p><w:r><w:t>x</w:t><w:br w:type="page"/><w:t>y</w:t></w:r></w:p>"#;
    assert_eq!(text_of(body), "Điều 1\nx\ny\n");
}

#[test]
fn entities_are_decoded() {
    let body = p("GRDP &gt; 7% &amp; thu ng&#226;n s&#xE1;ch &lt;= &quot;100&quot; &apos;tỷ&apos;");
    assert_eq!(text_of(&body), "GRDP > 7% & thu ngân sách <= \"100\" 'tỷ'\n");
}

#[test]
fn tracked_changes_are_shown_accepted() {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">Tăng </w:t></w:r><w:del w:id="1" w:author="A"><w:r><w:delText>5%</w:delText></w:r></w:del><w:ins w:id="2" w:author="A"><w:r><w:t>7%</w:t></w:r></w:ins><w:moveFrom w:id="3"><w:r><w:t>cũ</w:t></w:r></w:moveFrom></w:p>"#;
    assert_eq!(text_of(body), "Tăng 7%\n");
}

#[test]
fn deleted_paragraph_mark_joins_the_next_paragraph() {
    let body = [
        r#"<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="A"/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">đầu </w:t></w:r></w:p>"#,
        &p("cuối"),
        r#"<w:p><w:pPr><w:rPr><w:del w:id="2" w:author="A"/></w:rPr></w:pPr><w:del w:id="3" w:author="A"><w:r><w:delText>bỏ hẳn</w:delText></w:r></w:del></w:p>"#,
        &p("tiếp"),
    ]
    .concat();
    assert_eq!(text_of(&body), "đầu cuối\ntiếp\n");
}

#[test]
fn field_codes_are_dropped_and_results_kept() {
    let body = r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:hyperlink r:id="rId9"><w:r><w:t>, xem</w:t></w:r></w:hyperlink></w:p>"#;
    assert_eq!(text_of(body), "3, xem\n");
}

#[test]
fn table_rows_become_lines() {
    let cell = |t: &str| format!("<w:tc><w:tcPr><w:tcW w:w=\"1000\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>", p(t));
    let row = |cells: &[&str]| {
        format!("<w:tr><w:trPr><w:tblHeader/></w:trPr>{}</w:tr>", cells.iter().map(|c| cell(c)).collect::<String>())
    };
    let body = [
        p("Các chỉ tiêu chủ yếu:"),
        format!(
            "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"1000\"/></w:tblGrid>{}{}</w:tbl>",
            row(&["Stt", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch 2025"]),
            row(&["1", "Tốc độ tăng trưởng GRDP", "%", "8"]),
        ),
        p("Điều 2."),
    ]
    .concat();
    assert_eq!(
        text_of(&body),
        "Các chỉ tiêu chủ yếu:\n\nStt | Chỉ tiêu | Đơn vị tính | Kế hoạch 2025\n1 | Tốc độ tăng trưởng GRDP | % | 8\n\nĐiều 2.\n"
    );
}

#[test]
fn table_cells_spans_nesting_and_deleted_rows() {
    let body = [
        "<w:tbl><w:tr>",
        // gridSpan: emitted once
        r#"<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Chỉ tiêu</w:t></w:r></w:p></w:tc>"#,
        // two paragraphs, a line break and an empty paragraph
        r#"<w:tc><w:p><w:r><w:t>Kế hoạch</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>năm</w:t><w:br/><w:t>2025</w:t></w:r></w:p></w:tc>"#,
        // nested table flattens into the cell
        r#"<w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc>"#,
        "</w:tr>",
        r#"<w:tr><w:trPr><w:del w:id="1" w:author="A"/></w:trPr><w:tc><w:p><w:r><w:t>bỏ</w:t></w:r></w:p></w:tc></w:tr>"#,
        r#"<w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>"#,
        "</w:tbl>",
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>bảng 2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        "<w:p/>",
    ]
    .concat();
    assert_eq!(text_of(&body), "Chỉ tiêu | Kế hoạch năm 2025 | A B\n | x\n\nbảng 2\n\n\n");
}

#[test]
fn text_boxes_are_read_once_inline() {
    let body = r#"<w:p><w:r><w:t>Trước</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>sau</w:t></w:r></w:p>"#;
    assert_eq!(text_of(body), "Trước\nDỰ THẢO\nsau\n");
}

#[test]
fn numbering_inside_text_boxes_follows_paragraph_order() {
    let numbering = [abstract_num(1, &[lvl(0, "lowerLetter", "%1)")]), num(1, 1)].concat();
    let body = [
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>ngoài</w:t></w:r><w:r><w:pict><v:shape><v:textbox><w:txbxContent>"#,
        &numbered(1, 0, "trong hộp"),
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>",
        &numbered(1, 0, "sau"),
    ]
    .concat();
    assert_eq!(text_with_numbering(&body, &numbering), "a) ngoài\nb) trong hộp\nc) sau\n");
}

#[test]
fn lettered_items_follow_the_vietnamese_alphabet() {
    let numbering = [abstract_num(1, &[lvl(0, "lowerLetter", "%1)")]), num(1, 1)].concat();
    let items = ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy"];
    let body: String = items.iter().map(|t| numbered(1, 0, t)).collect();
    assert_eq!(text_with_numbering(&body, &numbering), "a) một\nb) hai\nc) ba\nd) bốn\nđ) năm\ne) sáu\ng) bảy\n");
}

#[test]
fn decimal_parenthesised_and_multilevel_numbering() {
    let numbering = [
        abstract_num(1, &[lvl(0, "decimal", "%1."), lvl(1, "decimal", "%1.%2."), lvl(2, "lowerLetter", "%3)")]),
        abstract_num(2, &[lvl(0, "decimal", "(%1)")]),
        abstract_num(3, &[lvl(0, "upperRoman", "%1."), lvl(1, "bullet", "")]),
        num(1, 1),
        num(2, 2),
        num(3, 3),
    ]
    .concat();
    let body = [
        numbered(3, 0, "MỤC TIÊU"),
        numbered(3, 1, "gạch đầu dòng"),
        numbered(3, 0, "NHIỆM VỤ"),
        numbered(1, 0, "Kinh tế"),
        numbered(1, 1, "Nông nghiệp"),
        numbered(1, 2, "lúa"),
        numbered(1, 2, "ngô"),
        numbered(1, 1, "Công nghiệp"),
        numbered(1, 2, "điện"),
        numbered(1, 0, "Xã hội"),
        numbered(1, 1, "Giáo dục"),
        numbered(2, 0, "một"),
        numbered(2, 0, "hai"),
        p("không đánh số"),
    ]
    .concat();
    assert_eq!(
        text_with_numbering(&body, &numbering),
        "I. MỤC TIÊU\n- gạch đầu dòng\nII. NHIỆM VỤ\n\
         1. Kinh tế\n1.1. Nông nghiệp\na) lúa\nb) ngô\n1.2. Công nghiệp\na) điện\n\
         2. Xã hội\n2.1. Giáo dục\n(1) một\n(2) hai\nkhông đánh số\n"
    );
}

#[test]
fn start_values_overrides_and_suffixes() {
    let numbering = [
        r#"<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:suff w:val="nothing"/><w:lvlText w:val="Điều %1. "/></w:lvl></w:abstractNum>"#,
        &num(1, 7),
        r#"<w:num w:numId="2"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#,
        // a Word 2010 custom format with its fallback
        r#"<w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:start w:val="1"/><mc:AlternateContent><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="01, 02, 03, ..."/></mc:Choice><mc:Fallback><w:numFmt w:val="decimalZero"/></mc:Fallback></mc:AlternateContent><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>"#,
        &num(3, 8),
        // shares abstractNum 7 with no override: continues its sequence
        &num(4, 7),
    ]
    .concat();
    let body = [
        numbered(1, 0, "a"),
        numbered(1, 0, "b"),
        numbered(2, 0, "c"),
        numbered(2, 0, "d"),
        numbered(4, 0, "đ"),
        numbered(3, 0, "e"),
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>f</w:t></w:r></w:p>"#.to_owned(),
        numbered(99, 0, "g"),
    ]
    .concat();
    assert_eq!(
        text_with_numbering(&body, &numbering),
        "Điều 3. a\nĐiều 4. b\nĐiều 1. c\nĐiều 2. d\nĐiều 3. đ\n01. e\nf\ng\n"
    );
}

#[test]
fn numbering_from_paragraph_styles() {
    let numbering_xml = numbering(
        &[
            abstract_num(1, &[lvl(0, "decimal", "%1."), lvl(1, "lowerLetter", "%2)")]),
            num(5, 1),
            // a list whose levels live in a numbering style
            r#"<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="DanhSach"/></w:abstractNum>"#.to_owned(),
            num(6, 2),
        ]
        .concat(),
    );
    let styles = super::testing::styles(concat!(
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="Khoan"><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="Diem"><w:basedOn w:val="Khoan"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>"#,
        r#"<w:style w:type="numbering" w:styleId="DanhSach"><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>"#,
    ));
    let styled = |style: &str, text: &str| {
        format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    };
    let body = [
        styled("Khoan", "khoản"),
        styled("Diem", "điểm"),
        styled("Diem", "điểm"),
        p("thường"),
        styled("Khoan", "khoản"),
        numbered(6, 1, "điểm qua numStyleLink"),
    ]
    .concat();
    let docx = build_docx_with_styles(&document(&body), Some(&numbering_xml), Some(&styles));
    assert_eq!(
        docx_to_text(&docx).unwrap(),
        "1. khoản\na) điểm\nb) điểm\nthường\n2. khoản\na) điểm qua numStyleLink\n"
    );
}

#[test]
fn numbered_paragraphs_without_numbering_part_have_no_label() {
    let body = numbered(1, 0, "không có numbering.xml");
    assert_eq!(text_of(&body), "không có numbering.xml\n");
}

#[test]
fn letters_and_numerals() {
    let letters: Vec<String> = (1..=24).map(|n| vietnamese_letter(n, false)).collect();
    assert_eq!(letters.join(""), "abcdđeghiklmnopqrstuvxyaa");
    assert_eq!(vietnamese_letter(5, true), "Đ");
    assert_eq!(vietnamese_letter(0, false), "0");
    assert_eq!(vietnamese_letter(u32::MAX, false), u32::MAX.to_string());
    assert_eq!(roman(1994), "MCMXCIV");
    assert_eq!(roman(0), "0");
    assert_eq!(format_number(4, NumFmt::LowerRoman), "iv");
    assert_eq!(format_number(7, NumFmt::DecimalZero), "07");
}

#[test]
fn archive_without_relationships_uses_conventional_names() {
    let numbering = numbering(&[abstract_num(1, &[lvl(0, "lowerLetter", "%1)")]), num(1, 1)].concat());
    let document = document(&numbered(1, 0, "x"));
    let zip = build_zip(&[("word/document.xml", document.as_bytes()), ("word/numbering.xml", numbering.as_bytes())]);
    assert_eq!(docx_to_text(&zip).unwrap(), "a) x\n");
}

#[test]
fn truncated_docx_is_an_error() {
    let docx = build_docx(&document(&p("Nghị quyết")), None);
    let half = &docx[..docx.len() / 2];
    let err = docx_to_text(half).unwrap_err();
    assert!(matches!(err, DocxError::Truncated(_)), "{err:?}");
    assert!(err.to_string().starts_with("the DOCX is truncated or corrupt: "));
}

#[test]
fn zip_without_document_is_an_error() {
    let zip = build_zip(&[("xl/workbook.xml", b"<workbook/>".as_slice())]);
    let err = docx_to_text(&zip).unwrap_err();
    assert!(matches!(err, DocxError::MissingDocument), "{err:?}");
    assert_eq!(err.to_string(), "word/document.xml is missing: not a Word document");
    // A main part that is not a Word document is no better.
    let zip = build_zip(&[("word/document.xml", b"<workbook/>".as_slice())]);
    assert!(matches!(docx_to_text(&zip), Err(DocxError::MissingDocument)));
}

#[test]
fn non_zip_is_an_error() {
    for (bytes, hint) in [
        (b"".as_slice(), "empty"),
        (b"%PDF-1.7".as_slice(), "PDF"),
        (b"Nghi quyet so 12".as_slice(), "no ZIP signature"),
    ] {
        let err = docx_to_text(bytes).unwrap_err();
        assert!(matches!(err, DocxError::NotZip(_)), "{err:?}");
        assert!(err.to_string().contains(hint), "{err}");
    }
    let mut doc = OLE_MAGIC.to_vec();
    doc.extend_from_slice(&[0; 512]);
    assert!(matches!(docx_to_text(&doc), Err(DocxError::LegacyOrEncrypted)));
}

#[test]
fn broken_xml_is_an_error() {
    for xml in [
        "<w:document xmlns:w=\"x\"><w:body><w:p>",
        "<w:document><w:body></w:p></w:body></w:document>",
        "",
        &format!("<w:document>{}", "<w:p>".repeat(MAX_DEPTH + 1)),
    ] {
        let zip = build_zip(&[("word/document.xml", xml.as_bytes())]);
        let err = docx_to_text(&zip).unwrap_err();
        assert!(matches!(err, DocxError::Xml { .. }), "{xml:?}: {err:?}");
    }
    // A broken numbering part is reported, not silently dropped: the
    // labels it defines are what the importer keys targets by.
    let docx = build_docx(&document(&p("x")), Some("<w:numbering><w:num>"));
    let err = docx_to_text(&docx).unwrap_err();
    assert!(err.to_string().starts_with("word/numbering.xml is not well-formed XML"), "{err}");
    let zip = build_zip(&[("word/document.xml", b"\xC0\xC1".as_slice())]);
    assert!(matches!(docx_to_text(&zip), Err(DocxError::Encoding { .. })));
}

#[test]
fn utf16_document_is_read() {
    let xml = document(&p("Tiếng Việt"));
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
    let zip = build_zip(&[("word/document.xml", &bytes)]);
    assert_eq!(docx_to_text(&zip).unwrap(), "Tiếng Việt\n");
}

/// A deflated zip (under 1 MiB) holding 50 MiB + 1 of spaces as
/// word/document.xml; built once, it takes a few seconds.
fn zip_bomb() -> &'static [u8] {
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BOMB.get_or_init(|| build_bomb(MAX_PART_BYTES as usize + 1))
}

fn build_bomb(size: usize) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    zip.start_file("word/document.xml", options).unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        zip.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    zip.finish().unwrap().into_inner()
}

/// Overwrites the uncompressed size recorded for every entry.
fn lie_about_sizes(zip: &mut [u8], size: u32) {
    for i in 0..zip.len().saturating_sub(4) {
        let at = match &zip[i..i + 4] {
            b"PK\x03\x04" => i + 22,
            b"PK\x01\x02" => i + 24,
            _ => continue,
        };
        if at + 4 <= zip.len() {
            zip[at..at + 4].copy_from_slice(&size.to_le_bytes());
        }
    }
}

#[test]
fn oversized_document_is_refused() {
    let bomb = zip_bomb();
    assert!(bomb.len() < 1 << 20);
    let err = docx_to_text(bomb).unwrap_err();
    assert!(matches!(err, DocxError::TooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("zip bomb"), "{err}");
}

#[test]
fn lying_size_header_is_no_way_around_the_cap() {
    // The zip crate itself notices; the capped read is the second line.
    let mut bomb = zip_bomb().to_vec();
    lie_about_sizes(&mut bomb, 100);
    let err = docx_to_text(&bomb).unwrap_err();
    assert!(matches!(err, DocxError::TooLarge { .. } | DocxError::Truncated(_)), "{err:?}");
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = docx_to_text(&bytes);
        let mut zipish = b"PK\x03\x04".to_vec();
        zipish.extend_from_slice(&bytes);
        let _ = docx_to_text(&zipish);
    }

    #[test]
    fn damaged_docx_never_panics(cut in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        let numbering = numbering(&[abstract_num(1, &[lvl(0, "lowerLetter", "%1)")]), num(1, 1)].concat());
        let body = [p("Nghị quyết"), numbered(1, 0, "mục"), "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>".to_owned()].concat();
        let docx = build_docx(&document(&body), Some(&numbering));
        let _ = docx_to_text(&docx[..cut.index(docx.len() + 1)]);
        let mut flipped = docx.clone();
        flipped[flip.index(docx.len())] ^= 1 << bit;
        let _ = docx_to_text(&flipped);
    }

    #[test]
    fn arbitrary_document_xml_never_panics(xml in "(<[/]?w:(p|r|t|tbl|tr|tc|pPr|numPr|numId|ilvl|del|txbxContent|br|tab)( w:val=\"[0-9]\")?[/]?>|[a-z &;#0-9<>]){0,64}") {
        let numbering = numbering(&[abstract_num(1, &[lvl(0, "decimal", "%1.%2.")]), num(1, 1)].concat());
        let docx = build_docx(&format!("<w:document xmlns:w=\"{W_NS}\">{xml}</w:document>"), Some(&numbering));
        let _ = docx_to_text(&docx);
    }
}
