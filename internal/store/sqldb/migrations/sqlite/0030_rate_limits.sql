-- The residents' portal's rate limits (store.RateLimitStore), kept here
-- rather than in each process's memory so that several instances on one
-- database share one limit and a restart resets none. One token bucket
-- per limit name (submits, tracks, forms, codeTries, links) and key (a
-- client's address or a case's reference): tokens left at the instant
-- at (store.FormatTime). A bucket last used a whole period ago is full
-- again and is deleted by the next take of its name, in at's order, so
-- the table holds only the last period's keys; the index on (name, at)
-- serves that sweep. IF NOT EXISTS lets a test that re-runs the
-- migrations after an earlier one find it harmless.
CREATE TABLE IF NOT EXISTS rate_buckets (
    name   TEXT NOT NULL,
    key    TEXT NOT NULL,
    tokens REAL NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (name, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rate_buckets_age ON rate_buckets (name, at);
