-- Awaab's Law (issue 14): the staff dashboard lists every case whose
-- hazard is under the law with a statutory clock not yet met, emergencies
-- first, then by the time left on the next such clock.
--
-- case_hazards holds one row for each such case: its hazard class, a
-- rank that puts emergencies first, and when its next unmet clock runs
-- out, in Unix seconds (store.NextHazardClock). The store rewrites the
-- row on every save of the case, in the same transaction, and deletes it
-- once every clock's step is recorded, the hazard is found not to be one,
-- or the law stops applying (a tenure corrected to shared ownership), so
-- the list reads a handful of rows through the index however many cases
-- there are. The rows are derived from the case, like the report facts,
-- and hold no foreign key.
CREATE TABLE case_hazards (
    case_id  INTEGER PRIMARY KEY,
    class    TEXT NOT NULL,
    rank     INTEGER NOT NULL, -- 0 for an emergency, 1 otherwise
    next_due INTEGER NOT NULL  -- Unix seconds
);
CREATE INDEX case_hazards_due ON case_hazards (rank, next_due, case_id);

-- Hazards recorded before this migration: the same rule, in SQL.
INSERT INTO case_hazards (case_id, class, rank, next_due)
SELECT c.id, json_extract(c.data, '$.hazard.class'),
       CASE WHEN json_extract(c.data, '$.hazard.class') = 'emergency' THEN 0 ELSE 1 END,
       min(CAST(strftime('%s', json_extract(k.value, '$.due')) AS INTEGER))
FROM cases c, json_each(c.data, '$.hazard.clocks') k
WHERE json_extract(c.data, '$.hazard.class') IN ('emergency', 'significant')
  AND coalesce(json_extract(c.data, '$.tenure'), '') IN ('', 'low_cost_rental')
  AND json_extract(k.value, '$.met_at') IS NULL
GROUP BY c.id;
