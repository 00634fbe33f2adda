-- Tablet: the ops a rebase re-applies are the unanswered ones and the answered ones whose
-- server seq the device has not pulled yet (seq > its cursor). Without this index that second
-- part read every answered op the tablet ever made, on every pulled page.
CREATE INDEX outbox_by_state_seq ON outbox (state, seq);
