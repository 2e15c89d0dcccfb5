package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// FieldError is one impossible setting: the TOML key it is about and what is wrong with it.
type FieldError struct {
	Key     string // "queue.windows[2]", "staff.admins[0]"
	Problem string
}

// Error writes the problem after its key, as "queue.daily_quota: must be ...".
func (e *FieldError) Error() string { return e.Key + ": " + e.Problem }

// Validate checks every setting and fills the values derived from them (time zone, service days,
// holidays, service hours, arrival windows). It returns nil, or every problem found joined with
// errors.Join, each a *FieldError naming its key. Validate recomputes everything from the fields
// each time it is called; after a failed call the derived values are empty.
func (c *Config) Validate() error {
	v := &checker{}
	c.loc, c.weekdays, c.holidays, c.open, c.spans = nil, [7]bool{}, nil, Span{}, nil

	// office
	if strings.TrimSpace(c.Office.Name) == "" {
		v.add("office.name", "must not be empty: applicants see it in every confirmation")
	}
	if c.Office.Phone != "" {
		v.phone("office.phone", c.Office.Phone)
	}

	// service
	loc := v.location("service.time_zone", c.Service.TimeZone)
	weekdays := v.weekdays("service.days", c.Service.Days)
	holidays := v.holidays("service.holidays", c.Service.Holidays)
	open, openOK := v.clock("service.open", c.Service.Open)
	closing, closeOK := v.clock("service.close", c.Service.Close)
	hours, hoursOK := Span{open, closing}, openOK && closeOK
	if hoursOK && closing <= open {
		v.add("service.close", "%s must be later than service.open %s", c.Service.Close, c.Service.Open)
		hoursOK = false
	}

	// queue
	spans := v.windows("queue.windows", c.Queue.Windows, hours, hoursOK)
	switch n := len(c.Queue.Windows); {
	case c.Queue.DailyQuota < 1:
		v.add("queue.daily_quota", "must be at least 1, got %d", c.Queue.DailyQuota)
	case c.Queue.DailyQuota < n:
		v.add("queue.daily_quota", "must be at least the number of arrival windows (%d), got %d",
			n, c.Queue.DailyQuota)
	case c.Queue.DailyQuota > 999:
		v.add("queue.daily_quota", "must be at most 999, as queue numbers have three digits, got %d",
			c.Queue.DailyQuota)
	}
	v.atLeast("queue.days_ahead", c.Queue.DaysAhead, 1)
	v.atLeast("queue.dates_offered", c.Queue.DatesOffered, 1)
	if c.Queue.DaysAhead >= 1 && c.Queue.DatesOffered > c.Queue.DaysAhead {
		v.add("queue.dates_offered", "must be at most queue.days_ahead (%d), got %d",
			c.Queue.DaysAhead, c.Queue.DatesOffered)
	}
	switch h := c.Queue.HoldFor.Duration; {
	case h < time.Minute:
		v.add("queue.hold_for", "must be at least 1m (a seat is kept while the applicant answers), got %s", h)
	case h > 24*time.Hour:
		v.add("queue.hold_for", "must be at most 24h (a held seat is lost to everyone else), got %s", h)
	}

	// passport
	v.passportTypes("passport.types", c.Passport.Types)
	v.atLeast("passport.lost_fee", c.Passport.LostFee, 0)
	v.atLeast("passport.damaged_fee", c.Passport.DamagedFee, 0)
	v.atLeast("passport.pickup_after_days", c.Passport.PickupAfter, 0)
	v.texts("passport.notes_id", c.Passport.NotesID, false)
	v.texts("passport.notes_en", c.Passport.NotesEN, false)

	// fair_use
	f := c.FairUse
	v.atLeast("fair_use.bookings_per_phone", f.BookingsPerPhone, 1)
	v.atLeast("fair_use.flood_messages", f.FloodMessages, 1)
	v.positive("fair_use.flood_window", f.FloodWindow)
	v.atLeast("fair_use.reschedules", f.Reschedules, 0)
	v.atLeast("fair_use.no_show_limit", f.NoShowLimit, 0)
	if f.NoShowLimit > 0 { // 0 turns the rule off, and then its durations do not matter
		v.positive("fair_use.no_show_period", f.NoShowPeriod)
		v.positive("fair_use.no_show_ban", f.NoShowBan)
	}
	v.atLeast("fair_use.max_message_bytes", f.MaxMessageBytes, 64)

	// staff
	v.phones("staff.admins", c.Staff.Admins)
	v.phones("staff.members", c.Staff.Members)

	// database
	if strings.TrimSpace(c.Database.Path) == "" {
		v.add("database.path", "must not be empty")
	} else if filepath.Clean(c.SessionPath()) == filepath.Clean(c.Database.Path) {
		key := "database.session_path"
		if c.Database.SessionPath == "" {
			key = "database.path"
		}
		v.add(key, "the WhatsApp session and the bot's database must be two different files, both are %q",
			c.SessionPath())
	}

	// sending
	s := c.Sending
	v.notNegative("sending.global_interval", s.GlobalInterval)
	v.notNegative("sending.chat_interval", s.ChatInterval)
	v.notNegative("sending.bulk_interval", s.BulkInterval)
	v.notNegative("sending.jitter", s.Jitter)
	v.atLeast("sending.max_attempts", s.MaxAttempts, 1)
	v.atLeast("sending.max_per_minute", s.MaxPerMinute, 1)

	// jobs
	j := c.Jobs
	v.cron("jobs.rollover", j.Rollover, false)
	v.cron("jobs.evening_reminder", j.EveningReminder, false)
	v.cron("jobs.morning_reminder", j.MorningReminder, true)
	v.cron("jobs.pickup_check", j.PickupCheck, false)
	v.cron("jobs.retention", j.Retention, false)
	v.atLeast("jobs.retention_days", j.RetentionDays, 1)
	v.atLeast("jobs.pickup_remind_after_days", j.PickupRemindAfter, 1)
	v.atLeast("jobs.near_places", j.NearPlaces, 0)

	// backup
	if strings.TrimSpace(c.Backup.Dir) != "" {
		v.atLeast("backup.keep", c.Backup.Keep, 1)
		v.cron("backup.schedule", c.Backup.Schedule, false)
	}

	// whatsapp, log
	if strings.TrimSpace(c.WhatsApp.DeviceName) == "" {
		v.add("whatsapp.device_name", "must not be empty: it names the bot on the phone's Linked devices")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		v.add("log.level", "unknown level %q; use debug, info, warn or error", c.Log.Level)
	}

	v.board(c.Board) // in board.go

	if len(v.errs) > 0 {
		return errors.Join(v.errs...)
	}
	c.loc, c.weekdays, c.holidays, c.open, c.spans = loc, weekdays, holidays, hours, spans
	return nil
}

// SessionPath returns where whatsmeow keeps the WhatsApp session: database.session_path, or
// "whatsapp.db" in the directory of database.path when that is empty.
func (c *Config) SessionPath() string {
	if c.Database.SessionPath != "" {
		return c.Database.SessionPath
	}
	return filepath.Join(filepath.Dir(c.Database.Path), "whatsapp.db")
}

// checker collects the problems of one Validate call.
type checker struct{ errs []error }

func (v *checker) add(key, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{Key: key, Problem: fmt.Sprintf(format, args...)})
}

func (v *checker) atLeast(key string, n, least int) {
	if n < least {
		v.add(key, "must be at least %d, got %d", least, n)
	}
}

func (v *checker) positive(key string, d Duration) {
	if d.Duration <= 0 {
		v.add(key, "must be longer than zero, got %s", d.Duration)
	}
}

func (v *checker) notNegative(key string, d Duration) {
	if d.Duration < 0 {
		v.add(key, "must not be negative, got %s", d.Duration)
	}
}

func (v *checker) location(key, name string) *time.Location {
	switch name {
	case "":
		v.add(key, `must be set, e.g. "Asia/Jakarta"`)
		return nil
	case "Local":
		v.add(key, `must name the office's zone, e.g. "Asia/Jakarta", not the machine's ("Local")`)
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		v.add(key, "unknown time zone %q", name)
		return nil
	}
	return loc
}

// parseWeekday reads "mon".."sun", in any case.
func parseWeekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, d.String()[:3]) {
			return d, true
		}
	}
	return 0, false
}

func (v *checker) weekdays(key string, days []string) [7]bool {
	var set [7]bool
	if len(days) == 0 {
		v.add(key, "must list at least one day")
	}
	for i, d := range days {
		wd, ok := parseWeekday(d)
		switch {
		case !ok:
			v.add(fmt.Sprintf("%s[%d]", key, i), "unknown weekday %q; use mon, tue, wed, thu, fri, sat or sun", d)
		case set[wd]:
			v.add(fmt.Sprintf("%s[%d]", key, i), "%q is listed twice", d)
		default:
			set[wd] = true
		}
	}
	return set
}

func (v *checker) holidays(key string, dates []string) map[string]bool {
	set := make(map[string]bool, len(dates))
	for i, d := range dates {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil || t.Format(time.DateOnly) != d {
			v.add(fmt.Sprintf("%s[%d]", key, i), "%q is not a date like \"2026-12-25\"", d)
			continue
		}
		set[d] = true
	}
	return set
}

// clock parses "HH:MM" (24-hour, two digits each) into minutes after midnight.
func (v *checker) clock(key, s string) (int, bool) {
	m, ok := parseClock(s)
	if !ok {
		v.add(key, "%q is not a time of day like \"07:30\"", s)
	}
	return m, ok
}

func parseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// windows checks that each window is a real span inside the service hours, and that they come in
// time order without overlapping; it returns the spans when all are good.
func (v *checker) windows(key string, ws []Window, hours Span, hoursOK bool) []Span {
	if len(ws) == 0 {
		v.add(key, "must list at least one arrival window")
		return nil
	}
	spans := make([]Span, 0, len(ws))
	good := true
	prev, prevIdx := Span{}, -1 // the last well-formed window, for the order check
	for i, w := range ws {
		k := fmt.Sprintf("%s[%d]", key, i)
		start, okS := v.clock(k+".start", w.Start)
		end, okE := v.clock(k+".end", w.End)
		if !okS || !okE {
			good = false
			continue
		}
		sp := Span{start, end}
		switch {
		case end < start:
			v.add(k, "%s ends before it starts", sp)
			good = false
			continue
		case end == start:
			v.add(k, "%s is empty: it ends when it starts", sp)
			good = false
			continue
		}
		if hoursOK && (start < hours.Start || end > hours.End) {
			v.add(k, "%s is outside service hours %s", sp, hours)
			good = false
		}
		if prevIdx >= 0 && start < prev.End {
			if start < prev.Start {
				v.add(k, "%s comes before %s[%d] %s: list the windows in time order", sp, key, prevIdx, prev)
			} else {
				v.add(k, "%s overlaps %s[%d] %s", sp, key, prevIdx, prev)
			}
			good = false
		}
		prev, prevIdx = sp, i
		spans = append(spans, sp)
	}
	if !good {
		return nil
	}
	return spans
}

func (v *checker) passportTypes(key string, types []PassportType) {
	if len(types) == 0 {
		v.add(key, "must list at least one passport type")
		return
	}
	seen := make(map[string]int, len(types))
	for i, t := range types {
		k := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case !isCode(t.Code):
			v.add(k+".code", "%q must be 1 to 16 letters, digits, '-' or '_', e.g. \"EP10\"", t.Code)
		default:
			if j, dup := seen[strings.ToUpper(t.Code)]; dup {
				v.add(k+".code", "%q is already used by %s[%d]", t.Code, key, j)
			} else {
				seen[strings.ToUpper(t.Code)] = i
			}
		}
		if strings.TrimSpace(t.NameID) == "" {
			v.add(k+".name_id", "must not be empty")
		}
		if strings.TrimSpace(t.NameEN) == "" {
			v.add(k+".name_en", "must not be empty")
		}
		if t.Fee < 0 {
			v.add(k+".fee", "must not be negative, got %d", t.Fee)
		}
		v.texts(k+".documents_id", t.DocumentsID, true)
		v.texts(k+".documents_en", t.DocumentsEN, true)
	}
}

func isCode(s string) bool {
	if len(s) == 0 || len(s) > 16 {
		return false
	}
	for _, r := range s {
		ok := r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_'
		if !ok {
			return false
		}
	}
	return true
}

// texts checks a list of lines shown to applicants: none empty, and at least one if required.
func (v *checker) texts(key string, lines []string, required bool) {
	if required && len(lines) == 0 {
		v.add(key, "must list at least one line")
	}
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			v.add(fmt.Sprintf("%s[%d]", key, i), "must not be empty")
		}
	}
}

func (v *checker) phones(key string, list []string) {
	seen := make(map[string]int, len(list))
	for i, p := range list {
		k := fmt.Sprintf("%s[%d]", key, i)
		if !v.phone(k, p) {
			continue
		}
		if j, dup := seen[p]; dup {
			v.add(k, "%q is already listed as %s[%d]", p, key, j)
			continue
		}
		seen[p] = i
	}
}

// phone checks a WhatsApp number in international form: digits only, 8 to 15 of them, starting
// with the country code (62 for Indonesia), not with 0 or +.
func (v *checker) phone(key, p string) bool {
	ok := len(p) >= 8 && len(p) <= 15 && p[0] != '0'
	for i := 0; ok && i < len(p); i++ {
		ok = p[i] >= '0' && p[i] <= '9'
	}
	if !ok {
		v.add(key, "%q must be a phone number in international form, 8 to 15 digits only: 62812..., not 0812... or +62 812...", p)
	}
	return ok
}

// cron checks a job's schedule with the standard five-field parser that the scheduler uses.
func (v *checker) cron(key, spec string, optional bool) {
	if spec == "" {
		if !optional {
			v.add(key, `must be a cron schedule like "0 18 * * *" (minute hour day month weekday)`)
		}
		return
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		v.add(key, "%q must not set a time zone: jobs run in service.time_zone", spec)
		return
	}
	if _, err := cron.ParseStandard(spec); err != nil {
		v.add(key, "%q is not a cron schedule like \"0 18 * * *\" (minute hour day month weekday): %v", spec, err)
	}
}
