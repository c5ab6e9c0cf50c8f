-- Failed logins, counted per key (an account, a client address, or both)
-- so that the slowing down of a guesser survives a restart. until_ms is 0
-- when there is no wait.
CREATE TABLE login_failures (
	key      TEXT    PRIMARY KEY,
	count    INTEGER NOT NULL,
	last     INTEGER NOT NULL,
	until_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX login_failures_last ON login_failures (last);
