package bot

import (
	"fmt"
	"strings"
	"time"
)

// DateLayout is how dates are written in the database, the CSV export and staff commands.
const DateLayout = "2006-01-02"

// Split divides a day's quota over n arrival windows as evenly as it goes, earlier windows taking
// the remainder: 50 over 5 is 10 each, 52 over 5 is 11, 11, 10, 10, 10.
func Split(quota, n int) []int {
	if n <= 0 {
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = quota / n
		if i < quota%n {
			out[i]++
		}
	}
	return out
}

// dateOf returns the calendar date of t in loc.
func dateOf(t time.Time, loc *time.Location) string { return t.In(loc).Format(DateLayout) }

// parseDate reads a stored date as midnight in loc.
func parseDate(s string, loc *time.Location) (time.Time, error) {
	return time.ParseInLocation(DateLayout, s, loc)
}

var (
	daysID   = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	daysEN   = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
		"September", "Oktober", "November", "Desember"}
	monthsEN = [...]string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}
)

// dateWords writes a stored date in words: "Selasa, 8 Desember 2026" or "Tuesday, 8 December 2026".
func dateWords(date string, lang Lang) string {
	t, err := time.Parse(DateLayout, date)
	if err != nil {
		return date
	}
	if lang == LangEN {
		return fmt.Sprintf("%s, %d %s %d", daysEN[t.Weekday()], t.Day(), monthsEN[t.Month()-1], t.Year())
	}
	return fmt.Sprintf("%s, %d %s %d", daysID[t.Weekday()], t.Day(), monthsID[t.Month()-1], t.Year())
}

// number writes a queue number with three digits, as the tickets always had: 007.
func number(n int) string { return fmt.Sprintf("%03d", n) }

// ParseStaffDate reads the dates staff type: today/hari ini, tomorrow/besok, 2026-12-08,
// 08-12-2026, 8/12 (the year nearest to today). today is the office's current date. A date more
// than a year from today is refused: no command has work there, and it is most likely a typo in the
// year (2062 for 2026) that would otherwise close or re-quota a day nobody meant.
func ParseStaffDate(s string, today time.Time) (string, bool) {
	d, ok := parseStaffDate(s, today)
	if !ok {
		return "", false
	}
	t, err := time.ParseInLocation(DateLayout, d, today.Location())
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, today.Location())
	if err != nil || t.Before(midnight.AddDate(-1, 0, 0)) || t.After(midnight.AddDate(1, 0, 0)) {
		return "", false
	}
	return d, true
}

func parseStaffDate(s string, today time.Time) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "today", "hari ini", "hariini", "hr ini", "now", "sekarang":
		return today.Format(DateLayout), true
	case "tomorrow", "besok", "bsk", "esok":
		return today.AddDate(0, 0, 1).Format(DateLayout), true
	case "yesterday", "kemarin", "kmrn":
		return today.AddDate(0, 0, -1).Format(DateLayout), true
	}
	for _, layout := range []string{"2006-01-02", "02-01-2006", "2-1-2006", "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(DateLayout), true
		}
	}
	for _, layout := range []string{"2/1", "2-1"} {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		// The year nearest to today: "28/12" typed in January means the December just gone.
		best := ""
		var bestDist time.Duration
		for _, y := range []int{today.Year() - 1, today.Year(), today.Year() + 1} {
			c := time.Date(y, t.Month(), t.Day(), 0, 0, 0, 0, today.Location())
			if c.Day() != t.Day() {
				continue // 29/2 in a year without it
			}
			d := c.Sub(today)
			if d < 0 {
				d = -d
			}
			if best == "" || d < bestDist {
				best, bestDist = c.Format(DateLayout), d
			}
		}
		if best != "" {
			return best, true
		}
	}
	return "", false
}
