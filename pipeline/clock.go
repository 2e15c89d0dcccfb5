package pipeline

import (
	"context"
	"sync"
	"time"
)

// RealClock is the wall clock.
type RealClock struct{}

// Now returns the current time.
func (RealClock) Now() time.Time { return time.Now() }

// WaitUntil sleeps until t or until ctx is done.
func (RealClock) WaitUntil(ctx context.Context, t time.Time) (time.Time, error) {
	d := time.Until(t)
	if d <= 0 {
		return time.Now(), nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return time.Now(), ctx.Err()
	case <-timer.C:
		return time.Now(), nil
	}
}

// Virtual is false: the wall clock is real.
func (RealClock) Virtual() bool { return false }

// SimClock is the simulator's clock: it moves only when told to.
type SimClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewSimClock returns a clock stopped at t.
func NewSimClock(t time.Time) *SimClock { return &SimClock{t: t} }

// Now returns the simulated time.
func (c *SimClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *SimClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// WaitUntil returns t at once: the simulator does not sleep through pacing.
func (c *SimClock) WaitUntil(ctx context.Context, t time.Time) (time.Time, error) {
	return t, ctx.Err()
}

// Virtual is true.
func (c *SimClock) Virtual() bool { return true }
