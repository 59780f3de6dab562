-- Files residents and staff attach to a case: photos, documents. Each is
-- named on the case's information_added event with its SHA-256, so the
-- audit chain covers it; like letters, a stored file never changes.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    event_seq    INTEGER NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    source       TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    added_by     TEXT NOT NULL,
    data         BLOB NOT NULL
);
CREATE INDEX attachments_by_case ON attachments (case_id, id);

CREATE TRIGGER attachments_never_change BEFORE UPDATE ON attachments BEGIN
    SELECT RAISE(ABORT, 'a stored attachment never changes');
END;
