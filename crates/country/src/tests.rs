use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn count(on: NaiveDate, level: OrgLevel) -> usize {
    country().on(on).filter(|u| u.level == level).count()
}

/// The counts the law gives: 63 provinces and 696 district-level units
/// until 30/06/2025, 34 provinces and 3,321 communes from 01/07/2025.
#[test]
fn the_country_before_and_after_the_reform() {
    let (before, after) = (day(2025, 6, 30), REFORM);
    assert_eq!(count(before, OrgLevel::Province), 63);
    assert_eq!(count(before, OrgLevel::District), 696);
    assert_eq!(count(before, OrgLevel::Commune), 10_035);
    assert_eq!(count(after, OrgLevel::Province), 34);
    assert_eq!(count(after, OrgLevel::District), 0);
    assert_eq!(count(after, OrgLevel::Commune), 3_321);
    assert_eq!(count(after, OrgLevel::Nation), 1);
    let vn = country().unit_on("VN", after).unwrap();
    assert_eq!((vn.name.as_str(), vn.parent.as_deref()), ("Việt Nam", None));
}

/// Every parent is there on the days its child is: a commune's district
/// before, its province after; a province's, the country.
#[test]
fn every_parent_exists_while_its_child_does() {
    let c = country();
    for u in &c.units {
        let Some(parent) = u.parent.as_deref() else { continue };
        let on = u.valid_to.or(u.valid_from).unwrap();
        let p = c.unit_on(parent, on).unwrap_or_else(|| panic!("{} {}: no parent {parent} on {on}", u.code, u.name));
        assert!(p.level < u.level, "{} under {}", u.name, p.name);
    }
}

/// Bến Tre (83), Trà Vinh (84) and old Vĩnh Long (86) make the new Vĩnh
/// Long (86); its figures carry over whole.
#[test]
fn ben_tre_went_into_the_new_vinh_long() {
    let c = country();
    let ben_tre = c.unit_on("83", day(2025, 1, 1)).unwrap();
    assert_eq!(ben_tre.name, "Tỉnh Bến Tre");
    assert_eq!(ben_tre.successor.as_deref(), Some("86"));
    let went: Vec<(&str, &str, bool)> =
        c.successors(ben_tre).iter().map(|(l, u)| (u.code.as_str(), u.name.as_str(), l.whole)).collect();
    assert_eq!(went, [("86", "Tỉnh Vĩnh Long", true)]);
    let vinh_long = c.unit_on("86", REFORM).unwrap();
    let mut from: Vec<&str> = c.predecessors(vinh_long).iter().map(|(_, u)| u.code.as_str()).collect();
    from.sort();
    assert_eq!(from, ["83", "84", "86"]);
    // A district of Bến Tre, abolished, carries over to the new province.
    let giong_trom = c.unit_on("834", day(2025, 1, 1)).unwrap();
    assert_eq!((giong_trom.name.as_str(), giong_trom.successor.as_deref()), ("Huyện Giồng Trôm", Some("86")));
}

/// A commune formed on 01/07/2025 names the communes it was formed from.
#[test]
fn a_new_commune_names_its_predecessors() {
    let c = country();
    let new = c.unit_on("28984", REFORM).unwrap();
    assert_eq!((new.name.as_str(), new.parent.as_deref()), ("Xã Giồng Trôm", Some("86")));
    let mut from: Vec<(&str, &str)> =
        c.predecessors(new).iter().map(|(_, u)| (u.code.as_str(), u.name.as_str())).collect();
    from.sort();
    assert_eq!(from, [("28984", "Thị trấn Giồng Trôm"), ("29017", "Xã Bình Hòa"), ("29032", "Xã Bình Thành")]);
    let old = c.unit_on("29017", day(2025, 6, 30)).unwrap();
    assert_eq!(old.successor.as_deref(), Some("28984"));
}

/// A commune divided between several new ones says so, and carries over
/// whole to none of them.
#[test]
fn a_divided_commune_says_where_each_part_went() {
    let c = country();
    let divided = c.units.iter().find(|u| c.successors(u).len() > 1).expect("divided communes");
    let parts = c.successors(divided);
    assert!(parts.iter().all(|(l, _)| !l.whole), "{}: {parts:?}", divided.name);
    assert_eq!(divided.successor, None);
    let divided_count = c.lineage.iter().filter(|l| !l.whole).count();
    assert!(divided_count > 1000, "{divided_count}");
}

#[test]
fn names_are_nfc_and_codes_unique_on_any_day() {
    use std::collections::HashSet;
    let c = country();
    for on in [day(2025, 6, 30), REFORM] {
        let mut seen = HashSet::new();
        for u in c.on(on) {
            assert!(seen.insert(&u.code), "{} twice on {on}", u.code);
        }
    }
    // The script normalises; a decomposed name would not match a typed one.
    assert!(c.units.iter().all(|u| !u.name.chars().any(|ch| ('\u{300}'..='\u{36f}').contains(&ch))));
}

#[test]
fn a_bad_line_is_named_with_its_file_and_line() {
    let units = "# code\tlevel\tname\tparent\tvalid_from\tvalid_to\nVN\tcountry\tViệt Nam\t\t\t\n01\tprovince\tHà Nội\tVN\t2025-13-01\t\n";
    let err = Country::read(units, "").unwrap_err();
    assert_eq!(err.to_string(), "units.tsv, line 3: “2025-13-01” is not a date (YYYY-MM-DD)");
    let err = Country::read("VN\tstate\tViệt Nam\t\t\t\n", "").unwrap_err();
    assert_eq!(err.line, 1);
    let err = Country::read("", "commune\t1\t2\tmaybe\n").unwrap_err();
    assert_eq!(err.to_string(), "lineage.tsv, line 1: “maybe” is neither yes nor no");
}

/// A plan's region over its span, by code or by name: 86 over 2025 is the
/// new Vĩnh Long (the later of the two), over the first half the old one;
/// "Bến Tre" over 2025 is the province, not the city.
#[test]
fn a_region_is_found_over_a_span() {
    let c = country();
    let half = (day(2025, 1, 1), day(2025, 6, 30));
    let year = (day(2025, 1, 1), day(2025, 12, 31));
    assert_eq!(c.find_during("86", year.0, year.1).unwrap().valid_from, Some(REFORM));
    assert_eq!(c.find_during("86", half.0, half.1).unwrap().valid_to, Some(day(2025, 6, 30)));
    assert_eq!(c.find_during("Bến Tre", year.0, year.1).unwrap().code, "83");
    assert!(c.find_during("83", day(2026, 1, 1), day(2026, 12, 31)).is_none());
}
