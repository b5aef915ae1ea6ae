//! The binary as a user runs it: import, check, and refusals of bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kehoach(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kehoach")).args(args).current_dir(dir).output().expect("the binary runs")
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/data/ben-tre-2025-nghi-quyet.txt")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn import_prints_the_plan_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = kehoach(&["import", seed().to_str().unwrap(), "--json"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["region"], "Bến Tre");
    let c1 = &plan["targets"][2]["measures"][0];
    assert_eq!(c1["key"], "c.1");
    assert!(c1["value"].is_number());
    assert_eq!(c1["value"].to_string(), "1850");
    assert_eq!(c1["unit"], "triệu USD");
    assert!(c1["deadline"].is_null());
    assert_eq!(plan["targets"][0]["measures"][0]["low"].to_string(), "6.0");
    assert!(dir.path().read_dir().unwrap().next().is_none(), "--json alone writes no file");
}

#[test]
fn import_writes_a_plan_file_that_check_reads() {
    let dir = tempfile::tempdir().unwrap();
    let out = kehoach(&["import", seed().to_str().unwrap(), "-o", "plan.toml"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("22 targets, 55 measures"), "{stderr}");
    let written = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap();
    let plan = kehoach_planfile::from_toml(&written).unwrap();
    assert_eq!(plan.measures().count(), 55);

    let out = kehoach(&["check", "plan.toml"], dir.path());
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("0 error(s)"), "{stdout}");
    // A task that repeats a measure is reported with the resolution's line.
    assert!(stdout.contains("ben-tre-2025-nghi-quyet.txt:"), "{stdout}");
    assert!(stdout.contains("repeats measure i.3"), "{stdout}");
}

#[test]
fn check_fails_on_an_inconsistent_plan() {
    let dir = tempfile::tempdir().unwrap();
    kehoach(&["import", seed().to_str().unwrap(), "-o", "plan.toml"], dir.path());
    let path = dir.path().join("plan.toml");
    // A reviewer's slip: domestic revenue above the total it is part of.
    let edited = std::fs::read_to_string(&path).unwrap().replacen("value = \"6300\"", "value = \"7300\"", 1);
    std::fs::write(&path, edited).unwrap();
    let out = kehoach(&["check", "plan.toml"], dir.path());
    let stdout = text(&out.stdout);
    assert!(!out.status.success());
    assert!(
        stdout.contains("error: [e.2] part e.2 (7.300 tỷ đồng) exceeds its total e.1 (6.388,3 tỷ đồng)"),
        "{stdout}"
    );
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02\x03\xff\xfe\x00\x00garbage", "not text"),
        ("prose.txt", "Điều 1. Thông qua báo cáo của Ủy ban nhân dân tỉnh.".as_bytes(), "no target list"),
        ("broken.docx", b"PK\x03\x04\x14\x00\x00\x00\x08\x00truncated", "DOCX"),
    ];
    for (name, bytes, expect) in cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let out = kehoach(&["import", name, "-o", "plan.toml"], dir.path());
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{name} should be refused");
        assert!(stderr.contains(name), "{name}: the message names the file: {stderr}");
        assert!(stderr.contains(expect), "{name}: {stderr}");
        assert!(!dir.path().join("plan.toml").exists(), "{name}: nothing written");
    }
    let out = kehoach(&["import", "missing.txt", "--json"], dir.path());
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("missing.txt"));
}

#[test]
fn periods_show_calendar_bounds_and_reporting_windows_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let out = kehoach(&["periods", "2025"], dir.path());
    assert!(out.status.success());
    let said = text(&out.stdout);
    assert_eq!(said.lines().count(), 20, "{said}");
    assert!(said.contains("2025-Q1   Quý I/2025"), "{said}");
    let h1 = said.lines().find(|l| l.starts_with("2025-H1")).unwrap();
    assert!(h1.contains("01/01/2025 – 30/06/2025") && h1.ends_with("15/12/2024 – 14/06/2025"), "{h1}");
    assert!(!kehoach(&["periods", "20250"], dir.path()).status.success());
}
