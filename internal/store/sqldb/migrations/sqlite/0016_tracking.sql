-- What proves on the residents' pages that a case is yours, now that a
-- reference (sequential) and a postcode (shared by a street) no longer do.
--
-- A tracking code is made for a case the first time it is needed (the
-- confirmation page, the staff case page, the acknowledgement letter), so
-- cases made before this migration get one too. It is kept as it is, in a
-- table of its own, because it is printed in letters and read to residents
-- on the phone; it is never part of the case's record, its events or its
-- evidence pack.
CREATE TABLE tracking_codes (
    case_id    INTEGER PRIMARY KEY REFERENCES cases (id),
    code       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Single-use links emailed to the address on a case. Only the SHA-256 of
-- the link's token is kept, as with survey links, so a copy of the
-- database holds no working link. Links expire within the hour and are
-- deleted as new ones are made.
CREATE TABLE tracking_links (
    token_hash TEXT PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX tracking_links_by_expiry ON tracking_links (expires_at);
