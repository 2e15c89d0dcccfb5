-- v7: the serving order (when each conversation started, each outgoing message's rank) and /status

-- When the applicant's conversation started: set when it is new, or when it comes back to life
-- after a long silence. Its replies are served in this order in a rush; 0 means never set.
ALTER TABLE conversations ADD COLUMN started_at INTEGER NOT NULL DEFAULT 0;

-- The sender serves the waiting chat with the lowest rank first (Unix milliseconds): an applicant's
-- replies carry when their conversation started, staff replies and notices when they were queued.
ALTER TABLE outbox ADD COLUMN rank_at INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET rank_at = created_at WHERE sent_at IS NULL AND failed = 0;

-- /status counts the messages handled today.
CREATE INDEX inbox_handled ON inbox (handled_at) WHERE handled_at IS NOT NULL;
