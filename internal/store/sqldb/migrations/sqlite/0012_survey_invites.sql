-- Single-use links to the satisfaction survey, sent after a case closes.
-- Only the SHA-256 of the link's token is kept, as with API tokens, so a
-- copy of the database does not hold working links.
CREATE TABLE survey_invites (
    token_hash TEXT PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX survey_invites_by_case ON survey_invites (case_id);
