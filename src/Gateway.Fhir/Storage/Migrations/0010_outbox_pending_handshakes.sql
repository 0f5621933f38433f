-- The delivery poll finds each target's first pending row with one probe per target (a skip scan
-- over notification_outbox_pending) instead of reading every pending row; a target's pending
-- handshake, which goes before its other rows, is found through its own small index.
create index notification_outbox_pending_handshake on notification_outbox (target, id) where state = 'pending' and kind = 'handshake';
