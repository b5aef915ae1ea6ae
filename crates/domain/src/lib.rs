//! The plan model of kehoach and the rules that judge it.
//!
//! Pure Rust with no I/O: no files, no network, no database. Every other crate
//! depends on this one; this one depends on none of them.

pub mod access;
pub mod alphabet;
pub mod check;
pub mod checklist;
pub mod evaluate;
pub mod fiveyear;
pub mod formula;
pub mod ledger;
pub mod number;
pub mod org;
pub mod period;
pub mod plan;
pub mod progress;
pub mod value;

pub use plan::{
    Aggregation, Comparator, Component, Document, Measure, MeasureKind, Plan, PlanKind, ReviewFlag, Sector, Span,
    Target, Task,
};
