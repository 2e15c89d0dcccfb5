-- v1: conversations, days and seats, bookings, inbox, outbox, waiting list
CREATE TABLE conversations (
	phone         TEXT PRIMARY KEY,
	lid           TEXT NOT NULL DEFAULT '',
	chat          TEXT NOT NULL,
	lang          TEXT NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
	state         TEXT NOT NULL,
	draft         TEXT NOT NULL DEFAULT '{}',
	flood_start   INTEGER NOT NULL DEFAULT 0,
	flood_count   INTEGER NOT NULL DEFAULT 0,
	flood_noticed INTEGER NOT NULL DEFAULT 0,
	updated_at    INTEGER NOT NULL
) STRICT;

-- One row per date that staff changed or that was booked; quota 0 follows the configuration.
CREATE TABLE days (
	date   TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	quota  INTEGER NOT NULL DEFAULT 0 CHECK (quota >= 0),
	closed INTEGER NOT NULL DEFAULT 0,
	reason TEXT NOT NULL DEFAULT '',
	layout TEXT NOT NULL DEFAULT ''
) STRICT;

-- Every seat of a day exists as a row; a booking must name one (foreign key), an active booking
-- only an open seat (trigger), and a seat holds at most one active booking (partial unique index).
-- So the database itself never gives more seats than the quota, nor one number twice, whatever the
-- Go code does. A seat never changes window once laid out; lowering a quota retires free seats.
CREATE TABLE seats (
	date    TEXT NOT NULL REFERENCES days (date),
	number  INTEGER NOT NULL CHECK (number BETWEEN 1 AND 999),
	win     INTEGER NOT NULL CHECK (win >= 1),
	retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
	PRIMARY KEY (date, number)
) STRICT, WITHOUT ROWID;

CREATE TABLE bookings (
	id            INTEGER PRIMARY KEY,
	date          TEXT NOT NULL,
	number        INTEGER NOT NULL,
	name          TEXT NOT NULL,
	passport_type TEXT NOT NULL,
	phone         TEXT NOT NULL,
	chat          TEXT NOT NULL,
	lang          TEXT NOT NULL DEFAULT 'id',
	status        TEXT NOT NULL DEFAULT 'booked'
		CHECK (status IN ('booked', 'called', 'served', 'no_show', 'cancelled')),
	counter       TEXT NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL,
	called_at     INTEGER NOT NULL DEFAULT 0,
	updated_at    INTEGER NOT NULL,
	FOREIGN KEY (date, number) REFERENCES seats (date, number)
) STRICT;
CREATE UNIQUE INDEX bookings_one_per_seat ON bookings (date, number) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX bookings_one_per_name ON bookings (date, name) WHERE status IN ('booked', 'called');
CREATE INDEX bookings_phone ON bookings (phone, date);

CREATE TRIGGER bookings_need_open_seat BEFORE INSERT ON bookings
WHEN NEW.status <> 'cancelled'
	AND (SELECT retired FROM seats WHERE date = NEW.date AND number = NEW.number) = 1
BEGIN
	SELECT RAISE(ABORT, 'seat is not open');
END;
CREATE TRIGGER bookings_keep_open_seat BEFORE UPDATE OF status, number, date ON bookings
WHEN NEW.status <> 'cancelled'
	AND (SELECT retired FROM seats WHERE date = NEW.date AND number = NEW.number) = 1
BEGIN
	SELECT RAISE(ABORT, 'seat is not open');
END;
CREATE TRIGGER seats_keep_booked BEFORE UPDATE OF win, retired ON seats
WHEN (NEW.win <> OLD.win OR NEW.retired = 1) AND EXISTS (SELECT 1 FROM bookings b
	WHERE b.date = OLD.date AND b.number = OLD.number AND b.status <> 'cancelled')
BEGIN
	SELECT RAISE(ABORT, 'a booked seat keeps its window and stays open');
END;

-- Incoming messages, keyed by WhatsApp's message id: a redelivery is a conflict, handled once.
CREATE TABLE inbox (
	id          TEXT PRIMARY KEY,
	phone       TEXT NOT NULL,
	lid         TEXT NOT NULL DEFAULT '',
	chat        TEXT NOT NULL,
	text        TEXT NOT NULL,
	media       INTEGER NOT NULL DEFAULT 0,
	received_at INTEGER NOT NULL,
	handled_at  INTEGER
) STRICT;
CREATE INDEX inbox_unhandled ON inbox (received_at) WHERE handled_at IS NULL;

-- Replies and notices, each with the message id it is sent under, so a retry is the same message.
CREATE TABLE outbox (
	seq        INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	chat       TEXT NOT NULL,
	phone      TEXT NOT NULL,
	text       TEXT NOT NULL,
	bulk       INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	sent_at    INTEGER,
	failed     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX outbox_pending ON outbox (seq) WHERE sent_at IS NULL AND failed = 0;

CREATE TABLE waitlist (
	phone     TEXT PRIMARY KEY,
	chat      TEXT NOT NULL,
	lang      TEXT NOT NULL DEFAULT 'id',
	joined_at INTEGER NOT NULL
) STRICT;

-- Settings the program learns at run time (such as the WhatsApp web version).
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;
