-- Progress of key tasks: every report kept, the latest wins.
CREATE TABLE task_progress (
    plan_id {bigint} NOT NULL REFERENCES plans(id),
    task TEXT NOT NULL,
    version {bigint} NOT NULL,
    progress TEXT NOT NULL,          -- status, percent, milestones, narrative (JSON)
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, task, version)
);
