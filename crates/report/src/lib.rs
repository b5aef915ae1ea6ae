//! Reports officials file (báo cáo) and the workbooks they fill in.
//!
//! * [`model`]: what a report says, worked out once from a judged plan;
//! * [`prose`]: its body in Vietnamese sentences;
//! * [`xlsx`]: the appendix workbook; [`docx`]: the report per Decree
//!   30/2020; the PDF is typeset by the `kehoach-pdf` crate from the same
//!   model;
//! * [`template`]: Excel data-entry templates, written and read back;
//! * [`gather`]: the one way to read a report's data from the store.

pub mod docx;
pub mod gather;
pub mod model;
pub mod prose;
pub mod template;
pub mod xlsx;

pub use gather::{GatherError, Request, gather};
pub use model::{Issuer, Report};
