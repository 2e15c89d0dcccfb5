package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"law/bot"
	"law/clock"
	"law/config"
	"law/sim"
	"law/store"
)

// jobsWorld is the bot's database and configuration, reopened as a restart would.
type jobsWorld struct {
	t    *testing.T
	cfg  *config.Config
	path string
	db   *store.DB
}

func newJobsWorld(t *testing.T) *jobsWorld {
	t.Helper()
	t.Setenv("TZ", "UTC") // the office is in Asia/Jakarta; the machine's zone must not matter
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	w := &jobsWorld{t: t, cfg: cfg, path: filepath.Join(t.TempDir(), "law.db")}
	w.reopen()
	return w
}

func (w *jobsWorld) reopen() {
	w.t.Helper()
	if w.db != nil {
		w.db.Close()
	}
	db, err := store.Open(context.Background(), w.path)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { db.Close() })
	w.db = db
}

// start is a program start at now: a fresh bot and scheduler on the simulator's clock.
func (w *jobsWorld) start(now time.Time) (*bot.Bot, *clock.Sim, sim.Jobs) {
	w.t.Helper()
	clock := clock.NewSim(now)
	b := bot.New(w.cfg, w.db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return b, clock, newSimJobs(b, clock)
}

func (w *jobsWorld) wib(s string) time.Time {
	w.t.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, w.cfg.Location())
	if err != nil {
		w.t.Fatal(err)
	}
	return t
}

func (w *jobsWorld) book(date string, window int, name, phone string) bot.Booking {
	w.t.Helper()
	var bk bot.Booking
	err := w.db.Update(context.Background(), func(tx bot.Tx) error {
		var err error
		bk, err = tx.Book(bot.Booking{Date: date, Window: window, Name: name, Type: "EP10", Phone: phone,
			Chat: phone, Lang: bot.LangID, CreatedAt: w.wib("2026-11-25 10:00")},
			bot.Split(w.cfg.Queue.DailyQuota, len(w.cfg.Windows())))
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return bk
}

// move runs the jobs due as the clock moves to to, as the simulator does.
func (w *jobsWorld) move(jobs sim.Jobs, clock *clock.Sim, to time.Time) {
	w.t.Helper()
	if err := jobs.RunDue(context.Background(), clock.Now(), to); err != nil {
		w.t.Fatal(err)
	}
	clock.Set(to)
}

// queued returns the phones of the messages queued since the last call, marking them sent.
func (w *jobsWorld) queued() []string {
	w.t.Helper()
	ctx := context.Background()
	out, err := w.db.Pending(ctx, 0, 1000)
	if err != nil {
		w.t.Fatal(err)
	}
	var phones []string
	for _, o := range out {
		phones = append(phones, o.Phone+"@"+o.CreatedAt.In(w.cfg.Location()).Format("01-02 15:04"))
		if err := w.db.MarkSent(ctx, o.ID, o.CreatedAt); err != nil {
			w.t.Fatal(err)
		}
	}
	return phones
}

func (w *jobsWorld) runs() string {
	w.t.Helper()
	rows, err := w.db.SQL().Query(`SELECT job || ' ' || due FROM job_runs ORDER BY due, job`)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var s []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			w.t.Fatal(err)
		}
		s = append(s, r)
	}
	return strings.Join(s, "\n")
}

func (w *jobsWorld) status(id int64) bot.Status {
	w.t.Helper()
	var s bot.Status
	err := w.db.Update(context.Background(), func(tx bot.Tx) error {
		bk, err := tx.Booking(id)
		s = bk.Status
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

func TestJobsFireAtTheirTimeInJakarta(t *testing.T) {
	w := newJobsWorld(t)
	tue := w.book("2026-12-01", 1, "ANI", "6281000000001")
	mon := w.book("2026-12-07", 1, "BUDI", "6281000000002")
	_, clock, jobs := w.start(w.wib("2026-11-30 12:00"))

	w.move(jobs, clock, w.wib("2026-11-30 17:59"))
	if got := w.queued(); len(got) != 0 {
		t.Fatalf("before 18:00 WIB (11:00 UTC): %q", got)
	}
	w.move(jobs, clock, w.wib("2026-11-30 18:00"))
	if got := strings.Join(w.queued(), ","); got != "6281000000001@11-30 18:00" {
		t.Fatalf("at 18:00 WIB: %q", got)
	}
	w.move(jobs, clock, w.wib("2026-12-02 00:04"))
	if s := w.status(tue.ID); s != bot.StatusBooked {
		t.Fatalf("before the roll-over, Tuesday's booking is %s", s)
	}
	w.move(jobs, clock, w.wib("2026-12-02 00:05"))
	if s := w.status(tue.ID); s != bot.StatusNoShow {
		t.Fatalf("after the roll-over, Tuesday's booking is %s", s)
	}
	// Friday's and Saturday's evenings have nobody for the weekend; Sunday's reminds Monday.
	w.move(jobs, clock, w.wib("2026-12-06 17:00"))
	if got := w.queued(); len(got) != 0 {
		t.Fatalf("over the weekend: %q", got)
	}
	w.move(jobs, clock, w.wib("2026-12-06 18:30"))
	if got := strings.Join(w.queued(), ","); got != "6281000000002@12-06 18:00" {
		t.Fatalf("Sunday evening: %q", got)
	}
	if s := w.status(mon.ID); s != bot.StatusBooked {
		t.Errorf("Monday's booking is %s", s)
	}
	want := strings.Join([]string{
		"evening_reminder 2026-11-30 18:00",
		"rollover 2026-12-01 00:05",
		"retention 2026-12-01 01:30",
		"pickup_check 2026-12-01 08:00",
		"evening_reminder 2026-12-01 18:00",
		"rollover 2026-12-02 00:05",
	}, "\n")
	if got := w.runs(); !strings.HasPrefix(got, want) {
		t.Errorf("job runs, in office time:\n%s\nwant them to start with\n%s", got, want)
	}
}

func TestCatchUpAfterDowntimeOnceAndNoReminderTwice(t *testing.T) {
	w := newJobsWorld(t)
	early := w.book("2026-12-01", 1, "ANI", "6281000000001") // 07:30–09:00
	late := w.book("2026-12-01", 2, "BUDI", "6281000000002") // 09:00–10:30
	prev := w.book("2026-11-27", 1, "CICI", "6281000000003") // last Friday, never came
	_, clock, jobs := w.start(w.wib("2026-11-30 10:00"))
	w.move(jobs, clock, w.wib("2026-11-30 17:00"))
	w.queued()

	// Down from 17:00 until 08:00 the next day; the database is reopened by the new process.
	w.reopen()
	_, clock, jobs = w.start(w.wib("2026-12-01 08:00"))
	w.move(jobs, clock, clock.Now()) // the simulator's start: catch-up
	if got := strings.Join(w.queued(), ","); got != "6281000000002@12-01 08:00" {
		t.Fatalf("catch-up reminded %q, want only the applicant whose window has not begun", got)
	}
	for _, r := range []string{"evening_reminder 2026-11-30 18:00", "rollover 2026-12-01 00:05"} {
		if !strings.Contains(w.runs(), r) {
			t.Errorf("catch-up did not record %q:\n%s", r, w.runs())
		}
	}
	if s := w.status(prev.ID); s != bot.StatusNoShow {
		t.Errorf("last Friday's booking is %s after the catch-up roll-over", s)
	}
	if s := w.status(early.ID); s != bot.StatusBooked {
		t.Errorf("today's booking is %s", s)
	}

	// Another restart a minute later, and the next evening: nobody is reminded twice.
	w.reopen()
	_, clock, jobs = w.start(w.wib("2026-12-01 08:01"))
	w.move(jobs, clock, clock.Now())
	w.move(jobs, clock, w.wib("2026-12-02 09:00"))
	if got := w.queued(); len(got) != 0 {
		t.Errorf("after a second restart: %q", got)
	}
	if s := w.status(late.ID); s != bot.StatusNoShow {
		t.Errorf("a reminded applicant who never came is %s", s)
	}
}

// TestSimulatorSendsTheEveningReminder books through `law simulate` and moves its clock past
// 18:00 on the day before: the reminder is printed at 18:00 WIB, once, even across a second run.
func TestSimulatorSendsTheEveningReminder(t *testing.T) {
	w := newJobsWorld(t)
	input := strings.Join([]string{
		`{"from":"6281234567890","text":"halo"}`,
		`{"from":"6281234567890","text":"1"}`,
		`{"from":"6281234567890","text":"Budi Santoso"}`,
		`{"from":"6281234567890","text":"1"}`,
		`{"from":"6281234567890","text":"1"}`,
		`{"from":"6281234567890","text":"2"}`,
		`{"from":"6281234567890","text":"ya"}`,
		`{"sync":true}`,
		`{"at":"2026-11-30T17:59:00+07:00"}`,
		`{"sync":true}`,
		`{"at":"2026-11-30T18:00:30+07:00"}`,
	}, "\n")
	out := simulateJobs(t, w, w.wib("2026-11-30 10:00"), input)
	var reminders []sim.Output
	for _, o := range out {
		if strings.Contains(o.Text, "Pengingat") {
			reminders = append(reminders, o)
		}
	}
	if len(reminders) != 1 {
		t.Fatalf("%d reminders in:\n%+v", len(reminders), out)
	}
	r := reminders[0]
	if r.To != "6281234567890" || r.At != "2026-11-30T18:00:00+07:00" {
		t.Errorf("reminder to %s at %s, want 6281234567890 at 2026-11-30T18:00:00+07:00", r.To, r.At)
	}
	for _, want := range []string{"*011*", "BUDI SANTOSO", "Selasa, 1 Desember 2026", "09:00–10:30 WIB"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("reminder lacks %q:\n%s", want, r.Text)
		}
	}

	w.reopen()
	out = simulateJobs(t, w, w.wib("2026-11-30 19:00"), `{"advance":"3h"}`)
	if len(out) != 0 {
		t.Errorf("a second run printed %+v", out)
	}
}

func simulateJobs(t *testing.T, w *jobsWorld, now time.Time, input string) []sim.Output {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := sim.Run(context.Background(), sim.Options{Config: w.cfg, DB: w.db, Now: now,
		In: strings.NewReader(input), Out: &stdout, Err: &stderr,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), NewJobs: newSimJobs})
	if err != nil {
		t.Fatal(err)
	}
	if stderr.Len() > 0 {
		t.Fatalf("simulator complained: %s", stderr.String())
	}
	var out []sim.Output
	dec := json.NewDecoder(&stdout)
	for dec.More() {
		var o sim.Output
		if err := dec.Decode(&o); err != nil {
			t.Fatal(err)
		}
		out = append(out, o)
	}
	return out
}

// TestStartJobsCatchesUpAndStops is `law run`'s wiring on the real clock: the start catches up
// (each job's latest occurrence is recorded) and stop returns once the jobs are done.
func TestStartJobsCatchesUpAndStops(t *testing.T) {
	w := newJobsWorld(t)
	b := bot.New(w.cfg, w.db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	stop, err := startJobs(context.Background(), b, w.db, clock.Real{},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := w.db.SQL().QueryRow(`SELECT count(DISTINCT job) FROM job_runs`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == len(b.ClockJobs()) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d jobs caught up: %s", n, len(b.ClockJobs()), w.runs())
		}
		time.Sleep(10 * time.Millisecond) // the jobs run on their own goroutines; nothing to wait on
	}
	stop()
}
