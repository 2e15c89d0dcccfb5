package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"law/bot"
	"law/clock"
	"law/schedule"
	"law/sim"
	"law/store"
)

// newJobs returns the scheduler of the bot's jobs by the clock ([jobs] in the configuration), read
// in the office's time zone, on clock. It returns an error when a job's schedule does not parse,
// which a validated configuration rules out.
func newJobs(b *bot.Bot, clock clock.Clock, log *slog.Logger) (*schedule.Scheduler, error) {
	var jobs []schedule.Job
	for _, j := range b.ClockJobs() {
		jobs = append(jobs, schedule.Job{Name: j.Name, Spec: j.Spec, Run: j.Run})
	}
	return schedule.New(b.Location(), clock, log, jobs...)
}

// startJobs starts the clock's jobs for `law run` (run.go's jobStarter): it catches up on what fell
// due while the bot was down, then follows clock with a timer until ctx is done or stop is called.
// stop returns once no job is running. The jobs reach the database through the bot's store; db
// records the time when a doubted clock is confirmed, which runs the catch-up again.
func startJobs(ctx context.Context, b *bot.Bot, db *store.DB, clock clock.Clock,
	log *slog.Logger) (stop func(), err error) {
	s, err := newJobs(b, clock, log)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		_ = s.Run(ctx) // returns ctx's error, at stop; the jobs log their own failures
	})
	// The jobs held back while the clock was doubted run when it is confirmed (clockcheck).
	if g, ok := b.ClockTrust().(regainer); ok {
		wg.Go(func() { catchUpWhenTrusted(ctx, g, s.CatchUp, db, clock, log) })
	}
	return func() {
		cancel()
		wg.Wait()
	}, nil
}

// newSimJobs builds the clock's jobs for the simulator, on the simulator's clock.
func newSimJobs(b *bot.Bot, clk *clock.Sim) sim.Jobs {
	s, err := newJobs(b, clk, b.Logger())
	if err != nil {
		// sim.Options.NewJobs cannot fail; the error surfaces at the simulation's first RunDue.
		return brokenJobs{err}
	}
	return s
}

// brokenJobs reports why the jobs could not be built.
type brokenJobs struct{ err error }

func (j brokenJobs) RunDue(context.Context, time.Time, time.Time) error { return j.err }
