-- The register of homes and tenancies (issue 20, item 1), imported from
-- the landlord's housing management system (package tenancy). Each home
-- and each tenancy is kept whole as JSON in data, keyed by the housing
-- management system's own reference, so that a re-import updates rather
-- than duplicates. tenancy_keys holds what a contact is matched to a
-- tenancy by (an email address, a phone number's digits, a postcode with
-- a name), rewritten with its tenancy, so every match is an index look-up.
CREATE TABLE IF NOT EXISTS register_homes (
    ref        TEXT PRIMARY KEY,
    postcode   TEXT NOT NULL,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS register_tenancies (
    ref        TEXT PRIMARY KEY,
    home_ref   TEXT NOT NULL REFERENCES register_homes (ref),
    tenure     TEXT NOT NULL,
    start_date TEXT NOT NULL, -- YYYY-MM-DD
    end_date   TEXT NOT NULL, -- YYYY-MM-DD, or '' while it runs
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS register_tenancies_home ON register_tenancies (home_ref);
CREATE TABLE IF NOT EXISTS register_tenancy_keys (
    key_kind    TEXT NOT NULL, -- email, phone or postcode
    value       TEXT NOT NULL,
    tenancy_ref TEXT NOT NULL REFERENCES register_tenancies (ref),
    PRIMARY KEY (key_kind, value, tenancy_ref)
);
CREATE INDEX IF NOT EXISTS register_tenancy_keys_tenancy ON register_tenancy_keys (tenancy_ref);
-- Every import, dry runs excepted: who, when, which file (its SHA-256)
-- and what it did.
CREATE TABLE IF NOT EXISTS register_imports (
    id          INTEGER PRIMARY KEY,
    file_sha256 TEXT NOT NULL,
    row_count   INTEGER NOT NULL,
    report      TEXT NOT NULL, -- JSON: the counts
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
