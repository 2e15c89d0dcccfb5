package bot

import "time"

// JobsTx is what the clock's jobs (and the pickup commands) need beyond CoreTx.
type JobsTx interface {
	// MarkPaid records that a booking's fee was paid at; the pickup job tells the applicant when the
	// passport can be collected. A second call keeps the first time. ErrNotFound when there is no
	// such booking.
	MarkPaid(id int64, at time.Time) error
	// MarkReady records that a booking's passport is ready for pickup at. A second call keeps the
	// first time. ErrNotFound when there is no such booking.
	MarkReady(id int64, at time.Time) error
	// MarkCollected records that the passport was handed over at, so no pickup reminder follows.
	// ErrNotFound when there is no such booking.
	MarkCollected(id int64, at time.Time) error

	// ClaimJobRun records that job ran for its occurrence due (office time, "2006-01-02 15:04");
	// false when that occurrence is already recorded. Claimed in the job's own transaction, the
	// record commits with the job's work or not at all.
	ClaimJobRun(job, due string, at time.Time) (bool, error)
	// MarkNoShows turns the bookings still booked or called on dates before date into no-shows and
	// returns how many there were.
	MarkNoShows(before string, at time.Time) (int, error)
	// ToRemind returns date's booked bookings, in number order, that have not had reminder kind
	// and still have a phone number to send it to.
	ToRemind(date string, kind Reminder) ([]Booking, error)
	// MarkReminded records that reminder kind went to a booking at.
	MarkReminded(id int64, kind Reminder, at time.Time) error
	// Pickups returns the bookings paid or ready, not collected, whose pickup reminder has not gone
	// out yet (their ready notice may have), in id order.
	Pickups() ([]Pickup, error)
	// MarkPickupNotified records that the ready notice naming from went to a booking at.
	MarkPickupNotified(id int64, from string, at time.Time) error
	// MarkPickupReminded records that the pickup reminder went to a booking at.
	MarkPickupReminded(id int64, at time.Time) error
	// ErasePersonalData erases names, phone numbers, chats and texts: of bookings dated before
	// date, and of conversations, inbox and outbox messages, waiting-list entries and job records
	// last touched before t. Bookings keep their date, number, status and type, so counts survive.
	ErasePersonalData(date string, t time.Time) (Erased, error)
}

// Reminder is a kind of appointment reminder; each goes to a booking at most once, ever.
type Reminder string

// The reminders.
const (
	ReminderEvening Reminder = "evening" // the evening before the visit
	ReminderMorning Reminder = "morning" // the morning of the visit (off by default)
)

// Pickup is a paid booking whose passport waits for collection, and how far its notices got.
type Pickup struct {
	Booking
	PaidAt     time.Time // zero when not marked paid
	ReadyAt    time.Time // zero when staff did not mark it ready
	From       string    // the date the ready notice named; "" until it went out
	NotifiedAt time.Time // when the ready notice went out; zero until then
}

// Erased counts what one retention run erased.
type Erased struct {
	Bookings      int // bookings made anonymous
	Conversations int // conversations deleted
	Inbox         int // incoming messages emptied
	Outbox        int // outgoing messages emptied
	Waitlist      int // waiting-list entries deleted
	JobRuns       int // job records deleted
}
