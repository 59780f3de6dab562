-- Board-ready packs (issue 22, item 5). pack_summaries keeps each
-- period's executive summary (period as report.Period.Value: "2026" or
-- "2026-Q2") with the figures it was written against, as JSON and their
-- SHA-256. pack_signoffs keeps every sign-off, who and when, with the hash
-- of the figures and the summary signed; the latest (highest id) counts.
-- complaints_members names each reporting year's Member Responsible for
-- Complaints (Code 9.5); '' is none named.
CREATE TABLE IF NOT EXISTS pack_summaries (
    period       TEXT PRIMARY KEY,
    text         TEXT NOT NULL,
    figures      TEXT NOT NULL,
    figures_hash TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS pack_signoffs (
    id           INTEGER PRIMARY KEY,
    period       TEXT NOT NULL,
    signed_by    TEXT NOT NULL,
    signed_at    TEXT NOT NULL,
    figures_hash TEXT NOT NULL,
    summary      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pack_signoffs_by_period ON pack_signoffs (period, id);

CREATE TABLE IF NOT EXISTS complaints_members (
    year       INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
