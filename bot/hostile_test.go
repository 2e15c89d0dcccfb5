package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"law/bot"
	"law/config"
)

// Hostile input: what people (and scripts) can send that is not an answer. Every message gets an
// answer, nothing internal ever reaches a reply, replies are valid UTF-8, and the database keeps
// no more than the configured limits. Texts go through bot.ClipText at
// fair_use.max_message_bytes first, as both transports do.

// hostile are the payloads, by name.
var hostile = []struct{ name, text string }{
	{"100 kB of letters", strings.Repeat("a", 100_000)},
	{"100 kB of emoji", strings.Repeat("😀", 25_000)},
	{"100 kB of digits", strings.Repeat("1", 100_000)},
	{"100 kB of a name", strings.Repeat("BUDI ", 20_000)},
	{"control characters", "\x01\x02\x03\x1b[31mmerah\x1b[0m\x7f"},
	{"line ends and tabs", "\r\n\t\v\f\r\n"},
	{"invalid UTF-8", "\xff\xfe\xfd"},
	{"truncated UTF-8", "ya\xc3"},
	{"UTF-16 surrogate", "\xed\xa0\x80"},
	{"right-to-left override", "\u202eay\u202c"},
	{"right-to-left marks", "\u200f\u200f\u200f"},
	{"zero-width joiners", "\u200d\u200d\u200d"},
	{"family emoji", "👨\u200d👩\u200d👧"},
	{"emoji only", "🙏🙏🙏"},
	{"SQL drop", "'; DROP TABLE bookings; --"},
	{"SQL or", "\" OR 1=1 --"},
	{"SQL name", "Robert'); DROP TABLE bookings;--"},
	{"SQL union", "1 UNION SELECT name, phone FROM bookings"},
	{"format string", "%s%n%x"},
	{"format verbs", "%v %d %!(EXTRA) %[1]*d %p"},
	{"61-letter name", strings.Repeat("A", 61)},
	{"1000-word name", strings.Repeat("BUDI ", 1000)},
	{"name with newline", "BUDI\nSANTOSO"},
	{"name with CRLF", "BUDI\r\nSANTOSO"},
	{"name with null byte", "BUDI\x00SANTOSO"},
	{"null bytes", "\x00\x00\x00"},
	{"HTML", "<script>alert(1)</script>"},
	{"template", "{{.Name}} ${jndi:ldap://x/a}"},
	{"path", "../../../../etc/passwd"},
}

// The applicant's steps in the booking flow, each reached by the answers before it.
var flowSteps = []struct {
	name    string
	answers []string
	state   bot.State
}{
	{"first message", nil, bot.StateNew},
	{"menu", []string{"halo"}, bot.StateMenu},
	{"name", []string{"1"}, bot.StateName},
	{"passport type", []string{"1", "Budi Santoso"}, bot.StateType},
	{"earliest seat", []string{"1", "Budi Santoso", "1"}, bot.StateOffer},
	{"window", []string{"1", "Budi Santoso", "1", "2"}, bot.StateWindow},
	{"cancel", []string{"1", "Siti Aminah", "1", "ya", "3"}, bot.StateCancelConfirm},
}

// TestHostileConversation sends every payload at every step of the booking flow: a conversation
// is brought to the step by real answers, and put back at that step before each payload.
func TestHostileConversation(t *testing.T) {
	t.Parallel()
	r := newRobRig(t, t.TempDir())
	t.Cleanup(func() { r.DB.Close() })
	r.clip = true
	confirmations := 0
	count := func(out []bot.Outgoing) {
		for _, o := range out {
			if strings.Contains(o.Text, "Nomor antrian Anda:") || strings.Contains(o.Text, "Your queue number:") {
				confirmations++
			}
		}
	}
	phone := 0
	next := func() string {
		phone++
		return fmt.Sprintf("6280000%05d", phone)
	}
	for _, step := range flowSteps {
		p := next()
		for _, a := range step.answers {
			r.now = r.now.Add(20 * time.Second)
			count(r.send(t, p, a))
		}
		at := r.For(t).Conversation(p)
		if step.state != bot.StateNew && at.State != step.state {
			t.Fatalf("the answers %q lead to state %q, not %q", step.answers, at.State, step.state)
		}
		for _, h := range hostile {
			if step.state == bot.StateNew {
				p = next()
			} else {
				// Back at the step, as if this were the first answer to it.
				at.FloodStart, at.FloodCount, at.FloodNoticed = time.Time{}, 0, false
				r.update(t, func(tx bot.Tx) error { return tx.SaveConversation(at) })
			}
			r.now = r.now.Add(20 * time.Second)
			out := r.send(t, p, h.text)
			count(out)
			checkReplies(t, h.text, out)
			if len(to(p, out)) == 0 {
				t.Errorf("%s at the %s step: no reply", h.name, step.name)
			}
			if c := r.For(t).Conversation(p); c.State == step.state && step.state == bot.StateName && c.Draft.Name != "" {
				t.Errorf("%s at the name step: the name %q is kept but the name is asked again", h.name, c.Draft.Name)
			}
		}
	}
	r.checkStored(t)
	checkIntact(t, r)
	if n := r.For(t).Count(`SELECT count(*) FROM bookings`); n != confirmations || n == 0 {
		t.Errorf("%d bookings stored, %d confirmed in replies", n, confirmations)
	}
	if n := r.For(t).Count(`SELECT count(*) FROM bookings WHERE status <> 'cancelled'
		GROUP BY phone ORDER BY 1 DESC LIMIT 1`); n > r.Cfg.FairUse.BookingsPerPhone {
		t.Errorf("a phone holds %d active bookings; the limit is %d", n, r.Cfg.FairUse.BookingsPerPhone)
	}
}

// TestHostileNames checks what the name step keeps of a hostile name: either nothing (the name
// is asked again), or the name by the rules.
func TestHostileNames(t *testing.T) {
	t.Parallel()
	r := newRobRig(t, t.TempDir())
	t.Cleanup(func() { r.DB.Close() })
	r.clip = true
	sixty := strings.Repeat("AB", 30)
	for i, tc := range []struct{ in, want string }{
		{"Budi Santoso", "BUDI SANTOSO"},
		{"BUDI\nSANTOSO", "BUDI SANTOSO"},
		{"  budi \t\r\n  santoso  ", "BUDI SANTOSO"},
		{"BUDI\x00SANTOSO", ""},
		{"\u202eBUDI SANTOSO", ""},
		{"BUDI\u200dSANTOSO", ""},
		{"BU\xffDI SANTOSO", "BUDI SANTOSO"}, // the invalid byte dropped, as a phone would show nothing
		{sixty, sixty},
		{sixty + "A", ""},
		{strings.Repeat("BUDI ", 20_000), ""},
		{"'; DROP TABLE bookings; --", ""},
		{"O'Brien-Smith Jr.", "O'BRIEN-SMITH JR"}, // dots and dashes at the ends are trimmed
		{"Nur’aini", "NUR'AINI"},
		{"%s%n%x", ""},
		{"José Ramos-Horta", "JOSÉ RAMOS-HORTA"},
		{"😀😀😀", ""},
		{"..", ""},
		{"A.", ""},
	} {
		phone := fmt.Sprintf("6280000090%02d", i)
		r.send(t, phone, "1")
		r.now = r.now.Add(20 * time.Second)
		out := r.send(t, phone, tc.in)
		checkReplies(t, tc.in, out)
		c := r.For(t).Conversation(phone)
		if c.Draft.Name != tc.want {
			t.Errorf("name %q: kept %q, want %q", short(tc.in), c.Draft.Name, tc.want)
		}
		wantState := bot.StateType
		if tc.want == "" {
			wantState = bot.StateName
		}
		if c.State != wantState {
			t.Errorf("name %q: state %q, want %q", short(tc.in), c.State, wantState)
		}
		if len(out) != 1 {
			t.Errorf("name %q: %d replies", short(tc.in), len(out))
		}
	}
	r.checkStored(t)
}

// TestHostileStaffCommands gives every staff command hostile arguments, from the admin and from a
// member, on a day with bookings. A reason or announcement passed on to applicants reaches them
// without invalid UTF-8 or control characters.
func TestHostileStaffCommands(t *testing.T) {
	t.Parallel()
	r := newRobRig(t, t.TempDir())
	t.Cleanup(func() { r.DB.Close() })
	r.clip = true
	seedStaffDay(t, r)
	staffBefore := r.rows(t, `SELECT phone FROM staff`)
	commands := map[string][]string{
		robAdmin: {"/list ", "/find ", "/next ", "/done ", "/noshow ", "/paid ", "/ready ", "/collected ", "/recall ",
			"/cancel 1 ", "/close besok ", "/open ", "/quota besok ", "/stats ", "/stats week ", "/broadcast besok ",
			"/staff add ", "/staff remove ", "/help ", "/"},
		robMember: {"/staff add ", "/staff remove ", "/staff ", "/"},
	}
	for _, sender := range []string{robAdmin, robMember} {
		for _, cmd := range commands[sender] {
			for _, h := range hostile {
				text := cmd + h.text
				r.now = r.now.Add(5 * time.Second)
				out := r.send(t, sender, text)
				if strings.HasPrefix(cmd, "/broadcast") {
					out = append(out, r.send(t, sender, "/broadcast ya")...)
				}
				if strings.HasPrefix(cmd, "/close") {
					out = append(out, r.send(t, sender, "/open besok")...)
				}
				checkReplies(t, text, out)
				if len(to(sender, out)) == 0 {
					t.Errorf("%s from %s: no reply", short(text), sender)
				}
				for _, o := range out {
					if o.Phone == sender {
						continue
					}
					if strings.ContainsFunc(o.Text, func(r rune) bool {
						return r != '\n' && r != '\t' && unicode.IsControl(r)
					}) {
						t.Errorf("%s from %s: the notice to %s carries a control character: %q", short(text), sender,
							o.Phone, short(o.Text))
					}
				}
			}
		}
		if after := r.rows(t, `SELECT phone FROM staff`); sender == robMember && after != staffBefore {
			t.Errorf("a member changed the staff: %s", after)
		}
	}
	r.checkStored(t)
	checkIntact(t, r)
	if n := r.For(t).Count(`SELECT count(*) FROM bookings`); n != len(staffDayNames) {
		t.Errorf("%d bookings, want the %d seeded", n, len(staffDayNames))
	}
	for _, q := range []string{`SELECT coalesce(max(length(reason)), 0) FROM days`,
		`SELECT coalesce(max(length(broadcast_text)), 0) FROM staff_state`,
		`SELECT coalesce(max(length(detail)), 0) FROM audit`} {
		if n := r.For(t).Count(q); n > 1000 {
			t.Errorf("%s = %d", q, n)
		}
	}
	if n := r.For(t).Count(`SELECT count(*) FROM days WHERE reason GLOB '*[` + "\x01-\x08\x0b-\x1f" + `]*'`); n != 0 {
		t.Errorf("%d day reasons keep control characters", n)
	}
}

// checkIntact fails unless every table is there, SQLite finds the file sound and no foreign key
// is broken.
func checkIntact(t *testing.T, r *robRig) {
	t.Helper()
	tables := r.rows(t, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	for _, want := range []string{"audit", "bookings", "conversations", "days", "inbox", "outbox", "seats",
		"staff", "waitlist"} {
		if !strings.Contains("\n"+tables, "\n"+want+"\n") {
			t.Errorf("table %s is gone; tables:\n%s", want, tables)
		}
	}
	if got := r.rows(t, `PRAGMA integrity_check`); got != "ok\n" {
		t.Errorf("integrity_check: %s", got)
	}
	if got := r.rows(t, `PRAGMA foreign_key_check`); got != "" {
		t.Errorf("foreign_key_check: %s", got)
	}
	if n := r.For(t).Count(`SELECT count(*) FROM (SELECT date FROM bookings b JOIN seats s USING (date, number)
		WHERE b.status <> 'cancelled' GROUP BY date, number HAVING count(*) > 1)`); n != 0 {
		t.Errorf("%d numbers given twice", n)
	}
}

// TestStaleDraft answers a draft's dates after its day: a date offered on Monday evening and
// answered on Tuesday morning is no longer bookable when it is Tuesday itself, and the flow offers
// today's dates instead of booking it. A draft written before the windows were reconfigured
// neither panics nor books a window that no longer exists.
func TestStaleDraft(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := newRobRig(t, dir)
	r.clip = true
	r.now = time.Date(2026, 12, 7, 19, 0, 0, 0, r.Cfg.Location()) // Monday evening
	const p, q = "628000000801", "628000000802"
	for _, a := range []string{"1", "Budi Santoso", "1"} {
		r.now = r.now.Add(20 * time.Second)
		r.send(t, p, a)
	}
	if c := r.For(t).Conversation(p); c.State != bot.StateOffer || c.Draft.Dates[0] != "2026-12-08" {
		t.Fatalf("Monday's earliest seat: %+v", c)
	}
	// A summary waiting for "ya", as the flow before the short way left them.
	r.update(t, func(tx bot.Tx) error {
		return tx.SaveConversation(bot.Conversation{Phone: q, Chat: q + "@s.whatsapp.net", Lang: bot.LangID,
			State: bot.StateConfirm, UpdatedAt: r.now, Draft: bot.Draft{Name: "SITI AMINAH", Type: "EP10",
				Dates: []string{"2026-12-08", "2026-12-09"}, Date: "2026-12-08", Windows: []int{1, 2, 3, 4, 5}, Window: 5}})
	})
	r.DB.Close()

	// Tuesday morning, and the office now has four windows.
	seq, after := r.seq, r.after
	r = newRobRig(t, dir, func(c *config.Config) { c.Queue.Windows = c.Queue.Windows[:4] })
	t.Cleanup(func() { r.DB.Close() })
	r.clip, r.seq, r.after = true, seq, after
	r.now = time.Date(2026, 12, 8, 7, 0, 0, 0, r.Cfg.Location())
	out := r.send(t, p, "1") // Tuesday, 8 December: today
	checkReplies(t, "1", out)
	if len(out) != 1 || !strings.Contains(out[0].Text, "Selasa, 8 Desember 2026 sudah tidak bisa dipilih") ||
		!strings.Contains(out[0].Text, "1. Rabu, 9 Desember 2026") {
		t.Errorf("yesterday's first date chosen today:\n%v", out)
	}
	out = r.send(t, q, "ya")
	checkReplies(t, "ya", out)
	if len(out) != 1 || !strings.Contains(out[0].Text, "sudah tidak bisa dipilih") {
		t.Errorf("yesterday's summary confirmed today:\n%v", out)
	}
	if n := r.For(t).Count(`SELECT count(*) FROM bookings`); n != 0 {
		t.Errorf("%d bookings made from yesterday's drafts", n)
	}
	// The window list Tuesday offers has four windows; Monday's fifth is gone.
	r.now = r.now.Add(time.Minute)
	r.send(t, q, "1")
	c := r.For(t).Conversation(q)
	if c.State != bot.StateWindow || len(c.Draft.Windows) != 4 {
		t.Fatalf("Tuesday's windows: %+v", c)
	}
	c.Draft.Windows = []int{1, 2, 3, 4, 5} // as written before the windows changed
	r.update(t, func(tx bot.Tx) error { return tx.SaveConversation(c) })
	r.now = r.now.Add(time.Minute)
	out = r.send(t, q, "5")
	checkReplies(t, "5", out)
	if c := r.For(t).Conversation(q); c.State != bot.StateWindow || len(c.Draft.Windows) != 4 {
		t.Errorf("window 5 of the old configuration: state %q, windows %v", c.State, c.Draft.Windows)
	}
	c = r.For(t).Conversation(q)
	c.State, c.Draft.Window = bot.StateConfirm, 5
	r.update(t, func(tx bot.Tx) error { return tx.SaveConversation(c) })
	r.now = r.now.Add(time.Minute)
	out = r.send(t, q, "ya")
	checkReplies(t, "ya", out)
	if n := r.For(t).Count(`SELECT count(*) FROM bookings`); n != 0 {
		t.Errorf("%d bookings made for a window that no longer exists", n)
	}
}
