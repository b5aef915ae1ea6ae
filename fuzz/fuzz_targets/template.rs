//! Excel data-entry templates as people send them back: any bytes, read
//! against the built-in plan, never panic; a workbook that is read gives
//! figures for measures of the plan only.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static PLAN: OnceLock<kehoach_domain::Plan> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let plan = PLAN.get_or_init(|| {
        kehoach_planfile::from_toml(include_str!("../../data/plans/ben-tre-2025.toml")).expect("the built-in plan")
    });
    if let Ok(read) = kehoach_report::template::read(data, plan) {
        for f in &read.figures {
            assert!(plan.reports(&f.measure), "{} is a measure of the plan", f.measure);
        }
    }
});
