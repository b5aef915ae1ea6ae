//! From the bytes of a file to text: DOCX, UTF-8 (with or without BOM),
//! UTF-16, and the legacy Vietnamese encodings.

use crate::ImportError;
use kehoach_legacy::{self as legacy, LegacyEncoding};

/// What the bytes turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Docx,
    Utf8,
    Utf16,
    Legacy(LegacyEncoding),
    /// UTF-8 or DOCX text typed in a legacy font, converted.
    LegacyFont(LegacyEncoding),
}

/// Largest input accepted: resolutions are tens of kilobytes.
pub const MAX_INPUT: usize = 20 * 1024 * 1024;

pub fn decode(bytes: &[u8]) -> Result<(String, Format), ImportError> {
    if bytes.len() > MAX_INPUT {
        return Err(ImportError::TooLarge { bytes: bytes.len(), limit: MAX_INPUT });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    // ZIP (DOCX) and OLE (old .doc, or a password-protected .docx) go to the
    // DOCX reader, which says which of them it is.
    let (text, format) = if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || bytes.starts_with(b"\xd0\xcf\x11\xe0")
    {
        (crate::docx::docx_to_text(bytes).map_err(ImportError::Docx)?, Format::Docx)
    } else if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        (utf8(rest)?, Format::Utf8)
    } else if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        let (enc, skip) = if bytes[0] == 0xff { (encoding_rs::UTF_16LE, 2) } else { (encoding_rs::UTF_16BE, 2) };
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[skip..]);
        if had_errors {
            return Err(ImportError::Binary);
        }
        (text.into_owned(), Format::Utf16)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_string(), Format::Utf8),
            Err(_) => {
                if looks_binary(bytes) {
                    return Err(ImportError::Binary);
                }
                match legacy::decode_legacy_bytes(bytes) {
                    Ok((enc, text)) => (text, Format::Legacy(enc)),
                    Err(e) => return Err(ImportError::Encoding(e.to_string())),
                }
            }
        }
    };
    if looks_binary(text.as_bytes()) {
        return Err(ImportError::Binary);
    }
    if !unicode_vietnamese(&text)
        && let Some(enc) = legacy::detect_legacy_unicode(&text)
    {
        return Ok((legacy::convert_legacy_unicode(&text, enc), Format::LegacyFont(enc)));
    }
    Ok((text, format))
}

fn utf8(bytes: &[u8]) -> Result<String, ImportError> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
        ImportError::Encoding(format!("invalid UTF-8 after a UTF-8 byte-order mark at byte {}", e.valid_up_to()))
    })
}

/// Text with the letters only Unicode Vietnamese has (ă, đ, ơ, ư and the
/// precomposed letters with tone marks, U+1EA0–U+1EF9) is not legacy text
/// shown in a Latin-1 font: those code pages have no such characters. This
/// saves scoring a long resolution three ways.
fn unicode_vietnamese(text: &str) -> bool {
    let vietnamese = text
        .chars()
        .filter(|&c| matches!(c, 'ă' | 'Ă' | 'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | '\u{1ea0}'..='\u{1ef9}'))
        .take(50)
        .count();
    vietnamese >= 50 || vietnamese * 200 >= text.chars().count().max(1)
}

/// Control bytes other than whitespace mark a file that is not text.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    let control = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    sample.contains(&0) || control * 100 > sample.len().max(1)
}
