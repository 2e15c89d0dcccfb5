package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"law/bot"
)

// TestStaffOffice plays check-ins, priority and the order of /next with a mix of checked-in,
// priority and absent applicants across windows, and the board's call log they write.
func TestStaffOffice(t *testing.T) {
	t.Parallel()
	r := newStaffRig(t)
	seedDay(r) // 001 ANI, 002 cancelled, 003 CITRA, 004 DEWI (en), 005 EKO; 011, 012; 021
	r.book(rigTue, 1, "IWAN", rigApplicant(31), bot.LangID)
	r.at("07:20")
	r.note("HADI (021, window 3) asks for priority from his phone; staff see it in /list")
	r.send(rigApplicant(21), "prioritas istri hamil 8 bulan")
	r.at("07:31")
	r.note("arrivals: EKO (005) by WhatsApp, GITA (012) and HADI (021) at the counter")
	r.send(rigApplicant(5), "hadir")
	r.send(rigMember, "/checkin 12")
	r.send(rigMember, "/checkin 21")
	r.send(rigMember, "/checkin 21")
	r.note("staff confirm HADI's request, and mark FAJAR (011), not here yet, as elderly")
	r.send(rigAdmin, "/priority 21")
	r.send(rigAdmin, "/priority 11 lansia")
	r.send(rigMember, "/list")
	r.note("/next: checked-in priority (021), checked-in by window and number (005, 012), then the others " +
		"by window and number (001, 003, 004, 011: FAJAR's priority waits for his check-in)")
	want := []string{"021", "005", "012", "001", "003"}
	for i, n := range want {
		r.at(fmt.Sprintf("07:4%d", i))
		out := r.send(rigAdmin, fmt.Sprintf("/next %d", i%2+1))
		if staff := out[len(out)-1].Text; !strings.HasPrefix(staff, "📣 *"+n+"*") {
			t.Errorf("call %d: %q, want %s first", i+1, firstLine(staff), n)
		}
	}
	r.at("07:50")
	r.note("FAJAR arrives: as priority he comes before 004")
	r.send(rigApplicant(11), "sudah sampai")
	out := r.send(rigMember, "/next 2")
	if staff := out[len(out)-1].Text; !strings.HasPrefix(staff, "📣 *011*") {
		t.Errorf("after FAJAR's check-in: %q, want 011", firstLine(staff))
	}
	r.send(rigMember, "/recall")
	r.note("refusals and the days that are not today")
	r.send(rigMember, "/checkin 2")
	r.send(rigMember, "/checkin 1")
	r.send(rigMember, "/checkin 8/12:1")
	r.send(rigMember, "/checkin")
	r.send(rigMember, "/priority 99")
	r.send(rigMember, "/priority 4 batal")
	r.send(rigMember, "/priority 8/12:1 kursi roda")
	r.send(rigApplicant(31), "hadir")
	r.send(rigApplicant(1), "hadir")
	r.send(rigMember, "/stats")
	r.out.WriteString("\n== calls (the board's log)\n" + r.query(`SELECT id, date, number, counter, at, recall FROM calls ORDER BY id`))
	if got := r.query(`SELECT count(*) FROM calls`); got != "7\n" {
		t.Errorf("calls rows: %s, want 7 (six /next and one /recall)", got)
	}
	r.golden("office")
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }
