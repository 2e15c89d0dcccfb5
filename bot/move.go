package bot

// Moving a booking ("ubah jadwal"): the applicant picks another date and window the short way
// (the earliest free seat shown and held, or another date from the list); the new seat is taken
// and the old one freed in one transaction, keeping the name and passport type. Each booking may
// be moved fair_use.reschedules times.

// startMove starts moving one of the applicant's bookings, asking which when there are several.
func (t *turn) startMove() error {
	if t.b.cfg.FairUse.Reschedules <= 0 {
		t.say(t.t().MoveOff)
		return nil
	}
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
		return t.move(active[0])
	}
	t.askWhich(StateMoveChoose, t.t().MoveWhich, active)
	return nil
}

func (t *turn) answerMoveChoose() error {
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
		return t.startMove()
	}
	bk, err := t.ownActive(t.c.Draft.Bookings[a.n-1])
	if err != nil || bk == nil {
		return err
	}
	return t.move(*bk)
}

// move offers the earliest other seat for bk, when bk may still be moved.
func (t *turn) move(bk Booking) error {
	t.c.Draft = Draft{}
	t.c.State = StateMenu
	switch {
	case bk.Reschedules >= t.b.cfg.FairUse.Reschedules:
		t.say(t.t().MoveUsed, number(bk.Number), shortDate(bk.Date, t.c.Lang))
		return nil
	case bk.Date <= t.today():
		t.say(t.t().MoveToday, number(bk.Number))
		return nil
	}
	t.c.Draft = Draft{Name: bk.Name, Type: bk.Type, Move: bk.ID}
	return t.offerEarliest("")
}
