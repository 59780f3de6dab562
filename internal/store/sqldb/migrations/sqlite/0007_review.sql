-- What people write for a year's annual complaints performance and
-- service improvement report (Code 8.1 and 8.2): the self-assessment
-- against each provision, the improvements made because of complaints
-- ("you said, we did") and the governing body's response. Figures are
-- not stored here; they are always counted from the cases.
CREATE TABLE review_assessments (
    year       INTEGER NOT NULL,
    provision  TEXT NOT NULL,
    complies   TEXT NOT NULL CHECK (complies IN ('yes', 'partly', 'no')),
    evidence   TEXT NOT NULL,
    commentary TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (year, provision)
);

CREATE TABLE review_improvements (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    service_area TEXT NOT NULL,
    you_said     TEXT NOT NULL,
    we_did       TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    added_by     TEXT NOT NULL
);
CREATE INDEX review_improvements_by_year ON review_improvements (year, id);

CREATE TABLE review_responses (
    year       INTEGER PRIMARY KEY,
    text       TEXT NOT NULL,
    agreed_on  TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
