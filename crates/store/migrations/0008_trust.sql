-- A tamper-evident audit log. Each entry carries the records it wrote (one
-- line per row: table, key, SHA-256 of the row) and a hash of itself and of
-- the entry before; the head names the last entry, so that removing entries
-- from the end is seen too. Entries written before this migration are
-- chained, and the records then present sealed, when the store next opens
-- (`chain::seal`).
ALTER TABLE audit_log ADD COLUMN records TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    last_id BIGINT NOT NULL,
    hash TEXT NOT NULL
);

-- A password someone else set (the first administrator's, `user passwd`)
-- is changed by its owner at the next sign-in; a disabled account signs in
-- no more and its sessions end.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN disabled_at TEXT;
