-- The admin's data. Times are INTEGER unix milliseconds, UTC. Hashes are
-- the SHA-256 of secrets, never the secrets. Ids people act on later
-- (accounts, invitations, tokens) are AUTOINCREMENT, so that an id is never
-- handed out again after a delete: a stale "revoke token 2" must not
-- revoke the token created after it.

CREATE TABLE accounts (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	email         TEXT    NOT NULL UNIQUE,
	password_hash TEXT    NOT NULL,
	created       INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
	hash       BLOB    PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created    INTEGER NOT NULL,
	expires    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires);

CREATE TABLE properties (
	id          TEXT    PRIMARY KEY,
	name        TEXT    NOT NULL,
	website_url TEXT    NOT NULL,
	created     INTEGER NOT NULL
) STRICT;

CREATE TABLE members (
	property_id TEXT    NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
	account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	role        TEXT    NOT NULL CHECK (role IN ('admin', 'agent')),
	added       INTEGER NOT NULL,
	PRIMARY KEY (property_id, account_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX members_account ON members (account_id);

CREATE TABLE invitations (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	property_id TEXT    NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
	email       TEXT    NOT NULL,
	role        TEXT    NOT NULL CHECK (role IN ('admin', 'agent')),
	hash        BLOB    NOT NULL UNIQUE,
	invited_by  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created     INTEGER NOT NULL,
	expires     INTEGER NOT NULL
) STRICT;
CREATE INDEX invitations_property ON invitations (property_id);
CREATE INDEX invitations_expires ON invitations (expires);

-- The published set of a property is its newest version: the primary key
-- finds it without a scan, and nothing else can disagree with it.
CREATE TABLE versions (
	property_id TEXT    NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
	number      INTEGER NOT NULL CHECK (number >= 1),
	data        BLOB    NOT NULL,
	author      TEXT    NOT NULL,
	summary     TEXT    NOT NULL,
	created     INTEGER NOT NULL,
	PRIMARY KEY (property_id, number)
) STRICT, WITHOUT ROWID;

CREATE TABLE tokens (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	property_id TEXT    NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
	name        TEXT    NOT NULL,
	hash        BLOB    NOT NULL UNIQUE,
	created_by  TEXT    NOT NULL,
	created     INTEGER NOT NULL,
	last_used   INTEGER
) STRICT;
CREATE INDEX tokens_property ON tokens (property_id);

-- The bytes of an upload are the file uploads/<name>, kept once whatever
-- the number of properties listing it.
CREATE TABLE uploads (
	property_id  TEXT    NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
	name         TEXT    NOT NULL,
	content_type TEXT    NOT NULL,
	size         INTEGER NOT NULL,
	width        INTEGER NOT NULL,
	height       INTEGER NOT NULL,
	original     TEXT    NOT NULL,
	created      INTEGER NOT NULL,
	PRIMARY KEY (property_id, name)
) STRICT;
CREATE INDEX uploads_name ON uploads (name);
CREATE INDEX uploads_property_created ON uploads (property_id, created);
