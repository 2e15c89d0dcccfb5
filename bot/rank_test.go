package bot_test

import (
	"testing"
	"time"
)

// TestReplyRanks: an applicant's replies carry when their conversation started, so that the sender
// serves the earliest first; a flow chosen from the menu just shown keeps that place, a conversation
// back after an hour's silence or going on for over an hour starts again, and staff replies rank
// before every applicant.
func TestReplyRanks(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	a := rigApplicant(1)
	rank := func(hhmm, from, text string) time.Time {
		t.Helper()
		r.at(hhmm)
		out := r.send(from, text)
		if len(out) == 0 {
			t.Fatalf("%s %q: no reply", hhmm, text)
		}
		for _, o := range out[1:] {
			if !o.Rank.Equal(out[0].Rank) {
				t.Errorf("%s %q: replies of one message ranked apart", hhmm, text)
			}
		}
		return out[0].Rank
	}
	at := func(hhmm string) time.Time {
		r.at(hhmm)
		return r.now
	}
	steps := []struct {
		hhmm, text string
		want       string // the time the reply is ranked by
	}{
		{"07:00", "halo", "07:00"},  // new
		{"07:10", "1", "07:00"},     // a flow from the menu shown moments ago: same place
		{"07:20", "batal", "07:00"}, // within the hour
		{"08:30", "4", "08:30"},     // after 70 minutes of silence: starts again
		{"09:20", "4", "08:30"},
		{"10:10", "4", "08:30"},
		{"10:15", "1", "10:15"}, // a flow chosen over an hour after the start: starts again
	}
	for _, s := range steps {
		if got, want := rank(s.hhmm, a, s.text), at(s.want); !got.Equal(want) {
			t.Errorf("%s %q: reply ranked %s, want %s", s.hhmm, s.text, got.In(r.now.Location()).Format("15:04"), s.want)
		}
	}
	if got := rank("10:20", rigMember, "/status"); !got.Before(at("07:00").Add(-24 * time.Hour)) {
		t.Errorf("a staff reply ranked %v, want before any applicant", got)
	}
}
