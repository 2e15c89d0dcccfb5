package bot

import (
	"bufio"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"law/config"
)

// corpusToday is the "today" of the corpus: Tuesday 1 December 2026. The dates offered are the
// next six working days: Wed 2, Thu 3, Fri 4, Mon 7, Tue 8 and Wed 9 December.
var corpusToday = time.Date(2026, 12, 1, 0, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// corpusBot is a bot with the default configuration; reading needs no store.
func corpusBot(t testing.TB) (*Bot, []string) {
	t.Helper()
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	b := New(cfg, nil, slog.New(slog.DiscardHandler))
	dates := b.bookingDays(corpusToday.In(b.loc))[:cfg.Queue.DatesOffered]
	return b, dates
}

// TestPhrases reads every line of testdata/phrases.tsv (state, message, expected reading) with the
// conversation's own reader, at a fixed today with the default configuration, and prints every
// line read otherwise. A state may carry the offered dates or windows after a colon:
// "ask_window:3,4,5" is the window question with the morning full.
func TestPhrases(t *testing.T) {
	t.Parallel()
	b, dates := corpusBot(t)
	f, err := os.Open("testdata/phrases.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	lines, failed := 0, 0
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			t.Errorf("line %d: %d columns, want state<TAB>message<TAB>expected", n, len(cols))
			continue
		}
		lines++
		state, offer, _ := strings.Cut(cols[0], ":")
		d := Draft{Dates: dates, Windows: []int{1, 2, 3, 4, 5}}
		if offer != "" {
			if State(state) == StateWindow {
				d.Windows = nil
				for _, w := range strings.Split(offer, ",") {
					d.Windows = append(d.Windows, int(w[0]-'0'))
				}
			} else {
				d.Dates = strings.Split(offer, ",")
			}
		}
		st := State(state)
		if state == "new" {
			st = StateNew
		}
		got := b.read(st, cols[1], corpusToday.In(b.loc), d).String()
		if got != cols[2] {
			failed++
			t.Errorf("line %d: %s %q read as %s, want %s", n, cols[0], cols[1], got, cols[2])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines < 300 {
		t.Errorf("the corpus has %d lines; it should keep at least 300", lines)
	}
	t.Logf("%d lines, %d read otherwise", lines, failed)
}

// TestEveryFillerAndThanks checks every filler, thanks and greeting word of the tables: around an
// answer a filler changes nothing, in any case and with a letter repeated; a thanks word is
// thanks alone, beside a form of address and beside "oke"; a greeting is a greeting.
func TestEveryFillerAndThanks(t *testing.T) {
	t.Parallel()
	b, dates := corpusBot(t)
	today := corpusToday.In(b.loc)
	d := Draft{Dates: dates, Windows: []int{1, 2, 3, 4, 5}}
	read := func(st State, text string) string { return b.read(st, text, today, d).String() }
	stretch := func(w string) string { // "pak" -> "pakk", as people type
		r := []rune(w)
		if last := r[len(r)-1]; unicode.IsLetter(last) {
			return w + string(last)
		}
		return w
	}
	for _, f := range fillerWords {
		for _, form := range []string{f, strings.ToUpper(f), stretch(f)} {
			for text, want := range map[string]string{
				"1 " + form:             "number:1",
				"no 2 " + form:          "number:2",
				"batal " + form:         "cancel",
				form + " ambil antrian": "book",
			} {
				if got := read(StateMenu, text); got != want {
					t.Errorf("menu %q read as %s, want %s", text, got, want)
				}
			}
			for text, want := range map[string]string{"ya " + form: "yes", form + " tidak": "no"} {
				if got := read(StateConfirm, text); got != want {
					t.Errorf("confirm %q read as %s, want %s", text, got, want)
				}
			}
			if got := read(StateDate, "besok "+form); got != "date:2026-12-02" {
				t.Errorf("date %q read as %s", "besok "+form, got)
			}
		}
	}
	for _, w := range intentWords[intentThanks] {
		for _, text := range []string{w, strings.ToUpper(w), stretch(w), w + " pak", "oke " + w, w + " 🙏", "halo " + w} {
			if got := read(StateMenu, text); got != "thanks" {
				t.Errorf("menu %q read as %s, want thanks", text, got)
			}
			if got := read(StateWindow, text); got != "thanks" {
				t.Errorf("window %q read as %s, want thanks", text, got)
			}
		}
	}
	for _, w := range append(intentWords[intentGreeting], islamicGreetings...) {
		for _, text := range []string{w, strings.ToUpper(w), w + " kak"} {
			if got := read(StateMenu, text); got != "greeting" {
				t.Errorf("menu %q read as %s, want greeting", text, got)
			}
			if got := read(StateConfirm, text); got != "greeting" {
				t.Errorf("confirm %q read as %s, want greeting", text, got)
			}
		}
	}
	for _, w := range intentWords[intentYes] {
		for _, text := range []string{w, strings.ToUpper(w), stretch(w), w + " pak", w + " 🙏"} {
			if got := read(StateConfirm, text); got != "yes" {
				t.Errorf("confirm %q read as %s, want yes", text, got)
			}
		}
	}
}

// TestIslamicGreetingAnswered checks that salam, in its usual spellings, is told apart from the
// other greetings (it is answered "Waalaikumsalam").
func TestIslamicGreetingAnswered(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bool{
		"Assalamualaikum": true, "assalamu'alaikum wr wb": true, "Ass wr wb": true, "asw": true,
		"asslamualaikum": true, "Assalamualaikum pak 🙏": true, "halo": false, "selamat pagi": false,
		"punten": false,
	} {
		if got := understand(text).islamic(); got != want {
			t.Errorf("understand(%q).islamic() = %v, want %v", text, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Ya!! 👍":         "ya|👍",
		"no.2":           "no|2",
		"tgl9":           "tgl|9",
		"jam 09.00 WIB.": "jam|09.00|wib",
		"Jum'at, 9/12":   "jum'at|9/12",
		"2️⃣":            "2",
		"🙏🏻🙏":            "🙏|🙏",
		"S.Pd.":          "s.pd",
		"\u200fya\u200b": "ya",
		"e-paspor 10thn": "e-paspor|10|thn",
		"\xff\xfe ok":    "ok",
	} {
		if got := strings.Join(tokens(in), "|"); got != want {
			t.Errorf("tokens(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRequirementsFitAScreen checks the answer to menu 4 with the default configuration: under
// 900 characters in each language, every type's fee in it, and no document listed twice.
func TestRequirementsFitAScreen(t *testing.T) {
	t.Parallel()
	b, _ := corpusBot(t)
	for _, lang := range []Lang{LangID, LangEN} {
		s := b.requirements(lang)
		if n := utf8.RuneCountInString(s); n >= 900 {
			t.Errorf("%s: %d characters, want under 900:\n%s", lang, n, s)
		}
		for _, pt := range b.cfg.Passport.Types {
			if !strings.Contains(s, typeName(pt, lang)+"* "+rupiah(pt.Fee)) {
				t.Errorf("%s: no fee of %s:\n%s", lang, pt.Code, s)
			}
			docs := pt.DocumentsID
			if lang == LangEN {
				docs = pt.DocumentsEN
			}
			for _, d := range docs {
				if !strings.Contains(s, "- "+d+"\n") {
					t.Errorf("%s: document %q of %s missing", lang, d, pt.Code)
				}
			}
		}
		seen := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "- ") {
				if seen[l] {
					t.Errorf("%s: %q listed twice:\n%s", lang, l, s)
				}
				seen[l] = true
			}
		}
	}
}

// TestRequirementsCommonDocuments checks that a document every type needs is said once, before
// the groups.
func TestRequirementsCommonDocuments(t *testing.T) {
	t.Parallel()
	b, _ := corpusBot(t)
	for i := range b.cfg.Passport.Types {
		pt := &b.cfg.Passport.Types[i]
		pt.DocumentsID = append(slices.Clone(pt.DocumentsID), "Pas foto tidak perlu")
	}
	s := b.requirements(LangID)
	if strings.Count(s, "Pas foto tidak perlu") != 1 || !strings.Contains(s, textsID.InfoAll+"\n- Pas foto tidak perlu") {
		t.Errorf("a document common to all types is not said once, first:\n%s", s)
	}
}

func TestParseForm(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"ANTRI#Budi Santoso#1#besok#pagi":            "Budi Santoso|1|besok|pagi",
		"daftar # Siti  Aminah # e-paspor anak":      "Siti Aminah|e-paspor anak||",
		"#antri#Budi":                                "Budi|||",
		"Antre#Budi#2#9/12#09.00#3171xxxxxxxx#Batam": "Budi|2|9/12|09.00",
		"DAFTAR#": "|||",
	} {
		f, ok := parseForm(in)
		got := strings.Join([]string{f.name, f.kind, f.date, f.time}, "|")
		if !ok || got != want {
			t.Errorf("parseForm(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"antri", "Budi#Santoso", "halo#antri#budi", "", "#", "ambil antrian#Budi"} {
		if f, ok := parseForm(in); ok {
			t.Errorf("parseForm(%q) = %+v, want no form", in, f)
		}
	}
}

func TestReadType(t *testing.T) {
	t.Parallel()
	b, _ := corpusBot(t)
	for in, want := range map[string]string{
		"1": "EP10", "2 pak": "EP5", "ep10": "EP10", "PB-5": "PB5", "e-paspor 10": "EP10",
		"e paspor 10 tahun": "EP10", "epaspor anak": "EP5", "e-passport 5 years": "EP5",
		"paspor biasa 10": "PB10", "biasa anak": "PB5", "ordinary passport children": "PB5",
		"ordinary 10 years": "PB10", "paspor elektronik dewasa": "EP10",
		"paspor": "", "paspor biasa": "", "10 tahun": "", "e-paspor": "", "9": "", "": "", "visa": "",
	} {
		got, ok := b.readType(in)
		if got != want || ok != (want != "") {
			t.Errorf("readType(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// BenchmarkRead reads a short polite answer and a long message at the date question: the reader
// runs on every message, inside the writer's transaction.
func BenchmarkRead(b *testing.B) {
	bot, dates := corpusBot(b)
	today := corpusToday.In(bot.loc)
	d := Draft{Dates: dates, Windows: []int{1, 2, 3, 4, 5}}
	long := strings.Repeat("selamat pagi bapak saya mau tanya tentang syarat paspor anak ", 40)[:2000]
	for name, text := range map[string]string{"short": "iya bu, rabu depan aja 🙏", "long": long} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				bot.read(StateDate, text, today, d)
			}
		})
	}
}
