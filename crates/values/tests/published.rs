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
    assert_eq!(rows.len(), 14);
    let last = rows.last().unwrap();
    assert_eq!((last.measure.as_str(), last.period, last.org_unit.as_str()), ("a.4", Period::FirstHalf(2025), "83"));
    assert_eq!((last.value, last.status), (Decimal::from_str("6.73").unwrap(), ValueStatus::Estimate));
    // The merged Vĩnh Long's figures describe a larger territory than Bến
    // Tre's plan is judged on: they are refused here, line by line.
    let merged = std::fs::read_to_string(root().join("data/vinh-long-published.csv")).unwrap();
    let err = read_csv(&merged, &plan(), &units()).unwrap_err();
    assert_eq!(err.0.len(), 2);
    assert!(
        err.0[0]
            .to_string()
            .starts_with("line 2, column org_unit: Vĩnh Long (86) is not part of Bến Tre (83) in 2025-9M"),
        "{err}"
    );
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
                c.1,2025-09,Vĩnh Long,1,,\n\
                c.1,2025-09,Giồng Trôm,1,,\n\
                c.1,2025-08,,\"10.000.000.000.000\",,\n\
                c.1,1900,,1,,\n";
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
            "line 10, column org_unit: Vĩnh Long (86) is not part of Bến Tre (83) in 2025-09: this plan is judged on \
             Bến Tre's own figures; give the figure for 83 or for a unit that made it up in 2025-09",
            "line 11, column org_unit: huyện Giồng Trôm (834) did not exist in 2025-09: give the figure for Bến Tre \
             (83) or for a unit that made it up in 2025-09",
            "line 12, column value: 10000000000000 is too large (a thousand billion units or more): check the unit",
            "line 13, column period: 1900 is more than 10 years before the plan year 2025: a typing mistake?",
        ]
    );
    assert!(err.to_string().starts_with("11 error(s), nothing imported:"));
}

#[test]
fn a_note_longer_than_the_form_takes_is_refused() {
    let long = "x".repeat(1001);
    let err = read_csv(&format!("measure,period,value,note\nc.1,2025-09,1,{long}\n"), &plan(), &units()).unwrap_err();
    assert_eq!(err.0[0].to_string(), "line 2, column note: the note is longer than 1000 characters");
    assert!(
        read_csv(&format!("measure,period,value,note\nc.1,2025-09,1,{}\n", "x".repeat(1000)), &plan(), &units())
            .is_ok()
    );
}

/// A plan is judged on its own region: a figure with no unit is the
/// region's, for any period of the plan (after the merger, the former
/// area's); a district's months before the merger count toward it, and so
/// does its first half; its year does not (by the year's end the district
/// was part of Vĩnh Long), so it is refused rather than stored to count for
/// nothing.
#[test]
fn a_figure_counts_for_the_plan_region_or_is_refused() {
    let ok = read_csv(
        "measure,period,org_unit,value\nc.1,2025-09,,10\nc.1,2025-08,Bến Tre,11\nc.1,2025-03,Giồng Trôm,12\nc.1,2025-H1,834,13\n",
        &plan(),
        &units(),
    )
    .unwrap();
    let units_of: Vec<&str> = ok.iter().map(|r| r.org_unit.as_str()).collect();
    assert_eq!(units_of, ["83", "83", "834", "834"]);
    let err = read_csv("measure,period,org_unit,value\nc.1,2025,834,14\n", &plan(), &units()).unwrap_err();
    assert!(err.to_string().contains("huyện Giồng Trôm (834) is not part of Bến Tre (83) in 2025"), "{err}");
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

/// A five-year plan takes figures up to its last year; a yearly plan stops
/// at its year.
#[test]
fn a_five_year_plan_takes_figures_to_its_last_year() {
    let text = "measure,period,value\nc.1,2027,1\n";
    let err = read_csv(text, &plan(), &units()).unwrap_err();
    assert!(err.to_string().contains("2027 is after the plan year 2025"), "{err}");
    assert_eq!(kehoach_values::read_csv_until(text, &plan(), &units(), 2029).unwrap().len(), 1);
    let err =
        kehoach_values::read_csv_until("measure,period,value\nc.1,2030,1\n", &plan(), &units(), 2029).unwrap_err();
    assert!(err.to_string().contains("2030 is after the plan's last year 2029"), "{err}");
}
