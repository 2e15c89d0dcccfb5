package bot

import "time"

// JobsTx is what the clock's jobs (and the pickup commands) need beyond CoreTx.
type JobsTx interface {
	// MarkPaid records that a booking's fee was paid at; the pickup job tells the applicant when the
	// passport can be collected.
	MarkPaid(id int64, at time.Time) error
	// MarkReady records that a booking's passport is ready for pickup at.
	MarkReady(id int64, at time.Time) error
}
