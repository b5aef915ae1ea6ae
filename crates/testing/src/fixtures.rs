//! The built-in plan of Bến Tre 2025 (`data/`), as the tests start from it.

use kehoach_domain::Plan;
use kehoach_domain::access::Role;
use kehoach_domain::org::OrgUnit;
use kehoach_domain::period::Period;
use kehoach_store::{Accounts, NewUser, NewValue, Setup};

use crate::root;

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The reviewed plan (`data/plans/ben-tre-2025.toml`).
pub fn plan() -> Plan {
    kehoach_planfile::from_toml(&read("data/plans/ben-tre-2025.toml")).expect("the built-in plan")
}

/// Bến Tre's units (`data/org-units/ben-tre.toml`).
pub fn units() -> Vec<OrgUnit> {
    kehoach_planfile::org_units_from_toml(&read("data/org-units/ben-tre.toml")).expect("the built-in units")
}

/// A new database's first load: the plan, its units, agencies and who
/// answers for each measure; no figures.
pub fn setup() -> Setup {
    let plan = plan();
    let (agencies, assignments) = kehoach_planfile::agencies_from_toml(&read("data/agencies/ben-tre.toml"), &plan)
        .expect("the built-in agencies");
    Setup { plan, units: units(), agencies, assignments, values: vec![] }
}

/// One user per role, named after it (`reporter`, `planner`, …), all with
/// the password whose hash is given; the reporter reports for the
/// Department of Industry and Trade (SCT).
pub async fn users(store: &impl Accounts, password_hash: &str) {
    for role in Role::ALL {
        let user = NewUser {
            username: role.as_str().into(),
            name: role.label_vi().into(),
            role,
            agency: (role == Role::Reporter).then(|| "SCT".into()),
            password_hash: password_hash.to_string(),
            must_change_password: false,
        };
        store.create_user(&user, "test").await.expect("a test user");
    }
}

/// An official figure as the command line records it (it counts once
/// stored): `value` of `measure` at `org_unit` for `period`.
pub fn recorded(measure: &str, org_unit: &str, period: Period, value: &str) -> NewValue {
    NewValue {
        measure: measure.into(),
        org_unit: org_unit.into(),
        period,
        value: value.parse().expect("a decimal"),
        status: kehoach_domain::value::ValueStatus::Official,
        note: String::new(),
        origin: kehoach_domain::value::Origin::Recorded,
        agency: None,
        expected_version: None,
    }
}
