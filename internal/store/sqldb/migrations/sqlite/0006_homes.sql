-- Homes by tenure for each reporting year, entered by a manager. They
-- take precedence over the homes in the policy file, so a landlord can
-- record a new year's stock without editing its policy.
CREATE TABLE homes (
    year                    INTEGER PRIMARY KEY,
    low_cost_rental         INTEGER NOT NULL,
    low_cost_home_ownership INTEGER NOT NULL,
    updated_at              TEXT NOT NULL,
    updated_by              TEXT NOT NULL
);
