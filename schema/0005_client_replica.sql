-- Device only (the server runs it too and leaves the tables empty): what the tablet library
-- needs beside the entity tables, which on a device hold the VIEW (confirmed server state with
-- the pending local ops applied on top).

-- The confirmed (server) copy of every row the view shows differently because local ops were
-- applied on top of it. row_json is the row as the server last sent it (row_to_json), NULL when
-- the server has no such row yet (it exists only through local ops). A row without an entry
-- here is shown exactly as confirmed.
CREATE TABLE replica_confirmed (
  entity TEXT NOT NULL,
  row_id TEXT NOT NULL,
  row_json TEXT,
  PRIMARY KEY (entity, row_id)
);

-- The outbox (0001) keeps, besides the op, which row it wrote (for a case's history) and, once
-- answered, the server's sequence number (an answered op is re-applied on top of confirmed
-- state until a pull has brought a state that includes it).
ALTER TABLE outbox ADD COLUMN entity TEXT;
ALTER TABLE outbox ADD COLUMN row_id TEXT;
ALTER TABLE outbox ADD COLUMN seq INTEGER;
CREATE INDEX outbox_by_state ON outbox (state, local_seq);
CREATE INDEX outbox_by_row ON outbox (entity, row_id);
