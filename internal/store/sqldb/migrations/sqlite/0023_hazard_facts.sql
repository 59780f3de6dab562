-- Awaab's Law reporting (issue 14, item 5): the hazards the landlord
-- became aware of in a reporting year, by class and by how they came in,
-- each statutory clock met, missed or running, and the time to make safe.
--
-- hazard_facts holds one row for each case with a hazard, and
-- hazard_clock_facts one row for each of its clocks, derived from the
-- case (report.HazardFactOf) and rewritten with the other report facts
-- on every save, in the same transaction. A year is found by the instant
-- of awareness in Unix seconds (aware), between the first and the last
-- London midnight of the year, so the index answers it without a
-- conversion to London dates in SQL. Times are the stored text of an
-- instant (store.FormatTime, or the case's own JSON for the rows filled
-- below), read back with store.ParseTime.
CREATE TABLE hazard_facts (
    case_id      INTEGER PRIMARY KEY,
    aware        INTEGER NOT NULL, -- Unix seconds
    aware_at     TEXT NOT NULL,
    class        TEXT NOT NULL,
    complaint    INTEGER NOT NULL, -- came in through a complaint
    channel      TEXT NOT NULL,
    statutory    INTEGER NOT NULL, -- complaint.Case.Statutory
    made_safe_at TEXT
);
CREATE INDEX hazard_facts_aware ON hazard_facts (aware, case_id);

CREATE TABLE hazard_clock_facts (
    case_id  INTEGER NOT NULL,
    code     TEXT NOT NULL,
    name     TEXT NOT NULL,
    due      TEXT NOT NULL,
    due_date TEXT NOT NULL,
    hours    INTEGER NOT NULL,
    met_at   TEXT,
    PRIMARY KEY (case_id, code)
);

-- Hazards recorded before this migration: the same rule, in SQL.
INSERT INTO hazard_facts (case_id, aware, aware_at, class, complaint, channel, statutory, made_safe_at)
SELECT c.id, CAST(strftime('%s', json_extract(c.data, '$.hazard.aware_at')) AS INTEGER), json_extract(c.data, '$.hazard.aware_at'),
       json_extract(c.data, '$.hazard.class'), c.kind = 'complaint', coalesce(json_extract(c.data, '$.channel'), ''),
       json_extract(c.data, '$.hazard.class') IN ('emergency', 'significant')
           AND coalesce(json_extract(c.data, '$.tenure'), '') IN ('', 'low_cost_rental'),
       json_extract(c.data, '$.hazard.made_safe_at')
FROM cases c
WHERE json_extract(c.data, '$.hazard.class') IS NOT NULL;

INSERT INTO hazard_clock_facts (case_id, code, name, due, due_date, hours, met_at)
SELECT c.id, json_extract(k.value, '$.code'), coalesce(json_extract(k.value, '$.name'), ''), json_extract(k.value, '$.due'),
       json_extract(k.value, '$.due_date'), coalesce(json_extract(k.value, '$.hours'), 0), json_extract(k.value, '$.met_at')
FROM cases c, json_each(c.data, '$.hazard.clocks') k;
