package clock

import (
	"context"
	"sync"
	"time"
)

// The two clocks below are for tests: they behave as wall clocks (Virtual is false), so that the
// code under test takes the real bot's paths, but the test decides when time passes.

// Jump is a wall clock that jumps instead of sleeping: WaitUntil moves it forward at once, so the
// times a paced sender picks can be checked exactly.
type Jump struct {
	mu  sync.Mutex
	now time.Time
}

// NewJump returns a jumping clock at t.
func NewJump(t time.Time) *Jump { return &Jump{now: t} }

// Now returns the clock's time.
func (c *Jump) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// WaitUntil moves the clock to t when t is later, and returns at once.
func (c *Jump) WaitUntil(ctx context.Context, t time.Time) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return c.now, err
	}
	if t.After(c.now) {
		c.now = t
	}
	return c.now, nil
}

// Virtual is false: the code under test treats it as the wall clock.
func (c *Jump) Virtual() bool { return false }

// Manual is a clock the test moves; WaitUntil blocks until the test sets a time at or past t.
type Manual struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	added   chan struct{} // poked when a waiter is added
}

type waiter struct {
	t  time.Time
	ch chan time.Time
}

// NewManual returns a manual clock stopped at t.
func NewManual(t time.Time) *Manual { return &Manual{now: t, added: make(chan struct{}, 1)} }

// Now returns the clock's time.
func (c *Manual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Virtual is false: the code under test treats it as the wall clock.
func (c *Manual) Virtual() bool { return false }

// WaitUntil blocks until Set reaches t or ctx ends.
func (c *Manual) WaitUntil(ctx context.Context, t time.Time) (time.Time, error) {
	c.mu.Lock()
	if !t.After(c.now) {
		defer c.mu.Unlock()
		return c.now, nil
	}
	w := waiter{t, make(chan time.Time, 1)}
	c.waiters = append(c.waiters, w)
	c.mu.Unlock()
	select {
	case c.added <- struct{}{}:
	default:
	}
	select {
	case now := <-w.ch:
		return now, nil
	case <-ctx.Done():
		c.mu.Lock()
		for i, x := range c.waiters {
			if x.ch == w.ch {
				c.waiters = append(c.waiters[:i], c.waiters[i+1:]...)
				break
			}
		}
		defer c.mu.Unlock()
		return c.now, ctx.Err()
	}
}

// Set moves the clock, waking the waiters whose time has come.
func (c *Manual) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if w.t.After(t) {
			keep = append(keep, w)
			continue
		}
		w.ch <- t
	}
	c.waiters = keep
}

// AwaitWaiters waits until n goroutines wait on the clock (the code under test has done what was
// due and sleeps), at most timeout; it returns how many wait at the end.
func (c *Manual) AwaitWaiters(n int, timeout time.Duration) int {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		k := len(c.waiters)
		c.mu.Unlock()
		if k >= n {
			return k
		}
		select {
		case <-c.added:
		case <-deadline.C:
			return k
		}
	}
}
