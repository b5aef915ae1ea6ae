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

use kehoach_testing::http::{Answer, Client, Session, blocking, login};
use kehoach_testing::{PASSWORD, db};
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

/// Kills the processes a test started, also when it fails (before its
/// database is dropped).
#[derive(Default)]
struct Cleanup {
    children: Vec<Child>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
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

#[test]
fn a_save_in_one_process_is_in_the_other_processes_engines_within_a_second() {
    let Some(database) = db::postgres("two watchers") else { return };
    let (mut cleanup, database) = (Cleanup::default(), database.url.clone());
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

/// One exchange with a server, from this synchronous test.
fn http(client: &Client, method: &str, path: &str, cookie: &str, form: &str) -> Answer {
    blocking(kehoach_testing::http::http(client, method, path, cookie, form, &[]))
}

/// Signs in through the login form.
fn sign_in(client: &Client, username: &str) -> Session {
    blocking(login(client, username, PASSWORD)).unwrap_or_else(|a| panic!("{username}: {}", a.status))
}

/// Enters September's exports through a server's entry page and submits
/// them, as the agency's reporter or a planner does: the version seen is sent
/// back, as the form does.
fn submit_exports(client: &Client, session: &Session, typed: &str) {
    let page = http(client, "GET", "/entry?period=2025-09&agency=SCT", &session.cookie, "");
    let hidden = |name: &str| page.hidden(name).unwrap_or_else(|| panic!("no {name}"));
    let form = format!(
        "csrf={}&period=2025-09&agency=SCT&action=submit&submission_version={}&v.c.1={typed}&s.c.1=estimate&ver.c.1={}",
        session.csrf,
        hidden("submission_version"),
        hidden("ver.c.1")
    );
    let saved = http(client, "POST", "/entry", &session.cookie, &form);
    assert_eq!(saved.status, 303, "saved: {}", saved.body);
}

/// Decides on SCT's September through a server's approvals page: approves
/// exactly the versions the page shows, or unlocks with a reason.
fn decide(client: &Client, session: &Session, decision: &str) -> Instant {
    let page = http(client, "GET", "/approvals", &session.cookie, "");
    let version = page.hidden("version").expect("the submission's version");
    let mut form = format!("csrf={}&decision={decision}&version={version}", session.csrf);
    if decision == "approve" {
        for seen in page.body.match_indices("name=\"seen\" value=\"").map(|(at, m)| &page.body[at + m.len()..]) {
            form.push_str(&format!("&seen={}", seen[..seen.find('"').unwrap()].replace('|', "%7C")));
        }
    } else {
        form.push_str("&comment=S%E1%BB%ADa");
    }
    let done = http(client, "POST", "/approvals/SCT/2025-09", &session.cookie, &form);
    assert_eq!(done.status, 303, "{decision}: {}", done.body);
    Instant::now()
}

/// Reads the overview of September until it shows `seen`, for at most a
/// second after the save.
fn on_the_overview_within_a_second(client: &Client, session: &Session, seen: &str, saved: Instant) {
    let addr = client.addr();
    loop {
        let page = http(client, "GET", "/?period=2025-09", &session.cookie, "");
        assert_eq!(page.status, 200);
        if page.body.contains(seen) {
            eprintln!("{seen} on the overview of {addr} {:?} after the save", saved.elapsed());
            return;
        }
        assert!(saved.elapsed() < Duration::from_secs(1), "{seen} not on the overview of {addr} within a second");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn two_serve_processes_show_each_others_saves_on_their_pages_within_a_second() {
    let Some(database) = db::postgres("two servers") else { return };
    let (mut cleanup, database) = (Cleanup::default(), database.url.clone());
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
    let client = |address: &String| Client::new(address.parse().expect("an address"));
    let (one, other) = (&client(&addresses[0]), &client(&addresses[1]));
    let reporter = sign_in(one, "reporter");
    let planner = sign_in(other, "planner");
    let (approver_one, approver_other) = (sign_in(one, "approver"), sign_in(other, "approver"));
    let before = http(other, "GET", "/?period=2025-09", &planner.cookie, "");
    assert!(!before.body.contains("1.234,5"), "no September exports yet");

    // The reporter submits through the first process: nobody's overview
    // judges it until it is approved; approved there, the second shows it.
    submit_exports(one, &reporter, "1.234%2C5");
    std::thread::sleep(Duration::from_millis(300));
    let waiting = http(other, "GET", "/?period=2025-09", &planner.cookie, "");
    assert!(!waiting.body.contains("1.234,5"), "a submitted figure is not judged");
    let approved = decide(one, &approver_one, "approve");
    on_the_overview_within_a_second(other, &planner, "1.234,5", approved);
    // Unlocked and corrected through the second, approved there: the first
    // shows that.
    decide(other, &approver_other, "unlock");
    submit_exports(other, &planner, "1.236%2C7");
    let approved = decide(other, &approver_other, "approve");
    on_the_overview_within_a_second(one, &reporter, "1.236,7", approved);
}
