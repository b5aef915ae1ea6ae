//! Periods as typed in CSV files and forms (`2025-Q3`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(period) = text.parse::<kehoach_domain::period::Period>()
    {
        assert_eq!(period.to_string().parse::<kehoach_domain::period::Period>(), Ok(period));
        let _ = period.reporting_window();
        let _ = period.calendar();
    }
});
