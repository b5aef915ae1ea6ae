//! Numbers as users type them (`1.850,5`, `1850.5`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(value) = kehoach_domain::number::parse_decimal(text)
    {
        let written = kehoach_domain::number::format_vi(value);
        assert_eq!(kehoach_domain::number::parse_decimal(&written), Ok(value));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kehoach_import::quantity::scan(text);
        let _ = kehoach_import::quantity::dates(text);
    }
});
