-- v8: how many times a booking was moved to another date or time ("ubah jadwal")
-- A moved booking is a new booking (its own seat and number) that carries the count on; the one it
-- replaced is cancelled in the same transaction.
ALTER TABLE bookings ADD COLUMN reschedules INTEGER NOT NULL DEFAULT 0 CHECK (reschedules >= 0);
