// Package schedule runs LAW's jobs by the clock: cron schedules (robfig/cron/v3, standard five
// fields) read in the office's time zone, on an injected clock. Run follows the real clock with a
// timer; RunDue replays a simulated clock's move, every occurrence in order. Both catch up, once,
// on what fell due while the program was down. Each job is recovered from panics and never runs
// twice at once; making a repeated occurrence harmless (and recording it) is the job's own part.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"law/clock"
)

// Job is one job by the clock.
type Job struct {
	Name string
	Spec string // "0 18 * * *": minute hour day-of-month month day-of-week, in the scheduler's zone
	// Run does the work of the occurrence due at due. now is the clock's time: equal to due on
	// time, later when catching up, so the job can tell what still makes sense. Running one
	// occurrence twice must do nothing the second time.
	Run func(ctx context.Context, due, now time.Time) error
}

// Scheduler runs jobs on a clock.
type Scheduler struct {
	loc   *time.Location
	clock clock.Clock
	log   *slog.Logger
	jobs  []*entry
}

type entry struct {
	Job
	sched cron.Schedule
	mu    sync.Mutex // held while the job runs, so that it never overlaps itself
}

// New returns a scheduler of jobs whose schedules are read in loc. It returns an error naming the
// job when a schedule does not parse, a name is empty or repeated, or Run is missing.
func New(loc *time.Location, clk clock.Clock, log *slog.Logger, jobs ...Job) (*Scheduler, error) {
	if loc == nil || clk == nil || log == nil {
		return nil, errors.New("schedule: location, clock and logger are required")
	}
	s := &Scheduler{loc: loc, clock: clk, log: log}
	seen := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		if j.Name == "" || seen[j.Name] {
			return nil, fmt.Errorf("schedule: job name %q is empty or repeated", j.Name)
		}
		seen[j.Name] = true
		if j.Run == nil {
			return nil, fmt.Errorf("schedule: job %s has nothing to run", j.Name)
		}
		sched, err := cron.ParseStandard(j.Spec)
		if err != nil {
			return nil, fmt.Errorf("schedule: job %s: %w", j.Name, err)
		}
		s.jobs = append(s.jobs, &entry{Job: j, sched: sched})
	}
	return s, nil
}

// next returns the job's first occurrence after t, as robfig's Cron with WithLocation computes it:
// the schedule read in loc. Zero when there is none within five years.
func (s *Scheduler) next(e *entry, t time.Time) time.Time {
	return e.sched.Next(t.In(s.loc))
}

// lookbacks are how far back catch-up looks for a job's latest occurrence: a day covers the
// daily jobs cheaply; weekly, monthly and yearly schedules need the longer looks.
var lookbacks = []time.Duration{26 * time.Hour, 8 * 24 * time.Hour, 32 * 24 * time.Hour, 367 * 24 * time.Hour}

// latest returns the job's last occurrence in (after, upTo], and whether there is one.
func (s *Scheduler) latest(e *entry, after, upTo time.Time) (time.Time, bool) {
	var last time.Time
	for t := s.next(e, after); !t.IsZero() && !t.After(upTo); t = s.next(e, t) {
		last = t
	}
	return last, !last.IsZero()
}

// lastDue returns the job's latest occurrence at or before now, looking back at most a year.
func (s *Scheduler) lastDue(e *entry, now time.Time) (time.Time, bool) {
	for _, back := range lookbacks {
		if t, ok := s.latest(e, now.Add(-back), now); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// run runs one occurrence, waiting for a run of the same job still under way. A panic becomes an
// error; failures are logged here, once, and returned.
func (s *Scheduler) run(ctx context.Context, e *entry, due, now time.Time) (err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("job panicked", "job", e.Name, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("job %s panicked: %v", e.Name, r)
		}
		if err != nil && ctx.Err() == nil {
			s.log.Error("job failed", "job", e.Name, "due", due.In(s.loc).Format(time.RFC3339), "err", err)
		}
	}()
	s.log.Debug("job starts", "job", e.Name, "due", due.In(s.loc).Format(time.RFC3339),
		"late", now.Sub(due).Round(time.Second).String())
	return e.Run(ctx, due, now)
}

// CatchUp runs, once, each job's latest occurrence at or before now, as of now: what fell due
// while the program was down. An occurrence that already ran is the job's to skip. A job's failure
// is logged and does not stop the others; CatchUp returns only ctx's error.
func (s *Scheduler) CatchUp(ctx context.Context, now time.Time) error {
	for _, e := range s.jobs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if due, ok := s.lastDue(e, now); ok {
			_ = s.run(ctx, e, due, now) // logged in run
		}
	}
	return ctx.Err()
}

// RunDue runs every occurrence of every job in (from, to], in time order (jobs due at the same
// minute in the order given to New), each as of its due time: the simulator moving its clock.
// from equal to to is the start of a run: CatchUp(to). A job's failure is logged and does not stop
// the others; RunDue returns only ctx's error.
func (s *Scheduler) RunDue(ctx context.Context, from, to time.Time) error {
	if !to.After(from) {
		return s.CatchUp(ctx, to)
	}
	type occurrence struct {
		at  time.Time
		job int
	}
	var due []occurrence
	for i, e := range s.jobs {
		for t := s.next(e, from); !t.IsZero() && !t.After(to); t = s.next(e, t) {
			due = append(due, occurrence{t, i})
		}
	}
	sort.SliceStable(due, func(i, j int) bool { return due[i].at.Before(due[j].at) })
	for _, o := range due {
		if err := ctx.Err(); err != nil {
			return err
		}
		_ = s.run(ctx, s.jobs[o.job], o.at, o.at) // logged in run
	}
	return ctx.Err()
}

// Retries of a failed occurrence wait this long, doubling, until the next occurrence is due.
const (
	firstRetry = time.Minute
	maxRetry   = 30 * time.Minute
)

// Run follows a real clock until ctx is done: it catches up at start, then each job waits on a
// timer for its next occurrence. A job still running when its next occurrence falls due runs that
// one when it finishes, once, however many were passed. A failed occurrence is retried with a
// growing pause until it succeeds or the next one is due. Run returns ctx's error after the jobs
// under way have finished.
func (s *Scheduler) Run(ctx context.Context) error {
	start := s.clock.Now()
	var wg sync.WaitGroup
	for _, e := range s.jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.loop(ctx, e, start)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// loop is one job's life under Run. Each job has its own, so a slow job delays no other.
func (s *Scheduler) loop(ctx context.Context, e *entry, start time.Time) {
	due, ok := s.lastDue(e, start) // catch-up
	last := start                  // occurrences up to here are handled
	for {
		if ok {
			s.runWithRetry(ctx, e, due, last)
			if ctx.Err() != nil {
				return
			}
		}
		// Counting from last, not from when the run ended: an occurrence that fell due while the
		// job ran is found at once below, and run once.
		next := s.next(e, last)
		if next.IsZero() {
			s.log.Warn("job has no further occurrence", "job", e.Name)
			return
		}
		reached, err := s.clock.WaitUntil(ctx, next)
		if err != nil {
			return
		}
		// A timer may wake a hair early against the wall clock, or late after a suspend: take the
		// latest occurrence that has come, and wait again when none has.
		if due, ok = s.latest(e, last, reached); ok {
			last = reached
		}
	}
}

// runWithRetry runs an occurrence and, while it fails, retries it after a growing pause, giving up
// when the next occurrence would come first: that one does the work instead.
func (s *Scheduler) runWithRetry(ctx context.Context, e *entry, due, now time.Time) {
	wait := firstRetry
	for {
		if s.run(ctx, e, due, now) == nil || ctx.Err() != nil {
			return
		}
		retryAt := s.clock.Now().Add(wait)
		if next := s.next(e, due); !next.IsZero() && !retryAt.Before(next) {
			s.log.Warn("job gives up until its next occurrence", "job", e.Name,
				"due", due.In(s.loc).Format(time.RFC3339))
			return
		}
		var err error
		if now, err = s.clock.WaitUntil(ctx, retryAt); err != nil {
			return
		}
		wait = min(2*wait, maxRetry)
	}
}
