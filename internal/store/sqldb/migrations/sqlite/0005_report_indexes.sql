-- Indexes for the management figures (management.go) and faster Tenant
-- Satisfaction Measures (reports.go), so that a year's figures over a
-- million cases each read one narrow covering index over the year and
-- never a whole row (TestManagementQueriesReadCoveringIndexes checks the
-- plans).
--
-- Measured on a million cases (BenchmarkReportsOver1MillionCases), what
-- costs is SQLite's work per index entry, so each query is shaped to do
-- as little as possible per entry:
--  - a GROUP BY follows an index's column order, so rows stream out in
--    groups with no sort (a sort of a year's entries costs about five
--    times the scan), and groups are kept few (a row handed to Go costs
--    far more than an entry scanned);
--  - a histogram of working days is counted range by range over an index
--    that puts the days before the date, one count per number of days;
--  - no query joins row by row: category and remedy facts carry the
--    case's received date, tenure and service area themselves.

-- contact_facts: volumes by month, kind, channel and service area, in
-- one GROUP BY that follows this index, whose first column is the month.
DROP INDEX contact_facts_received;
CREATE INDEX contact_facts_month ON contact_facts (substr(received, 1, 7), kind, channel, service_area, tenure, received);
-- Repeat complainants: complaints received in the period, by person.
CREATE INDEX contact_facts_complaints ON contact_facts (kind, received, complainant_key, tenure, service_area)
    WHERE complainant_key <> '';

-- stage_facts by date received: CH01 (TSMCounts) and the management
-- figures' received, withdrawals and refusals by exclusion, narrowed by
-- tenure and service area. It replaces 0004's index of the same name,
-- which lacked the exclusion and service area. The columns a query only
-- filters on come after those it groups by: SQLite drops a column held
-- equal to a value from a GROUP BY, and the rest must still be a prefix
-- of the index for the groups to stream out without a sort.
DROP INDEX stage_facts_received;
CREATE INDEX stage_facts_received ON stage_facts (stage, received, refused, withdrawn, exclusion, tenure, service_area);

-- stage_facts by date responded: CH02 (TSMCounts), grouped in this order,
-- and the management figures' responses within the Code, extensions and
-- outcomes. It replaces 0004's index of the same name.
DROP INDEX stage_facts_responded;
CREATE INDEX stage_facts_responded ON stage_facts (stage, responded, within_code, tenure, service_area,
    extension_days, over_code_cap, upheld, partly, not_upheld)
    WHERE responded IS NOT NULL;

-- Acknowledgement and response times: working days first, then the date,
-- so that each number of days is one range of dates to count.
CREATE INDEX stage_facts_ack_days ON stage_facts (stage, ack_wd, acknowledged, tenure, service_area)
    WHERE acknowledged IS NOT NULL;
CREATE INDEX stage_facts_respond_days ON stage_facts (stage, respond_wd, responded, tenure, service_area)
    WHERE responded IS NOT NULL;

-- The learning log: responses with learning, newest first, walked
-- backwards and stopped after 200.
CREATE INDEX stage_facts_learning ON stage_facts (responded, case_id, stage, tenure, service_area)
    WHERE learning <> '';

-- category_facts carry the contact's received date, tenure and service
-- area (facts.go writes them), so categories are counted from their own
-- index by date instead of a lookup per contact (which took seconds).
ALTER TABLE category_facts ADD COLUMN received TEXT NOT NULL DEFAULT '';
ALTER TABLE category_facts ADD COLUMN tenure TEXT NOT NULL DEFAULT '';
ALTER TABLE category_facts ADD COLUMN service_area TEXT NOT NULL DEFAULT '';
UPDATE category_facts AS g SET received = x.received, tenure = x.tenure, service_area = x.service_area
    FROM contact_facts x WHERE x.case_id = g.case_id;
CREATE INDEX category_facts_received ON category_facts (received, category, tenure, service_area);

-- remedy_facts carry the case's tenure and service area likewise.
-- Compensation and actions are counted by kind of remedy and date
-- offered; this replaces 0004's remedy_facts_offered, which lacked the
-- kind of compensation and the due date, and which no query names.
ALTER TABLE remedy_facts ADD COLUMN tenure TEXT NOT NULL DEFAULT '';
ALTER TABLE remedy_facts ADD COLUMN service_area TEXT NOT NULL DEFAULT '';
UPDATE remedy_facts AS r SET tenure = x.tenure, service_area = x.service_area
    FROM contact_facts x WHERE x.case_id = r.case_id;
DROP INDEX remedy_facts_offered;
CREATE INDEX remedy_facts_kind_offered ON remedy_facts (kind, offered, compensation_kind, done, amount_pence, due, tenure, service_area);
