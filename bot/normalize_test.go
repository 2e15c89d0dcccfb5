package bot

import (
	"fmt"
	"law/logmask"
	"testing"
	"time"
)

func TestChoice(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{
		"1": 1, " 2 ": 2, "3.": 3, "4)": 4, "*5*": 5, "no 2": 2, "No. 3": 3, "pilih 1": 1, "dua": 2,
		"Enam": 6, "１": 0, "12345": 0, "": 0, "satu dua": 0, "2️⃣": 2, "1 👍": 1, "#1": 1,
		"\u200f3": 3,
	} {
		if got := choice(in); got != want {
			t.Errorf("choice(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestWordIntent(t *testing.T) {
	t.Parallel()
	all := []intent{intentMenu, intentBook, intentCheck, intentCancel, intentInfo, intentLanguage, intentYes, intentNo}
	for in, want := range map[string]intent{
		"MENU": intentMenu, "#batal": intentCancel, "Batall": intentCancel, "persyratan": intentInfo,
		"ya": intentYes, "Iya.": intentYes, "YES!": intentYes, "tdk": intentNo, "english": intentLanguage,
		"xyz": intentNone, "": intentNone, "ambil antrian": intentBook, "cek antrian": intentCheck,
		"bat": intentNone, // short words get no typo allowance
	} {
		if got := understand(in).intent(all...); got != want {
			t.Errorf("understand(%q).intent() = %d, want %d", in, got, want)
		}
	}
}

func TestWithinOneEdit(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"batal", "batal", true}, {"batall", "batal", true}, {"btal", "batal", true}, {"bztal", "batal", true},
		{"bztzl", "batal", false}, {"ba", "batal", false}, {"lataba", "batal", false},
	} {
		if got := withinOneEdit(c.a, c.b); got != c.want {
			t.Errorf("withinOneEdit(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestCheckName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"budi  santoso": "BUDI SANTOSO", " Siti Nur'aini ": "SITI NUR'AINI", "M. Yusuf": "M. YUSUF",
		"Anne-Marie": "ANNE-MARIE", "José": "JOSÉ", "Nur’aini Siti": "NUR'AINI SITI",
		"B4mbang": "", "ab": "", "1": "", "Budi 😀": "", "<script>": "", "'; DROP TABLE bookings; --": "",
		"%s%s%n": "", "ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJX": "",
	} {
		got, problem, _ := checkName(in)
		if got != want || (problem == nameOK) != (want != "") {
			t.Errorf("checkName(%q) = %q, %q; want %q", in, got, problem, want)
		}
	}
}

func TestSplit(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		quota, n int
		want     string
	}{
		{50, 5, "[10 10 10 10 10]"}, {52, 5, "[11 11 10 10 10]"}, {5, 5, "[1 1 1 1 1]"}, {7, 3, "[3 2 2]"},
	} {
		if got := Split(c.quota, c.n); fmt.Sprintf("%v", got) != c.want {
			t.Errorf("Split(%d, %d) = %v, want %s", c.quota, c.n, got, c.want)
		}
	}
}

func TestParseStaffDate(t *testing.T) {
	t.Parallel()
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	today := time.Date(2026, 12, 1, 0, 0, 0, 0, jkt)
	for in, want := range map[string]string{
		"today": "2026-12-01", "Hari Ini": "2026-12-01", "besok": "2026-12-02", "tomorrow": "2026-12-02",
		"2026-12-08": "2026-12-08", "08-12-2026": "2026-12-08", "8/12": "2026-12-08", "8-12": "2026-12-08",
		"2/1": "2027-01-02", "30/11": "2026-11-30", "31/2": "", "kapan": "", "": "",
	} {
		got, ok := ParseStaffDate(in, today)
		if got != want || ok != (want != "") {
			t.Errorf("ParseStaffDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	if got := dateWords("2026-12-08", LangID); got != "Selasa, 8 Desember 2026" {
		t.Errorf("dateWords id = %q", got)
	}
	if got := dateWords("2026-12-08", LangEN); got != "Tuesday, 8 December 2026" {
		t.Errorf("dateWords en = %q", got)
	}
	for n, want := range map[int]string{950000: "Rp950.000", 1000000: "Rp1.000.000", 0: "Rp0", 350: "Rp350"} {
		if got := rupiah(n); got != want {
			t.Errorf("rupiah(%d) = %q, want %q", n, got, want)
		}
	}
	if logmask.Phone("6281234567890") != "6281******890" {
		t.Errorf("MaskPhone = %q", logmask.Phone("6281234567890"))
	}
}

func TestBacklogIsNoFlood(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	if !backlog(Incoming{At: at, SentAt: at.Add(-3 * time.Hour)}) {
		t.Error("a message sent three hours before it arrived is not backlog")
	}
	if backlog(Incoming{At: at, SentAt: at.Add(-2 * time.Second)}) || backlog(Incoming{At: at}) {
		t.Error("a fresh message, or one without a send time, counted as backlog")
	}
}
