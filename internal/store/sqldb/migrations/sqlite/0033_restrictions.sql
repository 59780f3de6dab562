-- The restrictions register (issue 19, item 1; 002 §2.7, 003 §7): people
-- whose contact is managed because of unacceptable behaviour. One row per
-- restriction, held whole as JSON like a case, with the columns the
-- register's filters and every case page's banner look it up by: the
-- person's key (complaint.Person.Key), its status and its review date.
-- restriction_events keep every command as it was given: who, when, what.
CREATE TABLE IF NOT EXISTS restrictions (
    id          INTEGER PRIMARY KEY,
    person_key  TEXT NOT NULL,
    status      TEXT NOT NULL,
    review_due  TEXT NOT NULL, -- YYYY-MM-DD, '' when none is due
    case_ref    TEXT NOT NULL,
    version     INTEGER NOT NULL,
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS restrictions_by_person ON restrictions (person_key, status);
CREATE INDEX IF NOT EXISTS restrictions_by_status ON restrictions (status, review_due, id);

CREATE TABLE IF NOT EXISTS restriction_events (
    restriction_id INTEGER NOT NULL REFERENCES restrictions (id),
    seq            INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    actor          TEXT NOT NULL,
    at             TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    data           TEXT NOT NULL,
    PRIMARY KEY (restriction_id, seq)
);
