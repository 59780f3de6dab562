-- The facts the reports count, kept in step with each case as it is
-- saved. A year's Tenant Satisfaction Measures over a million cases then
-- read narrow covering indexes by date instead of every case's JSON.

-- One row per stage of a complaint.
CREATE TABLE stage_facts (
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    stage         INTEGER NOT NULL,
    tenure        TEXT NOT NULL,
    channel       TEXT NOT NULL,
    service_area  TEXT NOT NULL,
    received      TEXT NOT NULL,
    acknowledged  TEXT,
    responded     TEXT,
    refused       INTEGER NOT NULL,
    withdrawn     INTEGER NOT NULL,
    exclusion     TEXT NOT NULL,
    within_code   INTEGER NOT NULL,
    ack_wd        INTEGER,
    respond_wd    INTEGER,
    extension_days INTEGER NOT NULL,
    over_code_cap INTEGER NOT NULL,
    upheld        INTEGER NOT NULL,
    partly        INTEGER NOT NULL,
    not_upheld    INTEGER NOT NULL,
    learning      TEXT NOT NULL,
    PRIMARY KEY (case_id, stage)
) WITHOUT ROWID;
-- CH01: received in the year, not refused, by tenure.
CREATE INDEX stage_facts_received ON stage_facts (stage, received, refused, tenure, withdrawn);
-- CH02: responded in the year, within the Code or not, by tenure.
CREATE INDEX stage_facts_responded ON stage_facts (stage, responded, within_code, tenure, respond_wd) WHERE responded IS NOT NULL;

-- One row per contact of any kind, for volumes and repeat complainants.
CREATE TABLE contact_facts (
    case_id         INTEGER PRIMARY KEY REFERENCES cases (id),
    received        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    service_area    TEXT NOT NULL,
    tenure          TEXT NOT NULL,
    complainant_key TEXT NOT NULL
);
CREATE INDEX contact_facts_received ON contact_facts (received, kind, channel, service_area, tenure);
CREATE INDEX contact_facts_complainant ON contact_facts (complainant_key, received) WHERE complainant_key <> '';

CREATE TABLE category_facts (
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    category TEXT NOT NULL,
    PRIMARY KEY (case_id, category)
) WITHOUT ROWID;

-- Remedies: compensation offered and paid, actions open, done and overdue.
CREATE TABLE remedy_facts (
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    remedy_id    INTEGER NOT NULL,
    stage        INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    amount_pence INTEGER NOT NULL,
    compensation_kind TEXT NOT NULL,
    offered      TEXT NOT NULL,
    due          TEXT,
    done         INTEGER NOT NULL,
    done_on      TEXT,
    PRIMARY KEY (case_id, remedy_id)
) WITHOUT ROWID;
CREATE INDEX remedy_facts_offered ON remedy_facts (offered, kind, amount_pence, done);

-- Answers to the satisfaction survey after closure (TP09-style).
CREATE TABLE survey_answers (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    answered_on TEXT NOT NULL,
    answer      TEXT NOT NULL,
    tenure      TEXT NOT NULL,
    comment     TEXT NOT NULL
);
CREATE INDEX survey_answers_answered ON survey_answers (answered_on, answer, tenure);
