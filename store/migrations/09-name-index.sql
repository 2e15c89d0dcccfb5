-- v9: the active bookings of a name, found by the name
-- The booking flow asks, at the name step and at every list of dates, on which dates a name is
-- already booked (one booking per name and date): an exact look-up through this index, whatever
-- the number of bookings the office keeps.
CREATE INDEX bookings_active_name ON bookings (name, date) WHERE status IN ('booked', 'called');
