package bot

import "time"

// OfficeTx is what the office's side needs beyond CoreTx: check-ins, the priority lane and the
// calls that the now-serving board shows.
type OfficeTx interface {
	// CheckIn records that a booking's applicant has arrived; false when they already had.
	CheckIn(id int64, at time.Time) (bool, error)
	// SetPriority gives a booking priority for reason (non-empty), or takes it away ("").
	SetPriority(id int64, reason string) error
	// AskPriority records the applicant's own request for priority, for staff to confirm.
	AskPriority(id int64, reason string) error
	// RecordCall adds a call (from /next or /recall) to the board's log and returns its id.
	RecordCall(c Call) (int64, error)
}

// Arrival is what the office knows of an applicant on their day beyond the booking.
type Arrival struct {
	CheckedInAt   time.Time // zero: not checked in
	Priority      string    // the reason staff confirmed; non-empty means priority
	PriorityAsked string    // what the applicant wrote with "prioritas", awaiting staff
}

// CheckedIn reports whether the applicant has arrived.
func (a Arrival) CheckedIn() bool { return !a.CheckedInAt.IsZero() }

// Call is one call of a queue number to a counter, as the waiting-room board shows it: queue
// numbers and counters only, never a name or a phone number.
type Call struct {
	ID      int64
	Date    string
	Number  int
	Counter string
	At      time.Time
	Recall  bool
}

// BoardView is what the now-serving board shows of one day.
type BoardView struct {
	Calls     []Call // the day's latest calls, latest first
	CheckedIn int    // checked in and still waiting to be called
	Waiting   int    // booked and not yet called, checked in or not
	Held      int    // bookings holding a seat (not cancelled)
	Quota     int    // the staff's quota for the day; 0: the configured one
	Closed    bool
}
