//! What counts: an agency's figures count once an approver approves exactly
//! the versions shown; drafts, submitted and returned figures never do;
//! figures recorded by a planner count once stored. On both databases, and
//! on PostgreSQL under saves racing submissions.

use crate::common::{self, drop_database, postgres, root};

use kehoach_domain::access::SubmissionState;
use kehoach_domain::org::{Agency, Assignment};
use kehoach_domain::period::Period;
use kehoach_domain::value::{Origin, ValueStatus, Workflow};
use kehoach_store::{Accounts, Move, NewValue, PgStore, Refusal, Seen, SqliteStore, Store, StoreError, Which, chain};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A figure of Bến Tre (83) for `period`: the agency's when `agency` is
/// given, else recorded by a planner.
fn figure(measure: &str, period: Period, v: &str, agency: Option<&str>, seen: Option<u32>) -> NewValue {
    NewValue {
        measure: measure.into(),
        org_unit: "83".into(),
        period,
        value: d(v),
        status: ValueStatus::Estimate,
        note: String::new(),
        origin: if agency.is_some() { Origin::Entered } else { Origin::Recorded },
        agency: agency.map(Into::into),
        expected_version: seen,
    }
}

/// The built-in plan, its units, and SCT leading exports (c.1).
async fn setup(store: &impl Store) -> i64 {
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let plan = kehoach_planfile::from_toml(&read("data/plans/ben-tre-2025.toml")).unwrap();
    let units = kehoach_planfile::org_units_from_toml(&read("data/org-units/ben-tre.toml")).unwrap();
    store.put_org_units(&units, "admin").await.unwrap();
    let id = store.save_plan(&plan, "planner").await.unwrap();
    store.put_agencies(&[Agency { code: "SCT".into(), name: "Sở Công Thương".into() }], "admin").await.unwrap();
    store
        .assign(id, &[Assignment { measure: "c.1".into(), lead: "SCT".into(), contributors: vec![] }], "planner")
        .await
        .unwrap();
    id
}

fn step<'a>(
    period: Period,
    to: SubmissionState,
    expected: u32,
    comment: &'a str,
    seen: Option<&'a [Seen]>,
) -> Move<'a> {
    Move { agency: "SCT", period, to, comment, expected_version: expected, seen }
}

fn seen(version: u32) -> Vec<Seen> {
    vec![Seen { measure: "c.1".into(), org_unit: "83".into(), version }]
}

/// The released value of c.1 at 83 for a period, if any.
async fn counted(store: &impl Store, id: i64, period: Period) -> Option<(Decimal, u32)> {
    store
        .released_values(id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.measure == "c.1" && v.org_unit == "83" && v.period == period)
        .map(|v| (v.value, v.version))
}

async fn only_what_was_approved_counts(store: &(impl Store + Accounts)) {
    let id = setup(store).await;
    let oct = Period::Month(2025, 10);
    // A draft: stored, not counted.
    store
        .enter(
            id,
            &[figure("c.1", oct, "10.4567", Some("SCT"), Some(0))],
            Some(&step(oct, SubmissionState::Draft, 0, "", None)),
            "an",
        )
        .await
        .unwrap();
    assert_eq!(counted(store, id, oct).await, None);
    // Submitted: still not counted, and takes nothing new from any path.
    let moved = store.move_submission(id, &step(oct, SubmissionState::Submitted, 1, "", None), "an").await.unwrap();
    assert!(moved.released.is_empty());
    assert_eq!(counted(store, id, oct).await, None);
    let locked = store.submit_values(id, &[figure("c.1", oct, "11", Some("SCT"), Some(1))], "an").await.unwrap_err();
    assert!(matches!(locked, StoreError::Locked { state: SubmissionState::Submitted, .. }), "{locked}");
    let locked = store.submit_values(id, &[figure("c.1", oct, "999", None, None)], "cli").await.unwrap_err();
    assert!(matches!(locked, StoreError::Locked { .. }), "a planner's import too: {locked}");
    // Returned: never counts.
    store.move_submission(id, &step(oct, SubmissionState::Returned, 2, "Kiểm tra lại", None), "chi").await.unwrap();
    assert_eq!(counted(store, id, oct).await, None);
    // Corrected, submitted again, approved as seen: counts, exactly.
    store
        .enter(
            id,
            &[figure("c.1", oct, "10.4568", Some("SCT"), Some(1))],
            Some(&step(oct, SubmissionState::Submitted, 3, "", None)),
            "an",
        )
        .await
        .unwrap();
    let stale = store
        .move_submission(id, &step(oct, SubmissionState::Approved, 4, "", Some(&seen(1))), "chi")
        .await
        .unwrap_err();
    match &stale {
        StoreError::Changed { changes, .. } => assert_eq!(changes, &["c.1 83: v1 → v2"]),
        e => panic!("an approval of what changed: {e}"),
    }
    let missing =
        store.move_submission(id, &step(oct, SubmissionState::Approved, 4, "", None), "chi").await.unwrap_err();
    assert!(
        matches!(missing, StoreError::Refused(Refusal::ApprovalWithoutVersions { .. })),
        "an approval names what it approves: {missing}"
    );
    let moved =
        store.move_submission(id, &step(oct, SubmissionState::Approved, 4, "", Some(&seen(2))), "chi").await.unwrap();
    assert_eq!(moved.released.len(), 1);
    assert_eq!(
        (moved.released[0].value.to_string(), moved.released[0].workflow),
        ("10.4568".into(), Workflow::Approved)
    );
    assert_eq!(counted(store, id, oct).await, Some((d("10.4568"), 2)));
    // Unlocked and corrected: the approved figure counts until the new one
    // is approved.
    store.move_submission(id, &step(oct, SubmissionState::Unlocked, 5, "Sửa", None), "chi").await.unwrap();
    store
        .enter(
            id,
            &[figure("c.1", oct, "12", Some("SCT"), Some(2))],
            Some(&step(oct, SubmissionState::Draft, 6, "", None)),
            "an",
        )
        .await
        .unwrap();
    assert_eq!(counted(store, id, oct).await, Some((d("10.4568"), 2)));

    // Every version with where it stands.
    let which = Which { measure: "c.1".into(), period: Some(oct), org_unit: Some("83".into()) };
    let states: Vec<(u32, String, Workflow)> = store
        .value_versions(id, &which)
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.version, v.value.to_string(), v.workflow))
        .collect();
    assert_eq!(
        states,
        [
            (1, "10.4567".into(), Workflow::Returned),
            (2, "10.4568".into(), Workflow::Approved),
            (3, "12".into(), Workflow::Draft)
        ]
    );

    // A planner's recorded figure counts at once.
    let nov = Period::Month(2025, 11);
    store.submit_values(id, &[figure("c.1", nov, "150", None, None)], "cli").await.unwrap();
    assert_eq!(counted(store, id, nov).await, Some((d("150"), 1)));
}

async fn a_save_and_its_move_are_one_transaction(store: &(impl Store + Accounts)) {
    let id = setup(store).await;
    let oct = Period::Month(2025, 10);
    // The move is refused (a stale version): the figure is not stored either.
    let refused = store
        .enter(
            id,
            &[figure("c.1", oct, "5", Some("SCT"), Some(0))],
            Some(&step(oct, SubmissionState::Submitted, 7, "", None)),
            "an",
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::Conflict { .. }), "{refused}");
    assert!(store.latest_values(id).await.unwrap().is_empty(), "nothing stored");
    // Figures that no store can hold exactly, or that name no agency though
    // entered, are refused.
    for bad in ["-0", "0.0000001", "1000000000000"] {
        let mut v = figure("c.1", oct, "0", None, None);
        v.value = kehoach_domain::number::parse_decimal(bad).unwrap();
        let e = store.submit_values(id, &[v], "cli").await.unwrap_err();
        assert!(matches!(e, StoreError::Refused(Refusal::Figure { .. })), "{bad}: {e}");
    }
    let mut orphan = figure("c.1", oct, "5", None, None);
    orphan.origin = Origin::Entered;
    assert!(matches!(
        store.submit_values(id, &[orphan], "an").await,
        Err(StoreError::Refused(Refusal::AgencyOfFigure { .. }))
    ));
    assert!(store.latest_values(id).await.unwrap().is_empty());
}

/// What a hand at the database can do, and the check that finds it.
trait ByHand {
    async fn run(&self, sql: &str);
    async fn verify(&self) -> Result<chain::Intact, chain::Broken>;
}

impl ByHand for SqliteStore {
    async fn run(&self, sql: &str) {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).execute(self.pool()).await.unwrap();
    }
    async fn verify(&self) -> Result<chain::Intact, chain::Broken> {
        self.verify_audit().await.unwrap()
    }
}

impl ByHand for PgStore {
    async fn run(&self, sql: &str) {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).execute(self.pool()).await.unwrap();
    }
    async fn verify(&self) -> Result<chain::Intact, chain::Broken> {
        self.verify_audit().await.unwrap()
    }
}

/// The audit log is a hash chain over the records it wrote: a figure
/// rewritten, an approval deleted, an entry edited or removed (in the middle
/// or at the end), each directly in the database, is named; put back, the
/// log verifies again.
async fn the_audit_log_catches_changes_made_behind_its_back(store: &(impl Store + Accounts + ByHand)) {
    let id = setup(store).await;
    let oct = Period::Month(2025, 10);
    store.submit_values(id, &[figure("c.1", oct, "120", Some("SCT"), Some(0))], "an").await.unwrap();
    store.move_submission(id, &step(oct, SubmissionState::Submitted, 0, "", None), "an").await.unwrap();
    store.move_submission(id, &step(oct, SubmissionState::Approved, 1, "", Some(&seen(1))), "chi").await.unwrap();
    let intact = store.verify().await.unwrap();
    assert!(intact.records > 50 && intact.entries > 5, "{intact:?}");

    // A figure rewritten.
    store.run("UPDATE value_versions SET value = '999' WHERE measure = 'c.1'").await;
    let broken = store.verify().await.unwrap_err();
    assert!(matches!(broken, chain::Broken::RecordChanged { .. }), "{broken}");
    assert!(broken.to_string().contains("value.submit plan 1 c.1 83 2025-10"), "{broken}");
    store.run("UPDATE value_versions SET value = '120' WHERE measure = 'c.1'").await;
    assert!(store.verify().await.is_ok());

    // An approval deleted.
    store.run("DELETE FROM submission_figures WHERE state = 'approved'").await;
    store.run("DELETE FROM submissions WHERE state = 'approved'").await;
    let broken = store.verify().await.unwrap_err();
    assert!(matches!(broken, chain::Broken::RecordDeleted { .. }), "{broken}");
    assert!(broken.to_string().contains("submission.approved"), "{broken}");
}

async fn an_edited_or_removed_audit_entry_is_named(store: &(impl Store + Accounts + ByHand)) {
    let id = setup(store).await;
    let oct = Period::Month(2025, 10);
    store.submit_values(id, &[figure("c.1", oct, "120", None, Some(0))], "cli").await.unwrap();
    store.submit_values(id, &[figure("c.1", oct, "121", None, Some(1))], "cli").await.unwrap();
    assert!(store.verify().await.is_ok());
    let first = r#"detail LIKE '{"version":1,"value":"120"%'"#;
    store.run(&format!("UPDATE audit_log SET actor = 'someone else' WHERE {first}")).await;
    let broken = store.verify().await.unwrap_err();
    assert!(matches!(broken, chain::Broken::Edited { .. }), "{broken}");
    store.run(&format!("UPDATE audit_log SET actor = 'cli' WHERE {first}")).await;
    assert!(store.verify().await.is_ok());
    // The last entry removed: the head names it still.
    store.run(r#"DELETE FROM audit_log WHERE detail LIKE '{"version":2,"value":"121"%'"#).await;
    let broken = store.verify().await.unwrap_err();
    assert!(matches!(broken, chain::Broken::Cut { .. } | chain::Broken::RecordDeleted { .. }), "{broken}");
    // An entry removed from the middle.
    store.run("DELETE FROM audit_log WHERE action = 'measure.assign'").await;
    let broken = store.verify().await.unwrap_err();
    assert!(matches!(broken, chain::Broken::Unlinked { .. }), "{broken}");
}

on_both!(
    the_audit_log_catches_changes_made_behind_its_back_on_both,
    the_audit_log_catches_changes_made_behind_its_back
);
on_both!(an_edited_or_removed_audit_entry_is_named_on_both, an_edited_or_removed_audit_entry_is_named);
on_both!(only_what_was_approved_counts_on_both, only_what_was_approved_counts);
on_both!(a_save_and_its_move_are_one_transaction_on_both, a_save_and_its_move_are_one_transaction);

/// On PostgreSQL writers do not wait for each other by default: a save
/// racing the submission of its period could slip in beside it, so that the
/// approver approves a version nobody submitted. Each round races a save of
/// the agency's figure against the submission of the period; afterwards the
/// submission covers exactly the latest version, or the save was refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn saves_racing_submissions_and_approvals_never_slip_in_on_postgres() {
    let Some((store, name)) = postgres().await else { return };
    let id = setup(&store).await;
    let (mut refused, mut stored) = (0, 0);
    for round in 1..=24u32 {
        let period = Period::Month(2024 + ((round - 1) / 12) as i32, (round - 1) % 12 + 1);
        store
            .enter(
                id,
                &[figure("c.1", period, "100", Some("SCT"), Some(0))],
                Some(&step(period, SubmissionState::Draft, 0, "", None)),
                "an",
            )
            .await
            .unwrap();
        let (a, b) = (store.clone(), store.clone());
        let submit = tokio::spawn(async move {
            a.move_submission(id, &step(period, SubmissionState::Submitted, 1, "", None), "an").await
        });
        let save = tokio::spawn(async move {
            b.submit_values(id, &[figure("c.1", period, "200", Some("SCT"), Some(1))], "an").await
        });
        submit.await.unwrap().unwrap();
        match save.await.unwrap() {
            Ok(_) => stored += 1,
            Err(StoreError::Locked { .. }) => refused += 1,
            Err(e) => panic!("round {round}: {e}"),
        }
        // The approver is shown the latest version: approving it succeeds
        // only if that is what was submitted.
        let latest = store
            .value_versions(id, &Which { measure: "c.1".into(), period: Some(period), org_unit: Some("83".into()) })
            .await
            .unwrap();
        let last = latest.last().unwrap();
        assert_eq!(last.workflow, Workflow::Submitted, "round {round}: the latest version is the one submitted");
        let moved = store
            .move_submission(id, &step(period, SubmissionState::Approved, 2, "", Some(&seen(last.version))), "chi")
            .await
            .unwrap();
        assert_eq!(moved.released[0].version, last.version);
        // Nothing enters an approved period.
        let after = store.submit_values(id, &[figure("c.1", period, "300", None, None)], "cli").await;
        assert!(matches!(after, Err(StoreError::Locked { .. })), "round {round}");
    }
    eprintln!("{stored} saves went in before the submission, {refused} were refused after it");
    drop_database(store, name).await;
}

/// A database written before figures had a workflow opens with what counted
/// then still counting: a figure typed by someone who signs in belongs to its
/// measure's lead agency and counts where that agency's period was approved;
/// one loaded from the command line was recorded and counts; a draft does
/// not.
#[tokio::test]
async fn a_database_of_the_previous_schema_keeps_what_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let url = format!("sqlite://{}", path.display());
    {
        use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
        let options = SqliteConnectOptions::from_str(&url).unwrap().create_if_missing(true);
        let pool = SqlitePoolOptions::new().connect_with(options).await.unwrap();
        // The schema before 0007 (the workflow).
        kehoach_store::migrator::<sqlx::Sqlite>().run_to(6, &pool).await.unwrap();
        let plan = std::fs::read_to_string(root().join("data/plans/ben-tre-2025.toml")).unwrap();
        let plan = serde_json::to_string(&kehoach_planfile::from_toml(&plan).unwrap()).unwrap();
        let at = "2025-10-01T00:00:00.000Z";
        for (sql, binds) in [
            (
                "INSERT INTO org_units (code, unit) VALUES ('83', '{\"code\":\"83\",\"name\":\"Bến Tre\",\"level\":\"province\"}')",
                vec![],
            ),
            (
                "INSERT INTO plans (id, region, year, plan, recorded_at, recorded_by) VALUES (1, 'Bến Tre', 2025, $1, $2, 'cli:root')",
                vec![plan.as_str(), at],
            ),
            ("INSERT INTO agencies (code, name) VALUES ('SCT', 'Sở Công Thương')", vec![]),
            ("INSERT INTO assignments (plan_id, measure, lead, contributors) VALUES (1, 'c.1', 'SCT', '[]')", vec![]),
            (
                "INSERT INTO users (username, name, role, agency, password_hash, created_at) VALUES ('an', 'An', 'reporter', 'SCT', 'x', $1)",
                vec![at],
            ),
            (
                "INSERT INTO value_versions (plan_id, measure, org_unit, period, version, value, status, note, entered_by, entered_at) VALUES (1, 'c.1', '83', '2025-09', 1, '100.5', 'estimate', '', 'an', $1)",
                vec![at],
            ),
            (
                "INSERT INTO value_versions (plan_id, measure, org_unit, period, version, value, status, note, entered_by, entered_at) VALUES (1, 'c.1', '83', '2025-10', 1, '110', 'estimate', '', 'cli:root', $1)",
                vec![at],
            ),
            (
                "INSERT INTO value_versions (plan_id, measure, org_unit, period, version, value, status, note, entered_by, entered_at) VALUES (1, 'c.1', '83', '2025-11', 1, '120', 'estimate', '', 'an', $1)",
                vec![at],
            ),
            (
                "INSERT INTO submissions (plan_id, agency, period, version, state, comment, by_user, at) VALUES (1, 'SCT', '2025-09', 1, 'submitted', '', 'an', $1)",
                vec![at],
            ),
            (
                "INSERT INTO submissions (plan_id, agency, period, version, state, comment, by_user, at) VALUES (1, 'SCT', '2025-09', 2, 'approved', '', 'chi', $1)",
                vec![at],
            ),
            (
                "INSERT INTO submissions (plan_id, agency, period, version, state, comment, by_user, at) VALUES (1, 'SCT', '2025-11', 1, 'draft', '', 'an', $1)",
                vec![at],
            ),
        ] {
            let mut q = sqlx::query(sql);
            for b in binds {
                q = q.bind(b);
            }
            q.execute(&pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        pool.close().await;
    }
    let store = SqliteStore::open(&url).await.unwrap();
    let counted: Vec<(String, String, Workflow)> = store
        .released_values(1)
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.period.to_string(), v.value.to_string(), v.workflow))
        .collect();
    assert_eq!(
        counted,
        [("2025-09".into(), "100.5".into(), Workflow::Approved), ("2025-10".into(), "110".into(), Workflow::Recorded)]
    );
    let latest = store.latest_values(1).await.unwrap();
    let november = latest.iter().find(|v| v.period.to_string() == "2025-11").unwrap();
    assert_eq!((november.workflow, november.agency.as_deref()), (Workflow::Draft, Some("SCT")));
}

/// A database from before the chain: its entries are chained and its
/// records sealed when it is next opened, once; it then verifies.
#[tokio::test]
async fn a_database_from_before_the_chain_is_sealed_when_opened() {
    let (store, dir) = common::sqlite().await;
    let id = setup(&store).await;
    store.submit_values(id, &[figure("c.1", Period::Month(2025, 10), "120", None, Some(0))], "cli").await.unwrap();
    store.run("DELETE FROM audit_head").await;
    store.run("UPDATE audit_log SET records = '', prev_hash = NULL, hash = NULL").await;
    let again = SqliteStore::open(&format!("sqlite://{}", dir.url)).await.unwrap();
    let intact = again.verify().await.unwrap();
    assert!(intact.records > 50, "{intact:?}");
    let seal = again.audit(1).await.unwrap();
    assert_eq!(seal[0].action, "audit.seal");
    // Sealed once: opening again adds nothing.
    let entries = intact.entries;
    let third = SqliteStore::open(&format!("sqlite://{}", dir.url)).await.unwrap();
    assert_eq!(third.verify().await.unwrap().entries, entries);
}
