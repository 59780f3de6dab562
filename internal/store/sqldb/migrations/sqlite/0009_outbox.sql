-- Outbound email, durable from the moment it is queued. A sender claims
-- due messages by setting them sending and moving next_attempt on by its
-- lease; a claim whose sender crashed is due again when the lease ends.
-- case_id ties a message to its case whichever reference it was queued
-- under, for the case timeline.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER REFERENCES cases (id),
    case_ref     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    dedupe_key   TEXT UNIQUE,
    recipient    TEXT NOT NULL,
    subject      TEXT NOT NULL,
    text_body    TEXT NOT NULL,
    html_body    TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts     INTEGER NOT NULL,
    next_attempt TEXT NOT NULL,
    last_error   TEXT NOT NULL,
    queued_at    TEXT NOT NULL,
    sent_at      TEXT,
    message_id   TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt, id) WHERE status IN ('queued', 'sending');
CREATE INDEX outbox_by_case ON outbox (case_id, id) WHERE case_id IS NOT NULL;

CREATE TABLE outbox_attachments (
    outbox_id    INTEGER NOT NULL REFERENCES outbox (id),
    seq          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    PRIMARY KEY (outbox_id, seq)
);
