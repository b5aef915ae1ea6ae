//! `kehoach-bench`: the synthetic benchmark harness, kept out of the product
//! binary. `gen` writes a national dataset (CSV), `run` loads it into the
//! analytics engine and times the queries `bench/compare` also runs on
//! DuckDB and PostgreSQL.

mod bench;

use clap::Parser;

#[derive(Parser)]
#[command(name = "kehoach-bench", about = "A synthetic national dataset and the analytics engine timed on it")]
struct Cli {
    #[command(subcommand)]
    command: bench::BenchCommand,
}

fn main() -> anyhow::Result<()> {
    bench::run(Cli::parse().command)
}
