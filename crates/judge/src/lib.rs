//! Judging (đánh giá): a plan with the figures that count, ready to be
//! judged the way Vietnamese reports do. It sits between the store (which
//! keeps records and judges nothing) and its readers: the command line's
//! `status`, the web pages and the reports all start from a [`Book`].
//!
//! - [`book`]: a plan and the analytics engine holding its figures, owned
//!   or borrowed, and the stored figures it had to leave out.
//! - [`followed`]: the engine fed from the store (the figures that count,
//!   by version) for a process that keeps it current afterwards.

pub mod book;
pub mod followed;

pub use book::{Book, LeftOut, home_of};
pub use followed::{Followed, Versions, engine, followed};
