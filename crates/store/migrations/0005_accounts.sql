-- People who sign in and their sessions (mutable state, not the record:
-- every login, failure and lock is also written to the audit log).
CREATE TABLE users (
    id {id},
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    agency TEXT REFERENCES agencies(code),
    password_hash TEXT NOT NULL,     -- Argon2id, PHC string
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,     -- SHA-256 of the cookie: a stolen table opens nothing
    user_id {bigint} NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Where an agency's figures for a period stand: every move a new version.
CREATE TABLE submissions (
    plan_id {bigint} NOT NULL REFERENCES plans(id),
    agency TEXT NOT NULL REFERENCES agencies(code),
    period TEXT NOT NULL,
    version {bigint} NOT NULL,
    state TEXT NOT NULL,             -- draft, submitted, returned, approved, unlocked
    comment TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (plan_id, agency, period, version)
);

-- Supervisors' comments on a measure.
CREATE TABLE comments (
    id {id},
    plan_id {bigint} NOT NULL REFERENCES plans(id),
    measure TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    at TEXT NOT NULL
);
