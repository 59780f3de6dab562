-- Mail that arrived at the landlord's feedback address, one row a message
-- whatever became of it, so that a message fetched twice is handled once:
-- the row is written in the same transaction as the case it opened or the
-- information it added. Ignored and quarantined messages keep their raw
-- form for a person to look at until pruned; the sender is named by domain
-- only.
CREATE TABLE inbound_messages (
    id           INTEGER PRIMARY KEY,
    message_key  TEXT NOT NULL UNIQUE,
    sha256       TEXT NOT NULL,
    source       TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('case_created', 'added', 'ignored', 'quarantined')),
    case_ref     TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    from_domain  TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL DEFAULT '',
    arrived_at   TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    size         INTEGER NOT NULL,
    raw          BLOB,
    resolved_at  TEXT,
    resolved_by  TEXT NOT NULL DEFAULT '',
    resolution   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inbound_by_outcome ON inbound_messages (outcome, id);
