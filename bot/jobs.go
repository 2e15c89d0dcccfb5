package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"
)

// The clock's jobs, by the names the configuration ([jobs]) and the job_runs table use.
const (
	JobRollover        = "rollover"
	JobEveningReminder = "evening_reminder"
	JobMorningReminder = "morning_reminder"
	JobPickupCheck     = "pickup_check"
	JobRetention       = "retention"
)

// JobKeyLayout is how a job occurrence is recorded: its due time in the office's zone, to the minute.
const JobKeyLayout = "2006-01-02 15:04"

// ClockJob is one of the bot's jobs by the clock, for a scheduler to run.
type ClockJob struct {
	Name string
	Spec string // cron schedule, five fields, in the office's time zone
	// Run does the job's work for the occurrence due at due; now is the clock's time, later than due
	// when a job missed during downtime is caught up. Running one occurrence twice does nothing.
	Run func(ctx context.Context, due, now time.Time) error
}

// ClockJobs returns the configured jobs in the order they should run when due at once; a job
// whose schedule is empty (the morning reminder by default) is left out.
func (b *Bot) ClockJobs() []ClockJob {
	j := b.cfg.Jobs
	all := []ClockJob{
		{JobRollover, j.Rollover, b.RunRollover},
		{JobEveningReminder, j.EveningReminder, b.RunEveningReminder},
		{JobMorningReminder, j.MorningReminder, b.RunMorningReminder},
		{JobPickupCheck, j.PickupCheck, b.RunPickupCheck},
		{JobRetention, j.Retention, b.RunRetention},
	}
	var out []ClockJob
	for _, c := range all {
		if strings.TrimSpace(c.Spec) != "" {
			out = append(out, c)
		}
	}
	return out
}

// jobTx runs one occurrence of a job in one transaction that first claims the occurrence in
// job_runs: the work and its record commit together, so a crash leaves neither and a second run
// (a restart's catch-up, a replayed simulation) finds the claim and does nothing.
func (b *Bot) jobTx(ctx context.Context, job string, due, now time.Time, fn func(Tx) error) error {
	key := due.In(b.loc).Format(JobKeyLayout)
	err := b.store.Update(ctx, func(tx Tx) (err error) {
		// The store's Update rolls back only when fn returns; a panic escaping it would keep the
		// write transaction, and with it the whole database, locked. So it becomes an error here.
		defer func() {
			if r := recover(); r != nil {
				b.log.Error("job panicked", "job", job, "due", key, "panic", r, "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		fresh, err := tx.ClaimJobRun(job, key, now)
		if err != nil || !fresh {
			return err
		}
		if b.clockTrusted() {
			if err := tx.NoteTime(now); err != nil {
				return err
			}
		}
		return fn(tx)
	})
	if err != nil {
		return fmt.Errorf("%s for %s: %w", job, key, err)
	}
	return nil
}

// RunRollover closes the days before due's date: bookings still booked or called become no-shows.
// The booking window needs no work: bookable dates are counted from today. While the clock is
// doubted it does nothing and records no run. It returns an error when the store fails.
func (b *Bot) RunRollover(ctx context.Context, due, now time.Time) error {
	if b.heldBack(JobRollover) {
		return nil
	}
	today := dateOf(due, b.loc)
	return b.jobTx(ctx, JobRollover, due, now, func(tx Tx) error {
		n, err := tx.MarkNoShows(today, now)
		if err != nil {
			return err
		}
		b.log.Log(ctx, jobLevel(n), "days closed", "before", today, "no_shows", n)
		return nil
	})
}

// heldBack reports whether a job that cannot be undone must wait because the clock is doubted
// (clockcheck). The run is then not recorded, so that it runs, once, when the clock is confirmed.
func (b *Bot) heldBack(job string) bool {
	if b.clockTrusted() {
		return false
	}
	b.log.Info("job held back until the clock is confirmed", "job", job)
	return true
}

// RunEveningReminder reminds everyone booked for the calendar day after due's date, in their
// language, once per booking. Caught up late, it reminds only those whose window has not begun.
// It returns an error when the store fails.
func (b *Bot) RunEveningReminder(ctx context.Context, due, now time.Time) error {
	date := due.In(b.loc).AddDate(0, 0, 1).Format(DateLayout)
	return b.jobTx(ctx, JobEveningReminder, due, now, func(tx Tx) error {
		return b.remind(tx, ReminderEvening, date, now)
	})
}

// RunMorningReminder reminds everyone booked for due's own date whose window has not begun, once
// per booking. It returns an error when the store fails.
func (b *Bot) RunMorningReminder(ctx context.Context, due, now time.Time) error {
	date := dateOf(due, b.loc)
	return b.jobTx(ctx, JobMorningReminder, due, now, func(tx Tx) error {
		return b.remind(tx, ReminderMorning, date, now)
	})
}

// remind queues reminder kind for date's bookings, at the bulk pace. A day the office is closed
// (weekend, holiday, closed by staff) gets none: those applicants were told otherwise.
func (b *Bot) remind(tx Tx, kind Reminder, date string, now time.Time) error {
	day, err := parseDate(date, b.loc)
	if err != nil {
		return err
	}
	if !b.cfg.ServiceDay(day) {
		return nil
	}
	settings, err := tx.Day(date)
	if err != nil || settings.Closed {
		return err
	}
	bs, err := tx.ToRemind(date, kind)
	if err != nil {
		return err
	}
	sent, late := 0, 0
	sameDay := dateOf(now, b.loc) == date
	for _, bk := range bs {
		// A reminder is worth sending only before the appointment; one that would arrive after
		// the window began (a catch-up in the morning) is left out, not sent late.
		if !now.Before(b.windowOpens(date, bk.Window)) {
			late++
			continue
		}
		if err := tx.Send(Outgoing{Chat: bk.Chat, Phone: bk.Phone, Text: b.reminderText(bk, sameDay),
			Bulk: true, CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.MarkReminded(bk.ID, kind, now); err != nil {
			return err
		}
		sent++
	}
	b.log.Log(context.Background(), jobLevel(sent+late), "reminders queued", "kind", string(kind), "date", date,
		"sent", sent, "too_late", late)
	return nil
}

// windowOpens returns when window w (1-based) of date begins, in the office's zone; the service
// opening for a window the configuration no longer has.
func (b *Bot) windowOpens(date string, w int) time.Time {
	day, _ := parseDate(date, b.loc) // date came from the database, where it is always well formed
	start := b.cfg.Hours().Start
	if spans := b.cfg.Windows(); w >= 1 && w <= len(spans) {
		start = spans[w-1].Start
	}
	return time.Date(day.Year(), day.Month(), day.Day(), start/60, start%60, 0, 0, b.loc)
}

// reminderText is the reminder an applicant receives: like the confirmation, number, date in words,
// window, documents and how to cancel, headed "tomorrow" or, when caught up on the day, "today".
func (b *Bot) reminderText(bk Booking, sameDay bool) string {
	jt, tx := jobTextsFor(bk.Lang), textsFor(bk.Lang)
	var s strings.Builder
	if sameDay {
		s.WriteString(jt.RemindToday)
	} else {
		s.WriteString(jt.RemindTomorrow)
	}
	s.WriteString("\n" + fmt.Sprintf(jt.Remind, number(bk.Number), bk.Name, b.typeName(bk.Type, bk.Lang),
		dateWords(bk.Date, bk.Lang), b.windowText(bk.Window)))
	if pt, ok := b.passportType(bk.Type); ok {
		if docs := documentList(pt, bk.Lang); docs != "" {
			s.WriteString("\n\n" + tx.Documents + docs)
		}
	}
	s.WriteString("\n\n" + tx.HowToCancel)
	return s.String()
}

// RunPickupCheck sends the pickup notices that are due as of now: "your passport can be collected
// from" once the configured working days after payment have passed (or staff marked it ready), and
// one reminder when it was not collected within the configured working days after that. It
// returns an error when the store fails.
func (b *Bot) RunPickupCheck(ctx context.Context, due, now time.Time) error {
	// In batches, each its own short transaction, so that no message handled meanwhile waits long
	// for the writer; each notice is marked as it is queued, so a batch run again sends nothing
	// twice, and the run is recorded once all are done.
	key := due.In(b.loc).Format(JobKeyLayout)
	var last string
	if err := b.store.View(ctx, func(rx ReadTx) (err error) {
		last, err = rx.LastJobRun(JobPickupCheck)
		return err
	}); err != nil {
		return fmt.Errorf("%s for %s: %w", JobPickupCheck, key, err)
	}
	if last == key {
		return nil // this occurrence ran already
	}
	var notices, reminders int
	for {
		var n, r int
		err := b.store.Update(ctx, func(tx Tx) (err error) {
			n, r, err = b.pickupNotices(tx, now, 0, pickupBatch)
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", JobPickupCheck, err)
		}
		notices, reminders = notices+n, reminders+r
		if n+r < pickupBatch {
			break
		}
	}
	return b.jobTx(ctx, JobPickupCheck, due, now, func(tx Tx) error {
		b.log.Log(ctx, jobLevel(notices+reminders), "pickup notices queued", "ready", notices, "reminders", reminders)
		return nil
	})
}

// pickupBatch is how many pickup notices one transaction of the pickup job queues.
const pickupBatch = 50

// NotifyPickup sends booking id's ready notice at once when it is due and not sent yet; the /ready
// command calls it after MarkReady, in the same transaction. It reports whether a notice was
// queued, and returns an error when the store fails.
func (b *Bot) NotifyPickup(tx Tx, id int64, now time.Time) (bool, error) {
	notices, _, err := b.pickupNotices(tx, now, id, 0)
	return notices > 0, err
}

// pickupNotices sends the due pickup messages of every waiting passport, or of booking only when
// only is not 0, at most limit of them (0: all), and counts them. A /ready for one booking must not
// fire others' reminders early.
func (b *Bot) pickupNotices(tx Tx, now time.Time, only int64, limit int) (notices, reminders int, err error) {
	ps, err := tx.Pickups()
	if err != nil {
		return 0, 0, err
	}
	today := dateOf(now, b.loc)
	for _, p := range ps {
		if limit > 0 && notices+reminders >= limit {
			break
		}
		if only != 0 && p.ID != only {
			continue
		}
		if p.NotifiedAt.IsZero() {
			from, ok := b.pickupFrom(p)
			if !ok || from > today {
				continue
			}
			if err := b.sendPickup(tx, p.Booking, jobTextsFor(p.Lang).Ready, from, now); err != nil {
				return notices, reminders, err
			}
			if err := tx.MarkPickupNotified(p.ID, from, now); err != nil {
				return notices, reminders, err
			}
			notices++
			continue
		}
		if only != 0 {
			continue
		}
		remindOn, ok := b.workingDaysAfter(p.From, b.cfg.Jobs.PickupRemindAfter)
		if !ok || remindOn > today {
			continue
		}
		if err := b.sendPickup(tx, p.Booking, jobTextsFor(p.Lang).PickupReminder, p.From, now); err != nil {
			return notices, reminders, err
		}
		if err := tx.MarkPickupReminded(p.ID, now); err != nil {
			return notices, reminders, err
		}
		reminders++
	}
	return notices, reminders, nil
}

// pickupFrom returns the first date a passport can be collected: the configured working days after
// payment, or the day staff marked it ready, whichever is earlier.
func (b *Bot) pickupFrom(p Pickup) (string, bool) {
	var from string
	if !p.PaidAt.IsZero() {
		if d, ok := b.workingDaysAfter(dateOf(p.PaidAt, b.loc), b.cfg.Passport.PickupAfter); ok {
			from = d
		}
	}
	if !p.ReadyAt.IsZero() {
		if d := dateOf(p.ReadyAt, b.loc); from == "" || d < from {
			from = d
		}
	}
	return from, from != ""
}

// maxDaysSearched bounds the search for working days, so that a calendar with no service day at
// all ends the search instead of looping.
const maxDaysSearched = 3 * 366

// workingDaysAfter returns the n-th service day after date (n 0: date itself when the office
// serves that day, else the next service day). Weekends and holidays do not count.
func (b *Bot) workingDaysAfter(date string, n int) (string, bool) {
	d, err := parseDate(date, b.loc)
	if err != nil {
		return "", false
	}
	if n <= 0 && b.cfg.ServiceDay(d) {
		return date, true
	}
	counted := 0
	for i := 1; i <= maxDaysSearched; i++ {
		day := d.AddDate(0, 0, i)
		if !b.cfg.ServiceDay(day) {
			continue
		}
		if counted++; counted >= n {
			return day.Format(DateLayout), true
		}
	}
	return "", false
}

func (b *Bot) sendPickup(tx Tx, bk Booking, format, from string, now time.Time) error {
	fromWords := dateWords(from, bk.Lang)
	if from == dateOf(now, b.loc) { // "can be collected from today", not from a date to work out
		fromWords = "hari ini"
		if bk.Lang == LangEN {
			fromWords = "today"
		}
	}
	text := fmt.Sprintf(format, fromWords, number(bk.Number), dateWords(bk.Date, bk.Lang), bk.Name,
		b.cfg.Office.Name, b.serviceDays(bk.Lang), b.cfg.Hours().String())
	return tx.Send(Outgoing{Chat: bk.Chat, Phone: bk.Phone, Text: text, Bulk: true, CreatedAt: now})
}

// retentionBatch is how many rows one transaction of the retention job touches: a few
// milliseconds of the writer (BenchmarkYear: about 20 µs a row on the development machine), so
// that a message handled meanwhile waits no longer than that.
const retentionBatch = 200

// redeliveryPeriod is how long WhatsApp may deliver a message again (a phone offline for up to
// 14 days): handled messages keep their id for that long, so a redelivery is still recognised.
const redeliveryPeriod = 14

// retentionCutKey is the setting that holds the date before which the last retention run erased.
const retentionCutKey = "retention_erased_before"

// RunRetention erases the personal data older than the configured retention days as of due:
// names, phone numbers and chats of bookings dated before the cut-off (which keep their date,
// number, status and type, so counts survive), conversations, waiting-list entries, messages
// (deleted; handled incoming ones keep their id for redelivery detection) and the staff's
// phones and free texts in the audit. It works in small batches, each its own transaction, and
// records the run only when all are done, so a run cut short is simply run again. One run never
// moves the cut-off further than the days since the last recorded run, plus one. While the clock
// is doubted it does nothing and records no run. It returns an error when the store fails.
func (b *Bot) RunRetention(ctx context.Context, due, now time.Time) error {
	if b.heldBack(JobRetention) {
		return nil
	}
	d := due.In(b.loc)
	key := d.Format(JobKeyLayout)
	midnight := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, b.loc)
	cut := midnight.AddDate(0, 0, -b.cfg.Jobs.RetentionDays)
	var last, lastCut string
	if err := b.store.View(ctx, func(rx ReadTx) error {
		var err error
		if last, err = rx.LastJobRun(JobRetention); err != nil {
			return err
		}
		lastCut, err = rx.Setting(retentionCutKey)
		return err
	}); err != nil {
		return fmt.Errorf("%s for %s: %w", JobRetention, key, err)
	}
	if last == key {
		return nil // ran already; jobTx below would find the record too
	}
	if lastDue, err := time.ParseInLocation(JobKeyLayout, last, b.loc); err == nil {
		// The previous run erased up to its cut-off; this one goes at most the days since then,
		// plus one, further (a shortened retention is caught up over the following nights; a
		// clock far off is the guard's to refuse).
		lastMidnight := time.Date(lastDue.Year(), lastDue.Month(), lastDue.Day(), 0, 0, 0, 0, b.loc)
		prev := lastMidnight.AddDate(0, 0, -b.cfg.Jobs.RetentionDays)
		if c, err := time.ParseInLocation(DateLayout, lastCut, b.loc); err == nil {
			prev = c
		}
		passed := daysBetween(lastMidnight, midnight)
		if limit := prev.AddDate(0, 0, passed+1); cut.After(limit) {
			b.log.Warn("retention erases less than its setting asks tonight", "before", limit.Format(DateLayout),
				"asked", cut.Format(DateLayout))
			cut = limit
		}
	}
	e := Erasure{Date: cut.Format(DateLayout), Before: cut, Forget: midnight.AddDate(0, 0, -redeliveryPeriod), At: now}
	if cut.Before(e.Forget) {
		e.Forget = cut
	}
	// Each transaction does up to retentionBatch rows, taking the steps in order: a step done
	// leaves the rest of the budget to the next, so a quiet night is one or two transactions.
	erased, steps := Erased{}, EraseSteps
	for len(steps) > 0 {
		err := b.store.Update(ctx, func(tx Tx) error {
			for budget := retentionBatch; budget > 0 && len(steps) > 0; {
				n, err := tx.EraseBatch(steps[0], e, budget)
				if err != nil {
					return err
				}
				erased[steps[0]] += n
				if n < budget {
					steps = steps[1:]
				}
				budget -= n
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("%s for %s: %w", JobRetention, key, err)
		}
	}
	return b.jobTx(ctx, JobRetention, due, now, func(tx Tx) error {
		if err := tx.SaveSetting(retentionCutKey, e.Date); err != nil {
			return err
		}
		args := []any{"before", e.Date}
		for _, step := range EraseSteps {
			args = append(args, string(step), erased[step])
		}
		total := 0
		for _, step := range EraseSteps {
			total += erased[step]
		}
		b.log.Log(ctx, jobLevel(total), "personal data erased", args...)
		return nil
	})
}

// daysBetween counts the calendar days from a's date to b's (negative when b is earlier).
func daysBetween(a, b time.Time) int {
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	ua := time.Date(ya, ma, da, 12, 0, 0, 0, time.UTC)
	ub := time.Date(yb, mb, db, 12, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}

// jobTexts holds the jobs' messages, in one language, beside texts.go's conversation texts.
type jobTexts struct {
	RemindTomorrow string
	RemindToday    string
	Remind         string // number, name, type, date, window
	// Ready and PickupReminder: collect-from date, number, visit date, name, office, days, hours.
	Ready          string
	PickupReminder string
}

var jobTextsID = jobTexts{
	RemindTomorrow: "🔔 *Pengingat: besok jadwal kedatangan Anda*",
	RemindToday:    "🔔 *Pengingat: hari ini jadwal kedatangan Anda*",
	Remind: "Nomor antrian: *%s*\nNama: %s\nJenis paspor: %s\nTanggal: %s\nJam datang: %s\n\n" +
		"Datanglah pada jam tersebut dan tunjukkan pesan ini kepada petugas.",
	Ready: "📘 *Paspor Anda dapat diambil mulai %s.*\nNomor antrian: %s (%s)\nNama: %s\n\n" +
		"Ambil di %s: %s, %s WIB, kecuali hari libur. Bawa bukti pembayaran.",
	PickupReminder: "📘 *Pengingat: paspor Anda sudah dapat diambil sejak %s* dan belum diambil.\n" +
		"Nomor antrian: %s (%s)\nNama: %s\n\n" +
		"Ambil di %s: %s, %s WIB, kecuali hari libur. Bawa bukti pembayaran.",
}

var jobTextsEN = jobTexts{
	RemindTomorrow: "🔔 *Reminder: your appointment is tomorrow*",
	RemindToday:    "🔔 *Reminder: your appointment is today*",
	Remind: "Queue number: *%s*\nName: %s\nPassport type: %s\nDate: %s\nArrival time: %s\n\n" +
		"Please come within that time and show this message to the officer.",
	Ready: "📘 *Your passport can be collected from %s.*\nQueue number: %s (%s)\nName: %s\n\n" +
		"Collect it at %s: %s, %s WIB, except holidays. Bring your payment receipt.",
	PickupReminder: "📘 *Reminder: your passport has been ready for collection since %s* and is still waiting.\n" +
		"Queue number: %s (%s)\nName: %s\n\n" +
		"Collect it at %s: %s, %s WIB, except holidays. Bring your payment receipt.",
}

func jobTextsFor(l Lang) *jobTexts {
	if l == LangEN {
		return &jobTextsEN
	}
	return &jobTextsID
}

// jobLevel is the level of a job's summary line: info when it did something, debug when it found
// nothing to do, so that a new office's log does not fill with zeros.
func jobLevel(done int) slog.Level {
	if done > 0 {
		return slog.LevelInfo
	}
	return slog.LevelDebug
}
