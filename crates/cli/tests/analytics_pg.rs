//! `kehoach` processes on one PostgreSQL: two hold an analytics engine each
//! (`analytics watch`, one on a province's half year, one on the nation's
//! year), others save figures (`values import`); both engines' aggregates
//! show each save within a second.
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

#[test]
fn a_save_in_one_process_is_in_the_other_processes_engines_within_a_second() {
    let Ok(admin) = std::env::var("KEHOACH_TEST_POSTGRES") else {
        assert!(std::env::var("CI").is_err(), "KEHOACH_TEST_POSTGRES is not set: under CI this test must run");
        eprintln!("KEHOACH_TEST_POSTGRES not set: the two-process analytics test is not run here");
        return;
    };
    let name = format!("kehoach_analytics_{}", std::process::id());
    let mut cleanup = Cleanup { children: Vec::new(), admin: admin.clone(), name: name.clone() };
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
    let database = format!("{base}/{name}");
    kehoach(&database, &["init"]);

    // Two processes holding an engine: exports of Bến Tre (83) in the first
    // half of 2025, and of the nation in 2025.
    let watchers: Vec<_> = [&["--unit", "83", "--period", "2025-H1"][..], &["--period", "2025"][..]]
        .into_iter()
        .map(|args| {
            let mut child = Command::new(env!("CARGO_BIN_EXE_kehoach"))
                .args(["--database", &database, "analytics", "watch", "--measure", "c.1"])
                .args(args)
                .stdout(Stdio::piped())
                .spawn()
                .expect("the watcher starts");
            let stdout = child.stdout.take().unwrap();
            cleanup.children.push(child);
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if tx.send((line, Instant::now())).is_err() {
                        break;
                    }
                }
            });
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
