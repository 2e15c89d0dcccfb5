package config

import "time"

// Default returns a new Config holding every default: the office's facts from the product
// description and the fees of PP 45/2024. It is not validated yet; Load and Parse validate it
// after reading a file over it. Each call returns fresh values that the caller may change.
func Default() *Config {
	return &Config{
		Office: Office{
			Name:    "Kantor Imigrasi Kelas II TPI Belakang Padang",
			Address: "Belakang Padang, Kota Batam, Kepulauan Riau",
			Phone:   "",
		},
		Service: Service{
			TimeZone: "Asia/Jakarta",
			Days:     []string{"mon", "tue", "wed", "thu", "fri"},
			Open:     "07:30",
			Close:    "16:00",
			Holidays: defaultHolidays(),
		},
		Queue: Queue{
			DailyQuota: 50,
			Windows: []Window{
				{Start: "07:30", End: "09:00"},
				{Start: "09:00", End: "10:30"},
				{Start: "10:30", End: "12:00"},
				{Start: "13:00", End: "14:30"},
				{Start: "14:30", End: "16:00"},
			},
			DaysAhead:    10,
			DatesOffered: 6,
			HoldFor:      Duration{10 * time.Minute},
		},
		Passport: Passport{
			Types: []PassportType{
				{
					Code: "EP10", NameID: "e-paspor 10 tahun", NameEN: "e-passport, 10 years",
					Fee: 950000, DocumentsID: adultDocumentsID(), DocumentsEN: adultDocumentsEN(),
				},
				{
					Code: "EP5", NameID: "e-paspor 5 tahun (anak)", NameEN: "e-passport, 5 years (children)",
					Fee: 650000, DocumentsID: childDocumentsID(), DocumentsEN: childDocumentsEN(),
				},
				{
					Code: "PB10", NameID: "paspor biasa 10 tahun", NameEN: "ordinary passport, 10 years",
					Fee: 650000, DocumentsID: adultDocumentsID(), DocumentsEN: adultDocumentsEN(),
				},
				{
					Code: "PB5", NameID: "paspor biasa 5 tahun (anak)", NameEN: "ordinary passport, 5 years (children)",
					Fee: 350000, DocumentsID: childDocumentsID(), DocumentsEN: childDocumentsEN(),
				},
			},
			LostFee:     1000000,
			DamagedFee:  500000,
			PickupAfter: 3,
			NotesID: []string{
				"Paspor hilang: bawa surat keterangan hilang dari kepolisian; ada wawancara (BAP).",
				"Biaya dibayar di loket setelah wawancara.",
			},
			NotesEN: []string{
				"Lost passport: a police loss report, and an interview (BAP).",
				"Pay at the counter after the interview.",
			},
		},
		FairUse: FairUse{
			BookingsPerPhone: 3,
			FloodMessages:    8,
			FloodWindow:      Duration{10 * time.Second},
			NoShowLimit:      2,
			NoShowPeriod:     Duration{720 * time.Hour},
			NoShowBan:        Duration{336 * time.Hour},
			MaxMessageBytes:  2000,
			Reschedules:      1,
		},
		Staff: Staff{
			Admins:  []string{},
			Members: []string{},
		},
		Database: Database{
			Path:        "law.db",
			SessionPath: "",
		},
		// About one message a second on average (700 ms + up to 600 ms), never more than 60 in a
		// minute: bursts from an unofficial linked device are what WhatsApp's spam detection bans.
		Sending: Sending{
			GlobalInterval: Duration{700 * time.Millisecond},
			ChatInterval:   Duration{time.Second},
			BulkInterval:   Duration{5 * time.Second},
			Jitter:         Duration{600 * time.Millisecond},
			MaxAttempts:    8,
			MaxPerMinute:   60,
		},
		Jobs: Jobs{
			Rollover:          "5 0 * * *",
			EveningReminder:   "0 18 * * *",
			MorningReminder:   "",
			PickupCheck:       "0 8 * * *",
			Retention:         "30 1 * * *",
			RetentionDays:     90,
			PickupRemindAfter: 5,
			NearPlaces:        3,
		},
		WhatsApp: WhatsApp{DeviceName: "LAW Antrian"},
		Log:      Log{Level: "info"},
		// After retention (01:30), so that a copy holds nothing the retention has erased.
		Backup: Backup{Dir: "", Keep: 7, Schedule: "45 1 * * *"},
		Board:  Board{Counters: []string{}}, // off
	}
}

// Documents to bring, originals. Functions rather than shared slices, so that no two passport
// types share a backing array that a caller could change for both.

func adultDocumentsID() []string {
	return []string{
		"e-KTP",
		"Kartu Keluarga (KK)",
		"Salah satu: akta kelahiran, buku nikah, atau ijazah",
		"Paspor lama (untuk penggantian)",
	}
}

func adultDocumentsEN() []string {
	return []string{
		"Identity card (e-KTP)",
		"Family card (Kartu Keluarga)",
		"One of: birth certificate, marriage book or diploma (ijazah)",
		"Old passport, if renewing",
	}
}

func childDocumentsID() []string {
	return []string{
		"Kartu Keluarga (KK) anak",
		"Akta kelahiran anak",
		"KTP ayah dan ibu",
		"Paspor ayah dan ibu",
		"Buku nikah orang tua",
		"Ayah dan ibu wajib datang",
	}
}

func childDocumentsEN() []string {
	return []string{
		"Child's family card (Kartu Keluarga)",
		"Child's birth certificate",
		"Both parents' identity cards (KTP)",
		"Both parents' passports",
		"The parents' marriage book",
		"Both parents must come",
	}
}
