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
	// EraseBatch does up to limit rows of one step of retention's erasure (see EraseStep) and
	// returns how many it did; fewer than limit means the step is done. Running it again does
	// nothing more.
	EraseBatch(step EraseStep, e Erasure, limit int) (int, error)
	// SaveSetting stores a setting the program learnt (such as how far retention erased).
	SaveSetting(key, value string) error
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

// EraseStep is one part of what the retention job erases, done in small batches so that no
// handler waits long behind it.
type EraseStep string

// The retention's steps, in the order they run.
const (
	// EraseNoShows makes old bookings still booked or called no-shows: once their names are
	// emptied they would collide on the one-active-booking-per-name index. The roll-over does
	// this long before; this catches any it missed.
	EraseNoShows EraseStep = "no_shows"
	// EraseBookings empties the name, phone number and chat of bookings dated before e.Date; they
	// keep date, number, window, type and status, so counts stay right.
	EraseBookings EraseStep = "bookings"
	// EraseConversations deletes conversations last touched before e.Before.
	EraseConversations EraseStep = "conversations"
	// EraseInbox deletes handled incoming messages received before e.Forget.
	EraseInbox EraseStep = "inbox"
	// EraseInboxText empties handled incoming messages received before e.Before that stay for
	// redelivery detection (when the retention is shorter than WhatsApp's redelivery period).
	EraseInboxText EraseStep = "inbox_text"
	// EraseOutbox deletes messages sent (or given up) that were queued before e.Before.
	EraseOutbox EraseStep = "outbox"
	// EraseAudit empties the staff phone, and the free texts (reasons, broadcasts, phones added),
	// of audit rows before e.Before; the rows stay, with their action, date and booking.
	EraseAudit EraseStep = "audit"
	// EraseWaitlist deletes waiting-list entries joined before e.Before.
	EraseWaitlist EraseStep = "waitlist"
	// EraseJobRuns deletes job records of runs before e.Before: not personal, but the table would
	// only grow; catch-up looks at recent runs only.
	EraseJobRuns EraseStep = "job_runs"
)

// EraseSteps is every step, in the order the retention job runs them.
var EraseSteps = []EraseStep{EraseNoShows, EraseBookings, EraseConversations, EraseInbox, EraseInboxText,
	EraseOutbox, EraseAudit, EraseWaitlist, EraseJobRuns}

// Erasure is one retention run's cut-offs.
type Erasure struct {
	Date   string    // bookings dated before it lose their personal data
	Before time.Time // the rest: personal data of what was last touched before it
	// Forget is when handled incoming messages are deleted, id and all: the earlier of Before and
	// WhatsApp's redelivery period back, so that a redelivery is still recognised.
	Forget time.Time
	At     time.Time // the run's time, stamped on the bookings it changes
}

// Erased counts what one retention run erased, by step.
type Erased map[EraseStep]int
