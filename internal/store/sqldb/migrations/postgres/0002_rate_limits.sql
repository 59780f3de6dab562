-- The residents' portal's rate limits (SQLite 0030): one token bucket
-- per limit name and key, shared by every instance on this database.
-- Takes lock their bucket's row (FOR UPDATE), after inserting it if it
-- is missing, so that takes at once from several instances wait for
-- each other. Buckets full again are deleted by the next take of their
-- name, oldest first, through the index on (name, at).
CREATE TABLE rate_buckets (
    name   TEXT COLLATE "C" NOT NULL,
    key    TEXT COLLATE "C" NOT NULL,
    tokens DOUBLE PRECISION NOT NULL,
    at     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (name, key)
);
CREATE INDEX rate_buckets_age ON rate_buckets (name, at);
