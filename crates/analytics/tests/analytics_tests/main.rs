//! The engine against the ledger and a naive reference, in one test binary.

mod ledger;
mod reference;
