-- Complaints imported from an earlier complaints log (issue 20, item 3)
-- are made whole by one "imported" event, dated the day the complaint was
-- received and recorded on the day of the import: recorded long after
-- its date by its nature, not by a late hand. The late-entry rule (issue
-- 12) leaves such events out, so the index of events recorded late does
-- too; dialect.recordedLate repeats this condition word for word, which
-- is what lets the queries use the index. The index holds the kind beside
-- both times, so CountLateRecorded still reads the index alone (0031).
DROP INDEX events_recorded_late;
CREATE INDEX events_recorded_late ON events (at, recorded_at, kind) WHERE julianday(recorded_at) - julianday(at) > 22.0 / 24 AND kind <> 'imported';
