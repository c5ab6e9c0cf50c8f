-- The admin's data, the same as the embedded SQLite store's first schema.
-- Times are timestamptz kept to the millisecond. Hashes are the SHA-256
-- of secrets, never the secrets. Ids people act on later (accounts,
-- invitations, tokens) come from identity sequences, which never hand an
-- id out again after a delete: a stale "revoke token 2" must not revoke
-- the token created after it. Constraints are named, because the store
-- reads a violation's name to say what was taken.
CREATE TABLE accounts (
	id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email         text        NOT NULL CONSTRAINT accounts_email_unique UNIQUE,
	password_hash text        NOT NULL,
	created       timestamptz NOT NULL
);

CREATE TABLE sessions (
	hash       bytea       CONSTRAINT sessions_hash_unique PRIMARY KEY,
	account_id bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created    timestamptz NOT NULL,
	expires    timestamptz NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires);

CREATE TABLE properties (
	id          text        CONSTRAINT properties_id_unique PRIMARY KEY,
	name        text        NOT NULL,
	website_url text        NOT NULL,
	created     timestamptz NOT NULL
);

CREATE TABLE members (
	property_id text        NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
	account_id  bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	role        text        NOT NULL CHECK (role IN ('admin', 'agent')),
	added       timestamptz NOT NULL,
	PRIMARY KEY (property_id, account_id)
);
CREATE INDEX members_account ON members (account_id);

CREATE TABLE invitations (
	id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	property_id text        NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
	email       text        NOT NULL,
	role        text        NOT NULL CHECK (role IN ('admin', 'agent')),
	hash        bytea       NOT NULL CONSTRAINT invitations_hash_unique UNIQUE,
	invited_by  bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	created     timestamptz NOT NULL,
	expires     timestamptz NOT NULL
);
CREATE INDEX invitations_property ON invitations (property_id);
CREATE INDEX invitations_expires ON invitations (expires);

-- The published set of a property is its newest version: the primary key
-- finds it without a scan, and nothing else can disagree with it. Two
-- publishers of the same number collide on it.
CREATE TABLE versions (
	property_id text        NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
	number      bigint      NOT NULL CHECK (number >= 1),
	data        bytea       NOT NULL,
	author      text        NOT NULL,
	summary     text        NOT NULL,
	created     timestamptz NOT NULL,
	CONSTRAINT versions_number_unique PRIMARY KEY (property_id, number)
);

CREATE TABLE tokens (
	id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	property_id text        NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
	name        text        NOT NULL,
	hash        bytea       NOT NULL CONSTRAINT tokens_hash_unique UNIQUE,
	created_by  text        NOT NULL,
	created     timestamptz NOT NULL,
	last_used   timestamptz
);
CREATE INDEX tokens_property ON tokens (property_id);

-- The bytes of an upload, kept once under their content-addressed name
-- whatever the number of properties listing it, so that every instance
-- sharing the database serves them.
CREATE TABLE upload_files (
	name text  PRIMARY KEY,
	data bytea NOT NULL
);

-- seq orders uploads stored in the same millisecond, and names the first
-- listing of a name, whose metadata Upload returns.
CREATE TABLE uploads (
	seq          bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
	property_id  text        NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
	name         text        NOT NULL REFERENCES upload_files (name),
	content_type text        NOT NULL,
	size         bigint      NOT NULL,
	width        integer     NOT NULL,
	height       integer     NOT NULL,
	original     text        NOT NULL,
	created      timestamptz NOT NULL,
	PRIMARY KEY (property_id, name)
);
CREATE INDEX uploads_name ON uploads (name, seq);
CREATE INDEX uploads_property_created ON uploads (property_id, created);
