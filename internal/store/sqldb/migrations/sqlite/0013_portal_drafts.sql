-- Residents' web form drafts: the answers between pages and the files
-- uploaded, kept on the server so the form works without JavaScript. The
-- browser holds a random id in a cookie; only its SHA-256 is kept here.
-- A draft expires a day after it was last saved and is deleted with its
-- files; once sent it records the reference of the case it became, for the
-- confirmation page, and its files move to the case.
CREATE TABLE portal_drafts (
    id_hash    TEXT PRIMARY KEY,
    answers    TEXT NOT NULL,
    case_ref   TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX portal_drafts_by_expiry ON portal_drafts (expires_at);

CREATE TABLE portal_draft_files (
    id           INTEGER PRIMARY KEY,
    draft        TEXT NOT NULL REFERENCES portal_drafts (id_hash) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    data         BLOB NOT NULL
);
CREATE INDEX portal_draft_files_by_draft ON portal_draft_files (draft, id);
