//! Plan files edited by hand.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(plan) = kehoach_planfile::from_toml(text)
    {
        let _ = kehoach_domain::check::check(&plan);
        let _ = kehoach_planfile::to_json(&plan);
    }
});
