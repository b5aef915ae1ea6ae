//! The audit log as a hash chain: tamper-evident, on both databases.
//!
//! Every entry names the records it wrote (a figure's version, a
//! submission's move and the versions it covered, a target's revision, a
//! task's progress, a plan) as lines `table key sha256(row)`, and carries
//! `hash = sha256(previous hash, its own fields, those lines)`. The head
//! (`audit_head`) holds the last entry's id and hash. [`verify`] walks the
//! chain and then every record row: an entry edited or deleted, an entry
//! cut from the end, a record rewritten, deleted or slipped in behind the
//! log's back each break something it checks, and it names the first entry
//! that does not hold.
//!
//! This is evidence, not a lock: someone with write access to the database
//! and this code can rebuild the chain. What it gives is that a change made
//! by hand, without doing so, is found by `kehoach audit verify` and at
//! every start of `serve`.

use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A field of a row, for hashing: a NULL is not an empty text.
pub enum Field<'a> {
    Text(&'a str),
    Int(i64),
    Null,
}

impl<'a> From<&'a str> for Field<'a> {
    fn from(s: &'a str) -> Self {
        Self::Text(s)
    }
}

impl<'a> From<&'a String> for Field<'a> {
    fn from(s: &'a String) -> Self {
        Self::Text(s)
    }
}

impl From<i64> for Field<'_> {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}

impl<'a> From<&'a Option<String>> for Field<'a> {
    fn from(s: &'a Option<String>) -> Self {
        s.as_deref().map_or(Self::Null, Self::Text)
    }
}

/// Fields as one unambiguous text: each with its kind and length, so that no
/// two different rows read the same.
fn encode(fields: &[Field<'_>]) -> String {
    let mut out = String::new();
    for f in fields {
        match f {
            Field::Text(s) => out.push_str(&format!("t{}:{s};", s.len())),
            Field::Int(n) => out.push_str(&format!("i{n};")),
            Field::Null => out.push_str("n;"),
        }
    }
    out
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A row a change wrote, as an entry names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub table: &'static str,
    /// The row's primary key, fields joined by `/` (keys hold no spaces).
    pub key: String,
    pub digest: String,
}

impl Record {
    /// A row of `table`: its key fields, then the rest.
    pub fn of(table: &'static str, key: &[Field<'_>], rest: &[Field<'_>]) -> Self {
        let key_text: Vec<String> = key
            .iter()
            .map(|f| match f {
                Field::Text(s) => s.replace(['/', ' ', '\n'], "_"),
                Field::Int(n) => n.to_string(),
                Field::Null => "-".into(),
            })
            .collect();
        Self { table, key: key_text.join("/"), digest: sha256(&(encode(key) + &encode(rest))) }
    }

    fn line(&self) -> String {
        format!("{} {} {}", self.table, self.key, self.digest)
    }
}

/// The lines an entry keeps of its records.
pub fn lines(records: &[Record]) -> String {
    records.iter().map(Record::line).collect::<Vec<_>>().join("\n")
}

/// The record tables, each row as read for hashing (integers as `i64`,
/// NULLs as `None`), in the column order of the `SELECT`s that read them.
pub mod rows {
    use super::Record;

    /// `plans`: id, region, year, plan, recorded_at, recorded_by.
    pub type Plan = (i64, String, i64, String, String, String);
    /// `measure_versions`: plan_id, measure, version, target, decision,
    /// decided_on, recorded_at, recorded_by.
    pub type MeasureVersion = (i64, String, i64, String, Option<String>, Option<String>, String, String);
    /// `value_versions`: plan_id, measure, org_unit, period, version, value,
    /// status, note, origin, agency, entered_by, entered_at.
    pub type ValueVersion =
        (i64, String, String, String, i64, String, String, String, String, Option<String>, String, String);
    /// `submissions`: plan_id, agency, period, version, state, comment,
    /// by_user, at.
    pub type Submission = (i64, String, String, i64, String, String, String, String);
    /// `submission_figures`: plan_id, agency, period, submission_version,
    /// measure, org_unit, state, version.
    pub type SubmissionFigure = (i64, String, String, i64, String, String, String, i64);
    /// `task_progress`: plan_id, task, version, progress, entered_by,
    /// entered_at.
    pub type TaskProgress = (i64, String, i64, String, String, String);

    pub const PLANS: &str = "SELECT id, region, CAST(year AS BIGINT), plan, recorded_at, recorded_by FROM plans";
    pub const MEASURE_VERSIONS: &str = "SELECT plan_id, measure, version, target, decision, decided_on, recorded_at, recorded_by FROM measure_versions";
    pub const VALUE_VERSIONS: &str = "SELECT plan_id, measure, org_unit, period, version, value, status, note, origin, agency, entered_by, entered_at FROM value_versions";
    pub const SUBMISSIONS: &str =
        "SELECT plan_id, agency, period, version, state, comment, by_user, at FROM submissions";
    pub const SUBMISSION_FIGURES: &str =
        "SELECT plan_id, agency, period, submission_version, measure, org_unit, state, version FROM submission_figures";
    pub const TASK_PROGRESS: &str =
        "SELECT plan_id, task, version, progress, entered_by, entered_at FROM task_progress";

    pub fn plan(r: &Plan) -> Record {
        Record::of("plans", &[r.0.into()], &[(&r.1).into(), r.2.into(), (&r.3).into(), (&r.4).into(), (&r.5).into()])
    }

    pub fn measure_version(r: &MeasureVersion) -> Record {
        Record::of(
            "measure_versions",
            &[r.0.into(), (&r.1).into(), r.2.into()],
            &[(&r.3).into(), (&r.4).into(), (&r.5).into(), (&r.6).into(), (&r.7).into()],
        )
    }

    pub fn value_version(r: &ValueVersion) -> Record {
        Record::of(
            "value_versions",
            &[r.0.into(), (&r.1).into(), (&r.2).into(), (&r.3).into(), r.4.into()],
            &[
                (&r.5).into(),
                (&r.6).into(),
                (&r.7).into(),
                (&r.8).into(),
                (&r.9).into(),
                (&r.10).into(),
                (&r.11).into(),
            ],
        )
    }

    pub fn submission(r: &Submission) -> Record {
        Record::of(
            "submissions",
            &[r.0.into(), (&r.1).into(), (&r.2).into(), r.3.into()],
            &[(&r.4).into(), (&r.5).into(), (&r.6).into(), (&r.7).into()],
        )
    }

    pub fn submission_figure(r: &SubmissionFigure) -> Record {
        Record::of(
            "submission_figures",
            &[r.0.into(), (&r.1).into(), (&r.2).into(), r.3.into(), (&r.4).into(), (&r.5).into()],
            &[(&r.6).into(), r.7.into()],
        )
    }

    pub fn task_progress(r: &TaskProgress) -> Record {
        Record::of(
            "task_progress",
            &[r.0.into(), (&r.1).into(), r.2.into()],
            &[(&r.3).into(), (&r.4).into(), (&r.5).into()],
        )
    }
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub detail: String,
    pub records: String,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// An entry's hash, given the one before.
pub fn hash(prev: &str, at: &str, actor: &str, action: &str, entity: &str, detail: &str, records: &str) -> String {
    sha256(&encode(&[
        prev.into(),
        at.into(),
        actor.into(),
        action.into(),
        entity.into(),
        detail.into(),
        records.into(),
    ]))
}

impl Entry {
    fn expected_hash(&self, prev: &str) -> String {
        hash(prev, &self.at, &self.actor, &self.action, &self.entity, &self.detail, &self.records)
    }
}

/// What verification found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("audit entry #{id} ({action} {entity}) does not match its hash: it was edited")]
    Edited { id: i64, action: String, entity: String },
    #[error(
        "audit entry #{id} ({action} {entity}) does not follow the entry before it: an entry before it was deleted or edited"
    )]
    Unlinked { id: i64, action: String, entity: String },
    #[error("the audit log ends at entry #{last} but its head names entry #{head}: entries after #{last} were deleted")]
    Cut { last: i64, head: i64 },
    #[error("audit entry #{id} ({action} {entity}) wrote {table} {key}, which was changed since")]
    RecordChanged { id: i64, action: String, entity: String, table: String, key: String },
    #[error("audit entry #{id} ({action} {entity}) wrote {table} {key}, which was deleted since")]
    RecordDeleted { id: i64, action: String, entity: String, table: String, key: String },
    #[error("{table} {key} is in no audit entry: it was written behind the log's back")]
    Unrecorded { table: String, key: String },
}

impl Broken {
    /// The entry it concerns, for ordering (rows in no entry come last).
    fn entry(&self) -> i64 {
        match self {
            Self::Edited { id, .. }
            | Self::Unlinked { id, .. }
            | Self::RecordChanged { id, .. }
            | Self::RecordDeleted { id, .. } => *id,
            Self::Cut { last, .. } => *last + 1,
            Self::Unrecorded { .. } => i64::MAX,
        }
    }
}

/// What an intact log holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intact {
    pub entries: usize,
    pub records: usize,
}

/// Checks the chain (`entries` in id order, `head` the head's last id and
/// hash) against the record rows as they are now. Returns the first thing
/// that does not hold, by entry.
pub fn verify(
    entries: &[Entry],
    head: Option<(i64, String)>,
    rows: impl IntoIterator<Item = Record>,
) -> Result<Intact, Broken> {
    let mut found: Vec<Broken> = Vec::new();
    let mut prev = GENESIS.to_string();
    // (table, key) → (entry, digest), the latest entry winning.
    let mut wrote: HashMap<(String, String), (usize, String)> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        let (action, entity) = (e.action.clone(), e.entity.clone());
        if e.prev_hash.as_deref() != Some(prev.as_str()) {
            found.push(Broken::Unlinked { id: e.id, action: action.clone(), entity: entity.clone() });
        }
        if e.hash.as_deref() != Some(e.expected_hash(e.prev_hash.as_deref().unwrap_or(&prev)).as_str()) {
            found.push(Broken::Edited { id: e.id, action, entity });
        }
        prev = e.hash.clone().unwrap_or_default();
        for line in e.records.lines() {
            let mut parts = line.split(' ');
            if let (Some(table), Some(key), Some(digest)) = (parts.next(), parts.next(), parts.next()) {
                wrote.insert((table.to_string(), key.to_string()), (i, digest.to_string()));
            }
        }
    }
    let last = entries.last().map_or(0, |e| e.id);
    match &head {
        Some((id, hash)) if *id != last || Some(hash) != entries.last().and_then(|e| e.hash.as_ref()) => {
            if *id > last {
                found.push(Broken::Cut { last, head: *id });
            } else if let Some(e) = entries.last() {
                found.push(Broken::Edited { id: e.id, action: e.action.clone(), entity: e.entity.clone() });
            }
        }
        _ => {}
    }
    let mut records = 0;
    for row in rows {
        records += 1;
        match wrote.remove(&(row.table.to_string(), row.key.clone())) {
            Some((_, digest)) if digest == row.digest => {}
            Some((i, _)) => {
                let e = &entries[i];
                found.push(Broken::RecordChanged {
                    id: e.id,
                    action: e.action.clone(),
                    entity: e.entity.clone(),
                    table: row.table.into(),
                    key: row.key,
                });
            }
            None => found.push(Broken::Unrecorded { table: row.table.into(), key: row.key }),
        }
    }
    for ((table, key), (i, _)) in wrote {
        let e = &entries[i];
        found.push(Broken::RecordDeleted { id: e.id, action: e.action.clone(), entity: e.entity.clone(), table, key });
    }
    match found.into_iter().min_by_key(|b| (b.entry(), b.to_string())) {
        Some(b) => Err(b),
        None => Ok(Intact { entries: entries.len(), records }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(value: &str) -> Record {
        Record::of(
            "value_versions",
            &[1.into(), "c.1".into(), "83".into(), "2025-03".into(), 1.into()],
            &[value.into()],
        )
    }

    fn chain(records: &[Vec<Record>]) -> Vec<Entry> {
        let mut prev = GENESIS.to_string();
        records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let lines = lines(r);
                let h = hash(&prev, "2025-03-31", "sct", "value.submit", "plan 1", "v1", &lines);
                let e = Entry {
                    id: i as i64 + 1,
                    at: "2025-03-31".into(),
                    actor: "sct".into(),
                    action: "value.submit".into(),
                    entity: "plan 1".into(),
                    detail: "v1".into(),
                    records: lines,
                    prev_hash: Some(prev.clone()),
                    hash: Some(h.clone()),
                };
                prev = h;
                e
            })
            .collect()
    }

    fn head(entries: &[Entry]) -> Option<(i64, String)> {
        entries.last().map(|e| (e.id, e.hash.clone().unwrap()))
    }

    #[test]
    fn an_intact_log_verifies_and_every_kind_of_tampering_is_named() {
        let other = Record::of(
            "value_versions",
            &[1.into(), "c.2".into(), "83".into(), "2025-03".into(), 1.into()],
            &["7".into()],
        );
        let entries = chain(&[vec![figure("10")], vec![], vec![other.clone()]]);
        let rows = || vec![figure("10"), other.clone()];
        assert_eq!(verify(&entries, head(&entries), rows()), Ok(Intact { entries: 3, records: 2 }));

        // An entry edited.
        let mut edited = entries.clone();
        edited[1].detail = "v2".into();
        assert!(matches!(verify(&edited, head(&entries), rows()), Err(Broken::Edited { id: 2, .. })));
        // An entry deleted from the middle.
        let mut cut = entries.clone();
        cut.remove(1);
        assert!(matches!(verify(&cut, head(&entries), rows()), Err(Broken::Unlinked { id: 3, .. })));
        // The last entry deleted.
        let short = entries[..2].to_vec();
        assert!(matches!(verify(&short, head(&entries), rows()), Err(Broken::Cut { last: 2, head: 3 })));
        // A figure rewritten, deleted, or slipped in.
        let changed = verify(&entries, head(&entries), vec![figure("11"), other.clone()]).unwrap_err();
        assert!(matches!(changed, Broken::RecordChanged { id: 1, .. }), "{changed}");
        assert_eq!(
            changed.to_string(),
            "audit entry #1 (value.submit plan 1) wrote value_versions 1/c.1/83/2025-03/1, which was changed since"
        );
        assert!(matches!(
            verify(&entries, head(&entries), vec![figure("10")]),
            Err(Broken::RecordDeleted { id: 3, .. })
        ));
        let extra =
            Record::of("submissions", &[1.into(), "SCT".into(), "2025-03".into(), 2.into()], &["approved".into()]);
        let slipped = verify(&entries, head(&entries), vec![figure("10"), other, extra]).unwrap_err();
        assert!(matches!(slipped, Broken::Unrecorded { .. }), "{slipped}");
    }

    #[test]
    fn a_null_is_not_an_empty_text_and_fields_do_not_run_together() {
        let none: Option<String> = None;
        let a = Record::of("t", &[1.into()], &[(&none).into()]);
        let b = Record::of("t", &[1.into()], &["".into()]);
        assert_ne!(a.digest, b.digest);
        let c = Record::of("t", &[1.into()], &["ab".into(), "c".into()]);
        let d = Record::of("t", &[1.into()], &["a".into(), "bc".into()]);
        assert_ne!(c.digest, d.digest);
    }
}
