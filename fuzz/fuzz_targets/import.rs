//! Any bytes given to `kehoach import`: the reader may refuse them, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(imported) = kehoach_import::import_bytes(data) {
        // Whatever it read must also survive the plan file and the checks.
        let toml = kehoach_planfile::to_toml(&imported.plan);
        let back = kehoach_planfile::from_toml(&toml).expect("a written plan file loads back");
        assert_eq!(back, imported.plan);
        let _ = kehoach_domain::check::check(&imported.plan);
    }
});
