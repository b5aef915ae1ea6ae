//! Office files (XLSX, DOCX) are zip archives of XML parts: a test edits
//! one part, as a spreadsheet program or a hand would, and keeps the rest.

use std::io::{Cursor, Read, Write};

/// The archive with its part `part` rewritten by `edit`.
pub fn rewrite(bytes: &[u8], part: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("a part");
        let name = file.name().expect("a part name").to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("the part reads");
        if name == part {
            content = edit(String::from_utf8(content).expect("an XML part")).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("a part written");
        out.write_all(&content).expect("a part written");
    }
    out.finish().expect("the archive written").into_inner()
}
