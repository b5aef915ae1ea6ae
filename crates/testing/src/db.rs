//! A fresh database per test: a SQLite file in a directory of its own, or a
//! database of its own on the PostgreSQL server `KEHOACH_TEST_POSTGRES`
//! names (which `.ci/run` sets), dropped when the test is done.
//!
//! Where `KEHOACH_TEST_POSTGRES` is not set, the PostgreSQL half of a test
//! is not run, and says so; under `CI=true` that fails the test instead.

use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

/// A database of a test's own; a PostgreSQL one is dropped on drop.
pub struct TestDatabase {
    /// What `--database` and `AnyStore::open` take.
    pub url: String,
    /// The directory of a SQLite file (and the test's other files).
    pub dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

/// A SQLite file in a new directory.
pub fn sqlite() -> TestDatabase {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = dir.path().join("kehoach.db").display().to_string();
    TestDatabase { url, dir, postgres: None }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A new database on the test server, named after `what`; none where no
/// server is named (never under CI). A server named but unusable fails.
pub fn postgres(what: &str) -> Option<TestDatabase> {
    let Ok(admin) = std::env::var("KEHOACH_TEST_POSTGRES") else {
        assert!(
            std::env::var("CI").is_err(),
            "KEHOACH_TEST_POSTGRES is not set: under CI the PostgreSQL tests must run"
        );
        eprintln!("KEHOACH_TEST_POSTGRES not set: the PostgreSQL half of “{what}” is not run here");
        return None;
    };
    let slug: String =
        what.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    // Ours (a slug, the process and a counter), never outside input.
    let name = format!("kehoach_{slug}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    psql(&admin, &format!("DROP DATABASE IF EXISTS {name}"));
    psql(&admin, &format!("CREATE DATABASE {name}"));
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let dir = tempfile::tempdir().expect("a temporary directory");
    Some(TestDatabase { url: format!("{base}/{name}"), dir, postgres: Some((admin, name)) })
}

fn psql(admin: &str, sql: &str) {
    let out = Command::new("psql").args([admin, "-v", "ON_ERROR_STOP=1", "-qAtc", sql]).output().expect("psql runs");
    assert!(
        out.status.success(),
        "KEHOACH_TEST_POSTGRES is set but the server cannot be used ({sql}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.postgres {
            // WITH (FORCE): a server the test started may still hold a connection.
            let _ = Command::new("psql")
                .args([admin, "-qAtc", &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")])
                .output();
        }
    }
}
