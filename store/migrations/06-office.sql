-- v6: at the office: check-ins, the priority lane, and the calls the now-serving board shows

-- checked_in_at: when the applicant said they had arrived (0: not yet). priority: the reason staff
-- confirmed (non-empty: called before the others once checked in). priority_asked: what the
-- applicant wrote with "prioritas", waiting for staff to confirm it.
ALTER TABLE bookings ADD COLUMN checked_in_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN priority TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN priority_asked TEXT NOT NULL DEFAULT '';

-- A priority reason can tell of health (pregnant, a disability): it goes when the retention job
-- erases the booking's name, keeping only the fact that the booking had priority, for the counts.
CREATE TRIGGER bookings_erase_priority AFTER UPDATE OF name ON bookings
WHEN NEW.name = '' AND (OLD.priority NOT IN ('', '-') OR OLD.priority_asked <> '')
BEGIN
	UPDATE bookings SET priority = CASE WHEN OLD.priority = '' THEN '' ELSE '-' END, priority_asked = ''
	WHERE id = NEW.id;
END;

-- One row per /next and /recall, written with the call itself: the board's event log. Its id is
-- the event id of the board's stream, so a board that reconnects resumes exactly. Queue numbers and
-- counters only: nothing here is personal.
CREATE TABLE calls (
	id      INTEGER PRIMARY KEY,
	date    TEXT NOT NULL,
	number  INTEGER NOT NULL,
	counter TEXT NOT NULL,
	at      INTEGER NOT NULL,
	recall  INTEGER NOT NULL DEFAULT 0 CHECK (recall IN (0, 1))
) STRICT;
CREATE INDEX calls_date ON calls (date, id);
