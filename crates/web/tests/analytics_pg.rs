//! The web application on PostgreSQL: a figure saved through another
//! connection (as another `kehoach` process would) is in the application's
//! analytics engine, and so in `/api/analytics/figure`, within a second.
//!
//! Runs where `KEHOACH_TEST_POSTGRES` names a server (a fresh database,
//! dropped after); fails loudly if it is set but unreachable, and under
//! `CI=true` if it is not set.

use kehoach_domain::access::Role;
use kehoach_domain::period::Period;
use kehoach_domain::value::{Origin, ValueStatus};
use kehoach_store::{Accounts, AnyStore, NewUser, NewValue, Setup, Store};
use rust_decimal::Decimal;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PASSWORD: &str = "mat-khau-thu-nghiem";

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// One HTTP/1.1 exchange: status, headers, body.
async fn http(addr: std::net::SocketAddr, method: &str, path: &str, cookie: &str, form: &str) -> (u16, String, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if !cookie.is_empty() {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if method == "POST" {
        request.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            form.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(form);
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

fn cookie(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

struct DropDatabase(String, String);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .arg(&self.0)
            .args(["-qc", &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.1)])
            .output();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_figure_saved_elsewhere_is_in_the_web_engine_within_a_second() {
    let Ok(admin) = std::env::var("KEHOACH_TEST_POSTGRES") else {
        assert!(std::env::var("CI").is_err(), "KEHOACH_TEST_POSTGRES is not set: under CI this test must run");
        eprintln!("KEHOACH_TEST_POSTGRES not set: the web analytics test on PostgreSQL is not run here");
        return;
    };
    let name = format!("kehoach_web_analytics_{}", std::process::id());
    let _drop = DropDatabase(admin.clone(), name.clone());
    let created = Command::new("psql")
        .arg(&admin)
        .args(["-v", "ON_ERROR_STOP=1", "-qc", &format!("CREATE DATABASE {name}")])
        .output()
        .expect("psql runs");
    assert!(
        created.status.success(),
        "KEHOACH_TEST_POSTGRES is set but unusable: {}",
        String::from_utf8_lossy(&created.stderr)
    );
    let url = format!("{}/{name}", admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b));

    let store = AnyStore::open(&url).await.unwrap();
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let plan = kehoach_planfile::from_toml(&read("data/plans/ben-tre-2025.toml")).unwrap();
    let units = kehoach_planfile::org_units_from_toml(&read("data/org-units/ben-tre.toml")).unwrap();
    let (agencies, assignments) =
        kehoach_planfile::agencies_from_toml(&read("data/agencies/ben-tre.toml"), &plan).unwrap();
    let id = store.init(&Setup { plan, units, agencies, assignments, values: vec![] }, "test").await.unwrap();
    let user = NewUser {
        username: "planner".into(),
        name: "Planner".into(),
        role: Role::Planner,
        agency: None,
        password_hash: kehoach_web::hash_password(PASSWORD),
    };
    store.create_user(&user, "test").await.unwrap();
    let app = kehoach_web::app(store, kehoach_web::Settings::default()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(kehoach_web::serve(listener, app));

    // Sign in.
    let (_, head, body) = http(addr, "GET", "/login", "", "").await;
    let pre = cookie(&head, "kehoach_login").unwrap();
    let at = body.find("name=\"token\" value=\"").unwrap() + 20;
    let token = &body[at..at + body[at..].find('"').unwrap()];
    let form = format!("username=planner&password={PASSWORD}&token={token}&next=%2F");
    let (status, head, _) = http(addr, "POST", "/login", &format!("kehoach_login={pre}"), &form).await;
    assert_eq!(status, 303);
    let session = format!("kehoach_session={}", cookie(&head, "kehoach_session").unwrap());

    let api = "/api/analytics/figure?measure=c.1&unit=83&period=2025-H1";
    let (status, _, body) = http(addr, "GET", api, &session, "").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"value\":null"), "{body}");

    // Another connection saves a district's March exports, as another process would.
    let other = AnyStore::open(&url).await.unwrap();
    let value = NewValue {
        measure: "c.1".into(),
        org_unit: "829".into(),
        period: Period::Month(2025, 3),
        value: Decimal::from(125),
        status: ValueStatus::Estimate,
        note: String::new(),
        origin: Origin::Entered,
        expected_version: None,
    };
    other.submit_values(id, &[value], "another process").await.unwrap();
    let saved = Instant::now();
    loop {
        let (_, _, body) = http(addr, "GET", api, &session, "").await;
        if body.contains("\"value\":\"125\"") {
            eprintln!("seen {:?} after the save", saved.elapsed());
            break;
        }
        assert!(saved.elapsed() < Duration::from_secs(1), "not seen within a second: {body}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
