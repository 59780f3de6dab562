-- Two indexes for the measures page (SQLite 0031): the index of events
-- recorded late holds both times, so CountLateRecorded reads the index
-- alone, and the complaints with no tenure recorded are found without
-- scanning every case's facts.
DROP INDEX events_recorded_late;
CREATE INDEX events_recorded_late ON events (at, recorded_at)
    WHERE redress_instant(recorded_at) - redress_instant(at) > interval '22 hours';

CREATE INDEX contact_facts_no_tenure ON contact_facts (case_id) WHERE tenure = '';
