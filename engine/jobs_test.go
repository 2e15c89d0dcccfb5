package engine_test

import (
	"strings"
	"testing"
	"time"

	"law/bot"
	"law/engine/enginetest"
)

// jobsRig is the rig of the clock's jobs: the office in Asia/Jakarta on a machine in UTC.
type jobsRig struct{ *enginetest.Rig }

func newJobsRig(t *testing.T, at string) jobsRig {
	t.Helper()
	t.Setenv("TZ", "UTC") // the office is in Asia/Jakarta; the machine's zone must not matter
	r := jobsRig{enginetest.New(t)}
	return r.restart(at)
}

func (r jobsRig) wib(s string) time.Time {
	r.TB.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, r.Cfg.Location())
	if err != nil {
		r.TB.Fatal(err)
	}
	return t
}

// restart is a program start at a time: a fresh bot and scheduler on the same database.
func (r jobsRig) restart(at string) jobsRig { return jobsRig{r.Reopen(r.wib(at))} }

func (r jobsRig) move(to string) { r.Advance(r.wib(to)) }

// catchUp is a start's catch-up, as the engine does at Start.
func (r jobsRig) catchUp() { r.Advance(r.Clock.Now()) }

func (r jobsRig) book(date string, window int, name, phone string) bot.Booking {
	return r.Book(date, window, name, phone, bot.LangID)
}

// queued returns the phones and creation times of the messages queued since the last call.
func (r jobsRig) queued() string {
	var s []string
	for _, o := range r.Take() {
		s = append(s, o.Phone+"@"+o.CreatedAt.In(r.Cfg.Location()).Format("01-02 15:04"))
	}
	return strings.Join(s, ",")
}

func (r jobsRig) runs() string {
	r.TB.Helper()
	rows, err := r.DB.SQL().Query(`SELECT job || ' ' || due FROM job_runs ORDER BY due, job`)
	if err != nil {
		r.TB.Fatal(err)
	}
	defer rows.Close()
	var s []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			r.TB.Fatal(err)
		}
		s = append(s, v)
	}
	return strings.Join(s, "\n")
}

func TestJobsFireAtTheirTimeInJakarta(t *testing.T) {
	r := newJobsRig(t, "2026-11-30 12:00")
	tue := r.book("2026-12-01", 1, "ANI", "628000000001")
	mon := r.book("2026-12-07", 1, "BUDI", "628000000002")

	r.move("2026-11-30 17:59")
	if got := r.queued(); got != "" {
		t.Fatalf("before 18:00 WIB (11:00 UTC): %q", got)
	}
	r.move("2026-11-30 18:00")
	if got := r.queued(); got != "628000000001@11-30 18:00" {
		t.Fatalf("at 18:00 WIB: %q", got)
	}
	r.move("2026-12-02 00:04")
	if s := r.Status(tue.ID); s != bot.StatusBooked {
		t.Fatalf("before the roll-over, Tuesday's booking is %s", s)
	}
	r.move("2026-12-02 00:05")
	if s := r.Status(tue.ID); s != bot.StatusNoShow {
		t.Fatalf("after the roll-over, Tuesday's booking is %s", s)
	}
	// Friday's and Saturday's evenings have nobody for the weekend; Sunday's reminds Monday.
	r.move("2026-12-06 17:00")
	if got := r.queued(); got != "" {
		t.Fatalf("over the weekend: %q", got)
	}
	r.move("2026-12-06 18:30")
	if got := r.queued(); got != "628000000002@12-06 18:00" {
		t.Fatalf("Sunday evening: %q", got)
	}
	if s := r.Status(mon.ID); s != bot.StatusBooked {
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
	if got := r.runs(); !strings.HasPrefix(got, want) {
		t.Errorf("job runs, in office time:\n%s\nwant them to start with\n%s", got, want)
	}
}

func TestCatchUpAfterDowntimeOnceAndNoReminderTwice(t *testing.T) {
	r := newJobsRig(t, "2026-11-30 10:00")
	early := r.book("2026-12-01", 1, "ANI", "628000000001") // 07:30–09:00
	late := r.book("2026-12-01", 2, "BUDI", "628000000002") // 09:00–10:30
	prev := r.book("2026-11-27", 1, "CICI", "628000000003") // last Friday, never came
	r.move("2026-11-30 17:00")
	r.queued()

	// Down from 17:00 until 08:00 the next day; the database is reopened by the new process.
	r = r.restart("2026-12-01 08:00")
	r.catchUp()
	if got := r.queued(); got != "628000000002@12-01 08:00" {
		t.Fatalf("catch-up reminded %q, want only the applicant whose window has not begun", got)
	}
	for _, run := range []string{"evening_reminder 2026-11-30 18:00", "rollover 2026-12-01 00:05"} {
		if !strings.Contains(r.runs(), run) {
			t.Errorf("catch-up did not record %q:\n%s", run, r.runs())
		}
	}
	if s := r.Status(prev.ID); s != bot.StatusNoShow {
		t.Errorf("last Friday's booking is %s after the catch-up roll-over", s)
	}
	if s := r.Status(early.ID); s != bot.StatusBooked {
		t.Errorf("today's booking is %s", s)
	}

	// Another restart a minute later, and the next evening: nobody is reminded twice.
	r = r.restart("2026-12-01 08:01")
	r.catchUp()
	r.move("2026-12-02 09:00")
	if got := r.queued(); got != "" {
		t.Errorf("after a second restart: %q", got)
	}
	if s := r.Status(late.ID); s != bot.StatusNoShow {
		t.Errorf("a reminded applicant who never came is %s", s)
	}
}
