-- Information sent from outside, by the resident through their pages or
-- by email, now tags its case "new from resident" until someone working
-- the case marks it read (complaint.Case.UnreadFromResident, the time of
-- the oldest unread). Dashboards and lists read whole cases, so no column
-- is needed; but a case stored before this version must carry the tag its
-- events give it, or the audit's rebuild would report the stored case as
-- differing from its events. Nothing could be marked read before this
-- version, so the tag is the time of the case's earliest such information.
UPDATE cases SET data = json_set(data, '$.unread_from_resident', (
    SELECT min(e.at) FROM events e
    WHERE e.case_id = cases.id AND e.kind = 'information_added'
      AND json_extract(e.data, '$.source') IN ('portal', 'email')
))
WHERE EXISTS (
    SELECT 1 FROM events e
    WHERE e.case_id = cases.id AND e.kind = 'information_added'
      AND json_extract(e.data, '$.source') IN ('portal', 'email')
);
