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

// ---------------------------------------------------------------------------
// styles.xml: only what numbering needs
// ---------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Style {
    based_on: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
}

#[derive(Debug, Default)]
struct Styles {
    styles: HashMap<String, Style>,
    /// The paragraph style applied when a paragraph names none.
    default_paragraph: Option<String>,
}

impl Styles {
    /// The numbering a style carries, inherited through `w:basedOn`.
    fn numbering_of(&self, style_id: &str) -> (Option<String>, Option<usize>) {
        let (mut num_id, mut ilvl) = (None, None);
        let mut id = Some(style_id);
        for _ in 0..16 {
            let Some(style) = id.and_then(|id| self.styles.get(id)) else {
                break;
            };
            num_id = num_id.or_else(|| style.num_id.clone());
            ilvl = ilvl.or(style.ilvl);
            if num_id.is_some() && ilvl.is_some() {
                break;
            }
            id = style.based_on.as_deref();
        }
        (num_id, ilvl)
    }
}

enum StyleCtx {
    Style(String),
    PPr(String),
    NumPr(String),
    Other,
}

fn parse_styles(part: &str, text: &str) -> Result<Styles, DocxError> {
    let mut out = Styles::default();
    let mut stack: Vec<StyleCtx> = Vec::new();
    let mut xml = XmlWalker::new(part, text);
    loop {
        let (ns, e, empty) = match xml.next()? {
            Item::Eof => return Ok(out),
            Item::Close => {
                stack.pop();
                continue;
            }
            Item::Text(_) => continue,
            Item::Open(ns, e, empty) => (ns, e, empty),
        };
        let local = e.local_name();
        let ctx = match (ns, local.as_ref(), stack.last()) {
            (Ns::W, "style", _) => match attr(&e, "styleId") {
                Some(id) => {
                    let is_default = attr(&e, "default").is_some_and(|v| is_true(&v));
                    if is_default && attr(&e, "type").as_deref() == Some("paragraph") && out.default_paragraph.is_none()
                    {
                        out.default_paragraph = Some(id.clone());
                    }
                    out.styles.entry(id.clone()).or_default();
                    StyleCtx::Style(id)
                }
                None => StyleCtx::Other,
            },
            (Ns::W, "basedOn", Some(StyleCtx::Style(id))) => {
                if let Some(style) = out.styles.get_mut(id) {
                    style.based_on = attr(&e, "val");
                }
                StyleCtx::Other
            }
            (Ns::W, "pPr", Some(StyleCtx::Style(id))) => StyleCtx::PPr(id.clone()),
            (Ns::W, "numPr", Some(StyleCtx::PPr(id))) => StyleCtx::NumPr(id.clone()),
            (Ns::W, "numId", Some(StyleCtx::NumPr(id))) => {
                if let Some(style) = out.styles.get_mut(id) {
                    style.num_id = attr(&e, "val").map(|v| v.trim().to_owned());
                }
                StyleCtx::Other
            }
            (Ns::W, "ilvl", Some(StyleCtx::NumPr(id))) => {
                if let Some(style) = out.styles.get_mut(id) {
                    style.ilvl = parse_level(attr(&e, "val"));
                }
                StyleCtx::Other
            }
            _ => StyleCtx::Other,
        };
        if !empty {
            stack.push(ctx);
        }
    }
}

// ---------------------------------------------------------------------------
// numbering.xml
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumFmt {
    Decimal,
    DecimalZero,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Bullet,
    /// `none`: the number is not shown.
    Hidden,
    /// `custom` (Word 2010+), always paired with a fallback format in
    /// `mc:Fallback` that replaces it.
    Custom,
}

impl NumFmt {
    fn parse(v: &str) -> NumFmt {
        match v.trim() {
            "decimalZero" => NumFmt::DecimalZero,
            "lowerLetter" => NumFmt::LowerLetter,
            "upperLetter" => NumFmt::UpperLetter,
            "lowerRoman" => NumFmt::LowerRoman,
            "upperRoman" => NumFmt::UpperRoman,
            "bullet" => NumFmt::Bullet,
            "none" => NumFmt::Hidden,
            "custom" => NumFmt::Custom,
            // decimal, and national formats we do not render: arabic numbers.
            _ => NumFmt::Decimal,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Suffix {
    #[default]
    Tab,
    Space,
    Nothing,
}

#[derive(Debug, Clone, Default)]
struct LevelDef {
    start: Option<u32>,
    fmt: Option<NumFmt>,
    text: Option<String>,
    /// `w:lvlRestart`: restart after this (1-based) level; 0 never.
    restart: Option<u32>,
    /// `w:isLgl`: show every number in the label as decimal.
    legal: bool,
    suffix: Suffix,
    /// `w:pStyle`: the paragraph style tied to this level.
    style: Option<String>,
}

#[derive(Debug, Default)]
struct AbstractNum {
    levels: [LevelDef; LEVELS],
    /// `w:numStyleLink`: the levels live in the numbering style named here.
    num_style_link: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct LevelOverride {
    start: Option<u32>,
    level: Option<LevelDef>,
}

#[derive(Debug, Default)]
struct NumInstance {
    abstract_id: String,
    overrides: [LevelOverride; LEVELS],
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, AbstractNum>,
    nums: HashMap<String, NumInstance>,
}

impl Numbering {
    /// The abstract definition behind a numbering instance, following
    /// `w:numStyleLink` through the numbering style it names.
    fn resolve_abstract<'n>(&'n self, num: &'n NumInstance, styles: &Styles) -> Option<(&'n str, &'n AbstractNum)> {
        let mut id: &str = &num.abstract_id;
        for _ in 0..8 {
            let abs = self.abstracts.get(id)?;
            let Some(link) = &abs.num_style_link else {
                return Some((id, abs));
            };
            let linked = styles.numbering_of(link).0?;
            id = &self.nums.get(linked.as_str())?.abstract_id;
        }
        None
    }

    fn level_mut(&mut self, target: &LevelTarget) -> Option<&mut LevelDef> {
        match target {
            LevelTarget::Abstract(id, l) => self.abstracts.get_mut(id).map(|a| &mut a.levels[*l]),
            LevelTarget::Override(id, l) => {
                self.nums.get_mut(id).map(|n| n.overrides[*l].level.get_or_insert_with(LevelDef::default))
            }
        }
    }
}

enum LevelTarget {
    Abstract(String, usize),
    Override(String, usize),
}

enum NumCtx {
    Abstract(String),
    Num(String),
    Override(String, usize),
    Level(LevelTarget),
    /// `mc:AlternateContent` and its branches: transparent here, so that a
    /// `w:numFmt` in `mc:Fallback` can replace a `custom` one.
    Mc,
    Other,
}

fn parse_numbering(part: &str, text: &str) -> Result<Numbering, DocxError> {
    let mut out = Numbering::default();
    let mut stack: Vec<NumCtx> = Vec::new();
    let mut xml = XmlWalker::new(part, text);
    loop {
        let (ns, e, empty) = match xml.next()? {
            Item::Eof => return Ok(out),
            Item::Close => {
                stack.pop();
                continue;
            }
            Item::Text(_) => continue,
            Item::Open(ns, e, empty) => (ns, e, empty),
        };
        let parent = stack.iter().rev().find(|c| !matches!(c, NumCtx::Mc));
        let local = e.local_name();
        let ctx = match (ns, local.as_ref(), parent) {
            (Ns::Mc, _, _) => NumCtx::Mc,
            (Ns::W, "abstractNum", _) => match attr(&e, "abstractNumId") {
                Some(id) => {
                    let id = id.trim().to_owned();
                    out.abstracts.entry(id.clone()).or_default();
                    NumCtx::Abstract(id)
                }
                None => NumCtx::Other,
            },
            (Ns::W, "num", _) => match attr(&e, "numId") {
                Some(id) => {
                    let id = id.trim().to_owned();
                    out.nums.entry(id.clone()).or_default();
                    NumCtx::Num(id)
                }
                None => NumCtx::Other,
            },
            (Ns::W, "abstractNumId", Some(NumCtx::Num(id))) => {
                if let (Some(num), Some(v)) = (out.nums.get_mut(id), attr(&e, "val")) {
                    num.abstract_id = v.trim().to_owned();
                }
                NumCtx::Other
            }
            (Ns::W, "numStyleLink", Some(NumCtx::Abstract(id))) => {
                if let Some(abs) = out.abstracts.get_mut(id) {
                    abs.num_style_link = attr(&e, "val");
                }
                NumCtx::Other
            }
            (Ns::W, "lvlOverride", Some(NumCtx::Num(id))) => match parse_level(attr(&e, "ilvl")) {
                Some(l) => NumCtx::Override(id.clone(), l),
                None => NumCtx::Other,
            },
            (Ns::W, "startOverride", Some(NumCtx::Override(id, l))) => {
                if let Some(num) = out.nums.get_mut(id) {
                    num.overrides[*l].start = attr(&e, "val").and_then(|v| v.trim().parse().ok());
                }
                NumCtx::Other
            }
            (Ns::W, "lvl", Some(NumCtx::Abstract(id))) => match parse_level(attr(&e, "ilvl")) {
                Some(l) => NumCtx::Level(LevelTarget::Abstract(id.clone(), l)),
                None => NumCtx::Other,
            },
            (Ns::W, "lvl", Some(NumCtx::Override(id, l))) => {
                let l = parse_level(attr(&e, "ilvl")).unwrap_or(*l);
                NumCtx::Level(LevelTarget::Override(id.clone(), l))
            }
            (Ns::W, name, Some(NumCtx::Level(target))) => {
                if let Some(def) = out.level_mut(target) {
                    apply_level_property(def, name, &e);
                }
                NumCtx::Other
            }
            _ => NumCtx::Other,
        };
        if !empty {
            stack.push(ctx);
        }
    }
}

fn apply_level_property(def: &mut LevelDef, name: &str, e: &BytesStart<'_>) {
    let val = attr(e, "val");
    match name {
        "start" => def.start = val.and_then(|v| v.trim().parse().ok()),
        "numFmt" => {
            // A later format (the mc:Fallback one) replaces only `custom`.
            if matches!(def.fmt, None | Some(NumFmt::Custom)) {
                def.fmt = Some(NumFmt::parse(val.as_deref().unwrap_or("decimal")));
            }
        }
        "lvlText" => def.text = Some(val.unwrap_or_default()),
        "lvlRestart" => def.restart = val.and_then(|v| v.trim().parse().ok()),
        "isLgl" => def.legal = on_off(e),
        "suff" => {
            def.suffix = match val.as_deref().map(str::trim) {
                Some("space") => Suffix::Space,
                Some("nothing") => Suffix::Nothing,
                _ => Suffix::Tab,
            }
        }
        "pStyle" => def.style = val,
        _ => {}
    }
}

/// A numbering label and what separates it from the paragraph text.
#[derive(Debug)]
struct Label {
    text: String,
    suffix: &'static str,
}

/// Running list counters, advanced paragraph by paragraph in document order.
struct Counters<'a> {
    numbering: &'a Numbering,
    styles: &'a Styles,
    /// Keyed by abstract numbering: in Word, `w:num` instances sharing an
    /// `w:abstractNum` continue one sequence unless an override restarts it.
    values: HashMap<String, [Option<u32>; LEVELS]>,
    /// `(numId, level)` whose `w:startOverride` has been applied.
    overrides_applied: HashSet<(String, usize)>,
}

impl<'a> Counters<'a> {
    fn new(numbering: &'a Numbering, styles: &'a Styles) -> Self {
        Counters { numbering, styles, values: HashMap::new(), overrides_applied: HashSet::new() }
    }

    /// The label of a paragraph, advancing the counters; `None` when the
    /// paragraph is not numbered.
    fn label(&mut self, num_id: Option<&str>, ilvl: Option<usize>, style: Option<&str>) -> Option<Label> {
        let numbering = self.numbering;
        let style = style.or(self.styles.default_paragraph.as_deref());
        let (style_num, style_ilvl) = style.map(|s| self.styles.numbering_of(s)).unwrap_or_default();
        let num_id = num_id.or(style_num.as_deref())?;
        if num_id == "0" {
            return None; // numId 0 switches numbering off
        }
        let num = numbering.nums.get(num_id)?;
        let (abs_id, abs) = numbering.resolve_abstract(num, self.styles)?;
        let level = ilvl
            .or(style_ilvl)
            .or_else(|| {
                let style = style?;
                abs.levels.iter().position(|l| l.style.as_deref() == Some(style))
            })
            .unwrap_or(0);
        if level >= LEVELS {
            return None;
        }
        let def = |k: usize| num.overrides[k].level.as_ref().unwrap_or(&abs.levels[k]);

        let override_start =
            num.overrides[level].start.filter(|_| self.overrides_applied.insert((num_id.to_owned(), level)));
        let counters = self.values.entry(abs_id.to_owned()).or_insert([None; LEVELS]);
        let value = match (override_start, counters[level]) {
            (Some(start), _) => start,
            (None, Some(previous)) => previous.saturating_add(1),
            (None, None) => def(level).start.unwrap_or(0),
        };
        counters[level] = Some(value);
        // Deeper levels restart when this one advances, unless their
        // w:lvlRestart says otherwise.
        for (k, counter) in counters.iter_mut().enumerate().skip(level + 1) {
            let restarts = match def(k).restart {
                None => true,
                Some(0) => false,
                Some(after) => (level as u32) < after,
            };
            if restarts {
                *counter = None;
            }
        }

        let current = def(level);
        if current.fmt == Some(NumFmt::Bullet) {
            return Some(Label { text: "-".to_owned(), suffix: " " });
        }
        let values: [u32; LEVELS] = std::array::from_fn(|k| counters[k].unwrap_or_else(|| def(k).start.unwrap_or(0)));
        let text = render_level_text(current.text.as_deref().unwrap_or(""), |k| {
            let fmt = if current.legal { NumFmt::Decimal } else { def(k).fmt.unwrap_or(NumFmt::Decimal) };
            format_number(values[k], fmt)
        });
        if text.is_empty() {
            return None;
        }
        let suffix = match current.suffix {
            Suffix::Nothing => "",
            Suffix::Tab | Suffix::Space => " ",
        };
        Some(Label { text, suffix })
    }
}

/// Fills `%1`…`%9` in a `w:lvlText` with the numbers of those levels.
fn render_level_text(template: &str, mut number: impl FnMut(usize) -> String) -> String {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        let level = match c {
            '%' => chars.peek().and_then(|d| d.to_digit(10)).filter(|d| *d >= 1),
            _ => None,
        };
        match level {
            Some(d) => {
                chars.next();
                out.push_str(&number(d as usize - 1));
            }
            None => out.push(c),
        }
    }
    out
}

fn format_number(n: u32, fmt: NumFmt) -> String {
    match fmt {
        NumFmt::Decimal | NumFmt::Custom => n.to_string(),
        NumFmt::DecimalZero if n < 10 => format!("0{n}"),
        NumFmt::DecimalZero => n.to_string(),
        NumFmt::LowerLetter => vietnamese_letter(n, false),
        NumFmt::UpperLetter => vietnamese_letter(n, true),
        NumFmt::LowerRoman => roman(n).to_lowercase(),
        NumFmt::UpperRoman => roman(n),
        NumFmt::Bullet | NumFmt::Hidden => String::new(),
    }
}

/// The `n`th item letter (1-based).
///
/// We deliberately do NOT do what Word does here. Word's `lowerLetter` and
/// `upperLetter` count a b c d e f …, but Vietnamese legal documents letter
/// their points ("điểm") in the Vietnamese alphabet: a b c d đ e g h i k l m
/// n o p q r s t u v x y (no f, j, w, z). A resolution that uses Word's
/// auto-lettering is still read, cited and amended by people as a), b), c),
/// d), đ), e)…, and the importer keys targets by that letter, so the 5th item
/// must be "đ", not "e". Upper-case letters follow the same alphabet (Đ).
/// Past y the letters double (aa, bb, …) as in Word; absurd counts fall
/// back to digits.
fn vietnamese_letter(n: u32, upper: bool) -> String {
    let count = ITEM_LETTERS.len() as u32;
    if n == 0 || n > count * 4 {
        return n.to_string();
    }
    let letter = ITEM_LETTERS[((n - 1) % count) as usize];
    let letter = if upper { letter.to_uppercase() } else { letter.to_owned() };
    letter.repeat(((n - 1) / count + 1) as usize)
}

fn roman(n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const DIGITS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

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

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/// Builds small DOCX files in memory, for tests here and in the crate's
/// integration tests.
#[doc(hidden)]
pub mod testing {
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
    pub fn build_docx_with_styles(
        document_xml: &str,
        numbering_xml: Option<&str>,
        styles_xml: Option<&str>,
    ) -> Vec<u8> {
        const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        const CT: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
        let mut overrides =
            format!(r#"<Override PartName="/word/document.xml" ContentType="{CT}.document.main+xml"/>"#);
        let mut rels = String::new();
        if numbering_xml.is_some() {
            overrides
                .push_str(&format!(r#"<Override PartName="/word/numbering.xml" ContentType="{CT}.numbering+xml"/>"#));
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
}

#[cfg(test)]
mod tests {
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
        let zip =
            build_zip(&[("word/document.xml", document.as_bytes()), ("word/numbering.xml", numbering.as_bytes())]);
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
}
