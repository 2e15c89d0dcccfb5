// Package clockcheck decides whether LAW may trust its clock for work that cannot be undone: the
// roll-over that turns bookings into no-shows and the erasure of personal data. A clock far ahead
// (a PC whose CMOS battery died, a wrong NTP server, a VM restored from a snapshot) would otherwise
// close every future day at once and erase what it thinks is old.
//
// The evidence is the latest time the database has seen, read at start, and the server timestamps
// of incoming WhatsApp messages while running. A Guard is safe for concurrent use.
package clockcheck

import (
	"fmt"
	"log/slog"
	"sync"
	"time"
)

const (
	// MaxAhead is how far past the latest time the database has seen a start may be and still be
	// trusted: a week covers a long holiday with the PC switched off.
	MaxAhead = 7 * 24 * time.Hour
	// MaxBehind is how far before that time a start may be: a small NTP correction, not a day.
	MaxBehind = 5 * time.Minute
	// Tolerance is how far the clock may differ from WhatsApp's timestamp of a message and still
	// agree with it (delivery takes seconds; a phone's clock does not matter, the server stamps).
	Tolerance = 5 * time.Minute
	// sustain is how long messages must keep arriving later than they were sent, with none in
	// between that agrees, before the clock is taken to be ahead: after an outage the messages
	// that waited arrive late, all together, and the first live one agrees again.
	sustain = 10 * time.Minute
)

// Guard holds the verdict on the clock.
type Guard struct {
	log *slog.Logger

	mu      sync.Mutex
	trusted bool
	verdict string // why the clock is doubted; "" while trusted
	skew    time.Duration
	skewed  bool
	// aheadSince is the local time of the first message of an unbroken run of messages that
	// arrived more than Tolerance after WhatsApp stamped them; minLag is the smallest lag in it.
	aheadSince time.Time
	minLag     time.Duration

	regained chan struct{}
}

// New judges the clock at start: now against lastSeen, the latest time the database has seen
// (zero for a new database: nothing to compare, trusted). confirmed is the operator's word
// (`-clock-ok`), which trusts any clock. A doubted clock is logged in one line that says what
// waits and how to confirm it.
func New(lastSeen, now time.Time, confirmed bool, log *slog.Logger) *Guard {
	g := &Guard{log: log, trusted: true, regained: make(chan struct{}, 1)}
	switch {
	case lastSeen.IsZero():
	case now.Sub(lastSeen) > MaxAhead:
		g.doubt(fmt.Sprintf("the clock says %s, %s after the latest time this database has seen (%s)",
			stamp(now), span(now.Sub(lastSeen)), stamp(lastSeen.In(now.Location()))))
	case lastSeen.Sub(now) > MaxBehind:
		g.doubt(fmt.Sprintf("the clock says %s, %s before the latest time this database has seen (%s)",
			stamp(now), span(lastSeen.Sub(now)), stamp(lastSeen.In(now.Location()))))
	}
	switch {
	case g.trusted:
	case confirmed:
		log.Warn("clock confirmed by the operator (-clock-ok) although " + g.verdict +
			"; no-show marking and data erasure run on it")
		g.trusted, g.verdict = true, ""
	default:
		log.Warn("clock doubted: " + g.verdict + "; no bookings are marked no-show and no personal " +
			"data is erased until a WhatsApp message confirms the clock, or LAW is started with -clock-ok " +
			"after the clock was checked")
	}
	return g
}

// doubt withdraws trust; the caller holds mu or owns g alone.
func (g *Guard) doubt(why string) {
	g.trusted, g.verdict = false, why
}

// trust restores trust and signals Regained; the caller holds mu.
func (g *Guard) trust() {
	g.trusted, g.verdict = true, ""
	select {
	case g.regained <- struct{}{}:
	default:
	}
}

// Trusted reports whether work that cannot be undone may run on the clock.
func (g *Guard) Trusted() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.trusted
}

// Verdict returns why the clock is doubted, or "" while it is trusted.
func (g *Guard) Verdict() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.verdict
}

// Regained receives a value each time the clock becomes trusted after it was doubted, so that the
// jobs held back can run then. Values do not pile up: one waiting value stands for any number.
func (g *Guard) Regained() <-chan struct{} { return g.regained }

// Confirm is the operator's word that the clock is right.
func (g *Guard) Confirm() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.trusted {
		g.log.Info("clock confirmed by the operator; the jobs held back run now")
		g.trust()
	}
}

// Observe compares the local time at which a message arrived with the time WhatsApp's server
// stamped it (bot.Incoming's At and SentAt). A message that agrees within Tolerance confirms the
// clock. A message stamped more than Tolerance after it arrived proves the clock behind; messages
// that keep arriving more than Tolerance after their stamp, for longer than a backlog after an
// outage lasts, show it ahead. A disagreement withdraws trust and is logged once, until the clock
// agrees again. A zero server time (a transport that does not know it) is ignored.
func (g *Guard) Observe(server, local time.Time) {
	if server.IsZero() || local.IsZero() {
		return
	}
	lag := local.Sub(server)
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case lag.Abs() <= Tolerance:
		g.aheadSince, g.minLag = time.Time{}, 0
		if g.skewed {
			g.skewed, g.skew = false, 0
			g.log.Info("the clock agrees with WhatsApp again")
		}
		if !g.trusted {
			g.log.Info("clock confirmed by WhatsApp's time of an incoming message; the jobs held back run now")
			g.trust()
		}
	case lag < 0:
		// Received before it was sent: the clock is behind.
		g.disagree(lag, local)
	default:
		if g.aheadSince.IsZero() || local.Before(g.aheadSince) {
			g.aheadSince, g.minLag = local, lag
		}
		g.minLag = min(g.minLag, lag)
		if local.Sub(g.aheadSince) >= sustain {
			g.disagree(g.minLag, local)
		}
	}
}

// disagree records a skew (local minus WhatsApp) and withdraws trust; the caller holds mu.
func (g *Guard) disagree(skew time.Duration, local time.Time) {
	g.skew = skew
	way := "ahead of"
	if skew < 0 {
		way = "behind"
	}
	g.doubt(fmt.Sprintf("the clock (%s) is %s %s WhatsApp's", stamp(local), span(skew.Abs()), way))
	if !g.skewed {
		g.skewed = true
		g.log.Warn("clock doubted: " + g.verdict + "; no bookings are marked no-show and no personal " +
			"data is erased until the clock agrees with WhatsApp again; check the time and NTP of this computer")
	}
}

// Skew returns how far the clock is from WhatsApp's (positive: ahead) and true while they disagree
// by more than Tolerance; 0 and false while they agree or nothing is known yet.
func (g *Guard) Skew() (time.Duration, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.skew, g.skewed
}

func stamp(t time.Time) string { return t.Format("2006-01-02 15:04 MST") }

// span writes a duration as a person reads it: days when long, minutes when short.
func span(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	case d >= time.Hour:
		return fmt.Sprintf("%.1f hours", d.Hours())
	default:
		return d.Round(time.Second).String()
	}
}
