package bot_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"law/bot"
)

// A slow applicant after the clock stepped back an hour (an NTP correction): the flood window
// started "in the future" must not count every later message into one window.
func TestFloodAfterClockWentBack(t *testing.T) {
	t.Parallel()
	r := newRobRig(t, t.TempDir())
	phone := "6280000000777"
	r.send(t, phone, "halo")
	r.now = r.now.Add(-time.Hour)
	limit := r.Cfg.FairUse.FloodMessages
	for i := range limit + 4 {
		r.now = r.now.Add(time.Minute) // one message a minute: no flood by any clock
		for _, o := range r.send(t, phone, "menu") {
			if strings.Contains(o.Text, textOf(t, "Flood")) {
				t.Fatalf("message %d, one a minute after the clock went back, got the flood notice", i+2)
			}
		}
	}
}

// textOf returns a fragment of the Indonesian flood notice, as the bot sends it.
func textOf(t *testing.T, name string) string {
	t.Helper()
	// The flood notice is the one reply a fast writer gets; provoke it on a fresh rig to learn it.
	r := newRobRig(t, t.TempDir())
	var last string
	for range r.Cfg.FairUse.FloodMessages + 1 {
		out := r.send(t, "6280000000778", "menu")
		if len(out) > 0 {
			last = out[len(out)-1].Text
		}
	}
	if last == "" {
		t.Fatalf("no %s notice to learn", name)
	}
	return last
}

// doubt is a bot.ClockTrust a test switches.
type doubt struct{ ok atomic.Bool }

func (d *doubt) Trusted() bool { return d.ok.Load() }

// While the clock is doubted the roll-over and retention do nothing and record no run; once it is
// trusted, the same occurrence runs, once.
func TestDestructiveJobsWaitForATrustedClock(t *testing.T) {
	h := newJobsHarness(t, nil)
	var trust doubt
	h.Bot.SetClockTrust(&trust)
	bk := h.book("2026-11-30", 1, "ANI", "6281000000001", bot.LangID)
	due := h.at("2026-12-01", "00:05")
	h.run(h.Bot.RunRollover, due, due)
	ret := h.at("2027-04-01", "01:30")
	h.run(h.Bot.RunRetention, ret, ret)
	if got := h.Status(bk.ID); got != bot.StatusBooked {
		t.Fatalf("roll-over on a doubted clock: booking is %s", got)
	}
	var runs int
	if err := h.DB.SQL().QueryRow(`SELECT count(*) FROM job_runs`).Scan(&runs); err != nil {
		t.Fatal(err)
	}
	if runs != 0 {
		t.Fatalf("%d job runs recorded on a doubted clock, want none", runs)
	}
	if !strings.Contains(h.logs.String(), "held back") {
		t.Errorf("the held-back job is not logged:\n%s", h.logs.String())
	}
	seen, err := h.DB.LastSeen(t.Context())
	if err != nil || !seen.IsZero() {
		t.Errorf("LastSeen after jobs on a doubted clock = %v, %v; want nothing recorded", seen, err)
	}

	trust.ok.Store(true)
	h.run(h.Bot.RunRollover, due, due)
	h.run(h.Bot.RunRollover, due, due)
	if got := h.Status(bk.ID); got != bot.StatusNoShow {
		t.Errorf("roll-over on a trusted clock: booking is %s, want no_show", got)
	}
	if err := h.DB.SQL().QueryRow(`SELECT count(*) FROM job_runs WHERE job = 'rollover'`).Scan(&runs); err != nil {
		t.Fatal(err)
	}
	if runs != 1 {
		t.Errorf("%d roll-over runs recorded, want 1", runs)
	}
	if seen, err := h.DB.LastSeen(t.Context()); err != nil || !seen.Equal(due) {
		t.Errorf("LastSeen = %v, %v; want the job's time %v", seen, err, due)
	}
}

// A handled message moves the time seen forward, never back, and only while the clock is trusted.
func TestHandledMessageNotesTheTime(t *testing.T) {
	t.Parallel()
	r := newRobRig(t, t.TempDir())
	var trust doubt
	trust.ok.Store(true)
	r.Bot.SetClockTrust(&trust)
	start := r.now
	r.send(t, "6280000000779", "halo")
	r.now = start.Add(-time.Hour)
	r.send(t, "6280000000779", "menu")
	if seen, err := r.DB.LastSeen(t.Context()); err != nil || !seen.Equal(start) {
		t.Errorf("LastSeen = %v, %v; want %v (never moved back)", seen, err, start)
	}
	trust.ok.Store(false)
	r.now = start.AddDate(0, 4, 0)
	r.send(t, "6280000000779", "menu")
	if seen, err := r.DB.LastSeen(t.Context()); err != nil || !seen.Equal(start) {
		t.Errorf("LastSeen = %v, %v; want %v (a doubted clock's time is not recorded)", seen, err, start)
	}
}

func TestBroadcastDropsBidiControls(t *testing.T) {
	r := newStaffRig(t)
	r.book(rigTue, 1, "ANI", rigApplicant(1), bot.LangID)
	r.at("08:00")
	r.send(rigMember, "/broadcast besok Loket \u202Etutup\u202C hari ini \u2066x\u2069 ok")
	out := r.send(rigMember, "/broadcast ya")
	var got int
	for _, o := range out {
		if !o.Bulk {
			continue
		}
		got++
		if strings.ContainsAny(o.Text, "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069") {
			t.Errorf("broadcast passes a bidirectional control: %q", o.Text)
		}
		if !strings.Contains(o.Text, "Loket tutup hari ini x ok") {
			t.Errorf("broadcast text %q lost more than the controls", o.Text)
		}
	}
	if got != 1 {
		t.Fatalf("%d broadcast messages, want 1", got)
	}
}
