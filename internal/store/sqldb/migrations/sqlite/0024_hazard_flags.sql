-- Awaab's Law (issue 14): a hazard classed on a case not yet flagged as a
-- health-and-safety risk flags it (the hazard_classified event records
-- "flagged"), and that flagging is alerted to the senior managers like any
-- other, ahead of any backlog. The trigger that records flaggings learns
-- the new event.
DROP TRIGGER events_safety_flag;

CREATE TRIGGER events_safety_flag AFTER INSERT ON events
WHEN (NEW.kind = 'created' AND json_extract(NEW.data, '$.health_and_safety') = 1)
  OR (NEW.kind = 'safety_flag_set' AND json_extract(NEW.data, '$.flagged') = 1)
  OR (NEW.kind = 'hazard_classified' AND json_extract(NEW.data, '$.flagged') = 1)
BEGIN
    INSERT OR IGNORE INTO safety_flags (event_id, case_id) VALUES (NEW.id, NEW.case_id);
END;
