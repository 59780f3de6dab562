-- Retention and erasure (issue 20, items 4 and 5): anonymising a case
-- rewrites its events' data without rehashing the chain. Each event so
-- rewritten is recorded here with the SHA-256 of the event as it now
-- stands (its new data, with its kind, actor, times, number and link as
-- recorded) and the number (on its case) of the anonymised event,
-- chained like any other, that lists the same hashes; the audit checks
-- the event against both and takes its stored hash as the chain's link.
CREATE TABLE IF NOT EXISTS anonymised_events (
    event_id               INTEGER PRIMARY KEY REFERENCES events (id),
    case_id                INTEGER NOT NULL REFERENCES cases (id),
    anonymisation_seq      INTEGER NOT NULL,
    anonymised_event_sha256 TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS anonymised_events_case ON anonymised_events (case_id);

-- An issued letter and a stored file still never change, except that
-- anonymising their case removes their bytes (and a file's name): what
-- their events recorded of them (the hash, the size, the kind) stays.
DROP TRIGGER letters_never_change;
CREATE TRIGGER letters_never_change BEFORE UPDATE ON letters
WHEN NOT (EXISTS (SELECT 1 FROM anonymised_events a WHERE a.case_id = OLD.case_id)
    AND NEW.pdf = x'' AND NEW.id = OLD.id AND NEW.case_id = OLD.case_id AND NEW.event_seq = OLD.event_seq
    AND NEW.kind = OLD.kind AND NEW.title = OLD.title AND NEW.channel = OLD.channel AND NEW.sha256 = OLD.sha256)
BEGIN
    SELECT RAISE(ABORT, 'an issued letter never changes');
END;
DROP TRIGGER attachments_never_change;
CREATE TRIGGER attachments_never_change BEFORE UPDATE ON attachments
WHEN NOT (EXISTS (SELECT 1 FROM anonymised_events a WHERE a.case_id = OLD.case_id)
    AND NEW.data = x'' AND NEW.id = OLD.id AND NEW.case_id = OLD.case_id AND NEW.event_seq = OLD.event_seq
    AND NEW.size = OLD.size AND NEW.sha256 = OLD.sha256)
BEGIN
    SELECT RAISE(ABORT, 'a stored attachment never changes');
END;

-- Requests under UK GDPR Art. 17 (erasure) and Art. 18 (restriction of
-- processing), each for a person by complaint.Person.Key, and the
-- officer's decision. Once erased, the person's key is kept only as its
-- SHA-256, so that the request is on record without the data it erased.
CREATE TABLE IF NOT EXISTS erasure_requests (
    id              INTEGER PRIMARY KEY,
    person_key      TEXT NOT NULL,
    asks            TEXT NOT NULL CHECK (asks IN ('erasure', 'restriction')),
    reason          TEXT NOT NULL,
    requested_at    TEXT NOT NULL,
    requested_by    TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'erased', 'refused', 'restricted')),
    decided_at      TEXT NOT NULL DEFAULT '',
    decided_by      TEXT NOT NULL DEFAULT '',
    decision_reason TEXT NOT NULL DEFAULT '',
    cases_erased    INTEGER NOT NULL DEFAULT 0,
    cases_held      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS erasure_requests_person ON erasure_requests (person_key, status);
