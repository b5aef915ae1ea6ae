//! What the tests of the workspace share, so that no test binary writes its
//! own: [`http`], a real HTTP client (reqwest) for the real server listening
//! on port 0; [`db`], a fresh SQLite file or PostgreSQL database per test;
//! [`fixtures`], the built-in plan of Bến Tre 2025 with its units, agencies
//! and users; [`zip`], a part of a workbook or document rewritten as
//! another program would save it. A dev-dependency only: nothing of the
//! product depends on it.

pub mod db;
pub mod fixtures;
pub mod http;
pub mod zip;

use std::path::Path;

/// The workspace's root, where `data/` is.
pub fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The password of every user the fixtures make.
pub const PASSWORD: &str = "mat-khau-thu-nghiem";
