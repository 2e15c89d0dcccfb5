// Package clock is LAW's one notion of time: the wall clock for the real bot, and a clock that
// moves only when told to for the simulator and the tests. The pipeline's sender, the scheduler's
// jobs and the simulator all take a Clock, so one test can drive all of them from one hand.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time and waits. The real clock sleeps; a virtual one returns at once with the
// time the real one would have reached, so that replies carry the time they would be sent at.
type Clock interface {
	Now() time.Time
	// WaitUntil waits until t (or returns at once for a virtual clock) and returns the time reached;
	// ctx's error when ctx ends first.
	WaitUntil(ctx context.Context, t time.Time) (time.Time, error)
	// Virtual reports whether the clock is simulated: then a message's earliest time is when it was
	// queued, not the wall clock.
	Virtual() bool
}

// Real is the wall clock.
type Real struct{}

// Now returns the current time.
func (Real) Now() time.Time { return time.Now() }

// WaitUntil sleeps until t or until ctx is done.
func (Real) WaitUntil(ctx context.Context, t time.Time) (time.Time, error) {
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
func (Real) Virtual() bool { return false }

// Sim is the simulator's clock: it moves only when told to, and never sleeps.
type Sim struct {
	mu sync.Mutex
	t  time.Time
}

// NewSim returns a clock stopped at t.
func NewSim(t time.Time) *Sim { return &Sim{t: t} }

// Now returns the simulated time.
func (c *Sim) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Sim) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Advance moves the clock on by d and returns the new time.
func (c *Sim) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// WaitUntil returns t at once: the simulator does not sleep through pacing.
func (c *Sim) WaitUntil(ctx context.Context, t time.Time) (time.Time, error) {
	return t, ctx.Err()
}

// Virtual is true.
func (c *Sim) Virtual() bool { return true }
