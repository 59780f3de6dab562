-- Daily counts behind the Tenant Satisfaction Measures' stage figures,
-- kept by triggers in the same transaction as stage_facts. A year's CH01
-- and CH02 then add up at most 366 days of a few rows each, instead of
-- reading an index entry for every stage of every complaint: over a
-- million cases that is the difference between hundreds of milliseconds
-- and one, and it keeps the report pages fast at any size.
--
-- measure 'received' is keyed by the day a stage was received, flag is
-- whether it was refused; 'responded' by the day of the response, flag
-- is whether it was within the Code's timescale. stage_facts rows are
-- only ever inserted and deleted (a case's facts are replaced whole when
-- it is saved), so the two triggers keep the counts exact.
CREATE TABLE tsm_days (
    day     TEXT NOT NULL,
    measure TEXT NOT NULL CHECK (measure IN ('received', 'responded')),
    stage   INTEGER NOT NULL,
    flag    INTEGER NOT NULL,
    tenure  TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (day, measure, stage, flag, tenure)
) WITHOUT ROWID;

CREATE TRIGGER stage_facts_count_insert AFTER INSERT ON stage_facts BEGIN
    INSERT INTO tsm_days (day, measure, stage, flag, tenure, n)
        VALUES (NEW.received, 'received', NEW.stage, NEW.refused, NEW.tenure, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO tsm_days (day, measure, stage, flag, tenure, n)
        SELECT NEW.responded, 'responded', NEW.stage, NEW.within_code, NEW.tenure, 1 WHERE NEW.responded IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stage_facts_count_delete AFTER DELETE ON stage_facts BEGIN
    UPDATE tsm_days SET n = n - 1
        WHERE day = OLD.received AND measure = 'received' AND stage = OLD.stage AND flag = OLD.refused AND tenure = OLD.tenure;
    UPDATE tsm_days SET n = n - 1
        WHERE OLD.responded IS NOT NULL AND day = OLD.responded AND measure = 'responded' AND stage = OLD.stage
        AND flag = OLD.within_code AND tenure = OLD.tenure;
END;

-- The counts of the facts already stored.
INSERT INTO tsm_days (day, measure, stage, flag, tenure, n)
    SELECT received, 'received', stage, refused, tenure, count(*) FROM stage_facts GROUP BY received, stage, refused, tenure;
INSERT INTO tsm_days (day, measure, stage, flag, tenure, n)
    SELECT responded, 'responded', stage, within_code, tenure, count(*) FROM stage_facts
    WHERE responded IS NOT NULL GROUP BY responded, stage, within_code, tenure;
