-- Passwords for signing in with a browser. The hash is an argon2id PHC
-- string that carries its own parameters; '' means the user has no
-- password (API-token or single sign-on users), which never matches.
-- must_change_password is set with a one-time password from an
-- administrator, so that only the user ever knows the password they use.
ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

-- Signed-in browsers. Only the SHA-256 hash of a session id is stored, so
-- a copy of the database (a backup, a leaked file) cannot be used to sign
-- in. last_seen drives the idle timeout and expires_at the absolute one.
-- The index on user_id serves "sign this user out everywhere", as on a
-- password reset or when an account is disabled.
CREATE TABLE sessions (
    id_hash    BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins, for throttling password guessing. The key is an email
-- address or a client address; it ignores letter case so that "Ann@" and
-- "ann@" count as one account. Rows are counted within a recent window
-- by (key, at), and the store deletes a key's rows older than a day
-- whenever it records another, so the table stays small.
CREATE TABLE login_failures (
    key TEXT NOT NULL COLLATE NOCASE,
    at  TEXT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
