-- Server: the highest pull cursor each device has asked from, so it has applied every change
-- up to it. A push is judged against the larger of this and the cursor the push carries, so a
-- device cannot claim to have missed a move it has already pulled.
CREATE TABLE device_cursors (
  device_id TEXT PRIMARY KEY,
  cursor INTEGER NOT NULL
);
