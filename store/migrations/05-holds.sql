-- v5: seat holds: a seat shown or chosen is kept for its applicant for a few minutes
--
-- So that the answer that takes a seat never fails for lack of one, the seat an applicant is
-- offered is held for them: a row here, whose triggers count the seat as used (v4's seats.used
-- and window_seats), exactly as a booking does. The schema keeps the guarantees of bookings: a
-- seat is held at most once (primary key), never held and booked at once (seats.used is at most
-- 1), and holds count toward the window's quota (window_seats' CHECK). An applicant holds one
-- seat at a time (phone is unique). Taking a held seat is: delete the hold, insert the booking,
-- in one transaction.
--
-- A hold lapses at `until` (Unix milliseconds). SQLite has no timed triggers: a lapsed hold
-- still counts as used until a transaction deletes it, and every transaction that reads or
-- takes seats deletes the lapsed ones first (store.tx.expireHolds), so no job has to run for a
-- lapsed seat to be free again, and a crash never leaves a seat held for ever.
CREATE TABLE holds (
	date   TEXT NOT NULL,
	number INTEGER NOT NULL,
	phone  TEXT NOT NULL UNIQUE,
	until  INTEGER NOT NULL,
	PRIMARY KEY (date, number),
	FOREIGN KEY (date, number) REFERENCES seats (date, number)
) STRICT, WITHOUT ROWID;
CREATE INDEX holds_until ON holds (until);

CREATE TRIGGER holds_use_insert AFTER INSERT ON holds
BEGIN
	UPDATE seats SET used = used + 1 WHERE date = NEW.date AND number = NEW.number;
END;
CREATE TRIGGER holds_use_delete AFTER DELETE ON holds
BEGIN
	UPDATE seats SET used = used - 1 WHERE date = OLD.date AND number = OLD.number;
END;
