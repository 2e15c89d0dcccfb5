package sim_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"law/config"
	"law/sim"
	"law/store"
	"law/store/storetest"
)

type run struct {
	out, err string
	lines    []sim.Output
}

func simulate(t *testing.T, db *store.DB, cfg *config.Config, now time.Time, input string) run {
	t.Helper()
	var out, errb bytes.Buffer
	err := sim.Run(context.Background(), sim.Options{Config: cfg, DB: db, Now: now, In: strings.NewReader(input),
		Out: &out, Err: &errb, Log: storetest.Quiet(), Workers: 16})
	if err != nil {
		t.Fatalf("simulate: %v\n%s", err, errb.String())
	}
	r := run{out: out.String(), err: errb.String()}
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var o sim.Output
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		if _, err := time.Parse(time.RFC3339, o.At); err != nil {
			t.Fatalf("output at %q: %v", o.At, err)
		}
		r.lines = append(r.lines, o)
	}
	return r
}

func setup(t *testing.T) (*store.DB, *config.Config, string) {
	t.Helper()
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	db, path := storetest.OpenTemp(t)
	return db, cfg, path
}

var start = time.Date(2026, 12, 1, 7, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// TestRush has 500 applicants write the long way at once (another date and a window rather than
// the earliest seat), for days of 50 seats: no day over quota, no number twice, every message
// answered, and every booking's number in a reply to its applicant.
func TestRush(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("500 applicants through the whole pipeline")
	}
	db, cfg, _ := setup(t)
	const applicants = 500
	var in strings.Builder
	for i := 0; i < applicants; i++ {
		phone := fmt.Sprintf("62800%07d", i)
		// Applicants spread over the first dates and windows offered, as people do; had they all
		// answered "1", whoever's list was read before a window filled would answer a window that
		// is gone, and how many book would depend only on the interleaving of the handlers.
		date, window := fmt.Sprint(1+i%3), fmt.Sprint(1+(i/3)%5)
		for j, text := range []string{"1", fmt.Sprintf("Pemohon %s", letters(i)), "1", date, window, "ya"} {
			fmt.Fprintf(&in, `{"from":%q,"text":%q,"id":"R%d-%d"}`+"\n", phone, text, i, j)
		}
	}
	// A redelivery of every first message: handled once, answered once.
	for i := 0; i < applicants; i += 7 {
		fmt.Fprintf(&in, `{"from":"62800%07d","text":"1","id":"R%d-0"}`+"\n", i, i)
	}
	r := simulate(t, db, cfg, start, in.String())
	if r.err != "" {
		t.Fatalf("stderr: %s", r.err)
	}
	replies := map[string][]string{}
	for _, o := range r.lines {
		replies[o.To] = append(replies[o.To], o.Text)
	}
	for i := 0; i < applicants; i++ {
		phone := fmt.Sprintf("62800%07d", i)
		if n := len(replies[phone]); n != 6 {
			t.Fatalf("%s got %d replies to 6 messages", phone, n)
		}
	}
	rows, err := db.SQL().Query(`SELECT b.date, b.number, b.phone, s.win FROM bookings b JOIN seats s USING (date, number)
		WHERE b.status = 'booked'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	perDay := map[string]int{}
	seen := map[string]bool{}
	total := 0
	for rows.Next() {
		var date, phone string
		var number, win int
		if err := rows.Scan(&date, &number, &phone, &win); err != nil {
			t.Fatal(err)
		}
		total++
		perDay[date]++
		key := fmt.Sprintf("%s/%d", date, number)
		if seen[key] {
			t.Errorf("number %d given twice on %s", number, date)
		}
		seen[key] = true
		if number < 1 || number > 50 || win != (number-1)/10+1 {
			t.Errorf("number %d in window %d on %s", number, win, date)
		}
		want := fmt.Sprintf("Nomor antrian Anda: %03d*", number)
		found := false
		for _, text := range replies[phone] {
			if strings.Contains(text, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s booked %03d on %s but no reply to them says so", phone, number, date)
		}
	}
	for date, n := range perDay {
		if n > cfg.Queue.DailyQuota {
			t.Errorf("%s holds %d bookings, quota %d", date, n, cfg.Queue.DailyQuota)
		}
	}
	// Everyone answers blindly from memory, not from what they were shown: a date of the list
	// under the earliest seat, then a window of that date's list, whose numbering shifts as windows
	// fill. Many land on a window just taken and are asked again (TestShortWayRush books every one
	// the way applicants are led); far more than one day's worth must still get booked.
	if total < 100 {
		t.Errorf("bookings per day %v (total %d)", perDay, total)
	}
	t.Logf("%d of %d applicants booked, over %d days", total, applicants, len(perDay))
}

func letters(i int) string {
	// Names have no digits: write the number in letters.
	var b strings.Builder
	for _, d := range fmt.Sprintf("%04d", i) {
		b.WriteString(string(rune('A' + (d - '0'))))
	}
	return b.String()
}

func TestMalformedLinesAndClock(t *testing.T) {
	t.Parallel()
	db, cfg, _ := setup(t)
	input := strings.Join([]string{
		`not json`,
		`{"from":"abc","text":"halo"}`,
		`{"from":"6280000000001"}`,
		`{"advance":"-5h"}`,
		`{"at":"yesterday"}`,
		`{"from":"6280000000001","text":"halo","extra":1}`,
		`{"from":"6280000000001","text":"halo","id":"A"}`,
		`{"sync":true}`,
		`{"advance":"2h"}`,
		`{"from":"6280000000001","text":"menu","id":"A"}`,
		`{"from":"6280000000001","text":"menu","id":"B"}`,
		`{"at":"2026-12-01T08:00:00+07:00"}`,
	}, "\n")
	r := simulate(t, db, cfg, start, input)
	if got := strings.Count(r.err, "\n"); got != 7 {
		t.Errorf("stderr has %d complaints, want 7:\n%s", got, r.err)
	}
	if !strings.Contains(r.err, "line 1:") || !strings.Contains(r.err, "line 12:") {
		t.Errorf("complaints do not name their lines:\n%s", r.err)
	}
	if len(r.lines) != 2 {
		t.Fatalf("got %d replies, want 2 (the redelivered id A is ignored):\n%s", len(r.lines), r.out)
	}
	if r.lines[0].At != "2026-12-01T07:00:00+07:00" || r.lines[1].At != "2026-12-01T09:00:00+07:00" {
		t.Errorf("reply times %s, %s", r.lines[0].At, r.lines[1].At)
	}
}

// TestRedeliveryAcrossRuns runs the simulator twice on one database with the same ids: the second
// run answers nothing it already answered.
func TestRedeliveryAcrossRuns(t *testing.T) {
	t.Parallel()
	db, cfg, path := setup(t)
	input := `{"from":"6280000000001","text":"halo","id":"X1"}` + "\n" + `{"from":"6280000000001","text":"1","id":"X2"}` + "\n"
	if r := simulate(t, db, cfg, start, input); len(r.lines) != 2 {
		t.Fatalf("first run: %d replies", len(r.lines))
	}
	db.Close()
	db2, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	input += `{"from":"6280000000001","text":"Budi","id":"X3"}` + "\n"
	r := simulate(t, db2, cfg, start.Add(time.Minute), input)
	if len(r.lines) != 1 || !strings.Contains(r.lines[0].Text, "paspor") {
		t.Fatalf("second run answered %d messages, want only the new one:\n%s", len(r.lines), r.out)
	}
}

// TestPacing checks that replies to one chat are spaced by the chat interval, and that replies to
// different chats keep the global interval, in simulated time.
func TestPacing(t *testing.T) {
	t.Parallel()
	db, cfg, _ := setup(t)
	cfg.Sending.Jitter.Duration = 0
	var in strings.Builder
	for i := 0; i < 3; i++ {
		for j := 0; j < 4; j++ {
			fmt.Fprintf(&in, `{"from":"6280000000%03d","text":"menu"}`+"\n", i)
		}
	}
	r := simulate(t, db, cfg, start, in.String())
	last := map[string]time.Time{}
	var prev time.Time
	for _, o := range r.lines {
		at, _ := time.Parse(time.RFC3339, o.At)
		if l, ok := last[o.To]; ok && at.Sub(l) < cfg.Sending.ChatInterval.Duration {
			t.Errorf("two replies to %s only %v apart", o.To, at.Sub(l))
		}
		if at.Before(prev) {
			t.Errorf("reply times go back: %v after %v", at, prev)
		}
		last[o.To], prev = at, at
	}
	if len(r.lines) != 12 {
		t.Fatalf("%d replies", len(r.lines))
	}
}

// TestOverlongLineSkipped checks that a line over the limit is skipped like any malformed line,
// and the lines after it are still read.
func TestOverlongLineSkipped(t *testing.T) {
	t.Parallel()
	db, cfg, _ := setup(t)
	input := `{"from":"6280000000001","text":"` + strings.Repeat("x", 5<<20) + `"}` + "\n" +
		`{"from":"6280000000001","text":"halo"}`
	r := simulate(t, db, cfg, start, input)
	if !strings.Contains(r.err, "line 1: longer than") || len(r.lines) != 1 {
		t.Fatalf("stderr %q, %d replies; want line 1 skipped and one reply", r.err, len(r.lines))
	}
}

// TestShortWayRush has 500 applicants take a number the short way at once, for ten days of 50
// seats: each is booked with four replies (the name question, the types, the earliest seat held for
// them, the confirmation), no day is over quota, no seat is given or held twice, and no hold is
// left behind.
func TestShortWayRush(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("500 applicants through the whole pipeline")
	}
	db, cfg, _ := setup(t)
	const applicants = 500
	var in strings.Builder
	for i := range applicants {
		phone := fmt.Sprintf("62800%07d", i)
		for j, text := range []string{"mau antri paspor", fmt.Sprintf("Pemohon %s", letters(i)), "1", "ya"} {
			fmt.Fprintf(&in, `{"from":%q,"text":%q,"id":"S%d-%d"}`+"\n", phone, text, i, j)
		}
	}
	r := simulate(t, db, cfg, start, in.String())
	if r.err != "" {
		t.Fatalf("stderr: %s", r.err)
	}
	replies := map[string][]string{}
	for _, o := range r.lines {
		replies[o.To] = append(replies[o.To], o.Text)
	}
	for i := range applicants {
		phone := fmt.Sprintf("62800%07d", i)
		got := replies[phone]
		if len(got) != 4 || !strings.Contains(got[3], "Nomor antrian Anda: ") {
			t.Fatalf("%s got %d replies, the last %q; want the number in the fourth", phone, len(got), got[len(got)-1])
		}
	}
	var booked, days, overQuota, twice, holds int
	q := db.SQL()
	if err := q.QueryRow(`SELECT count(*), count(DISTINCT date) FROM bookings WHERE status = 'booked'`).
		Scan(&booked, &days); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRow(`SELECT count(*) FROM (SELECT date FROM bookings WHERE status = 'booked'
		GROUP BY date HAVING count(*) > ?)`, cfg.Queue.DailyQuota).Scan(&overQuota); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM bookings WHERE status = 'booked'
		GROUP BY date, number HAVING count(*) > 1)`).Scan(&twice); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRow(`SELECT count(*) FROM holds`).Scan(&holds); err != nil {
		t.Fatal(err)
	}
	if booked != applicants || overQuota != 0 || twice != 0 || holds != 0 {
		t.Errorf("%d booked over %d days, %d days over quota, %d numbers given twice, %d holds left",
			booked, days, overQuota, twice, holds)
	}
}
