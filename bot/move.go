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
	return t.pickBooking(StateMoveChoose, t.t().MoveWhich, t.move)
}

func (t *turn) answerMoveChoose() error { return t.answerWhich(t.move, t.startMove) }

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
