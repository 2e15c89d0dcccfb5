package bot

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"law/config"
)

// The readers of free text. Each reads a message with the vocabulary of words.go: tokens first
// (lower case, punctuation and emoji decoration dropped), then the longest phrases of the tables,
// fillers set aside.

// tokens splits a message into lower-case words. Punctuation between words is dropped; the
// separators inside dates, times and names (9/12, 09.00, 9:30, jum'at, s.pd) are kept; letters and
// digits written together are split ("tgl9", "9am", "9des"); an emoji is a word of its own, so
// that 👍 and 🙏 can be looked up, and its modifiers (skin tone, variation, keycap) are dropped.
func tokens(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		t := strings.Trim(string(cur), ".:-/'")
		if t != "" {
			out = append(out, t)
		}
		cur = cur[:0]
	}
	kind := func(r rune) int { // 1 letter, 2 digit, 0 other
		switch {
		case unicode.IsLetter(r):
			return 1
		case unicode.IsDigit(r):
			return 2
		}
		return 0
	}
	last := 0
	for _, r := range strings.ToValidUTF8(s, " ") {
		switch {
		case r == utf8.RuneError || unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me, unicode.Sk):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if k := kind(r); last != 0 && k != last && len(cur) > 0 {
				flush()
			}
			last = kind(r)
			cur = append(cur, unicode.ToLower(r))
			continue
		case r == '.' || r == ':' || r == '/' || r == '-' || r == '\'' || r == '’':
			if r == '’' {
				r = '\''
			}
			cur = append(cur, r)
			continue
		case unicode.IsSymbol(r) || unicode.Is(unicode.Co, r):
			flush()
			out = append(out, string(r))
		default:
			flush()
		}
		last = 0
	}
	flush()
	return out
}

// squeeze folds repeated letters to one, so that "yaaa", "okee" and "makasihhh" find their word.
func squeeze(s string) string {
	var b strings.Builder
	var prev rune
	for i, r := range s {
		if i > 0 && r == prev && unicode.IsLetter(r) {
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// lexicon finds phrases of up to four words, as written or with repeated letters folded.
type lexicon[V any] struct {
	exact, squeezed map[string]V
	firsts          map[string]bool // first words, as written and squeezed: most words start none
	longest         int
	typos           bool     // a word of five letters or more one typo away from a one-word entry
	typoKeys        []string // the one-word entries of five letters or more, sorted
}

func newLexicon[V any]() *lexicon[V] {
	return &lexicon[V]{exact: map[string]V{}, squeezed: map[string]V{}, firsts: map[string]bool{}}
}

func (l *lexicon[V]) add(phrase string, v V) {
	first, _, _ := strings.Cut(phrase, " ")
	l.firsts[first], l.firsts[squeeze(first)] = true, true
	if first == phrase && utf8.RuneCountInString(phrase) >= 5 {
		if i, found := slices.BinarySearch(l.typoKeys, phrase); !found {
			l.typoKeys = slices.Insert(l.typoKeys, i, phrase)
		}
	}
	if _, ok := l.exact[phrase]; !ok {
		l.exact[phrase] = v
	}
	if _, ok := l.squeezed[squeeze(phrase)]; !ok {
		l.squeezed[squeeze(phrase)] = v
	}
	l.longest = max(l.longest, len(strings.Fields(phrase)))
}

func (l *lexicon[V]) get(phrase string) (V, bool) {
	if v, ok := l.exact[phrase]; ok {
		return v, true
	}
	v, ok := l.squeezed[squeeze(phrase)]
	if ok || !l.typos || utf8.RuneCountInString(phrase) < 5 || strings.Contains(phrase, " ") {
		return v, ok
	}
	// One typo: "slasa", "desmber". In sorted order, so that a word always reads the same.
	for _, k := range l.typoKeys {
		if withinOneEdit(phrase, k) {
			return l.exact[k], true
		}
	}
	return v, false
}

// match returns the value of the longest phrase at the start of toks and its length in words.
func (l *lexicon[V]) match(toks []string) (V, int) {
	var zero V
	if len(toks) == 0 || !l.typos && !l.firsts[toks[0]] && !l.firsts[squeeze(toks[0])] {
		return zero, 0
	}
	for n := min(l.longest, len(toks)); n > 0; n-- {
		if v, ok := l.get(strings.Join(toks[:n], " ")); ok {
			return v, n
		}
	}
	return zero, 0
}

func setOf(words ...[]string) *lexicon[bool] {
	l := newLexicon[bool]()
	for _, ws := range words {
		for _, w := range ws {
			l.add(w, true)
		}
	}
	return l
}

// The lexicons built once from the tables.
var (
	phrases    = newLexicon[intent]()
	islamic    = setOf(islamicGreetings)
	byes       = setOf(byeWords)
	fillers    = setOf(fillerWords)
	numPrefix  = setOf(numberPrefixes)
	datePrefix = setOf(datePrefixes)
	timePrefix = setOf(timePrefixes)
	nextWeek   = setOf(nextWeekWords)
	thisWeek   = setOf(thisWeekWords)
	numberLex  = newLexicon[int]()
	relDays    = newLexicon[int]()
	weekdays   = newLexicon[time.Weekday]()
	months     = newLexicon[time.Month]()
	parts      = newLexicon[dayPart]()
	timeOfDay  = setOf([]string{"pagi", "siang", "sore", "malam", "morning"})
)

// intentOrder decides which intent a phrase belongs to when two tables hold it, and the order
// in which typos are forgiven.
var intentOrder = []intent{intentMenu, intentCancel, intentReschedule, intentCheck, intentBook, intentInfo,
	intentLanguage, intentNo, intentYes, intentThanks, intentGreeting}

func init() {
	for _, in := range intentOrder {
		for _, w := range intentWords[in] {
			phrases.add(w, in)
		}
	}
	for _, w := range islamicGreetings {
		phrases.add(w, intentGreeting)
	}
	for _, in := range intentOrder {
		for _, p := range phrasesOf(in) {
			if r := []rune(p); len(r) >= 5 {
				typoWords = append(typoWords, typoWord{p, r, in})
			}
		}
	}
	for w, n := range numberWords {
		numberLex.add(w, n)
	}
	relDays.typos, weekdays.typos, months.typos = true, true, true
	for w, n := range relativeDays {
		relDays.add(w, n)
	}
	for w, d := range weekdayWords {
		weekdays.add(w, d)
	}
	for w, m := range monthWords {
		months.add(w, m)
	}
	for w, p := range dayParts {
		parts.add(w, p)
	}
}

// piece is a phrase of a message and what it means.
type piece struct {
	text   string
	in     intent // intentNone: a word of no table
	filler bool   // a polite word, particle or emoji decoration
}

// reading is a message read into pieces.
type reading struct {
	pieces []piece
}

// understand reads a message: the longest phrases of the intent tables, fillers set aside, and
// the other words kept as they are. A word of five letters or more that is one typo away from a
// phrase of one word is taken as that phrase.
func understand(s string) reading {
	toks := tokens(s)
	var r reading
	for i := 0; i < len(toks); {
		if in, n := phrases.match(toks[i:]); n > 0 {
			r.pieces = append(r.pieces, piece{text: strings.Join(toks[i:i+n], " "), in: in})
			i += n
			continue
		}
		if _, n := fillers.match(toks[i:]); n > 0 {
			r.pieces = append(r.pieces, piece{text: strings.Join(toks[i:i+n], " "), filler: true})
			i += n
			continue
		}
		t := toks[i]
		i++
		first, _ := utf8.DecodeRuneInString(t)
		if unicode.IsSymbol(first) || unicode.Is(unicode.Co, first) {
			r.pieces = append(r.pieces, piece{text: t, filler: true})
			continue
		}
		in := intentNone
		if len(toks) <= maxTypoWords {
			in = typoOf(t)
		}
		r.pieces = append(r.pieces, piece{text: t, in: in})
	}
	return r
}

// maxTypoWords bounds the messages whose typos are forgiven: answers are short, and a long text
// (up to fair_use.max_message_bytes) must not cost a typo search for every word.
const maxTypoWords = 8

// typoOf returns the intent of the one-word phrase that w is a typo of, or intentNone.
func typoOf(w string) intent {
	rw := []rune(w)
	if len(rw) < 5 {
		return intentNone
	}
	for _, c := range typoWords {
		if d := len(c.runes) - len(rw); d >= -1 && d <= 1 && !strings.Contains(c.text, " ") && runesWithinOneEdit(rw, c.runes) {
			return c.in
		}
	}
	return intentNone
}

// typoWord is a phrase of five letters or more, whose typos are forgiven.
type typoWord struct {
	text  string
	runes []rune
	in    intent
}

// typoWords are the phrases whose typos are forgiven, in intentOrder.
var typoWords []typoWord

// phrasesOf returns the phrases of an intent, the Islamic greetings among the greetings.
func phrasesOf(in intent) []string {
	if in == intentGreeting {
		return slices.Concat(intentWords[in], islamicGreetings)
	}
	return intentWords[in]
}

// soft intents may stand beside another one without changing it: "halo, mau batal", "ya, cek".
func soft(in intent) bool { return in == intentGreeting || in == intentThanks || in == intentYes }

// intent returns what the message says among the given intents, or intentNone. Fillers are set
// aside; greetings, thanks and a polite "ya" give way to any other intent; two other intents,
// or a word of no table, mean nothing.
func (r reading) intent(among ...intent) intent {
	said := map[intent]bool{}
	hard := intentNone
	for _, p := range r.pieces {
		switch {
		case p.filler:
			continue
		case p.in == intentNone:
			return r.wholeTypo(among)
		case !soft(p.in):
			if hard != intentNone && hard != p.in {
				return intentNone
			}
			hard = p.in
		}
		said[p.in] = true
	}
	found := intentNone
	switch {
	case hard == intentNo && said[intentYes]:
		return intentNone // "ya tidak": which?
	case hard != intentNone:
		found = hard
	case said[intentYes]:
		found = intentYes
	case said[intentThanks]:
		found = intentThanks
	case said[intentGreeting]:
		found = intentGreeting
	}
	for _, in := range among {
		if in == found {
			return found
		}
	}
	return intentNone
}

// wholeTypo forgives one typo in a message of several words ("persyratan dan biaya"), the
// fillers around it set aside.
func (r reading) wholeTypo(among []intent) intent {
	s := r.content()
	if n := utf8.RuneCountInString(s); n < 5 || n > 40 {
		return intentNone
	}
	rs := []rune(s)
	for _, c := range typoWords {
		if d := len(c.runes) - len(rs); d >= -1 && d <= 1 && has(among, c.in) && runesWithinOneEdit(rs, c.runes) {
			return c.in
		}
	}
	return intentNone
}

func has(among []intent, in intent) bool {
	for _, a := range among {
		if a == in {
			return true
		}
	}
	return false
}

// has reports whether a phrase of intent in is among the message's pieces.
func (r reading) has(in intent) bool {
	for _, p := range r.pieces {
		if !p.filler && p.in == in {
			return true
		}
	}
	return false
}

// content is the message without its fillers, as one string.
func (r reading) content() string {
	var parts []string
	for _, p := range r.pieces {
		if !p.filler {
			parts = append(parts, p.text)
		}
	}
	return strings.Join(parts, " ")
}

// words returns the message's words without fillers, greetings, thanks and polite yes-words:
// what is left to read as a number, a date or a time.
func (r reading) words() []string { return r.wordsKeeping(nil) }

// wordsKeeping is words, keeping the greetings of keep: "pagi" is a greeting, and a window at
// the window question.
func (r reading) wordsKeeping(keep *lexicon[bool]) []string {
	var out []string
	for _, p := range r.pieces {
		if p.in == intentGreeting && keep != nil {
			if _, ok := keep.get(p.text); ok {
				out = append(out, p.text)
				continue
			}
		}
		if p.filler || p.in == intentGreeting || p.in == intentThanks || p.in == intentYes {
			continue
		}
		out = append(out, strings.Fields(p.text)...)
	}
	return out
}

// bye reports whether the message takes leave ("dadah", "bye") rather than thanks.
func (r reading) bye() bool {
	found := false
	for _, p := range r.pieces {
		if p.in == intentThanks {
			if _, ok := byes.get(p.text); !ok {
				return false
			}
			found = true
		}
	}
	return found
}

// islamic reports whether the message greets with salam: it is answered "Waalaikumsalam".
func (r reading) islamic() bool {
	for _, p := range r.pieces {
		if p.in != intentGreeting {
			continue
		}
		if _, ok := islamic.get(p.text); ok || strings.Contains(p.text, "alaikum") {
			return true
		}
		for _, g := range islamicGreetings {
			if utf8.RuneCountInString(g) >= 5 && withinOneEdit(p.text, g) {
				return true
			}
		}
	}
	return false
}

// choice reads a numbered answer: "2", "2.", "no 2", "pilih 1 pak", "yang kedua", "dua". It
// returns 0 for anything else.
func choice(s string) int { return understand(s).number() }

// number reads a list number among fillers and polite words; 0 when there is none, or more.
func (r reading) number() int {
	w := r.words()
	for len(w) > 1 {
		if _, n := numPrefix.match(w); n > 0 && n < len(w) {
			w = w[n:]
			continue
		}
		break
	}
	if len(w) == 0 {
		return 0
	}
	if n, k := numberLex.match(w); k == len(w) {
		return n
	}
	if len(w) != 1 || len(w[0]) > 3 {
		return 0
	}
	n, err := strconv.Atoi(w[0])
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// smallTalk returns what a message made only of small talk is: intentThanks when it thanks or
// says goodbye ("terima kasih pak 🙏"), intentGreeting when it greets, intentYes when it only
// agrees ("oke siap", 👍); intentNone when it says anything else.
func (r reading) smallTalk() intent {
	thanks, greet, yes := false, false, false
	for _, p := range r.pieces {
		switch {
		case p.filler:
		case p.in == intentThanks:
			thanks = true
		case p.in == intentGreeting:
			greet = true
		case p.in == intentYes:
			yes = true
		default:
			if in := r.wholeTypo([]intent{intentThanks, intentGreeting}); in != intentNone {
				return in
			}
			return intentNone
		}
	}
	switch {
	case thanks:
		return intentThanks
	case greet:
		return intentGreeting
	case yes:
		return intentYes
	}
	return intentNone
}

// Dates in words.

// readDate reads a date in words or figures among the offered dates (stored form, in order),
// from today (midnight, office time). found is false when the message names no date at all; a
// date that is named but not offered, or not clearly, gives found with an empty date: the
// question is asked again.
func readDate(s string, today time.Time, offered []string) (date string, found bool) {
	w := understand(s).words()
	if len(w) == 0 {
		return "", false
	}
	in := func(d time.Time) (string, bool) {
		ds := d.Format(DateLayout)
		for _, o := range offered {
			if o == ds {
				return ds, true
			}
		}
		return "", true
	}
	if n, k := relDays.match(w); k > 0 && k == len(w) {
		return in(today.AddDate(0, 0, n))
	}
	if w = dropWords(w, datePrefix); len(w) == 0 {
		return "", false
	}
	if _, k := nextWeek.match(w); k == len(w) && (w[0] == "minggu" || w[0] == "pekan" || w[0] == "next") {
		return "", true // "minggu depan", "next week": which day?
	}
	// A weekday, maybe with "depan" / "next", maybe with a date that must agree.
	var wd time.Weekday = -1
	next := false
	if _, k := nextWeek.match(w); k > 0 && k < len(w) { // "next wednesday"
		next, w = true, w[k:]
	}
	if d, k := weekdays.match(w); k > 0 {
		wd, w = d, w[k:]
		if _, k := nextWeek.match(w); k > 0 && k == len(w) {
			next, w = true, nil
		} else if _, k := thisWeek.match(w); k > 0 && k == len(w) {
			w = nil
		}
		w = dropWords(w, datePrefix)
	}
	if len(w) == 0 {
		if wd < 0 {
			return "", false
		}
		return in(weekdayFrom(today, wd, next))
	}
	d, ok := calendarDate(w, today, offered)
	if !ok {
		if wd >= 0 {
			return "", true
		}
		return "", false
	}
	if d.IsZero() || (wd >= 0 && d.Weekday() != wd) {
		return "", true
	}
	return in(d)
}

// weekdayFrom returns the next wd after today, or the one of next week (Monday to Sunday).
func weekdayFrom(today time.Time, wd time.Weekday, nextWeek bool) time.Time {
	if !nextWeek {
		ahead := (int(wd) - int(today.Weekday()) + 7) % 7
		if ahead == 0 {
			ahead = 7
		}
		return today.AddDate(0, 0, ahead)
	}
	monday := today.AddDate(0, 0, 7-(int(today.Weekday())+6)%7) // Monday of next week
	return monday.AddDate(0, 0, (int(wd)+6)%7)
}

// calendarDate reads a date written as figures or with a month name: "9/12", "9-12-2026",
// "9 des", "9 desember 2026", "december 9", "9" after "tanggal" (the caller dropped the word;
// a bare day is matched against the offered dates). ok is false when w is no date; a zero time
// with ok means a date that does not exist or is not clear.
func calendarDate(w []string, today time.Time, offered []string) (time.Time, bool) {
	day, month, year := 0, time.Month(0), 0
	switch {
	case len(w) == 1 && strings.ContainsAny(w[0], "/-."):
		f := strings.FieldsFunc(w[0], func(r rune) bool { return r == '/' || r == '-' || r == '.' })
		if len(f) < 2 || len(f) > 3 {
			return time.Time{}, false
		}
		nums := make([]int, len(f))
		for i, x := range f {
			n, err := strconv.Atoi(x)
			if err != nil {
				return time.Time{}, false
			}
			nums[i] = n
		}
		if len(f) == 3 && nums[0] > 31 { // 2026-12-09
			nums[0], nums[2] = nums[2], nums[0]
		}
		day, month = nums[0], time.Month(nums[1])
		if len(f) == 3 {
			year = nums[2]
		}
	default:
		rest := w
		for len(rest) > 0 {
			if m, k := months.match(rest); k > 0 && month == 0 {
				month, rest = m, rest[k:]
				continue
			}
			n, err := strconv.Atoi(strings.TrimSuffix(rest[0], "th"))
			if err != nil {
				if rest[0] == "st" || rest[0] == "nd" || rest[0] == "rd" || rest[0] == "th" {
					rest = rest[1:]
					continue
				}
				return time.Time{}, false
			}
			switch {
			case day == 0 && n >= 1 && n <= 31 && len(rest[0]) <= 2:
				day = n
			case year == 0 && n >= 2000:
				year = n
			default:
				return time.Time{}, false
			}
			rest = rest[1:]
		}
		if day == 0 {
			return time.Time{}, false
		}
		if month == 0 && year == 0 { // "tanggal 9": the offered date of that day
			var hit time.Time
			for _, o := range offered {
				d, err := time.ParseInLocation(DateLayout, o, today.Location())
				if err == nil && d.Day() == day {
					if !hit.IsZero() {
						return time.Time{}, true // two offered dates on that day of the month
					}
					hit = d
				}
			}
			if hit.IsZero() {
				return time.Time{}, true
			}
			return hit, true
		}
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, true
	}
	if year > 0 && year < 100 {
		year += 2000
	}
	if year == 0 { // the next such date from today
		year = today.Year()
		if time.Date(year, month, day, 0, 0, 0, 0, today.Location()).Before(today) {
			year++
		}
	}
	d := time.Date(year, month, day, 0, 0, 0, 0, today.Location())
	if d.Day() != day { // 31/2
		return time.Time{}, true
	}
	return d, true
}

// dropWords removes the words of set wherever they stand.
func dropWords(w []string, set *lexicon[bool]) []string {
	var out []string
	for i := 0; i < len(w); {
		if _, n := set.match(w[i:]); n > 0 {
			i += n
			continue
		}
		out = append(out, w[i])
		i++
	}
	return out
}

// Windows in words.

// readWindow reads an arrival window in words or as a time among the offered windows (window
// numbers, 1-based, in order) of spans. found is false when the message names no time at all; a
// time that is named but falls in no offered window, or not clearly, gives found with w 0.
func readWindow(s string, spans []config.Span, offered []int) (w int, found bool) {
	words := dropWords(understand(s).wordsKeeping(timeOfDay), timePrefix)
	if len(words) == 0 {
		return 0, false
	}
	if p, k := parts.match(words); k > 0 && k == len(words) {
		pick := 0
		for _, o := range offered {
			if o < 1 || o > len(spans) {
				continue
			}
			if st := spans[o-1].Start; st >= p.from && st < p.to && (pick == 0 || p.last) {
				pick = o
			}
		}
		return pick, true
	}
	m, ok := clockTime(words)
	if _, k := parts.match(words); !ok && k > 0 && k < len(words) { // "pagi jam 8": "jam 8 pagi"
		m, ok = clockTime(append(slices.Clone(words[k:]), words[:k]...))
	}
	if !ok {
		return 0, false
	}
	for _, o := range offered {
		if o >= 1 && o <= len(spans) && spans[o-1].Start <= m && m < spans[o-1].End {
			return o, true
		}
	}
	return 0, true
}

// clockTime reads a time of day in minutes: "9", "09.00", "9:30", "9 pagi", "1 siang", "2pm",
// "setengah 10" (9:30). An hour without its half of the day from 1 to 6 is taken in the
// afternoon: the office is closed at night.
func clockTime(w []string) (int, bool) {
	half := false
	if w[0] == "setengah" || w[0] == "stgh" {
		half, w = true, w[1:]
	}
	if len(w) == 0 {
		return 0, false
	}
	hs, ms, sep := w[0], "0", false
	if i := strings.IndexAny(hs, ".:"); i >= 0 {
		hs, ms, sep = hs[:i], hs[i+1:], true
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 24 || m < 0 || m > 59 || len(hs) > 2 || (sep && len(ms) != 2) {
		return 0, false
	}
	if half {
		if sep || h == 0 {
			return 0, false
		}
		h, m = h-1, 30
	}
	suffix := strings.TrimPrefix(strings.Join(w[1:], " "), "an") // "jam 9an": around nine
	switch squeeze(strings.TrimSpace(suffix)) {
	case "", "wib":
		if h >= 1 && h <= 6 {
			h += 12
		}
	case "pagi", "am", "a.m", "pagi wib", "am wib", "in the morning":
	case "siang", "siang wib", "noon":
		if h >= 1 && h <= 6 {
			h += 12
		}
	case "sore", "malam", "pm", "p.m", "sore wib", "pm wib", "in the afternoon", "in the evening":
		if h < 12 {
			h += 12
		}
	default:
		return 0, false
	}
	return h*60 + m, true
}

// What a message says at each question.

// answerKind is the kind of thing a message says at a question.
type answerKind int

const (
	ansNone   answerKind = iota // nothing the question can use
	ansIntent                   // a word of the intent tables: yes, cancel, thanks, ...
	ansNumber                   // a number from the list shown
	ansDate                     // a date of the offered ones, in words
	ansWindow                   // a window of the offered ones, in words
	ansAsk                      // a date or time named, but not offered or not clearly: ask again
	ansName                     // a full name that follows the rules
	ansRefuse                   // a name that breaks a rule
)

// answer is what a message says at a question.
type answer struct {
	kind    answerKind
	in      intent
	n       int    // ansNumber: the number; ansWindow: the window, 1-based
	date    string // ansDate
	name    string // ansName
	problem nameProblem
	title   string // ansRefuse of a title: the title as written
}

// String writes an answer as the corpus test (testdata/phrases.tsv) expects it.
func (a answer) String() string {
	switch a.kind {
	case ansIntent:
		return intentNames[a.in]
	case ansNumber:
		return "number:" + strconv.Itoa(a.n)
	case ansDate:
		return "date:" + a.date
	case ansWindow:
		return "window:" + strconv.Itoa(a.n)
	case ansAsk:
		return "ask"
	case ansName:
		return "name:" + a.name
	case ansRefuse:
		return "refuse:" + string(a.problem)
	}
	return "none"
}

func said(in intent) answer { return answer{kind: ansIntent, in: in} }

// read reads a message at the question of state st, with the draft's offered dates and windows
// and today's date (midnight, office time). It is the one reader of the conversation: step
// acts on what it returns, and the corpus test checks it.
func (b *Bot) read(st State, text string, today time.Time, d Draft) answer {
	r := understand(text)
	if r.intent(intentMenu) == intentMenu {
		return said(intentMenu)
	}
	if st != StateNew && st != StateMenu && st != StateCancelConfirm && r.intent(intentCancel) == intentCancel {
		return said(intentCancel) // "batal" stops a flow
	}
	talk := r.smallTalk()
	switch st {
	case StateNew, StateMenu, StateWaitlist:
		if st == StateWaitlist {
			if in := r.intent(intentYes, intentNo); in != intentNone {
				return said(in)
			}
		}
		if n := r.number(); n != 0 {
			return answer{kind: ansNumber, n: n}
		}
		if in := r.intent(intentCancel, intentReschedule, intentCheck, intentBook, intentInfo,
			intentLanguage); in != intentNone {
			return said(in)
		}
	case StateName:
		if talk == intentGreeting || talk == intentThanks {
			return said(talk)
		}
		name, problem, title := checkName(text)
		if problem != nameOK {
			return answer{kind: ansRefuse, problem: problem, title: title}
		}
		return answer{kind: ansName, name: name}
	case StateType, StateCancelChoose, StateMoveChoose:
		if n := r.number(); n != 0 {
			return answer{kind: ansNumber, n: n}
		}
		if st != StateType && r.intent(intentNo) == intentNo {
			return said(intentNo) // "tidak jadi": keep them all
		}
	case StateOffer:
		// A number picks a date of the list; "ya" takes the seat shown; a date or a time in words
		// picks another date, or another window of the date shown.
		if n := r.number(); n != 0 {
			return answer{kind: ansNumber, n: n}
		}
		if in := r.intent(intentYes, intentNo); in != intentNone {
			return said(in)
		}
		if date, found := readDate(text, today, d.Dates); found {
			if date == "" {
				return answer{kind: ansAsk}
			}
			return answer{kind: ansDate, date: date}
		}
		if w, found := readWindow(text, b.cfg.Windows(), d.Windows); found {
			if w == 0 {
				return answer{kind: ansAsk}
			}
			return answer{kind: ansWindow, n: w}
		}
	case StateDate:
		if n := r.number(); n != 0 {
			return answer{kind: ansNumber, n: n}
		}
		if date, found := readDate(text, today, d.Dates); found {
			if date == "" {
				return answer{kind: ansAsk}
			}
			return answer{kind: ansDate, date: date}
		}
	case StateWindow:
		if n := r.number(); n != 0 {
			return answer{kind: ansNumber, n: n}
		}
		if w, found := readWindow(text, b.cfg.Windows(), d.Windows); found {
			if w == 0 {
				return answer{kind: ansAsk}
			}
			return answer{kind: ansWindow, n: w}
		}
	case StateConfirm, StateCancelConfirm:
		in := r.intent(intentYes, intentNo, intentCancel)
		if in == intentCancel && st == StateCancelConfirm && r.has(intentYes) {
			// "ya, batalkan" says yes; "batal" alone could mean either, and is asked again.
			in = intentYes
		}
		if in == intentYes || in == intentNo {
			return said(in)
		}
	}
	if talk != intentNone {
		return said(talk)
	}
	return answer{}
}
