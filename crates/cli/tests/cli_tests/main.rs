//! The `kehoach` binary driven as a user or a script would, in one test
//! binary: each module a part of what it does.

mod analytics_pg;
mod cli;
mod reports;
mod store_cli;
mod workflow_cli;
