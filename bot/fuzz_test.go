package bot_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"law/bot"
	"law/config"
)

// Fuzz targets. `go test ./bot` runs their seeds (f.Add and testdata/fuzz/<name>/) as ordinary
// tests; .ci/fuzz runs each for a few seconds of real fuzzing:
//
//	go test -run='^$' -fuzz='^FuzzConversation$' -fuzztime=60s ./bot
//
// Each fuzzing process keeps one database for all its iterations (a fresh one would cost more
// than the iteration), and every iteration uses a phone number of its own.

// convStates are the states a conversation can be in, with StateNew (no conversation yet) first.
var convStates = []bot.State{bot.StateNew, bot.StateMenu, bot.StateName, bot.StateType, bot.StateDate,
	bot.StateWindow, bot.StateConfirm, bot.StateCancelChoose, bot.StateCancelConfirm, bot.StateWaitlist,
	bot.StateOffer, bot.StateMoveChoose}

// The texts every state is seeded with: the answers each state expects, and some it does not.
var convSeedTexts = []string{"", "1", "2", "5", "7", "ya", "tidak", "batal", "menu", "Budi Santoso",
	"  Ya!! 👍", "nomor 3", "'; DROP TABLE bookings; --", "%s%n%x", "\x00\xff\xfe", "\u202eya", "👍👍",
	"ya pak", "besok", "rabu depan", "9/12", "pagi", "jam 9", "selamat pagi", "terima kasih 🙏",
	"Hj. Siti", "ANTRI#Budi Santoso#1#besok#pagi", "daftar#Siti#e-paspor anak#31/2#jam 25", "antri#x##"}

// FuzzConversation sends arbitrary text to a conversation in every state, with a plausible draft,
// in either language, on the day the draft was made or up to three days later. Whatever the text:
// Handle never fails, the applicant gets an answer, no reply carries anything internal or invalid
// UTF-8, the conversation is saved in a known state, a stored name follows the name rules, and a
// booking made is on a date that can be booked that day.
//
// state picks one of convStates; flags holds the language (bit 0), the days between the draft and
// the answer (bits 1–2) and the date and window the draft chose (bits 3–7).
func FuzzConversation(f *testing.F) {
	r := newRobRig(f, f.TempDir(), func(c *config.Config) { c.FairUse.BookingsPerPhone = 3 })
	f.Cleanup(func() { r.DB.Close() })
	base := r.now
	dates := r.offeredDates()
	for i := range convStates {
		for _, text := range convSeedTexts {
			f.Add(uint8(i), uint8(0), text)
		}
		f.Add(uint8(i), uint8(1), "yes")     // English
		f.Add(uint8(i), uint8(2), "1")       // a day late
		f.Add(uint8(i), uint8(4), "ya")      // two days late
		f.Add(uint8(i), uint8(7), "confirm") // English, three days late
	}
	iter, far := 0, 0
	f.Fuzz(func(t *testing.T, state, flags uint8, text string) {
		iter++
		phone := fmt.Sprintf("62801%07d", iter)
		st := convStates[int(state)%len(convStates)]
		lang := bot.LangID
		if flags&1 != 0 {
			lang = bot.LangEN
		}
		late := int(flags>>1) % 4 // days between the draft and the answer
		pick := int(flags >> 3)   // the date and window chosen in the draft
		r.now = base
		// The draft the bot itself would have written to reach st.
		name := "BUDI SANTOSO"
		draft := bot.Draft{}
		switch st {
		case bot.StateType:
			draft = bot.Draft{Name: name}
		case bot.StateDate:
			draft = bot.Draft{Name: name, Type: "EP10", Dates: dates}
		case bot.StateWindow:
			draft = bot.Draft{Name: name, Type: "PB5", Dates: dates, Date: dates[pick%len(dates)],
				Windows: []int{1, 2, 3, 4, 5}}
		case bot.StateConfirm:
			draft = bot.Draft{Name: name, Type: "EP5", Dates: dates, Date: dates[pick%len(dates)],
				Windows: []int{1, 2, 3, 4, 5}, Window: 1 + pick%5}
		case bot.StateOffer: // the hold itself lapsed long ago, or was never made
			draft = bot.Draft{Name: name, Type: "EP10", Dates: dates, Date: dates[pick%len(dates)],
				Windows: []int{1, 2, 3, 4, 5}, Window: 1 + pick%5, Held: true}
		}
		r.update(t, func(tx bot.Tx) error {
			// Bookings to cancel: on dates far beyond the booking window, 50 a date (10 a window),
			// so that they never take a seat the booking flow offers.
			var ids []int64
			n := map[bot.State]int{bot.StateCancelChoose: 2, bot.StateCancelConfirm: 1, bot.StateMoveChoose: 2}[st]
			for range n {
				day := time.Date(2027, 3, 1, 0, 0, 0, 0, r.Cfg.Location()).AddDate(0, 0, far/50)
				bk, err := tx.Book(bot.Booking{Date: day.Format(bot.DateLayout), Window: 1 + far%5,
					Name: fmt.Sprintf("PEMOHON %s", letterName(far)), Type: "EP10", Phone: phone,
					Chat: phone + "@s.whatsapp.net", Lang: lang, CreatedAt: r.now},
					bot.Split(r.Cfg.Queue.DailyQuota, len(r.Cfg.Windows())))
				if err != nil {
					return err
				}
				far++
				ids = append(ids, bk.ID)
			}
			switch st {
			case bot.StateNew:
				return nil // no conversation yet
			case bot.StateCancelChoose, bot.StateMoveChoose:
				draft = bot.Draft{Bookings: ids}
			case bot.StateCancelConfirm:
				draft = bot.Draft{Cancel: ids[0]}
			}
			return tx.SaveConversation(bot.Conversation{Phone: phone, Chat: phone + "@s.whatsapp.net",
				Lang: lang, State: st, Draft: draft, UpdatedAt: r.now})
		})
		lastID := r.For(t).Count(`SELECT coalesce(max(id), 0) FROM bookings`)
		r.outbox(t)
		r.now = base.AddDate(0, 0, late)

		out := r.send(t, phone, text)

		checkReplies(t, text, out)
		if len(to(phone, out)) == 0 {
			t.Fatalf("no reply to %q in state %q", short(text), st)
		}
		c := r.For(t).Conversation(phone)
		if !knownStates[c.State] {
			t.Fatalf("after %q in state %q the conversation is in state %q", short(text), st, c.State)
		}
		if c.Draft.Name != "" {
			if p := nameProblem(c.Draft.Name); p != "" {
				t.Fatalf("after %q in state %q the draft name is %q: %s", short(text), st, c.Draft.Name, p)
			}
		}
		bookable := map[string]bool{}
		for _, d := range r.offeredDatesWithin(r.Cfg.Queue.DaysAhead) {
			bookable[d] = true
		}
		var made []bot.Booking
		r.update(t, func(tx bot.Tx) error {
			active, err := tx.ActiveBookings(phone, "0000-00-00")
			if err != nil {
				return err
			}
			for _, bk := range active {
				if bk.ID > int64(lastID) {
					made = append(made, bk)
				}
				// Cancelled again, so that the dates the flow offers never fill up.
				if err := tx.SetStatus(bk.ID, bot.StatusCancelled, r.now); err != nil {
					return err
				}
			}
			return nil
		})
		for _, bk := range made {
			if p := nameProblem(bk.Name); p != "" {
				t.Fatalf("booking name %q: %s", bk.Name, p)
			}
			if !bookable[bk.Date] || bk.Window < 1 || bk.Window > len(r.Cfg.Windows()) {
				t.Fatalf("after %q in state %q on %s (%d days after the draft %+v): booked %s window %d, "+
					"which cannot be booked that day", short(text), st, r.today(), late, draft, bk.Date, bk.Window)
			}
		}
	})
}

// offeredDatesWithin returns the next n working days after today: the dates that can be booked.
func (r *robRig) offeredDatesWithin(n int) []string {
	keep := r.Cfg.Queue.DatesOffered
	r.Cfg.Queue.DatesOffered = n
	defer func() { r.Cfg.Queue.DatesOffered = keep }()
	return r.offeredDates()
}

// letterName turns a number into letters for a unique name: 0 is A, 26 is BA.
func letterName(n int) string {
	s := ""
	for {
		s = string(rune('A'+n%26)) + s
		n /= 26
		if n == 0 {
			return s
		}
	}
}

// The staff commands seeded, each as admin, member and a stranger.
var staffSeedTexts = []string{"/help", "/list", "/list besok", "/list 8/12", "/list 32/13", "/next 2", "/next",
	"/next loket B", "/recall", "/done 1", "/noshow 2", "/cancel 3 dokumen tidak lengkap", "/paid 1",
	"/ready 1", "/ready 8/12:1", "/collected 1", "/collected 8/12:1", "/find budi", "/find 0812", "/find 0001", "/stats", "/stats week",
	"/stats week 14/12", "/quota 8/12 40", "/quota besok 1", "/close besok listrik padam", "/open besok",
	"/broadcast besok Harap datang 30 menit lebih awal", "/broadcast ya", "/broadcast batal", "/staff",
	"/staff add 6281234567890", "/staff remove 6281234567890", "/staff add 62800000000002", "/unknown",
	"/", "/ ", "//", "/LIST HARI INI", "/done 8/12:", "/done :", "/cancel 1", "/quota 2026-12-08 -5",
	"/find '; DROP TABLE bookings; --", "/close besok %s%n%x", "/next %s%n%x", "/broadcast besok \x00\xff",
	"/staff add 0812-3456-7890", "/list \u202e8/12", "/find \u200d\u200d\u200d"}

// FuzzStaffCommand sends arbitrary commands ("/" and any text) from the configured admin, a
// configured member and a stranger, on a day with bookings. Whatever the text: Handle never
// fails, the sender gets at least one reply, no message carries anything internal or invalid
// UTF-8, only the admin changes who is staff, and a stranger changes nothing of the staff's and
// hears nothing of it.
func FuzzStaffCommand(f *testing.F) {
	dir := f.TempDir()
	var r *robRig
	var cur string
	iter := 0
	// Commands change the day (closing it, cancelling numbers); every few hundred iterations
	// start again from a fresh database with the same bookings.
	reset := func(t testing.TB) {
		if r != nil {
			r.DB.Close()
			os.RemoveAll(cur)
		}
		cur = filepath.Join(dir, fmt.Sprint(iter))
		if err := os.MkdirAll(cur, 0o755); err != nil {
			t.Fatal(err)
		}
		r = newRobRig(t, cur)
		seedStaffDay(t, r)
	}
	f.Cleanup(func() {
		if r != nil {
			r.DB.Close()
		}
	})
	for _, text := range staffSeedTexts {
		for who := range 3 {
			f.Add(uint8(who), text)
		}
	}
	f.Fuzz(func(t *testing.T, who uint8, text string) {
		if iter%300 == 0 {
			reset(t)
		}
		iter++
		if !strings.HasPrefix(strings.TrimSpace(text), "/") {
			text = "/" + text
		}
		sender := []string{robAdmin, robMember, fmt.Sprintf("62802%07d", iter)}[who%3]
		staffBefore := r.rows(t, `SELECT phone FROM staff ORDER BY phone`)
		auditBefore := r.For(t).Count(`SELECT count(*) FROM audit`)
		stateBefore := r.rows(t, `SELECT date, status FROM bookings ORDER BY id`) +
			r.rows(t, `SELECT date, quota, closed, reason FROM days WHERE quota <> 0 OR closed <> 0 ORDER BY date`)

		out := r.send(t, sender, text)

		checkReplies(t, text, out)
		mine := to(sender, out)
		if len(mine) == 0 {
			t.Fatalf("no reply to %q from %s", short(text), sender)
		}
		if sender != robAdmin {
			if after := r.rows(t, `SELECT phone FROM staff ORDER BY phone`); after != staffBefore {
				t.Fatalf("%q from non-admin %s changed the staff:\nbefore:\n%s\nafter:\n%s", short(text), sender,
					staffBefore, after)
			}
		}
		if sender != robAdmin && sender != robMember {
			if n := r.For(t).Count(`SELECT count(*) FROM audit`); n != auditBefore {
				t.Fatalf("%q from stranger %s wrote %d audit entries", short(text), sender, n-auditBefore)
			}
			if after := r.rows(t, `SELECT date, status FROM bookings ORDER BY id`) +
				r.rows(t, `SELECT date, quota, closed, reason FROM days WHERE quota <> 0 OR closed <> 0 ORDER BY date`); after != stateBefore {
				t.Fatalf("%q from stranger %s changed bookings or days", short(text), sender)
			}
			for _, o := range out {
				if o.Phone != sender {
					t.Fatalf("%q from stranger %s sent a message to %s: %q", short(text), sender, o.Phone, o.Text)
				}
				for _, secret := range append([]string{"Perintah", "/next", "admin"},
					staffDayNames...) {
					if strings.Contains(o.Text, secret) && !strings.Contains(text, secret) {
						t.Fatalf("%q from stranger %s answered with %q:\n%s", short(text), sender, secret, o.Text)
					}
				}
			}
		}
	})
}

// staffDayNames are the applicants seedStaffDay books.
var staffDayNames = []string{"BUDI SANTOSO", "SITI AMINAH", "AHMAD YANI", "DEWI LESTARI", "RUDI HARTONO",
	"NUR HALIMAH", "AGUS SALIM", "RINA MARLINA"}

// seedStaffDay books staffDayNames: five today (Monday 7 December) and three tomorrow.
func seedStaffDay(t testing.TB, r *robRig) {
	t.Helper()
	r.update(t, func(tx bot.Tx) error {
		layout := bot.Split(r.Cfg.Queue.DailyQuota, len(r.Cfg.Windows()))
		for i, name := range staffDayNames {
			date := r.today()
			if i >= 5 {
				date = r.now.AddDate(0, 0, 1).Format(bot.DateLayout)
			}
			phone := fmt.Sprintf("62803000%04d", i)
			if _, err := tx.Book(bot.Booking{Date: date, Window: 1 + i%3, Name: name, Type: "EP10", Phone: phone,
				Chat: phone + "@s.whatsapp.net", Lang: bot.LangID, CreatedAt: r.now}, layout); err != nil {
				return err
			}
		}
		return nil
	})
}

// rows returns a query's rows, one line each.
func (r *robRig) rows(t testing.TB, q string) string {
	t.Helper()
	rows, err := r.DB.SQL().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// FuzzParseStaffDate reads arbitrary text as a staff date, on any day around the office's today
// at any hour. It never panics; an accepted date is a well-formed calendar date within a year of
// today, reads back as itself, and the same text always gives the same date.
func FuzzParseStaffDate(f *testing.F) {
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		f.Fatal(err)
	}
	loc := cfg.Location()
	for _, s := range []string{"today", "hari ini", "besok", "tomorrow", "kemarin", "2026-12-08", "08-12-2026",
		"8-12-2026", "08/12/2026", "8/12", "1/12", "28/12", "1/1", "29/2", "31/4", "32/13", "0/0", "9999-12-31",
		"0000-01-01", "2026-02-29", "2028-02-29", "  BESOK  ", "8/12:7", "\xff", "\u202e8/12", "８/１２", "-1/12",
		"+8/12", "08-12", "2026-12-8", "1e3", "'; DROP TABLE bookings; --", "%s%n%x"} {
		f.Add(s, int16(0), uint8(9))
	}
	f.Add("1/1", int16(24), uint8(23))    // 31 December, late evening
	f.Add("31/12", int16(26), uint8(0))   // 2 January, just after midnight
	f.Add("29/2", int16(-300), uint8(12)) // February 2026, no 29th
	f.Fuzz(func(t *testing.T, s string, offset int16, hour uint8) {
		today := time.Date(2026, 12, 7, int(hour%24), 30, 0, 0, loc).AddDate(0, 0, int(offset))
		d, ok := bot.ParseStaffDate(s, today)
		if d2, ok2 := bot.ParseStaffDate(s, today); d2 != d || ok2 != ok {
			t.Fatalf("ParseStaffDate(%q) gave %q %v, then %q %v", s, d, ok, d2, ok2)
		}
		if !ok {
			if d != "" {
				t.Fatalf("ParseStaffDate(%q) refused with a date %q", s, d)
			}
			return
		}
		p, err := time.Parse(bot.DateLayout, d)
		if err != nil || p.Format(bot.DateLayout) != d {
			t.Fatalf("ParseStaffDate(%q) = %q, which is not a %s date (%v)", s, d, bot.DateLayout, err)
		}
		midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
		c := time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, loc)
		if c.Before(midnight.AddDate(-1, 0, 0)) || c.After(midnight.AddDate(1, 0, 0)) {
			t.Fatalf("ParseStaffDate(%q) on %s = %s, more than a year away", s, midnight.Format(bot.DateLayout), d)
		}
		if back, ok := bot.ParseStaffDate(d, today); !ok || back != d {
			t.Fatalf("ParseStaffDate(%q) = %q, but %q reads as %q %v", s, d, d, back, ok)
		}
	})
}
