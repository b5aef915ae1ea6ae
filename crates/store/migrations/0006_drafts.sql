-- Resolutions uploaded through the web application, read into a draft plan that a
-- planner reviews, corrects and confirms. The draft is the plan file (TOML) as last
-- saved; confirming it saves a plan and records which.
CREATE TABLE plan_drafts (
    id {id},
    file_name TEXT NOT NULL,
    source TEXT NOT NULL,            -- the resolution's text as read (NFC, LF)
    plan_file TEXT NOT NULL,         -- the draft plan file (TOML)
    plan_id {bigint} REFERENCES plans(id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
