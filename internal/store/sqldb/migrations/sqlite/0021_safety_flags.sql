-- The health-and-safety flag (issue 12, rule 10; 003): every flagging is
-- alerted to the senior managers within a minute, however many other
-- events wait before it, and a flagged contact waits on every staff
-- dashboard until a senior manager acknowledges it.
--
-- 1. safety_flags holds every flagging: a case created flagged, or the
-- flag set later. A trigger adds the row in the transaction that records
-- the event, so no flagging can be missed, and the notice relay reads the
-- rows not yet alerted (a handful, through the partial index) before any
-- ordinary event, so a backlog in the event log never delays an alert.
-- alerted_at is when its alerts were queued; the alerts' dedupe keys
-- ("safety:<event id>:<recipient>") make a repeat harmless. The rows are
-- derived from the events, so they hold no foreign keys that would stop
-- an audit test, or an investigator, removing an event.
CREATE TABLE safety_flags (
    event_id   INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL,
    alerted_at TEXT
);
CREATE INDEX safety_flags_waiting ON safety_flags (event_id) WHERE alerted_at IS NULL;

CREATE TRIGGER events_safety_flag AFTER INSERT ON events
WHEN (NEW.kind = 'created' AND json_extract(NEW.data, '$.health_and_safety') = 1)
  OR (NEW.kind = 'safety_flag_set' AND json_extract(NEW.data, '$.flagged') = 1)
BEGIN
    INSERT OR IGNORE INTO safety_flags (event_id, case_id) VALUES (NEW.id, NEW.case_id);
END;

-- Flaggings already recorded: those the relay has passed were alerted as
-- they were created (the relay alerted created events at once); those it
-- has not yet reached are alerted now, under the same dedupe keys, so
-- none goes twice.
INSERT INTO safety_flags (event_id, case_id, alerted_at)
SELECT e.id, e.case_id,
       CASE WHEN e.id <= coalesce((SELECT last_event_id FROM notify_cursor WHERE id = 1), 0)
            THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END
FROM events e
WHERE e.kind = 'created' AND json_extract(e.data, '$.health_and_safety') = 1;

-- 2. The dashboard's list: cases flagged and not yet acknowledged by a
-- senior manager, whatever their status. The partial index holds only
-- those, so the list reads a handful of rows however many cases there are.
-- The list's query repeats these expressions exactly, so SQLite uses it.
CREATE INDEX cases_safety_waiting ON cases (id)
WHERE json_extract(data, '$.health_and_safety') = 1 AND json_extract(data, '$.safety_acknowledged_at') IS NULL;
