package clockcheck

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

var base = time.Date(2026, 12, 1, 7, 0, 0, 0, time.FixedZone("WIB", 7*3600))

func logger() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, nil)), &buf
}

func TestNewJudgesTheStart(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		lastSeen, now time.Time
		confirmed     bool
		trusted       bool
		log           string // in the log; "" for nothing logged
	}{
		"new database":            {time.Time{}, base, false, true, ""},
		"a night later":           {base, base.Add(17 * time.Hour), false, true, ""},
		"a week and a bit later":  {base, base.Add(MaxAhead + time.Minute), false, false, "7 days after the latest time"},
		"four months later":       {base, base.AddDate(0, 4, 0), false, false, "121 days after"},
		"a minute back (NTP)":     {base, base.Add(-time.Minute), false, true, ""},
		"an hour back":            {base, base.Add(-time.Hour), false, false, "1.0 hours before"},
		"months ahead, confirmed": {base, base.AddDate(0, 4, 0), true, true, "confirmed by the operator"},
	}
	for name, tt := range tests {
		log, buf := logger()
		g := New(tt.lastSeen, tt.now, tt.confirmed, log)
		if g.Trusted() != tt.trusted {
			t.Errorf("%s: Trusted() = %v, want %v (verdict %q)", name, g.Trusted(), tt.trusted, g.Verdict())
		}
		if (g.Verdict() == "") != tt.trusted {
			t.Errorf("%s: Verdict() = %q with Trusted() %v", name, g.Verdict(), tt.trusted)
		}
		got := buf.String()
		if tt.log == "" && got != "" || !strings.Contains(got, tt.log) {
			t.Errorf("%s: log %q, want it to hold %q", name, got, tt.log)
		}
		if strings.Count(got, "\n") > 1 {
			t.Errorf("%s: %d log lines, want one at most:\n%s", name, strings.Count(got, "\n"), got)
		}
	}
}

func regained(g *Guard) bool {
	select {
	case <-g.Regained():
		return true
	default:
		return false
	}
}

func TestObserveConfirmsADoubtedStart(t *testing.T) {
	t.Parallel()
	log, buf := logger()
	now := base.AddDate(0, 4, 0)
	g := New(base, now, false, log)
	// A message that waited while LAW was down proves nothing about the clock.
	g.Observe(now.Add(-3*time.Hour), now)
	if g.Trusted() || regained(g) {
		t.Fatal("a late message confirmed the clock")
	}
	g.Observe(now.Add(-30*time.Second), now)
	if !g.Trusted() || !regained(g) {
		t.Fatalf("a message stamped 30 s before it arrived did not confirm the clock; verdict %q", g.Verdict())
	}
	if regained(g) {
		t.Error("Regained signalled twice for one confirmation")
	}
	if !strings.Contains(buf.String(), "confirmed by WhatsApp") {
		t.Errorf("the confirmation is not logged:\n%s", buf.String())
	}
}

func TestConfirmByTheOperator(t *testing.T) {
	t.Parallel()
	log, _ := logger()
	g := New(base, base.Add(-time.Hour), false, log)
	if g.Trusted() {
		t.Fatal("an hour back is trusted")
	}
	g.Confirm()
	if !g.Trusted() || !regained(g) {
		t.Fatal("Confirm did not trust the clock or signal Regained")
	}
}

func TestObserveClockBehindIsLoggedOnce(t *testing.T) {
	t.Parallel()
	log, buf := logger()
	g := New(base, base, false, log)
	for i := range 5 {
		local := base.Add(time.Duration(i) * time.Minute)
		g.Observe(local.Add(20*time.Minute), local) // stamped 20 minutes after it arrived
	}
	if g.Trusted() {
		t.Error("a clock 20 minutes behind WhatsApp is still trusted")
	}
	if skew, ok := g.Skew(); !ok || skew != -20*time.Minute {
		t.Errorf("Skew() = %v, %v; want -20m, true", skew, ok)
	}
	if n := strings.Count(buf.String(), "clock doubted"); n != 1 {
		t.Errorf("the skew is logged %d times, want once:\n%s", n, buf.String())
	}
	g.Observe(base.Add(10*time.Minute), base.Add(10*time.Minute+5*time.Second))
	if _, ok := g.Skew(); ok || !g.Trusted() {
		t.Error("a message that agrees did not clear the skew")
	}
	if !strings.Contains(buf.String(), "agrees with WhatsApp again") {
		t.Errorf("the recovery is not logged:\n%s", buf.String())
	}
}

func TestObserveBacklogIsNotSkew(t *testing.T) {
	t.Parallel()
	log, _ := logger()
	g := New(base, base, false, log)
	// After an outage of two hours, 500 messages arrive within a few minutes, all late.
	for i := range 500 {
		local := base.Add(time.Duration(i) * 500 * time.Millisecond)
		g.Observe(base.Add(-2*time.Hour+time.Duration(i)*10*time.Second), local)
	}
	// Then live traffic.
	g.Observe(base.Add(5*time.Minute), base.Add(5*time.Minute+2*time.Second))
	for i := range 30 {
		local := base.Add(6*time.Minute + time.Duration(i)*time.Minute)
		g.Observe(local.Add(-3*time.Second), local)
	}
	if _, ok := g.Skew(); ok || !g.Trusted() {
		t.Errorf("a backlog after an outage was taken for a clock ahead: %q", g.Verdict())
	}
}

func TestObserveClockAheadWhileRunning(t *testing.T) {
	t.Parallel()
	log, _ := logger()
	g := New(base, base, false, log)
	// The clock stepped an hour ahead: every live message now arrives "an hour late".
	var i int
	for ; g.Trusted() && i < 100; i++ {
		local := base.Add(time.Hour + time.Duration(i)*time.Minute)
		g.Observe(local.Add(-time.Hour-time.Duration(i%4)*time.Second), local)
	}
	if g.Trusted() {
		t.Fatal("a clock an hour ahead of every message is still trusted")
	}
	if i < int(sustain/time.Minute) {
		t.Errorf("doubted after %d messages a minute apart; a backlog could do that", i)
	}
	if skew, ok := g.Skew(); !ok || skew < time.Hour || skew > time.Hour+5*time.Second {
		t.Errorf("Skew() = %v, %v; want about +1h, true", skew, ok)
	}
}

func TestObserveIgnoresUnknownServerTime(t *testing.T) {
	t.Parallel()
	log, _ := logger()
	g := New(base, base.AddDate(1, 0, 0), false, log)
	g.Observe(time.Time{}, base.AddDate(1, 0, 0))
	if g.Trusted() {
		t.Error("a message without a server time confirmed the clock")
	}
}
