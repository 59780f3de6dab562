-- Sign-in attempts, each recorded before its password is checked, so that
-- attempts arriving together are counted one after another rather than
-- all passing a count taken before any was recorded (issue 13, item 2).
-- A row is an attempt not proven good: still being checked, or failed. A
-- good password deletes its row. Throttling counts the rows of the last
-- few minutes by account and address together, by address, by account and
-- by device, so the row keeps each apart rather than one row per key.
--
-- account is the email address typed, whether or not a user has it, in
-- lower case (COLLATE NOCASE as well, so "Ann@" and "ann@" are one
-- account whatever wrote the row). address is the client's IP address, ''
-- when unknown. device is the id of a valid device cookie for the account,
-- '' for a browser that has not signed in to it before: attempts with one
-- are counted on their own, so that failures from elsewhere do not lock
-- out someone at their usual browser. AUTOINCREMENT so that an id is never
-- reused while an attempt holding it is still being checked.
CREATE TABLE sign_in_attempts (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL COLLATE NOCASE,
    address TEXT NOT NULL,
    device  TEXT NOT NULL DEFAULT '',
    at      TEXT NOT NULL
);
CREATE INDEX sign_in_attempts_account ON sign_in_attempts (account, at);
CREATE INDEX sign_in_attempts_address ON sign_in_attempts (address, at);
CREATE INDEX sign_in_attempts_device ON sign_in_attempts (device, at) WHERE device <> '';
-- For the sweep of rows older than a day on every attempt.
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);

-- The failures already counted carry over, so an upgrade in the middle of
-- an attack does not reset it: account keys as failures at the account
-- from an unknown address, address keys as failures from the address at
-- no account.
INSERT INTO sign_in_attempts (account, address, at)
SELECT CASE WHEN key LIKE 'account:%' THEN lower(substr(key, 9)) ELSE '' END,
       CASE WHEN key LIKE 'address:%' THEN substr(key, 9) ELSE '' END,
       at
FROM login_failures
WHERE key LIKE 'account:%' OR key LIKE 'address:%'
ORDER BY at;

DROP TABLE login_failures;
