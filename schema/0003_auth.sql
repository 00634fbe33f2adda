-- Server only: sign-in secrets, session tokens and failed sign-ins. These tables never sync;
-- users and devices themselves are entity rows (entity_user, entity_device) that do.
-- Times here are milliseconds since the Unix epoch (INTEGER), except credentials.updated_at
-- (ISO-8601 UTC text, for people reading the table).

-- One password per user. login mirrors entity_user.login and is what a person types; the
-- hash is kdf(password, salt, iterations), and the row keeps its own iteration count so it
-- still verifies after the default cost is raised.
CREATE TABLE credentials (
  user_id TEXT PRIMARY KEY NOT NULL,
  login TEXT UNIQUE NOT NULL,
  kdf TEXT NOT NULL,
  iterations INTEGER NOT NULL CHECK (iterations > 0),
  salt BLOB NOT NULL,
  hash BLOB NOT NULL,
  updated_at TEXT NOT NULL
);

-- Session tokens, bound to one user and one device. Only the SHA-256 (lower-case hex) of a
-- token is kept: the token itself is shown to the device once and never stored.
CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX tokens_by_user ON tokens (user_id);
CREATE INDEX tokens_by_device ON tokens (device_id);
CREATE INDEX tokens_by_expiry ON tokens (expires_at);

-- Failed sign-ins, counted per login and per device over a sliding window for throttling.
CREATE TABLE login_failures (
  login TEXT NOT NULL,
  device_id TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX login_failures_by_login ON login_failures (login, at_ms);
CREATE INDEX login_failures_by_device ON login_failures (device_id, at_ms);
CREATE INDEX login_failures_by_time ON login_failures (at_ms);
