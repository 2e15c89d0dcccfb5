package bot

import (
	"context"
	"errors"
	"time"
)

// State is where an applicant's conversation stands. It is stored as TEXT, so the database reads
// clearly and a restart resumes the conversation where it was.
type State string

// The conversation states.
const (
	StateNew           State = ""               // never written before
	StateMenu          State = "menu"           // the main menu was shown; no flow under way
	StateName          State = "ask_name"       // waiting for the full name
	StateType          State = "ask_type"       // waiting for the passport type
	StateDate          State = "ask_date"       // waiting for a date from the offered list
	StateWindow        State = "ask_window"     // waiting for an arrival window
	StateConfirm       State = "confirm"        // summary shown, waiting for ya/batal
	StateCancelChoose  State = "cancel_choose"  // several bookings, waiting for which to cancel
	StateCancelConfirm State = "cancel_confirm" // waiting for ya to cancel one booking
	StateWaitlist      State = "waitlist_offer" // every date full, waiting for ya to join the list
	StateOffer         State = "offer"          // the earliest seat shown and held, waiting for ya or another date
	StateMoveChoose    State = "move_choose"    // several bookings, waiting for which to move
)

// Lang is the language an applicant reads.
type Lang string

// The languages.
const (
	LangID Lang = "id"
	LangEN Lang = "en"
)

// Status is a booking's status, as stored and exported.
type Status string

// The booking statuses; PRODUCT.md fixes these words for `law export`.
const (
	StatusBooked    Status = "booked"
	StatusCalled    Status = "called"
	StatusServed    Status = "served"
	StatusNoShow    Status = "no_show"
	StatusCancelled Status = "cancelled"
)

// Active reports whether a booking still holds its seat and counts toward the fair-use limits.
func (s Status) Active() bool { return s == StatusBooked || s == StatusCalled }

// Incoming is one message from WhatsApp (or the simulator), reduced to what the bot may see.
type Incoming struct {
	ID    string    // message id; a repeated id is a redelivery
	Phone string    // sender's phone number, digits only; the key of applicants and staff
	LID   string    // sender's LID user part, when known
	Chat  string    // where replies go, as the transport addresses it
	Text  string    // text, caption or list reply; empty for media without caption
	Media bool      // an image, voice note, sticker... that carries no text
	At    time.Time // when it was received
	// SentAt is when the sender sent it, when the transport knows; messages that waited on
	// WhatsApp's side while the bot was down do not count as a flood when they arrive together.
	SentAt time.Time
}

// Outgoing is one reply or notice queued in the outbox.
type Outgoing struct {
	Seq       int64  // position in the outbox, set by the store
	ID        string // stable message id, chosen when queued, so a resend is the same message
	Chat      string
	Phone     string
	Text      string
	Bulk      bool // reminders and broadcasts: sent at the slow bulk pace
	CreatedAt time.Time
	Attempts  int
	// Rank orders waiting chats in a rush, lowest first: when the applicant's conversation
	// started, so that a flow under way goes before a newcomer's menu. Zero ranks by CreatedAt.
	Rank time.Time
}

// Conversation is an applicant's state between messages.
type Conversation struct {
	Phone string
	LID   string
	Chat  string
	Lang  Lang
	State State
	Draft Draft
	// Flood control: messages counted since FloodStart, and whether the one notice went out.
	FloodStart   time.Time
	FloodCount   int
	FloodNoticed bool
	UpdatedAt    time.Time
	// StartedAt is when the conversation started (new, or back after a long silence): the rank of
	// its replies in the sender's serving order.
	StartedAt time.Time
}

// Draft holds the answers of a flow under way, stored as JSON.
type Draft struct {
	Name     string   `json:"name,omitempty"`
	Type     string   `json:"type,omitempty"`
	Date     string   `json:"date,omitempty"`
	Window   int      `json:"window,omitempty"` // 1-based
	Dates    []string `json:"dates,omitempty"`  // dates offered, in order
	Windows  []int    `json:"windows,omitempty"`
	Bookings []int64  `json:"bookings,omitempty"` // bookings offered for cancelling or moving
	Cancel   int64    `json:"cancel,omitempty"`
	// Held is set while a seat is held for this flow (Date and Window name it); the flow's end
	// releases it.
	Held bool `json:"held,omitempty"`
	// Move is the booking being moved to another date or time ("ubah jadwal"); 0 for a new one.
	Move int64 `json:"move,omitempty"`
}

// Booking is one queue number on one day.
type Booking struct {
	ID        int64
	Date      string // "2006-01-02", office time
	Number    int
	Window    int // 1-based
	Name      string
	Type      string // passport type code
	Phone     string
	Chat      string
	Lang      Lang
	Status    Status
	CreatedAt time.Time
	CalledAt  time.Time
	Counter   string
	// Reschedules counts how many times the booking was moved from another date or time.
	Reschedules int
}

// Day is the staff's settings for one date; the zero value follows the configuration.
type Day struct {
	Date   string
	Quota  int // 0: the configured daily quota
	Closed bool
	Reason string
}

// Errors the store returns for refusals the conversation turns into words.
var (
	ErrSeatTaken = errors.New("no free seat in that window")
	ErrNameTaken = errors.New("that name already holds a booking on that date")
	ErrNotFound  = errors.New("not found")
)

// Store runs one unit of work in one write transaction, or a read in a read transaction.
type Store interface {
	// Update runs fn in a write transaction and commits it when fn returns nil.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction beside the writer: it sees one committed state,
	// and neither waits for the writer nor holds it up. It returns fn's error, or the store's.
	View(ctx context.Context, fn func(ReadTx) error) error
}

// ReadTx is what read-only work needs (the staff's lists, searches and statistics, the export).
// Every method is also Tx's; each returns an error wrapped with context when the database fails.
type ReadTx interface {
	// Day returns the staff's settings for a date (zero Day when none).
	Day(date string) (Day, error)
	// Days returns the staff's settings of the dates from..to (inclusive) that have any.
	Days(from, to string) (map[string]Day, error)
	// Bookings returns a date's bookings in number order, cancelled ones included.
	Bookings(date string) ([]Booking, error)
	// Booking returns one booking; ErrNotFound when there is none.
	Booking(id int64) (Booking, error)
	// FindBookings returns up to limit bookings, latest date first, whose name contains name (upper
	// case) or whose phone number contains digits; an empty argument matches nothing.
	FindBookings(name, digits string, limit int) ([]Booking, error)
	// IsStaffMember reports whether phone was made staff from chat (/staff add).
	IsStaffMember(phone string) (bool, error)
	// LastJobRun returns the latest occurrence of job recorded in job_runs ("2006-01-02 15:04"),
	// "" when none.
	LastJobRun(job string) (string, error)
	// Setting returns a setting the program stored, "" when unset.
	Setting(key string) (string, error)
	// Arrivals returns the check-ins and priority of a date's bookings that have any, by booking id.
	Arrivals(date string) (map[int64]Arrival, error)
	// StaffMembers returns the staff added from chat, in the order they were added.
	StaffMembers() ([]StaffMember, error)
}

// Tx is what the bot reads and writes inside one transaction. The store implements it; every
// method returns an error wrapped with context when the database fails.
type Tx interface {
	ReadTx
	CoreTx
	StaffTx  // staff.go's needs, in staff_tx.go
	JobsTx   // the clock's jobs' needs, in jobs_tx.go
	HoldTx   // seat holds, in holds_tx.go
	OfficeTx // check-ins, priority and calls, in office_tx.go
	StatusTx // /status's needs, in staff_status.go
}

// CoreTx is what the applicant conversation needs.
type CoreTx interface {
	// Claim marks an inbox message handled; false when it already was (a redelivery).
	Claim(msgID string, at time.Time) (bool, error)
	// NoteTime records at as the latest time LAW has seen, unless a later one is recorded
	// (clockcheck judges the clock at start against it).
	NoteTime(at time.Time) error
	// Conversation returns the applicant's conversation; State is StateNew when there is none.
	Conversation(phone string) (Conversation, error)
	// RekeyLID moves the records kept under LIDKey(lid) to phone, once the phone number behind a
	// LID is known; it reports whether there were any.
	RekeyLID(lid, phone string) (bool, error)
	SaveConversation(c Conversation) error
	// Send queues a message in the outbox; it goes out after the commit.
	Send(o Outgoing) error

	// Day returns the staff's settings for a date (zero Day when none).
	Day(date string) (Day, error)
	SetDay(d Day) error
	// FreeSeats lays the date's seats out as layout (seats per window) and returns the free seats
	// per window. It fails when the layout would drop a seat that is booked.
	FreeSeats(date string, layout []int) ([]int, error)
	// Days returns the staff's settings of the dates from..to (inclusive) that have any.
	Days(from, to string) (map[string]Day, error)
	// FreeSeatsOf is FreeSeats for many dates at once (date -> layout), in a few queries. A date
	// whose seats were never laid out has its whole layout free and is not laid out by reading.
	FreeSeatsOf(layouts map[string][]int) (map[string][]int, error)
	// Book gives b.Phone's held seat when it holds one in b.Window on b.Date (see HoldTx), else the
	// lowest free number of the window; any other hold of b.Phone is released. Holds lapsed at
	// b.CreatedAt are released first. ErrSeatTaken when the window is full, ErrNameTaken when the
	// name already holds an active booking that day.
	Book(b Booking, layout []int) (Booking, error)
	// Bookings returns a date's bookings in number order, cancelled ones included.
	Bookings(date string) ([]Booking, error)
	// NameDates returns the dates after after on which name holds a booked or called booking.
	NameDates(name, after string) ([]string, error)
	// ActiveBookings returns the phone's booked or called bookings on or after from.
	ActiveBookings(phone, from string) ([]Booking, error)
	// Booking returns one booking; ErrNotFound when there is none.
	Booking(id int64) (Booking, error)
	// SetStatus changes a booking's status.
	SetStatus(id int64, s Status, at time.Time) error
	// NoShows counts the phone's no-shows on dates on or after since, and returns the latest date.
	NoShows(phone, since string) (count int, last string, err error)

	// JoinWaitlist puts the applicant on the waiting list (once).
	JoinWaitlist(c Conversation, at time.Time) error
	// TakeWaitlist removes and returns up to n applicants, longest waiting first.
	TakeWaitlist(n int) ([]Conversation, error)
}
