// Package logmask keeps phone numbers and names out of log lines: the office's logs are read by
// people who have no business knowing who wrote to the office.
package logmask

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
)

// Phone hides the middle of a phone number: 6281******890; the one rule for every log line that
// names an applicant or a staff member.
func Phone(p string) string {
	if len(p) <= 7 {
		return strings.Repeat("*", len(p))
	}
	return p[:4] + strings.Repeat("*", len(p)-7) + p[len(p)-3:]
}

// digits matches a free-standing run of 8 to 15 digits: a phone number or a LID, bare, with a "+",
// or as the user part of a JID ("6281234567890@s.whatsapp.net", "1234567890123:4@lid"). Digits
// inside a word, such as a hex message id, are left alone so that ids stay searchable; so is a run
// after a dot, the last part of a version number (2.3000.1045649367).
var digits = regexp.MustCompile(`\b\d{8,15}\b`)

// names matches the attributes in which WhatsApp's frames carry a person's chosen name.
var names = regexp.MustCompile(`\b(notify|pushname|push_name|verified_name|name)=("[^"]*"|'[^']*'|\S+)`)

// maxLine caps a masked line: a whole protocol frame in a log line helps nobody and may carry more
// than it should.
const maxLine = 2000

// Text masks every phone number and LID in s, drops name attributes of WhatsApp frames, and cuts
// s to a sane length.
func Text(s string) string {
	s = maskDigits(s)
	s = names.ReplaceAllString(s, `$1="…"`)
	if len(s) > maxLine {
		cut := maxLine
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func maskDigits(s string) string {
	idx := digits.FindAllStringIndex(s, -1)
	if idx == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range idx {
		if m[0] > 0 && s[m[0]-1] == '.' {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(Phone(s[m[0]:m[1]]))
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// Handler wraps a slog.Handler so that the message and every string or error attribute of a
// record are masked with Text before they are written. It is the last line of defence: code
// should still log logmask.Phone(phone), never the number.
type Handler struct{ inner slog.Handler }

// NewHandler returns a masking handler around inner.
func NewHandler(inner slog.Handler) *Handler { return &Handler{inner: inner} }

// Enabled reports whether the inner handler takes records of level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

// Handle masks r and passes it on; it returns the inner handler's error.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	m := slog.NewRecord(r.Time, r.Level, Text(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		m.AddAttrs(maskAttr(a))
		return true
	})
	return h.inner.Handle(ctx, m)
}

// WithAttrs returns a masking handler whose inner handler carries the masked attrs.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = maskAttr(a)
	}
	return &Handler{inner: h.inner.WithAttrs(masked)}
}

// WithGroup returns a masking handler whose inner handler opens the group.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{inner: h.inner.WithGroup(name)}
}

func maskAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Text(v.String()))
	case slog.KindGroup:
		group := v.Group()
		masked := make([]any, len(group))
		for i, g := range group {
			masked[i] = maskAttr(g)
		}
		return slog.Group(a.Key, masked...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, Text(x.Error()))
		case interface{ String() string }:
			return slog.String(a.Key, Text(x.String()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
