package engine

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"law/clock"
	"law/clockcheck"
	"law/store"
)

// openGuard judges the clock at start (now) against the latest time db has seen, and records what
// the next start compares with: now when the clock is trusted (moved back too when the operator
// confirmed it with clockOK: the later time was the wrong one), else the time seen so far, so that
// a database from before the time was recorded keeps its evidence.
func openGuard(ctx context.Context, db *store.DB, now time.Time, clockOK bool, log *slog.Logger) (*clockcheck.Guard, error) {
	seen, err := db.LastSeen(ctx)
	if err != nil {
		return nil, err
	}
	g := clockcheck.New(seen, now, clockOK, log)
	switch {
	case g.Trusted():
		err = db.NoteTime(ctx, now, clockOK)
	case !seen.IsZero():
		err = db.NoteTime(ctx, seen, false)
	}
	if err != nil {
		return nil, fmt.Errorf("the database cannot be written: %w", err)
	}
	return g, nil
}

// catchUpWhenTrusted runs the jobs' catch-up each time the clock becomes trusted after it was
// doubted: the roll-over and retention held back then run, once (their runs were not recorded),
// and the time seen is reset to now, which the confirmation showed right. It returns when ctx ends.
func catchUpWhenTrusted(ctx context.Context, g *clockcheck.Guard, catchUp func(context.Context, time.Time) error,
	db *store.DB, clk clock.Clock, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-g.Regained():
		}
		now := clk.Now()
		if err := db.NoteTime(ctx, now, true); err != nil {
			log.Error("recording the confirmed time failed", "err", err)
		}
		_ = catchUp(ctx, now) // each job logs its own failure
	}
}
