-- The Housing Ombudsman stage (issue 19, item 4): the dates a landlord
-- owes the Ombudsman on a referred case (SQLite 0034, whose comment says
-- what each row holds). No case was referred before this migration.
CREATE TABLE ombudsman_dues (
    case_id BIGINT NOT NULL,
    kind    TEXT COLLATE "C" NOT NULL,
    item    BIGINT NOT NULL,
    due     TEXT COLLATE "C" NOT NULL,
    done    BIGINT NOT NULL,
    PRIMARY KEY (case_id, kind, item)
);
CREATE INDEX ombudsman_dues_open ON ombudsman_dues (done, kind, due, case_id);
