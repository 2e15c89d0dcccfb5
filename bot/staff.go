package bot

import (
	"errors"
	"fmt"
	"law/logmask"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// command is one staff command. The table below is the whole staff interface: /help is generated
// from it, and the staff check happens once, before any of it runs.
type command struct {
	name    string
	args    string // shown in /help
	help    string
	example string // shown in /help and in every correction
	admin   bool   // admins only
	section int    // which /help message lists it, so that each fits a phone screen
	// readOnly commands only read (through staffTurn.rx, never tx): Handle runs them in a read
	// transaction beside the writer, and only claims the message and queues the reply in a write.
	readOnly bool
	run      func(s *staffTurn, args string) error
}

// The /help messages, by section.
var helpSections = []string{"*Perintah petugas — loket*", "*Perintah petugas — hari dan pengumuman*"}

// staffTurn is one staff command's work. rx is what read-only commands read through: the
// read transaction of View for them, the write transaction (tx) for the others.
type staffTurn struct {
	*turn
	rx    ReadTx
	phone string
	admin bool
	cmd   command
}

var commands []command

func init() {
	// Assigned in init because /help reads the table it belongs to.
	commands = []command{
		{name: "next", args: "[loket]", help: "panggil nomor berikutnya ke loket Anda", example: "/next 2", run: cmdNext},
		{name: "recall", help: "ulangi panggilan terakhir Anda", example: "/recall", run: cmdRecall},
		{name: "done", args: "N", help: "selesai dilayani", example: "/done 7", run: cmdDone},
		{name: "noshow", args: "N", help: "tidak hadir", example: "/noshow 7", run: cmdNoShow},
		{name: "cancel", args: "N alasan", help: "batalkan; pemohon diberi tahu alasannya",
			example: "/cancel 7 dokumen tidak lengkap", run: cmdCancel},
		{name: "paid", args: "N", help: "biaya sudah dibayar", example: "/paid 7", run: cmdPaid},
		{name: "ready", args: "N", help: "paspor siap diambil", example: "/ready 8/12:7", run: cmdReady},
		{name: "collected", args: "N", help: "paspor sudah diambil pemohon (tanpa pengingat lagi)",
			example: "/collected 8/12:7", run: cmdCollected},
		{name: "checkin", args: "N", help: "pemohon sudah hadir (dipanggil lebih dulu)", example: "/checkin 7", run: cmdCheckin},
		{name: "priority", args: "N [alasan]", help: "prioritas: lansia, disabilitas, hamil, membawa bayi", example: "/priority 7 lansia", run: cmdPriority},
		{name: "list", args: "[tanggal]", help: "antrian satu hari, urut nomor", example: "/list besok", readOnly: true, run: cmdList},
		{name: "find", args: "teks", help: "cari nama atau nomor HP", example: "/find budi", readOnly: true, run: cmdFind},

		{name: "stats", args: "[tanggal|week]", help: "rekap satu hari atau satu minggu", example: "/stats week",
			section: 1, readOnly: true, run: cmdStats},
		{name: "quota", args: "tanggal N", help: "ubah jumlah kursi satu hari", example: "/quota 8/12 40",
			section: 1, run: cmdQuota},
		{name: "close", args: "tanggal alasan", help: "tutup satu hari; pemohonnya diberi tahu dan ditawari tanggal lain",
			example: "/close 8/12 listrik padam", section: 1, run: cmdClose},
		{name: "open", args: "tanggal", help: "buka lagi hari yang ditutup; antriannya dipulihkan",
			example: "/open 8/12", section: 1, run: cmdOpen},
		{name: "broadcast", args: "tanggal teks", help: "pesan ke semua antrian aktif hari itu; " +
			"dikirim setelah Anda membalas /broadcast ya (atau /broadcast batal)",
			example: "/broadcast besok Harap datang 30 menit lebih awal", section: 1, run: cmdBroadcast},
		{name: "staff", args: "add|remove HP", help: "tambah atau hapus petugas; /staff saja: daftar petugas",
			example: "/staff add 6281234567890", admin: true, section: 1, run: cmdStaff},
		{name: "status", help: "keadaan LAW: sambungan WhatsApp, antrian kirim, pesan hari ini", example: "/status", section: 1, run: cmdStatus},
		{name: "help", help: "daftar perintah", example: "/help", section: 1, readOnly: true, run: cmdHelp},
	}
}

func findCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// staffCommand runs a command from an authorised staff member. Replies are Indonesian, for the
// office's own people, and go to the chat the command came from.
func (b *Bot) staffCommand(tx Tx, in Incoming, phone string) error {
	out, err := b.runStaff(tx, tx, in, phone)
	if err != nil {
		return err
	}
	return sendStaff(tx, in, phone, out)
}

// sendStaff queues a command's replies to the chat it came from.
func sendStaff(tx Tx, in Incoming, phone string, out []string) error {
	for _, text := range out {
		if err := tx.Send(Outgoing{Chat: in.Chat, Phone: phone, Text: text, CreatedAt: in.At, Rank: staffRank}); err != nil {
			return err
		}
	}
	return nil
}

// parseCommand splits a staff message into the command's name (lower case) and its arguments.
func parseCommand(text string) (name, args string) {
	line := strings.TrimSpace(staffText(text))
	name, args, _ = strings.Cut(strings.TrimPrefix(line, "/"), " ")
	return strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(args)
}

// runStaff runs a staff command and returns its replies. tx is nil for a read-only command run in
// a read transaction (rx); otherwise rx is tx.
func (b *Bot) runStaff(tx Tx, rx ReadTx, in Incoming, phone string) ([]string, error) {
	t := &turn{b: b, tx: tx, c: &Conversation{Phone: phone, Chat: in.Chat, Lang: LangID}, now: in.At.In(b.loc)}
	s := &staffTurn{turn: t, rx: rx, phone: phone, admin: b.cfg.IsAdmin(phone)}
	name, args := parseCommand(in.Text)
	cmd, ok := findCommand(name)
	switch {
	case !ok:
		t.say("Perintah /%s tidak dikenal. Ketik /help untuk daftar perintah.", clip(name, 20))
	case cmd.admin && !s.admin:
		t.say("/%s hanya untuk admin.", cmd.name)
	default:
		b.log.Info("staff command", "cmd", cmd.name, "staff", logmask.Phone(phone))
		s.cmd = cmd
		if err := cmd.run(s, args); err != nil {
			return nil, err
		}
	}
	return t.out, nil
}

// staffText makes a command's text fit to store and to pass on to applicants (a /close reason, a
// /broadcast): invalid UTF-8 becomes U+FFFD; control characters other than line breaks and tabs,
// and the bidirectional overrides and isolates, are dropped.
func staffText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' || bidiControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// bidiControl reports the embedding, override and isolate controls (U+202A–202E, U+2066–2069):
// passed on to applicants they can reverse how the rest of an official message reads.
func bidiControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// fix answers a command it cannot run with one line: what is wrong, and an example that works.
func (s *staffTurn) fix(format string, args ...any) {
	s.say(fmt.Sprintf(format, args...) + " Contoh: " + s.cmd.example)
}

// audit records the command in the audit log.
func (s *staffTurn) audit(date string, booking int64, detail string) error {
	return s.tx.Audit(AuditEntry{At: s.now, Staff: s.phone, Action: s.cmd.name, Date: date, Booking: booking,
		Detail: clip(detail, 300)})
}

// notify queues a message to an applicant. bulk is for messages that go to many at once: they
// are sent at the slow pace that keeps the office's number safe.
func (s *staffTurn) notify(c Conversation, text string, bulk bool) error {
	o := Outgoing{Chat: c.Chat, Phone: c.Phone, Text: text, Bulk: bulk, CreatedAt: s.now}
	if !bulk {
		o.Rank = staffRank // a call to the counter must not wait behind a rush
	}
	return s.tx.Send(o)
}

// reach returns the conversation of a booking's applicant, for the chat and language to write
// in: the conversation's own, which follow the applicant's latest message and language switch,
// or the booking's when there is no conversation any more.
func (s *staffTurn) reach(bk Booking) (Conversation, error) {
	c, err := s.tx.Conversation(bk.Phone)
	if err != nil {
		return c, err
	}
	if c.Chat == "" {
		c.Chat = bk.Chat
	}
	if c.State == StateNew && bk.Lang != "" {
		c.Lang = bk.Lang
	}
	return c, nil
}

// date reads a command's optional date argument; empty means today.
func (s *staffTurn) date(arg string) (string, bool) {
	if arg == "" {
		return s.today(), true
	}
	return s.dateArg(arg)
}

// dateArg reads a required date argument.
func (s *staffTurn) dateArg(arg string) (string, bool) {
	if arg == "" {
		s.fix("Tanggalnya belum ada.")
		return "", false
	}
	d, ok := ParseStaffDate(arg, s.now)
	if !ok {
		s.fix("Tanggal %q tidak dikenal.", clip(arg, 20))
	}
	return d, ok
}

// notPast refuses a date before today, for commands that change what is still to come.
func (s *staffTurn) notPast(date string) bool {
	if date < s.today() {
		s.fix("%s sudah lewat.", dateWords(date, LangID))
		return false
	}
	return true
}

// serviceDay refuses a date the office does not serve; opening one is the configuration's job.
func (s *staffTurn) serviceDay(date string) bool {
	d, err := parseDate(date, s.b.loc)
	if err == nil && s.b.cfg.ServiceDay(d) {
		return true
	}
	s.fix("%s bukan hari layanan (akhir pekan atau libur, diatur di konfigurasi).", dateWords(date, LangID))
	return false
}

// booking reads a queue number argument, N for today or date:N ("8/12:7"), and loads it. It says
// what is wrong and returns false when the argument or the number is wrong.
func (s *staffTurn) booking(arg string) (Booking, bool, error) {
	date, nArg := s.today(), arg
	if i := strings.LastIndex(arg, ":"); i >= 0 {
		d, ok := ParseStaffDate(arg[:i], s.now)
		if !ok {
			s.fix("Tanggal %q tidak dikenal.", clip(arg[:i], 20))
			return Booking{}, false, nil
		}
		date, nArg = d, arg[i+1:]
	}
	if arg == "" {
		s.fix("Sebutkan nomor antriannya: N untuk hari ini atau tanggal:N (8/12:7).")
		return Booking{}, false, nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(nArg, "#"))
	if err != nil || n < 1 || n > 999 {
		s.fix("Nomor antrian %q tidak dikenal: tulis N untuk hari ini atau tanggal:N (8/12:7).", clip(arg, 20))
		return Booking{}, false, nil
	}
	bs, err := s.tx.Bookings(date)
	if err != nil {
		return Booking{}, false, err
	}
	// The booking holding the number; a cancelled one only when nobody holds it since.
	var found *Booking
	for i := range bs {
		if bs[i].Number != n {
			continue
		}
		if found == nil || found.Status == StatusCancelled {
			found = &bs[i]
		}
	}
	if found == nil {
		s.fix("Tidak ada nomor %s pada %s (lihat /list %s).", number(n), dateWords(date, LangID), s.refDate(date))
		return Booking{}, false, nil
	}
	return *found, true, nil
}

// refDate writes a date the short way staff type it, 8/12, or in full when 8/12 would be read as
// another year.
func (s *staffTurn) refDate(date string) string {
	d, err := parseDate(date, s.b.loc)
	if err != nil {
		return date
	}
	short := fmt.Sprintf("%d/%d", d.Day(), int(d.Month()))
	if back, ok := ParseStaffDate(short, s.now); ok && back == date {
		return short
	}
	return date
}

// ref writes a booking's number the way commands take it: 007 today, 8/12:007 another day.
func (s *staffTurn) ref(bk Booking) string {
	if bk.Date == s.today() {
		return number(bk.Number)
	}
	return s.refDate(bk.Date) + ":" + number(bk.Number)
}

// who is one booking in a staff reply: number, name and passport type.
func (s *staffTurn) who(bk Booking) string {
	return s.ref(bk) + " " + bk.Name + " (" + bk.Type + ")"
}

var statusWords = map[Status]string{
	StatusBooked:    "terdaftar",
	StatusCalled:    "dipanggil",
	StatusServed:    "selesai",
	StatusNoShow:    "tidak hadir",
	StatusCancelled: "batal",
}

// lastDigits shows only the end of a phone number, as staff screens should.
func lastDigits(p string) string {
	if IsLIDKey(p) {
		return "(nomor belum diketahui)" // a LID, not a phone number
	}
	if len(p) <= 4 {
		return p
	}
	return "…" + p[len(p)-4:]
}

// listChunk is how many lines go in one message, so that a list fits a phone screen.
const listChunk = 25

// sayList says head and lines, split into messages of listChunk lines.
func (s *staffTurn) sayList(head string, lines []string) {
	for i := 0; i < len(lines) || i == 0; i += listChunk {
		var b strings.Builder
		if i == 0 {
			b.WriteString(head)
		} else {
			fmt.Fprintf(&b, "(lanjutan %d)", i/listChunk+1)
		}
		for _, l := range lines[i:min(i+listChunk, len(lines))] {
			b.WriteString("\n" + l)
		}
		s.say(b.String())
	}
}

// windowStart is the start of a window, as a list line shows it: "07:30".
func (b *Bot) windowStart(w int) string {
	spans := b.cfg.Windows()
	if w < 1 || w > len(spans) {
		return "?"
	}
	return fmt.Sprintf("%02d:%02d", spans[w-1].Start/60, spans[w-1].Start%60)
}

func cmdList(s *staffTurn, args string) error {
	date, ok := s.date(args)
	if !ok {
		return nil
	}
	bs, err := s.rx.Bookings(date)
	if err != nil {
		return err
	}
	day, err := s.rx.Day(date)
	if err != nil {
		return err
	}
	quota := total(s.b.layout(day))
	held := 0
	for _, bk := range bs {
		if bk.Status != StatusCancelled {
			held++
		}
	}
	head := fmt.Sprintf("*Antrian %s*: %d dari %d kursi", dateWords(date, LangID), held, quota)
	if day.Closed {
		head += " (DITUTUP: " + day.Reason + ")"
	}
	if len(bs) == 0 {
		s.say(head + "\nBelum ada antrian.")
		return nil
	}
	arr, err := s.rx.Arrivals(date)
	if err != nil {
		return err
	}
	lines := make([]string, len(bs))
	for i, bk := range bs {
		lines[i] = fmt.Sprintf("%s %s %s %s %s %s", number(bk.Number), strings.TrimSuffix(s.b.windowText(bk.Window), " WIB"),
			bk.Name, bk.Type, statusWords[bk.Status], lastDigits(bk.Phone))
		if note := s.b.arrivalNote(arr[bk.ID]); note != "" && bk.Status != StatusCancelled {
			lines[i] += " · " + note
		}
	}
	s.sayList(head, lines)
	return nil
}

// findLimit is how many bookings /find shows; more means the search should be narrower.
const findLimit = 20

func cmdFind(s *staffTurn, args string) error {
	q := strings.Join(strings.Fields(args), " ")
	var name, digits string
	if strings.Trim(q, "0123456789+-() ") == "" {
		digits = strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return r
			}
			return -1
		}, q)
		// A whole number as typed in Indonesia, 0812..., is stored as 62812....
		if strings.HasPrefix(digits, "0") && len(digits) >= 9 {
			digits = "62" + digits[1:]
		}
		if len(digits) < 4 {
			s.fix("Ketik paling sedikit 4 angka nomor HP atau 3 huruf nama.")
			return nil
		}
	} else {
		name = strings.ToUpper(q)
		if utf8.RuneCountInString(name) < 3 {
			s.fix("Ketik paling sedikit 3 huruf nama atau 4 angka nomor HP.")
			return nil
		}
	}
	bs, err := s.rx.FindBookings(name, digits, findLimit+1)
	if err != nil {
		return err
	}
	if len(bs) == 0 {
		s.say(fmt.Sprintf("Tidak ada antrian dengan %q.", clip(q, 30)))
		return nil
	}
	head := fmt.Sprintf("*Hasil /find %s*: %d antrian", clip(q, 30), len(bs))
	if len(bs) > findLimit {
		bs = bs[:findLimit]
		head = fmt.Sprintf("*Hasil /find %s*: %d pertama; persempit pencarian untuk melihat sisanya", clip(q, 30), findLimit)
	}
	lines := make([]string, len(bs))
	for i, bk := range bs {
		ref := s.refDate(bk.Date) + ":" + number(bk.Number)
		lines[i] = fmt.Sprintf("%s %s %s %s %s %s", ref, s.b.windowStart(bk.Window), bk.Name, bk.Type,
			statusWords[bk.Status], lastDigits(bk.Phone))
	}
	s.sayList(head, lines)
	return nil
}

func cmdHelp(s *staffTurn, _ string) error {
	for sec, title := range helpSections {
		var b strings.Builder
		b.WriteString(title)
		for _, c := range commands {
			if c.section != sec || c.admin && !s.admin {
				continue
			}
			b.WriteString("\n/" + c.name)
			if c.args != "" {
				b.WriteString(" " + c.args)
			}
			b.WriteString(" — " + c.help)
			if c.example != "/"+c.name {
				b.WriteString(" (" + c.example + ")")
			}
		}
		if sec == 0 {
			b.WriteString("\nN: nomor antrian hari ini (7) atau tanggal:nomor (8/12:7).")
		} else {
			b.WriteString("\nTanggal: today/hari ini, tomorrow/besok, 2026-12-08, 08-12-2026, 8/12.")
		}
		s.say(b.String())
	}
	return nil
}

// numbers lists queue numbers in words: "007", "007 dan 008", "007, 008 dan 009".
func numbers(bs []Booking, and string) string {
	parts := make([]string, len(bs))
	for i, bk := range bs {
		parts[i] = number(bk.Number)
	}
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + and + parts[len(parts)-1]
}

// byPhone groups bookings by applicant, keeping the first booking's order.
func byPhone(bs []Booking) [][]Booking {
	idx := map[string]int{}
	var out [][]Booking
	for _, bk := range bs {
		i, ok := idx[bk.Phone]
		if !ok {
			i = len(out)
			idx[bk.Phone] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], bk)
	}
	return out
}

// isNotFound is ErrNotFound, whichever layer wrapped it.
func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

func sortByNumber(bs []Booking) {
	sort.Slice(bs, func(i, j int) bool { return bs[i].Number < bs[j].Number })
}

// cutDate splits a command's arguments into the date and the rest. Dates are one word but for
// "hari ini", which comes first whole.
func cutDate(args string) (date, rest string) {
	fields := strings.Fields(args)
	if len(fields) >= 2 && strings.EqualFold(fields[0]+" "+fields[1], "hari ini") {
		return fields[0] + " " + fields[1], strings.TrimSpace(strings.Join(fields[2:], " "))
	}
	date, rest, _ = strings.Cut(strings.TrimSpace(args), " ")
	return date, strings.TrimSpace(rest)
}
