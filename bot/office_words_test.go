package bot

import "testing"

func TestCheckinWords(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bool{
		"hadir": true, "HADIR": true, "Sudah sampai pak 🙏": true, "saya sudah di kantor": true,
		"checkin": true, "check in": true, "Check-in!": true, "arrived": true, "I'm here": true,
		"permisi, saya sudah tiba bu": true, "hadir kak": true,
		"": false, "hadir besok": false, "sampai jumpa": false, "kapan saya harus hadir?": false,
		"ya": false, "1": false,
	} {
		if got := isCheckin(text); got != want {
			t.Errorf("isCheckin(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestPriorityAsked(t *testing.T) {
	t.Parallel()
	type res struct {
		reason string
		ok     bool
	}
	for text, want := range map[string]res{
		"prioritas":                      {"", true},
		"Prioritas: lansia 67 tahun":     {"lansia 67 tahun", true},
		"PRIORITAS  ibu   hamil":         {"ibu hamil", true},
		"priority pregnant":              {"pregnant", true},
		"minta prioritas bawa bayi":      {"bawa bayi", true},
		"prioritas \u202ekursi\x00 roda": {"kursi roda", true},
		"prioritasnya apa?":              {"", false},
		"apa itu prioritas":              {"", false},
		"halo":                           {"", false},
	} {
		reason, ok := priorityAsked(text)
		if (res{reason, ok}) != want {
			t.Errorf("priorityAsked(%q) = %q, %v; want %q, %v", text, reason, ok, want.reason, want.ok)
		}
	}
}
