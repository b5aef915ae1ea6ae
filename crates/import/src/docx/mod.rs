//! DOCX to plain text.
//!
//! [`docx_to_text`] reads the main document part of a Word file and renders
//! what a reader sees on the page as plain text, for the importer to parse:
//!
//! - one line per paragraph (`w:p`), the text of its runs concatenated;
//!   `w:tab` becomes a tab, `w:br`/`w:cr` a newline inside the paragraph,
//!   `w:noBreakHyphen` a `-`; `w:sym`, soft hyphens and field codes are dropped;
//! - tracked changes are shown accepted: deleted text (`w:del`, `w:delText`,
//!   `w:moveFrom`) is skipped, inserted text (`w:ins`, `w:moveTo`) kept, a
//!   deleted paragraph mark joins the paragraph to the next one, a deleted
//!   table row is dropped;
//! - automatic numbering is rendered as the label Word shows (`1.`, `a)`,
//!   `(1)`, `1.1.`, …) followed by a space, bullets as `- `, from
//!   `word/numbering.xml` and the paragraph styles in `word/styles.xml`;
//! - a table row becomes one line, cells joined by ` | ` (a cell's paragraphs
//!   joined by a space, nested tables flattened into the cell), with an empty
//!   line before and after the table;
//! - text boxes (`w:txbxContent`) are read inline, on their own lines inside
//!   the anchoring paragraph; headers, footers, footnotes, endnotes and
//!   comments live in other parts and are not read.
//!
//! Every line ends with `\n`. The text is returned as stored: Unicode
//! normalisation and legacy-font conversion are the caller's business.
//!
//! The reader never panics on bad input and refuses parts over
//! [`MAX_PART_BYTES`] uncompressed, so a zip bomb costs at most that much
//! memory per part.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use kehoach_domain::alphabet::ITEM_LETTERS;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};
use zip::ZipArchive;
use zip::result::ZipError;

/// Largest uncompressed size of any part we read (document, numbering,
/// styles, relationships): 50 MiB. A real resolution is well under 1 MiB.
pub const MAX_PART_BYTES: u64 = 50 * 1024 * 1024;

/// Why a DOCX could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocxError {
    /// The bytes are not a ZIP archive at all.
    #[error("the file is not a DOCX (ZIP) archive: {0}")]
    NotZip(String),
    /// An OLE compound file: a Word 97-2003 `.doc`, or an encrypted DOCX.
    #[error(
        "the file is an old Word 97-2003 .doc or a password-protected document, not a plain .docx: \
         open it in Word or LibreOffice and save it as .docx without a password"
    )]
    LegacyOrEncrypted,
    /// The archive starts like a ZIP but cannot be read: cut short or damaged.
    #[error("the DOCX is truncated or corrupt: {0}")]
    Truncated(String),
    /// The archive uses a ZIP feature this reader lacks (compression method,
    /// ZIP-level encryption).
    #[error("the DOCX uses a ZIP feature this reader does not support: {0}")]
    Unsupported(String),
    /// There is no main document part, or it is not a Word document.
    #[error("word/document.xml is missing: not a Word document")]
    MissingDocument,
    /// A part is bigger uncompressed than [`MAX_PART_BYTES`].
    #[error("{part} is larger than {limit} bytes uncompressed; refusing to read it (possible zip bomb)")]
    TooLarge { part: String, limit: u64 },
    /// A part is not UTF-8 (or UTF-16 with a byte-order mark).
    #[error("{part} is not valid UTF-8 or UTF-16 text: {message}")]
    Encoding { part: String, message: String },
    /// A part is not well-formed XML.
    #[error("{part} is not well-formed XML (at byte {position}): {message}")]
    Xml { part: String, position: u64, message: String },
}

/// Converts the bytes of a `.docx` file to plain text (see the module docs
/// for the layout).
pub fn docx_to_text(bytes: &[u8]) -> Result<String, DocxError> {
    let mut archive = open_archive(bytes)?;
    let doc_part = main_document_part(&mut archive)?;
    let doc_bytes = read_part(&mut archive, &doc_part)?.ok_or(DocxError::MissingDocument)?;
    let (numbering_part, styles_part) = document_parts(&mut archive, &doc_part)?;

    let styles = match styles_part {
        Some(part) => match read_part(&mut archive, &part)? {
            Some(bytes) => parse_styles(&part, &decode_text(&part, &bytes)?)?,
            None => Styles::default(),
        },
        None => Styles::default(),
    };
    let numbering = match numbering_part {
        Some(part) => match read_part(&mut archive, &part)? {
            Some(bytes) => parse_numbering(&part, &decode_text(&part, &bytes)?)?,
            None => Numbering::default(),
        },
        None => Numbering::default(),
    };
    let text = decode_text(&doc_part, &doc_bytes)?;
    render_document(&doc_part, &text, &numbering, &styles)
}

// ---------------------------------------------------------------------------
// The archive
// ---------------------------------------------------------------------------

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn open_archive(bytes: &[u8]) -> Result<ZipArchive<Cursor<&[u8]>>, DocxError> {
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(DocxError::LegacyOrEncrypted);
    }
    match ZipArchive::new(Cursor::new(bytes)) {
        Ok(archive) => Ok(archive),
        Err(err) if bytes.starts_with(b"PK") => Err(zip_error("the archive", err)),
        Err(_) => Err(DocxError::NotZip(sniff(bytes).to_owned())),
    }
}

/// A short guess at what a non-ZIP file is, for the error message.
fn sniff(bytes: &[u8]) -> &'static str {
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes).trim_ascii_start();
    if bytes.is_empty() {
        "the file is empty"
    } else if head.starts_with(b"%PDF") {
        "it is a PDF file"
    } else if head.starts_with(b"{\\rtf") {
        "it is an RTF file"
    } else if head.starts_with(b"<") {
        "it is an XML or HTML file (a Word 2003 XML or web page saved with a .docx name?)"
    } else {
        "no ZIP signature found"
    }
}

fn zip_error(part: &str, err: ZipError) -> DocxError {
    match err {
        ZipError::UnsupportedArchive(msg) => DocxError::Unsupported(format!("{part}: {msg}")),
        ZipError::CompressionMethodNotSupported(method) => {
            DocxError::Unsupported(format!("{part}: compression method {method}"))
        }
        ZipError::InvalidPassword => DocxError::Unsupported(format!("{part} is encrypted")),
        other => DocxError::Truncated(format!("{part}: {other}")),
    }
}

/// Finds a part by name. OPC part names are case-insensitive, so fall back to
/// a case-insensitive scan when the exact name is not there.
fn find_part(archive: &ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<usize> {
    archive.index_for_name(name).or_else(|| {
        (0..archive.len()).find(|&i| {
            matches!(archive.name_for_index(i), Some(Ok(n))
                if n.trim_start_matches('/').eq_ignore_ascii_case(name))
        })
    })
}

/// Reads a whole part, at most [`MAX_PART_BYTES`]; `None` if it is absent.
fn read_part(archive: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<Vec<u8>>, DocxError> {
    let Some(index) = find_part(archive, name) else {
        return Ok(None);
    };
    let too_large = || DocxError::TooLarge { part: name.to_owned(), limit: MAX_PART_BYTES };
    let file = archive.by_index(index).map_err(|e| zip_error(name, e))?;
    if file.size() > MAX_PART_BYTES {
        return Err(too_large());
    }
    // The declared size may lie, so the cap is enforced on what is inflated.
    let mut buf = Vec::with_capacity(file.size().min(1 << 22) as usize);
    file.take(MAX_PART_BYTES + 1).read_to_end(&mut buf).map_err(|e| DocxError::Truncated(format!("{name}: {e}")))?;
    if buf.len() as u64 > MAX_PART_BYTES {
        return Err(too_large());
    }
    Ok(Some(buf))
}

/// XML parts are UTF-8 in practice; UTF-16 is allowed with a byte-order mark.
fn decode_text<'a>(part: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, DocxError> {
    let encoding_error = |message: String| DocxError::Encoding { part: part.to_owned(), message };
    let utf16 = |body: &[u8], unit: fn([u8; 2]) -> u16| -> Result<Cow<'a, str>, DocxError> {
        let pairs = body.chunks_exact(2);
        if !pairs.remainder().is_empty() {
            return Err(encoding_error("odd number of bytes in UTF-16 text".into()));
        }
        let units: Vec<u16> = pairs.map(|c| unit([c[0], c[1]])).collect();
        String::from_utf16(&units).map(Cow::Owned).map_err(|e| encoding_error(e.to_string()))
    };
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(body, u16::from_le_bytes)
    } else if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(body, u16::from_be_bytes)
    } else {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        std::str::from_utf8(body).map(Cow::Borrowed).map_err(|e| encoding_error(e.to_string()))
    }
}

// ---------------------------------------------------------------------------
// Relationships: where the parts are
// ---------------------------------------------------------------------------

const DEFAULT_DOCUMENT: &str = "word/document.xml";

struct Relationship {
    kind: String,
    target: String,
    external: bool,
}

/// The main document part named by `_rels/.rels`, else `word/document.xml`.
fn main_document_part(archive: &mut ZipArchive<Cursor<&[u8]>>) -> Result<String, DocxError> {
    for rel in read_relationships(archive, "_rels/.rels")?.unwrap_or_default() {
        if !rel.external && rel_type_is(&rel.kind, "officeDocument") {
            let part = resolve_target("", &rel.target);
            if find_part(archive, &part).is_some() {
                return Ok(part);
            }
        }
    }
    Ok(DEFAULT_DOCUMENT.to_owned())
}

/// The numbering and styles parts of the document. Without a readable
/// relationships part, the conventional names next to the document are used.
fn document_parts(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    doc_part: &str,
) -> Result<(Option<String>, Option<String>), DocxError> {
    let (dir, file) = doc_part.rsplit_once('/').unwrap_or(("", doc_part));
    let rels_part = if dir.is_empty() { format!("_rels/{file}.rels") } else { format!("{dir}/_rels/{file}.rels") };
    match read_relationships(archive, &rels_part)? {
        Some(rels) => {
            let find = |kind: &str| {
                rels.iter()
                    .find(|r| !r.external && rel_type_is(&r.kind, kind))
                    .map(|r| resolve_target(doc_part, &r.target))
            };
            Ok((find("numbering"), find("styles")))
        }
        None => Ok((Some(resolve_target(doc_part, "numbering.xml")), Some(resolve_target(doc_part, "styles.xml")))),
    }
}

/// Reads a relationships part. A missing or unreadable one is `None`: the
/// caller falls back to conventional names. Damage to the archive itself is
/// still an error.
fn read_relationships(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    part: &str,
) -> Result<Option<Vec<Relationship>>, DocxError> {
    let Some(bytes) = read_part(archive, part)? else {
        return Ok(None);
    };
    let Ok(text) = decode_text(part, &bytes) else {
        return Ok(None);
    };
    Ok(parse_relationships(part, &text).ok())
}

fn parse_relationships(part: &str, text: &str) -> Result<Vec<Relationship>, DocxError> {
    let mut rels = Vec::new();
    let mut xml = XmlWalker::new(part, text);
    loop {
        match xml.next()? {
            Item::Eof => return Ok(rels),
            Item::Open(_, e, _) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(kind), Some(target)) = (attr(&e, "Type"), attr(&e, "Target")) {
                    let external = attr(&e, "TargetMode").is_some_and(|m| m == "External");
                    rels.push(Relationship { kind, target, external });
                }
            }
            _ => {}
        }
    }
}

/// Relationship types are URIs (transitional and strict differ); the last
/// segment names the kind.
fn rel_type_is(kind: &str, name: &str) -> bool {
    kind.rsplit('/').next() == Some(name)
}

/// Resolves a relationship target against the part that holds it.
fn resolve_target(source_part: &str, target: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    // An absolute target starts from the package root.
    let base = if target.starts_with('/') { None } else { source_part.rsplit_once('/') };
    if let Some((dir, _)) = base {
        segments.extend(dir.split('/').filter(|s| !s.is_empty()));
    }
    for segment in target.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

// ---------------------------------------------------------------------------
// XML events
// ---------------------------------------------------------------------------

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_NS_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const MATH_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/math";
const MATH_NS_STRICT: &str = "http://purl.oclc.org/ooxml/officeDocument/math";

/// The namespaces we care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// WordprocessingML (also: no namespace at all, to read hand-made XML).
    W,
    /// Markup compatibility (`mc:AlternateContent`).
    Mc,
    /// Office Math.
    Math,
    Other,
}

fn ns_of(resolved: &ResolveResult<'_>) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) => match ns.into_inner() {
            W_NS | W_NS_STRICT => Ns::W,
            MC_NS => Ns::Mc,
            MATH_NS | MATH_NS_STRICT => Ns::Math,
            _ => Ns::Other,
        },
        ResolveResult::Unbound => Ns::W,
        ResolveResult::Unknown(prefix) => match prefix.as_str() {
            "w" => Ns::W,
            "mc" => Ns::Mc,
            "m" => Ns::Math,
            _ => Ns::Other,
        },
    }
}

enum Item<'i> {
    /// A start tag, or an empty element when the flag is set.
    Open(Ns, BytesStart<'i>, bool),
    Close,
    /// Character data, entities already decoded.
    Text(Cow<'i, str>),
    Eof,
}

/// Deepest element nesting accepted. Real documents stay far below it (each
/// nested table adds three levels, a text box about fifteen); the cap keeps
/// the renderer's walks up its stack of open elements short on hostile input.
const MAX_DEPTH: usize = 512;

/// A thin layer over quick-xml: resolves namespaces, decodes entities, and
/// reports an XML part that ends with elements still open.
struct XmlWalker<'i> {
    reader: NsReader<&'i [u8]>,
    part: String,
    depth: usize,
}

impl<'i> XmlWalker<'i> {
    fn new(part: &str, text: &'i str) -> Self {
        XmlWalker { reader: NsReader::from_str(text), part: part.to_owned(), depth: 0 }
    }

    fn error(&self, position: u64, message: String) -> DocxError {
        DocxError::Xml { part: self.part.clone(), position, message }
    }

    /// The next start tag or empty element of a part read for its structure
    /// alone: a closing tag pops `stack` (the caller's open elements), text
    /// is passed over; `None` at the end.
    fn next_open<T>(&mut self, stack: &mut Vec<T>) -> Result<Option<(Ns, BytesStart<'i>, bool)>, DocxError> {
        loop {
            match self.next()? {
                Item::Eof => return Ok(None),
                Item::Close => {
                    stack.pop();
                }
                Item::Text(_) => {}
                Item::Open(ns, e, empty) => return Ok(Some((ns, e, empty))),
            }
        }
    }

    fn next(&mut self) -> Result<Item<'i>, DocxError> {
        loop {
            let (ns, event) = match self.reader.read_resolved_event() {
                Ok((resolved, event)) => (ns_of(&resolved), event),
                Err(e) => {
                    let position = self.reader.error_position();
                    return Err(self.error(position, e.to_string()));
                }
            };
            return Ok(match event {
                Event::Start(_) if self.depth >= MAX_DEPTH => {
                    let position = self.reader.buffer_position();
                    let message = format!("elements are nested more than {MAX_DEPTH} deep");
                    return Err(self.error(position, message));
                }
                Event::Start(e) => {
                    self.depth += 1;
                    Item::Open(ns, e, false)
                }
                Event::Empty(e) => Item::Open(ns, e, true),
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    Item::Close
                }
                Event::Text(t) => Item::Text(t.xml10_content()),
                Event::CData(t) => Item::Text(t.xml10_content()),
                Event::GeneralRef(r) => match r.resolve_char_ref() {
                    Ok(Some(c)) => Item::Text(Cow::Owned(c.to_string())),
                    Ok(None) => Item::Text(match &*r {
                        "amp" => Cow::Borrowed("&"),
                        "lt" => Cow::Borrowed("<"),
                        "gt" => Cow::Borrowed(">"),
                        "quot" => Cow::Borrowed("\""),
                        "apos" => Cow::Borrowed("'"),
                        // No DTD can define others in OOXML; keep it visible.
                        other => Cow::Owned(format!("&{other};")),
                    }),
                    Err(e) => {
                        let position = self.reader.buffer_position();
                        return Err(self.error(position, e.to_string()));
                    }
                },
                Event::Eof if self.depth > 0 => {
                    let position = self.reader.buffer_position();
                    let message =
                        format!("the XML ends with {} element(s) still open: the part is truncated", self.depth);
                    return Err(self.error(position, message));
                }
                Event::Eof => Item::Eof,
                _ => continue,
            });
        }
    }
}

/// The value of the attribute with this local name (`w:val` → `"val"`).
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .map_while(Result::ok)
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(Cow::into_owned))
}

/// An OOXML on/off property: present without `w:val`, or with a true value.
fn on_off(e: &BytesStart<'_>) -> bool {
    attr(e, "val").is_none_or(|v| is_true(&v))
}

fn is_true(v: &str) -> bool {
    matches!(v.trim(), "1" | "true" | "on")
}

/// Numbering levels run 0..=8.
const LEVELS: usize = 9;

fn parse_level(v: Option<String>) -> Option<usize> {
    v?.trim().parse::<usize>().ok().filter(|&l| l < LEVELS)
}

mod numbering;
use numbering::*;

// ---------------------------------------------------------------------------
// document.xml
// ---------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Para {
    text: String,
    num_id: Option<String>,
    ilvl: Option<usize>,
    style: Option<String>,
    /// The paragraph mark is a tracked deletion: the text joins the next
    /// paragraph.
    mark_deleted: bool,
    /// A page break or text box asked for a line break before further text.
    break_before_text: bool,
    /// Whether the numbering label has been worked out (at the end of
    /// `w:pPr`, so that list counters advance in the order paragraphs
    /// start, even around paragraphs of a text box inside this one).
    numbered: bool,
    label: Option<Label>,
}

impl Para {
    fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.break_before_text {
            self.break_before_text = false;
            if !self.text.is_empty() && !self.text.ends_with('\n') && !s.starts_with('\n') {
                self.text.push('\n');
            }
        }
        self.text.push_str(s);
    }

    fn push_lines(&mut self, lines: &[String]) {
        let block = lines.iter().filter(|l| !l.is_empty()).cloned().collect::<Vec<_>>().join("\n");
        if block.is_empty() {
            return;
        }
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.text.push_str(&block);
        self.break_before_text = true;
    }
}

#[derive(Debug, Default)]
struct Row {
    cells: Vec<String>,
    deleted: bool,
}

/// An open element of document.xml.
#[derive(Debug)]
enum Node {
    Para(Para),
    PPr,
    NumPr,
    /// `w:pPr/w:rPr`: properties of the paragraph mark.
    MarkRPr,
    Table(Vec<Vec<String>>),
    Row(Row),
    RowPr,
    /// A table cell: its paragraphs (and flattened nested tables).
    Cell(Vec<String>),
    /// `w:txbxContent`: its lines.
    TextBox(Vec<String>),
    Run,
    /// `w:t` or `m:t`: the only elements whose character data is text.
    Text,
    /// `mc:AlternateContent`, remembering whether a branch was taken.
    Alternate {
        taken: bool,
    },
    /// Content that is not shown: its whole subtree is ignored.
    Skip,
    Other,
}

fn render_document(part: &str, text: &str, numbering: &Numbering, styles: &Styles) -> Result<String, DocxError> {
    let mut renderer = Renderer {
        stack: Vec::new(),
        skipping: 0,
        lines: Vec::new(),
        carry: String::new(),
        counters: Counters::new(numbering, styles),
    };
    let mut xml = XmlWalker::new(part, text);
    let mut seen_root = false;
    loop {
        match xml.next()? {
            Item::Eof => break,
            Item::Open(ns, e, empty) => {
                if !seen_root {
                    seen_root = true;
                    if e.local_name().as_ref() != "document" {
                        return Err(DocxError::MissingDocument);
                    }
                }
                renderer.open(ns, &e, empty);
            }
            Item::Close => renderer.close(),
            Item::Text(t) => renderer.text(&t),
        }
    }
    if !seen_root {
        return Err(DocxError::Xml {
            part: part.to_owned(),
            position: 0,
            message: "there is no root element".to_owned(),
        });
    }
    Ok(renderer.finish())
}

struct Renderer<'a> {
    stack: Vec<Node>,
    /// How many `Node::Skip` are open.
    skipping: usize,
    lines: Vec<String>,
    /// Text of paragraphs whose mark was deleted, waiting for the next one.
    carry: String,
    counters: Counters<'a>,
}

impl Renderer<'_> {
    fn open(&mut self, ns: Ns, e: &BytesStart<'_>, empty: bool) {
        if self.skipping > 0 {
            if !empty {
                self.stack.push(Node::Other);
            }
            return;
        }
        let node = self.classify(ns, e);
        if empty {
            self.finish_node(node);
        } else {
            if matches!(node, Node::Skip) {
                self.skipping += 1;
            }
            self.stack.push(node);
        }
    }

    fn close(&mut self) {
        match self.stack.pop() {
            Some(Node::Skip) => self.skipping = self.skipping.saturating_sub(1),
            Some(node) if self.skipping == 0 => self.finish_node(node),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.skipping == 0 && matches!(self.stack.last(), Some(Node::Text)) {
            // A line break in the XML source is not one on the page.
            let text = text.replace(['\r', '\n'], " ");
            self.push_text(&text);
        }
    }

    /// Decides what an element is, acting at once on the ones that stand
    /// for a character.
    fn classify(&mut self, ns: Ns, e: &BytesStart<'_>) -> Node {
        let local = e.local_name();
        let local = local.as_ref();
        match ns {
            Ns::W => {}
            Ns::Mc => return self.classify_alternate(local),
            Ns::Math if local == "t" => return Node::Text,
            _ => return Node::Other,
        }
        let parent = self.stack.last();
        let in_run = matches!(parent, Some(Node::Run));
        match local {
            "p" => Node::Para(Para::default()),
            "pPr" if matches!(parent, Some(Node::Para(_))) => Node::PPr,
            "numPr" if matches!(parent, Some(Node::PPr)) => Node::NumPr,
            "rPr" if matches!(parent, Some(Node::PPr)) => Node::MarkRPr,
            "pStyle" if matches!(parent, Some(Node::PPr)) => {
                let style = attr(e, "val");
                if let Some(p) = self.para_mut() {
                    p.style = style;
                }
                Node::Other
            }
            "numId" if matches!(parent, Some(Node::NumPr)) => {
                let num_id = attr(e, "val").map(|v| v.trim().to_owned());
                if let Some(p) = self.para_mut() {
                    p.num_id = num_id;
                }
                Node::Other
            }
            "ilvl" if matches!(parent, Some(Node::NumPr)) => {
                let ilvl = parse_level(attr(e, "val"));
                if let Some(p) = self.para_mut() {
                    p.ilvl = ilvl;
                }
                Node::Other
            }
            "del" | "moveFrom" => match self.stack.last_mut() {
                Some(Node::MarkRPr) => {
                    if let Some(p) = self.para_mut() {
                        p.mark_deleted = true;
                    }
                    Node::Other
                }
                Some(Node::RowPr) => {
                    if let Some(Node::Row(row)) = self.stack.iter_mut().rev().nth(1) {
                        row.deleted = true;
                    }
                    Node::Other
                }
                _ => Node::Skip,
            },
            // Deleted text, field codes, revisions of properties, and
            // properties that hold no text.
            "delText" | "instrText" | "delInstrText" | "pPrChange" | "rPrChange" | "sectPrChange" | "tblPrChange"
            | "tblPrExChange" | "tcPrChange" | "trPrChange" | "tblGridChange" | "numberingChange" | "sectPr"
            | "tblPr" | "tblPrEx" | "tblGrid" | "tcPr" | "sdtPr" | "sdtEndPr" | "background" => Node::Skip,
            "rPr" if in_run => Node::Skip,
            "tbl" => Node::Table(Vec::new()),
            "tr" => Node::Row(Row::default()),
            "trPr" if matches!(parent, Some(Node::Row(_))) => Node::RowPr,
            "tc" => Node::Cell(Vec::new()),
            "txbxContent" => Node::TextBox(Vec::new()),
            "r" => Node::Run,
            "t" if in_run => Node::Text,
            "tab" | "ptab" if in_run => {
                self.push_text("\t");
                Node::Other
            }
            "br" if in_run => {
                match attr(e, "type").as_deref() {
                    // A page or column break starts the following text on a
                    // new line, but adds no empty line of its own.
                    Some("page" | "column") => {
                        if let Some(p) = self.para_mut() {
                            p.break_before_text = true;
                        }
                    }
                    _ => self.push_text("\n"),
                }
                Node::Other
            }
            "cr" if in_run => {
                self.push_text("\n");
                Node::Other
            }
            "noBreakHyphen" if in_run => {
                self.push_text("-");
                Node::Other
            }
            // w:sym, w:softHyphen, note references, drawings, hyperlinks,
            // content controls, w:ins, …: no text of their own, children read.
            _ => Node::Other,
        }
    }

    /// `mc:AlternateContent` offers the same content twice (e.g. a text box
    /// as DrawingML and as VML): read the first branch only.
    fn classify_alternate(&mut self, local: &str) -> Node {
        match (local, self.stack.last_mut()) {
            ("AlternateContent", _) => Node::Alternate { taken: false },
            ("Choice" | "Fallback", Some(Node::Alternate { taken })) => {
                if *taken {
                    Node::Skip
                } else {
                    *taken = true;
                    Node::Other
                }
            }
            _ => Node::Other,
        }
    }

    /// Called when an element closes (or was empty).
    fn finish_node(&mut self, node: Node) {
        match node {
            Node::Para(p) => self.finish_para(p),
            Node::PPr => {
                let para = self.stack.iter_mut().rev().find_map(|n| match n {
                    Node::Para(p) => Some(p),
                    _ => None,
                });
                if let Some(p) = para {
                    Self::number(&mut self.counters, p);
                }
            }
            Node::Cell(mut parts) => {
                if !self.carry.is_empty() {
                    parts.push(std::mem::take(&mut self.carry));
                }
                let text = cell_text(&parts);
                match self.nearest(|n| matches!(n, Node::Row(_))) {
                    Some(Node::Row(row)) => row.cells.push(text),
                    _ => self.deliver_line(text),
                }
            }
            Node::Row(row) if !row.deleted => match self.nearest(|n| matches!(n, Node::Table(_))) {
                Some(Node::Table(rows)) => rows.push(row.cells),
                _ => self.deliver_line(row.cells.join(" | ")),
            },
            Node::Table(rows) => self.deliver_table(rows),
            Node::TextBox(mut lines) => {
                if !self.carry.is_empty() {
                    lines.push(std::mem::take(&mut self.carry));
                }
                match self.para_mut() {
                    Some(p) => p.push_lines(&lines),
                    None => lines.into_iter().for_each(|l| self.deliver_line(l)),
                }
            }
            _ => {}
        }
    }

    /// Works out the label of a paragraph once its properties are known.
    fn number(counters: &mut Counters<'_>, p: &mut Para) {
        if p.numbered {
            return;
        }
        p.numbered = true;
        // A paragraph whose mark is deleted merges into the next one, whose
        // mark (and so numbering) survives: it takes no number.
        if !p.mark_deleted {
            p.label = counters.label(p.num_id.as_deref(), p.ilvl, p.style.as_deref());
        }
    }

    fn finish_para(&mut self, mut p: Para) {
        if p.mark_deleted {
            self.carry.push_str(&p.text);
            return;
        }
        Self::number(&mut self.counters, &mut p);
        let mut body = std::mem::take(&mut self.carry);
        body.push_str(&p.text);
        let line = match p.label {
            Some(label) if body.is_empty() => label.text,
            Some(label) => format!("{}{}{}", label.text, label.suffix, body),
            None => body,
        };
        self.deliver_line(line);
    }

    /// The innermost open element matching `pred`.
    fn nearest(&mut self, pred: impl Fn(&Node) -> bool) -> Option<&mut Node> {
        self.stack.iter_mut().rev().find(|n| pred(n))
    }

    fn para_mut(&mut self) -> Option<&mut Para> {
        self.stack.iter_mut().rev().find_map(|n| match n {
            Node::Para(p) => Some(p),
            _ => None,
        })
    }

    fn push_text(&mut self, s: &str) {
        if let Some(p) = self.para_mut() {
            p.push(s);
        }
    }

    /// Hands a finished paragraph to the innermost cell or text box, or to
    /// the body.
    fn deliver_line(&mut self, line: String) {
        match self.nearest(|n| matches!(n, Node::Cell(_) | Node::TextBox(_))) {
            Some(Node::Cell(parts)) | Some(Node::TextBox(parts)) => parts.push(line),
            _ => self.lines.push(line),
        }
    }

    fn deliver_table(&mut self, rows: Vec<Vec<String>>) {
        if rows.is_empty() {
            return;
        }
        match self.nearest(|n| matches!(n, Node::Cell(_) | Node::TextBox(_))) {
            // A nested table flattens into its cell.
            Some(Node::Cell(parts)) => parts.extend(rows.into_iter().flatten()),
            Some(Node::TextBox(lines)) => lines.extend(rows.iter().map(|r| r.join(" | "))),
            _ => {
                if self.lines.last().is_some_and(|l| !l.is_empty()) {
                    self.lines.push(String::new());
                }
                self.lines.extend(rows.iter().map(|r| r.join(" | ")));
                self.lines.push(String::new());
            }
        }
    }

    fn finish(mut self) -> String {
        if !self.carry.is_empty() {
            self.lines.push(std::mem::take(&mut self.carry));
        }
        let mut out = String::with_capacity(self.lines.iter().map(|l| l.len() + 1).sum());
        for line in &self.lines {
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// A cell on one line: its paragraphs joined by a space.
fn cell_text(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| p.replace(['\n', '\r'], " "))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds small DOCX files in memory, for tests here and in the crate's
/// integration tests.
#[doc(hidden)]
pub mod testing;

#[cfg(test)]
mod tests;
