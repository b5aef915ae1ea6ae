//! The commands over the store, as a user runs them: init, values import,
//! plan revise, status; on SQLite, and on PostgreSQL where configured.

use std::path::Path;
use std::process::{Command, Output};

fn kehoach(args: &[&str], dir: &Path, database: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(args)
        .arg("--database")
        .arg(database)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn status_json(dir: &Path, database: &str, period: &str, against: &str) -> serde_json::Value {
    let out = kehoach(&["status", "--period", period, "--json", "--against", against], dir, database);
    assert!(out.status.success(), "{}", text(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn measure<'a>(status: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    status["measures"].as_array().unwrap().iter().find(|m| m["key"] == key).unwrap()
}

/// The whole story on one database.
fn the_story(dir: &Path, database: &str) {
    let out = kehoach(&["init"], dir, database);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("55 measures, 75 tasks; 11 units; 11 agencies; 14 published figures"),
        "{}",
        text(&out)
    );
    let again = kehoach(&["init"], dir, database);
    assert!(!again.status.success());
    assert!(text(&again).contains("already holds plan 1"), "{}", text(&again));

    // Bến Tre's 2025 plan is judged on Bến Tre's figures: the merged Vĩnh
    // Long's published 5,84 % is another territory's, and not in this plan.
    let s = status_json(dir, database, "2025", "current");
    assert_eq!(measure(&s, "a.1")["status"], "no_data");
    assert_eq!(measure(&s, "a.1")["lead"], "CTK");
    std::fs::write(dir.join("vinh-long.csv"), include_str!("../../../../data/vinh-long-published.csv")).unwrap();
    let out = kehoach(&["values", "import", "vinh-long.csv"], dir, database);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Vĩnh Long (86) is not part of Bến Tre (83) in 2025"), "{}", text(&out));
    // A figure with no unit is the plan's own region's, and counts: GRDP
    // 5,84 % for Bến Tre against 6,0–6,5 % is not achieved.
    std::fs::write(dir.join("grdp.csv"), "measure,period,value,status\na.1,2025,\"5,84\",preliminary\n").unwrap();
    let out = kehoach(&["values", "import", "grdp.csv"], dir, database);
    assert!(out.status.success(), "{}", text(&out));
    let s = status_json(dir, database, "2025", "current");
    assert_eq!(measure(&s, "a.1")["status"], "not_achieved");
    let out = kehoach(&["plan", "assign", "c.1", "--lead", "STC", "--unit", "Ba Tri"], dir, database);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(measure(&status_json(dir, database, "2025", "current"), "c.1")["lead"], "STC");
    let out = kehoach(&["plan", "assign", "c.1", "--lead", "NOPE"], dir, database);
    assert!(!out.status.success() && text(&out).contains("agency NOPE"), "{}", text(&out));
    assert_eq!(measure(&s, "a.1")["actual"].to_string(), "5.84");

    // A bad file changes nothing and says what is wrong where.
    std::fs::write(dir.join("bad.csv"), "measure,period,value\nc.1,2025,1.900\nq.9,2025,1\nc.1,2025-13,x\n").unwrap();
    let out = kehoach(&["values", "import", "bad.csv"], dir, database);
    assert!(!out.status.success());
    let said = text(&out);
    assert!(said.contains("line 3, column measure: no measure or component “q.9” in the plan"), "{said}");
    assert!(said.contains("line 4, column period"), "{said}");
    assert!(said.contains("line 4, column value"), "{said}");
    assert_eq!(measure(&status_json(dir, database, "2025", "current"), "c.1")["status"], "no_data");

    // Ten times last year's exports (1.630), typed without a note: refused
    // as unlikely, with where and why; with a note it would be taken.
    std::fs::write(dir.join("far.csv"), "measure,period,value\nc.1,2025,16.300\n").unwrap();
    let out = kehoach(&["values", "import", "far.csv"], dir, database);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(
            "line 2, column value: 16300 is far from the figures reported before (the same period last year: 1630)"
        ),
        "{}",
        text(&out)
    );

    // Exports 1.900 against at least 1.850: exceeded. Poverty from 3,2 % to
    // 2,5 %: a fall of 0,7 points within 0,5–1: achieved.
    std::fs::write(
        dir.join("good.csv"),
        "measure,period,org_unit,value,status,note\nc.1,2025,Bến Tre,1.900,estimate,\nm.1,2024,Bến Tre,\"3,2\",official,base\nm.1,2025,,\"2,5\",estimate,\n",
    )
    .unwrap();
    let out = kehoach(&["values", "import", "good.csv"], dir, database);
    assert!(out.status.success(), "{}", text(&out));
    let s = status_json(dir, database, "2025", "current");
    assert_eq!(measure(&s, "c.1")["status"], "exceeded");
    assert_eq!(measure(&s, "m.1")["status"], "achieved");

    // The council raised the GRDP target to at least 8 % on 19/02/2025.
    let out = kehoach(
        &["plan", "revise", "a.1", "--at-least", "8", "--decision", "01/2025/NQ-HĐND", "--date", "2025-02-19"],
        dir,
        database,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("6,0 - 6,5% → ≥ 8%"), "{}", text(&out));
    assert_eq!(measure(&status_json(dir, database, "2025", "current"), "a.1")["target"], "≥ 8%");
    assert_eq!(measure(&status_json(dir, database, "2025", "original"), "a.1")["target"], "6,0 - 6,5%");

    let table = kehoach(&["status", "--period", "2025"], dir, database);
    assert!(text(&table).contains("Vượt"), "{}", text(&table));
}

#[test]
fn the_story_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    the_story(dir.path(), "kehoach.db");
    assert!(dir.path().join("kehoach.db").exists());
}

#[test]
fn the_story_on_postgres() {
    on_postgres("story", |database| {
        let dir = tempfile::tempdir().unwrap();
        the_story(dir.path(), database);
    });
}

/// Runs `test` on a fresh PostgreSQL database of its own, dropped after.
fn on_postgres(what: &str, test: impl FnOnce(&str)) {
    if let Some(database) = kehoach_testing::db::postgres(what) {
        test(&database.url);
    }
}

/// Figures the districts report add up to the province: exports month by
/// month into the quarter, beds and population into a ratio of sums; a
/// quarter with one district missing is shown as no data, not judged.
#[test]
fn district_figures_add_up_to_the_province() {
    let dir = tempfile::tempdir().unwrap();
    let db = "kehoach.db";
    assert!(kehoach(&["init"], dir.path(), db).status.success());
    let districts = ["829", "831", "832", "833", "834", "835", "836", "837", "838"];
    let mut csv = String::from("measure,period,org_unit,value,status\n");
    for (i, d) in districts.iter().enumerate() {
        for m in 1..=3 {
            csv.push_str(&format!("c.1,2025-{m:02},{d},{},official\n", 10 + i));
        }
        csv.push_str(&format!("giuong_benh,2025-Q1,{d},{},official\n", 300 + 10 * i));
        csv.push_str(&format!("dan_so,2025-Q1,{d},\"{}.000\",official\n", 140 + i));
        if *d != "838" {
            csv.push_str(&format!("c.1,2025-04,{d},5,estimate\n"));
        }
    }
    std::fs::write(dir.path().join("districts.csv"), csv).unwrap();
    let out = kehoach(&["values", "import", "districts.csv"], dir.path(), db);
    assert!(out.status.success(), "{}", text(&out));
    let q1 = status_json(dir.path(), db, "2025-Q1", "current");
    // 3 × (10 + 11 + … + 18) = 378 million USD.
    assert_eq!(measure(&q1, "c.1")["actual"].to_string(), "378");
    // 3,060 beds for 1,296,000 people: 23.61 per 10,000 (the mean of the
    // district ratios would be 23.59).
    let beds = measure(&q1, "o.1")["actual"].as_number().unwrap().to_string();
    assert!(beds.starts_with("23.6111"), "{beds}");
    let april = status_json(dir.path(), db, "2025-04", "current");
    assert_eq!(measure(&april, "c.1")["status"], "no_data");
}

#[test]
fn an_unreachable_database_is_said_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let out = kehoach(&["status", "--period", "2025"], dir.path(), "postgres://nobody@127.0.0.1:1/none");
    assert!(!out.status.success());
    assert!(text(&out).contains("cannot open the database postgres://nobody@127.0.0.1:1/none"), "{}", text(&out));
    let out = kehoach(&["status", "--period", "2025"], dir.path(), "empty.db");
    assert!(text(&out).contains("holds no plan yet: run `kehoach init` first"), "{}", text(&out));
}

#[test]
fn the_demonstration_year_is_never_mixed_with_real_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = "demo.db";
    let out = kehoach(&["init", "--demo"], dir.path(), db);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("14 published figures; 1320 illustrative figures"), "{}", text(&out));
    // Real figures only: the two published figures of the first half (industry
    // and services growth) are judged, nothing else.
    let real = status_json(dir.path(), db, "2025-H1", "current");
    let judged: Vec<&str> = real["measures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"] != "no_data")
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    assert_eq!(judged, ["a.3", "a.4"]);
    assert!(real.get("illustrative").is_none());
    // Illustrative figures only, and said so.
    let out = kehoach(&["status", "--period", "2025-9M", "--illustrative", "--json"], dir.path(), db);
    let demo: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(demo["illustrative"], true);
    let measures = demo["measures"].as_array().unwrap();
    assert!(measures.iter().filter(|m| m["status"] == "on_track").count() > 10);
    assert!(measures.iter().filter(|m| m["status"] == "at_risk").count() > 5);
    // The published 12,46 % of the first half is not among the illustrative figures.
    let out = kehoach(&["status", "--period", "2025-H1", "--illustrative", "--json"], dir.path(), db);
    let demo_half: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ne!(measure(&demo_half, "a.3")["actual"].to_string(), "12.46");
    let table = kehoach(&["status", "--period", "2025-9M", "--illustrative"], dir.path(), db);
    assert!(text(&table).starts_with("MINH HỌA"), "{}", text(&table));
}

/// A process killed in the middle of an import leaves the database as it
/// was: the figures go in one transaction.
#[test]
fn an_import_killed_half_way_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = "killed.db";
    assert!(kehoach(&["init"], dir.path(), db).status.success());
    let before = latest_count(&dir.path().join(db));
    // Many distinct figures: every measure, every month of the ten years the
    // import takes before the plan's, for the province and each district.
    let plan = kehoach_planfile::from_toml(include_str!("../../../../data/plans/ben-tre-2025.toml")).unwrap();
    let mut csv = String::from("measure,period,org_unit,value,status,note\n");
    let units = [83, 829].into_iter().chain(831..=838);
    for unit in units {
        for m in plan.measures() {
            for year in 2015..=2024 {
                for month in 1..=12 {
                    csv.push_str(&format!("{},{year}-{month:02},{unit},1,official,\n", m.key));
                }
            }
        }
    }
    std::fs::write(dir.path().join("big.csv"), csv).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["values", "import", "big.csv", "--database", db])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the import is writing (its write-ahead log grows), then kill it.
    let wal = dir.path().join(format!("{db}-wal"));
    let started = std::time::Instant::now();
    while std::fs::metadata(&wal).map_or(0, |m| m.len()) < 2 * 1024 * 1024
        && child.try_wait().unwrap().is_none()
        && started.elapsed() < std::time::Duration::from_secs(120)
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = child.try_wait().unwrap().is_none();
    child.kill().ok();
    child.wait().unwrap();
    let after = latest_count(&dir.path().join(db));
    assert!(killed, "the import finished before it could be killed: make the file bigger");
    assert_eq!(after, before, "a killed import left {} figures behind", after - before);
}

/// `serve` stops at SIGTERM (what systemd and container runtimes send):
/// it takes no new connection, answers what it was asked, closes the
/// database (on SQLite the write-ahead log is folded in and removed; on
/// PostgreSQL the connection that listens for other processes' saves is
/// given back too) and exits 0.
#[cfg(unix)]
#[test]
fn serve_stops_cleanly_when_asked_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let wal = dir.path().join("stop.db-wal");
    serve_stops_cleanly_when_asked(dir.path(), "stop.db", || {
        assert!(wal.exists(), "the database is open in WAL mode while serving");
    });
    assert!(!wal.exists(), "the write-ahead log is folded into the database");
}

#[cfg(unix)]
#[test]
fn serve_stops_cleanly_when_asked_on_postgres() {
    on_postgres("stop", |database| {
        let dir = tempfile::tempdir().unwrap();
        serve_stops_cleanly_when_asked(dir.path(), database, || {});
    });
}

#[cfg(unix)]
fn serve_stops_cleanly_when_asked(dir: &Path, database: &str, while_serving: impl FnOnce()) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database", database])
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| Some(l.strip_prefix("kehoach is serving http://")?.split('/').next()?.to_string()))
        .expect("serve says where it listens");
    use kehoach_testing::http::{Client, blocking, http};
    let client = Client::new(address.parse().expect("an address"));
    let answer = blocking(http(&client, "GET", "/public?period=2025", "", "", &[]));
    assert_eq!(answer.status, 200, "{}", &answer.body[..answer.body.len().min(200)]);
    while_serving();

    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().ok();
            panic!("serve did not stop within a minute of SIGTERM");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(status.success(), "{status:?}: {rest:?}");
    assert!(rest.iter().any(|l| l.contains("the database closed")), "{rest:?}");
    assert!(std::net::TcpStream::connect(&address).is_err(), "no longer listening");
}

fn latest_count(path: &Path) -> usize {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        use kehoach_store::Store;
        let store = kehoach_store::SqliteStore::open(&format!("sqlite://{}", path.display())).await.unwrap();
        store.latest_values(1).await.unwrap().len()
    })
}

/// Runs SQL on a SQLite database behind kehoach's back (what a hand edit,
/// or a database written before today's rules, leaves).
fn behind_its_back(path: &Path, sql: &str) -> u64 {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let store = kehoach_store::SqliteStore::open(&format!("sqlite://{}", path.display())).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).execute(store.pool()).await.unwrap().rows_affected()
    })
}

#[test]
fn a_stored_figure_the_engine_cannot_hold_is_left_out_loudly_and_stops_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (dir, db) = (dir.path(), "kehoach.db");
    assert!(kehoach(&["init"], dir, db).status.success());
    std::fs::write(
        dir.join("v.csv"),
        "measure,period,value,status\na.1,2025,\"5,84\",preliminary\na.3,2025,\"1,0\",preliminary\n",
    )
    .unwrap();
    let out = kehoach(&["values", "import", "v.csv"], dir, db);
    assert!(out.status.success(), "{}", text(&out));
    let before = status_json(dir, db, "2025", "current");
    assert_eq!(measure(&before, "a.1")["status"], "not_achieved");
    let a3 = measure(&before, "a.3")["status"].clone();
    assert_ne!(a3, "no_data");
    for huge in ["10000000000000000000", "0.0000000000000000001"] {
        let n = behind_its_back(
            &dir.join(db),
            &format!("UPDATE value_versions SET value = '{huge}' WHERE measure = 'a.1' AND period = '2025'"),
        );
        assert_eq!(n, 1);
        let out = kehoach(&["status", "--period", "2025", "--json"], dir, db);
        assert!(out.status.success(), "{}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("left out of every verdict") && stderr.contains(&format!("a.1 83 2025 v1 ({huge})")),
            "{stderr}"
        );
        let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(measure(&s, "a.1")["status"], "no_data", "left out");
        assert_eq!(measure(&s, "a.3")["status"], a3, "the rest is judged as before");
        let out = kehoach(&["report", "--period", "2025", "--output", "r.xlsx"], dir, db);
        assert!(out.status.success(), "{}", text(&out));
        assert!(String::from_utf8_lossy(&out.stderr).contains("left out of every verdict"), "{}", text(&out));
    }
    // A newer version corrects it.
    std::fs::write(dir.join("fix.csv"), "measure,period,value,status\na.1,2025,\"6,1\",official\n").unwrap();
    let out = kehoach(&["values", "import", "fix.csv"], dir, db);
    assert!(out.status.success(), "{}", text(&out));
    let out = kehoach(&["status", "--period", "2025", "--json"], dir, db);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("left out"), "{}", text(&out));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(measure(&s, "a.1")["status"], "achieved");
}

#[test]
fn audit_verify_names_what_was_changed_behind_its_back_and_users_are_managed() {
    let dir = tempfile::tempdir().unwrap();
    let (dir, db) = (dir.path(), "kehoach.db");
    assert!(kehoach(&["init"], dir, db).status.success());
    std::fs::write(dir.join("v.csv"), "measure,period,value,status\na.1,2025,\"5,84\",preliminary\n").unwrap();
    assert!(kehoach(&["values", "import", "v.csv"], dir, db).status.success());
    let out = kehoach(&["audit", "verify"], dir, db);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("audit log intact"), "{}", text(&out));

    // Users: a one-time password, changed; disabled and enabled; all audited
    // and the log still intact.
    let out = kehoach(&["user", "add", "lan", "--role", "planner"], dir, db);
    assert!(text(&out).contains("one-time password") && text(&out).contains("first sign-in"), "{}", text(&out));
    let out = kehoach(&["user", "passwd", "lan"], dir, db);
    assert!(out.status.success() && text(&out).contains("lan: one-time password"), "{}", text(&out));
    let out = kehoach(&["user", "disable", "lan"], dir, db);
    assert!(out.status.success() && text(&out).contains("lan: disabled"), "{}", text(&out));
    let out = kehoach(&["user", "enable", "lan"], dir, db);
    assert!(out.status.success(), "{}", text(&out));
    let out = kehoach(&["user", "disable", "nobody"], dir, db);
    assert!(!out.status.success() && text(&out).contains("nobody"), "{}", text(&out));
    assert!(kehoach(&["audit", "verify"], dir, db).status.success());

    // A figure rewritten, then a row of the log deleted.
    behind_its_back(&dir.join(db), "UPDATE value_versions SET value = '9' WHERE measure = 'a.1' AND period = '2025'");
    let out = kehoach(&["audit", "verify"], dir, db);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("value.submit plan 1 a.1 83 2025") && text(&out).contains("changed since"),
        "{}",
        text(&out)
    );
    behind_its_back(
        &dir.join(db),
        "UPDATE value_versions SET value = '5.84' WHERE measure = 'a.1' AND period = '2025'",
    );
    assert!(kehoach(&["audit", "verify"], dir, db).status.success());
    behind_its_back(&dir.join(db), "DELETE FROM audit_log WHERE action = 'user.disable'");
    let out = kehoach(&["audit", "verify"], dir, db);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("does not follow the entry before it"), "{}", text(&out));
}
