//! `kehoach units`: the country's units as the issue counts them, a unit's
//! lineage, and a code or day that names no unit.

use crate::kehoach;

fn json(args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let out = kehoach(args, dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn count(on: &str, level: &str) -> usize {
    json(&["units", "list", "--on", on, "--level", level, "--json"]).as_array().unwrap().len()
}

#[test]
fn the_country_is_listed_as_the_law_counts_it() {
    assert_eq!(count("2025-07-01", "province"), 34);
    assert_eq!(count("2025-07-01", "commune"), 3_321);
    assert_eq!(count("2025-06-30", "province"), 63);
    assert_eq!(count("2025-06-30", "district"), 696);
    // In Vietnamese order of the names without their level word: An Giang
    // first, Vĩnh Long after Tuyên Quang.
    let provinces = json(&["units", "list", "--on", "2025-07-01", "--level", "province", "--json"]);
    let names: Vec<&str> = provinces.as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names[0], "Tỉnh An Giang");
    let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
    assert!(at("Tỉnh Tuyên Quang") < at("Tỉnh Vĩnh Long"));
    assert!(at("Tỉnh Điện Biên") > at("Thành phố Đà Nẵng"), "đ after d, Đà before Điện: {names:?}");
}

#[test]
fn a_unit_shows_what_it_went_into_and_was_formed_from() {
    let ben_tre = json(&["units", "show", "83", "--json"]);
    assert_eq!(ben_tre["name"], "Tỉnh Bến Tre");
    assert_eq!(ben_tre["valid_to"], "2025-06-30");
    let successors: Vec<&str> =
        ben_tre["successors"].as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap()).collect();
    assert!(successors.contains(&"86"), "{ben_tre}");
    // A commune formed on 01/07/2025 names the communes it was formed from.
    let giong_trom = json(&["units", "show", "28984", "--json"]);
    assert_eq!(giong_trom["valid_from"], "2025-07-01");
    let from: Vec<&str> =
        giong_trom["predecessors"].as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap()).collect();
    assert_eq!(from.len(), 3, "{giong_trom}");
    assert!(from.contains(&"29017"));
    // The code on an earlier day is the old unit.
    let old = json(&["units", "show", "86", "--on", "2025-06-30", "--json"]);
    assert_eq!((old["name"].as_str(), old["valid_to"].as_str()), (Some("Tỉnh Vĩnh Long"), Some("2025-06-30")));
    assert_eq!(old["successors"][0]["code"], "86");
    // Within a unit, by search.
    let bt = json(&["units", "list", "--on", "2025-06-30", "--in", "83", "--level", "district", "--json"]);
    assert_eq!(bt.as_array().unwrap().len(), 9);
    let found = json(&["units", "list", "--on", "2025-07-01", "--search", "giong trom", "--json"]);
    assert_eq!(found[0]["code"], "28984");
}

#[test]
fn a_code_that_names_no_unit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = kehoach(&["units", "show", "99999"], dir.path());
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("no unit “99999” in the country"), "{said}");
    let out = kehoach(&["units", "show", "83", "--on", "2025-07-01"], dir.path());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no unit “83” on 01/07/2025"));
}
