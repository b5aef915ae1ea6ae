//! Which figures count, as the command line shows them: an agency's draft,
//! a submitted and a returned figure are never judged by `kehoach status`;
//! an approved one is, exactly as typed; `kehoach values list` shows every
//! version with where it stands. The workflow moves are made as the web
//! application makes them, through the store.

use crate::kehoach;
use kehoach_domain::access::SubmissionState;
use kehoach_domain::period::Period;
use kehoach_domain::value::{Origin, ValueStatus};
use kehoach_store::{Accounts, AnyStore, Move, NewValue, Seen, Store};
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

fn json(args: &[&str], dir: &Path) -> serde_json::Value {
    let out = kehoach(args, dir);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Exports (c.1) for October as `status --json` judges them.
fn october(dir: &Path) -> serde_json::Value {
    let s = json(&["status", "--period", "2025-10", "--json"], dir);
    s["measures"].as_array().unwrap().iter().find(|m| m["key"] == "c.1").unwrap().clone()
}

/// Every version of October's exports as `values list --json` gives them:
/// (version, value, workflow, counts).
fn versions(dir: &Path) -> Vec<(u64, String, String, bool)> {
    let list = json(&["values", "list", "--measure", "c.1", "--period", "2025-10", "--unit", "83", "--json"], dir);
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_u64().unwrap(),
                v["value"].as_str().unwrap().to_string(),
                v["workflow"].as_str().unwrap().to_string(),
                v["counts"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// October's exports as `kehoach report` prints them in the appendix.
fn appendix_exports(dir: &Path) -> calamine::Data {
    use calamine::Reader;
    let out = kehoach(&["report", "--period", "2025-10", "-o", "phu-luc.xlsx"], dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.join("phu-luc.xlsx")).unwrap();
    let sheet = book.worksheet_range("Chỉ tiêu").unwrap();
    let row = (0..sheet.height() as u32)
        .find(|r| sheet.get_value((*r, 1)).is_some_and(|d| d.to_string().starts_with("Kim ngạch xuất khẩu")))
        .expect("exports are in the appendix");
    sheet.get_value((row, 6)).cloned().unwrap_or(calamine::Data::Empty)
}

fn exports(value: &str, seen: u32) -> NewValue {
    NewValue {
        measure: "c.1".into(),
        org_unit: "83".into(),
        period: Period::Month(2025, 10),
        value: Decimal::from_str(value).unwrap(),
        status: ValueStatus::Estimate,
        note: String::new(),
        origin: Origin::Entered,
        agency: Some("SCT".into()),
        expected_version: Some(seen),
    }
}

fn step<'a>(to: SubmissionState, expected: u32, seen: Option<&'a [Seen]>) -> Move<'a> {
    let comment = if to == SubmissionState::Returned { "Kiểm tra lại" } else { "" };
    Move { agency: "SCT", period: Period::Month(2025, 10), to, comment, expected_version: expected, seen }
}

#[tokio::test]
async fn only_approved_figures_are_judged_exactly_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    assert!(kehoach(&["init"], dir.path()).status.success());
    let store = AnyStore::open(&dir.path().join("k.db").display().to_string()).await.unwrap();
    let id = 1;

    // A draft: stored, shown by `values list`, never judged.
    store.enter(id, &[exports("10.4567", 0)], Some(&step(SubmissionState::Draft, 0, None)), "an").await.unwrap();
    assert_eq!(october(dir.path())["status"], "no_data");
    assert!(october(dir.path())["actual"].is_null());
    assert_eq!(versions(dir.path()), [(1, "10.4567".into(), "draft".into(), false)]);

    // Submitted, then returned: never judged.
    store.move_submission(id, &step(SubmissionState::Submitted, 1, None), "an").await.unwrap();
    assert!(october(dir.path())["actual"].is_null());
    assert_eq!(versions(dir.path())[0].2, "submitted");
    store.move_submission(id, &step(SubmissionState::Returned, 2, None), "chi").await.unwrap();
    assert!(october(dir.path())["actual"].is_null());
    assert_eq!(versions(dir.path())[0].2, "returned");
    // Nor is it printed in a report.
    assert_eq!(appendix_exports(dir.path()), calamine::Data::Empty, "a returned figure is not in the appendix");

    // Corrected and approved exactly as seen: judged, every digit kept.
    store.enter(id, &[exports("10.4568", 1)], Some(&step(SubmissionState::Submitted, 3, None)), "an").await.unwrap();
    let seen = [Seen { measure: "c.1".into(), org_unit: "83".into(), version: 2 }];
    store.move_submission(id, &step(SubmissionState::Approved, 4, Some(&seen)), "chi").await.unwrap();
    assert_eq!(october(dir.path())["actual"].to_string(), "10.4568");
    assert_eq!(
        versions(dir.path()),
        [(1, "10.4567".into(), "returned".into(), false), (2, "10.4568".into(), "approved".into(), true)]
    );

    assert_eq!(appendix_exports(dir.path()), calamine::Data::Float(10.4568), "the approved figure is in the appendix");

    // The table says the same in Vietnamese.
    let out = kehoach(&["values", "list", "--measure", "c.1", "--period", "2025-10"], dir.path());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("10,4568") && table.contains("Đã duyệt") && table.contains("Trả lại"), "{table}");
    // An unknown measure is said plainly.
    let out = kehoach(&["values", "list", "--measure", "z.9"], dir.path());
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("no measure or component z.9"));
}
