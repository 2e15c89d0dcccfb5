package bot

import "time"

// HoldTx is what seat holds need beyond CoreTx: a seat shown or chosen is held for the applicant
// for a few minutes, so that the answer that takes it never fails for lack of a seat. A held seat
// counts as taken for everyone else, in the free-seat counts and in the schema's quota checks.
// Lapsed holds are released by the store whenever it reads or gives seats: no job has to run.
type HoldTx interface {
	// Hold keeps a seat of window win on date for phone until until: the seat phone already holds
	// there (its time extended), else the lowest free one, releasing any other seat phone held. It
	// lays the date out as layout first, like FreeSeats. ErrSeatTaken when the window has no free
	// seat.
	Hold(phone, date string, win int, layout []int, now, until time.Time) (Held, error)
	// Held returns the seat phone holds; false when it holds none or its hold lapsed at now.
	Held(phone string, now time.Time) (Held, bool, error)
	// Release frees the seat phone holds, if any.
	Release(phone string) error
	// ExpireHolds releases the holds lapsed at now and returns how many there were.
	ExpireHolds(now time.Time) (int, error)
}

// Held is one held seat.
type Held struct {
	Date   string
	Number int
	Window int
	Until  time.Time
}
