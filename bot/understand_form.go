package bot

import (
	"strings"
)

// The one-message form: ANTRI#Nama Lengkap#jenis#tanggal#jam, as earlier WhatsApp queues taught
// applicants to write.

// form is a one-message request, its fields as written (trimmed; empty when left out).
type form struct {
	name, kind, date, time string
}

// formKeys start a form: "ANTRI#...", "daftar # ...", in any case.
var formKeys = []string{"antri", "antre", "antrian", "antrean", "daftar", "booking", "book"}

// parseForm reads a one-message form: a key, then name, passport type, date and time separated
// by '#', spaces around them ignored; type, date and time may be left out, fields after the time
// are ignored. false when the message is no form.
func parseForm(s string) (form, bool) {
	parts := strings.Split(s, "#")
	if len(parts) > 0 && strings.TrimSpace(parts[0]) == "" { // "#ANTRI#..."
		parts = parts[1:]
	}
	if len(parts) < 2 {
		return form{}, false
	}
	key := strings.ToLower(strings.TrimSpace(parts[0]))
	found := false
	for _, k := range formKeys {
		found = found || key == k
	}
	if !found {
		return form{}, false
	}
	field := func(i int) string {
		if i >= len(parts) {
			return ""
		}
		return strings.Join(strings.Fields(parts[i]), " ")
	}
	return form{name: field(1), kind: field(2), date: field(3), time: field(4)}, true
}

// passportFeatures are what a passport type's name says: electronic or not, and for how long.
type passportFeatures struct {
	electronic int // -1 not said, 0 ordinary, 1 electronic
	years      int // 0 not said
}

// featuresOf reads passport features from words: "e-paspor 10", "paspor biasa anak", "ep 5".
func featuresOf(s string) passportFeatures {
	compact := strings.NewReplacer(" ", "", "-", "", ".", "", "_", "").Replace(strings.ToLower(s))
	f := passportFeatures{electronic: -1}
	switch {
	case strings.Contains(compact, "nonelektronik"), strings.Contains(compact, "nonelectronic"),
		strings.Contains(compact, "biasa"), strings.Contains(compact, "ordinary"),
		strings.HasPrefix(compact, "pb"):
		f.electronic = 0
	case strings.Contains(compact, "epaspor"), strings.Contains(compact, "epassport"),
		strings.Contains(compact, "elektronik"), strings.Contains(compact, "electronic"),
		strings.HasPrefix(compact, "ep"):
		f.electronic = 1
	}
	switch {
	case strings.Contains(compact, "10"), strings.Contains(compact, "dewasa"), strings.Contains(compact, "adult"):
		f.years = 10
	case strings.Contains(compact, "5"), strings.Contains(compact, "anak"), strings.Contains(compact, "child"):
		f.years = 5
	}
	return f
}

// readType reads a passport type from the list number, the code or words of its name ("e-paspor
// 10", "paspor biasa anak"); false when it names none or more than one.
func (b *Bot) readType(s string) (string, bool) {
	types := b.cfg.Passport.Types
	if n := choice(s); n >= 1 && n <= len(types) {
		return types[n-1].Code, true
	}
	compact := strings.NewReplacer(" ", "", "-", "").Replace(strings.ToUpper(s))
	for _, pt := range types {
		if compact == strings.ToUpper(pt.Code) {
			return pt.Code, true
		}
	}
	want := featuresOf(s)
	if want.electronic < 0 && want.years == 0 {
		return "", false
	}
	code := ""
	for _, pt := range types {
		has := featuresOf(pt.NameID + " " + pt.NameEN)
		if (want.electronic < 0 || want.electronic == has.electronic) && (want.years == 0 || want.years == has.years) {
			if code != "" {
				return "", false // "paspor biasa": which one?
			}
			code = pt.Code
		}
	}
	return code, code != ""
}
