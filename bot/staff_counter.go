package bot

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The counter's work on one number: calling, serving, no-shows, cancelling, the second visit.

// counterName reads a counter as staff type it: "2", "loket 2", "B". Upper case, so that "b" and
// "B" are one counter.
func counterName(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, p := range []string{"loket", "counter"} {
		if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	if s == "" || utf8.RuneCountInString(s) > 8 {
		return "", false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
			return "", false
		}
	}
	return strings.ToUpper(s), true
}

// cmdNext calls today's first waiting booking, in window order and then number order, to the staff
// member's counter, and tells the next few waiting that their turn is near. Numbers usually run in
// window order, but seats added by /quota after bookings were made get numbers after the highest,
// so the window decides first. No-shows, cancelled and called numbers are not waiting.
func cmdNext(s *staffTurn, args string) error {
	st, err := s.tx.StaffState(s.phone)
	if err != nil {
		return err
	}
	counter := st.Counter
	if args != "" {
		c, ok := counterName(args)
		if !ok {
			s.fix("Loket %q tidak dikenal: huruf atau angka, paling panjang 8.", clip(args, 20))
			return nil
		}
		counter = c
	}
	if counter == "" {
		s.fix("Sebutkan loket Anda sekali; sesudah itu cukup /next.")
		return nil
	}
	st.Counter = counter
	bs, err := s.tx.Bookings(s.today())
	if err != nil {
		return err
	}
	arr, err := s.tx.Arrivals(s.today())
	if err != nil {
		return err
	}
	waiting := waitingInOrder(bs, arr)
	if len(waiting) == 0 {
		s.say("Tidak ada antrian yang menunggu hari ini (loket %s). Lihat /stats.", counter)
		return s.tx.SaveStaffState(st)
	}
	bk := waiting[0]
	if err := s.tx.Call(bk.ID, counter, s.now); err != nil {
		return err
	}
	if _, err := s.tx.RecordCall(Call{Date: bk.Date, Number: bk.Number, Counter: counter, At: s.now}); err != nil {
		return err
	}
	c, err := s.reach(bk)
	if err != nil {
		return err
	}
	if err := s.notify(c, fmt.Sprintf(noticesFor(c.Lang).Called, number(bk.Number), counter), false); err != nil {
		return err
	}
	// Everyone within NearPlaces of the call hears once that their turn is near: the first call of
	// the day tells all of them, later calls the one who moved into reach. Remembering who was told
	// keeps a cancellation or a no-show in between from telling anyone twice or skipping anyone.
	var told []Booking
	for i, nb := range waiting[1:min(1+s.b.cfg.Jobs.NearPlaces, len(waiting))] {
		fresh, err := s.tx.MarkNear(nb.ID, s.now)
		if err != nil {
			return err
		}
		if !fresh {
			continue
		}
		nc, err := s.reach(nb)
		if err != nil {
			return err
		}
		text := fmt.Sprintf(noticesFor(nc.Lang).NearNext, number(nb.Number))
		if i > 0 {
			text = fmt.Sprintf(noticesFor(nc.Lang).Near, number(nb.Number), i)
		}
		if err := s.notify(nc, text, false); err != nil {
			return err
		}
		told = append(told, nb)
	}
	st.LastCall = bk.ID
	if err := s.tx.SaveStaffState(st); err != nil {
		return err
	}
	if err := s.audit(bk.Date, bk.ID, "loket "+counter); err != nil {
		return err
	}
	reply := fmt.Sprintf("📣 *%s* → loket %s\n%s · %s · jam %s\nMasih menunggu: %d", number(bk.Number), counter,
		bk.Name, s.b.typeName(bk.Type, LangID), s.b.windowText(bk.Window), len(waiting)-1)
	if note := s.b.arrivalNote(arr[bk.ID]); note != "" {
		reply = strings.Replace(reply, "\nMasih menunggu", " · "+note+"\nMasih menunggu", 1)
	}
	if len(told) > 0 {
		reply += "\nDiberi tahu hampir giliran: " + numbers(told, ", ")
	}
	s.say(reply)
	return nil
}

// cmdRecall calls the staff member's last called number again, to the same counter.
func cmdRecall(s *staffTurn, _ string) error {
	st, err := s.tx.StaffState(s.phone)
	if err != nil {
		return err
	}
	bk, err := s.tx.Booking(st.LastCall)
	if err != nil && !isNotFound(err) {
		return err
	}
	if st.LastCall == 0 || err != nil || bk.Date != s.today() {
		s.say("Anda belum memanggil nomor hari ini. Ketik /next untuk memanggil.")
		return nil
	}
	if bk.Status != StatusCalled {
		s.say("Nomor %s sudah %s. Ketik /next untuk nomor berikutnya.", number(bk.Number), statusWords[bk.Status])
		return nil
	}
	c, err := s.reach(bk)
	if err != nil {
		return err
	}
	if err := s.notify(c, fmt.Sprintf(noticesFor(c.Lang).Recalled, number(bk.Number), bk.Counter), false); err != nil {
		return err
	}
	if _, err := s.tx.RecordCall(Call{Date: bk.Date, Number: bk.Number, Counter: bk.Counter, At: s.now, Recall: true}); err != nil {
		return err
	}
	if err := s.audit(bk.Date, bk.ID, "loket "+bk.Counter); err != nil {
		return err
	}
	s.say("🔁 *%s* dipanggil ulang ke loket %s (%s).", number(bk.Number), bk.Counter, bk.Name)
	return nil
}

func cmdDone(s *staffTurn, args string) error   { return finish(s, args, StatusServed) }
func cmdNoShow(s *staffTurn, args string) error { return finish(s, args, StatusNoShow) }

// finish records how a visit ended. A past date is allowed, to correct the night's rollover
// (which turns numbers never marked into no-shows, and no-shows bar applicants from booking).
func finish(s *staffTurn, args string, to Status) error {
	bk, ok, err := s.booking(args)
	if err != nil || !ok {
		return err
	}
	switch {
	case bk.Date > s.today():
		s.fix("%s belum bisa ditandai: tanggalnya belum tiba.", s.ref(bk))
		return nil
	case bk.Status == to:
		s.say("Nomor %s sudah %s.", s.ref(bk), statusWords[to])
		return nil
	case bk.Status == StatusCancelled:
		s.say("Nomor %s sudah dibatalkan.", s.ref(bk))
		return nil
	case bk.Status == StatusServed:
		// Served is what the applicant was told at the counter; a no-show would bar them wrongly.
		s.say("Nomor %s sudah tercatat selesai dilayani.", s.ref(bk))
		return nil
	}
	if err := s.tx.SetStatus(bk.ID, to, s.now); err != nil {
		return err
	}
	if err := s.audit(bk.Date, bk.ID, string(bk.Status)+" -> "+string(to)); err != nil {
		return err
	}
	mark := "✅"
	if to == StatusNoShow {
		mark = "🚫"
	}
	s.say("%s %s: %s.", mark, s.who(bk), statusWords[to])
	return nil
}

// cmdCancel cancels a number for the applicant, telling them why. A future date's seat goes to
// the waiting list.
func cmdCancel(s *staffTurn, args string) error {
	ref, reason, _ := strings.Cut(args, " ")
	reason = strings.Join(strings.Fields(reason), " ")
	if ref == "" || reason == "" {
		s.fix("Sebutkan nomor dan alasannya; alasan dikirim ke pemohon.")
		return nil
	}
	bk, ok, err := s.booking(ref)
	if err != nil || !ok {
		return err
	}
	switch {
	case bk.Date < s.today():
		s.fix("%s: tanggalnya sudah lewat.", s.ref(bk))
		return nil
	case !bk.Status.Active():
		s.say("Nomor %s sudah %s.", s.ref(bk), statusWords[bk.Status])
		return nil
	}
	reason = clip(reason, 200)
	if err := s.tx.SetStatus(bk.ID, StatusCancelled, s.now); err != nil {
		return err
	}
	c, err := s.reach(bk)
	if err != nil {
		return err
	}
	text := fmt.Sprintf(noticesFor(c.Lang).Cancelled, number(bk.Number), dateWords(bk.Date, c.Lang), reason)
	if err := s.notify(c, text, false); err != nil {
		return err
	}
	if err := s.audit(bk.Date, bk.ID, reason); err != nil {
		return err
	}
	s.say("❌ %s dibatalkan; pemohon diberi tahu alasannya.", s.who(bk))
	// Today's seat cannot be booked any more (booking starts with the next working day).
	if bk.Date > s.today() {
		_, err = s.b.offerSeats(s.tx, s.now, bk.Date, 1)
	}
	return err
}

// cmdPaid records the fee paid at the counter, and tells the applicant from when the passport can
// be collected (the pickup job tells them again on that day). A payment proves the applicant came,
// so a number not yet marked served is marked so, and the night cannot make it a no-show.
func cmdPaid(s *staffTurn, args string) error {
	bk, ok, err := s.secondVisit(args)
	if err != nil || !ok {
		return err
	}
	var before Pickup
	ps, err := s.tx.Pickups()
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.ID == bk.ID {
			before = p
		}
	}
	if !before.PaidAt.IsZero() {
		// The first payment time stays, and with it the pickup date the applicant was given.
		s.say("Nomor %s sudah tercatat dibayar pada %s.", s.ref(bk), dateWords(dateOf(before.PaidAt, s.b.loc), LangID))
		return nil
	}
	if err := s.tx.MarkPaid(bk.ID, s.now); err != nil {
		return err
	}
	// With no waiting days configured the ready notice is due at once, and says it all.
	sent, err := s.b.NotifyPickup(s.tx, bk.ID, s.now)
	if err != nil {
		return err
	}
	from, ok := s.b.pickupFrom(Pickup{Booking: bk, PaidAt: s.now, ReadyAt: before.ReadyAt})
	if !sent && ok {
		c, err := s.reach(bk)
		if err != nil {
			return err
		}
		if err := s.notify(c, fmt.Sprintf(noticesFor(c.Lang).Paid, number(bk.Number), dateWords(from, c.Lang)), false); err != nil {
			return err
		}
	}
	if err := s.audit(bk.Date, bk.ID, ""); err != nil {
		return err
	}
	reply := fmt.Sprintf("💰 %s: pembayaran dicatat.", s.who(bk))
	if ok {
		reply += " Paspor dapat diambil mulai " + dateWords(from, LangID) + "; pemohon diberi tahu."
	}
	s.say(reply)
	return nil
}

// cmdReady records that the printed passport can be collected, and tells the applicant at once
// (unless they were told already).
func cmdReady(s *staffTurn, args string) error {
	bk, ok, err := s.secondVisit(args)
	if err != nil || !ok {
		return err
	}
	if err := s.tx.MarkReady(bk.ID, s.now); err != nil {
		return err
	}
	sent, err := s.b.NotifyPickup(s.tx, bk.ID, s.now)
	if err != nil {
		return err
	}
	if err := s.audit(bk.Date, bk.ID, ""); err != nil {
		return err
	}
	if sent {
		s.say("📗 %s: paspor siap diambil; pemohon diberi tahu.", s.who(bk))
	} else {
		s.say("📗 %s: paspor siap diambil (pemohon sudah diberi tahu sebelumnya).", s.who(bk))
	}
	return nil
}

// secondVisit loads the booking of /paid or /ready: one whose visit took place. A number not yet
// marked served is marked so, as paying proves the applicant came.
func (s *staffTurn) secondVisit(args string) (Booking, bool, error) {
	bk, ok, err := s.booking(args)
	if err != nil || !ok {
		return bk, false, err
	}
	switch {
	case bk.Date > s.today():
		s.fix("%s: tanggal kedatangannya belum tiba.", s.ref(bk))
		return bk, false, nil
	case bk.Status == StatusCancelled:
		s.say("Nomor %s sudah dibatalkan.", s.ref(bk))
		return bk, false, nil
	case bk.Status != StatusServed:
		if err := s.tx.SetStatus(bk.ID, StatusServed, s.now); err != nil {
			return bk, false, err
		}
		bk.Status = StatusServed
	}
	return bk, true, nil
}

// cmdCollected records that the passport was handed over, so that the pickup job sends no
// "not collected yet" reminder.
func cmdCollected(s *staffTurn, args string) error {
	bk, ok, err := s.secondVisit(args)
	if err != nil || !ok {
		return err
	}
	if err := s.tx.MarkCollected(bk.ID, s.now); err != nil {
		return err
	}
	if err := s.audit(bk.Date, bk.ID, ""); err != nil {
		return err
	}
	s.say("📘 %s: paspor sudah diambil.", s.who(bk))
	return nil
}
