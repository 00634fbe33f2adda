-- Sync bookkeeping every replica and server needs. Entity tables come from model.json.
-- Times are ISO-8601 UTC text; JSON columns hold nlohmann-json dump() text.

-- Server: every op received, in acceptance order, with the answer given for it. op_id makes a
-- resent op get the same answer instead of being applied twice. entity, row_id and kind may
-- be NULL for an op rejected because it lacked them.
CREATE TABLE op_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  op_id TEXT NOT NULL UNIQUE,
  device_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  entity TEXT,
  row_id TEXT,
  kind TEXT,
  hlc TEXT,
  base_version INTEGER,
  schema_version INTEGER,
  op_json TEXT NOT NULL,
  outcome TEXT NOT NULL,
  outcome_json TEXT,
  received_at TEXT NOT NULL
);
CREATE INDEX op_log_entity_row ON op_log (entity, row_id);

-- Server: the latest version of every row and its owning unit; pull scans it by cursor.
CREATE TABLE change_index (
  entity TEXT NOT NULL,
  row_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (entity, row_id)
);
CREATE INDEX change_index_version ON change_index (version);
CREATE INDEX change_index_unit_version ON change_index (unit_id, version);

-- Device: ops written locally, in the order they were made, until the server has answered.
CREATE TABLE outbox (
  local_seq INTEGER PRIMARY KEY AUTOINCREMENT,
  op_id TEXT NOT NULL UNIQUE,
  op_json TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'accepted', 'rejected', 'conflict')),
  result_json TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Either side: small named values (pull cursor, last sync time, the device's last HLC).
CREATE TABLE sync_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
