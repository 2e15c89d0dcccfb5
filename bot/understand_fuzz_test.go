package bot

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets of the word readers, beside FuzzConversation (fuzz_test.go), which drives them
// through the whole conversation. They are here, inside the package, because the readers are
// not exported. .ci/fuzz runs them.

// corpusSeeds adds the corpus messages of the given states as seeds.
func corpusSeeds(f *testing.F, add func(text string), states ...string) {
	file, err := os.Open("testdata/phrases.tsv")
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 3 {
			continue
		}
		st, _, _ := strings.Cut(cols[0], ":")
		for _, s := range states {
			if st == s {
				add(cols[1])
			}
		}
	}
}

// FuzzReadDate reads arbitrary text at the date question, with any day of the next few weeks as
// today and any subset of the next working days offered: no panic, and a date found is one of
// the offered ones; a message that names no date finds none.
func FuzzReadDate(f *testing.F) {
	b, _ := corpusBot(f)
	corpusSeeds(f, func(text string) { f.Add(text, uint8(0), uint8(0xff)) }, "ask_date")
	f.Add("rabu depan", uint8(6), uint8(0x0f))
	f.Add("31/2", uint8(3), uint8(0x01))
	f.Add("tanggal 31", uint8(29), uint8(0xaa))
	f.Fuzz(func(t *testing.T, text string, day, mask uint8) {
		today := corpusToday.In(b.loc).AddDate(0, 0, int(day%60))
		var offered []string
		for i, d := range b.bookingDays(today) {
			if i < 8 && mask&(1<<i) != 0 {
				offered = append(offered, d)
			}
		}
		date, found := readDate(text, today, offered)
		if !found && date != "" {
			t.Fatalf("readDate(%q) = %q without finding a date", text, date)
		}
		if date != "" && !slices.Contains(offered, date) {
			t.Fatalf("readDate(%q) = %q, not among the offered %v", text, date, offered)
		}
		a := b.read(StateDate, text, today, Draft{Dates: offered})
		if a.kind == ansDate && !slices.Contains(offered, a.date) {
			t.Fatalf("read(%q) = %v, not among the offered %v", text, a, offered)
		}
		checkAnswer(t, text, a)
	})
}

// FuzzReadWindow reads arbitrary text at the window question with any subset of the windows
// offered: no panic, and a window found is one of the offered ones.
func FuzzReadWindow(f *testing.F) {
	b, _ := corpusBot(f)
	corpusSeeds(f, func(text string) { f.Add(text, uint8(0x1f)) }, "ask_window")
	f.Add("pagi", uint8(0x1c))
	f.Add("setengah 1", uint8(0x01))
	f.Add("jam 24", uint8(0x10))
	f.Fuzz(func(t *testing.T, text string, mask uint8) {
		var offered []int
		for w := 1; w <= len(b.cfg.Windows()); w++ {
			if mask&(1<<(w-1)) != 0 {
				offered = append(offered, w)
			}
		}
		w, found := readWindow(text, b.cfg.Windows(), offered)
		if !found && w != 0 {
			t.Fatalf("readWindow(%q) = %d without finding a time", text, w)
		}
		if w != 0 && !slices.Contains(offered, w) {
			t.Fatalf("readWindow(%q) = %d, not among the offered %v", text, w, offered)
		}
		a := b.read(StateWindow, text, corpusToday.In(b.loc), Draft{Windows: offered})
		if a.kind == ansWindow && !slices.Contains(offered, a.n) {
			t.Fatalf("read(%q) = %v, not among the offered %v", text, a, offered)
		}
		checkAnswer(t, text, a)
	})
}

// FuzzReadName reads arbitrary text at the name question: no panic, and a name accepted follows
// the rules (upper case, 3–60 characters, letters and . ' - and spaces only, no title).
func FuzzReadName(f *testing.F) {
	b, _ := corpusBot(f)
	corpusSeeds(f, func(text string) { f.Add(text) }, "ask_name")
	f.Fuzz(func(t *testing.T, text string) {
		a := b.read(StateName, text, corpusToday.In(b.loc), Draft{})
		checkAnswer(t, text, a)
		if a.kind != ansName {
			return
		}
		if n := utf8.RuneCountInString(a.name); n < 3 || n > 60 || a.name != strings.ToUpper(a.name) {
			t.Fatalf("name %q from %q breaks the length or case rule", a.name, text)
		}
		if again, problem, _ := checkName(a.name); problem != nameOK || again != a.name {
			t.Fatalf("name %q from %q does not pass the rules again: %s", a.name, text, problem)
		}
	})
}

// checkAnswer checks what holds of every answer: a number is positive, a refusal names its rule.
func checkAnswer(t *testing.T, text string, a answer) {
	t.Helper()
	switch {
	case a.kind == ansNumber && a.n <= 0:
		t.Fatalf("read(%q) = number %d", text, a.n)
	case a.kind == ansRefuse && a.problem == nameOK:
		t.Fatalf("read(%q) refused without a reason", text)
	case a.kind == ansRefuse && a.problem == nameTitle && a.title == "":
		t.Fatalf("read(%q) refused a title without naming it", text)
	}
}

// FuzzForm reads arbitrary text as a one-message form: no panic; a form's fields hold no '#' and
// no outer spaces; its type is a configured one or none; its date is one offered or none.
func FuzzForm(f *testing.F) {
	b, dates := corpusBot(f)
	for _, s := range []string{"ANTRI#Budi Santoso#1#besok#pagi", "daftar # Siti # e-paspor anak",
		"#antri#a#b#c#d#e", "ANTRI##", "antri#Dr. Joko#paspor biasa#31/2#jam 25", "DAFTAR#\x00#\xff"} {
		f.Add(s)
	}
	codes := map[string]bool{}
	for _, pt := range b.cfg.Passport.Types {
		codes[pt.Code] = true
	}
	f.Fuzz(func(t *testing.T, text string) {
		fm, ok := parseForm(text)
		if !ok {
			return
		}
		for _, field := range []string{fm.name, fm.kind, fm.date, fm.time} {
			if strings.Contains(field, "#") || field != strings.TrimSpace(field) {
				t.Fatalf("parseForm(%q): field %q", text, field)
			}
		}
		if code, ok := b.readType(fm.kind); ok != codes[code] {
			t.Fatalf("readType(%q) = %q, %v", fm.kind, code, ok)
		}
		if d, _ := readDate(fm.date, corpusToday.In(b.loc), dates); d != "" && !slices.Contains(dates, d) {
			t.Fatalf("readDate(%q) = %q, not offered", fm.date, d)
		}
	})
}
