-- User administration (issue 22, item 1). A leaver is deactivated, not
-- deleted: their name stays on the cases and events they touched, and
-- they can be reactivated. A user is deactivated while they have a row
-- here (a table rather than a column of users, so that, like every
-- statement here, it can run again: IF NOT EXISTS lets a test that
-- re-runs the migrations after an earlier one do so).
CREATE TABLE IF NOT EXISTS deactivated_users (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    at      TEXT NOT NULL
);

-- Every change an administrator (or a reset link) makes to a user, in
-- the order made. It is append-only: a change that could be unrecorded
-- afterwards would be no audit.
CREATE TABLE IF NOT EXISTS user_audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor_id  INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target_id INTEGER NOT NULL REFERENCES users (id),
    detail    TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS user_audit_never_changes BEFORE UPDATE ON user_audit BEGIN
    SELECT RAISE(ABORT, 'the user audit is append-only');
END;
CREATE TRIGGER IF NOT EXISTS user_audit_never_deleted BEFORE DELETE ON user_audit BEGIN
    SELECT RAISE(ABORT, 'the user audit is append-only');
END;

-- Password reset links: only the SHA-256 of a link's token is kept, so a
-- copy of the database cannot be used to reset anyone's password. A link
-- is used once (used_at set) and dies at expires_at either way.
CREATE TABLE IF NOT EXISTS password_resets (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS password_resets_user ON password_resets (user_id);
