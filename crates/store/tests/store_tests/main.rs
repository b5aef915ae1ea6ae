//! One contract, both databases, in one test binary.

#[macro_use]
mod common;
mod contract;
mod workflow;
