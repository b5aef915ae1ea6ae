//! `kehoach plan list|add|default` and the global `--plan`: plans side by
//! side, the one followed unchanged by another's arrival, and what is refused.

use std::path::Path;

use crate::kehoach;

fn ok(args: &[&str], dir: &Path) -> String {
    let out = kehoach(args, dir);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn refused(args: &[&str], dir: &Path) -> String {
    let out = kehoach(args, dir);
    assert!(!out.status.success(), "{args:?} was taken");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn resolution(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/data").join(name).display().to_string()
}

#[test]
fn a_plan_added_beside_the_built_in_one_changes_nothing_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    ok(&["init"], dir);
    let before = ok(&["status", "--period", "2025", "--json"], dir);
    let figures_before = ok(&["values", "list", "--measure", "c.1", "--json"], dir);

    // Nghệ An (40) adopted its 2026 plan.
    let nghe_an = resolution("genre/numbered.txt");
    let added = ok(&["plan", "add", &nghe_an, "--region", "40", "--year", "2026"], dir);
    assert!(added.starts_with("added plan 2: Tỉnh Nghệ An (year), 01/01/2026 – 31/12/2026"), "{added}");
    let list: serde_json::Value = serde_json::from_str(&ok(&["plan", "list", "--json"], dir)).unwrap();
    let plans: Vec<(i64, &str, &str, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["region"].as_str().unwrap(),
                p["kind"].as_str().unwrap(),
                p["default"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(plans, [(1, "83", "year", true), (2, "40", "year", false)]);

    // The new plan is judged when named; the built-in one, the default, as before.
    let judged: serde_json::Value =
        serde_json::from_str(&ok(&["--plan", "2", "status", "--period", "2026", "--json"], dir)).unwrap();
    // Nghệ An's 21 measures (keys 1.1 …), not the built-in plan's 55 (a.1 …).
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v["measures"].as_array().unwrap().iter().map(|m| m["key"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(keys(&judged).len(), 21, "{judged}");
    assert_eq!(keys(&judged)[0], "1.1");
    assert_eq!(ok(&["status", "--period", "2025", "--json"], dir), before);
    assert_eq!(ok(&["values", "list", "--measure", "c.1", "--json"], dir), figures_before);

    // The default changes only when asked, and says so.
    assert!(ok(&["plan", "default", "2"], dir).starts_with("plan 2 is the default"));
    let by_default: serde_json::Value =
        serde_json::from_str(&ok(&["status", "--period", "2026", "--json"], dir)).unwrap();
    assert_eq!(keys(&by_default), keys(&judged), "the default plan is plan 2 now");
    ok(&["plan", "default", "1"], dir);
    assert_eq!(ok(&["status", "--period", "2025", "--json"], dir), before);
}

#[test]
fn a_plan_for_no_region_of_its_span_or_over_another_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    ok(&["init"], dir);
    let nghe_an = resolution("genre/numbered.txt");
    let said = refused(&["plan", "add", &nghe_an, "--region", "99", "--year", "2026"], dir);
    assert!(said.contains("no unit “99” in the country"), "{said}");
    // Bến Tre ended on 30/06/2025.
    let said = refused(&["plan", "add", &nghe_an, "--region", "83", "--year", "2026"], dir);
    assert!(said.contains("83 did not exist during 01/01/2026 – 31/12/2026"), "{said}");
    assert!(said.contains("Tỉnh Bến Tre existed … – 30/06/2025"), "{said}");
    // The text is for 2026, not 2027.
    let said = refused(&["plan", "add", &nghe_an, "--region", "40", "--year", "2027"], dir);
    assert!(said.contains("is a plan for 2026, not for 2027"), "{said}");
    ok(&["plan", "add", &nghe_an, "--region", "40", "--year", "2026"], dir);
    let said = refused(
        &["plan", "add", &nghe_an, "--region", "40", "--from", "2026-07-01", "--to", "2026-12-31", "--kind", "year"],
        dir,
    );
    assert!(said.contains("a year plan from 2026 runs 2026-01-01 – 2026-12-31"), "{said}");
    let said = refused(&["plan", "add", &nghe_an, "--region", "40", "--year", "2026"], dir);
    assert!(said.contains("plan 2 is already a year plan for 40"), "{said}");
    let said = refused(&["--plan", "9", "status", "--period", "2025"], dir);
    assert!(said.contains("no plan 9 in the database"), "{said}");
    let said = refused(&["plan", "default", "9"], dir);
    assert!(said.contains("no plan 9 in the database"), "{said}");
    let list: serde_json::Value = serde_json::from_str(&ok(&["plan", "list", "--json"], dir)).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2, "nothing else was added");
}

/// Two provinces' 2025 plans whose GRDP growth carries one national
/// indicator code are compared on it, each against its own target.
#[test]
fn regions_are_compared_on_one_indicator() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    ok(&["init"], dir);
    for (file, plan) in [("genre/numbered-dot.txt", "th.toml"), ("genre/dashed-headings.txt", "dn.toml")] {
        ok(&["import", &resolution(file), "-o", plan], dir);
        let text = std::fs::read_to_string(dir.join(plan)).unwrap();
        // The planner gives the GRDP growth (1.1 in both) its code.
        let coded = text.replacen(
            "[[targets.measures]]\nkey = \"1.1\"\n",
            "[[targets.measures]]\nkey = \"1.1\"\nindicator = \"GRDP-TT\"\n",
            1,
        );
        assert_ne!(coded, text, "{plan} has a measure 1.1");
        std::fs::write(dir.join(plan), coded).unwrap();
    }
    ok(&["plan", "add", "th.toml", "--region", "38", "--year", "2025"], dir);
    ok(&["plan", "add", "dn.toml", "--region", "75", "--year", "2025"], dir);
    std::fs::write(dir.join("th.csv"), "measure,period,value,status\n1.1,2025,8.9,official\n").unwrap();
    ok(&["--plan", "2", "values", "import", "th.csv"], dir);
    let compared: serde_json::Value =
        serde_json::from_str(&ok(&["compare", "--code", "GRDP-TT", "--year", "2025", "--json"], dir)).unwrap();
    let rows: Vec<(&str, &str, Option<&str>, &str)> = compared
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["region"].as_str().unwrap(),
                r["target"].as_str().unwrap(),
                r["actual"].as_str(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    // In Vietnamese order of the provinces' names: Đồng Nai before Thanh Hóa.
    assert_eq!(rows, [("75", "8,0 - 8,5%", None, "no_data"), ("38", "≥ 11%", Some("8.9"), "not_achieved")]);
    let said = refused(&["compare", "--code", "NONE", "--year", "2025"], dir);
    assert!(said.contains("no plan of 2025 has a measure of indicator “NONE”"), "{said}");
}

/// A plan is judged on the region it was placed for, whatever name its text
/// gives: Bến Tre's resolution placed for the new Vĩnh Long (86) over the
/// rest of 2025 takes its figures at 86, and Bến Tre's plan keeps its own.
#[test]
fn a_plan_is_judged_on_the_region_it_was_placed_for() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    ok(&["init"], dir);
    let seed = resolution("ben-tre-2025-nghi-quyet.txt");
    let added = ok(&["plan", "add", &seed, "--region", "86", "--from", "2025-07-01", "--to", "2025-12-31"], dir);
    assert!(added.contains("Tỉnh Vĩnh Long (rest-of-year), 01/07/2025 – 31/12/2025"), "{added}");
    std::fs::write(dir.join("vl.csv"), "measure,period,value,status\nc.1,2025-09,412,official\n").unwrap();
    ok(&["--plan", "2", "values", "import", "vl.csv"], dir);
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&["--plan", "2", "values", "list", "--measure", "c.1", "--json"], dir)).unwrap();
    assert_eq!(listed[0]["unit"], "86", "{listed}");
    let built_in: serde_json::Value =
        serde_json::from_str(&ok(&["values", "list", "--measure", "c.1", "--period", "2025-09", "--json"], dir))
            .unwrap();
    assert!(built_in.as_array().unwrap().iter().all(|v| v["unit"] != "86"), "{built_in}");
}
