package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"law/config"
)

func typeName(pt config.PassportType, lang Lang) string {
	if lang == LangEN {
		return pt.NameEN
	}
	return pt.NameID
}

// documentList writes a passport type's documents in lang, one "\n- " line each.
func documentList(pt config.PassportType, lang Lang) string {
	docs := pt.DocumentsID
	if lang == LangEN {
		docs = pt.DocumentsEN
	}
	var s strings.Builder
	for _, d := range docs {
		s.WriteString("\n- " + d)
	}
	return s.String()
}

func (b *Bot) passportType(code string) (config.PassportType, bool) {
	for _, pt := range b.cfg.Passport.Types {
		if pt.Code == code {
			return pt, true
		}
	}
	return config.PassportType{}, false
}

func (b *Bot) typeName(code string, lang Lang) string {
	if pt, ok := b.passportType(code); ok {
		return typeName(pt, lang)
	}
	return code
}

// requirements is the answer to menu 4, short enough for one phone screen: the passport types
// grouped by the documents they need, each group's documents listed once under its types and
// fees, and the documents every type needs listed once before them.
func (b *Bot) requirements(lang Lang) string {
	tx := textsFor(lang)
	p := b.cfg.Passport
	docs := func(pt config.PassportType) []string {
		if lang == LangEN {
			return pt.DocumentsEN
		}
		return pt.DocumentsID
	}
	var common []string // in every type's list
	if len(p.Types) > 1 {
		for _, d := range docs(p.Types[0]) {
			all := true
			for _, pt := range p.Types[1:] {
				all = all && slices.Contains(docs(pt), d)
			}
			if all {
				common = append(common, d)
			}
		}
	}
	type group struct {
		types []config.PassportType
		docs  []string
	}
	var groups []*group
	for _, pt := range p.Types {
		var own []string
		for _, d := range docs(pt) {
			if !slices.Contains(common, d) {
				own = append(own, d)
			}
		}
		i := slices.IndexFunc(groups, func(g *group) bool { return slices.Equal(g.docs, own) })
		if i < 0 {
			groups = append(groups, &group{docs: own})
			i = len(groups) - 1
		}
		groups[i].types = append(groups[i].types, pt)
	}
	var s strings.Builder
	s.WriteString(tx.InfoTitle)
	if len(common) > 0 {
		s.WriteString("\n\n" + tx.InfoAll)
		for _, d := range common {
			s.WriteString("\n- " + d)
		}
	}
	for _, g := range groups {
		s.WriteString("\n")
		for _, pt := range g.types {
			s.WriteString("\n*" + typeName(pt, lang) + "* " + rupiah(pt.Fee))
		}
		if len(g.docs) > 0 {
			s.WriteString("\n" + tx.InfoBring)
			for _, d := range g.docs {
				s.WriteString("\n- " + d)
			}
		}
	}
	s.WriteString("\n")
	if p.LostFee > 0 || p.DamagedFee > 0 {
		s.WriteString("\n" + fmt.Sprintf(tx.InfoExtra, rupiah(p.LostFee), rupiah(p.DamagedFee)))
	}
	notes := p.NotesID
	if lang == LangEN {
		notes = p.NotesEN
	}
	for _, n := range notes {
		s.WriteString("\n" + n)
	}
	s.WriteString("\n\n" + fmt.Sprintf(tx.InfoHours, b.serviceDays(lang), b.cfg.Hours().String()))
	if a := b.cfg.Office.Address; a != "" {
		s.WriteString("\n" + b.cfg.Office.Name + ", " + a)
	}
	s.WriteString("\n\n" + tx.InfoForm)
	return s.String()
}

// serviceDays writes the configured weekdays, as a range when they are consecutive: "Senin–Jumat".
func (b *Bot) serviceDays(lang Lang) string {
	names := daysID
	if lang == LangEN {
		names = daysEN
	}
	var on []int
	for wd := 1; wd <= 7; wd++ { // Monday first, as the office counts
		d := wd % 7
		if b.cfg.ServiceWeekday(time.Weekday(d)) {
			on = append(on, d)
		}
	}
	if len(on) == 0 {
		return ""
	}
	if len(on) > 2 && consecutive(on) {
		return names[on[0]] + "–" + names[on[len(on)-1]]
	}
	parts := make([]string, len(on))
	for i, d := range on {
		parts[i] = names[d]
	}
	return strings.Join(parts, ", ")
}

func consecutive(days []int) bool {
	for i := 1; i < len(days); i++ {
		if (days[i-1]+1)%7 != days[i] {
			return false
		}
	}
	return true
}

// rupiah writes an amount the Indonesian way: Rp950.000.
func rupiah(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return "Rp" + b.String()
}
