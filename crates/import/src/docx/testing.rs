//! Builds small DOCX files in memory, for tests here and in the crate's
//! integration tests.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const NAMESPACES: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
    r#"xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" "#,
    r#"xmlns:v="urn:schemas-microsoft-com:vml" "#,
    r#"xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape""#,
);

/// A complete `word/document.xml` around the given `w:body` content.
pub fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {NAMESPACES}><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    )
}

/// A complete `word/numbering.xml` around the given `w:abstractNum` and
/// `w:num` elements.
pub fn numbering(content: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {NAMESPACES}>{content}</w:numbering>"#
    )
}

/// A complete `word/styles.xml` around the given `w:style` elements.
pub fn styles(content: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {NAMESPACES}>{content}</w:styles>"#
    )
}

/// A DOCX of plain text, one paragraph per line, as a word processor
/// saves a text pasted into it.
pub fn docx_of_text(text: &str) -> Vec<u8> {
    let paragraphs: String = text
        .lines()
        .map(|l| {
            let escaped = l.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            format!("<w:p><w:r><w:t xml:space=\"preserve\">{escaped}</w:t></w:r></w:p>")
        })
        .collect();
    build_docx(&document(&paragraphs), None)
}

/// A DOCX that Word opens: content types, relationships, the document
/// and, if given, the numbering part.
pub fn build_docx(document_xml: &str, numbering_xml: Option<&str>) -> Vec<u8> {
    build_docx_with_styles(document_xml, numbering_xml, None)
}

/// [`build_docx`] with an optional `word/styles.xml` as well.
pub fn build_docx_with_styles(document_xml: &str, numbering_xml: Option<&str>, styles_xml: Option<&str>) -> Vec<u8> {
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const CT: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut overrides = format!(r#"<Override PartName="/word/document.xml" ContentType="{CT}.document.main+xml"/>"#);
    let mut rels = String::new();
    if numbering_xml.is_some() {
        overrides.push_str(&format!(r#"<Override PartName="/word/numbering.xml" ContentType="{CT}.numbering+xml"/>"#));
        rels.push_str(&format!(r#"<Relationship Id="rId1" Type="{REL}/numbering" Target="numbering.xml"/>"#));
    }
    if styles_xml.is_some() {
        overrides.push_str(&format!(r#"<Override PartName="/word/styles.xml" ContentType="{CT}.styles+xml"/>"#));
        rels.push_str(&format!(r#"<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>"#));
    }
    let content_types = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>"#
    );
    let package_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>"#
    );
    let document_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", package_rels.as_bytes()),
        ("word/_rels/document.xml.rels", document_rels.as_bytes()),
        ("word/document.xml", document_xml.as_bytes()),
    ];
    if let Some(numbering) = numbering_xml {
        parts.push(("word/numbering.xml", numbering.as_bytes()));
    }
    if let Some(styles) = styles_xml {
        parts.push(("word/styles.xml", styles.as_bytes()));
    }
    build_zip(&parts)
}

/// A ZIP archive (deflated) holding exactly these entries.
pub fn build_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(*name, options).expect("writing a zip entry to memory");
        zip.write_all(data).expect("writing a zip entry to memory");
    }
    zip.finish().expect("finishing a zip in memory").into_inner()
}
