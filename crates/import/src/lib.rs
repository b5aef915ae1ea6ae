//! Reads a People's Council resolution (nghị quyết) into a draft plan: every
//! target and task typed, linked to the words it came from, and what the
//! reader was unsure of flagged for a person to review.
//!
//! The reader knows the genre, not one document: the section headings, the
//! layouts of the target list (lettered items, bullets under sector headings,
//! numbered items, prose, tables), Vietnamese numbers and comparator words.

pub mod decode;
pub mod docx;
mod lexicon;
mod measure;
mod metadata;
pub mod quantity;
mod split;
mod structure;
mod table;
mod targets;
mod tasks;
pub mod text;

use chrono::Datelike;
use kehoach_domain::Plan;
use std::path::Path;

pub use decode::Format;

/// Why a file could not be read as a resolution.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not text (it holds binary data); give a .txt or .docx resolution")]
    Binary,
    #[error("the file is {bytes} bytes, more than the {limit} a resolution needs")]
    TooLarge { bytes: usize, limit: usize },
    #[error(
        "the text is {bytes} bytes long, more than the {limit} a resolution needs (resolutions are tens of \
         kilobytes); give the resolution alone, without its annexes or other documents"
    )]
    TooLong { bytes: usize, limit: usize },
    #[error(
        "{count} {what} read, more than the {limit} of any resolution: this is not one resolution (or its \
         list was read wrongly); give the resolution alone"
    )]
    TooMany { what: Counted, count: usize, limit: usize },
    #[error("the text encoding could not be read: {0}")]
    Encoding(String),
    #[error("{0}")]
    Docx(docx::DocxError),
    #[error(
        "no target list found: expected a section such as “2. Các chỉ tiêu chủ yếu” with items that carry figures (a) … 6,5%; b) …)"
    )]
    NoTargets,
    #[error("cannot read the file")]
    Io(#[from] std::io::Error),
}

/// What [`ImportError::TooMany`] counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    Measures,
    Tasks,
}

impl std::fmt::Display for Counted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Measures => "measures",
            Self::Tasks => "tasks",
        })
    }
}

/// A plan read from a resolution, and how its bytes were decoded.
#[derive(Debug, Clone)]
pub struct Imported {
    pub plan: Plan,
    pub format: Format,
    /// The text as read and normalised (NFC, LF): the text the plan's spans
    /// (lines, character ranges) point into.
    pub source: String,
}

/// Reads a resolution from a file.
pub fn import_file(path: &Path) -> Result<Imported, ImportError> {
    use std::io::Read;
    // Never more than the limit into memory, whatever the file's size.
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(decode::MAX_INPUT as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > decode::MAX_INPUT {
        let bytes = std::fs::metadata(path).map_or(bytes.len(), |m| m.len() as usize);
        return Err(ImportError::TooLarge { bytes, limit: decode::MAX_INPUT });
    }
    let mut imported = import_bytes(&bytes)?;
    imported.plan.document.file = path.file_name().map(|n| n.to_string_lossy().into_owned());
    Ok(imported)
}

/// The longest text read, in bytes of UTF-8. The longest resolutions are
/// about 100–300 KB of text; the reader's cost is linear, and at this limit
/// its slowest shapes (one line of thousands of targets, a megabyte of words
/// in one item) take under two seconds in a release build (`cargo bench -p
/// kehoach-import --bench scaling` prints the time at the limit). A DOCX of
/// a few kilobytes can unpack to far more: this, not the file's size, is
/// what bounds an upload's cost.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// The most measures, and the most tasks, a resolution is taken to hold: a
/// province's yearly resolution has 50–100 measures and 20–40 tasks, a
/// five-year one about 150. A text within [`MAX_TEXT_BYTES`] can hold tens
/// of thousands of target-like clauses; each would be a row of the review
/// page and hundreds of lines of the plan file (a 1 MiB line of targets took
/// 400 MB to write out), so more are refused, not read.
pub const MAX_ITEMS: usize = 1000;

/// Reads a resolution from the bytes of a text or DOCX file.
pub fn import_bytes(bytes: &[u8]) -> Result<Imported, ImportError> {
    let (raw, format) = decode::decode(bytes)?;
    let source = source_of(&raw)?;
    let plan = read_source(&source)?;
    Ok(Imported { plan, format, source: source.text })
}

/// Reads a resolution from its text.
pub fn read_text(raw: &str) -> Result<Plan, ImportError> {
    read_source(&source_of(raw)?)
}

/// The text normalised, if it is not longer than [`MAX_TEXT_BYTES`].
fn source_of(raw: &str) -> Result<text::Source, ImportError> {
    // Normalising can only grow the text a little (NFC of precomposed text
    // keeps its length), so the raw length is checked first, before the copy.
    if raw.len() > MAX_TEXT_BYTES {
        return Err(ImportError::TooLong { bytes: raw.len(), limit: MAX_TEXT_BYTES });
    }
    let source = text::Source::new(raw);
    if source.text.len() > MAX_TEXT_BYTES {
        return Err(ImportError::TooLong { bytes: source.text.len(), limit: MAX_TEXT_BYTES });
    }
    Ok(source)
}

fn read_source(source: &text::Source) -> Result<Plan, ImportError> {
    if source.text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let sections = structure::sections(source);
    let (ts, te) = match sections.targets {
        Some(range) => range,
        None => (0, sections.tasks.map_or(source.text.len(), |(s, _)| s)),
    };
    let targets = targets::read_targets(source, ts, te);
    if targets.iter().all(|t| t.measures.is_empty()) {
        return Err(ImportError::NoTargets);
    }
    let measures = targets.iter().map(|t| t.measures.len()).sum();
    if measures > MAX_ITEMS {
        return Err(ImportError::TooMany { what: Counted::Measures, count: measures, limit: MAX_ITEMS });
    }
    let tasks = sections.tasks.map(|(s, e)| tasks::read_tasks(source, s, e)).unwrap_or_default();
    if tasks.len() > MAX_ITEMS {
        return Err(ImportError::TooMany { what: Counted::Tasks, count: tasks.len(), limit: MAX_ITEMS });
    }
    let years: Vec<i32> =
        targets.iter().flat_map(|t| &t.measures).filter_map(|m| m.deadline).map(|d| d.year()).collect();
    let particulars = metadata::read(source, &years);
    let mut review = particulars.review;
    if sections.targets.is_none() {
        review.push(kehoach_domain::ReviewFlag::new(
            "targets",
            "no “chỉ tiêu chủ yếu” heading found; the targets were read from the list with figures",
        ));
    }
    Ok(Plan {
        region: particulars.region,
        region_code: None,
        year: particulars.year,
        document: particulars.document,
        targets,
        tasks,
        components: Vec::new(),
        review,
    })
}
