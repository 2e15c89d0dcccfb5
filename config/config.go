// Package config reads LAW's TOML configuration: every setting has a default, unknown keys are
// refused, and Validate names the key of any impossible value.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // the office's zone must resolve on machines without a zoneinfo database

	"github.com/BurntSushi/toml"
)

// Config is the whole configuration. The TOML keys are the snake_case tags.
type Config struct {
	Office   Office   `toml:"office"`
	Service  Service  `toml:"service"`
	Queue    Queue    `toml:"queue"`
	Passport Passport `toml:"passport"`
	FairUse  FairUse  `toml:"fair_use"`
	Staff    Staff    `toml:"staff"`
	Database Database `toml:"database"`
	Sending  Sending  `toml:"sending"`
	Jobs     Jobs     `toml:"jobs"`
	WhatsApp WhatsApp `toml:"whatsapp"`
	Log      Log      `toml:"log"`
	Backup   Backup   `toml:"backup"`
	Board    Board    `toml:"board"`

	// Filled by Validate from the text fields above.
	loc      *time.Location
	weekdays [7]bool         // indexed by time.Weekday
	holidays map[string]bool // "2006-01-02"
	open     Span
	spans    []Span // arrival windows
}

// Span is a time of day range in minutes after midnight, [Start, End).
type Span struct{ Start, End int }

// String writes the span as "07:30–09:00".
func (s Span) String() string {
	return fmt.Sprintf("%02d:%02d–%02d:%02d", s.Start/60, s.Start%60, s.End/60, s.End%60)
}

// Office describes the office in the texts applicants receive.
type Office struct {
	Name    string `toml:"name"`
	Address string `toml:"address"`
	// Phone is the office's WhatsApp number (digits, international form). When set, pairing refuses
	// any other phone.
	Phone string `toml:"phone"`
}

// Service is when the office serves applicants.
type Service struct {
	TimeZone string   `toml:"time_zone"`
	Days     []string `toml:"days"`     // "mon".."sun"
	Open     string   `toml:"open"`     // "07:30"
	Close    string   `toml:"close"`    // "16:00"
	Holidays []string `toml:"holidays"` // "2026-12-25", closed days: national holidays and cuti bersama
}

// Window is one arrival window of a service day.
type Window struct {
	Start string `toml:"start"` // "07:30"
	End   string `toml:"end"`   // "09:00"
}

// Queue is how seats are given.
type Queue struct {
	DailyQuota int      `toml:"daily_quota"`
	Windows    []Window `toml:"windows"`
	// DaysAhead is how many working days, starting with the next one, can be booked.
	DaysAhead int `toml:"days_ahead"`
	// DatesOffered is how many bookable dates an applicant is shown at once.
	DatesOffered int `toml:"dates_offered"`
	// HoldFor is how long a seat shown to an applicant is kept for them.
	HoldFor Duration `toml:"hold_for"`
}

// PassportType is one kind of passport an applicant can apply for.
type PassportType struct {
	Code        string   `toml:"code"`
	NameID      string   `toml:"name_id"`
	NameEN      string   `toml:"name_en"`
	Fee         int      `toml:"fee"` // rupiah
	DocumentsID []string `toml:"documents_id"`
	DocumentsEN []string `toml:"documents_en"`
}

// Passport lists the passport types and the surcharges.
type Passport struct {
	Types       []PassportType `toml:"types"`
	LostFee     int            `toml:"lost_fee"`
	DamagedFee  int            `toml:"damaged_fee"`
	PickupAfter int            `toml:"pickup_after_days"` // working days after payment
	NotesID     []string       `toml:"notes_id"`
	NotesEN     []string       `toml:"notes_en"`
}

// FairUse limits what one WhatsApp number can do.
type FairUse struct {
	// BookingsPerPhone is how many active bookings one number may hold (a family may be allowed
	// more, each with a different name).
	BookingsPerPhone int `toml:"bookings_per_phone"`
	// FloodMessages messages within FloodWindow slow a sender down with one notice.
	FloodMessages int      `toml:"flood_messages"`
	FloodWindow   Duration `toml:"flood_window"`
	// NoShowLimit no-shows within NoShowPeriod bar booking for NoShowBan.
	NoShowLimit  int      `toml:"no_show_limit"`
	NoShowPeriod Duration `toml:"no_show_period"`
	NoShowBan    Duration `toml:"no_show_ban"`
	// MaxMessageBytes is the longest incoming text kept; the rest is cut off.
	MaxMessageBytes int `toml:"max_message_bytes"`
	// Reschedules is how many times one booking may be moved to another date or time.
	Reschedules int `toml:"reschedules"`
}

// Staff lists the phone numbers that may send staff commands.
type Staff struct {
	Admins  []string `toml:"admins"`
	Members []string `toml:"members"`
}

// Database says where the files live.
type Database struct {
	Path string `toml:"path"`
	// SessionPath is whatsmeow's device store; empty means "whatsapp.db" beside Path.
	SessionPath string `toml:"session_path"`
}

// Sending paces the outbox so that the office's number stays safe from WhatsApp's spam rules.
type Sending struct {
	GlobalInterval Duration `toml:"global_interval"` // between any two messages
	ChatInterval   Duration `toml:"chat_interval"`   // between two messages to one chat
	BulkInterval   Duration `toml:"bulk_interval"`   // between two reminders or broadcast messages
	Jitter         Duration `toml:"jitter"`          // random extra wait, up to this
	MaxAttempts    int      `toml:"max_attempts"`
	// MaxPerMinute caps the messages sent in any rolling minute, whatever the intervals allow.
	MaxPerMinute int `toml:"max_per_minute"`
}

// Jobs sets the clock-driven jobs.
type Jobs struct {
	Rollover          string `toml:"rollover"`         // cron spec, office time
	EveningReminder   string `toml:"evening_reminder"` // cron spec
	MorningReminder   string `toml:"morning_reminder"` // cron spec; "" is off
	PickupCheck       string `toml:"pickup_check"`     // cron spec
	Retention         string `toml:"retention"`        // cron spec
	RetentionDays     int    `toml:"retention_days"`
	PickupRemindAfter int    `toml:"pickup_remind_after_days"` // working days after "ready"
	NearPlaces        int    `toml:"near_places"`              // /next tells the applicant this many places behind
}

// WhatsApp sets the linked device.
type WhatsApp struct {
	DeviceName string `toml:"device_name"` // shown on the phone's Linked devices list
}

// Backup sets the nightly backup of the bot's database (`law backup` does one by hand).
type Backup struct {
	Dir      string `toml:"dir"`      // folder of the nightly copies; "" is off
	Keep     int    `toml:"keep"`     // how many nightly copies are kept, the newest
	Schedule string `toml:"schedule"` // cron spec, office time
}

// Log sets logging.
type Log struct {
	Level string `toml:"level"` // debug, info, warn, error
}

// Board is the now-serving board of the waiting room (package board), off while Listen is empty.
type Board struct {
	// Listen is the host:port the board and /healthz are served on, such as "127.0.0.1:8080".
	Listen   string   `toml:"listen"`
	Title    string   `toml:"title"`    // the board's heading; empty: "Antrian Paspor"
	Counters []string `toml:"counters"` // counters shown before their first call, in this order
}

// Duration is a time.Duration written as "1m30s" in TOML.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("not a duration like \"1m30s\": %q", string(b))
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.Duration.String()), nil }

// Load reads path over the defaults and validates the result. A missing file at the default path
// (required=false) gives the defaults. Unknown keys and impossible values are errors naming the key.
func Load(path string, required bool) (*Config, error) {
	cfg := Default()
	data, err := os.ReadFile(path)
	if err != nil {
		if !required && errors.Is(err, os.ErrNotExist) {
			return cfg, cfg.Validate()
		}
		return nil, fmt.Errorf("config: %w", err)
	}
	if err := cfg.parse(data); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// Parse reads TOML text over the defaults and validates it.
func Parse(data []byte) (*Config, error) {
	cfg := Default()
	if err := cfg.parse(data); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (c *Config) parse(data []byte) error {
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(c)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return errors.New(errorWithPosition(perr))
		}
		return err
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return fmt.Errorf("unknown key %s", strings.Join(keys, ", "))
	}
	return nil
}

// Location is the office's time zone; valid after Validate.
func (c *Config) Location() *time.Location { return c.loc }

// ServiceDay reports whether the office serves on the calendar day of t (in t's own location):
// a configured weekday that is not a holiday.
func (c *Config) ServiceDay(t time.Time) bool {
	return c.weekdays[t.Weekday()] && !c.holidays[t.Format("2006-01-02")]
}

// ServiceWeekday reports whether the office serves on weekday d (holidays aside); valid after
// Validate.
func (c *Config) ServiceWeekday(d time.Weekday) bool { return c.weekdays[d] }

// Windows returns the arrival windows, in order; valid after Validate.
func (c *Config) Windows() []Span { return c.spans }

// Hours returns the service hours; valid after Validate.
func (c *Config) Hours() Span { return c.open }

// IsAdmin reports whether phone (digits) is a configured admin.
func (c *Config) IsAdmin(phone string) bool { return contains(c.Staff.Admins, phone) }

// IsStaff reports whether phone (digits) is a configured admin or member.
func (c *Config) IsStaff(phone string) bool {
	return contains(c.Staff.Admins, phone) || contains(c.Staff.Members, phone)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// errorWithPosition formats a TOML syntax error with its line, and the key it was reading.
func errorWithPosition(perr toml.ParseError) (msg string) {
	// BurntSushi/toml v1.6.0 panics formatting some errors (a quote before "\r\n", its issue
	// #517); the plain message still says what is wrong.
	defer func() {
		if recover() != nil {
			msg = perr.Error()
		}
	}()
	msg = perr.ErrorWithPosition()
	if perr.LastKey != "" {
		msg = perr.LastKey + ": " + msg
	}
	return msg
}
