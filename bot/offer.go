package bot

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// The short way to a number: after the name and the passport type, the earliest free seat is shown
// and held for the applicant, with the next dates listed under it; "ya" takes it, a date from the
// list (or in words) shows that date's windows, and a window chosen books at once. A held seat
// counts as taken for everyone else (HoldTx), so the answer that takes it never finds it gone.

// holdUntil is when a seat shown now stops being kept for the applicant: queue.hold_for after the
// offer can reach them. In a rush the offer waits its turn in the outbox at the sending pace, so
// the time it will wait there is added, or the hold could lapse before the applicant sees it.
func (t *turn) holdUntil() time.Time {
	return t.now.Add(t.b.cfg.Queue.HoldFor.Duration + t.b.sendingDelay())
}

// maxSendingDelay bounds the outbox wait a hold is lengthened by.
const maxSendingDelay = 30 * time.Minute

// sendingDelay estimates how long a reply queued now waits in the outbox: the messages waiting
// ahead of it at the configured pace (0 when nothing reports the outbox).
func (b *Bot) sendingDelay() time.Duration {
	if b.status == nil {
		return 0
	}
	s := b.cfg.Sending
	each := s.GlobalInterval.Duration + s.Jitter.Duration/2
	if s.MaxPerMinute > 0 {
		each = max(each, time.Minute/time.Duration(s.MaxPerMinute))
	}
	return min(time.Duration(b.status.Health().Waiting)*each, maxSendingDelay)
}

// holdMinutes is how long a seat is kept, in whole minutes, for the texts.
func (b *Bot) holdMinutes() int { return int(b.cfg.Queue.HoldFor.Duration / time.Minute) }

// freeFor returns a date's free seats per window as this applicant sees them: the seat held for
// them is free to them.
func (t *turn) freeFor(date string) ([]int, error) {
	free, err := t.b.freeSeats(t.tx, date)
	if err != nil {
		return nil, err
	}
	h, ok, err := t.tx.Held(t.c.Phone, t.now)
	if err != nil {
		return nil, err
	}
	if ok && h.Date == date && h.Window >= 1 && h.Window <= len(free) {
		free[h.Window-1]++
	}
	return free, nil
}

// offerEarliest shows the earliest free seat on a date the draft's name is not booked on, holds it
// for the applicant, and lists the dates to choose from instead. note, when set, comes first.
// With no seat anywhere, the applicant hears so (and is offered the waiting list for a new booking).
func (t *turn) offerEarliest(note string) error {
	d := &t.c.Draft
	// The seat held so far goes back first, in this same transaction: nobody else can take it
	// meanwhile, and the earliest seat may be that very one.
	if err := t.tx.Release(t.c.Phone); err != nil {
		return err
	}
	d.Held = false
	opts, err := t.datesToOffer()
	if err != nil {
		return err
	}
	if note != "" {
		t.say(note)
	}
	if len(opts) == 0 {
		if d.Move != 0 {
			t.c.Draft, t.c.State = Draft{}, StateMenu
			t.sayMore(t.t().DateNotOffered)
			return nil
		}
		t.c.State = StateWaitlist
		t.sayMore(t.t().AllFull)
		return nil
	}
	first := opts[0]
	w := 0
	for i, f := range first.free {
		if f > 0 {
			w = i + 1
			break
		}
	}
	day, err := t.tx.Day(first.date)
	if err != nil {
		return err
	}
	if _, err := t.tx.Hold(t.c.Phone, first.date, w, t.b.layout(day), t.now, t.holdUntil()); err != nil {
		return err // the counts read in this transaction said the window has a seat
	}
	d.Date, d.Window, d.Held = first.date, w, true
	d.Dates, d.Windows = d.Dates[:0], d.Windows[:0]
	for i, f := range first.free {
		if f > 0 {
			d.Windows = append(d.Windows, i+1)
		}
	}
	t.c.State = StateOffer
	var b strings.Builder
	b.WriteString(fmt.Sprintf(t.t().Earliest, dateWords(first.date, t.c.Lang), t.b.windowText(w), t.b.holdMinutes()))
	for i, o := range opts {
		d.Dates = append(d.Dates, o.date)
		b.WriteString("\n")
		b.WriteString(fmt.Sprintf(t.t().DateLine, i+1, dateWords(o.date, t.c.Lang), total(o.free)))
	}
	t.sayMore(b.String())
	return nil
}

// answerOffer reads the answer to the earliest seat shown: "ya" takes it, a date shows that date's
// windows, a window of the date shown books it at once.
func (t *turn) answerOffer() error {
	d := &t.c.Draft
	a := t.read()
	switch {
	case a.is(intentYes):
		return t.book()
	case a.kind == ansNumber && a.n >= 1 && a.n <= len(d.Dates):
		return t.chooseDate(d.Dates[a.n-1])
	case a.kind == ansDate:
		return t.chooseDate(a.date)
	case a.kind == ansWindow:
		d.Window = a.n
		return t.bookWindow(a.n)
	case a.kind == ansAsk:
		return t.offerEarliest(t.t().DateNotOffered)
	case a.is(intentNo):
		return t.offerEarliest("")
	}
	if t.smallTalk(a) {
		return t.offerEarliest("")
	}
	return t.offerEarliest(fmt.Sprintf(t.t().BadChoice, len(d.Dates)))
}

// chooseDate moves the flow to a date the applicant chose and lists its windows. The seat held on
// another date goes back at once (converse releases it): it was declined, and in a rush every
// seat counts.
func (t *turn) chooseDate(date string) error {
	if !t.stillBookable(date) {
		return t.dateGone(date)
	}
	d := &t.c.Draft
	if d.Held && d.Date != date {
		d.Held = false
	}
	d.Date, d.Window = date, 0
	return t.offerWindows()
}

// bookWindow books window w of the draft's date at once, or says it filled up meanwhile.
func (t *turn) bookWindow(w int) error {
	free, err := t.freeFor(t.c.Draft.Date)
	if err != nil {
		return err
	}
	if w < 1 || w > len(free) {
		// Offered before the configured windows changed.
		return t.offerWindows()
	}
	if free[w-1] == 0 {
		return t.seatTaken(w)
	}
	t.c.Draft.Window = w
	return t.book()
}

// seatLost answers a "ya" whose held seat lapsed and was taken: it says so and shows the earliest
// seat again.
func (t *turn) seatLost() error {
	return t.offerEarliest(t.t().SeatLapsed)
}

// offerSeats offers up to n free seats of date to the waiting list, longest waiting first: each
// applicant is told the date and window of a seat held for them, and asked their name, as the
// booking flow would after its first question. It returns how many were told.
func (b *Bot) offerSeats(tx Tx, now time.Time, date string, n int) (int, error) {
	if n <= 0 {
		return 0, nil
	}
	day, err := tx.Day(date)
	if err != nil || day.Closed {
		return 0, err
	}
	if _, err := tx.ExpireHolds(now); err != nil {
		return 0, err
	}
	layout := b.layout(day)
	free, err := tx.FreeSeats(date, layout)
	if err != nil {
		return 0, err
	}
	waiting, err := tx.TakeWaitlist(min(n, total(free)))
	if err != nil {
		return 0, err
	}
	told := 0
	for _, w := range waiting {
		win := 0
		for i, f := range free {
			if f > 0 {
				win = i + 1
				break
			}
		}
		if win == 0 {
			break
		}
		c, err := tx.Conversation(w.Phone)
		if err != nil {
			return told, err
		}
		switch c.State {
		case StateName, StateType, StateOffer, StateDate, StateWindow, StateConfirm:
			// Booking already, the flow under way: it finds seats itself, and is not cut short.
			continue
		}
		if c.Chat == "" {
			c.Chat = w.Chat
		}
		if c.State == StateNew {
			c.Lang = w.Lang
		}
		_, err = tx.Hold(w.Phone, date, win, layout, now, now.Add(b.cfg.Queue.HoldFor.Duration+b.sendingDelay()))
		if errors.Is(err, ErrSeatTaken) {
			continue // counted free in this transaction: cannot happen, but never offer a seat not held
		}
		if err != nil {
			return told, err
		}
		free[win-1]--
		c.Draft = Draft{Date: date, Window: win, Held: true}
		c.State, c.UpdatedAt, c.StartedAt = StateName, now, now
		if err := tx.SaveConversation(c); err != nil {
			return told, err
		}
		text := fmt.Sprintf(textsFor(c.Lang).WaitlistSeat, dateWords(date, c.Lang), b.windowText(win), b.holdMinutes())
		if err := tx.Send(Outgoing{Chat: c.Chat, Phone: c.Phone, Text: text, CreatedAt: now, Rank: now}); err != nil {
			return told, err
		}
		told++
	}
	return told, nil
}
