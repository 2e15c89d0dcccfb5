package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Capacity: one day's seats, closing and opening a day.

// seatsText writes seats per window as staff read them: "10+10+10+10+10".
func seatsText(layout []int) string {
	parts := make([]string, len(layout))
	for i, n := range layout {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, "+")
}

// cmdQuota sets one day's seats; the split over the windows follows. A booked seat is never
// dropped, so a quota below the bookings is refused with their count.
func cmdQuota(s *staffTurn, args string) error {
	dateArg, nArg := cutDate(args)
	if dateArg == "" || strings.TrimSpace(nArg) == "" {
		s.fix("Sebutkan tanggal dan jumlah kursi.")
		return nil
	}
	date, ok := s.dateArg(dateArg)
	if !ok {
		return nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(nArg))
	if err != nil || n < 1 || n > 999 {
		s.fix("Kuota %q bukan angka 1–999.", clip(strings.TrimSpace(nArg), 20))
		return nil
	}
	if !s.notPast(date) || !s.serviceDay(date) {
		return nil
	}
	day, err := s.tx.Day(date)
	if err != nil {
		return err
	}
	bs, err := s.tx.Bookings(date)
	if err != nil {
		return err
	}
	held := 0
	for _, bk := range bs {
		if bk.Status != StatusCancelled {
			held++
		}
	}
	old := s.b.layout(day)
	when := dateWords(date, LangID)
	switch {
	case n < held:
		s.say("Tidak bisa: sudah ada %d antrian pada %s. Kuota paling sedikit %d.", held, when, held)
		return nil
	case n == total(old):
		s.say("Kuota %s sudah %d kursi.", when, n)
		return nil
	}
	day.Quota = n
	if err := s.tx.SetDay(day); err != nil {
		return err
	}
	// The store keeps every booking in its window and takes or gives the difference in free seats,
	// so the seats left per window are read back rather than computed from the split.
	free, err := s.tx.FreeSeats(date, s.b.layout(day))
	if err != nil {
		return err
	}
	if err := s.audit(date, 0, fmt.Sprintf("%d -> %d", total(old), n)); err != nil {
		return err
	}
	reply := fmt.Sprintf("Kuota %s: %d → %d kursi. Terisi %d, sisa %d (per jam: %s).", when, total(old), n,
		held, total(free), seatsText(free))
	if day.Closed {
		reply += "\nHari itu masih ditutup; /open " + s.refDate(date) + " untuk membukanya."
	} else if n > total(old) && date > s.today() {
		told, err := s.tellWaitlist(date, n-total(old))
		if err != nil {
			return err
		}
		reply += told
	}
	s.say(reply)
	return nil
}

// cmdClose closes a day: its active bookings are cancelled, and each applicant hears why, in
// their own language, with the first free dates to choose from; their conversation moves to that
// choice, keeping the name and passport type of the booking. /open gives the bookings back.
func cmdClose(s *staffTurn, args string) error {
	dateArg, reason := cutDate(args)
	reason = strings.Join(strings.Fields(reason), " ")
	if dateArg == "" || reason == "" {
		s.fix("Sebutkan tanggal dan alasannya; alasan dikirim ke pemohon.")
		return nil
	}
	date, ok := s.dateArg(dateArg)
	if !ok || !s.notPast(date) || !s.serviceDay(date) {
		return nil
	}
	day, err := s.tx.Day(date)
	if err != nil {
		return err
	}
	if day.Closed {
		s.say("%s sudah ditutup (alasan: %s). Ketik /open %s untuk membukanya.", dateWords(date, LangID),
			day.Reason, s.refDate(date))
		return nil
	}
	day.Closed, day.Reason = true, clip(reason, 200)
	if err := s.tx.SetDay(day); err != nil {
		return err
	}
	bs, err := s.tx.Bookings(date)
	if err != nil {
		return err
	}
	var active []Booking
	var ids []int64
	for _, bk := range bs {
		if bk.Status.Active() {
			if err := s.tx.SetStatus(bk.ID, StatusCancelled, s.now); err != nil {
				return err
			}
			active = append(active, bk)
			ids = append(ids, bk.ID)
		}
	}
	if err := s.tx.NoteClosed(date, ids); err != nil {
		return err
	}
	groups := byPhone(active)
	for _, g := range groups {
		if err := s.reoffer(g, day); err != nil {
			return err
		}
	}
	if err := s.audit(date, 0, fmt.Sprintf("%s (%d antrian)", day.Reason, len(active))); err != nil {
		return err
	}
	reply := fmt.Sprintf("⛔ %s ditutup. Alasan: %s\n", dateWords(date, LangID), day.Reason)
	if len(active) == 0 {
		reply += "Tidak ada antrian aktif pada hari itu."
	} else {
		reply += fmt.Sprintf("%d antrian dibatalkan; %d pemohon diberi tahu dan ditawari tanggal lain.", len(active), len(groups))
	}
	reply += "\nSalah tutup? /open " + s.refDate(date) + " memulihkan antriannya."
	s.say(reply)
	return nil
}

// reoffer tells one applicant that their day is closed and offers them the first free dates, as
// the booking flow would, with the name and type of their (first) booking already filled in.
func (s *staffTurn) reoffer(bs []Booking, day Day) error {
	c, err := s.reach(bs[0])
	if err != nil {
		return err
	}
	t := &turn{b: s.b, tx: s.tx, c: &c, now: s.now}
	t.say(noticesFor(c.Lang).DayClosed, dateWords(day.Date, c.Lang), day.Reason,
		numbers(bs, noticesFor(c.Lang).NumbersAnd))
	c.Draft = Draft{Name: bs[0].Name, Type: bs[0].Type}
	if err := t.offerDates(); err != nil {
		return err
	}
	c.UpdatedAt = s.now
	if err := s.tx.SaveConversation(c); err != nil {
		return err
	}
	for _, text := range t.out {
		if err := s.notify(c, text, true); err != nil {
			return err
		}
	}
	return nil
}

// cmdOpen undoes /close: the day can be booked again, and the bookings the closing cancelled are
// given back to applicants who have not taken another date meanwhile.
func cmdOpen(s *staffTurn, args string) error {
	date, ok := s.dateArg(args)
	if !ok || !s.notPast(date) {
		return nil
	}
	day, err := s.tx.Day(date)
	if err != nil {
		return err
	}
	if !day.Closed {
		s.say("%s tidak ditutup.", dateWords(date, LangID))
		return nil
	}
	day.Closed, day.Reason = false, ""
	if err := s.tx.SetDay(day); err != nil {
		return err
	}
	ids, err := s.tx.TakeClosed(date)
	if err != nil {
		return err
	}
	var back []Booking
	for _, id := range ids {
		bk, err := s.tx.Booking(id)
		if isNotFound(err) {
			continue // dropped meanwhile by a lower quota
		}
		if err != nil {
			return err
		}
		if bk.Status == StatusCancelled && bk.Date == date {
			back = append(back, bk)
		}
	}
	sortByNumber(back)
	var restored, rebooked, seatGone []Booking
	for _, bk := range back {
		how, err := s.restore(bk)
		if err != nil {
			return err
		}
		switch how {
		case restoreDone:
			restored = append(restored, bk)
		case restoreRebooked:
			rebooked = append(rebooked, bk)
		default:
			seatGone = append(seatGone, bk)
		}
	}
	if err := s.audit(date, 0, fmt.Sprintf("%d antrian dipulihkan", len(restored))); err != nil {
		return err
	}
	reply := fmt.Sprintf("✅ %s dibuka kembali.\n%d antrian dipulihkan dan pemohonnya diberi tahu.",
		dateWords(date, LangID), len(restored))
	if len(rebooked) > 0 {
		reply += "\nTidak dipulihkan, pemohonnya sudah mengambil antrian lain: " + numbers(rebooked, ", ") + "."
	}
	if len(seatGone) > 0 {
		reply += "\nTidak dipulihkan, kursinya sudah tidak ada (kuota diturunkan): " + numbers(seatGone, ", ") + "."
	}
	if date > s.today() {
		free, err := s.b.freeSeats(s.tx, date)
		if err != nil {
			return err
		}
		told, err := s.tellWaitlist(date, total(free))
		if err != nil {
			return err
		}
		reply += told
	}
	s.say(reply)
	return nil
}

// restoreResult is how restore went.
type restoreResult int

const (
	restoreDone     restoreResult = iota
	restoreRebooked               // the applicant took another booking since; this one would break the limit or book the name twice
	restoreSeatGone               // a lower quota took the seat
)

// restore gives one closed-day booking back and tells its applicant, unless they took another
// booking since or its seat went.
func (s *staffTurn) restore(bk Booking) (restoreResult, error) {
	active, err := s.tx.ActiveBookings(bk.Phone, s.today())
	if err != nil {
		return 0, err
	}
	if len(active) >= s.b.cfg.FairUse.BookingsPerPhone || holdsName(active, bk.Name) {
		return restoreRebooked, nil
	}
	ok, err := s.tx.RestoreBooking(bk.ID, s.now)
	if err != nil {
		return 0, err
	}
	if !ok {
		return restoreSeatGone, nil
	}
	c, err := s.reach(bk)
	if err != nil {
		return 0, err
	}
	// The date choice the closing started is moot now; an answer to it would only meet the limit.
	switch c.State {
	case StateDate, StateWindow, StateConfirm, StateWaitlist:
		if c.Draft.Name == bk.Name {
			c.State, c.Draft, c.UpdatedAt = StateMenu, Draft{}, s.now
			if err := s.tx.SaveConversation(c); err != nil {
				return 0, err
			}
		}
	}
	n := noticesFor(c.Lang)
	text := fmt.Sprintf(n.DayOpened, dateWords(bk.Date, c.Lang), number(bk.Number), s.b.windowText(bk.Window))
	return restoreDone, s.notify(c, text, true)
}

// dayStats is one day's figures for /stats.
type dayStats struct {
	date                                  string
	quota, left                           int
	closed                                bool
	held, waiting, called, served, noShow int
	cancelled                             int
	waits                                 []time.Duration // window start to call, of every called booking
	office                                officeStats     // check-ins and priority, in office.go
}

func (s *staffTurn) dayStats(date string) (dayStats, error) {
	st := dayStats{date: date}
	day, err := s.rx.Day(date)
	if err != nil {
		return st, err
	}
	bs, err := s.rx.Bookings(date)
	if err != nil {
		return st, err
	}
	st.quota, st.closed = total(s.b.layout(day)), day.Closed
	midnight, err := parseDate(date, s.b.loc)
	if err != nil {
		return st, err
	}
	spans := s.b.cfg.Windows()
	for _, bk := range bs {
		switch bk.Status {
		case StatusBooked:
			st.waiting++
		case StatusCalled:
			st.called++
		case StatusServed:
			st.served++
		case StatusNoShow:
			st.noShow++
		case StatusCancelled:
			st.cancelled++
			continue
		}
		st.held++
		if !bk.CalledAt.IsZero() && bk.Window >= 1 && bk.Window <= len(spans) {
			start := midnight.Add(time.Duration(spans[bk.Window-1].Start) * time.Minute)
			st.waits = append(st.waits, max(bk.CalledAt.Sub(start), 0)) // early callers waited nothing
		}
	}
	if !st.closed {
		st.left = max(st.quota-st.held, 0)
	}
	st.office, err = s.officeStats(date, bs)
	return st, err
}

func (st *dayStats) add(o dayStats) {
	if !o.closed {
		st.quota += o.quota // a closed day offers no seats
	}
	st.left += o.left
	st.held += o.held
	st.waiting += o.waiting
	st.called += o.called
	st.served += o.served
	st.noShow += o.noShow
	st.cancelled += o.cancelled
	st.waits = append(st.waits, o.waits...)
	st.office.add(o.office)
}

// minutes writes a duration the way people say it: "25 menit", "1 jam 5 menit".
func minutes(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	if m < 60 {
		return fmt.Sprintf("%d menit", m)
	}
	if m%60 == 0 {
		return fmt.Sprintf("%d jam", m/60)
	}
	return fmt.Sprintf("%d jam %d menit", m/60, m%60)
}

func (st dayStats) lines() []string {
	seats := fmt.Sprintf("Terdaftar: %d dari %d kursi, sisa %d", st.held, st.quota, st.left)
	if st.closed {
		seats = fmt.Sprintf("Terdaftar: %d (hari ditutup)", st.held)
	}
	out := []string{seats,
		fmt.Sprintf("Selesai %d · tidak hadir %d · dipanggil %d · menunggu %d", st.served, st.noShow, st.called, st.waiting),
		fmt.Sprintf("Batal: %d", st.cancelled)}
	if line := st.office.line(); line != "" {
		out = append(out, line)
	}
	if len(st.waits) == 0 {
		return append(out, "Waktu tunggu: belum ada panggilan.")
	}
	var sum, longest time.Duration
	for _, w := range st.waits {
		sum += w
		longest = max(longest, w)
	}
	return append(out, fmt.Sprintf("Waktu tunggu (awal jam datang sampai dipanggil): rata-rata %s, terlama %s, dari %d panggilan",
		minutes(sum/time.Duration(len(st.waits))), minutes(longest), len(st.waits)))
}

var weekWords = map[string]bool{"week": true, "minggu": true, "pekan": true, "minggu ini": true,
	"pekan ini": true, "this week": true}

var shortDays = [...]string{"Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"}

// cmdStats sums up a day, or the week (Monday to Sunday) around a date: "/stats week 14/12".
func cmdStats(s *staffTurn, args string) error {
	arg := strings.ToLower(strings.Join(strings.Fields(args), " "))
	week := weekWords[arg]
	if week {
		arg = ""
	} else {
		for w := range weekWords {
			if rest, ok := strings.CutPrefix(arg, w+" "); ok && !strings.Contains(w, " ") {
				week, arg = true, rest
				break
			}
		}
	}
	date, ok := s.date(arg)
	if !ok {
		return nil
	}
	if !week {
		st, err := s.dayStats(date)
		if err != nil {
			return err
		}
		head := "📊 *Statistik " + dateWords(date, LangID) + "*"
		s.say(head + "\n" + strings.Join(st.lines(), "\n"))
		return nil
	}
	d, err := parseDate(date, s.b.loc)
	if err != nil {
		return err
	}
	monday := d.AddDate(0, 0, -(int(d.Weekday())+6)%7)
	var sum dayStats
	var days []string
	for i := 0; i < 7; i++ {
		day := monday.AddDate(0, 0, i)
		st, err := s.dayStats(day.Format(DateLayout))
		if err != nil {
			return err
		}
		if !s.b.cfg.ServiceDay(day) && st.held+st.cancelled == 0 {
			continue // a weekend or holiday with nothing on it
		}
		sum.add(st)
		line := fmt.Sprintf("%s %d/%d: %d terdaftar, %d selesai, %d tidak hadir, %d batal", shortDays[day.Weekday()],
			day.Day(), int(day.Month()), st.held, st.served, st.noShow, st.cancelled)
		if st.closed {
			line += " (ditutup)"
		}
		days = append(days, line)
	}
	sunday := monday.AddDate(0, 0, 6)
	head := fmt.Sprintf("📊 *Statistik minggu %s – %s*", dateWords(monday.Format(DateLayout), LangID),
		dateWords(sunday.Format(DateLayout), LangID))
	s.say(head + "\n" + strings.Join(sum.lines(), "\n") + "\n\nPer hari:\n" + strings.Join(days, "\n"))
	return nil
}

// tellWaitlist offers up to n free seats of date to the waiting list and returns the line that
// says so to staff ("" when nobody was waiting).
func (s *staffTurn) tellWaitlist(date string, n int) (string, error) {
	told, err := s.b.offerSeats(s.tx, s.now, date, n)
	if err != nil || told == 0 {
		return "", err
	}
	return fmt.Sprintf("\n%d pemohon di daftar tunggu diberi tahu.", told), nil
}
