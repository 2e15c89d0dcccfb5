package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// StatusTx is what /status reads from the database.
type StatusTx interface {
	// HandledSince counts the incoming messages handled at or after since.
	HandledSince(since time.Time) (int, error)
}

// Health is the state of what the bot cannot see in its database: the connection to WhatsApp and
// the outbox sender. /status shows it to staff.
type Health struct {
	// Known is false when nothing reports WhatsApp's side; the fields up to BannedUntil are then
	// not shown.
	Known       bool
	Connected   bool      // WhatsApp's connection is up and logged in
	Since       time.Time // when Connected last changed; zero when not known
	BannedUntil time.Time // end of a temporary ban (WhatsApp's word or the sender's pause); zero: none

	// Clock says why the clock is doubted (no-show marking and erasure wait) or how far it is off
	// WhatsApp's time; "" when it agrees.
	Clock string

	Waiting      int       // messages queued and not yet sent
	OldestQueued time.Time // when the oldest of them was queued; zero when none wait
}

// StatusSource reports the bot's health; the wiring combines the WhatsApp transport's state and the
// sender's (pipeline.Sender.Status). It must be safe to call from any goroutine, and quick: it is
// called inside the /status command's transaction.
type StatusSource interface {
	Health() Health
}

// HealthFunc is a StatusSource made of a function.
type HealthFunc func() Health

// Health calls f.
func (f HealthFunc) Health() Health { return f() }

// SetStatus installs what /status reports beside the database; without it, /status says that the
// connection and the outbox are not known. Call it before the bot handles messages.
func (b *Bot) SetStatus(src StatusSource) { b.status = src }

// staffRank ranks the staff's replies and the notices their commands send to one applicant (a call
// to the counter) before every applicant's conversation: the sender serves the lowest rank first,
// and these must not wait behind a rush. Bulk notices keep their creation time.
var staffRank = time.UnixMilli(1)

// cmdStatus answers /status: is the bot well, in one message.
func cmdStatus(s *staffTurn, _ string) error {
	now := s.now
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	handled, err := s.tx.HandledSince(midnight)
	if err != nil {
		return err
	}
	var h Health
	if s.b.status != nil {
		h = s.b.status.Health()
	}
	lines := []string{"🩺 *Status LAW* — " + dateWords(s.today(), LangID) + " " + now.Format("15:04") + " WIB"}
	switch {
	case !h.Known:
		lines = append(lines, "WhatsApp: keadaan sambungan tidak diketahui.")
	case h.Connected:
		lines = append(lines, "WhatsApp: ✅ tersambung"+s.since(h.Since)+".")
	default:
		lines = append(lines, "WhatsApp: ⚠️ *terputus*"+s.since(h.Since)+"; LAW menyambung lagi sendiri.")
	}
	if h.BannedUntil.After(now) {
		lines = append(lines, "⛔ *Diblokir sementara oleh WhatsApp* sampai "+s.when(h.BannedUntil)+
			": tidak ada pesan terkirim sampai saat itu.")
	}
	switch {
	case s.b.status == nil:
		lines = append(lines, "Antrian kirim: tidak diketahui.")
	case h.Waiting == 0:
		lines = append(lines, "Antrian kirim: kosong.")
	default:
		line := fmt.Sprintf("Antrian kirim: %d pesan menunggu", h.Waiting)
		if !h.OldestQueued.IsZero() {
			line += ", yang tertua sudah menunggu " + durationWords(now.Sub(h.OldestQueued))
		}
		lines = append(lines, line+".")
	}
	if h.Clock != "" {
		lines = append(lines, "🕰️ *Jam komputer diragukan*: "+h.Clock+". Periksa tanggal dan jam komputer LAW.")
	}
	lines = append(lines, fmt.Sprintf("Pesan masuk ditangani hari ini: %d.", handled))
	lines = append(lines, "Kecepatan kirim: "+paceWords(s.b.cfg.Sending.GlobalInterval.Duration,
		s.b.cfg.Sending.Jitter.Duration, s.b.cfg.Sending.MaxPerMinute, s.b.cfg.Sending.ChatInterval.Duration,
		s.b.cfg.Sending.BulkInterval.Duration)+".")
	s.say(strings.Join(lines, "\n"))
	return nil
}

// since says " sejak <when>", or nothing when the time is not known.
func (s *staffTurn) since(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " sejak " + s.when(t)
}

// when is a time as staff read it: the hour alone today, with the date on another day.
func (s *staffTurn) when(t time.Time) string {
	t = t.In(s.b.loc)
	if t.Format(DateLayout) == s.today() {
		return t.Format("15:04") + " WIB"
	}
	return dateWords(t.Format(DateLayout), LangID) + " " + t.Format("15:04") + " WIB"
}

// durationWords says a duration in Indonesian, to the second under a minute and to the minute
// above: "45 detik", "3 menit", "2 jam 5 menit".
func durationWords(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(max(d, 0)/time.Second)) + " detik"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " menit"
	}
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	if m == 0 {
		return strconv.Itoa(h) + " jam"
	}
	return strconv.Itoa(h) + " jam " + strconv.Itoa(m) + " menit"
}

// paceWords describes the configured pace: "1 pesan tiap 0,7–1,3 detik, paling banyak 60 per
// menit; ke satu chat tiap 1 detik; pengingat dan siaran tiap 5–5,6 detik".
func paceWords(global, jitter time.Duration, perMinute int, chat, bulk time.Duration) string {
	span := func(d time.Duration) string {
		if jitter == 0 {
			return seconds(d)
		}
		return seconds(d) + "–" + seconds(d+jitter)
	}
	return fmt.Sprintf("1 pesan tiap %s detik, paling banyak %d per menit; ke satu chat tiap %s detik; "+
		"pengingat dan siaran tiap %s detik", span(global), perMinute, seconds(chat), span(bulk))
}

// seconds writes a duration in seconds with a decimal comma, to the tenth: "0,7", "5".
func seconds(d time.Duration) string {
	return strings.Replace(strconv.FormatFloat(d.Seconds(), 'f', -1, 64), ".", ",", 1)
}
