-- v2: reminders sent, pickup tracking and the clock's job runs
-- Timestamps are Unix milliseconds, 0 for "not yet", as in v1. Each reminder has its own column so
-- that it can go out at most once per booking, whatever the job runs or restarts do.
ALTER TABLE bookings ADD COLUMN reminded_at INTEGER NOT NULL DEFAULT 0;         -- evening-before reminder
ALTER TABLE bookings ADD COLUMN morning_reminded_at INTEGER NOT NULL DEFAULT 0; -- same-day reminder
ALTER TABLE bookings ADD COLUMN paid_at INTEGER NOT NULL DEFAULT 0;             -- /paid: fee paid
ALTER TABLE bookings ADD COLUMN ready_at INTEGER NOT NULL DEFAULT 0;            -- /ready: passport printed
ALTER TABLE bookings ADD COLUMN pickup_from TEXT NOT NULL DEFAULT '';           -- date the ready notice named
ALTER TABLE bookings ADD COLUMN ready_notified_at INTEGER NOT NULL DEFAULT 0;   -- "can be collected from"
ALTER TABLE bookings ADD COLUMN pickup_reminded_at INTEGER NOT NULL DEFAULT 0;  -- "not collected yet"
ALTER TABLE bookings ADD COLUMN collected_at INTEGER NOT NULL DEFAULT 0;        -- handed over: no reminder

-- The pickup job reads only the passports still waiting for a notice; this keeps that read small
-- as years of served bookings pile up.
CREATE INDEX bookings_pickup ON bookings (id)
	WHERE (paid_at <> 0 OR ready_at <> 0) AND collected_at = 0 AND pickup_reminded_at = 0;

-- One row per job occurrence that ran to its commit: the job's name and the time it was due, in
-- the office's time zone ("2026-12-01 18:00"). The row is written in the job's own transaction,
-- so a job either ran and is recorded, or neither; catch-up after downtime skips what is here.
CREATE TABLE job_runs (
	job    TEXT NOT NULL,
	due    TEXT NOT NULL,
	ran_at INTEGER NOT NULL,
	PRIMARY KEY (job, due)
) STRICT, WITHOUT ROWID;
