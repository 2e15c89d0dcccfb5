package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// /broadcast is two steps: the draft shows who will receive it, and /broadcast ya sends it. A
// message to a whole day cannot be taken back, so one typo in a date must not send it.

// broadcastTTL is how long a draft waits for its confirmation; a "ya" much later is more likely
// meant for something else.
const broadcastTTL = 30 * time.Minute

// broadcastMax keeps an announcement readable on a phone.
const broadcastMax = 1000

var (
	broadcastYes = map[string]bool{"ya": true, "y": true, "yes": true, "kirim": true, "send": true, "ok": true, "oke": true}
	broadcastNo  = map[string]bool{"batal": true, "cancel": true, "tidak": true, "no": true, "hapus": true}
)

func cmdBroadcast(s *staffTurn, args string) error {
	word := norm(args)
	switch {
	case args == "":
		s.fix("Sebutkan tanggal dan pesannya.")
		return nil
	case broadcastYes[word]:
		return sendBroadcast(s)
	case broadcastNo[word]:
		st, err := s.tx.StaffState(s.phone)
		if err != nil {
			return err
		}
		if st.BroadcastText == "" {
			s.say("Tidak ada pengumuman yang menunggu konfirmasi.")
			return nil
		}
		st.BroadcastDate, st.BroadcastText, st.BroadcastAt = "", "", time.Time{}
		s.say("Pengumuman dibatalkan; tidak ada yang dikirim.")
		return s.tx.SaveStaffState(st)
	}
	dateArg, text := cutDate(args)
	text = strings.TrimSpace(text)
	date, ok := s.dateArg(dateArg)
	if !ok {
		return nil
	}
	if text == "" {
		s.fix("Pesannya belum ada.")
		return nil
	}
	if n := utf8.RuneCountInString(text); n > broadcastMax {
		s.fix("Pesan terlalu panjang: %d huruf, paling banyak %d.", n, broadcastMax)
		return nil
	}
	if !s.notPast(date) {
		return nil
	}
	to, err := s.recipients(date)
	if err != nil {
		return err
	}
	if len(to) == 0 {
		s.say("Tidak ada antrian aktif pada %s; tidak ada yang akan menerima pengumuman.", dateWords(date, LangID))
		return nil
	}
	st, err := s.tx.StaffState(s.phone)
	if err != nil {
		return err
	}
	st.BroadcastDate, st.BroadcastText, st.BroadcastAt = date, text, s.now
	if err := s.tx.SaveStaffState(st); err != nil {
		return err
	}
	s.say("📢 Pengumuman ini akan dikirim ke *%d pemohon* yang antri pada %s:\n\n%s\n\n"+
		"Ketik */broadcast ya* untuk mengirim (dalam %d menit) atau */broadcast batal*.",
		len(to), dateWords(date, LangID), text, int(broadcastTTL/time.Minute))
	return nil
}

// sendBroadcast sends the staff member's draft to the day's active bookings, as they are now.
func sendBroadcast(s *staffTurn) error {
	st, err := s.tx.StaffState(s.phone)
	if err != nil {
		return err
	}
	if st.BroadcastText == "" {
		s.fix("Tidak ada pengumuman yang menunggu konfirmasi.")
		return nil
	}
	date, text := st.BroadcastDate, st.BroadcastText
	// A clock that went back since the broadcast was prepared cannot tell its age: ask again.
	late := s.now.Before(st.BroadcastAt) || s.now.Sub(st.BroadcastAt) > broadcastTTL
	st.BroadcastDate, st.BroadcastText, st.BroadcastAt = "", "", time.Time{}
	if err := s.tx.SaveStaffState(st); err != nil {
		return err
	}
	if late || date < s.today() {
		s.fix("Konfirmasi terlambat (lebih dari %d menit); pengumuman tidak dikirim. Kirim ulang /broadcast.",
			int(broadcastTTL/time.Minute))
		return nil
	}
	to, err := s.recipients(date)
	if err != nil {
		return err
	}
	for _, c := range to {
		msg := fmt.Sprintf(noticesFor(c.Lang).Broadcast, s.b.cfg.Office.Name, dateWords(date, c.Lang), text)
		if err := s.notify(c, msg, true); err != nil {
			return err
		}
	}
	if err := s.audit(date, 0, fmt.Sprintf("%d penerima: %s", len(to), text)); err != nil {
		return err
	}
	pace := s.b.cfg.Sending.BulkInterval.Duration
	s.say("📢 Pengumuman untuk %s masuk antrean kirim: %d pesan, satu tiap %s; selesai sekitar %s lagi.",
		dateWords(date, LangID), len(to), roughly(pace), roughly(pace*time.Duration(len(to))))
	return nil
}

// recipients returns one conversation per applicant with an active booking on date.
func (s *staffTurn) recipients(date string) ([]Conversation, error) {
	bs, err := s.tx.Bookings(date)
	if err != nil {
		return nil, err
	}
	var active []Booking
	for _, bk := range bs {
		if bk.Status.Active() {
			active = append(active, bk)
		}
	}
	var out []Conversation
	for _, g := range byPhone(active) {
		c, err := s.reach(g[0])
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// roughly writes a wait in whole seconds or minutes.
func roughly(d time.Duration) string {
	if d < 90*time.Second {
		return fmt.Sprintf("%d detik", int((d+time.Second-1)/time.Second))
	}
	return fmt.Sprintf("%d menit", int((d+time.Minute-1)/time.Minute))
}
