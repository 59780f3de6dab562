-- Daily counts behind the management figures and the chain of each
-- person's complaints (SQLite 0032, whose comment says what each figure
-- counts). The triggers are PL/pgSQL functions with the same effect as
-- SQLite's; the rows of the facts already stored are made by
-- countFiguresBackfill after this file, in its transaction.
CREATE TABLE figure_days (
    month  TEXT COLLATE "C" NOT NULL,
    figure TEXT COLLATE "C" NOT NULL,
    stage  BIGINT NOT NULL,
    key    TEXT COLLATE "C" NOT NULL,
    day    TEXT COLLATE "C" NOT NULL,
    n      BIGINT NOT NULL,
    pence  BIGINT NOT NULL,
    PRIMARY KEY (month, figure, stage, key, day)
);

CREATE FUNCTION figure_day_add(d TEXT, f TEXT, s BIGINT, k TEXT, c BIGINT, p BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO figure_days (month, figure, stage, key, day, n, pence) VALUES (substr(d, 1, 7), f, s, k, d, c, p)
        ON CONFLICT (month, figure, stage, key, day) DO UPDATE SET n = figure_days.n + excluded.n, pence = figure_days.pence + excluded.pence;
$$;

CREATE FUNCTION figure_day_remove(d TEXT, f TEXT, s BIGINT, k TEXT, c BIGINT, p BIGINT) RETURNS void LANGUAGE sql AS $$
    UPDATE figure_days SET n = n - c, pence = pence - p WHERE month = substr(d, 1, 7) AND figure = f AND stage = s AND key = k AND day = d;
$$;

-- The figures a row of the facts counts in: its day, figure, stage, key,
-- count and pence, one row each. Insert and delete triggers share them, so the
-- two cannot disagree.
CREATE FUNCTION contact_figures(f contact_facts) RETURNS TABLE (d TEXT, fig TEXT, s BIGINT, k TEXT, c BIGINT, p BIGINT) LANGUAGE sql AS $$
    VALUES (f.received, 'kind', 0::BIGINT, f.kind, 1::BIGINT, 0::BIGINT), (f.received, 'channel', 0, f.channel, 1, 0),
        (f.received, 'service_area', 0, f.service_area, 1, 0);
$$;

CREATE FUNCTION category_figures(f category_facts) RETURNS TABLE (d TEXT, fig TEXT, s BIGINT, k TEXT, c BIGINT, p BIGINT) LANGUAGE sql AS $$
    VALUES (f.received, 'category', 0::BIGINT, f.category, 1::BIGINT, 0::BIGINT);
$$;

CREATE FUNCTION stage_figures(f stage_facts) RETURNS TABLE (d TEXT, fig TEXT, s BIGINT, k TEXT, c BIGINT, p BIGINT) LANGUAGE sql AS $$
    SELECT f.received, CASE WHEN f.refused = 1 THEN 'refused' WHEN f.withdrawn = 1 THEN 'withdrawn' ELSE 'received' END, f.stage,
        CASE WHEN f.refused = 1 THEN f.exclusion ELSE '' END, 1::BIGINT, 0::BIGINT
    UNION ALL SELECT f.acknowledged, 'acknowledge_days', f.stage, CAST(f.ack_wd AS TEXT), 1, 0 WHERE f.acknowledged IS NOT NULL AND f.ack_wd IS NOT NULL
    UNION ALL SELECT f.responded, 'respond_days', f.stage, CAST(f.respond_wd AS TEXT), 1, 0 WHERE f.responded IS NOT NULL AND f.respond_wd IS NOT NULL
    UNION ALL SELECT f.responded, v.column1, f.stage, '', v.column2, 0
        FROM (VALUES ('responded', 1::BIGINT), ('within_code', f.within_code),
            ('extended', CASE WHEN f.extension_days > 0 THEN 1 ELSE 0 END), ('over_code_cap', f.over_code_cap),
            ('upheld', f.upheld), ('partly', f.partly), ('not_upheld', f.not_upheld)) v
        WHERE f.responded IS NOT NULL AND v.column2 > 0;
$$;

CREATE FUNCTION remedy_figures(f remedy_facts) RETURNS TABLE (d TEXT, fig TEXT, s BIGINT, k TEXT, c BIGINT, p BIGINT) LANGUAGE sql AS $$
    SELECT f.offered, v.column1, 0::BIGINT, v.column2, 1::BIGINT, v.column3
    FROM (VALUES ('compensation', f.compensation_kind, f.amount_pence, f.kind = 'compensation'),
        ('compensation_paid', f.compensation_kind, f.amount_pence, f.kind = 'compensation' AND f.done = 1),
        ('action_done', '', 0::BIGINT, f.kind = 'action' AND f.done = 1),
        ('action_open', coalesce(f.due, ''), 0::BIGINT, f.kind = 'action' AND f.done = 0)) v
    WHERE v.column4;
$$;

-- One trigger function for the four tables, adding a new row's figures
-- and taking away an old one's.
CREATE FUNCTION count_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        CASE TG_TABLE_NAME
        WHEN 'contact_facts' THEN PERFORM figure_day_add(d, fig, s, k, c, p) FROM contact_figures(NEW);
        WHEN 'category_facts' THEN PERFORM figure_day_add(d, fig, s, k, c, p) FROM category_figures(NEW);
        WHEN 'stage_facts' THEN PERFORM figure_day_add(d, fig, s, k, c, p) FROM stage_figures(NEW);
        WHEN 'remedy_facts' THEN PERFORM figure_day_add(d, fig, s, k, c, p) FROM remedy_figures(NEW);
        END CASE;
    ELSE
        CASE TG_TABLE_NAME
        WHEN 'contact_facts' THEN PERFORM figure_day_remove(d, fig, s, k, c, p) FROM contact_figures(OLD);
        WHEN 'category_facts' THEN PERFORM figure_day_remove(d, fig, s, k, c, p) FROM category_figures(OLD);
        WHEN 'stage_facts' THEN PERFORM figure_day_remove(d, fig, s, k, c, p) FROM stage_figures(OLD);
        WHEN 'remedy_facts' THEN PERFORM figure_day_remove(d, fig, s, k, c, p) FROM remedy_figures(OLD);
        END CASE;
    END IF;
    RETURN NULL;
END
$$;

-- Separate triggers for adding and taking away, so that a copy (copy.go)
-- can turn the adding off while it copies the facts.
CREATE TRIGGER contact_facts_figures_insert AFTER INSERT ON contact_facts FOR EACH ROW EXECUTE FUNCTION count_figures();
CREATE TRIGGER contact_facts_figures_delete AFTER DELETE ON contact_facts FOR EACH ROW EXECUTE FUNCTION count_figures();
CREATE TRIGGER category_facts_figures_insert AFTER INSERT ON category_facts FOR EACH ROW EXECUTE FUNCTION count_figures();
CREATE TRIGGER category_facts_figures_delete AFTER DELETE ON category_facts FOR EACH ROW EXECUTE FUNCTION count_figures();
CREATE TRIGGER stage_facts_figures_insert AFTER INSERT ON stage_facts FOR EACH ROW EXECUTE FUNCTION count_figures();
CREATE TRIGGER stage_facts_figures_delete AFTER DELETE ON stage_facts FOR EACH ROW EXECUTE FUNCTION count_figures();
CREATE TRIGGER remedy_facts_figures_insert AFTER INSERT ON remedy_facts FOR EACH ROW EXECUTE FUNCTION count_figures();
CREATE TRIGGER remedy_facts_figures_delete AFTER DELETE ON remedy_facts FOR EACH ROW EXECUTE FUNCTION count_figures();

CREATE TABLE complaint_chain (
    case_id  BIGINT PRIMARY KEY REFERENCES cases (id),
    received TEXT COLLATE "C" NOT NULL,
    prior    TEXT COLLATE "C" NOT NULL,
    prior2   TEXT COLLATE "C"
);
CREATE INDEX complaint_chain_received ON complaint_chain (received, prior, prior2);

-- The complaints with no tenure recorded in a period, and cases by kind
-- carrying their receipt and confidentiality (SQLite 0032).
DROP INDEX contact_facts_no_tenure;
CREATE INDEX contact_facts_no_tenure_received ON contact_facts (kind, received, case_id) WHERE tenure = '';
DROP INDEX cases_kind;
CREATE INDEX cases_kind ON cases (kind, id, received_at, confidential);

-- A case's references, which the audit reads case by case (SQLite 0032).
CREATE INDEX case_refs_case ON case_refs (case_id, reference);
