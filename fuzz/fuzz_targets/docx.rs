//! Word files from anywhere.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kehoach_import::docx::docx_to_text(data);
});
