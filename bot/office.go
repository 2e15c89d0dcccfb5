package bot

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// At the office: an applicant who has arrived checks in ("hadir"), priority applicants (elderly,
// disabled, pregnant, with infants) ask for priority ("prioritas ...") or are marked by staff, and
// /next calls checked-in priority applicants first, then the checked-in, then the others.

// checkinWords are what an applicant who has arrived writes, in either language, after norm.
var checkinWords = map[string]bool{
	"hadir": true, "sudah hadir": true, "saya hadir": true, "saya sudah hadir": true,
	"sampai": true, "sudah sampai": true, "saya sudah sampai": true, "sdh sampai": true, "udah sampai": true,
	"sudah tiba": true, "saya sudah tiba": true, "sudah datang": true, "saya sudah datang": true,
	"di kantor": true, "sudah di kantor": true, "saya sudah di kantor": true, "saya di kantor": true,
	"checkin": true, "check in": true, "check-in": true, "cek in": true, "cekin": true,
	"arrived": true, "i have arrived": true, "i've arrived": true, "i arrived": true,
	"i'm here": true, "im here": true, "i am here": true, "here": true,
}

// priorityWords start an applicant's request for priority: "prioritas lansia 70 tahun".
var priorityWords = []string{"jalur prioritas", "minta prioritas", "prioritas", "priority"}

// politeWords are dropped from both ends before matching: "sudah sampai pak", "hadir kak 🙏".
var politeWords = map[string]bool{"pak": true, "bu": true, "ibu": true, "bapak": true, "kak": true,
	"mas": true, "mbak": true, "bang": true, "min": true, "admin": true, "ya": true, "nih": true,
	"permisi": true, "halo": true, "please": true, "sir": true, "madam": true}

// officeWords folds a message for the office's words: norm, then polite words off both ends.
func officeWords(s string) []string {
	w := strings.Fields(strings.NewReplacer(",", " ", "!", " ", ".", " ").Replace(norm(s)))
	for len(w) > 0 && politeWords[w[0]] {
		w = w[1:]
	}
	for len(w) > 0 && politeWords[w[len(w)-1]] {
		w = w[:len(w)-1]
	}
	return w
}

// isCheckin reports whether the message says the applicant has arrived.
func isCheckin(s string) bool { return checkinWords[strings.Join(officeWords(s), " ")] }

// priorityAsked reads "prioritas <reason>": ok when the message asks for priority, with the reason
// as written (possibly empty).
func priorityAsked(s string) (reason string, ok bool) {
	text := strings.Join(strings.Fields(strings.ToValidUTF8(s, "")), " ")
	for _, w := range priorityWords {
		if len(text) < len(w) || !strings.EqualFold(text[:len(w)], w) {
			continue
		}
		rest := text[len(w):]
		if rest != "" && rest[0] != ' ' && rest[0] != ':' {
			continue // "prioritasnya" is another word
		}
		// Staff read the reason in /list: no control or direction characters in it.
		reason = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Cf, r) {
				return -1
			}
			return r
		}, staffText(rest))
		return clip(strings.Trim(reason, " :,.-"), 100), true
	}
	return "", false
}

// office answers the office's words before the conversation's state is looked at; false when the
// message is not one of them. The state stays: a check-in in the middle of a flow keeps the flow.
func (t *turn) office() (bool, error) {
	done, err := t.officeAnswer()
	if done && t.c.State == StateNew {
		t.c.State = StateMenu
	}
	if done && err == nil {
		// Said in the middle of a booking: the open question comes again, the answers kept.
		err = t.askAgain()
	}
	return done, err
}

// askAgain asks the open question of a booking flow again, keeping its answers; other states
// have nothing open.
func (t *turn) askAgain() error {
	switch t.c.State {
	case StateName:
		t.sayMore(t.t().AskName)
	case StateType:
		t.askType()
	case StateOffer:
		return t.offerEarliest("")
	case StateDate:
		return t.offerDates()
	case StateWindow:
		return t.offerWindows()
	case StateConfirm:
		t.sayMore(t.t().YesOrCancel)
	}
	return nil
}

func (t *turn) officeAnswer() (bool, error) {
	if reason, ok := priorityAsked(t.text); ok {
		return true, t.askPriority(reason)
	}
	// A one-word name such as "Hadir" is a name while the name is asked.
	if t.c.State != StateName && isCheckin(t.text) {
		return true, t.checkIn()
	}
	return false, nil
}

// checkIn marks today's bookings of the applicant arrived, and says their number and how many who
// are here come before them.
func (t *turn) checkIn() error {
	active, err := t.tx.ActiveBookings(t.c.Phone, t.today())
	if err != nil {
		return err
	}
	var today []Booking
	for _, bk := range active {
		if bk.Date == t.today() {
			today = append(today, bk)
		}
	}
	ot := officeTextsFor(t.c.Lang)
	if len(today) == 0 {
		if len(active) == 0 {
			t.say(ot.NoBookingToday)
			return nil
		}
		bk := active[0]
		t.say(ot.NotYourDay, number(bk.Number), dateWords(bk.Date, t.c.Lang))
		return nil
	}
	all, err := t.tx.Bookings(t.today())
	if err != nil {
		return err
	}
	arr, err := t.tx.Arrivals(t.today())
	if err != nil {
		return err
	}
	var lines []string
	for _, bk := range today {
		if bk.Status == StatusCalled {
			lines = append(lines, fmt.Sprintf(ot.AlreadyCalled, number(bk.Number), bk.Counter))
			continue
		}
		if _, err := t.tx.CheckIn(bk.ID, t.now); err != nil {
			return err
		}
		a := arr[bk.ID]
		if !a.CheckedIn() {
			a.CheckedInAt = t.now
			arr[bk.ID] = a
		}
	}
	waiting := false
	for _, bk := range today {
		if bk.Status == StatusCalled {
			continue
		}
		waiting = true
		lines = append(lines, fmt.Sprintf(ot.CheckedIn, number(bk.Number), aheadOf(bk.ID, all, arr)))
	}
	if waiting {
		lines = append(lines, "\n"+ot.WaitForCall)
	}
	t.say(strings.Join(lines, "\n"))
	return nil
}

// aheadOf counts the checked-in applicants called before booking id.
func aheadOf(id int64, bs []Booking, arr map[int64]Arrival) int {
	for i, bk := range waitingInOrder(bs, arr) {
		if bk.ID == id {
			return i
		}
	}
	return 0
}

// askPriority records the applicant's request for priority on their next day's bookings, for
// staff to confirm at the counter.
func (t *turn) askPriority(reason string) error {
	ot := officeTextsFor(t.c.Lang)
	if reason == "" {
		t.say(ot.PriorityHow)
		return nil
	}
	active, err := t.tx.ActiveBookings(t.c.Phone, t.today())
	if err != nil {
		return err
	}
	if len(active) == 0 {
		t.say(ot.PriorityNoBooking)
		return nil
	}
	var nums []Booking
	for _, bk := range active {
		if bk.Date != active[0].Date {
			break
		}
		if err := t.tx.AskPriority(bk.ID, reason); err != nil {
			return err
		}
		nums = append(nums, bk)
	}
	t.say(ot.PriorityNoted, numbers(nums, noticesFor(t.c.Lang).NumbersAnd))
	return nil
}

// waitingInOrder returns the bookings still waiting to be called, in calling order: checked-in
// priority applicants, then the checked-in, then the others; within each, by window, then number.
func waitingInOrder(bs []Booking, arr map[int64]Arrival) []Booking {
	var waiting []Booking
	for _, bk := range bs {
		if bk.Status == StatusBooked {
			waiting = append(waiting, bk)
		}
	}
	lane := func(bk Booking) int {
		a := arr[bk.ID]
		switch {
		case a.CheckedIn() && a.Priority != "":
			return 0
		case a.CheckedIn():
			return 1
		}
		return 2
	}
	sort.SliceStable(waiting, func(i, j int) bool {
		li, lj := lane(waiting[i]), lane(waiting[j])
		if li != lj {
			return li < lj
		}
		if waiting[i].Window != waiting[j].Window {
			return waiting[i].Window < waiting[j].Window
		}
		return waiting[i].Number < waiting[j].Number
	})
	return waiting
}

// arrivalNote is what staff lists add to a booking: "hadir 07:41", "⭐ lansia", "minta prioritas: hamil".
func (b *Bot) arrivalNote(a Arrival) string {
	var parts []string
	if a.CheckedIn() {
		parts = append(parts, "hadir "+a.CheckedInAt.In(b.loc).Format("15:04"))
	}
	if a.Priority != "" {
		parts = append(parts, "⭐ "+a.Priority)
	} else if a.PriorityAsked != "" {
		parts = append(parts, "minta prioritas: "+a.PriorityAsked)
	}
	return strings.Join(parts, " · ")
}

// cmdCheckin marks an applicant arrived at the counter, as "hadir" from their phone does.
func cmdCheckin(s *staffTurn, args string) error {
	bk, ok, err := s.booking(args)
	if err != nil || !ok {
		return err
	}
	switch {
	case bk.Date != s.today():
		s.fix("%s bukan antrian hari ini.", s.ref(bk))
		return nil
	case bk.Status == StatusCalled:
		s.say("Nomor %s sudah dipanggil ke loket %s.", s.ref(bk), bk.Counter)
		return nil
	case bk.Status != StatusBooked:
		s.say("Nomor %s sudah %s.", s.ref(bk), statusWords[bk.Status])
		return nil
	}
	fresh, err := s.tx.CheckIn(bk.ID, s.now)
	if err != nil {
		return err
	}
	bs, err := s.tx.Bookings(bk.Date)
	if err != nil {
		return err
	}
	arr, err := s.tx.Arrivals(bk.Date)
	if err != nil {
		return err
	}
	if err := s.audit(bk.Date, bk.ID, ""); err != nil {
		return err
	}
	already := ""
	if !fresh {
		already = " (sudah tercatat " + arr[bk.ID].CheckedInAt.In(s.b.loc).Format("15:04") + ")"
	}
	s.say("🙋 %s: hadir%s. Di depannya %d orang yang sudah hadir.", s.who(bk), already, aheadOf(bk.ID, bs, arr))
	return nil
}

// cmdPriority marks a booking as priority, with the staff's reason, the applicant's own, or a
// plain "prioritas"; "batal" takes it away.
func cmdPriority(s *staffTurn, args string) error {
	ref, reason, _ := strings.Cut(args, " ")
	reason = clip(strings.Join(strings.Fields(reason), " "), 100)
	bk, ok, err := s.booking(ref)
	if err != nil || !ok {
		return err
	}
	switch {
	case bk.Date < s.today():
		s.fix("%s: tanggalnya sudah lewat.", s.ref(bk))
		return nil
	case bk.Status != StatusBooked:
		s.say("Nomor %s sudah %s.", s.ref(bk), statusWords[bk.Status])
		return nil
	}
	arr, err := s.tx.Arrivals(bk.Date)
	if err != nil {
		return err
	}
	a := arr[bk.ID]
	if w := strings.ToLower(reason); w == "batal" || w == "hapus" || w == "cancel" {
		if a.Priority == "" {
			s.say("Nomor %s bukan prioritas.", s.ref(bk))
			return nil
		}
		if err := s.tx.SetPriority(bk.ID, ""); err != nil {
			return err
		}
		if err := s.audit(bk.Date, bk.ID, "batal"); err != nil {
			return err
		}
		s.say("%s: tidak lagi prioritas.", s.who(bk))
		return nil
	}
	switch {
	case reason != "":
	case a.PriorityAsked != "":
		reason = a.PriorityAsked
	case a.Priority != "":
		reason = a.Priority
	default:
		reason = "prioritas"
	}
	if err := s.tx.SetPriority(bk.ID, reason); err != nil {
		return err
	}
	// The reason may tell of health; the audit keeps only that priority was given.
	if err := s.audit(bk.Date, bk.ID, ""); err != nil {
		return err
	}
	reply := fmt.Sprintf("⭐ %s: prioritas (%s).", s.who(bk), reason)
	if bk.Date == s.today() && !a.CheckedIn() {
		reply += fmt.Sprintf(" Dipanggil lebih dulu setelah hadir (/checkin %d).", bk.Number)
	} else if bk.Date == s.today() {
		reply += " Dipanggil lebih dulu."
	}
	s.say(reply)
	return nil
}

// officeStats counts a day's check-ins and priority applicants, for /stats.
type officeStats struct{ checkedIn, priority, asked int }

func (s *staffTurn) officeStats(date string, bs []Booking) (officeStats, error) {
	var st officeStats
	arr, err := s.rx.Arrivals(date)
	if err != nil {
		return st, err
	}
	for _, bk := range bs {
		a, ok := arr[bk.ID]
		if !ok || bk.Status == StatusCancelled {
			continue
		}
		if a.CheckedIn() {
			st.checkedIn++
		}
		if a.Priority != "" {
			st.priority++
		} else if a.PriorityAsked != "" {
			st.asked++
		}
	}
	return st, nil
}

func (st *officeStats) add(o officeStats) {
	st.checkedIn += o.checkedIn
	st.priority += o.priority
	st.asked += o.asked
}

// line is /stats' line for the office's side; empty on a day nobody checked in or asked, so that
// offices that do not use check-in never see it.
func (st officeStats) line() string {
	if st == (officeStats{}) {
		return ""
	}
	line := fmt.Sprintf("Hadir (check-in): %d · prioritas %d", st.checkedIn, st.priority)
	if st.asked > 0 {
		line += fmt.Sprintf(" · minta prioritas, belum dipastikan %d", st.asked)
	}
	return line
}

// officeTexts holds what applicants receive at the office, in one language.
type officeTexts struct {
	CheckedIn         string // %s number, %d checked-in applicants before them
	WaitForCall       string
	AlreadyCalled     string // %s number, %s counter
	NotYourDay        string // %s number, %s date
	NoBookingToday    string
	PriorityHow       string
	PriorityNoBooking string
	PriorityNoted     string // %s numbers
}

var officeTextsID = officeTexts{
	CheckedIn:      "✅ Anda tercatat hadir. Nomor antrian Anda: *%s*. Di depan Anda: %d orang yang sudah hadir.",
	WaitForCall:    "Silakan tunggu di ruang tunggu; nomor Anda dipanggil lewat pesan ini dan di layar.",
	AlreadyCalled:  "Nomor antrian *%s* sudah dipanggil: silakan menuju *loket %s* sekarang.",
	NotYourDay:     "Antrian Anda *%s* untuk %s. Ketik *hadir* pada hari itu, setelah Anda tiba di kantor.",
	NoBookingToday: "Anda tidak memiliki antrian hari ini. Ketik *1* untuk mengambil nomor antrian.",
	PriorityHow: "Layanan prioritas untuk lansia (60 tahun ke atas), penyandang disabilitas, ibu hamil " +
		"dan yang membawa bayi. Ketik *prioritas* dan alasannya, misalnya: prioritas lansia 67 tahun.",
	PriorityNoBooking: "Anda belum memiliki antrian aktif. Ambil nomor antrian dulu (ketik *1*), lalu ketik *prioritas* dan alasannya.",
	PriorityNoted: "Permintaan prioritas untuk antrian *%s* sudah dicatat. Petugas memastikannya saat Anda tiba; " +
		"setelah tiba, ketik *hadir*.",
}

var officeTextsEN = officeTexts{
	CheckedIn:      "✅ You are checked in. Your queue number: *%s*. Checked in before you: %d.",
	WaitForCall:    "Please wait in the waiting room; your number is called by this chat and on the screen.",
	AlreadyCalled:  "Queue number *%s* has been called: please go to *counter %s* now.",
	NotYourDay:     "Your queue number *%s* is for %s. Type *arrived* on that day, once you are at the office.",
	NoBookingToday: "You have no queue number for today. Type *1* to take one.",
	PriorityHow: "Priority service is for the elderly (60 or older), people with disabilities, pregnant " +
		"women and parents with infants. Type *priority* and the reason, for example: priority elderly 67.",
	PriorityNoBooking: "You have no active queue number. Take one first (type *1*), then type *priority* and the reason.",
	PriorityNoted: "Your request for priority for queue number *%s* is noted. The officer confirms it when you arrive; " +
		"once there, type *arrived*.",
}

func officeTextsFor(l Lang) *officeTexts {
	if l == LangEN {
		return &officeTextsEN
	}
	return &officeTextsID
}
