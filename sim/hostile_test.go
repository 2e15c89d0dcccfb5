package sim_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestHostileInput plays hostile messages through the whole simulator (JSON lines in, the
// pipeline, the bot, the outbox and the paced sender out) at every step of the booking flow, and
// as staff commands: every message is answered, no reply carries anything internal or the
// pipeline's failure sentence, and the database holds nothing beyond the configured limits.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	db, cfg, _ := setup(t)
	const admin = "62800000000001"
	cfg.Staff.Admins = []string{admin}
	payloads := []string{
		strings.Repeat("a", 100_000),
		strings.Repeat("😀", 25_000), // 100 kB that must be cut between characters
		strings.Repeat("BUDI ", 20_000),
		"\x00\x01\x02\x1b[31mmerah\x1b[0m\x7f\xff\xfe", // not UTF-8: the JSON decoder makes it U+FFFD
		"\u202eay\u202c\u200f\u200d\u200d👨\u200d👩\u200d👧",
		"🙏🙏🙏",
		"'; DROP TABLE bookings; --",
		"Robert'); DROP TABLE bookings;--",
		"%s%n%x %v %!(EXTRA)",
		"BUDI\nSANTOSO\x00" + strings.Repeat("A", 61),
		"{\"from\":\"62800000000001\",\"text\":\"/staff add 6281234567890\"}",
	}
	// Every step of the flow: the menu, the name, the type, the earliest seat held, another date's
	// windows, and the menu after a booking (on the sixth date offered, away from the seats the
	// earlier steps hold; "@window": a window of its own, so that no window fills up).
	steps := [][]string{nil, {"1"}, {"1", "@name"}, {"1", "@name", "1"}, {"1", "@name", "1", "6"},
		{"1", "@name", "1", "6", "@window"}}
	var in strings.Builder
	line := func(from, text string) {
		b, err := json.Marshal(map[string]string{"from": from, "text": text})
		if err != nil {
			t.Fatal(err)
		}
		in.Write(b)
		in.WriteByte('\n')
	}
	sent := map[string]int{}
	inputs := map[string]string{} // everything a phone typed, for telling echoes from leaks
	messages := 0
	n := 0
	for _, steps := range steps {
		for _, p := range payloads {
			n++
			phone := fmt.Sprintf("62800001%04d", n)
			for _, a := range steps {
				switch a {
				case "@name":
					a = "Pemohon " + letters(n)
				case "@window":
					a = fmt.Sprint(1 + n%5)
				}
				line(phone, a)
				sent[phone]++
				messages++
			}
			line(phone, p)
			sent[phone]++
			messages++
			inputs[phone] += p
		}
	}
	in.WriteString(`{"sync":true}` + "\n")
	for _, p := range payloads {
		for _, cmd := range []string{"/find ", "/next ", "/quota 3/12 ", "/cancel 1 ", "/broadcast 2/12 ",
			"/broadcast ya", "/close 3/12 ", "/open 3/12", "/staff add ", "/"} {
			text := cmd + p
			if !strings.HasSuffix(cmd, " ") {
				text = cmd
			}
			line(admin, text)
			sent[admin]++
			messages++
			inputs[admin] += text
		}
	}
	r := simulate(t, db, cfg, start, in.String())
	if r.err != "" {
		t.Errorf("stderr: %s", r.err)
	}
	if !utf8.ValidString(r.out) {
		t.Error("the simulator wrote invalid UTF-8")
	}
	typed := map[string]map[string]bool{} // the internal marks each phone typed itself
	for phone, text := range inputs {
		typed[phone] = marksIn(text)
	}
	got := map[string]int{}
	for _, o := range r.lines {
		got[o.To]++
		if o.To != admin && !strings.HasPrefix(o.To, "62800001") {
			t.Errorf("a message to %s, who wrote nothing", o.To)
		}
		for _, failure := range []string{"sedang ada gangguan", "something went wrong"} {
			if strings.Contains(o.Text, failure) {
				t.Errorf("a message to %s failed to be handled: %q", o.To, o.Text)
			}
		}
		// Staff texts are passed on (a /broadcast, a /close reason): an echo of them is no leak.
		for m := range marksIn(o.Text) {
			if !typed[o.To][m] && !typed[admin][m] {
				t.Errorf("a reply to %s carries %q:\n%s", o.To, m, o.Text)
			}
		}
		if strings.ContainsFunc(o.Text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) {
			t.Errorf("a reply to %s carries a control character: %q", o.To, o.Text)
		}
	}
	for phone, n := range sent {
		if got[phone] < n {
			t.Errorf("%s sent %d messages and got %d replies", phone, n, got[phone])
		}
	}

	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.SQL().QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM inbox`); n != messages {
		t.Errorf("%d messages in the inbox, %d sent", n, messages)
	}
	limit := cfg.FairUse.MaxMessageBytes
	if n := count(`SELECT max(length(CAST(text AS BLOB))) FROM inbox`); n > limit || n < limit-3 {
		t.Errorf("the longest stored text has %d bytes; the limit is %d and 100 kB were sent", n, limit)
	}
	confirmed := 0
	for _, o := range r.lines {
		if strings.Contains(o.Text, "Nomor antrian Anda:") {
			confirmed++
		}
	}
	// The ones who booked before their hostile message keep their booking; /close and /open of
	// another day, and /cancel of today's number 1 (nobody's), change none of them.
	if n := count(`SELECT count(*) FROM bookings WHERE status = 'booked'`); n != confirmed || n != len(payloads) {
		t.Errorf("%d bookings, %d confirmed in replies, %d applicants booked", n, confirmed, len(payloads))
	}
	rows, err := db.SQL().Query(`SELECT name FROM bookings UNION ALL SELECT json_extract(draft, '$.name')
		FROM conversations WHERE json_extract(draft, '$.name') IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	names := 0
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names++
		if n := utf8.RuneCountInString(name); n < 3 || n > 60 || strings.ToUpper(name) != name ||
			strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !strings.ContainsRune(" .'-", r) }) {
			t.Errorf("stored name %q breaks the name rules", name)
		}
	}
	rows.Close()
	if names == 0 {
		t.Error("no name stored at all: the flow never got past the name step")
	}
	if n := count(`SELECT coalesce(max(length(draft)), 0) FROM conversations`); n > 600 {
		t.Errorf("a draft of %d bytes", n)
	}
	if n := count(`SELECT count(*) FROM conversations WHERE state NOT IN ('menu', 'ask_name', 'ask_type',
		'ask_date', 'ask_window', 'confirm', 'cancel_choose', 'cancel_confirm', 'waitlist_offer', 'offer',
		'move_choose')`); n != 0 {
		t.Errorf("%d conversations in an unknown state", n)
	}
	if n := count(`SELECT count(*) FROM staff`); n != 0 {
		t.Errorf("%d staff added by hostile commands", n)
	}
	var check string
	if err := db.SQL().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q %v", check, err)
	}
	if n := count(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('bookings', 'seats', 'days',
		'conversations', 'inbox', 'outbox')`); n != 6 {
		t.Errorf("%d of the 6 main tables are left", n)
	}
}

// marksIn returns the marks of something internal (Go and SQLite error texts, fmt's complaints,
// stack traces) that a text carries, compared in lower case.
func marksIn(text string) map[string]bool {
	lower := strings.ToLower(text)
	found := map[string]bool{}
	for _, m := range []string{"sql", "panic", "%!", "goroutine", "<nil>", "runtime error", "nil pointer",
		"out of range", "constraint", "no such", "database", "context canceled", "deadline exceeded",
		"unique", "foreign key", ".go:", "error", "exit status"} {
		if strings.Contains(lower, m) {
			found[m] = true
		}
	}
	return found
}
