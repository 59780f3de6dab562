-- Daily counts behind the management figures, kept by triggers in the
-- same transaction as the report facts, as tsm_days is for the measures
-- (0008). Read from the facts' covering indexes, a year's figures over a
-- million cases scanned a few million index entries and took most of a
-- second; these give them from one range of at most a few hundred rows a
-- day (figure_days.go, figureDaysQuery).
--
-- One row per day and thing counted: figure says what, key which one,
-- stage the complaint stage (0 for what is counted per contact). n is
-- how many, pence the money with them. month leads the key so that a
-- period's rows group by month in index order, with no sort.
--
--   figure            stage  key                 day
--   kind              0      the contact's kind  received
--   channel           0      its channel         received
--   service_area      0      its service area    received
--   category          0      a category          received
--   received          s      ''                  received (neither refused nor withdrawn)
--   withdrawn         s      ''                  received
--   refused           s      the exclusion       received
--   acknowledge_days  s      working days taken  acknowledged
--   respond_days      s      working days taken  responded
--   responded, within_code, extended, over_code_cap
--                     s      ''                  responded
--   upheld, partly, not_upheld
--                     s      ''                  responded (n: the points so decided)
--   compensation      0      kind of payment     offered (pence: the amount)
--   compensation_paid 0      kind of payment     offered (pence: the amount)
--   action_done       0      ''                  offered
--   action_open       0      the due date or ''  offered
--
-- The counts are of everything; a figure narrowed to a service area or a
-- tenure is still counted from the facts' indexes. Rows whose count falls
-- to nought are kept, as in tsm_days.
CREATE TABLE IF NOT EXISTS figure_days (
    month  TEXT NOT NULL,
    figure TEXT NOT NULL,
    stage  INTEGER NOT NULL,
    key    TEXT NOT NULL,
    day    TEXT NOT NULL,
    n      INTEGER NOT NULL,
    pence  INTEGER NOT NULL,
    PRIMARY KEY (month, figure, stage, key, day)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS contact_facts_figures_insert AFTER INSERT ON contact_facts BEGIN
    INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
        VALUES (substr(NEW.received, 1, 7), 'kind', 0, NEW.kind, NEW.received, 1, 0),
               (substr(NEW.received, 1, 7), 'channel', 0, NEW.channel, NEW.received, 1, 0),
               (substr(NEW.received, 1, 7), 'service_area', 0, NEW.service_area, NEW.received, 1, 0)
        ON CONFLICT (month, figure, stage, key, day) DO UPDATE SET n = figure_days.n + 1;
END;

CREATE TRIGGER IF NOT EXISTS contact_facts_figures_delete AFTER DELETE ON contact_facts BEGIN
    UPDATE figure_days SET n = n - 1 WHERE month = substr(OLD.received, 1, 7) AND figure = 'kind' AND stage = 0 AND key = OLD.kind AND day = OLD.received;
    UPDATE figure_days SET n = n - 1 WHERE month = substr(OLD.received, 1, 7) AND figure = 'channel' AND stage = 0 AND key = OLD.channel AND day = OLD.received;
    UPDATE figure_days SET n = n - 1 WHERE month = substr(OLD.received, 1, 7) AND figure = 'service_area' AND stage = 0 AND key = OLD.service_area AND day = OLD.received;
END;

CREATE TRIGGER IF NOT EXISTS category_facts_figures_insert AFTER INSERT ON category_facts BEGIN
    INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
        VALUES (substr(NEW.received, 1, 7), 'category', 0, NEW.category, NEW.received, 1, 0)
        ON CONFLICT (month, figure, stage, key, day) DO UPDATE SET n = figure_days.n + 1;
END;

CREATE TRIGGER IF NOT EXISTS category_facts_figures_delete AFTER DELETE ON category_facts BEGIN
    UPDATE figure_days SET n = n - 1 WHERE month = substr(OLD.received, 1, 7) AND figure = 'category' AND stage = 0 AND key = OLD.category AND day = OLD.received;
END;

CREATE TRIGGER IF NOT EXISTS stage_facts_figures_insert AFTER INSERT ON stage_facts BEGIN
    INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
        VALUES (substr(NEW.received, 1, 7), CASE WHEN NEW.refused = 1 THEN 'refused' WHEN NEW.withdrawn = 1 THEN 'withdrawn' ELSE 'received' END,
            NEW.stage, CASE WHEN NEW.refused = 1 THEN NEW.exclusion ELSE '' END, NEW.received, 1, 0)
        ON CONFLICT (month, figure, stage, key, day) DO UPDATE SET n = figure_days.n + 1;
    INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
        SELECT substr(NEW.acknowledged, 1, 7), 'acknowledge_days', NEW.stage, CAST(NEW.ack_wd AS TEXT), NEW.acknowledged, 1, 0
        WHERE NEW.acknowledged IS NOT NULL AND NEW.ack_wd IS NOT NULL
        ON CONFLICT (month, figure, stage, key, day) DO UPDATE SET n = figure_days.n + 1;
    INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
        SELECT substr(NEW.responded, 1, 7), 'respond_days', NEW.stage, CAST(NEW.respond_wd AS TEXT), NEW.responded, 1, 0
        WHERE NEW.responded IS NOT NULL AND NEW.respond_wd IS NOT NULL
        ON CONFLICT (month, figure, stage, key, day) DO UPDATE SET n = figure_days.n + 1;
    INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
        SELECT substr(NEW.responded, 1, 7), v.figure, NEW.stage, '', NEW.responded, v.n, 0
        FROM (SELECT 'responded' AS figure, 1 AS n UNION ALL SELECT 'within_code', NEW.within_code
            UNION ALL SELECT 'extended', NEW.extension_days > 0 UNION ALL SELECT 'over_code_cap', NEW.over_code_cap
            UNION ALL SELECT 'upheld', NEW.upheld UNION ALL SELECT 'partly', NEW.partly UNION ALL SELECT 'not_upheld', NEW.not_upheld) v
        WHERE NEW.responded IS NOT NULL AND v.n > 0
        ON CONFLICT (month, figure, stage, key, day) DO UPDATE SET n = figure_days.n + excluded.n;
END;

CREATE TRIGGER IF NOT EXISTS stage_facts_figures_delete AFTER DELETE ON stage_facts BEGIN
    UPDATE figure_days SET n = n - 1 WHERE month = substr(OLD.received, 1, 7)
        AND figure = CASE WHEN OLD.refused = 1 THEN 'refused' WHEN OLD.withdrawn = 1 THEN 'withdrawn' ELSE 'received' END
        AND stage = OLD.stage AND key = CASE WHEN OLD.refused = 1 THEN OLD.exclusion ELSE '' END AND day = OLD.received;
    UPDATE figure_days SET n = n - 1 WHERE OLD.acknowledged IS NOT NULL AND OLD.ack_wd IS NOT NULL AND month = substr(OLD.acknowledged, 1, 7)
        AND figure = 'acknowledge_days' AND stage = OLD.stage AND key = CAST(OLD.ack_wd AS TEXT) AND day = OLD.acknowledged;
    UPDATE figure_days SET n = n - 1 WHERE OLD.responded IS NOT NULL AND OLD.respond_wd IS NOT NULL AND month = substr(OLD.responded, 1, 7)
        AND figure = 'respond_days' AND stage = OLD.stage AND key = CAST(OLD.respond_wd AS TEXT) AND day = OLD.responded;
    UPDATE figure_days SET n = n - CASE figure WHEN 'within_code' THEN OLD.within_code WHEN 'over_code_cap' THEN OLD.over_code_cap
        WHEN 'upheld' THEN OLD.upheld WHEN 'partly' THEN OLD.partly WHEN 'not_upheld' THEN OLD.not_upheld ELSE 1 END
        WHERE OLD.responded IS NOT NULL AND month = substr(OLD.responded, 1, 7)
        AND figure IN ('responded', CASE WHEN OLD.within_code > 0 THEN 'within_code' END,
            CASE WHEN OLD.extension_days > 0 THEN 'extended' END, CASE WHEN OLD.over_code_cap > 0 THEN 'over_code_cap' END,
            CASE WHEN OLD.upheld > 0 THEN 'upheld' END, CASE WHEN OLD.partly > 0 THEN 'partly' END, CASE WHEN OLD.not_upheld > 0 THEN 'not_upheld' END)
        AND stage = OLD.stage AND key = '' AND day = OLD.responded;
END;

CREATE TRIGGER IF NOT EXISTS remedy_facts_figures_insert AFTER INSERT ON remedy_facts BEGIN
    INSERT INTO figure_days (month, figure, stage, key, day, n, pence)
        SELECT substr(NEW.offered, 1, 7), v.figure, 0, v.key, NEW.offered, 1, v.pence
        FROM (SELECT 'compensation' AS figure, NEW.compensation_kind AS key, NEW.amount_pence AS pence, NEW.kind = 'compensation' AS counted
            UNION ALL SELECT 'compensation_paid', NEW.compensation_kind, NEW.amount_pence, NEW.kind = 'compensation' AND NEW.done = 1
            UNION ALL SELECT 'action_done', '', 0, NEW.kind = 'action' AND NEW.done = 1
            UNION ALL SELECT 'action_open', coalesce(NEW.due, ''), 0, NEW.kind = 'action' AND NEW.done = 0) v
        WHERE v.counted
        ON CONFLICT (month, figure, stage, key, day) DO UPDATE SET n = figure_days.n + 1, pence = figure_days.pence + excluded.pence;
END;

CREATE TRIGGER IF NOT EXISTS remedy_facts_figures_delete AFTER DELETE ON remedy_facts BEGIN
    UPDATE figure_days SET n = n - 1, pence = pence - OLD.amount_pence WHERE OLD.kind = 'compensation' AND month = substr(OLD.offered, 1, 7)
        AND figure IN ('compensation', CASE WHEN OLD.done = 1 THEN 'compensation_paid' END) AND stage = 0 AND key = OLD.compensation_kind AND day = OLD.offered;
    UPDATE figure_days SET n = n - 1 WHERE OLD.kind = 'action' AND month = substr(OLD.offered, 1, 7)
        AND figure = CASE WHEN OLD.done = 1 THEN 'action_done' ELSE 'action_open' END AND stage = 0
        AND key = CASE WHEN OLD.done = 1 THEN '' ELSE coalesce(OLD.due, '') END AND day = OLD.offered;
END;

-- Repeat complainants (repeat.go): a row for each complaint by a known
-- person that has an earlier one, with the dates the one before it and
-- the one before that were received. Kept by Go, which orders a person's
-- complaints, rather than by triggers.
CREATE TABLE IF NOT EXISTS complaint_chain (
    case_id  INTEGER PRIMARY KEY REFERENCES cases (id),
    received TEXT NOT NULL,
    prior    TEXT NOT NULL,
    prior2   TEXT
);
CREATE INDEX IF NOT EXISTS complaint_chain_received ON complaint_chain (received, prior, prior2);

-- The complaints with no tenure recorded in a period (the measures page
-- and the case list's filter): one range of this index, where 0031's
-- index by case alone had every year's looked up case by case.
DROP INDEX IF EXISTS contact_facts_no_tenure;
CREATE INDEX IF NOT EXISTS contact_facts_no_tenure_received ON contact_facts (kind, received, case_id) WHERE tenure = '';
-- Cases by kind carry their receipt and confidentiality, so that a count
-- of cases of a kind in a period that the viewer may see (such as those)
-- reads this index alone, not each case's row.
DROP INDEX IF EXISTS cases_kind;
CREATE INDEX IF NOT EXISTS cases_kind ON cases (kind, id, received_at, confidential);

-- A case's references, which the audit reads case by case: without this
-- index each case scanned every reference.
CREATE INDEX IF NOT EXISTS case_refs_case ON case_refs (case_id, reference);

-- The rows of the facts already stored are made by countFigures and
-- fillChain (facts.go, repeat.go) after this file, in its transaction.
