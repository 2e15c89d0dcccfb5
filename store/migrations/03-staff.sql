-- v3: staff kept in the database and the audit log (filled in by the staff work)

-- Members added from chat by an admin (/staff add), beside the ones in the configuration.
CREATE TABLE staff (
	phone    TEXT PRIMARY KEY CHECK (length(phone) BETWEEN 8 AND 15 AND phone NOT GLOB '*[^0-9]*'),
	added_by TEXT NOT NULL,
	added_at INTEGER NOT NULL
) STRICT;

-- Who did what, when. booking_id has no foreign key: the audit outlives the erasure of bookings.
CREATE TABLE audit (
	id         INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL,
	staff      TEXT NOT NULL,
	action     TEXT NOT NULL,
	date       TEXT NOT NULL DEFAULT '',
	booking_id INTEGER NOT NULL DEFAULT 0,
	detail     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_at ON audit (at);

-- A staff member's counter, last call (for /recall) and a broadcast waiting for confirmation.
-- last_call has no foreign key for the same reason as the audit's booking_id.
CREATE TABLE staff_state (
	phone          TEXT PRIMARY KEY,
	counter        TEXT NOT NULL DEFAULT '',
	last_call      INTEGER NOT NULL DEFAULT 0,
	broadcast_date TEXT NOT NULL DEFAULT '',
	broadcast_text TEXT NOT NULL DEFAULT '',
	broadcast_at   INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Bookings told that their turn is near, so that nobody is told twice. Cascading, so that a booking
-- removed by a quota change or by erasure takes its row along.
CREATE TABLE near_notices (
	booking_id INTEGER PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
	at         INTEGER NOT NULL
) STRICT;

-- Bookings cancelled by closing their day, so that /open can give them back.
CREATE TABLE closed_bookings (
	booking_id INTEGER PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
	date       TEXT NOT NULL
) STRICT;
CREATE INDEX closed_bookings_date ON closed_bookings (date);
