//! CSV files of reported figures (`kehoach values import`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static PLAN: LazyLock<kehoach_domain::Plan> = LazyLock::new(|| {
    kehoach_planfile::from_toml(include_str!("../../data/plans/ben-tre-2025.toml")).expect("the built-in plan loads")
});
static UNITS: LazyLock<Vec<kehoach_domain::org::OrgUnit>> = LazyLock::new(|| {
    kehoach_planfile::org_units_from_toml(include_str!("../../data/org-units/ben-tre.toml")).expect("the units load")
});

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kehoach_values::read_csv(text, &PLAN, &UNITS);
    }
});
