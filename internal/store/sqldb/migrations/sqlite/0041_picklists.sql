-- Service areas and categories as lists a manager keeps (issue 22, item
-- 3). picklist_entries are the entries of both lists ('service_area' and
-- 'category'); an entry retired is hidden from the picklists but stays on
-- the cases that have it; an entry merged into another (merged_into)
-- counts as that one in the reports. picklist_names holds every name an
-- entry has had, its own and those it was renamed from, each once per
-- list whatever its case, so that a name cannot be on a list twice and
-- a case's value, however old, finds its entry. picklist_changes is the
-- audit of every change: who, when and what.
CREATE TABLE IF NOT EXISTS picklist_entries (
    id          INTEGER PRIMARY KEY,
    list        TEXT NOT NULL,
    name        TEXT NOT NULL,
    retired_at  TEXT NOT NULL DEFAULT '',
    merged_into INTEGER REFERENCES picklist_entries (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS picklist_entries_list ON picklist_entries (list, name);

CREATE TABLE IF NOT EXISTS picklist_names (
    list     TEXT NOT NULL,
    name_key TEXT NOT NULL,
    name     TEXT NOT NULL,
    entry_id INTEGER NOT NULL REFERENCES picklist_entries (id),
    PRIMARY KEY (list, name_key)
);

CREATE TABLE IF NOT EXISTS picklist_changes (
    id       INTEGER PRIMARY KEY,
    list     TEXT NOT NULL,
    entry_id INTEGER NOT NULL REFERENCES picklist_entries (id),
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL,
    actor    TEXT NOT NULL,
    at       TEXT NOT NULL
);
