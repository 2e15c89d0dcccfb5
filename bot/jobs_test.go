package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"law/bot"
	"law/config"
	"law/engine/enginetest"
	"law/store"
	"law/store/storetest"
)

// jobsHarness drives the jobs' bodies directly, with explicit due and now times, on the test rig.
type jobsHarness struct {
	*enginetest.Rig
	t    *testing.T
	logs *storetest.LogBuffer // the race detector sees it written from the jobs
	loc  *time.Location
}

func newJobsHarness(t *testing.T, change func(*config.Config)) *jobsHarness {
	t.Helper()
	t.Setenv("TZ", "UTC") // the machine's zone must not matter: the office's is Asia/Jakarta
	if change == nil {
		change = func(*config.Config) {}
	}
	logs := &storetest.LogBuffer{}
	r := enginetest.New(t, enginetest.Config(change), enginetest.Log(logs.Logger()))
	return &jobsHarness{Rig: r, t: t, logs: logs, loc: r.Cfg.Location()}
}

// open reopens the database and builds a fresh bot on it: a restart of the program.
func (h *jobsHarness) open() { h.Rig = h.Reopen(h.Now()) }

// at is a wall-clock time in the office's zone.
func (h *jobsHarness) at(date, clock string) time.Time {
	h.t.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, h.loc)
	if err != nil {
		h.t.Fatal(err)
	}
	return t
}

func (h *jobsHarness) update(fn func(bot.Tx) error) {
	h.t.Helper()
	h.Update(fn)
}

func (h *jobsHarness) book(date string, window int, name, phone string, lang bot.Lang) bot.Booking {
	h.t.Helper()
	var bk bot.Booking
	h.update(func(tx bot.Tx) error {
		var err error
		bk, err = tx.Book(bot.Booking{Date: date, Window: window, Name: name, Type: "EP10", Phone: phone,
			Chat: phone, Lang: lang, CreatedAt: h.at("2026-11-20", "09:00")},
			bot.Split(h.Cfg.Queue.DailyQuota, len(h.Cfg.Windows())))
		return err
	})
	return bk
}

// sent returns the messages queued since the last call, marking them sent.
func (h *jobsHarness) sent() []bot.Outgoing { return h.Take() }

func (h *jobsHarness) run(job func(context.Context, time.Time, time.Time) error, due, now time.Time) {
	h.t.Helper()
	if err := job(context.Background(), due, now); err != nil {
		h.t.Fatal(err)
	}
}

// noPersonalData fails when the log carries a name or an unmasked phone number.
func (h *jobsHarness) noPersonalData(words ...string) {
	h.t.Helper()
	logs := h.logs.String()
	for _, w := range words {
		if strings.Contains(logs, w) {
			h.t.Errorf("the log carries %q:\n%s", w, logs)
		}
	}
}

func recipients(out []bot.Outgoing) string {
	var s []string
	for _, o := range out {
		s = append(s, o.Phone)
	}
	return strings.Join(s, ",")
}

func TestRolloverMakesNoShowsOfDaysBefore(t *testing.T) {
	h := newJobsHarness(t, nil)
	monBooked := h.book("2026-11-30", 1, "ANI", "6281000000001", bot.LangID)
	monCalled := h.book("2026-11-30", 1, "BUDI", "6281000000002", bot.LangID)
	monServed := h.book("2026-11-30", 2, "CICI", "6281000000003", bot.LangID)
	tue := h.book("2026-12-01", 1, "DODI", "6281000000004", bot.LangID)
	h.update(func(tx bot.Tx) error {
		if err := tx.SetStatus(monCalled.ID, bot.StatusCalled, h.at("2026-11-30", "08:00")); err != nil {
			return err
		}
		return tx.SetStatus(monServed.ID, bot.StatusServed, h.at("2026-11-30", "09:00"))
	})
	due := h.at("2026-12-01", "00:05")
	h.run(h.Bot.RunRollover, due, due)
	for id, want := range map[int64]bot.Status{monBooked.ID: bot.StatusNoShow, monCalled.ID: bot.StatusNoShow,
		monServed.ID: bot.StatusServed, tue.ID: bot.StatusBooked} {
		if got := h.Status(id); got != want {
			t.Errorf("booking %d: %s, want %s", id, got, want)
		}
	}
	if len(h.sent()) != 0 {
		t.Error("the roll-over sent messages")
	}
	h.noPersonalData("ANI", "BUDI", "6281000000001")
}

func TestEveningReminderOnceInTheirLanguage(t *testing.T) {
	h := newJobsHarness(t, nil)
	id := h.book("2026-12-01", 2, "BUDI SANTOSO", "6281000000001", bot.LangID)
	h.book("2026-12-01", 1, "JOHN SMITH", "6281000000002", bot.LangEN)
	h.book("2026-12-02", 1, "NEXT DAY", "6281000000003", bot.LangID)
	cancelled := h.book("2026-12-01", 1, "GONE", "6281000000004", bot.LangID)
	h.update(func(tx bot.Tx) error {
		return tx.SetStatus(cancelled.ID, bot.StatusCancelled, h.at("2026-11-25", "10:00"))
	})

	due := h.at("2026-11-30", "18:00")
	h.run(h.Bot.RunEveningReminder, due, due)
	out := h.sent()
	if got := recipients(out); got != "6281000000002,6281000000001" {
		t.Fatalf("reminded %q, want the two booked for 1 December, in number order", got)
	}
	for _, o := range out {
		if !o.Bulk || !o.CreatedAt.Equal(due) || o.Chat != o.Phone {
			t.Errorf("reminder %+v: want bulk, queued at %s, to the booking's chat", o, due)
		}
	}
	en, id0 := out[0].Text, out[1].Text
	for _, want := range []string{"tomorrow", "*001*", "JOHN SMITH", "Tuesday, 1 December 2026",
		"07:30–09:00 WIB", "Bring the original documents:", "- Family card (Kartu Keluarga)", "Type *cancel*"} {
		if !strings.Contains(en, want) {
			t.Errorf("English reminder lacks %q:\n%s", want, en)
		}
	}
	for _, want := range []string{"besok", fmt.Sprintf("*%03d*", id.Number), "BUDI SANTOSO",
		"Selasa, 1 Desember 2026", "09:00–10:30 WIB", "Bawa dokumen asli:", "- e-KTP", "Ketik *batal*"} {
		if !strings.Contains(id0, want) {
			t.Errorf("Indonesian reminder lacks %q:\n%s", want, id0)
		}
	}

	// The same occurrence again, and after a restart, and even with its record gone: nothing.
	h.run(h.Bot.RunEveningReminder, due, due.Add(time.Minute))
	h.open()
	h.run(h.Bot.RunEveningReminder, due, due.Add(2*time.Minute))
	if _, err := h.DB.SQL().Exec(`DELETE FROM job_runs`); err != nil {
		t.Fatal(err)
	}
	h.run(h.Bot.RunEveningReminder, due, due.Add(3*time.Minute))
	if out := h.sent(); len(out) != 0 {
		t.Errorf("reminded twice: %q", recipients(out))
	}
	h.noPersonalData("BUDI", "JOHN", "6281000000001", "6281000000002")
}

func TestEveningReminderSkipsClosedDays(t *testing.T) {
	h := newJobsHarness(t, nil)
	// 2026-12-25 is Christmas (a Friday), 2026-12-26 a Saturday: bookings there can only be left
	// over from before the day was closed, and get no reminder. Staff closed 2026-12-30.
	h.book("2026-12-25", 1, "HOLIDAY", "6281000000001", bot.LangID)
	h.book("2026-12-26", 1, "SATURDAY", "6281000000002", bot.LangID)
	h.book("2026-12-28", 1, "MONDAY", "6281000000003", bot.LangID)
	h.book("2026-12-30", 1, "CLOSED", "6281000000004", bot.LangID)
	h.update(func(tx bot.Tx) error {
		return tx.SetDay(bot.Day{Date: "2026-12-30", Closed: true, Reason: "rapat"})
	})
	for _, d := range []string{"2026-12-24", "2026-12-25", "2026-12-26", "2026-12-27", "2026-12-29"} {
		due := h.at(d, "18:00")
		h.run(h.Bot.RunEveningReminder, due, due)
	}
	if got := recipients(h.sent()); got != "6281000000003" {
		t.Errorf("reminded %q, want only Monday's applicant (on Sunday evening)", got)
	}
}

func TestLateReminderOnlyBeforeTheAppointment(t *testing.T) {
	h := newJobsHarness(t, nil)
	h.book("2026-12-01", 1, "EARLY", "6281000000001", bot.LangID) // 07:30–09:00
	h.book("2026-12-01", 2, "LATER", "6281000000002", bot.LangID) // 09:00–10:30
	// The program was down from before 18:00 until 08:00 on the day: the missed evening reminder
	// runs as caught up, for the window not yet begun, and says "today".
	h.run(h.Bot.RunEveningReminder, h.at("2026-11-30", "18:00"), h.at("2026-12-01", "08:00"))
	out := h.sent()
	if got := recipients(out); got != "6281000000002" {
		t.Fatalf("reminded %q, want only the 09:00 window", got)
	}
	if !strings.Contains(out[0].Text, "hari ini") || strings.Contains(out[0].Text, "besok") {
		t.Errorf("a reminder on the day should say today:\n%s", out[0].Text)
	}
	if !out[0].CreatedAt.Equal(h.at("2026-12-01", "08:00")) {
		t.Errorf("queued at %s, want the time of the catch-up", out[0].CreatedAt)
	}
}

func TestMorningReminder(t *testing.T) {
	h := newJobsHarness(t, func(c *config.Config) { c.Jobs.MorningReminder = "0 6 * * *" })
	var names []string
	for _, j := range h.Bot.ClockJobs() {
		names = append(names, j.Name)
	}
	if got := strings.Join(names, ","); got != "rollover,evening_reminder,morning_reminder,pickup_check,retention" {
		t.Errorf("jobs %s", got)
	}
	h.book("2026-12-01", 1, "ANI", "6281000000001", bot.LangEN)
	h.run(h.Bot.RunEveningReminder, h.at("2026-11-30", "18:00"), h.at("2026-11-30", "18:00"))
	h.sent()
	due := h.at("2026-12-01", "06:00")
	h.run(h.Bot.RunMorningReminder, due, due)
	out := h.sent()
	if len(out) != 1 || !strings.Contains(out[0].Text, "today") {
		t.Fatalf("morning reminder: %+v", out)
	}
	h.run(h.Bot.RunMorningReminder, due, due.Add(time.Hour))
	if len(h.sent()) != 0 {
		t.Error("the morning reminder went twice")
	}
}

func TestMorningReminderOffByDefault(t *testing.T) {
	h := newJobsHarness(t, nil)
	for _, j := range h.Bot.ClockJobs() {
		if j.Name == bot.JobMorningReminder {
			t.Error("the morning reminder runs though its schedule is empty")
		}
	}
}

func TestPickupCountsWorkingDays(t *testing.T) {
	h := newJobsHarness(t, nil)
	bk := h.book("2026-12-23", 1, "BUDI", "6281000000001", bot.LangID)
	other := h.book("2026-12-23", 1, "SITI", "6281000000002", bot.LangEN)
	// Paid on Wednesday 23 December. 24 and 25 are cuti bersama and Christmas, 26–27 the weekend:
	// the three working days are 28, 29 and 30 December.
	h.update(func(tx bot.Tx) error {
		if err := tx.MarkPaid(bk.ID, h.at("2026-12-23", "10:00")); err != nil {
			return err
		}
		return tx.MarkPaid(other.ID, h.at("2026-12-23", "10:05"))
	})
	check := func(date string) []bot.Outgoing {
		due := h.at(date, "08:00")
		h.run(h.Bot.RunPickupCheck, due, due)
		return h.sent()
	}
	for _, d := range []string{"2026-12-24", "2026-12-28", "2026-12-29"} {
		if out := check(d); len(out) != 0 {
			t.Fatalf("%s: pickup notice before the third working day: %q", d, out[0].Text)
		}
	}
	out := check("2026-12-30")
	if got := recipients(out); got != "6281000000001,6281000000002" {
		t.Fatalf("30 December: notices to %q", got)
	}
	if !strings.Contains(out[0].Text, "dapat diambil mulai hari ini") || !out[0].Bulk {
		t.Errorf("notice:\n%s", out[0].Text)
	}
	if !strings.Contains(out[1].Text, "can be collected from today") {
		t.Errorf("English notice:\n%s", out[1].Text)
	}
	// Siti collects hers. Budi does not: five working days after 30 December are 31 December,
	// 4, 6, 7 and 8 January (1 January and Isra Mikraj on 5 January are holidays).
	h.update(func(tx bot.Tx) error { return tx.MarkCollected(other.ID, h.at("2026-12-31", "09:00")) })
	for _, d := range []string{"2026-12-31", "2027-01-04", "2027-01-05", "2027-01-07"} {
		if out := check(d); len(out) != 0 {
			t.Fatalf("%s: %q", d, out[0].Text)
		}
	}
	out = check("2027-01-08")
	if got := recipients(out); got != "6281000000001" {
		t.Fatalf("8 January: reminders to %q, want Budi's only", got)
	}
	if !strings.Contains(out[0].Text, "Pengingat") || !strings.Contains(out[0].Text, "sejak Rabu, 30 Desember 2026") {
		t.Errorf("reminder:\n%s", out[0].Text)
	}
	for _, d := range []string{"2027-01-11", "2027-01-12"} {
		if out := check(d); len(out) != 0 {
			t.Errorf("%s: a second pickup reminder: %q", d, out[0].Text)
		}
	}
	h.noPersonalData("BUDI", "SITI", "6281000000001")
}

func TestReadyNoticeAtOnce(t *testing.T) {
	h := newJobsHarness(t, nil)
	bk := h.book("2026-12-01", 1, "BUDI", "6281000000001", bot.LangID)
	other := h.book("2026-12-01", 1, "SITI", "6281000000002", bot.LangID)
	now := h.at("2026-12-02", "11:00")
	h.update(func(tx bot.Tx) error {
		if err := tx.MarkPaid(bk.ID, h.at("2026-12-01", "09:00")); err != nil {
			return err
		}
		// Siti's passport is ready too, but only the booking /ready names is told at once.
		if err := tx.MarkReady(other.ID, now); err != nil {
			return err
		}
		if err := tx.MarkReady(bk.ID, now); err != nil {
			return err
		}
		sent, err := h.Bot.NotifyPickup(tx, bk.ID, now)
		if !sent {
			t.Error("NotifyPickup sent nothing")
		}
		return err
	})
	out := h.sent()
	if got := recipients(out); got != "6281000000001" {
		t.Fatalf("notices to %q", got)
	}
	if !strings.Contains(out[0].Text, "mulai hari ini") || !out[0].CreatedAt.Equal(now) {
		t.Errorf("notice at %s:\n%s", out[0].CreatedAt, out[0].Text)
	}
	h.update(func(tx bot.Tx) error {
		sent, err := h.Bot.NotifyPickup(tx, bk.ID, now.Add(time.Minute))
		if sent {
			t.Error("NotifyPickup sent the notice twice")
		}
		return err
	})
	// The next pickup check tells Siti, and not Budi again.
	due := h.at("2026-12-03", "08:00")
	h.run(h.Bot.RunPickupCheck, due, due)
	if got := recipients(h.sent()); got != "6281000000002" {
		t.Errorf("the pickup check told %q", got)
	}
}

func TestRetentionErasesWhatIsOlderThanTheSetting(t *testing.T) {
	h := newJobsHarness(t, func(c *config.Config) { c.Jobs.RetentionDays = 30 })
	old := h.book("2026-10-31", 1, "OLD NAME", "6281000000001", bot.LangID)
	kept := h.book("2026-11-01", 1, "KEPT NAME", "6281000000002", bot.LangID)
	h.update(func(tx bot.Tx) error {
		if err := tx.SetStatus(old.ID, bot.StatusServed, h.at("2026-10-31", "09:00")); err != nil {
			return err
		}
		return tx.SetStatus(kept.ID, bot.StatusServed, h.at("2026-11-01", "09:00"))
	})
	// As of 1 December, thirty days back is 1 November: 31 October is erased, 1 November kept.
	due := h.at("2026-12-01", "01:30")
	h.run(h.Bot.RunRetention, due, due)
	h.update(func(tx bot.Tx) error {
		got, err := tx.Bookings("2026-10-31")
		if err != nil {
			return err
		}
		if len(got) != 1 || got[0].Name != "" || got[0].Phone != "" || got[0].Chat != "" ||
			got[0].Number != 1 || got[0].Status != bot.StatusServed || got[0].Type != "EP10" {
			t.Errorf("old booking after retention: %+v", got)
		}
		if got, err = tx.Bookings("2026-11-01"); err != nil {
			return err
		}
		if len(got) != 1 || got[0].Name != "KEPT NAME" || got[0].Phone != "6281000000002" {
			t.Errorf("booking within the period after retention: %+v", got)
		}
		return nil
	})
	h.noPersonalData("OLD NAME", "KEPT NAME", "6281000000001")
}

func TestJobPanicRollsBack(t *testing.T) {
	h := newJobsHarness(t, nil)
	h.book("2026-12-01", 1, "ANI", "6281000000001", bot.LangID)
	// A store that panics halfway through the reminder transaction, after a message was queued.
	b := bot.New(h.Cfg, panicStore{h.DB}, slog.New(slog.NewTextHandler(h.logs, nil)))
	due := h.at("2026-11-30", "18:00")
	if err := b.RunEveningReminder(context.Background(), due, due); err == nil ||
		!strings.Contains(err.Error(), "panic") {
		t.Fatalf("a panicking job returned %v", err)
	}
	if out := h.sent(); len(out) != 0 {
		t.Fatalf("the panicked transaction queued %d messages", len(out))
	}
	// The database is not left locked, and the occurrence was not recorded: it runs properly now.
	h.run(h.Bot.RunEveningReminder, due, due)
	if len(h.sent()) != 1 {
		t.Error("the reminder did not go after the panic")
	}
}

type panicStore struct{ db *store.DB }

func (p panicStore) Update(ctx context.Context, fn func(bot.Tx) error) error {
	return p.db.Update(ctx, func(tx bot.Tx) error { return fn(panicTx{tx}) })
}

func (p panicStore) View(ctx context.Context, fn func(bot.ReadTx) error) error {
	return p.db.View(ctx, fn)
}

type panicTx struct{ bot.Tx }

func (panicTx) MarkReminded(int64, bot.Reminder, time.Time) error { panic("disk on fire") }
