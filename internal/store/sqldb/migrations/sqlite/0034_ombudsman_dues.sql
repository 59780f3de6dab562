-- The Housing Ombudsman stage (issue 19, item 4): the dates a landlord
-- owes the Ombudsman on a referred case, for the staff dashboard (evidence
-- due, orders overdue) and the annual report (every referred case).
--
-- ombudsman_dues holds one row for each referred case (kind 'referral',
-- item 0, due the day the Ombudsman told the landlord, done once the
-- determination is recorded), one for each request for evidence (kind
-- 'evidence', done once evidence answering it is sent) and one for each
-- order or recommendation with a due date (done once met). The store
-- rewrites a case's rows on every save of a referred case, in the same
-- transaction; the rows are derived from the case, like the hazard index,
-- and hold no foreign key. No case was referred before this migration.
CREATE TABLE IF NOT EXISTS ombudsman_dues (
    case_id INTEGER NOT NULL,
    kind    TEXT NOT NULL,    -- referral, evidence, order or recommendation
    item    INTEGER NOT NULL, -- the request's or order's id; 0 for the referral
    due     TEXT NOT NULL,    -- YYYY-MM-DD, London
    done    INTEGER NOT NULL, -- 1 once answered, met or determined
    PRIMARY KEY (case_id, kind, item)
);
CREATE INDEX IF NOT EXISTS ombudsman_dues_open ON ombudsman_dues (done, kind, due, case_id);
