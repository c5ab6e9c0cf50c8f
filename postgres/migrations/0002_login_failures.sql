-- Failed logins, counted per key (an account, a client address, or both),
-- shared by every instance on the database so that a guesser is slowed
-- down whichever instance answers. until_at is NULL when there is no wait.
CREATE TABLE login_failures (
	key      text        CONSTRAINT login_failures_key_unique PRIMARY KEY,
	count    integer     NOT NULL,
	last     timestamptz NOT NULL,
	until_at timestamptz
);
CREATE INDEX login_failures_last ON login_failures (last);
