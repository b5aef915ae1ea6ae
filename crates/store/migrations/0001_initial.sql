-- The system of record. Figures are canonical decimal text (never floats);
-- times are RFC 3339 text in UTC. Nothing is updated in place: a revision or
-- a new figure is a new row with the next version.
CREATE TABLE plans (
    id {id},
    region TEXT NOT NULL,
    year INTEGER NOT NULL,
    plan TEXT NOT NULL,              -- the plan as adopted (JSON)
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);

CREATE TABLE measure_versions (
    plan_id {bigint} NOT NULL REFERENCES plans(id),
    measure TEXT NOT NULL,
    version {bigint} NOT NULL,        -- 1 is the target as adopted
    target TEXT NOT NULL,            -- the measure (JSON)
    decision TEXT,                   -- the decision that changed it
    decided_on TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (plan_id, measure, version)
);

CREATE TABLE org_units (
    code TEXT PRIMARY KEY,
    unit TEXT NOT NULL               -- the unit (JSON)
);

CREATE TABLE value_versions (
    plan_id {bigint} NOT NULL REFERENCES plans(id),
    measure TEXT NOT NULL,
    org_unit TEXT NOT NULL REFERENCES org_units(code),
    period TEXT NOT NULL,
    version {bigint} NOT NULL,
    value TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, measure, org_unit, period, version)
);

CREATE TABLE audit_log (
    id {id},
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    detail TEXT NOT NULL
);
