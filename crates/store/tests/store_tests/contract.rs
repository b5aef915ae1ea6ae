//! One contract, both databases. SQLite always runs (a fresh file per test);
//! PostgreSQL runs where `KEHOACH_TEST_POSTGRES` names a server (a fresh
//! database per test), which `.ci/run` always sets. Under `CI=true` a missing
//! server fails the suite rather than skipping it.

use crate::common::{self, root, sqlite};

use chrono::NaiveDate;
use kehoach_domain::period::Period;
use kehoach_domain::value::ValueStatus;
use kehoach_domain::{Comparator, Plan};
use kehoach_store::{Accounts, Against, Drafts, Move, NewUser, NewValue, Revision, Setup, Store, StoreError};
use rust_decimal::Decimal;
use std::str::FromStr;

fn plan() -> Plan {
    kehoach_planfile::from_toml(&std::fs::read_to_string(root().join("data/plans/ben-tre-2025.toml")).unwrap()).unwrap()
}

fn units() -> Vec<kehoach_domain::org::OrgUnit> {
    kehoach_planfile::org_units_from_toml(&std::fs::read_to_string(root().join("data/org-units/ben-tre.toml")).unwrap())
        .unwrap()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn value(measure: &str, period: &str, v: &str, expected: Option<u32>) -> NewValue {
    NewValue {
        measure: measure.into(),
        org_unit: "83".into(),
        period: period.parse().unwrap(),
        value: d(v),
        status: ValueStatus::Estimate,
        note: String::new(),
        origin: kehoach_domain::value::Origin::Recorded,
        agency: None,
        expected_version: expected,
    }
}

fn bến_tre_2025(id: i64, code: Option<&str>) -> kehoach_store::PlanEntry {
    kehoach_store::PlanEntry {
        id,
        region: "Bến Tre".into(),
        region_code: code.map(Into::into),
        year: 2025,
        kind: kehoach_domain::PlanKind::Year,
        from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
    }
}

/// Plans side by side: added for a region over a span, never changing one
/// another; one of the same kind over part of another's span for the same
/// region is refused; the default is the first until another is chosen.
async fn plans_side_by_side(store: &(impl Store + Accounts)) {
    use kehoach_domain::PlanKind;
    let first = store.save_plan(&plan(), "planner").await.unwrap();
    assert_eq!(store.default_plan().await.unwrap(), Some(first));
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let next_year = Plan { year: 2026, region: "Vĩnh Long".into(), ..plan() };
    let new = kehoach_store::NewPlan {
        plan: &next_year,
        region_code: "86",
        kind: PlanKind::Year,
        from: day(2026, 1, 1),
        to: day(2026, 12, 31),
    };
    let second = store.add_plan(&new, "planner").await.unwrap();
    let five = kehoach_store::NewPlan { kind: PlanKind::FiveYear, to: day(2030, 12, 31), ..new };
    let third = store.add_plan(&five, "planner").await.unwrap();
    // A yearly plan for 86 over part of 2026 again: refused, nothing added.
    let rest = kehoach_store::NewPlan { from: day(2026, 7, 1), ..new };
    let refused = store.add_plan(&rest, "planner").await.unwrap_err();
    assert!(
        matches!(refused, StoreError::Refused(kehoach_store::Refusal::PlanOverlaps { other, .. }) if other == second)
    );
    let listed = store.plans().await.unwrap();
    assert_eq!(listed.iter().map(|p| p.id).collect::<Vec<_>>(), [first, second, third]);
    assert_eq!(
        (listed[2].kind, listed[2].from, listed[2].to),
        (PlanKind::FiveYear, day(2026, 1, 1), day(2030, 12, 31))
    );
    assert_eq!(listed[1].region_code.as_deref(), Some("86"));
    assert_eq!(store.plan(first, Against::Current).await.unwrap(), plan(), "the first plan is as it was");
    store.choose_default_plan(second, "admin").await.unwrap();
    assert_eq!(store.default_plan().await.unwrap(), Some(second));
    assert!(matches!(store.choose_default_plan(99, "admin").await, Err(StoreError::NotFound(_))));
    let log = store.audit(100).await.unwrap();
    assert!(log.iter().any(|e| e.action == "plan.default" && e.entity == format!("plan {second}")));
}

on_both!(plans_side_by_side_on_both, plans_side_by_side);

async fn plans_and_revisions(store: &impl Store) {
    let original = plan();
    let id = store.save_plan(&original, "planner").await.unwrap();
    assert_eq!(store.plan(id, Against::Original).await.unwrap(), original);
    assert_eq!(store.plan(id, Against::Current).await.unwrap(), original);
    assert_eq!(store.plans().await.unwrap(), vec![bến_tre_2025(id, None)]);

    // Resolution 01/2025/NQ-HĐND of 19/02/2025 raised GRDP growth to at least 8 %.
    let mut raised = original.measure("a.1").unwrap().clone();
    raised.comparator = Comparator::AtLeast;
    raised.value = Some(d("8"));
    raised.low = None;
    raised.high = None;
    let revision = Revision {
        measure: raised,
        decision: "01/2025/NQ-HĐND".into(),
        decided_on: NaiveDate::from_ymd_opt(2025, 2, 19).unwrap(),
    };
    assert_eq!(store.revise(id, &revision, "planner").await.unwrap(), 2);

    let current = store.plan(id, Against::Current).await.unwrap();
    assert_eq!(current.measure("a.1").unwrap().comparator, Comparator::AtLeast);
    assert_eq!(current.measure("a.1").unwrap().value, Some(d("8")));
    let kept = store.plan(id, Against::Original).await.unwrap();
    assert_eq!(kept.measure("a.1").unwrap().low, Some(d("6.0")));
    let history = store.measure_history(id, "a.1").await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].decision.as_deref(), Some("01/2025/NQ-HĐND"));
    assert_eq!(history[0].measure.high, Some(d("6.5")));

    let mut unknown = revision.clone();
    unknown.measure.key = "zz.1".into();
    assert!(matches!(store.revise(id, &unknown, "planner").await, Err(StoreError::NotFound(_))));
    assert!(matches!(store.plan(id + 100, Against::Current).await, Err(StoreError::NotFound(_))));

    let audit = store.audit(10).await.unwrap();
    assert_eq!(audit[0].action, "measure.revise");
    assert_eq!(
        audit[0].detail,
        r#"{"measure":"a.1","target":"≥ 8%","decision":"01/2025/NQ-HĐND","decided_on":"2025-02-19"}"#
    );
    assert_eq!(audit[0].detail_en(), "a.1 → ≥ 8% by 01/2025/NQ-HĐND of 19/02/2025");
    assert_eq!(audit[1].action, "plan.save");
}

async fn figures_keep_every_version(store: &impl Store) {
    store.put_org_units(&units(), "admin").await.unwrap();
    assert_eq!(store.org_units().await.unwrap().len(), 11);
    let id = store.save_plan(&plan(), "planner").await.unwrap();

    assert_eq!(store.submit_values(id, &[value("c.1", "2025-09", "1.5", Some(0))], "reporter").await.unwrap(), [1]);
    let mut revised = value("c.1", "2025-09", "1500.25", Some(1));
    revised.status = ValueStatus::Preliminary;
    assert_eq!(store.submit_values(id, &[revised], "reporter").await.unwrap(), [2]);

    // Someone who still saw version 1 is refused, not silently overwritten.
    let stale = store.submit_values(id, &[value("c.1", "2025-09", "9", Some(1))], "other").await;
    assert!(matches!(stale, Err(StoreError::Conflict { expected: 1, current: 2, .. })), "{stale:?}");

    let history = store.value_history(id, "c.1", "83", Period::Month(2025, 9)).await.unwrap();
    let got: Vec<(u32, Decimal, ValueStatus)> = history.iter().map(|v| (v.version, v.value, v.status)).collect();
    assert_eq!(got, [(1, d("1.5"), ValueStatus::Estimate), (2, d("1500.25"), ValueStatus::Preliminary)]);
    let latest = store.latest_values(id).await.unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!((latest[0].version, latest[0].value), (2, d("1500.25")));
    assert_eq!(store.audit(1).await.unwrap()[0].action, "value.submit");
}

async fn a_batch_is_all_or_nothing(store: &impl Store) {
    store.put_org_units(&units(), "admin").await.unwrap();
    let id = store.save_plan(&plan(), "planner").await.unwrap();
    store.submit_values(id, &[value("a.1", "2025", "5.84", Some(0))], "reporter").await.unwrap();
    let audit_before = store.audit(1000).await.unwrap().len();
    let batch = [value("c.1", "2025", "1900", Some(0)), value("a.1", "2025", "6.1", Some(0))];
    let refused = store.submit_values(id, &batch, "reporter").await;
    assert!(matches!(refused, Err(StoreError::Conflict { .. })), "{refused:?}");
    // Neither figure nor its audit line was kept.
    assert!(store.value_history(id, "c.1", "83", Period::Year(2025)).await.unwrap().is_empty());
    assert_eq!(store.audit(1000).await.unwrap().len(), audit_before);
    // An unknown unit breaks the foreign key: refused, nothing kept.
    let mut nowhere = value("c.1", "2025", "1900", Some(0));
    nowhere.org_unit = "99".into();
    assert!(store.submit_values(id, &[nowhere], "reporter").await.is_err());
    assert!(store.latest_values(id).await.unwrap().iter().all(|v| v.measure == "a.1"));
}

async fn concurrent_edits_are_detected(store: &(impl Store + Clone + 'static)) {
    store.put_org_units(&units(), "admin").await.unwrap();
    let id = store.save_plan(&plan(), "planner").await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..6 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store.submit_values(id, &[value("g.1", "2025-Q3", &format!("3{i}"), Some(0))], &format!("r{i}")).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Conflict { .. }) => {}
            // SQLite may report a lock it could not wait out; never a lost write.
            Err(StoreError::Busy) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(ok, 1, "exactly one of the writers who saw no figure wins");
    assert_eq!(store.value_history(id, "g.1", "83", Period::Quarter(2025, 3)).await.unwrap().len(), 1);
}

async fn init_is_one_transaction(store: &impl Store) {
    // A figure for a unit that is not loaded breaks the last step: nothing of
    // the first steps stays.
    let mut bad = value("c.1", "2025", "1900", None);
    bad.org_unit = "99".into();
    let setup = |values: Vec<NewValue>| Setup {
        plan: plan(),
        units: units(),
        agencies: vec![kehoach_domain::org::Agency { code: "CTK".into(), name: "Thống kê tỉnh".into() }],
        assignments: vec![kehoach_domain::org::Assignment {
            measure: "a.1".into(),
            lead: "CTK".into(),
            contributors: vec![],
        }],
        values,
    };
    assert!(store.init(&setup(vec![value("a.1", "2025", "5.84", None), bad]), "admin").await.is_err());
    assert!(store.plans().await.unwrap().is_empty());
    assert!(store.org_units().await.unwrap().is_empty());
    assert!(store.audit(10).await.unwrap().is_empty());

    assert!(store.agencies().await.unwrap().is_empty());
    let id = store.init(&setup(vec![value("a.1", "2025", "5.84", None)]), "admin").await.unwrap();
    assert_eq!(store.latest_values(id).await.unwrap().len(), 1);
    assert_eq!(store.assignments(id).await.unwrap().len(), 1);
    let again = store.init(&setup(vec![]), "admin").await;
    assert!(matches!(again, Err(StoreError::Invalid(ref m)) if m.contains("already holds 1 plan")), "{again:?}");
}

async fn task_progress_keeps_every_report(store: &impl Store) {
    use kehoach_domain::progress::{Milestone, TaskProgress, TaskStatus};
    let id = store.save_plan(&plan(), "planner").await.unwrap();
    let task = plan().tasks.iter().find(|t| t.object.contains("Bệnh viện đa khoa")).unwrap().key.clone();
    let mut report = TaskProgress {
        task: task.clone(),
        status: TaskStatus::InProgress,
        percent: Some(d("35")),
        milestones: vec![Milestone {
            name: "khởi công".into(),
            due: NaiveDate::from_ymd_opt(2025, 6, 30),
            reached: None,
        }],
        narrative: "Đang hoàn thiện thủ tục đầu tư.".into(),
    };
    assert_eq!(store.report_progress(id, &report, 0, "health").await.unwrap(), 1);
    report.percent = Some(d("60"));
    assert_eq!(store.report_progress(id, &report, 1, "health").await.unwrap(), 2);
    assert!(matches!(
        store.report_progress(id, &report, 1, "other").await,
        Err(StoreError::Conflict { current: 2, .. })
    ));
    report.percent = Some(d("140"));
    assert!(matches!(
        store.report_progress(id, &report, 2, "health").await,
        Err(StoreError::Refused(kehoach_store::Refusal::Progress { .. }))
    ));
    report.percent = Some(d("60"));
    report.task = "zz.9".into();
    assert!(matches!(store.report_progress(id, &report, 0, "health").await, Err(StoreError::NotFound(_))));
    let history = store.task_history(id, &task).await.unwrap();
    assert_eq!(history.iter().map(|h| h.1.percent).collect::<Vec<_>>(), [Some(d("35")), Some(d("60"))]);
    assert_eq!(history[1].2, "health");
    assert_eq!(store.audit(1).await.unwrap()[0].action, "task.progress");
}

async fn agencies_answer_for_measures(store: &impl Store) {
    use kehoach_domain::org::{Agency, Assignment};
    let id = store.save_plan(&plan(), "planner").await.unwrap();
    store.put_agencies(&[Agency { code: "SCT".into(), name: "Sở Công Thương".into() }], "admin").await.unwrap();
    store.put_org_units(&units(), "admin").await.unwrap();
    let exports =
        Assignment { measure: "c.1".into(), lead: "SCT".into(), contributors: vec!["829".into(), "836".into()] };
    store.assign(id, std::slice::from_ref(&exports), "planner").await.unwrap();
    assert_eq!(store.assignments(id).await.unwrap(), vec![exports.clone()]);
    let unknown = Assignment { lead: "XYZ".into(), ..exports.clone() };
    assert!(matches!(store.assign(id, &[unknown], "planner").await, Err(StoreError::NotFound(_))));
    assert_eq!(store.agencies().await.unwrap().len(), 1);
    assert_eq!(store.audit(1).await.unwrap()[0].action, "measure.assign");
}

on_both!(agencies_answer_for_measures_on_both, agencies_answer_for_measures);
on_both!(task_progress_keeps_every_report_on_both, task_progress_keeps_every_report);
on_both!(plans_and_revisions_on_both, plans_and_revisions);
on_both!(init_is_one_transaction_on_both, init_is_one_transaction);
on_both!(figures_keep_every_version_on_both, figures_keep_every_version);
on_both!(a_batch_is_all_or_nothing_on_both, a_batch_is_all_or_nothing);
on_both!(concurrent_edits_are_detected_on_both, concurrent_edits_are_detected);
on_both!(accounts_sessions_and_approval_on_both, accounts_sessions_and_approval);
on_both!(drafts_are_confirmed_once_on_both, drafts_are_confirmed_once);

async fn drafts_are_confirmed_once(store: &(impl Store + Drafts)) {
    let id = store
        .create_draft("nq.txt", "a) Kim ngạch xuất khẩu đạt 1.850 triệu USD", "region = \"X\"", "planner")
        .await
        .unwrap();
    store.update_draft(id, "region = \"Y\"", "planner").await.unwrap();
    let draft = store.draft(id).await.unwrap().unwrap();
    assert_eq!((draft.plan_file.as_str(), draft.plan_id), ("region = \"Y\"", None));
    let province = units().into_iter().find(|u| u.code == "83").unwrap();
    let plan_id = store.confirm_draft(id, &plan(), &province, "planner").await.unwrap();
    assert_eq!(store.draft(id).await.unwrap().unwrap().plan_id, Some(plan_id));
    assert!(store.confirm_draft(id, &plan(), &province, "planner").await.is_err(), "confirmed once");
    assert!(store.update_draft(id, "x", "planner").await.is_err(), "a confirmed draft is not edited");
    assert_eq!(store.plans().await.unwrap().len(), 1);
    assert!(store.org_units().await.unwrap().iter().any(|u| u.code == "83"), "the province is known");
    assert_eq!(store.drafts().await.unwrap().len(), 1);
}

async fn accounts_sessions_and_approval(store: &(impl Store + Accounts)) {
    use kehoach_domain::access::{Role, SubmissionState};
    use kehoach_domain::org::{Agency, Assignment};
    store.put_org_units(&units(), "admin").await.unwrap();
    let id = store.save_plan(&plan(), "planner").await.unwrap();
    store.put_agencies(&[Agency { code: "SCT".into(), name: "Sở Công Thương".into() }], "admin").await.unwrap();
    store
        .assign(id, &[Assignment { measure: "c.1".into(), lead: "SCT".into(), contributors: vec![] }], "planner")
        .await
        .unwrap();
    let new = NewUser {
        username: "an".into(),
        name: "Nguyễn Văn An".into(),
        role: Role::Reporter,
        agency: Some("SCT".into()),
        password_hash: "$argon2id$stand-in".into(),
        must_change_password: false,
    };
    store.create_user(&new, "admin").await.unwrap();
    let taken = store.create_user(&new, "admin").await.unwrap_err();
    assert!(taken.to_string().contains("taken"), "{taken}");
    let unknown_agency = NewUser { username: "bo".into(), agency: Some("NOPE".into()), ..new.clone() };
    assert!(
        store.create_user(&unknown_agency, "admin").await.unwrap_err().to_string().contains("not found: agency NOPE")
    );
    let an = store.user("an").await.unwrap().unwrap();
    assert_eq!((an.role, an.agency.as_deref()), (Role::Reporter, Some("SCT")));

    // Failures count and lock; a login resets them and opens a session.
    let lockout =
        kehoach_store::Lockout { max_failed: 2, until: "2999-01-01T00:00:00.000Z", now: "2025-01-01T00:00:00.000Z" };
    assert_eq!(store.login_failed(&an, &lockout, "10.0.0.1").await.unwrap(), None);
    let locked = store.login_failed(&an, &lockout, "10.0.0.1").await.unwrap();
    assert_eq!(locked.as_deref(), Some("2999-01-01T00:00:00.000Z"));
    // A later failure never clears or shortens the lock.
    let shorter = kehoach_store::Lockout { until: "2998-01-01T00:00:00.000Z", ..lockout };
    assert_eq!(store.login_failed(&an, &shorter, "10.0.0.1").await.unwrap(), locked);
    let an = store.user("an").await.unwrap().unwrap();
    assert_eq!((an.failed_logins, an.locked_until.as_deref()), (3, Some("2999-01-01T00:00:00.000Z")));
    // While locked, even the right password opens no session.
    assert!(!store.login_succeeded(&an, "hash-0", "csrf-0", "2999-01-01T00:00:00.000Z", "10.0.0.1").await.unwrap());
    assert!(store.session("hash-0").await.unwrap().is_none());
    // An administrator's unlock lets it through again.
    store.unlock_user("an", "admin").await.unwrap();
    assert!(store.unlock_user("nobody", "admin").await.is_err());
    assert!(store.login_succeeded(&an, "hash-1", "csrf-1", "2999-01-01T00:00:00.000Z", "10.0.0.1").await.unwrap());
    assert!(store.login_succeeded(&an, "hash-old", "csrf-2", "2000-01-01T00:00:00.000Z", "10.0.0.1").await.unwrap());
    let (who, csrf) = store.session("hash-1").await.unwrap().unwrap();
    assert_eq!((who.username.as_str(), who.failed_logins, csrf.as_str()), ("an", 0, "csrf-1"));
    assert!(store.session("hash-old").await.unwrap().is_none(), "an expired session opens nothing");
    store.end_session("hash-1", "an").await.unwrap();
    assert!(store.session("hash-1").await.unwrap().is_none());

    // Submit, approve: the period is locked for the agency's measures; an
    // unlock reopens it. Every move is a version.
    let q3 = Period::Quarter(2025, 3);
    let none: &[kehoach_store::Seen] = &[];
    let step = |to, comment, expected_version| Move {
        agency: "SCT",
        period: q3,
        to,
        comment,
        expected_version,
        seen: Some(none),
    };
    assert_eq!(store.move_submission(id, &step(SubmissionState::Submitted, "", 0), "an").await.unwrap().version, 1);
    let stale = store.move_submission(id, &step(SubmissionState::Approved, "", 0), "chi").await;
    assert!(matches!(stale, Err(StoreError::Conflict { .. })));
    let not_approved = store.move_submission(id, &step(SubmissionState::Unlocked, "", 1), "chi").await;
    assert!(matches!(not_approved, Err(StoreError::Transition { .. })));
    store.move_submission(id, &step(SubmissionState::Approved, "Đồng ý", 1), "chi").await.unwrap();
    let locked = store.submit_values(id, &[value("c.1", "2025-Q3", "480", Some(0))], "an").await.unwrap_err();
    assert!(matches!(locked, StoreError::Locked { .. }), "{locked}");
    assert!(locked.to_string().contains("take no new figure"), "{locked}");
    // Other agencies' measures and other periods stay open.
    store.submit_values(id, &[value("c.1", "2025-Q4", "480", Some(0))], "an").await.unwrap();
    store.move_submission(id, &step(SubmissionState::Unlocked, "Sửa số liệu", 2), "chi").await.unwrap();
    store.submit_values(id, &[value("c.1", "2025-Q3", "480", Some(0))], "an").await.unwrap();
    let history = store.submission_history(id, "SCT", q3).await.unwrap();
    let states: Vec<_> = history.iter().map(|s| s.state).collect();
    assert_eq!(states, [SubmissionState::Submitted, SubmissionState::Approved, SubmissionState::Unlocked]);
    assert_eq!(store.submissions(id).await.unwrap()[0].state, SubmissionState::Unlocked);
    let audit: Vec<String> = store.audit(50).await.unwrap().into_iter().map(|a| a.action).collect();
    for action in [
        "submission.approved",
        "submission.unlocked",
        "user.login_failed",
        "user.login",
        "user.create",
        "user.logout",
        "user.unlock",
    ] {
        assert!(audit.iter().any(|a| a == action), "{action} in {audit:?}");
    }

    store.add_comment(id, "c.1", "Đề nghị làm rõ số liệu quý III", "hdnd").await.unwrap();
    let comments = store.comments(id, "c.1").await.unwrap();
    assert_eq!((comments.len(), comments[0].author.as_str()), (1, "hdnd"));

    // Every entry's detail is JSON of its action's shape, said in English
    // as the command line always said it.
    let audit = store.audit(100).await.unwrap();
    for entry in &audit {
        assert!(entry.read_detail().is_some(), "{entry:?}");
    }
    let first = |action: &str| audit.iter().rev().find(|a| a.action == action).unwrap().clone();
    let approved = first("submission.approved");
    assert_eq!(approved.detail, r#"{"version":2,"state":"approved","comment":"Đồng ý","figures":[]}"#);
    assert_eq!(approved.detail_en(), "v2: approved — Đồng ý");
    let figure = first("value.submit");
    assert_eq!(figure.entity, "plan 1 c.1 83 2025-Q4");
    assert_eq!(figure.detail, r#"{"version":1,"value":"480","status":"estimate","origin":"recorded"}"#);
    assert_eq!(figure.detail_en(), "v1 = 480 (estimate, recorded)");
    let failed = first("user.login_failed");
    assert_eq!((failed.entity.as_str(), failed.detail.as_str()), ("user an", r#"{"from":"10.0.0.1","count":1}"#));
    assert_eq!(first("user.create").detail_en(), "Nguyễn Văn An (reporter, SCT)");
    assert_eq!(first("measure.assign").detail_en(), "lead SCT; units ");
    assert_eq!(first("user.logout").detail, "{}");
    assert_eq!(first("user.logout").detail_en(), "session ended");
}

/// The migrations are written once (`schema`): both databases end with the
/// same tables of the same columns.
#[tokio::test]
async fn the_two_schemas_match() {
    let (sqlite, _dir) = sqlite().await;
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name NOT LIKE '_sqlx%'",
    )
    .fetch_all(sqlite.pool())
    .await
    .unwrap();
    let mut on_sqlite = columns;
    on_sqlite.sort();
    assert!(on_sqlite.contains(&("value_versions".into(), "origin".into())), "{on_sqlite:?}");
    let Some((pg, database)) = common::postgres().await else { return };
    let mut on_postgres: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(pg.pool())
    .await
    .unwrap();
    on_postgres.sort();
    assert_eq!(on_sqlite, on_postgres);
    common::drop_database(pg, database).await;
}

/// Another process holding the SQLite file's write lock past the busy
/// timeout: the write is refused as `Busy`, plainly worded, and nothing of
/// it is stored.
#[tokio::test]
async fn a_locked_sqlite_database_is_busy_not_broken() {
    use sqlx::Connection;
    let (store, dir) = sqlite().await;
    store.put_org_units(&units(), "admin").await.unwrap();
    let id = store.save_plan(&plan(), "planner").await.unwrap();
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", dir.url)).await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut other).await.unwrap();
    let err = store.submit_values(id, &[value("c.1", "2025", "1900", None)], "reporter").await.unwrap_err();
    assert!(matches!(err, StoreError::Busy), "{err:?}");
    assert!(err.to_string().contains("locked by another writer"), "{err}");
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    assert!(store.latest_values(id).await.unwrap().is_empty());
    // Once the other writer is gone the same write goes through.
    store.submit_values(id, &[value("c.1", "2025", "1900", None)], "reporter").await.unwrap();
}

/// A database written by kehoach as of December 2026 (`tests/data/format-2026-12.db`:
/// `kehoach init`, a revision of a.1, two recorded figures, a reporter) opens
/// with today's code and reads the same: its schema is brought up to date,
/// every figure version is as the file's rows say
/// (`format-2026-12.values.csv`, read from the file with SQLite, not with
/// kehoach), the revision and the user are there, and the audit chain holds.
/// A change of the schema or of how records are written must keep this test.
#[tokio::test]
async fn a_database_of_the_current_format_opens_and_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    std::fs::copy(root().join("crates/store/tests/data/format-2026-12.db"), &path).unwrap();
    let store = kehoach_store::AnyStore::open(&path.display().to_string()).await.unwrap();
    // Written before plans had kinds and spans: a yearly plan of its year,
    // its region by name; the default plan, the only one.
    assert_eq!(store.plans().await.unwrap(), vec![bến_tre_2025(1, None)]);
    assert_eq!(store.default_plan().await.unwrap(), Some(1));
    let plan = store.plan(1, Against::Current).await.unwrap();
    assert_eq!(plan.measure("a.1").unwrap().target_text(), "6,5 - 7%");
    let history = store.measure_history(1, "a.1").await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].decision.as_deref(), Some("15/2025/NQ-HĐND"));
    assert_eq!(store.org_units().await.unwrap().len(), 11);
    assert_eq!(store.agencies().await.unwrap().len(), 11);
    let expected = std::fs::read_to_string(root().join("crates/store/tests/data/format-2026-12.values.csv")).unwrap();
    let mut read = Vec::new();
    let mut measures: Vec<String> = plan.measures().map(|m| m.key.clone()).collect();
    measures.sort();
    for key in measures {
        let which = kehoach_store::Which { measure: key, ..Default::default() };
        for v in store.value_versions(1, &which).await.unwrap() {
            read.push(format!(
                "{},{},{},{},{},{},{}",
                v.measure,
                v.org_unit,
                v.period,
                v.version,
                v.value,
                v.status.as_str(),
                v.origin.as_str()
            ));
        }
    }
    read.sort();
    let mut want: Vec<String> = expected.lines().skip(1).map(str::to_string).collect();
    want.sort();
    assert_eq!(read, want);
    let released = store.released_values(1).await.unwrap();
    assert!(released.iter().any(|v| v.measure == "c.1" && v.value == d("1234.5678") && v.note == "ghi chú thử"));
    let user = store.user("reporter1").await.unwrap().expect("the reporter");
    assert_eq!((user.role.as_str(), user.agency.as_deref()), ("reporter", Some("SCT")));
    let verified = store.verify_audit().await.unwrap().expect("the audit chain holds");
    assert_eq!((verified.entries, verified.records), (151, 73));
}

/// The entries of a database written before details were JSON keep their
/// English text, read as it is; what is written next is JSON, and the
/// chain holds across both.
#[tokio::test]
async fn older_audit_entries_keep_their_text_beside_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    std::fs::copy(root().join("crates/store/tests/data/format-2026-12.db"), &path).unwrap();
    let store = kehoach_store::AnyStore::open(&path.display().to_string()).await.unwrap();
    let old = store.audit(1000).await.unwrap();
    assert_eq!(old.len(), 151);
    for entry in &old {
        assert_eq!((entry.read_detail(), entry.detail_en()), (None, entry.detail.clone()), "{entry:?}");
    }
    assert!(old.iter().any(|e| e.detail == "v1 = 1234.5678 (preliminary, recorded)"));
    store.submit_values(1, &[value("c.1", "2025-09", "1234.50", None)], "cli").await.unwrap();
    let new = &store.audit(1).await.unwrap()[0];
    assert_eq!(new.detail, r#"{"version":1,"value":"1234.50","status":"estimate","origin":"recorded"}"#);
    assert_eq!(new.detail_en(), "v1 = 1234.50 (estimate, recorded)");
    let verified = store.verify_audit().await.unwrap().expect("the audit chain holds");
    assert_eq!(verified.entries, 152);
}
