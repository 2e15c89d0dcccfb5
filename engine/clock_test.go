package engine

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"law/clock"
	"law/store/storetest"
)

// A doubted start is confirmed while running: the catch-up runs then, once per confirmation, and
// the confirmed time is recorded even though it is earlier than the one seen before.
func TestCatchUpWhenTrusted(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wrong := time.Date(2027, 4, 1, 7, 0, 0, 0, time.UTC)
	if err := db.NoteTime(ctx, wrong, false); err != nil {
		t.Fatal(err)
	}
	right := time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC)
	g, err := openGuard(ctx, db, right, false, storetest.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	if g.Trusted() {
		t.Fatal("a clock four months behind the time seen is trusted")
	}
	var runs atomic.Int32
	ran := make(chan time.Time, 4)
	done := make(chan struct{})
	go func() {
		defer close(done)
		catchUpWhenTrusted(ctx, g, func(_ context.Context, now time.Time) error {
			runs.Add(1)
			ran <- now
			return nil
		}, db, clock.NewSim(right), storetest.Quiet())
	}()
	g.Observe(right.Add(-10*time.Second), right) // a message stamped by WhatsApp confirms it
	select {
	case now := <-ran:
		if !now.Equal(right) {
			t.Errorf("catch-up as of %v, want %v", now, right)
		}
	case <-time.After(10 * time.Second): // a bound on a hang, not a timing assertion
		t.Fatal("the confirmation ran no catch-up")
	}
	cancel()
	<-done
	if n := runs.Load(); n != 1 {
		t.Errorf("catch-up ran %d times, want once", n)
	}
	if seen, err := db.LastSeen(context.Background()); err != nil || !seen.Equal(right) {
		t.Errorf("LastSeen after the confirmation = %v, %v; want %v", seen, err, right)
	}
	// And the next start on the right clock is trusted at once.
	if g, err := openGuard(context.Background(), db, right.Add(time.Hour), false, storetest.Quiet()); err != nil || !g.Trusted() {
		t.Errorf("next start after the confirmation: trusted %v, %v", g != nil && g.Trusted(), err)
	}
}
