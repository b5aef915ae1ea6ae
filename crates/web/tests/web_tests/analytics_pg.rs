//! Two web applications on one PostgreSQL, as two `kehoach serve` processes
//! sharing a database would be (each its own connections, notices and
//! analytics engine): a figure a reporter submits through one application's
//! entry page counts nowhere until an approver approves it, and is then on
//! the other's overview, measure page and API within a second, because the
//! pages judge the engine's figures; and a figure recorded by yet another
//! connection reaches both.
//!
//! Runs where `KEHOACH_TEST_POSTGRES` names a server (a fresh database,
//! dropped after); fails loudly if it is set but unreachable, and under
//! `CI=true` if it is not set.

use kehoach_domain::period::Period;
use kehoach_domain::value::{Origin, ValueStatus};
use kehoach_store::{AnyStore, NewValue, Store};
use kehoach_testing::http::{Client, Session, http, login};
use kehoach_testing::{PASSWORD, db, fixtures};
use rust_decimal::Decimal;
use std::time::{Duration, Instant};

/// A signed-in user of one application.
struct Signed {
    client: Client,
    session: Session,
}

async fn sign_in(client: &Client, username: &str) -> Signed {
    let session = login(client, username, PASSWORD).await.unwrap_or_else(|a| panic!("{username}: {}", a.status));
    Signed { client: client.clone(), session }
}

/// A page as the signed-in user reads it: status and body.
async fn get(s: &Signed, path: &str) -> (u16, String) {
    let answer = http(&s.client, "GET", path, &s.session.cookie, "", &[]).await;
    (answer.status, answer.body)
}

/// Reads a page of the user's application until `seen` holds, for at most a
/// second after `since`.
async fn within_a_second(s: &Signed, path: &str, since: Instant, seen: impl Fn(&str) -> bool) -> Duration {
    loop {
        let (status, body) = get(s, path).await;
        assert_eq!(status, 200, "{path}: {body}");
        if seen(&body) {
            return since.elapsed();
        }
        assert!(since.elapsed() < Duration::from_secs(1), "{path}: not seen within a second");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// One application, as one `kehoach serve` process would run it.
async fn start(url: &str) -> Client {
    let store = AnyStore::open(url).await.unwrap();
    let app = kehoach_web::app(store, kehoach_web::Settings::default()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(kehoach_web::serve(listener, app, std::future::pending()));
    Client::new(addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_figure_saved_in_one_application_is_on_the_others_pages_within_a_second() {
    let Some(database) = db::postgres("web analytics") else { return };
    let url = database.url.clone();
    let store = AnyStore::open(&url).await.unwrap();
    let id = store.init(&fixtures::setup(), "test").await.unwrap();
    fixtures::users(&store, &kehoach_web::hash_password(PASSWORD)).await;
    let (one, other) = (start(&url).await, start(&url).await);
    let reporter = sign_in(&one, "reporter").await;
    let planner = sign_in(&other, "planner").await;

    // Nothing yet for September's exports on the other application.
    let overview = "/?period=2025-09";
    let measure = "/measures/c.1?period=2025-09";
    // Bến Tre's plan is entered and judged on Bến Tre's own figures (83),
    // also after the merger.
    let api = "/api/analytics/figure?measure=c.1&unit=83&period=2025-09";
    let (_, body) = get(&planner, measure).await;
    assert!(!body.contains("1.234,5"), "no figure yet");

    // The reporter enters 1.234,5 on the first application's entry page.
    let form = format!(
        "csrf={}&period=2025-09&agency=SCT&action=submit&submission_version=0&v.c.1=1.234%2C5&s.c.1=estimate",
        reporter.session.csrf
    );
    let saved = http(&one, "POST", "/entry", &reporter.session.cookie, &form, &[]).await;
    assert_eq!(saved.status, 303, "saved: {}", saved.body);

    // Submitted, it counts nowhere: the API of both has no figure for it.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for s in [&planner, &reporter] {
        let (_, body) = get(s, api).await;
        assert!(body.contains("\"value\":null"), "a submitted figure is not judged: {body}");
    }

    // The approver approves exactly what the approvals page showed.
    let approver = sign_in(&one, "approver").await;
    let page = http(&one, "GET", "/approvals", &approver.session.cookie, "", &[]).await;
    let version = page.hidden("version").expect("the submission's version");
    let mut form = format!("csrf={}&decision=approve&version={version}", approver.session.csrf);
    let page = page.body;
    for seen in page.match_indices("name=\"seen\" value=\"").map(|(at, m)| &page[at + m.len()..]) {
        form.push_str(&format!("&seen={}", seen[..seen.find('"').unwrap()].replace('|', "%7C")));
    }
    assert!(form.contains("seen=c.1%7C83%7C1"), "{form}");
    let approved = http(&one, "POST", "/approvals/SCT/2025-09", &approver.session.cookie, &form, &[]).await;
    assert_eq!(approved.status, 303, "approved: {}", approved.body);
    let saved = Instant::now();

    // The other application's pages show it, judged, within a second.
    let took = within_a_second(&planner, overview, saved, |b| b.contains("1.234,5")).await;
    eprintln!("overview of the other application: {took:?}");
    let took = within_a_second(&planner, measure, saved, |b| b.contains("1.234,5")).await;
    eprintln!("measure page of the other application: {took:?}");
    within_a_second(&planner, api, saved, |b| b.contains("\"value\":\"1234.5\"")).await;

    // A third connection records a district's March exports, as `values
    // import` in another process would: both applications' engines have
    // it. One district of nine is not Bến Tre's March of record.
    let third = AnyStore::open(&url).await.unwrap();
    let value = NewValue {
        measure: "c.1".into(),
        org_unit: "829".into(),
        period: Period::Month(2025, 3),
        value: Decimal::from(125),
        status: ValueStatus::Estimate,
        note: String::new(),
        origin: Origin::Recorded,
        agency: None,
        expected_version: None,
    };
    third.submit_values(id, &[value], "another process").await.unwrap();
    let saved = Instant::now();
    let march = "/api/analytics/figure?measure=c.1&unit=83&period=2025-03";
    for s in [&planner, &reporter] {
        let took = within_a_second(s, march, saved, |b| b.contains("\"value\":\"125\"")).await;
        eprintln!("a district's figure in {:?}: {took:?}", s.client.addr());
        let (_, body) = get(s, march).await;
        for part in ["\"record\":null", "\"reported\":1", "\"expected\":9"] {
            assert!(body.contains(part), "{part} in {body}");
        }
        // The overview does not judge it, and says how much of it is in.
        let (_, page) = get(s, "/?period=2025-03").await;
        assert!(page.contains("1/9 đơn vị đã báo cáo"), "the partial total is said on the overview");
    }
}
