-- TP09, the Regulator's perception measure, as a manager records it from
-- the landlord's own tenant perception survey: of the respondents in each
-- tenure who had complained in the last 12 months, how many were very or
-- fairly satisfied with the approach to complaints handling. Redress's
-- own post-closure survey is a different figure and never feeds it.
--
-- Every entry is kept, with who recorded it and when, so a figure sent to
-- the Regulator can be traced and a corrected one does not erase the
-- first; the latest entry for a year is the year's TP09.
CREATE TABLE tp09_results (
    id                INTEGER PRIMARY KEY,
    year              INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    lcra_satisfied    INTEGER NOT NULL CHECK (lcra_satisfied >= 0),
    lcra_respondents  INTEGER NOT NULL CHECK (lcra_respondents >= lcra_satisfied),
    lcho_satisfied    INTEGER NOT NULL CHECK (lcho_satisfied >= 0),
    lcho_respondents  INTEGER NOT NULL CHECK (lcho_respondents >= lcho_satisfied),
    recorded_at       TEXT NOT NULL,
    recorded_by       TEXT NOT NULL
);
CREATE INDEX tp09_results_year ON tp09_results (year, id);
