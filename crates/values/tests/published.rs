//! The figures published for the seed plan (data/ben-tre-published.csv) read
//! against the built-in plan; bad files are rejected whole, every error said.

use kehoach_domain::org::{OrgLevel, OrgUnit};

use kehoach_domain::period::Period;
use kehoach_domain::value::ValueStatus;
use kehoach_values::read_csv;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn plan() -> kehoach_domain::Plan {
    kehoach_planfile::from_toml(&std::fs::read_to_string(root().join("data/plans/ben-tre-2025.toml")).unwrap()).unwrap()
}

fn units() -> Vec<OrgUnit> {
    let text = std::fs::read_to_string(root().join("data/org-units/ben-tre.toml")).unwrap();
    kehoach_planfile::org_units_from_toml(&text).unwrap()
}

#[test]
fn the_built_in_units_follow_bến_tre_into_vĩnh_long() {
    let all = units();
    assert_eq!(all.len(), 11);
    assert_eq!(all.iter().filter(|u| u.level == OrgLevel::District).count(), 9);
    let giong_trom = kehoach_domain::org::find(&all, "Giồng Trôm").unwrap();
    let after = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    assert_eq!(kehoach_domain::org::current(&all, giong_trom, after).name, "Vĩnh Long");
}

#[test]
fn the_published_figures_read_against_the_built_in_plan() {
    let text = std::fs::read_to_string(root().join("data/ben-tre-published.csv")).unwrap();
    let rows = read_csv(&text, &plan(), &units()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.len(), 16);
    let last = rows.last().unwrap();
    assert_eq!((last.measure.as_str(), last.period, last.org_unit.as_str()), ("a.1", Period::Year(2025), "86"));
    assert_eq!((last.value, last.status), (Decimal::from_str("5.84").unwrap(), ValueStatus::Preliminary));
    let exports = rows.iter().find(|r| r.measure == "c.1").unwrap();
    assert_eq!(exports.value, Decimal::from(1630));
}

#[test]
fn a_bad_file_is_rejected_with_every_error() {
    let text = "measure,period,org_unit,value,status,note\n\
                a.1,2025,Bến Tre,\"5,84\",official,ok\n\
                z.9,2025,,1,,\n\
                a.1,2025-13,,1,,\n\
                a.1,2025,Hà Nội,1,,\n\
                a.1,2025-Q1,,một,,\n\
                a.1,2025,,1,final,\n\
                a.1,2025,Bến Tre,\"5,84\",official,again\n\
                c.1,2027,,1,,\n\
                c.1,2025-09,Bến Tre,1,,\n";
    let err = read_csv(text, &plan(), &units()).unwrap_err();
    let lines: Vec<String> = err.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "line 3, column measure: no measure or component “z.9” in the plan",
            "line 4, column period: “2025-13” is not a period: write 2025, 2025-H1, 2025-9M, 2025-Q3 or 2025-09",
            "line 5, column org_unit: no unit “Hà Nội”",
            "line 6, column value: “một” is not a number (write 1.850,5 or 1850.5)",
            "line 7, column status: “final” is not a status: estimate (ước tính), preliminary (sơ bộ) or official (chính thức)",
            "line 8: the same figure (measure, period, unit, status) as line 2",
            "line 9, column period: 2027 is after the plan year 2025",
            "line 10, column org_unit: Bến Tre did not exist in 2025-09; its figures go to Vĩnh Long",
        ]
    );
    assert!(err.to_string().starts_with("8 error(s), nothing imported:"));
}

#[test]
fn headers_are_checked_first() {
    let err = read_csv("measure,when,value\nc.1,2025,1\n", &plan(), &units()).unwrap_err();
    assert_eq!(
        err.0[0].to_string(),
        "line 1, column 2: unknown column “when” (expected measure,period,org_unit,value,status,note)"
    );
    assert!(err.0.iter().any(|e| e.message.contains("“period” is missing")));
}

#[test]
fn vietnamese_and_plain_numbers_and_the_default_unit() {
    let rows = read_csv("measure,period,value\nc.1,2025-09,1.850\nc.1,2025-08,1850.5\n", &plan(), &units()).unwrap();
    assert_eq!(rows[0].value, Decimal::from(1850));
    assert_eq!(rows[1].value, Decimal::from_str("1850.5").unwrap());
    assert_eq!(rows[0].org_unit, "83");
    assert_eq!(rows[0].status, ValueStatus::Estimate);
}

proptest::proptest! {
    #[test]
    fn never_panics(text in "\\PC{0,300}") {
        let _ = read_csv(&text, &plan(), &units());
    }
}
