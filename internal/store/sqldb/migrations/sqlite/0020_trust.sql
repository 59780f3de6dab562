-- Figures that can be trusted.
--
-- 1. The post-closure survey asks about the outcome as well as the
-- handling (the 2018 policy asks both). Answers given before it did have
-- no outcome ('').
ALTER TABLE survey_answers ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
CREATE INDEX survey_answers_outcome ON survey_answers (answered_on, outcome, tenure) WHERE outcome <> '';

-- 2. Beside CH02, the same responses against the landlord's own deadline
-- (the stage's respond_by rather than the Code's). indexFacts fills
-- within_policy with report.WithinPolicy as it saves a case; the rows
-- already stored are filled here by the same rule from the case as
-- stored: responded on or before the stage's respond_by.
ALTER TABLE stage_facts ADD COLUMN within_policy INTEGER NOT NULL DEFAULT 0;
UPDATE stage_facts SET within_policy = coalesce((
    SELECT json_extract(c.data, '$.stages[' || (stage_facts.stage - 1) || '].respond_by') >= stage_facts.responded
    FROM cases c WHERE c.id = stage_facts.case_id
        AND coalesce(json_extract(c.data, '$.stages[' || (stage_facts.stage - 1) || '].respond_by'), '') <> ''
), 0) WHERE responded IS NOT NULL;

-- Daily counts of responses within the landlord's own deadline, kept by
-- triggers beside tsm_days (migration 0008) for the same reason: a year
-- adds up at most 366 days of a few rows, whatever the number of cases.
-- tsm_days's measures are fixed by its CHECK, so these have their own
-- table rather than a rebuilt one.
CREATE TABLE policy_days (
    day           TEXT NOT NULL,
    stage         INTEGER NOT NULL,
    within_policy INTEGER NOT NULL,
    tenure        TEXT NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (day, stage, within_policy, tenure)
) WITHOUT ROWID;

CREATE TRIGGER stage_facts_policy_insert AFTER INSERT ON stage_facts WHEN NEW.responded IS NOT NULL BEGIN
    INSERT INTO policy_days (day, stage, within_policy, tenure, n)
        VALUES (NEW.responded, NEW.stage, NEW.within_policy, NEW.tenure, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stage_facts_policy_delete AFTER DELETE ON stage_facts WHEN OLD.responded IS NOT NULL BEGIN
    UPDATE policy_days SET n = n - 1
        WHERE day = OLD.responded AND stage = OLD.stage AND within_policy = OLD.within_policy AND tenure = OLD.tenure;
END;

INSERT INTO policy_days (day, stage, within_policy, tenure, n)
    SELECT responded, stage, within_policy, tenure, count(*) FROM stage_facts
    WHERE responded IS NOT NULL GROUP BY responded, stage, within_policy, tenure;

-- 3. The data-quality list: events recorded long after the date they
-- carry. The partial index holds only those recorded more than 22 hours
-- after their date, the superset that may be more than one working day
-- late, so the list reads a handful of rows, not the whole audit trail.
CREATE INDEX events_recorded_late ON events (at) WHERE julianday(recorded_at) - julianday(at) > 22.0 / 24;
