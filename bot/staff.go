package bot

import (
	"fmt"
	"strings"
)

// command is one staff command. The table below is the whole staff interface: /help is generated
// from it, and the staff check happens once, before any of it runs.
type command struct {
	name    string
	args    string // shown in /help
	help    string
	example string
	admin   bool // admins only
	run     func(s *staffTurn, args string) error
}

// staffTurn is one staff command's work.
type staffTurn struct {
	*turn
	phone string
	admin bool
}

var commands []command

func init() {
	// Assigned in init because /help reads the table it belongs to.
	commands = []command{
		{name: "list", args: "[tanggal]", help: "antrian satu hari, urut nomor", example: "/list besok", run: cmdList},
		{name: "help", help: "daftar perintah", example: "/help", run: cmdHelp},
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
	t := &turn{b: b, tx: tx, c: &Conversation{Phone: phone, Chat: in.Chat, Lang: LangID}, now: in.At.In(b.loc)}
	s := &staffTurn{turn: t, phone: phone, admin: b.cfg.IsAdmin(phone)}
	line := strings.TrimSpace(in.Text)
	name, args, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	name = strings.ToLower(strings.TrimSpace(name))
	args = strings.TrimSpace(args)
	cmd, ok := findCommand(name)
	switch {
	case !ok:
		t.say("Perintah /%s tidak dikenal. Ketik /help untuk daftar perintah.", clip(name, 20))
	case cmd.admin && !s.admin:
		t.say("/%s hanya untuk admin.", cmd.name)
	default:
		b.log.Info("staff command", "cmd", cmd.name, "staff", MaskPhone(phone))
		if err := cmd.run(s, args); err != nil {
			return err
		}
	}
	for _, text := range t.out {
		if err := tx.Send(Outgoing{Chat: in.Chat, Phone: phone, Text: text, CreatedAt: in.At}); err != nil {
			return err
		}
	}
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// staffDate reads a command's date argument; empty means today.
func (s *staffTurn) date(arg, example string) (string, bool) {
	if arg == "" {
		return s.today(), true
	}
	d, ok := ParseStaffDate(arg, s.now)
	if !ok {
		s.say("Tanggal %q tidak dikenal. Contoh: %s", clip(arg, 20), example)
	}
	return d, ok
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
	if len(p) <= 4 {
		return p
	}
	return "…" + p[len(p)-4:]
}

// listChunk is how many bookings go in one message, so that a list fits a phone screen.
const listChunk = 25

func cmdList(s *staffTurn, args string) error {
	date, ok := s.date(args, "/list besok, /list 8/12")
	if !ok {
		return nil
	}
	bs, err := s.tx.Bookings(date)
	if err != nil {
		return err
	}
	day, err := s.tx.Day(date)
	if err != nil {
		return err
	}
	quota := total(s.b.layout(day))
	active := 0
	for _, bk := range bs {
		if bk.Status != StatusCancelled {
			active++
		}
	}
	head := fmt.Sprintf("*Antrian %s*: %d dari %d kursi", dateWords(date, LangID), active, quota)
	if day.Closed {
		head += " (DITUTUP: " + day.Reason + ")"
	}
	if len(bs) == 0 {
		s.say(head + "\nBelum ada antrian.")
		return nil
	}
	for i := 0; i < len(bs); i += listChunk {
		var b strings.Builder
		if i == 0 {
			b.WriteString(head)
		} else {
			fmt.Fprintf(&b, "(lanjutan %d)", i/listChunk+1)
		}
		for _, bk := range bs[i:min(i+listChunk, len(bs))] {
			fmt.Fprintf(&b, "\n%s %s %s %s %s %s", number(bk.Number), strings.TrimSuffix(s.b.windowText(bk.Window), " WIB"),
				bk.Name, bk.Type, statusWords[bk.Status], lastDigits(bk.Phone))
		}
		s.say(b.String())
	}
	return nil
}

func cmdHelp(s *staffTurn, _ string) error {
	var b strings.Builder
	b.WriteString("*Perintah petugas*")
	for _, c := range commands {
		if c.admin && !s.admin {
			continue
		}
		b.WriteString("\n/" + c.name)
		if c.args != "" {
			b.WriteString(" " + c.args)
		}
		b.WriteString(" — " + c.help)
		if c.example != "" && c.example != "/"+c.name {
			b.WriteString(" (" + c.example + ")")
		}
	}
	b.WriteString("\nTanggal: today/hari ini, tomorrow/besok, 2026-12-08, 08-12-2026, 8/12.")
	s.say(b.String())
	return nil
}
