//! The `kehoach` binary driven as a user or a script would, in one test
//! binary: each module a part of what it does.

mod analytics_pg;
mod cli;
mod plans;
mod reports;
mod store_cli;
mod units;
mod workflow_cli;

use std::path::Path;
use std::process::{Command, Output};

/// `kehoach ARGS --database k.db`, run in `dir`.
fn kehoach(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(args)
        .args(["--database", "k.db"])
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}
