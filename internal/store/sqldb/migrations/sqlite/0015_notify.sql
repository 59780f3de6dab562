-- The notice relay's place in the log of events (package notify): the id
-- of the last event whose notices have been queued. It moves in the same
-- transaction as the messages it queues, so a crash repeats at most the
-- work of one batch, and the outbox's dedupe keys make that harmless.
CREATE TABLE notify_cursor (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id INTEGER NOT NULL,
    updated_at    TEXT NOT NULL
);

-- An installation that already holds cases starts from now: notices are
-- for what happens from here on, not for every event ever recorded.
INSERT INTO notify_cursor (id, last_event_id, updated_at)
SELECT 1, coalesce(max(id), 0), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM events;
