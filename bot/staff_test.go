package bot_test

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"law/bot"
	"law/config"
	"law/engine/enginetest"
)

// The staff commands' tests: each plays staff commands (and some applicant replies) against a
// real database with a fixed clock, and compares what everyone received, and the audit log, with
// a golden transcript in testdata/staff. Go test code seeds the bookings directly, so that the
// transcripts show only what the test is about.

var updateStaff = flag.Bool("update-staff", false, "rewrite the golden transcripts in testdata/staff")

const (
	rigAdmin    = "628000000001"
	rigMember   = "628000000002"
	rigStranger = "628000000099"
	rigNewStaff = "628000000050" // made staff from chat
)

// staffRig is the test rig with a clock the test sets and a transcript it writes.
type staffRig struct {
	*enginetest.Rig
	t   *testing.T
	now time.Time
	out strings.Builder
}

// newStaffRig starts on Monday 7 December 2026, 07:00 WIB, with one rigAdmin and one member.
func newStaffRig(t *testing.T, tweak ...func(*config.Config)) *staffRig {
	t.Helper()
	opts := []enginetest.Option{enginetest.Staff(rigAdmin, rigMember)}
	for _, f := range tweak {
		opts = append(opts, enginetest.Config(f))
	}
	r := enginetest.New(t, opts...)
	return &staffRig{Rig: r, t: t, now: time.Date(2026, 12, 7, 7, 0, 0, 0, r.Cfg.Location())}
}

// at sets the clock to a time of the current day, "07:30".
func (r *staffRig) at(hhmm string) {
	r.t.Helper()
	tm, err := time.Parse("15:04", hhmm)
	if err != nil {
		r.t.Fatal(err)
	}
	r.now = time.Date(r.now.Year(), r.now.Month(), r.now.Day(), tm.Hour(), tm.Minute(), 0, 0, r.now.Location())
}

// note writes a comment into the transcript.
func (r *staffRig) note(format string, args ...any) {
	fmt.Fprintf(&r.out, "\n# %s\n", fmt.Sprintf(format, args...))
}

// send handles one message synchronously, writes it and its replies into the transcript, and
// returns the replies.
func (r *staffRig) send(phone, text string) []bot.Outgoing {
	r.t.Helper()
	return r.handle(bot.Incoming{Phone: phone, Chat: phone, Text: text})
}

func (r *staffRig) handle(in bot.Incoming) []bot.Outgoing {
	r.t.Helper()
	in.At = r.now
	r.Handle(in)
	from := in.Phone
	if from == "" {
		from = "lid:" + in.LID
	}
	fmt.Fprintf(&r.out, "\n[%s] %s> %s\n", r.now.Format("15:04"), from, in.Text)
	out := r.Take()
	for _, o := range out {
		bulk := ""
		if o.Bulk {
			bulk = " (bulk)"
		}
		fmt.Fprintf(&r.out, "< %s%s\n", o.Chat, bulk)
		for _, l := range strings.Split(o.Text, "\n") {
			fmt.Fprintf(&r.out, "  %s\n", l)
		}
	}
	return out
}

func (r *staffRig) update(fn func(tx bot.Tx) error) {
	r.t.Helper()
	r.Update(fn)
}

// book gives an applicant the lowest free number of a window, as the conversation would.
func (r *staffRig) book(date string, window int, name, phone string, lang bot.Lang) bot.Booking {
	r.t.Helper()
	r.Clock.Set(r.now)
	return r.Book(date, window, name, phone, lang)
}

func (r *staffRig) setStatus(id int64, s bot.Status) {
	r.t.Helper()
	r.update(func(tx bot.Tx) error { return tx.SetStatus(id, s, r.now) })
}

func (r *staffRig) conversation(phone string) bot.Conversation {
	r.t.Helper()
	var c bot.Conversation
	r.update(func(tx bot.Tx) (err error) {
		c, err = tx.Conversation(phone)
		return err
	})
	return c
}

// query returns the rows of a query, one line each, columns separated by " | ".
func (r *staffRig) query(q string) string {
	r.t.Helper()
	rows, err := r.DB.SQL().Query(q)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		r.t.Fatal(err)
	}
	var b strings.Builder
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			r.t.Fatal(err)
		}
		for i, v := range vals {
			if i > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(v.String)
		}
		b.WriteString("\n")
	}
	if err := rows.Err(); err != nil {
		r.t.Fatal(err)
	}
	return b.String()
}

// golden compares the transcript, followed by the audit log, with testdata/staff/name.golden.
func (r *staffRig) golden(name string) {
	r.t.Helper()
	rows, err := r.DB.SQL().Query(`SELECT at, staff, action, date, booking_id, detail FROM audit ORDER BY id`)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	r.out.WriteString("\n== audit\n")
	for rows.Next() {
		var at, booking int64
		var staff, action, date, detail string
		if err := rows.Scan(&at, &staff, &action, &date, &booking, &detail); err != nil {
			r.t.Fatal(err)
		}
		fmt.Fprintf(&r.out, "%s %s %s date=%s booking=%d %s\n",
			time.UnixMilli(at).In(r.Cfg.Location()).Format("2006-01-02 15:04"), staff, action, date, booking, detail)
	}
	if err := rows.Err(); err != nil {
		r.t.Fatal(err)
	}
	got := r.out.String()
	path := filepath.Join("testdata", "staff", name+".golden")
	if *updateStaff {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			r.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		r.t.Fatalf("%v (go test ./bot -run %s -update-staff writes it)", err, r.t.Name())
	}
	if got != string(want) {
		r.t.Errorf("transcript differs from %s (go test ./bot -run %s -update-staff rewrites it):\n%s",
			path, r.t.Name(), firstDiff(string(want), got))
	}
}

// rigApplicant returns applicant n's made-up phone number, 6280000000xx with xx = 10+n; staff
// numbers are below 10 and from 50 on.
func rigApplicant(n int) string { return fmt.Sprintf("6280000000%02d", 10+n) }

const (
	rigMon = "2026-12-07" // today in every test
	rigTue = "2026-12-08"
	rigWed = "2026-12-09"
	rigThu = "2026-12-10"
)

func TestStaffHelp(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	r.note("an admin sees every command, a member all but /staff")
	r.send(rigAdmin, "/help")
	r.send(rigMember, "/HELP")
	r.note("unknown commands")
	r.send(rigMember, "/hapus 7")
	r.send(rigMember, "/")
	r.golden("help")
}

func TestStaffList(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	for i := 1; i <= 30; i++ {
		bk := r.book(rigMon, (i-1)/6+1, fmt.Sprintf("PEMOHON %02d", i), rigApplicant(i), bot.LangID)
		if i%10 == 0 {
			r.setStatus(bk.ID, bot.StatusCancelled)
		}
	}
	r.at("07:10")
	r.note("30 bookings: the list is split into messages that fit a phone screen; phones show four digits")
	out := r.send(rigMember, "/list")
	if len(out) != 2 {
		t.Errorf("/list of 30 bookings: %d messages, want 2", len(out))
	}
	for _, o := range out {
		if strings.Contains(o.Text, rigApplicant(1)) {
			t.Errorf("/list shows a whole phone number:\n%s", o.Text)
		}
	}
	r.send(rigMember, "/list besok")
	r.send(rigMember, "/list 32/13")
	r.golden("list")
}

func TestStaffFind(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	r.book(rigMon, 1, "BUDI SANTOSO", rigApplicant(11), bot.LangID)
	r.book(rigTue, 2, "BUDIMAN", rigApplicant(12), bot.LangID)
	r.book(rigWed, 1, "SITI AMINAH", rigApplicant(13), bot.LangEN)
	r.at("08:00")
	r.send(rigMember, "/find budi")
	r.send(rigMember, "/find Siti  Aminah")
	r.note("by phone number, also as typed in Indonesia with a leading 0")
	r.send(rigMember, "/find 0023")
	r.send(rigMember, "/find 0800 000 0022")
	r.send(rigMember, "/find zaenal")
	r.send(rigMember, "/find bu")
	r.golden("find")
}

// seedDay books today's numbers for the calling tests: 001–005 in window 1 (002 cancelled by its
// applicant), 011–012 in window 2, 021 in window 3, and 004 an English speaker.
func seedDay(r *staffRig) []bot.Booking {
	var bs []bot.Booking
	names := []string{"ANI", "BAYU", "CITRA", "DEWI", "EKO"}
	for i, name := range names {
		lang := bot.LangID
		if name == "DEWI" {
			lang = bot.LangEN
		}
		bs = append(bs, r.book(rigMon, 1, name, rigApplicant(i+1), lang))
	}
	r.setStatus(bs[1].ID, bot.StatusCancelled)
	bs = append(bs, r.book(rigMon, 2, "FAJAR", rigApplicant(11), bot.LangID))
	bs = append(bs, r.book(rigMon, 2, "GITA", rigApplicant(12), bot.LangID))
	bs = append(bs, r.book(rigMon, 3, "HADI", rigApplicant(21), bot.LangID))
	return bs
}

func TestStaffNext(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	seedDay(r)
	r.at("07:25")
	r.note("the first /next names the counter")
	r.send(rigMember, "/next")
	r.at("07:35")
	r.note("001 is called; the three after it hear that their turn is near (002 is cancelled)")
	r.send(rigAdmin, "/next loket 1")
	r.at("07:41")
	r.send(rigMember, "/next 2")
	r.at("07:45")
	r.note("001 did not come")
	r.send(rigAdmin, "/noshow 1")
	r.send(rigAdmin, "/recall")
	r.at("07:46")
	r.send(rigAdmin, "/next")
	r.at("07:50")
	r.note("/recall repeats the staff member's own last call")
	r.send(rigMember, "/recall")
	r.at("08:02")
	r.send(rigMember, "/done 3")
	r.send(rigMember, "/done 3")
	r.at("08:05")
	r.note("005 is cancelled at the applicant's request; no-shows and cancellations are skipped")
	r.send(rigAdmin, "/cancel 5 permintaan pemohon")
	r.send(rigAdmin, "/done 4")
	r.at("09:20")
	r.send(rigAdmin, "/next")
	r.send(rigAdmin, "/noshow 11")
	r.at("09:40")
	r.send(rigMember, "/next")
	r.at("10:45")
	r.send(rigAdmin, "/next")
	r.send(rigMember, "/next")
	r.note("served is final: a served number cannot become a no-show")
	r.send(rigMember, "/noshow 3")
	r.send(rigMember, "/done 12")
	r.send(rigAdmin, "/done 21")
	r.send(rigAdmin, "/stats")
	r.golden("next")
}

func TestStaffCorrections(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	r.book(rigMon, 1, "ANI", rigApplicant(1), bot.LangID)
	r.book(rigWed, 1, "BAYU", rigApplicant(2), bot.LangID)
	r.at("08:00")
	for _, cmd := range []string{
		"/done", "/done abc", "/done 999", "/done 0", "/done 31/2:7", "/done 9/12:1", "/noshow 9/12:1",
		"/cancel", "/cancel 1", "/cancel 1/12:1 sakit",
		"/next loket nomor dua", "/paid 9/12:1",
		"/quota", "/quota besok", "/quota besok banyak", "/quota 1/12 40", "/quota 12/12 40", "/quota 25/12 40",
		"/close", "/close besok", "/close 4/12 banjir", "/open", "/open 4/12",
		"/broadcast", "/broadcast besok", "/broadcast 1/12 Halo", "/broadcast lusa Halo", "/broadcast ya",
		"/find", "/find ab", "/find 12",
		"/stats kemarin lusa", "/list 2026-13-01",
	} {
		out := r.send(rigMember, cmd)
		if len(out) != 1 || strings.Contains(out[0].Text, "\n") || !strings.Contains(out[0].Text, "Contoh: /") {
			t.Errorf("%s: want a one-line correction with an example, got %+v", cmd, out)
		}
	}
	r.send(rigAdmin, "/staff add 12")
	r.send(rigAdmin, "/staff promote "+rigNewStaff)
	r.golden("corrections")
}

func TestStaffCancelOffersSeat(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	bk := r.book(rigWed, 2, "BAYU", rigApplicant(2), bot.LangEN)
	r.update(func(tx bot.Tx) error {
		return tx.JoinWaitlist(bot.Conversation{Phone: rigApplicant(40), Chat: rigApplicant(40), Lang: bot.LangID}, r.now)
	})
	r.at("08:00")
	r.note("a future booking cancelled by staff: the applicant hears why, in English; the waiting list hears of the seat")
	r.send(rigMember, "/cancel 9/12:11 data paspor lama tidak cocok")
	r.send(rigMember, "/cancel 9/12:11 lagi")
	var got bot.Booking
	r.update(func(tx bot.Tx) (err error) {
		got, err = tx.Booking(bk.ID)
		return err
	})
	if got.Status != bot.StatusCancelled {
		t.Errorf("status %s, want cancelled", got.Status)
	}
	r.golden("cancel")
}

func TestStaffQuota(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	for i := 1; i <= 3; i++ {
		r.book(rigTue, 1, fmt.Sprintf("PEMOHON %d", i), rigApplicant(i), bot.LangID)
	}
	r.book(rigTue, 2, "PEMOHON 11", rigApplicant(11), bot.LangID)
	r.book(rigTue, 5, "PEMOHON 41", rigApplicant(41), bot.LangID)
	r.update(func(tx bot.Tx) error {
		return tx.JoinWaitlist(bot.Conversation{Phone: rigApplicant(60), Chat: rigApplicant(60), Lang: bot.LangID}, r.now)
	})
	r.at("08:00")
	r.note("five booked on Tuesday, the highest number 041: a lower quota keeps every booking in its window")
	r.send(rigAdmin, "/quota 8/12 4")
	r.send(rigAdmin, "/quota 8/12 40")
	r.note("raising: the waiting list hears of the new seats")
	r.send(rigAdmin, "/quota 8/12 41")
	r.send(rigAdmin, "/quota 8/12 60")
	r.send(rigAdmin, "/quota 8/12 60")
	r.send(rigMember, "/list 8/12")
	r.send(rigMember, "/quota 1/12 40")
	r.send(rigMember, "/quota 12/12 40")
	var free []int
	r.update(func(tx bot.Tx) (err error) {
		free, err = tx.FreeSeats(rigTue, bot.Split(60, 5))
		return err
	})
	// 60 seats, 5 booked, and one held for the applicant the waiting list told.
	if n := free[0] + free[1] + free[2] + free[3] + free[4]; n != 54 {
		t.Errorf("free seats after /quota 60 with 5 booked and 1 held: %d, want 54", n)
	}
	r.golden("quota")
}

func TestStaffCloseOpen(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	r.note("an English speaker and an Indonesian booked on Wednesday, someone else on Thursday")
	r.send(rigApplicant(2), "halo")
	r.send(rigApplicant(2), "5")
	ani := r.book(rigWed, 1, "ANI", rigApplicant(1), bot.LangID)
	r.book(rigWed, 2, "BAYU", rigApplicant(2), bot.LangEN)
	r.book(rigThu, 1, "CITRA", rigApplicant(3), bot.LangID)
	r.at("08:00")
	r.send(rigAdmin, "/close 9/12 banjir, kantor tidak dapat dibuka")
	c := r.conversation(rigApplicant(1))
	if c.State != bot.StateDate || c.Draft.Name != "ANI" || c.Draft.Type != ani.Type || len(c.Draft.Dates) == 0 {
		t.Errorf("after /close the applicant's conversation is %+v, want the date choice with name and type", c)
	}
	for _, d := range c.Draft.Dates {
		if d == rigWed {
			t.Errorf("the closed day is offered again: %v", c.Draft.Dates)
		}
	}
	r.send(rigAdmin, "/close 9/12 lagi")
	r.send(rigMember, "/list 9/12")
	r.note("ANI takes the first date offered")
	r.at("08:10")
	r.send(rigApplicant(1), "1")
	r.send(rigApplicant(1), "1")
	r.send(rigApplicant(1), "ya")
	r.note("a new applicant is not offered the closed day")
	r.send(rigApplicant(4), "1")
	r.send(rigApplicant(4), "DEWI LESTARI")
	r.send(rigApplicant(4), "1")
	r.at("09:00")
	r.note("opening again: BAYU gets the number back, ANI keeps the new one")
	r.send(rigAdmin, "/open 9/12")
	if c := r.conversation(rigApplicant(2)); c.State != bot.StateMenu {
		t.Errorf("after /open the restored applicant's conversation is in %q, want the menu", c.State)
	}
	r.send(rigAdmin, "/open 9/12")
	r.send(rigMember, "/list 9/12")
	r.send(rigMember, "/stats 9/12")
	r.golden("close_open")
}

func TestStaffBroadcast(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	r.book(rigTue, 1, "ANI", rigApplicant(1), bot.LangID)
	r.book(rigTue, 1, "ANAK ANI", rigApplicant(1), bot.LangID) // a family on one phone hears it once
	r.book(rigTue, 2, "BAYU", rigApplicant(2), bot.LangEN)
	gone := r.book(rigTue, 3, "CITRA", rigApplicant(3), bot.LangID)
	r.setStatus(gone.ID, bot.StatusCancelled)
	r.at("08:00")
	r.send(rigMember, "/broadcast besok Mohon datang 30 menit lebih awal: ada pemeliharaan sistem.")
	r.at("08:02")
	out := r.send(rigMember, "/broadcast ya")
	bulk := 0
	for _, o := range out {
		if o.Bulk {
			bulk++
		}
	}
	if bulk != 2 {
		t.Errorf("broadcast sent %d bulk messages, want 2 (one per applicant)", bulk)
	}
	r.send(rigMember, "/broadcast ya")
	r.note("a draft dropped, and one confirmed too late")
	r.send(rigMember, "/broadcast 8/12 Tes")
	r.send(rigMember, "/broadcast batal")
	r.send(rigMember, "/broadcast 8/12 Tes")
	r.at("08:40")
	r.send(rigMember, "/broadcast ya")
	r.send(rigMember, "/broadcast 13/12 Tes")
	r.golden("broadcast")
}

func TestStaffStatsWeek(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	r.book(rigMon, 1, "ANI", rigApplicant(1), bot.LangID)
	b := r.book(rigMon, 1, "BAYU", rigApplicant(2), bot.LangID)
	r.book(rigTue, 1, "CITRA", rigApplicant(3), bot.LangID)
	r.book(rigWed, 4, "DEWI", rigApplicant(4), bot.LangID)
	r.setStatus(b.ID, bot.StatusCancelled)
	r.at("07:20")
	r.note("called before the window opens: no wait")
	r.send(rigMember, "/next 1")
	r.send(rigMember, "/done 1")
	r.send(rigAdmin, "/close 10/12 listrik padam")
	r.send(rigMember, "/stats week")
	r.send(rigMember, "/stats minggu 16/12")
	r.golden("stats_week")
}

func TestStaffPaidReady(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	bk := r.book(rigMon, 1, "ANI", rigApplicant(1), bot.LangID)
	r.book(rigMon, 1, "BAYU", rigApplicant(2), bot.LangEN)
	gone := r.book(rigMon, 1, "CITRA", rigApplicant(3), bot.LangID)
	r.setStatus(gone.ID, bot.StatusCancelled)
	r.book(rigWed, 1, "DEWI", rigApplicant(4), bot.LangID)
	errProbe := errors.New("roll back the probe")
	probe := r.DB.Update(context.Background(), func(tx bot.Tx) error {
		if err := tx.MarkPaid(bk.ID, r.now); err != nil {
			return err
		}
		return errProbe
	})
	if !errors.Is(probe, errProbe) {
		t.Skipf("MarkPaid is not available yet (store/jobs.go, issue 4): %v", probe)
	}
	r.at("08:00")
	r.note("the fee paid without /next or /done: the number is served, so the night cannot make it a no-show")
	r.send(rigMember, "/paid 1")
	r.send(rigMember, "/paid 1")
	r.note("an English speaker's passport is ready early: they hear at once, and once")
	r.at("09:00")
	r.send(rigMember, "/ready 2")
	r.send(rigMember, "/ready 2")
	r.send(rigMember, "/paid 9/12:1")
	r.send(rigMember, "/ready 3")
	r.note("the passport handed over: no reminder will follow")
	r.send(rigMember, "/collected 2")
	r.golden("paid_ready")
}

// staffTables dumps everything the staff commands can change, but for the messages and the
// sender's own conversation.
func (r *staffRig) staffTables() string {
	var b strings.Builder
	for _, q := range []string{
		`SELECT id, date, number, status, counter, called_at, updated_at FROM bookings ORDER BY id`,
		`SELECT * FROM days ORDER BY date`,
		`SELECT * FROM staff ORDER BY phone`,
		`SELECT * FROM staff_state ORDER BY phone`,
		`SELECT * FROM audit ORDER BY id`,
		`SELECT * FROM near_notices ORDER BY booking_id`,
		`SELECT * FROM closed_bookings ORDER BY booking_id`,
		`SELECT * FROM waitlist ORDER BY phone`,
	} {
		b.WriteString(q + "\n" + r.query(q))
	}
	return b.String()
}

func TestStaffAuthorisation(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	seedDay(r)
	r.book(rigTue, 1, "SITI", rigApplicant(31), bot.LangID)
	r.at("08:00")
	before := r.staffTables()
	r.note("a stranger's commands are an applicant's messages: the hint and the menu, nothing else")
	for _, c := range commandsOfEveryKind {
		r.now = r.now.Add(20 * time.Second) // at a person's pace, below the flood limit
		for _, o := range r.send(rigStranger, c) {
			if o.Chat != rigStranger {
				t.Errorf("%s from a stranger sent a message to %s", c, o.Chat)
			}
			for _, secret := range []string{"ANI", "SITI", "Antrian Senin", "Perintah petugas", rigApplicant(1)[8:], "loket"} {
				if strings.Contains(o.Text, secret) {
					t.Errorf("%s from a stranger revealed %q:\n%s", c, secret, o.Text)
				}
			}
		}
	}
	if after := r.staffTables(); after != before {
		t.Errorf("a stranger's commands changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	r.note("a member cannot manage staff")
	r.send(rigMember, "/staff add "+rigNewStaff)
	r.send(rigMember, "/staff")
	if got := r.query(`SELECT phone FROM staff`); got != "" {
		t.Errorf("a member added staff: %s", got)
	}
	r.note("an admin adds a member, who can then work; configured staff stay in the configuration")
	r.send(rigAdmin, "/staff add 0800-000-0050")
	r.send(rigAdmin, "/staff add "+rigNewStaff)
	r.send(rigAdmin, "/staff add "+rigMember)
	r.send(rigNewStaff, "/list")
	r.send(rigNewStaff, "/staff remove "+rigMember)
	r.note("a staff member whose LID the transport resolved")
	r.handle(bot.Incoming{Phone: rigNewStaff, LID: "123456789", Chat: "123456789@lid", Text: "/next 3"})
	r.send(rigAdmin, "/staff")
	r.send(rigAdmin, "/staff remove "+rigMember)
	r.send(rigAdmin, "/staff remove "+rigNewStaff)
	r.send(rigAdmin, "/staff remove "+rigNewStaff)
	r.note("removed: an applicant again")
	r.send(rigNewStaff, "/list")
	r.golden("authorisation")
}

// commandsOfEveryKind holds one use of every staff command, for the authorisation test.
var commandsOfEveryKind = []string{
	"/help", "/list", "/list besok", "/next 1", "/recall", "/done 1", "/noshow 1", "/cancel 3 x",
	"/find ani", "/find 0001", "/quota besok 10", "/close besok libur", "/open besok", "/stats", "/stats week",
	"/broadcast besok halo", "/broadcast ya", "/paid 1", "/ready 1", "/staff add " + rigStranger, "/staff",
}
