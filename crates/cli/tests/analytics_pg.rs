//! `kehoach` processes on one PostgreSQL: two hold an analytics engine each
//! (`analytics watch`, one on a province's half year, one on the nation's
//! year), others save figures (`values import`); both engines' aggregates
//! show each save within a second. And two `kehoach serve` processes: a
//! figure saved through one's entry page is on the other's overview within
//! a second, both ways.
//!
//! Runs where `KEHOACH_TEST_POSTGRES` names a server (a fresh database,
//! dropped after); fails loudly if it is set but unreachable, and under
//! `CI=true` if it is not set.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn kehoach(database: &str, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .arg("--database")
        .arg(database)
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Kills the watcher and drops the database, also when the test fails.
struct Cleanup {
    children: Vec<Child>,
    admin: String,
    name: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = Command::new("psql")
            .arg(&self.admin)
            .args(["-qc", &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)])
            .output();
    }
}

/// Starts a `kehoach` process kept until the cleanup; its lines of output
/// come through the receiver with the moment each was read. Its log
/// (stderr) is quiet: the assertions say what went wrong.
fn start(cleanup: &mut Cleanup, database: &str, args: &[&str]) -> mpsc::Receiver<(String, Instant)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["--database", database])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kehoach starts");
    let stdout = child.stdout.take().unwrap();
    cleanup.children.push(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send((line, Instant::now())).is_err() {
                break;
            }
        }
    });
    rx
}

/// A fresh database on the test server (dropped with the cleanup), or none
/// where no server is named (never under CI).
fn fresh_database(what: &str) -> Option<(Cleanup, String)> {
    let Ok(admin) = std::env::var("KEHOACH_TEST_POSTGRES") else {
        assert!(std::env::var("CI").is_err(), "KEHOACH_TEST_POSTGRES is not set: under CI this test must run");
        eprintln!("KEHOACH_TEST_POSTGRES not set: the {what} test is not run here");
        return None;
    };
    let name = format!("kehoach_{what}_{}", std::process::id()).replace(' ', "_");
    let cleanup = Cleanup { children: Vec::new(), admin: admin.clone(), name: name.clone() };
    let created = Command::new("psql")
        .arg(&admin)
        .args(["-v", "ON_ERROR_STOP=1", "-qc", &format!("CREATE DATABASE {name}")])
        .output()
        .expect("psql runs");
    assert!(
        created.status.success(),
        "KEHOACH_TEST_POSTGRES is set but the server cannot be used: {}",
        String::from_utf8_lossy(&created.stderr)
    );
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Some((cleanup, format!("{base}/{name}")))
}

#[test]
fn a_save_in_one_process_is_in_the_other_processes_engines_within_a_second() {
    let Some((mut cleanup, database)) = fresh_database("two watchers") else { return };
    kehoach(&database, &["init"]);

    // Two processes holding an engine: exports of Bến Tre (83) in the first
    // half of 2025, and of the nation in 2025.
    let watchers: Vec<_> = [&["--unit", "83", "--period", "2025-H1"][..], &["--period", "2025"][..]]
        .into_iter()
        .map(|args| {
            let rx = start(&mut cleanup, &database, &[&["analytics", "watch", "--measure", "c.1"][..], args].concat());
            let (first, _) = rx.recv_timeout(Duration::from_secs(30)).expect("the watcher prints the figure");
            assert_eq!(first, "FIGURE -", "no exports reported for 2025 yet");
            rx
        })
        .collect();

    // Two more processes save by district: a new figure, then a correction.
    let dir = tempfile::tempdir().unwrap();
    for (value, want) in [("125", "FIGURE 125"), ("130", "FIGURE 130")] {
        let csv = dir.path().join(format!("{value}.csv"));
        std::fs::write(
            &csv,
            format!("measure,period,org_unit,value,status,note\nc.1,2025-03,thành phố Bến Tre,{value},estimate,\n"),
        )
        .unwrap();
        let start = Instant::now();
        kehoach(&database, &["values", "import", csv.to_str().unwrap()]);
        let saved = Instant::now();
        for rx in &watchers {
            let (line, at) = rx.recv_timeout(Duration::from_secs(5)).expect("the watcher hears the save");
            assert_eq!(line, want);
            // The save commits before the saving process exits; the notice may
            // well arrive before the exit does.
            let lag = at.saturating_duration_since(saved);
            eprintln!(
                "{want}: the saving process ran {:?}; a watcher printed it {:?} after it started, {lag:?} after it ended",
                saved - start,
                at - start
            );
            assert!(lag < Duration::from_secs(1), "seen {lag:?} after the save");
        }
    }
}

// ------------------------------------------------ two `serve` processes

/// One HTTP/1.1 exchange (the connection closes after it): status, head, body.
fn http(addr: &str, method: &str, path: &str, cookie: &str, form: &str) -> (u16, String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("the server listens");
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if !cookie.is_empty() {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if method == "POST" {
        let length = form.len();
        request.push_str(&format!("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(form);
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    (head.split(' ').nth(1).unwrap().parse().unwrap(), head.to_string(), body.to_string())
}

fn cookie(head: &str, name: &str) -> String {
    head.lines()
        .filter_map(|l| l.split_once(": ").filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie")).map(|(_, v)| v))
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| format!("{name}={v}"))
        .unwrap_or_else(|| panic!("no cookie {name} in {head}"))
}

fn hidden(body: &str, name: &str) -> String {
    let at = body.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("no {name}")) + name.len() + 15;
    body[at..at + body[at..].find('"').unwrap()].to_string()
}

const PASSWORD: &str = "mat-khau-thu-nghiem";

/// Signs in; the session's cookie.
fn sign_in(addr: &str, username: &str) -> String {
    let (_, head, body) = http(addr, "GET", "/login", "", "");
    let form = format!("username={username}&password={PASSWORD}&token={}&next=%2F", hidden(&body, "token"));
    let (status, head, _) = http(addr, "POST", "/login", &cookie(&head, "kehoach_login"), &form);
    assert_eq!(status, 303, "{username} signs in");
    cookie(&head, "kehoach_session")
}

/// Enters September's exports through a server's entry page and submits
/// them, as the agency's reporter or a planner does: the version seen is sent
/// back, as the form does.
fn submit_exports(addr: &str, session: &str, typed: &str) {
    let (_, _, page) = http(addr, "GET", "/entry?period=2025-09&agency=SCT", session, "");
    let form = format!(
        "csrf={}&period=2025-09&agency=SCT&action=submit&submission_version={}&v.c.1={typed}&s.c.1=estimate&ver.c.1={}",
        hidden(&page, "csrf"),
        hidden(&page, "submission_version"),
        hidden(&page, "ver.c.1")
    );
    let (status, _, body) = http(addr, "POST", "/entry", session, &form);
    assert_eq!(status, 303, "saved: {body}");
}

/// Decides on SCT's September through a server's approvals page: approves
/// exactly the versions the page shows, or unlocks with a reason.
fn decide(addr: &str, session: &str, decision: &str) -> Instant {
    let (_, _, page) = http(addr, "GET", "/approvals", session, "");
    let mut form = format!("csrf={}&decision={decision}&version={}", hidden(&page, "csrf"), hidden(&page, "version"));
    if decision == "approve" {
        for seen in page.match_indices("name=\"seen\" value=\"").map(|(at, m)| &page[at + m.len()..]) {
            form.push_str(&format!("&seen={}", seen[..seen.find('"').unwrap()].replace('|', "%7C")));
        }
    } else {
        form.push_str("&comment=S%E1%BB%ADa");
    }
    let (status, _, body) = http(addr, "POST", "/approvals/SCT/2025-09", session, &form);
    assert_eq!(status, 303, "{decision}: {body}");
    Instant::now()
}

/// Reads the overview of September until it shows `seen`, for at most a
/// second after the save.
fn on_the_overview_within_a_second(addr: &str, session: &str, seen: &str, saved: Instant) {
    loop {
        let (status, _, body) = http(addr, "GET", "/?period=2025-09", session, "");
        assert_eq!(status, 200);
        if body.contains(seen) {
            eprintln!("{seen} on the overview of {addr} {:?} after the save", saved.elapsed());
            return;
        }
        assert!(saved.elapsed() < Duration::from_secs(1), "{seen} not on the overview of {addr} within a second");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn two_serve_processes_show_each_others_saves_on_their_pages_within_a_second() {
    let Some((mut cleanup, database)) = fresh_database("two servers") else { return };
    kehoach(&database, &["init"]);
    for (user, args) in [
        ("reporter", &["--role", "reporter", "--agency", "SCT"][..]),
        ("planner", &["--role", "planner"][..]),
        ("approver", &["--role", "approver"][..]),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kehoach"))
            .args(["--database", &database, "user", "add", user, "--password-stdin"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        use std::io::Write;
        writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
        assert!(child.wait().unwrap().success(), "{user} added");
    }
    // Two `kehoach serve` processes on the same database.
    // The outputs stay open as long as the servers run.
    let (mut addresses, mut outputs) = (Vec::new(), Vec::new());
    for _ in 0..2 {
        let lines = start(&mut cleanup, &database, &["serve", "--listen", "127.0.0.1:0"]);
        let address = std::iter::from_fn(|| lines.recv_timeout(Duration::from_secs(60)).ok())
            .find_map(|(line, _)| Some(line.strip_prefix("kehoach is serving http://")?.split('/').next()?.to_string()))
            .expect("serve says where it listens");
        addresses.push(address);
        outputs.push(lines);
    }
    let (one, other) = (addresses[0].as_str(), addresses[1].as_str());
    let reporter = sign_in(one, "reporter");
    let planner = sign_in(other, "planner");
    let (approver_one, approver_other) = (sign_in(one, "approver"), sign_in(other, "approver"));
    let (_, _, before) = http(other, "GET", "/?period=2025-09", &planner, "");
    assert!(!before.contains("1.234,5"), "no September exports yet");

    // The reporter submits through the first process: nobody's overview
    // judges it until it is approved; approved there, the second shows it.
    submit_exports(one, &reporter, "1.234%2C5");
    std::thread::sleep(Duration::from_millis(300));
    let (_, _, waiting) = http(other, "GET", "/?period=2025-09", &planner, "");
    assert!(!waiting.contains("1.234,5"), "a submitted figure is not judged");
    let approved = decide(one, &approver_one, "approve");
    on_the_overview_within_a_second(other, &planner, "1.234,5", approved);
    // Unlocked and corrected through the second, approved there: the first
    // shows that.
    decide(other, &approver_other, "unlock");
    submit_exports(other, &planner, "1.236%2C7");
    let approved = decide(other, &approver_other, "approve");
    on_the_overview_within_a_second(one, &reporter, "1.236,7", approved);
}
