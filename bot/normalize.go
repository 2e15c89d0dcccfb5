package bot

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// norm folds an answer for matching: lower case, invisible and control characters dropped,
// punctuation, symbols and emoji at the ends trimmed, inner spaces collapsed. "  Ya!! 👍" is "ya".
func norm(s string) string {
	s = strings.ToValidUTF8(s, " ")
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = true
			continue
		case unicode.Is(unicode.Cf, r): // zero-width and direction marks
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimFunc(b.String(), func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) ||
			unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == utf8.RuneError
	})
}

var numberWords = map[string]int{
	"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
	"sembilan": 9, "sepuluh": 10,
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10,
}

var numberPrefixes = []string{"nomor", "nomer", "no", "pilih", "pilihan", "angka", "number", "option", "choice"}

// choice reads a numbered answer: "2", "2.", "no 2", "pilih 2", "dua". It returns 0 for anything else.
func choice(s string) int {
	s = norm(s)
	for _, p := range numberPrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			rest = strings.TrimLeft(rest, " .:")
			if rest != "" && rest != s {
				s = rest
				break
			}
		}
	}
	if n, ok := numberWords[s]; ok {
		return n
	}
	if len(s) == 0 || len(s) > 3 {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// intent is what a free-text answer means outside a question.
type intent int

const (
	intentNone intent = iota
	intentMenu
	intentBook
	intentCheck
	intentCancel
	intentInfo
	intentLanguage
	intentYes
	intentNo
)

var intentWords = map[intent][]string{
	intentMenu: {"menu", "mulai", "start", "home", "halo", "hallo", "hai", "hi", "hello", "helo",
		"assalamualaikum", "selamat pagi", "selamat siang", "selamat sore", "selamat malam", "pagi",
		"siang", "sore", "malam", "p", "info menu", "bantuan", "help"},
	intentBook: {"ambil", "ambil nomor", "ambil antrian", "ambil antrean", "ambil nomor antrian",
		"antri", "antre", "antrian", "antrean", "daftar", "pendaftaran", "booking", "book", "pesan",
		"take", "take a number", "take a queue number", "queue", "register"},
	intentCheck: {"cek", "cek antrian", "cek antrean", "cek antrian saya", "check", "check my queue number",
		"status", "lihat", "nomor saya", "my number"},
	intentCancel: {"batal", "batalkan", "batalkan antrian", "batalkan antrean", "cancel",
		"cancel my queue number", "hapus"},
	intentInfo: {"syarat", "persyaratan", "persyaratan dan biaya", "biaya", "harga", "tarif", "dokumen",
		"requirements", "requirement", "fees", "fee", "price", "documents", "info"},
	intentLanguage: {"english", "inggris", "bahasa inggris", "bahasa indonesia", "indonesia", "bahasa",
		"language", "en", "id", "indo"},
	intentYes: {"ya", "iya", "y", "yes", "yup", "ok", "oke", "okay", "okey", "benar", "betul", "setuju",
		"lanjut", "confirm", "sure"},
	intentNo: {"tidak", "tdk", "gak", "ga", "nggak", "enggak", "no", "n", "jangan", "tidak jadi",
		"nope", "kembali", "back"},
}

// wordIntent matches a normalized answer against the words of each intent, forgiving one typo in
// words of five letters or more ("batall", "persyratan"). The order of the checks decides ties.
func wordIntent(s string, among ...intent) intent {
	s = strings.TrimPrefix(norm(s), "#")
	s = strings.TrimSpace(s)
	if s == "" {
		return intentNone
	}
	for _, in := range among {
		for _, w := range intentWords[in] {
			if s == w {
				return in
			}
		}
	}
	if utf8.RuneCountInString(s) < 5 {
		return intentNone
	}
	for _, in := range among {
		for _, w := range intentWords[in] {
			if utf8.RuneCountInString(w) >= 5 && withinOneEdit(s, w) {
				return in
			}
		}
	}
	return intentNone
}

// withinOneEdit reports whether a and b differ by at most one insertion, deletion or substitution.
func withinOneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(rb)-len(ra) > 1 {
		return false
	}
	i, j, edits := 0, 0, 0
	for i < len(ra) && j < len(rb) {
		if ra[i] == rb[j] {
			i++
			j++
			continue
		}
		edits++
		if edits > 1 {
			return false
		}
		if len(ra) == len(rb) {
			i++
		}
		j++
	}
	return edits+(len(rb)-j)+(len(ra)-i) <= 1
}

// cleanName checks and folds a full name as passports print it: upper case, single spaces.
// Letters (any script's, since some names carry accents), spaces, '.', '\” and '-'; 3–60 characters.
func cleanName(s string) (string, bool) {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "")), " ")
	s = strings.Trim(s, " .-'")
	n, letters := 0, 0
	for _, r := range s {
		n++
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == ' ' || r == '.' || r == '\'' || r == '-' || r == '’':
		default:
			return "", false
		}
	}
	if n < 3 || n > 60 || letters < 2 {
		return "", false
	}
	return strings.ToUpper(strings.ReplaceAll(s, "’", "'")), true
}

// ClipText cuts s to at most n bytes on a character boundary, so that no incoming text beyond the
// configured limit is stored; n <= 0 keeps it whole.
func ClipText(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
