//! Excel data-entry templates as people send them back: any bytes, read
//! against the built-in plan, never panic to the caller; a workbook that is
//! read gives figures for measures of the plan only.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static PLAN: OnceLock<kehoach_domain::Plan> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let plan = PLAN.get_or_init(|| {
        // `template::read` catches a panic of the spreadsheet reader and says
        // the file is damaged; libFuzzer's hook would abort on it first, so
        // the default hook is put back. A panic that escapes `read` still
        // fails the target.
        let _ = std::panic::take_hook();
        kehoach_planfile::from_toml(include_str!("../../data/plans/ben-tre-2025.toml")).expect("the built-in plan")
    });
    match std::panic::catch_unwind(|| kehoach_report::template::read(data, plan)) {
        Ok(Ok(read)) => {
            for f in &read.figures {
                assert!(plan.reports(&f.measure), "{} is a measure of the plan", f.measure);
            }
        }
        Ok(Err(_)) => {}
        Err(_) => std::process::abort(),
    }
});
