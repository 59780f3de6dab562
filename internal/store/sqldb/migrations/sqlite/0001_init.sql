-- Users and their API tokens. Tokens are stored as SHA-256 hashes only.
CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    hash       BLOB NOT NULL UNIQUE,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The next reference number per year. Allocated inside the transaction
-- that saves the case, so a failed command never uses up a number.
CREATE TABLE reference_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

-- One row per case: the whole case as JSON, plus the columns lists filter
-- and sort on.
CREATE TABLE cases (
    id           INTEGER PRIMARY KEY,
    reference    TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    stage        INTEGER NOT NULL,
    status       TEXT NOT NULL,
    handler      TEXT NOT NULL,
    service_area TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    next_due     TEXT,
    confidential INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    version      INTEGER NOT NULL,
    data         TEXT NOT NULL
);
CREATE INDEX cases_status_due ON cases (status, next_due);
CREATE INDEX cases_next_due ON cases (next_due) WHERE next_due IS NOT NULL;
CREATE INDEX cases_handler ON cases (handler, id);
CREATE INDEX cases_received ON cases (received_at);
CREATE INDEX cases_kind ON cases (kind, id);

-- Every reference a case is known by, including a stage 2 reference.
CREATE TABLE case_refs (
    reference TEXT PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases (id)
) WITHOUT ROWID;

-- Who may see a confidential case: its handlers and whoever logged it.
CREATE TABLE case_people (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    email   TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (case_id, email)
) WITHOUT ROWID;

-- The append-only audit trail. Each event carries the hash of the one
-- before it, across all cases, so an edit or deletion anywhere breaks the
-- chain; audit_head holds the last hash and the count so that deleting
-- the newest events is caught too.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    data        TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    UNIQUE (case_id, seq)
);

CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    hash  TEXT NOT NULL,
    count INTEGER NOT NULL
);
INSERT INTO audit_head (id, hash, count) VALUES (1, '', 0);

-- Text search over reference, summary, description and complainant.
CREATE VIRTUAL TABLE cases_fts USING fts5 (text, content = '', contentless_delete = 1, tokenize = 'unicode61');
