-- Where the audit chain becomes keyed. Events before keyed_from keep the
-- unkeyed SHA-256 chain they were written with; from keyed_from on, each
-- event's hash is an HMAC-SHA256 with the audit key, a secret held outside
-- the database (a key file or the environment), so that someone who can
-- write to this file cannot recompute the chain. key_id names the key
-- without revealing it, and seal is the key's MAC of keyed_from, so that
-- the start cannot be moved to pass keyed events off as unkeyed ones.
--
-- keyed_from stays NULL until Redress first starts with a key: the
-- events recorded before then were chained without one.
CREATE TABLE audit_chain (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    keyed_from INTEGER,
    key_id     TEXT NOT NULL,
    seal       TEXT NOT NULL
);
INSERT INTO audit_chain (id, keyed_from, key_id, seal) VALUES (1, NULL, '', '');
