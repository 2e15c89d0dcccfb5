package sim_test

import (
	"strings"
	"testing"
	"time"

	"law/sim"
)

// TestSimulatorSendsTheEveningReminder books through the simulator and moves its clock past
// 18:00 on the day before: the reminder is printed at 18:00 WIB, once, even across a second run.
func TestSimulatorSendsTheEveningReminder(t *testing.T) {
	t.Setenv("TZ", "UTC") // the office is in Asia/Jakarta; the machine's zone must not matter
	db, cfg, _ := setup(t)
	wib := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, cfg.Location())
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	const phone = "628000000077"
	input := strings.Join([]string{
		`{"from":"` + phone + `","text":"halo"}`,
		`{"from":"` + phone + `","text":"1"}`,
		`{"from":"` + phone + `","text":"Budi Santoso"}`,
		`{"from":"` + phone + `","text":"1"}`,
		`{"from":"` + phone + `","text":"1"}`,
		`{"from":"` + phone + `","text":"2"}`,
		`{"from":"` + phone + `","text":"ya"}`,
		`{"sync":true}`,
		`{"at":"2026-11-30T17:59:00+07:00"}`,
		`{"sync":true}`,
		`{"at":"2026-11-30T18:00:30+07:00"}`,
	}, "\n")
	out := simulate(t, db, cfg, wib("2026-11-30 10:00"), input)
	if out.err != "" {
		t.Fatalf("simulator complained: %s", out.err)
	}
	var reminders []sim.Output
	for _, o := range out.lines {
		if strings.Contains(o.Text, "Pengingat") {
			reminders = append(reminders, o)
		}
	}
	if len(reminders) != 1 {
		t.Fatalf("%d reminders in:\n%+v", len(reminders), out.lines)
	}
	r := reminders[0]
	if r.To != phone || r.At != "2026-11-30T18:00:00+07:00" {
		t.Errorf("reminder to %s at %s, want %s at 2026-11-30T18:00:00+07:00", r.To, r.At, phone)
	}
	for _, want := range []string{"*011*", "BUDI SANTOSO", "Selasa, 1 Desember 2026", "09:00–10:30 WIB"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("reminder lacks %q:\n%s", want, r.Text)
		}
	}
	// A second run on the same database, later that evening, sends no reminder again.
	out = simulate(t, db, cfg, wib("2026-11-30 19:00"), `{"advance":"3h"}`)
	if len(out.lines) != 0 {
		t.Errorf("a second run printed %+v", out.lines)
	}
}
