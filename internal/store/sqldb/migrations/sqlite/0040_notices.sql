-- In-app notices to staff (issue 22, item 2; package inapp): "assigned to
-- you", "new information from the resident", "stage 2 requested" and "a
-- case due tomorrow", each to one user about one case. They are made from
-- the log of case events by a processor the app runs whether or not mail
-- is configured, and by a daily sweep of deadlines. A notice holds no
-- text: its kind, its case's reference and, for a deadline, the date; so
-- it holds nothing personal for the anonymiser to find. dedupe_key makes
-- each notice once only, however often the events are read or the day is
-- swept. read_at is '' while the notice is unread.
CREATE TABLE IF NOT EXISTS staff_notices (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    case_ref    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    event_id    INTEGER NOT NULL,
    due         TEXT NOT NULL, -- YYYY-MM-DD, '' when not about a deadline
    dedupe_key  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    read_at     TEXT NOT NULL
);
-- A user's notices newest first, and their unread count, on every page.
CREATE INDEX IF NOT EXISTS staff_notices_by_user ON staff_notices (user_id, id);
CREATE INDEX IF NOT EXISTS staff_notices_unread ON staff_notices (user_id, read_at);

-- The processor's place in the log of events, as notify_cursor (0015) is
-- the mail relay's: moved in the same transaction as the notices it
-- records. An installation that already holds cases starts from now.
-- Every statement may run again (as a test of migration 0026 replays the
-- migrations after it), so each leaves what is there.
CREATE TABLE IF NOT EXISTS staff_notice_cursor (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id INTEGER NOT NULL,
    updated_at    TEXT NOT NULL
);
INSERT INTO staff_notice_cursor (id, last_event_id, updated_at)
SELECT 1, coalesce(max(id), 0), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM events WHERE true
ON CONFLICT (id) DO NOTHING;
