package bot

import "time"

// StaffTx is what the staff commands need beyond CoreTx.
type StaffTx interface {
	// IsStaffMember reports whether phone was made staff from chat (/staff add). Staff in the
	// configuration are not in the database; Bot checks both.
	IsStaffMember(phone string) (bool, error)
	// AddStaff adds a member; false when the phone already is one.
	AddStaff(m StaffMember) (bool, error)
	// RemoveStaff removes a member added from chat; false when the phone was none.
	RemoveStaff(phone string) (bool, error)

	// Audit records what a staff member did.
	Audit(a AuditEntry) error

	// StaffState returns a staff member's counter, last call and broadcast draft; the zero value
	// (with Phone set) when there is none.
	StaffState(phone string) (StaffState, error)
	SaveStaffState(s StaffState) error

	// Call marks a booking called to counter at at; ErrNotFound when there is no such booking.
	Call(id int64, counter string, at time.Time) error
	// MarkNear records that a booking was told its turn is near; false when it already was, so
	// that nobody hears it twice.
	MarkNear(id int64, at time.Time) (bool, error)

	// FindBookings returns up to limit bookings, latest date first, whose name contains name (upper
	// case) or whose phone number contains digits; an empty argument matches nothing.
	FindBookings(name, digits string, limit int) ([]Booking, error)

	// NoteClosed remembers the bookings that closing date cancelled, so that /open can restore them.
	NoteClosed(date string, ids []int64) error
	// RestoreBooking makes a cancelled booking booked again; false when its seat is no longer open
	// or is held by another booking, or its name holds another booking that day.
	RestoreBooking(id int64, at time.Time) (bool, error)
	// TakeClosed returns and forgets the bookings that closing date cancelled, in no set order.
	TakeClosed(date string) ([]int64, error)
}

// StaffMember is a staff member added from chat by an admin. Members only: who may grant access
// stays in the configuration file, in the operator's hands.
type StaffMember struct {
	Phone   string
	AddedBy string
	AddedAt time.Time
}

// AuditEntry is one staff action: who did what, when, to which date or booking.
type AuditEntry struct {
	At      time.Time
	Staff   string // the staff member's phone number
	Action  string // the command's name: "next", "close", ...
	Date    string // the date acted on, when there is one
	Booking int64  // the booking acted on, 0 when none
	Detail  string // short: the counter, the new quota, the reason; never an applicant's name
}

// StaffState is what the bot remembers of one staff member between commands.
type StaffState struct {
	Phone    string
	Counter  string // the counter of the last /next, reused when /next names none
	LastCall int64  // booking id of the last /next, for /recall
	// A /broadcast waiting for its confirmation; Text is empty when none.
	BroadcastDate string
	BroadcastText string
	BroadcastAt   time.Time
}
