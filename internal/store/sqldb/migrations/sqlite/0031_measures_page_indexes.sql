-- Two indexes for the measures page (/reports), which over a million
-- cases took seconds to say how many events were recorded late and how
-- many complaints have no tenure.
--
-- The index of events recorded late holds both times, so
-- CountLateRecorded counts them from the index alone instead of reading
-- each event. The condition is unchanged, word for word, so the queries
-- that repeat it still find the index.
DROP INDEX events_recorded_late;
CREATE INDEX events_recorded_late ON events (at, recorded_at) WHERE julianday(recorded_at) - julianday(at) > 22.0 / 24;

-- The complaints with no tenure recorded (CaseFilter.NoTenure): a few in
-- a hundred, found without scanning every case's facts.
CREATE INDEX IF NOT EXISTS contact_facts_no_tenure ON contact_facts (case_id) WHERE tenure = '';
