package bot

import (
	"fmt"
	"strings"
)

// staffPhoneArg reads a phone number as people write it: "+62 812-3456-7890" or "0812 3456 7890"
// (an Indonesian number with its leading 0) become 6281234567890.
func staffPhoneArg(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '+', '(', ')', '.':
			return -1
		}
		return r
	}, s)
	if rest, ok := strings.CutPrefix(s, "0"); ok {
		s = "62" + rest
	}
	if len(s) < 8 || len(s) > 15 {
		return "", false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return s, true
}

// cmdStaff lists, adds and removes staff. Those added here are members; admins, who may add
// others, are only ever set in the configuration.
func cmdStaff(s *staffTurn, args string) error {
	sub, rest, _ := strings.Cut(args, " ")
	sub = strings.ToLower(sub)
	if sub == "" || sub == "list" || sub == "daftar" {
		return listStaff(s)
	}
	add := sub == "add" || sub == "tambah"
	if !add && sub != "remove" && sub != "hapus" {
		s.fix("Pilih add atau remove, lalu nomor HP.")
		return nil
	}
	phone, ok := staffPhoneArg(rest)
	if !ok {
		s.fix("Nomor HP %q tidak dikenal: tulis dengan kode negara, 8–15 angka.", clip(strings.TrimSpace(rest), 20))
		return nil
	}
	cfg := s.b.cfg
	if cfg.IsStaff(phone) {
		if add {
			s.say("%s sudah petugas (di konfigurasi).", phone)
		} else {
			s.say("%s ada di konfigurasi (staff di config.toml); hapus di sana.", phone)
		}
		return nil
	}
	var changed bool
	var err error
	if add {
		changed, err = s.tx.AddStaff(StaffMember{Phone: phone, AddedBy: s.phone, AddedAt: s.now})
	} else {
		changed, err = s.tx.RemoveStaff(phone)
	}
	if err != nil {
		return err
	}
	switch {
	case !changed && add:
		s.say("%s sudah petugas.", phone)
		return nil
	case !changed:
		s.say("%s bukan petugas.", phone)
		return nil
	}
	if err := s.audit("", 0, sub+" "+phone); err != nil {
		return err
	}
	if add {
		s.say("👤 %s sekarang petugas (anggota). Ia bisa mengetik /help dari nomor itu.", phone)
	} else {
		s.say("👤 %s bukan petugas lagi.", phone)
	}
	return nil
}

func listStaff(s *staffTurn) error {
	members, err := s.tx.StaffMembers()
	if err != nil {
		return err
	}
	cfg := s.b.cfg.Staff
	lines := []string{"Admin (konfigurasi): " + orNone(cfg.Admins), "Anggota (konfigurasi): " + orNone(cfg.Members)}
	if len(members) == 0 {
		lines = append(lines, "Ditambahkan lewat chat: -")
	} else {
		lines = append(lines, "Ditambahkan lewat chat:")
	}
	for _, m := range members {
		lines = append(lines, fmt.Sprintf("%s (oleh %s, %s)", m.Phone, lastDigits(m.AddedBy),
			s.refDate(dateOf(m.AddedAt, s.b.loc))))
	}
	s.sayList("*Petugas*", lines)
	return nil
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "-"
	}
	return strings.Join(list, ", ")
}
