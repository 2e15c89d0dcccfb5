package bot

import (
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

// withinOneEdit reports whether a and b differ by at most one insertion, deletion or substitution.
func withinOneEdit(a, b string) bool { return runesWithinOneEdit([]rune(a), []rune(b)) }

// runesWithinOneEdit is withinOneEdit on runes.
func runesWithinOneEdit(ra, rb []rune) bool {
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

// nameProblem is the rule a name breaks.
type nameProblem string

// The name rules, each with its own answer.
const (
	nameOK    nameProblem = ""
	nameTitle nameProblem = "title" // a title or form of address: Hj., Dr., S.Pd, Ibu
	nameComma nameProblem = "comma" // "Budi, S.H."
	nameDigit nameProblem = "digit"
	nameEmoji nameProblem = "emoji" // emoji and other symbols
	nameChars nameProblem = "chars" // other punctuation: only . ' - are allowed
	nameShort nameProblem = "short" // under 3 characters or 2 letters
	nameLong  nameProblem = "long"  // over 60 characters
)

// namePrefixes are the words people put before their name: "Nama saya Budi", "nama: Budi".
var namePrefixes = []string{"nama lengkap saya", "nama lengkap", "nama saya", "namaku", "nama",
	"my full name is", "my name is", "full name", "name", "saya"}

// titles are the titles and forms of address written before or after a name, dots and case
// aside. Titles written with inner dots (S.H., M.M.) are found by titleParts instead, so that a
// name initial such as "M." or "St." (Siti) is no title.
var titles = map[string]bool{
	"hj": true, "hjh": true, "haji": true, "hajjah": true, "dr": true, "drs": true, "dra": true,
	"ir": true, "prof": true, "spd": true, "skom": true, "sag": true, "ssos": true, "skep": true,
	"sked": true, "amd": true, "mpd": true, "msi": true, "mkes": true, "mkom": true, "ssi": true,
	"bpk": true, "bapak": true, "ibu": true, "sdr": true, "sdri": true, "sdra": true, "tn": true,
	"ny": true, "nn": true, "kh": true, "ust": true, "ustadz": true, "ustazah": true, "mr": true,
	"mrs": true, "phd": true, "bsc": true, "msc": true, "almh": true, "alm": true,
}

// leadingTitles are titles only as a name's first word: "H. Ahmad", "Pak Budi".
var leadingTitles = map[string]bool{"h": true, "pak": true, "bu": true, "bp": true}

// titleParts are the second parts of academic titles written with a dot: S.Pd, S.H., M.M., A.Md.
var titleParts = map[string]bool{"pd": true, "h": true, "e": true, "kom": true, "m": true,
	"ag": true, "sos": true, "ip": true, "t": true, "kep": true, "ked": true, "si": true, "psi": true,
	"farm": true, "ak": true, "hum": true, "kes": true, "md": true, "ikom": true, "hi": true,
	"sy": true, "pt": true, "gz": true, "kg": true, "th": true, "pdi": true, "sc": true, "tr": true,
	"ds": true, "sn": true, "pi": true, "stat": true, "hut": true}

// titleOf returns the title among a name's words, as written, or "".
func titleOf(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	for i, w := range words {
		key := strings.ToLower(strings.Trim(w, ".'-"))
		bare := strings.ReplaceAll(key, ".", "")
		if titles[bare] || (i == 0 && len(words) > 1 && leadingTitles[bare] && (bare != "h" || strings.HasSuffix(w, "."))) {
			return strings.TrimRight(w, ",")
		}
		if first, rest, ok := strings.Cut(key, "."); ok && (first == "s" || first == "m" || first == "a") && titleParts[rest] {
			return strings.TrimRight(w, ",")
		}
	}
	return ""
}

// checkName checks and folds a full name as passports print it. On failure it returns the rule
// broken and, for a title, the title as written.
func checkName(s string) (name string, problem nameProblem, title string) {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "")), " ")
	for _, p := range namePrefixes {
		if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) && (s[len(p)] == ' ' || s[len(p)] == ':') {
			if rest := strings.TrimLeft(s[len(p):], " :"); rest != "" {
				s = rest
			}
			break
		}
	}
	s = strings.Trim(s, " .-'")
	if t := titleOf(s); t != "" {
		return "", nameTitle, t
	}
	n, letters := 0, 0
	problem = nameOK
	for _, r := range s {
		n++
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == ' ' || r == '.' || r == '\'' || r == '-' || r == '’':
		case r == ',' && problem == nameOK:
			problem = nameComma
		case unicode.IsDigit(r) && (problem == nameOK || problem == nameChars):
			problem = nameDigit
		case (unicode.IsSymbol(r) || unicode.In(r, unicode.Mn, unicode.Me, unicode.Sk, unicode.Co, unicode.Cs)) && problem == nameOK:
			problem = nameEmoji
		case problem == nameOK:
			problem = nameChars
		}
	}
	switch {
	case problem != nameOK:
		return "", problem, ""
	case n < 3 || letters < 2:
		return "", nameShort, ""
	case n > 60:
		return "", nameLong, ""
	}
	return strings.ToUpper(strings.ReplaceAll(s, "’", "'")), nameOK, ""
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
