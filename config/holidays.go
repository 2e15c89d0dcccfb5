package config

// defaultHolidays returns the days the office is closed besides weekends: Indonesia's national
// holidays (libur nasional) and collective leave days (cuti bersama) of 2026 and 2027, as set by
// the joint decree (SKB) of the Minister of Religious Affairs, the Minister of Manpower and the
// Minister for Administrative Reform. It returns a new slice on every call.
//
// How sure these are:
//   - 2026: SKB Nomor 1497 Tahun 2025, Nomor 2 Tahun 2025, Nomor 5 Tahun 2025, signed
//     19 September 2025: 17 national holidays and 8 cuti bersama. The list agrees across the
//     Kemenko PMK announcement and the national press.
//   - 2027: the SKB signed 15 September 2026 (reported as Nomor 1205, 3 and 2 Tahun 2026): 18
//     national holidays (Isra Mikraj falls twice, in January and December) and 8 cuti bersama.
//     Taken from secondary sources (Kemnaker's announcement as quoted, and lists copied from the
//     decree's annex) that agree with each other; the decree's own text was not at hand.
//   - Islamic holidays (Isra Mikraj, Idulfitri, Iduladha, 1 Muharam, Maulid) are fixed in the SKB
//     from the calendar computation; the government may still move them after the sidang isbat
//     (moon sighting) and then amends the SKB. The 2027 Islamic dates agree with the astronomical
//     expectation (new moons of 8 March and 6 May 2027), but remain subject to that decision.
//     Nyepi follows the Balinese Saka calendar.
//
// Days falling on a weekend are listed too, so the list reads like the decree. Each September the
// next year's SKB is signed: add its dates here and to config.example.toml, or in config.toml.
func defaultHolidays() []string {
	return []string{
		// 2026: SKB 1497/2025, 2/2025, 5/2025.
		"2026-01-01", // Kamis: Tahun Baru 2026 Masehi
		"2026-01-16", // Jumat: Isra Mikraj Nabi Muhammad SAW
		"2026-02-16", // Senin: cuti bersama Tahun Baru Imlek 2577 Kongzili
		"2026-02-17", // Selasa: Tahun Baru Imlek 2577 Kongzili
		"2026-03-18", // Rabu: cuti bersama Hari Suci Nyepi (Tahun Baru Saka 1948)
		"2026-03-19", // Kamis: Hari Suci Nyepi (Tahun Baru Saka 1948)
		"2026-03-20", // Jumat: cuti bersama Idulfitri 1447 H
		"2026-03-21", // Sabtu: Idulfitri 1447 H
		"2026-03-22", // Minggu: Idulfitri 1447 H
		"2026-03-23", // Senin: cuti bersama Idulfitri 1447 H
		"2026-03-24", // Selasa: cuti bersama Idulfitri 1447 H
		"2026-04-03", // Jumat: Wafat Yesus Kristus
		"2026-04-05", // Minggu: Kebangkitan Yesus Kristus (Paskah)
		"2026-05-01", // Jumat: Hari Buruh Internasional
		"2026-05-14", // Kamis: Kenaikan Yesus Kristus
		"2026-05-15", // Jumat: cuti bersama Kenaikan Yesus Kristus
		"2026-05-27", // Rabu: Iduladha 1447 H
		"2026-05-28", // Kamis: cuti bersama Iduladha 1447 H
		"2026-05-31", // Minggu: Hari Raya Waisak 2570 BE
		"2026-06-01", // Senin: Hari Lahir Pancasila
		"2026-06-16", // Selasa: 1 Muharam, Tahun Baru Islam 1448 H
		"2026-08-17", // Senin: Proklamasi Kemerdekaan Republik Indonesia
		"2026-08-25", // Selasa: Maulid Nabi Muhammad SAW
		"2026-12-24", // Kamis: cuti bersama Hari Raya Natal
		"2026-12-25", // Jumat: Hari Raya Natal (Kelahiran Yesus Kristus)

		// 2027: SKB signed 15 September 2026 (see above).
		"2027-01-01", // Jumat: Tahun Baru 2027 Masehi
		"2027-01-05", // Selasa: Isra Mikraj Nabi Muhammad SAW (1448 H)
		"2027-02-05", // Jumat: cuti bersama Tahun Baru Imlek 2578 Kongzili
		"2027-02-06", // Sabtu: Tahun Baru Imlek 2578 Kongzili
		"2027-03-08", // Senin: Hari Suci Nyepi (Tahun Baru Saka 1949)
		"2027-03-09", // Selasa: cuti bersama Idulfitri 1448 H
		"2027-03-10", // Rabu: Idulfitri 1448 H
		"2027-03-11", // Kamis: Idulfitri 1448 H
		"2027-03-12", // Jumat: cuti bersama Idulfitri 1448 H
		"2027-03-15", // Senin: cuti bersama Idulfitri 1448 H
		"2027-03-25", // Kamis: cuti bersama Wafat Yesus Kristus
		"2027-03-26", // Jumat: Wafat Yesus Kristus
		"2027-03-28", // Minggu: Kebangkitan Yesus Kristus (Paskah)
		"2027-05-01", // Sabtu: Hari Buruh Internasional
		"2027-05-06", // Kamis: Kenaikan Yesus Kristus
		"2027-05-17", // Senin: Iduladha 1448 H
		"2027-05-18", // Selasa: cuti bersama Iduladha 1448 H
		"2027-05-19", // Rabu: cuti bersama Hari Raya Waisak 2571 BE
		"2027-05-20", // Kamis: Hari Raya Waisak 2571 BE
		"2027-06-01", // Selasa: Hari Lahir Pancasila
		"2027-06-06", // Minggu: 1 Muharam, Tahun Baru Islam 1449 H
		"2027-08-15", // Minggu: Maulid Nabi Muhammad SAW
		"2027-08-17", // Selasa: Proklamasi Kemerdekaan Republik Indonesia
		"2027-12-24", // Jumat: cuti bersama Hari Raya Natal
		"2027-12-25", // Sabtu: Hari Raya Natal (Kelahiran Yesus Kristus)
		"2027-12-26", // Minggu: Isra Mikraj Nabi Muhammad SAW (1449 H)
	}
}
