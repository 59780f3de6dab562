-- A remedy a later stage superseded is no longer owed, so it leaves the
-- actions tracker and the report facts (complaint.Remedy.Outstanding).
-- This recounts 0003's open_remedies, which counted every remedy not yet
-- done, and drops the report rows of superseded remedies, for cases
-- stored before superseding was counted; the index on open_remedies
-- stands as 0003 made it.
UPDATE cases SET open_remedies = (
    SELECT count(*) FROM json_each(cases.data, '$.remedies')
    WHERE json_extract(value, '$.done') = 0 AND json_extract(value, '$.superseded_at') IS NULL
);
DELETE FROM remedy_facts WHERE EXISTS (
    SELECT 1 FROM cases c, json_each(c.data, '$.remedies') r
    WHERE c.id = remedy_facts.case_id AND json_extract(r.value, '$.id') = remedy_facts.remedy_id
      AND json_extract(r.value, '$.superseded_at') IS NOT NULL
);
