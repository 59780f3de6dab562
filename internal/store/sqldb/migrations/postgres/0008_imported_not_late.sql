-- Complaints imported from an earlier complaints log are left out of the
-- events recorded late (SQLite 0036): their one "imported" event is
-- recorded long after its date by its nature, not by a late hand.
DROP INDEX events_recorded_late;
CREATE INDEX events_recorded_late ON events (at, recorded_at, kind)
    WHERE redress_instant(recorded_at) - redress_instant(at) > interval '22 hours' AND kind <> 'imported';
