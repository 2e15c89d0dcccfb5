package bot

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// step moves the conversation by one message. Refusals become replies; only a failing store
// returns an error.
func (t *turn) step() error {
	if done, err := t.office(); done || err != nil {
		return err // check-in and priority words, in office.go
	}
	if f, ok := parseForm(t.text); ok {
		return t.answerForm(f)
	}
	if t.c.State == StateNew {
		t.c.State = StateMenu
		if t.menuIntent() == intentNone {
			if understand(t.text).islamic() {
				t.say(t.t().Salam)
			}
			t.sayMore(t.t().Welcome)
			t.showMenu()
			return nil
		}
	}
	a := t.read()
	if a.is(intentMenu) {
		t.c.Draft = Draft{}
		t.c.State = StateMenu
		t.showMenu()
		return nil
	}
	// "batal" stops a flow and keeps any booking; asked "cancel this number?", it is no answer
	// either way, and the question comes again.
	if t.c.State != StateMenu && t.c.State != StateCancelConfirm && a.is(intentCancel) {
		stopped := t.t().Stopped
		if t.c.State == StateCancelChoose {
			stopped = t.t().CancelKept
		}
		t.c.Draft = Draft{}
		t.c.State = StateMenu
		t.say(stopped)
		t.showMenu()
		return nil
	}
	switch t.c.State {
	case StateName:
		return t.answerName()
	case StateType:
		return t.answerType()
	case StateDate:
		return t.answerDate()
	case StateWindow:
		return t.answerWindow()
	case StateOffer:
		return t.answerOffer()
	case StateConfirm:
		return t.answerConfirm()
	case StateMoveChoose:
		return t.answerMoveChoose()
	case StateCancelChoose:
		return t.answerCancelChoose()
	case StateCancelConfirm:
		return t.answerCancelConfirm()
	case StateWaitlist:
		return t.answerWaitlist()
	}
	t.c.State = StateMenu
	return t.answerMenu()
}

func (t *turn) showMenu() {
	t.sayMore(t.t().Menu, t.b.cfg.Office.Name)
}

// read reads the message at the conversation's open question.
func (t *turn) read() answer { return t.readAs(t.c.State) }

// readAs reads the message at the question of state st, once per turn and state: the draft a
// reading depends on does not change between the reads of one question.
func (t *turn) readAs(st State) answer {
	if t.readAns != nil && t.readAt == st {
		return *t.readAns
	}
	today, err := parseDate(t.today(), t.b.loc)
	if err != nil {
		today = t.now
	}
	a := t.b.read(st, t.text, today, t.c.Draft)
	t.readAt, t.readAns = st, &a
	return a
}

// is reports whether the answer is the word of intent in.
func (a answer) is(in intent) bool { return a.kind == ansIntent && a.in == in }

// menuChoices are the main menu's numbers.
var menuChoices = map[int]intent{1: intentBook, 2: intentCheck, 3: intentCancel, 4: intentInfo, 5: intentLanguage}

// menuIntent reads a main-menu answer: a number 1–5 or its words in either language.
func (t *turn) menuIntent() intent {
	a := t.readAs(StateMenu)
	switch a.kind {
	case ansNumber:
		return menuChoices[a.n]
	case ansIntent:
		if a.in != intentYes && a.in != intentThanks && a.in != intentGreeting && a.in != intentMenu {
			return a.in
		}
	}
	return intentNone
}

// smallTalk answers a greeting, thanks or a bare "oke" with a short reply of its own, and
// reports whether it did; the caller then asks its question again, or not at all at the menu.
func (t *turn) smallTalk(a answer) bool {
	switch {
	case a.is(intentGreeting):
		if understand(t.text).islamic() {
			t.say(t.t().Salam)
		} else {
			t.say(t.t().Greeting)
		}
	case a.is(intentThanks) && understand(t.text).bye():
		t.say(t.t().Bye)
	case a.is(intentThanks):
		t.say(t.t().Thanks)
	case a.is(intentYes) && t.c.State == StateMenu:
		t.say(t.t().Ack)
	default:
		return false
	}
	return true
}

func (t *turn) answerMenu() error {
	switch t.menuIntent() {
	case intentBook:
		return t.startBooking()
	case intentCheck:
		return t.showBookings()
	case intentReschedule:
		return t.startMove()
	case intentCancel:
		return t.startCancel()
	case intentInfo:
		t.say(t.b.requirements(t.c.Lang))
		return nil
	case intentLanguage:
		t.c.Lang = t.languageWanted()
		t.say(t.t().Switched)
		t.showMenu()
		return nil
	}
	switch a := t.read(); {
	case a.is(intentGreeting):
		t.smallTalk(a)
		t.showMenu()
		return nil
	case t.smallTalk(a): // thanks or "oke" after a booking: no menu
		return nil
	}
	t.say(t.t().Hint)
	t.showMenu()
	return nil
}

// languageWanted reads a language answer: a language's name picks it ("english" in an English
// chat keeps English); 5, "bahasa" or "language" switch to the other one.
func (t *turn) languageWanted() Lang {
	switch norm(t.text) {
	case "english", "inggris", "bahasa inggris", "en":
		return LangEN
	case "indonesia", "bahasa indonesia", "indo", "id":
		return LangID
	}
	if t.c.Lang == LangEN {
		return LangID
	}
	return LangEN
}

func (t *turn) startBooking() error {
	ok, err := t.mayBook()
	if err != nil || !ok {
		return err
	}
	t.c.State = StateName
	t.say(t.t().AskName)
	return nil
}

// mayBook checks that the applicant may start a booking: not barred for no-shows, under the
// number's limit, and some date has seats. When not, it says why and reports false; when so,
// the draft is empty.
func (t *turn) mayBook() (bool, error) {
	fu := t.b.cfg.FairUse
	if fu.NoShowLimit > 0 {
		since := t.now.Add(-fu.NoShowPeriod.Duration).Format(DateLayout)
		n, last, err := t.tx.NoShows(t.c.Phone, since)
		if err != nil {
			return false, err
		}
		if n >= fu.NoShowLimit {
			if lastDay, err := parseDate(last, t.b.loc); err == nil {
				until := lastDay.Add(fu.NoShowBan.Duration)
				if t.now.Before(until) {
					t.say(t.t().Banned, dateWords(until.Format(DateLayout), t.c.Lang))
					return false, nil
				}
			}
		}
	}
	active, err := t.tx.ActiveBookings(t.c.Phone, t.today())
	if err != nil {
		return false, err
	}
	if len(active) >= fu.BookingsPerPhone {
		t.c.Draft = Draft{}
		t.c.State = StateMenu
		t.limitReached(active)
		return false, nil
	}
	// Full days are said before the applicant types a name, not after.
	open, err := t.b.bookableDates(t.tx, t.today(), 1)
	if err != nil {
		return false, err
	}
	t.c.Draft = Draft{}
	t.startFlow()
	if len(open) == 0 {
		t.c.State = StateWaitlist
		t.say(t.t().AllFull)
		return false, nil
	}
	return true, nil
}

func (t *turn) answerName() error {
	a := t.read()
	switch a.kind {
	case ansName:
	case ansRefuse:
		t.say(t.nameRefusal(a))
		t.sayMore(t.t().AskName)
		return nil
	default:
		t.smallTalk(a)
		t.sayMore(t.t().AskName)
		return nil
	}
	ok, err := t.nameFree(a.name)
	if err != nil || !ok {
		return err
	}
	t.c.Draft.Name = a.name
	return t.resume()
}

func (t *turn) askType() {
	t.c.State = StateType
	var b strings.Builder
	b.WriteString(t.t().AskType)
	for i, pt := range t.b.cfg.Passport.Types {
		b.WriteString("\n")
		b.WriteString(strconv.Itoa(i+1) + ". " + typeName(pt, t.c.Lang) + " — " + rupiah(pt.Fee))
	}
	t.sayMore(b.String())
}

func (t *turn) answerType() error {
	types := t.b.cfg.Passport.Types
	a := t.read()
	n := a.n
	if a.kind != ansNumber || n < 1 || n > len(types) {
		if !t.smallTalk(a) {
			t.say(t.t().BadChoice, len(types))
		}
		t.askType()
		return nil
	}
	t.c.Draft.Type = types[n-1].Code
	return t.resume()
}

// dateOption is a bookable date with its free seats per window.
type dateOption struct {
	date string
	free []int
}

func total(free []int) int {
	n := 0
	for _, f := range free {
		n += f
	}
	return n
}

// layout returns the seats per window of a date, following a staff quota when one is set.
func (b *Bot) layout(d Day) []int {
	quota := b.cfg.Queue.DailyQuota
	if d.Quota > 0 {
		quota = d.Quota
	}
	return Split(quota, len(b.cfg.Windows()))
}

// bookableDates returns up to limit dates with free seats, from the next working day on, within
// the configured number of working days ahead.
func (b *Bot) bookableDates(tx Tx, today string, limit int) ([]dateOption, error) {
	day, err := parseDate(today, b.loc)
	if err != nil {
		return nil, err
	}
	dates := b.bookingDays(day)
	if len(dates) == 0 {
		return nil, nil
	}
	// The days ahead are read together: this runs on every date list, inside the writer.
	days, err := tx.Days(dates[0], dates[len(dates)-1])
	if err != nil {
		return nil, err
	}
	layouts := make(map[string][]int, len(dates))
	for _, date := range dates {
		if d := days[date]; !d.Closed {
			layouts[date] = b.layout(d)
		}
	}
	free, err := tx.FreeSeatsOf(layouts)
	if err != nil {
		return nil, err
	}
	var out []dateOption
	for _, date := range dates {
		if f, open := free[date]; open && total(f) > 0 && len(out) < limit {
			out = append(out, dateOption{date, f})
		}
	}
	return out, nil
}

// bookingDays returns the configured number of working days after day: the dates that can
// be booked, full or not.
func (b *Bot) bookingDays(day time.Time) []string {
	var out []string
	for i := 1; len(out) < b.cfg.Queue.DaysAhead && i <= 366; i++ {
		d := day.AddDate(0, 0, i)
		if b.cfg.ServiceDay(d) {
			out = append(out, d.Format(DateLayout))
		}
	}
	return out
}

// stillBookable reports whether a date kept in the draft can be booked today. A draft outlives
// the day it was written on (an applicant answers the dates offered yesterday evening the next
// morning) and a holiday may be configured since; its dates must not become bookings for today,
// a past day or a day the office no longer serves.
func (t *turn) stillBookable(date string) bool {
	day, err := parseDate(t.today(), t.b.loc)
	if err != nil {
		return false
	}
	for _, d := range t.b.bookingDays(day) {
		if d == date {
			return true
		}
	}
	return false
}

// validWindow reports whether a window kept in the draft is still one of the configured ones.
func (t *turn) validWindow(w int) bool { return w >= 1 && w <= len(t.b.cfg.Windows()) }

// dateGone tells the applicant that a date of their draft can no longer be chosen, and offers the
// dates that can.
func (t *turn) dateGone(date string) error {
	note := ""
	if _, err := parseDate(date, t.b.loc); err == nil {
		note = fmt.Sprintf(t.t().DateGone, dateWords(date, t.c.Lang))
	}
	return t.offerEarliest(note)
}

// freeSeats returns a date's free seats per window; a closed day has none.
func (b *Bot) freeSeats(tx Tx, date string) ([]int, error) {
	d, err := tx.Day(date)
	if err != nil {
		return nil, err
	}
	if d.Closed {
		return make([]int, len(b.cfg.Windows())), nil
	}
	return tx.FreeSeats(date, b.layout(d))
}

// datesToOffer returns the dates with seats to offer the draft's name: the first few bookable ones
// it is not booked on already.
func (t *turn) datesToOffer() ([]dateOption, error) {
	taken, err := t.nameDates(t.c.Draft.Name)
	if err != nil {
		return nil, err
	}
	opts, err := t.b.bookableDates(t.tx, t.today(), t.b.cfg.Queue.DatesOffered+len(taken))
	if err != nil {
		return nil, err
	}
	return withoutDates(opts, taken, t.b.cfg.Queue.DatesOffered), nil
}

func (t *turn) offerDates() error {
	opts, err := t.datesToOffer()
	if err != nil {
		return err
	}
	if len(opts) == 0 {
		t.c.State = StateWaitlist
		t.sayMore(t.t().AllFull)
		return nil
	}
	t.c.State = StateDate
	t.c.Draft.Dates = t.c.Draft.Dates[:0]
	var b strings.Builder
	b.WriteString(t.t().AskDate)
	for i, o := range opts {
		t.c.Draft.Dates = append(t.c.Draft.Dates, o.date)
		b.WriteString("\n")
		b.WriteString(fmt.Sprintf(t.t().DateLine, i+1, dateWords(o.date, t.c.Lang), total(o.free)))
	}
	t.sayMore(b.String())
	return nil
}

func (t *turn) answerDate() error {
	a := t.read()
	var date string
	switch {
	case a.kind == ansDate:
		date = a.date
	case a.kind == ansNumber && a.n >= 1 && a.n <= len(t.c.Draft.Dates):
		date = t.c.Draft.Dates[a.n-1]
	case a.kind == ansAsk:
		t.say(t.t().DateNotOffered)
		return t.offerDates()
	default:
		if !t.smallTalk(a) {
			t.say(t.t().BadChoice, len(t.c.Draft.Dates))
		}
		return t.offerDates()
	}
	if !t.stillBookable(date) {
		return t.dateGone(date)
	}
	t.c.Draft.Date = date
	return t.offerWindows()
}

// offerWindows lists the chosen date's windows that still have seats; when none is left, the
// applicant hears so and gets the dates again.
func (t *turn) offerWindows() error {
	free, err := t.freeFor(t.c.Draft.Date)
	if err != nil {
		return err
	}
	if total(free) == 0 {
		t.sayMore(t.t().DateTaken, dateWords(t.c.Draft.Date, t.c.Lang))
		return t.offerDates()
	}
	t.c.State = StateWindow
	t.c.Draft.Windows = t.c.Draft.Windows[:0]
	var b strings.Builder
	b.WriteString(fmt.Sprintf(t.t().AskWindow, dateWords(t.c.Draft.Date, t.c.Lang)))
	for w, f := range free {
		if f == 0 {
			continue
		}
		t.c.Draft.Windows = append(t.c.Draft.Windows, w+1)
		b.WriteString("\n")
		b.WriteString(fmt.Sprintf(t.t().WindowLine, len(t.c.Draft.Windows), t.b.windowText(w+1), f))
	}
	t.sayMore(b.String())
	return nil
}

// seatTaken says plainly that window w filled up while the applicant was choosing, and offers the
// date's other windows, or other dates when the whole date is gone.
func (t *turn) seatTaken(w int) error {
	free, err := t.freeFor(t.c.Draft.Date)
	if err != nil {
		return err
	}
	if total(free) > 0 {
		t.say(t.t().SeatTaken, t.b.windowText(w))
	}
	return t.offerWindows()
}

func (b *Bot) windowText(w int) string {
	spans := b.cfg.Windows()
	if w < 1 || w > len(spans) {
		return "?"
	}
	return spans[w-1].String() + " WIB"
}

func (t *turn) answerWindow() error {
	if !t.stillBookable(t.c.Draft.Date) {
		return t.dateGone(t.c.Draft.Date)
	}
	a := t.read()
	var w int
	switch {
	case a.kind == ansWindow:
		w = a.n
	case a.kind == ansNumber && a.n >= 1 && a.n <= len(t.c.Draft.Windows):
		w = t.c.Draft.Windows[a.n-1]
	case a.kind == ansAsk:
		t.say(t.t().WindowNotOffered)
		return t.offerWindows()
	default:
		if !t.smallTalk(a) {
			t.say(t.t().BadChoice, len(t.c.Draft.Windows))
		}
		return t.offerWindows()
	}
	// A window chosen books at once: no summary to confirm, one reply fewer for everyone.
	return t.bookWindow(w)
}

func (t *turn) answerConfirm() error {
	switch a := t.read(); {
	case a.is(intentNo):
		t.c.Draft = Draft{}
		t.c.State = StateMenu
		t.say(t.t().Stopped)
		t.showMenu()
		return nil
	case a.is(intentYes):
	default:
		t.smallTalk(a)
		t.sayMore(t.t().YesOrCancel)
		return nil
	}
	return t.book()
}

// book books the draft's seat and sends the confirmation; a seat or date gone meanwhile is said
// and chosen again. The seat held for the applicant is the one taken; for a booking being moved
// (Draft.Move), the old one is cancelled in the same transaction and its seat offered to the
// waiting list.
func (t *turn) book() error {
	d := t.c.Draft
	if !t.stillBookable(d.Date) {
		return t.dateGone(d.Date)
	}
	if !t.validWindow(d.Window) {
		return t.offerWindows()
	}
	day, err := t.tx.Day(d.Date)
	if err != nil {
		return err
	}
	if day.Closed {
		t.say(t.t().DateTaken, dateWords(d.Date, t.c.Lang))
		return t.offerDates()
	}
	var old *Booking
	if d.Move != 0 {
		if old, err = t.ownActive(d.Move); err != nil || old == nil {
			return err
		}
	} else {
		active, err := t.tx.ActiveBookings(t.c.Phone, t.today())
		if err != nil {
			return err
		}
		if len(active) >= t.b.cfg.FairUse.BookingsPerPhone {
			t.c.Draft = Draft{}
			t.c.State = StateMenu
			t.limitReached(active)
			return nil
		}
	}
	nb := Booking{Date: d.Date, Window: d.Window, Name: d.Name, Type: d.Type,
		Phone: t.c.Phone, Chat: t.c.Chat, Lang: t.c.Lang, CreatedAt: t.now}
	if old != nil {
		nb.Reschedules = old.Reschedules + 1
	}
	bk, err := t.tx.Book(nb, t.b.layout(day))
	switch {
	case errors.Is(err, ErrSeatTaken) && d.Held:
		return t.seatLost()
	case errors.Is(err, ErrSeatTaken):
		return t.seatTaken(d.Window)
	case errors.Is(err, ErrNameTaken):
		t.say(t.t().NameTaken, d.Name, dateWords(d.Date, t.c.Lang))
		return t.offerDates()
	case err != nil:
		return err
	}
	t.c.Draft = Draft{}
	t.c.State = StateMenu
	confirmation := t.b.confirmation(bk, t.c.Lang)
	if old != nil {
		if err := t.tx.SetStatus(old.ID, StatusCancelled, t.now); err != nil {
			return err
		}
		confirmation += "\n\n" + fmt.Sprintf(t.t().Moved, number(old.Number), dateWords(old.Date, t.c.Lang))
		if old.Date > t.today() {
			if _, err := t.b.offerSeats(t.tx, t.now, old.Date, 1); err != nil {
				return err
			}
		}
	}
	t.sayMore(confirmation)
	return nil
}

// confirmation is the proof an applicant shows at the gate: number, date in words, window,
// documents, fee and how to cancel.
func (b *Bot) confirmation(bk Booking, lang Lang) string {
	tx := textsFor(lang)
	var s strings.Builder
	s.WriteString(fmt.Sprintf(tx.Confirmed, number(bk.Number), bk.Name, b.typeName(bk.Type, lang),
		dateWords(bk.Date, lang), b.windowText(bk.Window)))
	if pt, ok := b.passportType(bk.Type); ok {
		if docs := documentList(pt, lang); docs != "" {
			s.WriteString("\n\n" + tx.Documents + docs)
		}
		s.WriteString("\n\n" + fmt.Sprintf(tx.Fee, rupiah(pt.Fee)))
	}
	s.WriteString("\n\n" + tx.AtTheOffice)
	s.WriteString("\n\n" + tx.HowToCancel)
	return s.String()
}

func (t *turn) bookingLine(bk Booking) string {
	return fmt.Sprintf(t.t().BookingLine, number(bk.Number), dateWords(bk.Date, t.c.Lang),
		t.b.windowText(bk.Window), bk.Name)
}

func (t *turn) showBookings() error {
	active, err := t.tx.ActiveBookings(t.c.Phone, t.today())
	if err != nil {
		return err
	}
	if len(active) == 0 {
		t.say(t.t().NoBooking)
		return nil
	}
	var b strings.Builder
	b.WriteString(t.t().YourBookings)
	for _, bk := range active {
		b.WriteString("\n\n" + t.bookingLine(bk))
	}
	if n := t.b.cfg.FairUse.Reschedules; n > 0 && slices.ContainsFunc(active, func(bk Booking) bool {
		return bk.Reschedules < n && bk.Date > t.today()
	}) {
		b.WriteString("\n\n" + fmt.Sprintf(t.t().MoveHint, n))
	}
	b.WriteString("\n\n" + t.t().HowToCancel)
	t.say(b.String())
	return nil
}

func (t *turn) startCancel() error {
	return t.pickBooking(StateCancelChoose, t.t().CancelWhich, t.askCancel)
}

// askCancel asks whether to cancel bk.
func (t *turn) askCancel(bk Booking) error {
	t.c.Draft = Draft{Cancel: bk.ID}
	t.c.State = StateCancelConfirm
	t.sayMore(fmt.Sprintf(t.t().CancelAsk, t.bookingLine(bk)))
	return nil
}

// pickBooking starts a flow about one of the applicant's active bookings: with none it says so,
// with one it goes on with it (then), with several it asks which, waiting in state st.
func (t *turn) pickBooking(st State, question string, then func(Booking) error) error {
	t.startFlow()
	active, err := t.tx.ActiveBookings(t.c.Phone, t.today())
	if err != nil {
		return err
	}
	switch len(active) {
	case 0:
		t.say(t.t().NoBooking)
		return nil
	case 1:
		return then(active[0])
	}
	t.askWhich(st, question, active)
	return nil
}

// answerWhich reads the answer to "which booking?": "tidak" keeps them all, a number goes on with
// that booking (then), anything else asks again (again).
func (t *turn) answerWhich(then func(Booking) error, again func() error) error {
	a := t.read()
	if a.is(intentNo) {
		t.c.Draft = Draft{}
		t.c.State = StateMenu
		t.say(t.t().CancelKept)
		return nil
	}
	if a.kind != ansNumber || a.n < 1 || a.n > len(t.c.Draft.Bookings) {
		if !t.smallTalk(a) {
			t.say(t.t().BadChoice, len(t.c.Draft.Bookings))
		}
		return again()
	}
	bk, err := t.ownActive(t.c.Draft.Bookings[a.n-1])
	if err != nil || bk == nil {
		return err
	}
	return then(*bk)
}

// askWhich asks which of the applicant's bookings a flow is about (cancelling, moving), as a
// numbered list, and waits in state st for the answer.
func (t *turn) askWhich(st State, question string, active []Booking) {
	t.c.Draft = Draft{}
	t.c.State = st
	var b strings.Builder
	b.WriteString(question)
	for i, bk := range active {
		t.c.Draft.Bookings = append(t.c.Draft.Bookings, bk.ID)
		b.WriteString("\n" + strconv.Itoa(i+1) + ". " + number(bk.Number) + " — " + dateWords(bk.Date, t.c.Lang) + " — " + bk.Name)
	}
	t.sayMore(b.String())
}

func (t *turn) answerCancelChoose() error { return t.answerWhich(t.askCancel, t.startCancel) }

// ownActive loads a booking the applicant was offered, checking that it is still theirs and
// active; when not, it says so and starts over.
func (t *turn) ownActive(id int64) (*Booking, error) {
	bk, err := t.tx.Booking(id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if err != nil || bk.Phone != t.c.Phone || !bk.Status.Active() {
		t.c.Draft = Draft{}
		t.c.State = StateMenu
		return nil, t.showBookings()
	}
	return &bk, nil
}

func (t *turn) answerCancelConfirm() error {
	switch a := t.read(); {
	case a.is(intentNo):
		t.c.Draft = Draft{}
		t.c.State = StateMenu
		t.say(t.t().CancelKept)
		return nil
	case a.is(intentYes):
	default:
		bk, err := t.ownActive(t.c.Draft.Cancel)
		if err != nil || bk == nil {
			return err
		}
		t.smallTalk(a)
		t.sayMore(t.t().CancelAsk, t.bookingLine(*bk))
		return nil
	}
	bk, err := t.ownActive(t.c.Draft.Cancel)
	if err != nil || bk == nil {
		return err
	}
	if err := t.tx.SetStatus(bk.ID, StatusCancelled, t.now); err != nil {
		return err
	}
	t.c.Draft = Draft{}
	t.c.State = StateMenu
	t.say(t.t().Cancelled, number(bk.Number), dateWords(bk.Date, t.c.Lang))
	if bk.Date <= t.today() {
		return nil // a seat of today cannot be booked any more: nobody is told of it
	}
	_, err = t.b.offerSeats(t.tx, t.now, bk.Date, 1)
	return err
}

func (t *turn) answerWaitlist() error {
	switch t.read().in {
	case intentYes:
		if err := t.tx.JoinWaitlist(*t.c, t.now); err != nil {
			return err
		}
		t.c.Draft = Draft{}
		t.c.State = StateMenu
		t.say(t.t().WaitlistJoined)
		return nil
	case intentNo:
		t.c.Draft = Draft{}
		t.c.State = StateMenu
		t.say(t.t().WaitlistDeclined)
		return nil
	}
	// A menu choice is taken as one; anything else asks again, from today's seats: if some came
	// free meanwhile, the booking starts instead.
	t.c.Draft = Draft{}
	t.c.State = StateMenu
	if t.menuIntent() != intentNone {
		return t.answerMenu()
	}
	return t.startBooking()
}

// Families and fair use: one number may book for several people, each under their own name, and
// one name holds one booking a date.

// nameDates returns the dates from tomorrow on where name already holds an active booking, from
// any number.
func (t *turn) nameDates(name string) (map[string]bool, error) {
	taken := map[string]bool{}
	if name == "" {
		return taken, nil
	}
	dates, err := t.tx.NameDates(name, t.today())
	if err != nil {
		return nil, err
	}
	for _, d := range dates {
		taken[d] = true
	}
	return taken, nil
}

// holdsName reports whether one of the bookings is in name.
func holdsName(bookings []Booking, name string) bool {
	for _, bk := range bookings {
		if bk.Name == name {
			return true
		}
	}
	return false
}

// withoutDates drops the taken dates from opts and keeps at most limit.
func withoutDates(opts []dateOption, taken map[string]bool, limit int) []dateOption {
	out := opts[:0]
	for _, o := range opts {
		if !taken[o.date] && len(out) < limit {
			out = append(out, o)
		}
	}
	return out
}

// nameFree checks a name at the name step: a number books each person once, and a name that is
// booked on every date that can be booked has nothing left to choose. When it is not free it says
// why and ends the flow.
func (t *turn) nameFree(name string) (bool, error) {
	active, err := t.tx.ActiveBookings(t.c.Phone, t.today())
	if err != nil {
		return false, err
	}
	for _, bk := range active {
		if bk.Name == name { // each booking of a number is for a different person
			t.c.Draft = Draft{}
			t.c.State = StateMenu
			t.say(t.t().NameOwn, name, bookingShort(bk, t.c.Lang), t.b.cfg.FairUse.BookingsPerPhone)
			return false, nil
		}
	}
	taken, err := t.nameDates(name)
	if err != nil || len(taken) == 0 {
		return err == nil, err
	}
	open, err := t.b.bookableDates(t.tx, t.today(), t.b.cfg.Queue.DaysAhead)
	if err != nil {
		return false, err
	}
	if len(open) > 0 && len(withoutDates(open, taken, 1)) == 0 {
		t.c.Draft = Draft{}
		t.c.State = StateMenu
		t.say(t.t().NameEveryDate, name)
		return false, nil
	}
	return true, nil
}

// limitReached tells an applicant whose number holds as many bookings as it may which they are.
func (t *turn) limitReached(active []Booking) {
	parts := make([]string, len(active))
	for i, bk := range active {
		parts[i] = bk.Name + " (" + bookingShort(bk, t.c.Lang) + ")"
	}
	t.say(t.t().LimitReached, len(active), strings.Join(parts, ", "))
}

// bookingShort writes a booking's number and date briefly: "007, Selasa 8 Des".
func bookingShort(bk Booking, lang Lang) string {
	return number(bk.Number) + ", " + shortDate(bk.Date, lang)
}

// shortDate writes a stored date briefly: "Selasa 8 Des", "Tuesday 8 Dec".
func shortDate(date string, lang Lang) string {
	d, err := time.Parse(DateLayout, date)
	if err != nil {
		return date
	}
	if lang == LangEN {
		return fmt.Sprintf("%s %d %s", daysEN[d.Weekday()], d.Day(), monthsEN[d.Month()-1][:3])
	}
	return fmt.Sprintf("%s %d %s", daysID[d.Weekday()], d.Day(), monthsID[d.Month()-1][:3])
}

// nameRefusal says which name rule was broken, with an example of a name that follows them.
func (t *turn) nameRefusal(a answer) string {
	tx := t.t()
	var why string
	switch a.problem {
	case nameTitle:
		why = fmt.Sprintf(tx.NameTitle, a.title)
	case nameComma:
		why = tx.NameComma
	case nameDigit:
		why = tx.NameDigit
	case nameEmoji:
		why = tx.NameEmoji
	case nameShort:
		why = tx.NameShort
	case nameLong:
		why = tx.NameLong
	default:
		why = tx.NameChars
	}
	return why + "\n" + tx.NameExample
}

// The one-message form.

// answerForm takes a one-message request: what is right is kept, and the first thing missing,
// wrong or taken is asked for, from that step on; a request that fits is booked at once, and its
// one reply is the confirmation.
func (t *turn) answerForm(f form) error {
	if t.c.State == StateNew {
		t.c.State = StateMenu
	}
	ok, err := t.mayBook()
	if err != nil || !ok {
		return err
	}
	d := &t.c.Draft
	name, problem, title := checkName(f.name)
	if problem == nameOK {
		free, err := t.nameFree(name)
		if err != nil || !free {
			return err
		}
		d.Name = name
	}
	var note string // what was wrong past the name; a wrong name is said first, and alone
	if f.kind != "" {
		if code, ok := t.b.readType(f.kind); ok {
			d.Type = code
		} else {
			note = t.t().TypeNotOffered
		}
	}
	if f.date != "" {
		dateNote, err := t.formDate(f)
		if err != nil {
			return err
		}
		if note == "" {
			note = dateNote
		}
	}
	switch {
	case problem != nameOK:
		t.sayMore(t.nameRefusal(answer{kind: ansRefuse, problem: problem, title: title}))
	case note != "":
		t.sayMore(note)
	}
	return t.resume()
}

// formDate reads the form's date among every bookable date (not only the few a list shows) and
// its time among that date's windows with seats, keeps what fits, and returns what to say of
// what did not.
func (t *turn) formDate(f form) (string, error) {
	d := &t.c.Draft
	taken, err := t.nameDates(d.Name)
	if err != nil {
		return "", err
	}
	open, err := t.b.bookableDates(t.tx, t.today(), t.b.cfg.Queue.DaysAhead)
	if err != nil {
		return "", err
	}
	var dates []string
	for _, o := range withoutDates(open, taken, len(open)) {
		dates = append(dates, o.date)
	}
	today, err := parseDate(t.today(), t.b.loc)
	if err != nil {
		return "", err
	}
	text := f.date
	if allDigits(text) { // "#9#" is the 9th, not the ninth date of a list nobody saw
		text = "tanggal " + text
	}
	date, _ := readDate(text, today, dates)
	if date == "" {
		return t.t().DateNotOffered, nil
	}
	d.Date = date
	if f.time == "" {
		return "", nil
	}
	free, err := t.b.freeSeats(t.tx, date)
	if err != nil {
		return "", err
	}
	var windows []int
	for w, n := range free {
		if n > 0 {
			windows = append(windows, w+1)
		}
	}
	text = f.time
	if allDigits(text) {
		text = "jam " + text
	}
	if w, _ := readWindow(text, t.b.cfg.Windows(), windows); w != 0 {
		d.Window = w
		return "", nil
	}
	return t.t().WindowNotOffered, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// resume asks for the first answer the draft still lacks, checking again what it kept (the form
// may have named a date or window that has filled up since); with nothing lacking, it books.
func (t *turn) resume() error {
	d := &t.c.Draft
	switch {
	case d.Name == "":
		t.c.State = StateName
		t.sayMore(t.t().AskName)
		return nil
	case d.Type == "":
		t.askType()
		return nil
	case d.Date == "":
		return t.offerEarliest("")
	}
	taken, err := t.nameDates(d.Name)
	if err != nil {
		return err
	}
	if !t.stillBookable(d.Date) || taken[d.Date] {
		t.sayMore(t.t().DateNotOffered)
		d.Date, d.Window = "", 0
		return t.offerDates()
	}
	if d.Window == 0 {
		return t.offerWindows()
	}
	free, err := t.freeFor(d.Date)
	if err != nil {
		return err
	}
	if !t.validWindow(d.Window) || d.Window > len(free) || free[d.Window-1] == 0 {
		t.sayMore(t.t().WindowNotOffered)
		d.Window = 0
		return t.offerWindows()
	}
	return t.book()
}
