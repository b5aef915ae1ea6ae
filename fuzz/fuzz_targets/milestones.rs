//! Milestones as typed in the task board's form (`Khởi công | 31/03/2025`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(milestones) = kehoach_domain::progress::parse_milestones(text)
    {
        let written = kehoach_domain::progress::format_milestones(&milestones);
        // Names are kept trimmed, so what is written reads back the same.
        assert_eq!(kehoach_domain::progress::parse_milestones(&written), Ok(milestones));
    }
});
