-- Server: a row that left a unit (a case moved to another unit, with its visits, petitioners,
-- commitments and conflicts). Pull tells the old unit's devices to drop it, at `version`.
CREATE TABLE scope_exits (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  row_id TEXT NOT NULL,
  old_unit_id TEXT NOT NULL,
  new_unit_id TEXT NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX scope_exits_unit_version ON scope_exits (old_unit_id, version);
