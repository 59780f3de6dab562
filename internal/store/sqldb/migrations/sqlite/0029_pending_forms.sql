-- Forms sent after their session had ended (issue 16, item 5), kept until
-- their sender signs in again and then sent as them. Only the SHA-256
-- hash of a form's id is stored: the id is in the sender's browser, so a
-- copy of the database cannot be used to send one. user_id is the user
-- whose ended session sent it, or 0 when that is not known; it is not a
-- foreign key, since 0 names nobody. Rows live for a few hours, and the
-- expired ones are deleted whenever another is saved, so the table stays
-- small; expires_at's index serves that sweep. IF NOT EXISTS lets a test
-- that re-runs the migrations after an earlier one find it harmless.
CREATE TABLE IF NOT EXISTS pending_forms (
    id_hash      BLOB PRIMARY KEY,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    body         BLOB NOT NULL,
    user_id      INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pending_forms_expiry ON pending_forms (expires_at);
