//! Old offices' text files (TCVN3, VNI, Windows-1258).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kehoach_legacy::decode_legacy_bytes(data);
    if let Ok(text) = std::str::from_utf8(data)
        && let Some(encoding) = kehoach_legacy::detect_legacy_unicode(text)
    {
        let _ = kehoach_legacy::convert_legacy_unicode(text, encoding);
    }
});
