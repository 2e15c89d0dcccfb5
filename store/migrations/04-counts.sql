-- v4: seat counts per date and window kept by triggers, the indexes the queries need, pruning
--
-- Counting free seats used to look at every seat of the booking horizon and, for each, at its
-- bookings: the cost grew with the horizon and with the history. Now every seat carries `used`
-- (how many active bookings hold it: 0 or 1) and every (date, window) carries its counts in
-- window_seats, all kept by the triggers below in the same transaction as the booking, the
-- cancellation or the quota change that moves them. Free seats of a window are `open - used`, one
-- row read; the lowest free number is the first entry of the partial index seats_free.
--
-- The schema still enforces the quota by itself, whatever the Go code does: a seat cannot be used
-- twice nor used while retired (seats' CHECK), and a window cannot have more seats used than open
-- (window_seats' CHECK). Those hold beside the older guards (bookings_one_per_seat, the triggers
-- of v1), so that any one of them alone refuses an overbooking.
--
-- Holds (issue 10: a seat shown to an applicant is held for ~10 minutes and counts as used until
-- it lapses) add to the same counts the same way: a holds table (date, number, until) whose
-- AFTER INSERT trigger runs `UPDATE seats SET used = used + 1` on its seat, and whose AFTER DELETE
-- trigger runs `used - 1`; the CHECK on seats then refuses a hold on a booked or held seat, and a
-- booking on a held seat, unless the hold is deleted first in the same transaction (taking a held
-- seat = delete the hold, then insert the booking). A hold lapses when its row is deleted (by the
-- next booking transaction that finds it expired, or a sweep): SQLite has no timed triggers, so
-- the counts see a lapsed hold as used until then. `used` may then grow past 1 only by a bug,
-- which the CHECK turns into a refused transaction.
ALTER TABLE seats ADD COLUMN used INTEGER NOT NULL DEFAULT 0 CHECK (used BETWEEN 0 AND 1 - retired);

UPDATE seats SET used = 1 WHERE EXISTS (SELECT 1 FROM bookings b
	WHERE b.date = seats.date AND b.number = seats.number AND b.status <> 'cancelled');

CREATE TABLE window_seats (
	date TEXT NOT NULL,
	win  INTEGER NOT NULL,
	open INTEGER NOT NULL DEFAULT 0 CHECK (open >= 0),
	used INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= open),
	PRIMARY KEY (date, win)
) STRICT, WITHOUT ROWID;

INSERT INTO window_seats (date, win, open, used)
	SELECT date, win, sum(1 - retired), sum(used) FROM seats GROUP BY date, win;

-- The lowest free seat of a window: the first entry of this index for (date, win).
CREATE INDEX seats_free ON seats (date, win, number) WHERE retired = 0 AND used = 0;

-- A seat's counts move to its window's. Subtracting the old state before adding the new keeps
-- used <= open at every step, since a seat never counts as used unless it is open.
CREATE TRIGGER seats_count_insert AFTER INSERT ON seats
BEGIN
	INSERT INTO window_seats (date, win, open, used) VALUES (NEW.date, NEW.win, 1 - NEW.retired, NEW.used)
		ON CONFLICT (date, win) DO UPDATE SET open = open + excluded.open, used = used + excluded.used;
END;
CREATE TRIGGER seats_count_update AFTER UPDATE OF date, win, retired, used ON seats
BEGIN
	UPDATE window_seats SET open = open - (1 - OLD.retired), used = used - OLD.used
		WHERE date = OLD.date AND win = OLD.win;
	INSERT INTO window_seats (date, win, open, used) VALUES (NEW.date, NEW.win, 1 - NEW.retired, NEW.used)
		ON CONFLICT (date, win) DO UPDATE SET open = open + excluded.open, used = used + excluded.used;
END;
CREATE TRIGGER seats_count_delete AFTER DELETE ON seats
BEGIN
	UPDATE window_seats SET open = open - (1 - OLD.retired), used = used - OLD.used
		WHERE date = OLD.date AND win = OLD.win;
END;

-- An active booking (any status but cancelled) uses its seat.
CREATE TRIGGER bookings_use_insert AFTER INSERT ON bookings
WHEN NEW.status <> 'cancelled'
BEGIN
	UPDATE seats SET used = used + 1 WHERE date = NEW.date AND number = NEW.number;
END;
CREATE TRIGGER bookings_use_update AFTER UPDATE OF status, date, number ON bookings
WHEN (OLD.status <> 'cancelled') <> (NEW.status <> 'cancelled')
	OR OLD.date <> NEW.date OR OLD.number <> NEW.number
BEGIN
	UPDATE seats SET used = used - 1
		WHERE OLD.status <> 'cancelled' AND date = OLD.date AND number = OLD.number;
	UPDATE seats SET used = used + 1
		WHERE NEW.status <> 'cancelled' AND date = NEW.date AND number = NEW.number;
END;
CREATE TRIGGER bookings_use_delete AFTER DELETE ON bookings
WHEN OLD.status <> 'cancelled'
BEGIN
	UPDATE seats SET used = used - 1 WHERE date = OLD.date AND number = OLD.number;
END;

-- A day's bookings in number order, cancelled ones included (/list, /stats, export): the v1
-- indexes on date are partial and could not serve it.
CREATE INDEX bookings_date ON bookings (date, number);

-- Retention finds what it still has to erase without walking what it erased before: erased
-- bookings and audit rows drop out of these partial indexes, pruned messages are deleted.
CREATE INDEX bookings_personal ON bookings (date) WHERE name <> '' OR phone <> '' OR chat <> '';
CREATE INDEX audit_personal ON audit (at) WHERE staff <> '';
CREATE INDEX inbox_received ON inbox (received_at);
CREATE INDEX outbox_created ON outbox (created_at);
CREATE INDEX conversations_updated ON conversations (updated_at);
