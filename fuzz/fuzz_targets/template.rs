//! Excel data-entry templates as people send them back: any bytes, read
//! against the built-in plan and the template the server would expect (the
//! Department of Industry and Trade's for 2025-Q1), never panic to the
//! caller; a workbook that is read gives figures for the expected measures
//! only.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static PLAN: OnceLock<(kehoach_domain::Plan, kehoach_report::template::Spec)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (plan, spec) = PLAN.get_or_init(|| {
        // `template::read` catches a panic of the spreadsheet reader and says
        // the file is damaged; libFuzzer's hook would abort on it first, so
        // the default hook is put back. A panic that escapes `read` still
        // fails the target.
        let _ = std::panic::take_hook();
        let plan = kehoach_planfile::from_toml(include_str!("../../data/plans/ben-tre-2025.toml"))
            .expect("the built-in plan");
        let leads = ["b.1", "c.1", "d.1"].iter().map(|k| (k.to_string(), "SCT".to_string())).collect();
        let spec = kehoach_report::template::Spec::for_agency(
            &plan,
            1,
            kehoach_domain::period::Period::Quarter(2025, 1),
            ("SCT", "Sở Công Thương"),
            ("83", "Bến Tre"),
            &leads,
            |_| None,
        );
        (plan, spec)
    });
    let _ = std::panic::catch_unwind(|| kehoach_report::template::header(data)).unwrap_or_else(|_| std::process::abort());
    match std::panic::catch_unwind(|| kehoach_report::template::read(data, plan, spec)) {
        Ok(Ok(read)) => {
            for f in &read.figures {
                assert!(spec.rows.iter().any(|r| r.key == f.measure), "{} is an expected measure", f.measure);
            }
        }
        Ok(Err(_)) => {}
        Err(_) => std::process::abort(),
    }
});
