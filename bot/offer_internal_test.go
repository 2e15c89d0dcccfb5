package bot

import (
	"testing"
	"time"

	"law/config"
)

// TestHoldCoversTheOutboxWait: in a rush the offer waits its turn in the outbox, and the seat is
// held for hold_for after it can reach the applicant, within a bound.
func TestHoldCoversTheOutboxWait(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	b := New(cfg, nil, nil)
	if d := b.sendingDelay(); d != 0 {
		t.Errorf("without an outbox report the delay is %s", d)
	}
	for waiting, want := range map[int]time.Duration{0: 0, 120: 2 * time.Minute, 100000: maxSendingDelay} {
		b.SetStatus(HealthFunc(func() Health { return Health{Waiting: waiting} }))
		if d := b.sendingDelay(); d != want {
			t.Errorf("%d messages waiting at about one a second: the hold is lengthened by %s, want %s", waiting, d, want)
		}
	}
}
