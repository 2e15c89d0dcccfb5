package pipeline

import (
	"fmt"
	"testing"
	"time"

	"law/bot"
)

// TestPermanentFailureDoesNotHoldBackTheChat: a message no retry can deliver is given up at once,
// and the same chat's next replies go at once, not after a backoff.
func TestPermanentFailureDoesNotHoldBackTheChat(t *testing.T) {
	t.Parallel()
	out := newMemOutbox()
	out.add(msg("A1", "a"), msg("A2", "a"), msg("A3", "a"))
	tr := &fakeTransport{fail: func(o bot.Outgoing, _ int) error {
		if o.ID == "A1" {
			return fmt.Errorf("send: no LID found (%w)", ErrPermanent)
		}
		return nil
	}}
	got := runSender(t, out, tr, Pace{Global: time.Second, Chat: time.Second, MaxAttempts: 3}, 3)
	if fmt.Sprint(got) != "[failed A1 true sent A2 sent A3]" {
		t.Errorf("outbox updates %v, want A1 given up and A2, A3 sent", got)
	}
	// Nothing went out for A1, so A2 needs no pause after it.
	checkCalls(t, tr.log(), []sendCall{{"A1", t0}, {"A2", t0}, {"A3", t0.Add(time.Second)}})
}
