-- Tablet: how many times in a row the server failed on an op (answered "failed", or a 500 to a
-- push of that op alone). At 3 the op is held aside: still in the outbox and in the view, not
-- sent again until the person asks (Client::retry_failed, `fieldvisit retry`), so one op the
-- server cannot take never blocks the device's other work (docs/protocol.md, "Failed ops").
ALTER TABLE outbox ADD COLUMN server_failures INTEGER NOT NULL DEFAULT 0;
