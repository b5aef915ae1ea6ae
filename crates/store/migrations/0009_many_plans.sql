-- Many plans side by side: a plan is a resolution for a region (by its
-- official code) over a span: a year, five years, or the rest of a year
-- after a merger. Plans written before are yearly plans of their year for
-- the region their resolution names ('' here: read from the plan).
ALTER TABLE plans ADD COLUMN region_code TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN kind TEXT NOT NULL DEFAULT 'year';
ALTER TABLE plans ADD COLUMN span_from TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN span_to TEXT NOT NULL DEFAULT '';

-- The plan a command or a page works on when none is named: the latest
-- choice, else the first plan. Appended, never updated.
CREATE TABLE default_plans (
    id {id},
    plan_id {bigint} NOT NULL REFERENCES plans(id),
    chosen_at TEXT NOT NULL,
    chosen_by TEXT NOT NULL
);
