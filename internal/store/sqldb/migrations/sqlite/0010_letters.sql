-- Letters (issue 6): the landlord's wording for each kind of letter, its
-- letterhead, and every letter as issued.

-- A landlord's own wording for a kind of letter; a kind with no row uses
-- the built-in template.
CREATE TABLE letter_templates (
    kind       TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- The letterhead: one row.
CREATE TABLE letterhead (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT NOT NULL,
    address    TEXT NOT NULL, -- one line per line
    contact    TEXT NOT NULL, -- one line per line
    logo       BLOB,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- Every letter exactly as issued: the text, the rendered PDF and the
-- SHA-256 of the PDF, which is also on the case's letter_issued event
-- (event_seq) and so on the audit hash chain. An issued letter never
-- changes: the triggers refuse any update or deletion.
CREATE TABLE letters (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    event_seq   INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    stage       INTEGER NOT NULL,
    issued_at   TEXT NOT NULL,
    issued_by   TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'print')),
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    pdf         BLOB NOT NULL,
    sha256      TEXT NOT NULL,
    large_print INTEGER NOT NULL
);
CREATE INDEX letters_by_case ON letters (case_id, id);

CREATE TRIGGER letters_never_change BEFORE UPDATE ON letters BEGIN
    SELECT RAISE(ABORT, 'an issued letter never changes');
END;
CREATE TRIGGER letters_never_deleted BEFORE DELETE ON letters BEGIN
    SELECT RAISE(ABORT, 'an issued letter is never deleted');
END;
