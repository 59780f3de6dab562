-- The number of a case's remedies not yet done, so the actions tracker
-- reads only the cases that have some, rather than every case's JSON.
ALTER TABLE cases ADD COLUMN open_remedies INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET open_remedies = (
    SELECT count(*) FROM json_each(cases.data, '$.remedies') WHERE json_extract(value, '$.done') = 0
);
CREATE INDEX cases_open_remedies ON cases (open_remedies) WHERE open_remedies > 0;

-- Counts by kind, stage and status for the dashboard, read from the index
-- alone.
CREATE INDEX cases_counts ON cases (kind, stage, status, confidential);
