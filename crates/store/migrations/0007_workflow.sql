-- A figure counts only once someone answerable has released it: an agency's
-- figure when an approver approves it, exactly the version they saw; a
-- planner's or a published one once stored.
--
-- The agency whose submission an entered figure belongs to (NULL for figures
-- recorded from the command line, published or illustrative).
ALTER TABLE value_versions ADD COLUMN agency TEXT REFERENCES agencies(code);

-- Figures entered before the workflow decided what counts: those typed by
-- someone who signs in belong to the measure's lead agency; those loaded from
-- the command line were recorded by whoever ran it.
UPDATE value_versions SET origin = 'recorded'
 WHERE origin = 'entered' AND entered_by NOT IN (SELECT username FROM users);
UPDATE value_versions SET agency = (SELECT a.lead FROM assignments a
                                     WHERE a.plan_id = value_versions.plan_id AND a.measure = value_versions.measure)
 WHERE origin = 'entered';

-- The versions each submit and approve move covered: an approval approves
-- exactly these, and a version's workflow state is read from them.
CREATE TABLE submission_figures (
    plan_id {bigint} NOT NULL REFERENCES plans(id),
    agency TEXT NOT NULL,
    period TEXT NOT NULL,
    submission_version {bigint} NOT NULL,
    state TEXT NOT NULL,             -- submitted or approved
    measure TEXT NOT NULL,
    org_unit TEXT NOT NULL,
    version {bigint} NOT NULL,
    PRIMARY KEY (plan_id, agency, period, submission_version, measure, org_unit)
);
CREATE INDEX submission_figures_by_figure ON submission_figures (plan_id, measure, org_unit, period, version);

-- What earlier moves covered, as well as can be told now: the latest entered
-- version of each figure of the agency's period.
INSERT INTO submission_figures (plan_id, agency, period, submission_version, state, measure, org_unit, version)
SELECT s.plan_id, s.agency, s.period, s.version, s.state, v.measure, v.org_unit, MAX(v.version)
  FROM submissions s
  JOIN value_versions v ON v.plan_id = s.plan_id AND v.agency = s.agency AND v.period = s.period
 WHERE s.state IN ('submitted', 'approved')
   AND s.version = (SELECT MAX(t.version) FROM submissions t
                     WHERE t.plan_id = s.plan_id AND t.agency = s.agency AND t.period = s.period)
 GROUP BY s.plan_id, s.agency, s.period, s.version, s.state, v.measure, v.org_unit;
