-- Reporting agencies, and who answers for each measure.
CREATE TABLE agencies (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE assignments (
    plan_id {bigint} NOT NULL REFERENCES plans(id),
    measure TEXT NOT NULL,
    lead TEXT NOT NULL REFERENCES agencies(code),
    contributors TEXT NOT NULL,      -- unit codes (JSON)
    PRIMARY KEY (plan_id, measure)
);
