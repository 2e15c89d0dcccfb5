package schedule_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"law/clock"
	"law/schedule"
	"law/store/storetest"
)

var jakarta = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		// Without a zone database the office's times cannot be tested at all.
		return time.FixedZone("WIB", 7*60*60)
	}
	return loc
}()

// wib is a time in the office's zone.
func wib(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, jakarta)
	if err != nil {
		panic(err) // a typo in a test's own constant
	}
	return t
}

// call is one run of a job, as the job saw it.
type call struct {
	job      string
	due, now time.Time
}

func (c call) String() string {
	return fmt.Sprintf("%s due %s now %s", c.job, c.due.In(jakarta).Format("01-02 15:04:05"),
		c.now.In(jakarta).Format("01-02 15:04:05"))
}

// recorder is a set of jobs that record their calls.
type recorder struct {
	mu    sync.Mutex
	calls []call
	ch    chan call
}

func newRecorder() *recorder { return &recorder{ch: make(chan call, 100)} }

func (r *recorder) job(name, spec string) schedule.Job {
	return schedule.Job{Name: name, Spec: spec, Run: func(_ context.Context, due, now time.Time) error {
		r.add(call{name, due, now})
		return nil
	}}
}

func (r *recorder) add(c call) {
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
	r.ch <- c
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s []string
	for _, c := range r.calls {
		s = append(s, c.String())
	}
	r.calls = nil
	for len(r.ch) > 0 {
		<-r.ch
	}
	return s
}

// next waits for the next call of a job running under Run.
func (r *recorder) next(t *testing.T) call {
	t.Helper()
	select {
	case c := <-r.ch:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no job ran")
		return call{}
	}
}

func newScheduler(t *testing.T, clock clock.Clock, jobs ...schedule.Job) (*schedule.Scheduler, *storetest.LogBuffer) {
	t.Helper()
	t.Setenv("TZ", "UTC") // the machine's zone must not matter
	logs := &storetest.LogBuffer{}
	s, err := schedule.New(jakarta, clock, slog.New(slog.NewTextHandler(logs, nil)), jobs...)
	if err != nil {
		t.Fatal(err)
	}
	return s, logs
}

func same(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

func TestRunDueRunsEveryOccurrenceInOfficeTime(t *testing.T) {
	r := newRecorder()
	s, _ := newScheduler(t, anyClock(), r.job("rollover", "5 0 * * *"), r.job("evening", "0 18 * * *"),
		r.job("also_evening", "0 18 * * *"))
	// From noon on Monday to noon on Wednesday, WIB; the machine runs in UTC.
	from := wib("2026-11-30 12:00:00").UTC()
	if err := s.RunDue(context.Background(), from, from.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	same(t, "runs", r.take(), []string{
		"evening due 11-30 18:00:00 now 11-30 18:00:00",
		"also_evening due 11-30 18:00:00 now 11-30 18:00:00",
		"rollover due 12-01 00:05:00 now 12-01 00:05:00",
		"evening due 12-01 18:00:00 now 12-01 18:00:00",
		"also_evening due 12-01 18:00:00 now 12-01 18:00:00",
		"rollover due 12-02 00:05:00 now 12-02 00:05:00",
	})
	// (from, to]: an occurrence at from has run already; one at to runs now.
	if err := s.RunDue(context.Background(), wib("2026-12-02 18:00:00"), wib("2026-12-03 18:00:00")); err != nil {
		t.Fatal(err)
	}
	same(t, "bounds", r.take(), []string{
		"rollover due 12-03 00:05:00 now 12-03 00:05:00",
		"evening due 12-03 18:00:00 now 12-03 18:00:00",
		"also_evening due 12-03 18:00:00 now 12-03 18:00:00",
	})
}

func TestCatchUpRunsTheLatestOccurrenceOnce(t *testing.T) {
	r := newRecorder()
	s, _ := newScheduler(t, anyClock(), r.job("rollover", "5 0 * * *"), r.job("evening", "0 18 * * *"),
		r.job("weekly", "0 2 * * 0"), r.job("yearly", "0 0 1 1 *"))
	// Down for days; back on Thursday 08:00. from == to is the start of a run.
	now := wib("2026-12-03 08:00:00")
	if err := s.RunDue(context.Background(), now, now); err != nil {
		t.Fatal(err)
	}
	same(t, "catch-up", r.take(), []string{
		"rollover due 12-03 00:05:00 now 12-03 08:00:00",
		"evening due 12-02 18:00:00 now 12-03 08:00:00",
		"weekly due 11-29 02:00:00 now 12-03 08:00:00",
		"yearly due 01-01 00:00:00 now 12-03 08:00:00",
	})
	// An occurrence due exactly now is caught up too.
	now = wib("2026-12-03 18:00:00")
	if err := s.CatchUp(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	if got := r.take(); len(got) != 4 || got[1] != "evening due 12-03 18:00:00 now 12-03 18:00:00" {
		t.Errorf("catch-up at the due minute: %q", got)
	}
}

func TestPanicIsRecoveredAndLogged(t *testing.T) {
	r := newRecorder()
	boom := schedule.Job{Name: "boom", Spec: "0 18 * * *", Run: func(context.Context, time.Time, time.Time) error {
		panic("broken")
	}}
	failing := schedule.Job{Name: "failing", Spec: "0 18 * * *", Run: func(context.Context, time.Time, time.Time) error {
		return errors.New("database is gone")
	}}
	s, logs := newScheduler(t, anyClock(), boom, failing, r.job("after", "0 18 * * *"))
	from := wib("2026-12-01 17:00:00")
	if err := s.RunDue(context.Background(), from, from.Add(2*time.Hour)); err != nil {
		t.Fatalf("RunDue = %v; a job's failure must not stop the simulation", err)
	}
	same(t, "runs", r.take(), []string{"after due 12-01 18:00:00 now 12-01 18:00:00"})
	for _, want := range []string{"job panicked", "job=boom", "broken", "job failed", "job=failing",
		"database is gone"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	// The job is usable again: its lock was released.
	if err := s.RunDue(context.Background(), from.Add(2*time.Hour), from.Add(26*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if strings.Count(logs.String(), "job panicked") != 2 {
		t.Errorf("the second panic was not recovered:\n%s", logs)
	}
}

func TestNewRefusesBadJobs(t *testing.T) {
	run := func(context.Context, time.Time, time.Time) error { return nil }
	log := storetest.Quiet()
	for name, jobs := range map[string][]schedule.Job{
		"bad spec":  {{Name: "a", Spec: "at six", Run: run}},
		"repeated":  {{Name: "a", Spec: "0 6 * * *", Run: run}, {Name: "a", Spec: "0 7 * * *", Run: run}},
		"no name":   {{Spec: "0 6 * * *", Run: run}},
		"no runner": {{Name: "a", Spec: "0 6 * * *"}},
	} {
		if _, err := schedule.New(jakarta, anyClock(), log, jobs...); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// anyClock is for the tests of RunDue, which never reads the clock.
func anyClock() *clock.Manual { return clock.NewManual(wib("2026-12-01 00:00:00")) }

// idle waits until n goroutines wait on the clock: the scheduler has done what was due.
func idle(t *testing.T, c *clock.Manual, n int) {
	t.Helper()
	if k := c.AwaitWaiters(n, 5*time.Second); k < n {
		t.Fatalf("%d goroutines wait on the clock, want %d", k, n)
	}
}

// running starts Run and returns a stop function that cancels it and checks how it ended.
func running(t *testing.T, s *schedule.Scheduler) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	return func() {
		t.Helper()
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run = %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
	}
}

func TestRunFiresEachJobAtItsTime(t *testing.T) {
	clock := clock.NewManual(wib("2026-12-01 17:00:00"))
	r := newRecorder()
	s, _ := newScheduler(t, clock, r.job("rollover", "5 0 * * *"), r.job("evening", "0 18 * * *"))
	stop := running(t, s)
	defer stop()
	idle(t, clock, 2)
	got := r.take()
	same(t, "catch-up at start", sorted(got), []string{
		"evening due 11-30 18:00:00 now 12-01 17:00:00",
		"rollover due 12-01 00:05:00 now 12-01 17:00:00",
	})
	clock.Set(wib("2026-12-01 17:59:59"))
	idle(t, clock, 2)
	if got := r.take(); len(got) != 0 {
		t.Fatalf("ran early: %q", got)
	}
	clock.Set(wib("2026-12-01 18:00:00"))
	if c := r.next(t); c.String() != "evening due 12-01 18:00:00 now 12-01 18:00:00" {
		t.Fatalf("at 18:00 WIB: %s", c)
	}
	idle(t, clock, 2)
	clock.Set(wib("2026-12-02 00:05:00"))
	if c := r.next(t); c.String() != "rollover due 12-02 00:05:00 now 12-02 00:05:00" {
		t.Fatalf("at 00:05 WIB: %s", c)
	}
	idle(t, clock, 2)
	r.take()
	// Back from a suspend of two days: each job runs its latest occurrence once.
	clock.Set(wib("2026-12-04 19:00:00"))
	r.next(t)
	r.next(t)
	idle(t, clock, 2)
	same(t, "after a jump", sorted(r.take()), []string{
		"evening due 12-04 18:00:00 now 12-04 19:00:00",
		"rollover due 12-04 00:05:00 now 12-04 19:00:00",
	})
}

func TestRunNeverOverlapsAJob(t *testing.T) {
	clock := clock.NewManual(wib("2026-12-01 17:00:30"))
	release := make(chan struct{})
	var mu sync.Mutex
	active, most, runs := 0, 0, 0
	r := newRecorder()
	slow := schedule.Job{Name: "slow", Spec: "* * * * *", Run: func(_ context.Context, due, now time.Time) error {
		mu.Lock()
		active++
		most = max(most, active)
		runs++
		first := runs == 1
		mu.Unlock()
		r.add(call{"slow", due, now})
		if first {
			<-release // the first run lasts five minutes of the clock
		}
		mu.Lock()
		active--
		mu.Unlock()
		return nil
	}}
	s, _ := newScheduler(t, clock, slow)
	stop := running(t, s)
	defer stop()
	if c := r.next(t); c.String() != "slow due 12-01 17:00:00 now 12-01 17:00:30" {
		t.Fatalf("catch-up: %s", c)
	}
	clock.Set(wib("2026-12-01 17:05:30"))
	close(release)
	// The minutes passed during the run are not each run: the latest is, once.
	if c := r.next(t); c.String() != "slow due 12-01 17:05:00 now 12-01 17:05:30" {
		t.Fatalf("after the slow run: %s", c)
	}
	idle(t, clock, 1)
	clock.Set(wib("2026-12-01 17:06:00"))
	if c := r.next(t); c.String() != "slow due 12-01 17:06:00 now 12-01 17:06:00" {
		t.Fatalf("next minute: %s", c)
	}
	idle(t, clock, 1)
	mu.Lock()
	defer mu.Unlock()
	if most != 1 {
		t.Errorf("%d runs of one job at once", most)
	}
}

func TestRunRetriesAFailedOccurrence(t *testing.T) {
	clock := clock.NewManual(wib("2026-12-01 17:59:00"))
	r := newRecorder()
	failures := 2
	flaky := schedule.Job{Name: "evening", Spec: "0 18 * * *", Run: func(_ context.Context, due, now time.Time) error {
		r.add(call{"evening", due, now})
		if due.Equal(wib("2026-12-01 18:00:00")) && failures > 0 {
			failures--
			return errors.New("database is locked")
		}
		return nil
	}}
	s, logs := newScheduler(t, clock, flaky)
	stop := running(t, s)
	defer stop()
	r.next(t) // catch-up of yesterday's
	idle(t, clock, 1)
	clock.Set(wib("2026-12-01 18:00:00"))
	r.next(t)
	idle(t, clock, 1)
	clock.Set(wib("2026-12-01 18:01:00"))
	r.next(t)
	idle(t, clock, 1)
	clock.Set(wib("2026-12-01 18:02:00")) // the second retry waits two minutes
	idle(t, clock, 1)
	clock.Set(wib("2026-12-01 18:03:00"))
	r.next(t)
	idle(t, clock, 1)
	same(t, "runs", r.take(), []string{
		"evening due 11-30 18:00:00 now 12-01 17:59:00",
		"evening due 12-01 18:00:00 now 12-01 18:00:00",
		"evening due 12-01 18:00:00 now 12-01 18:01:00",
		"evening due 12-01 18:00:00 now 12-01 18:03:00",
	})
	if strings.Count(logs.String(), "job failed") != 2 {
		t.Errorf("failures not logged once each:\n%s", logs)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
