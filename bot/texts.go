package bot

// texts holds every sentence an applicant can receive, in one language. Format verbs are filled
// by the conversation; keeping both languages side by side keeps them in step.
type texts struct {
	Menu             string // %s office name
	Welcome          string
	Hint             string
	Stopped          string
	Media            string
	Flood            string
	Failure          string
	Late             string
	AskName          string
	BadName          string
	AskType          string
	BadChoice        string // %d highest choice
	AskDate          string
	DateLine         string // %d choice, %s date, %d seats
	AskWindow        string // %s date
	WindowLine       string // %d choice, %s window, %d seats
	AllFull          string
	WaitlistJoined   string
	WaitlistDeclined string
	WaitlistSeat     string
	Summary          string // name, type, date, window
	YesOrCancel      string
	Confirmed        string // number, name, type, date, window
	Documents        string
	Fee              string // %s fee
	HowToCancel      string
	AtTheOffice      string // check-in and priority, one line each
	SeatTaken        string // %s window
	DateTaken        string // %s date
	DateGone         string // %s date
	NameTaken        string // %s name, %s date
	LimitReached     string // %d limit
	BookingLine      string // number, date, window, name
	NoBooking        string
	YourBookings     string
	CancelWhich      string
	CancelAsk        string // booking line
	Cancelled        string // number, date
	CancelKept       string
	Banned           string // %s date
	InfoTitle        string
	InfoExtra        string // lost fee, damaged fee
	InfoHours        string // days, hours
	Switched         string
}

var textsID = texts{
	Menu: "*Layanan Antrian Paspor*\n%s\n\nBalas dengan angka:\n" +
		"1. Ambil nomor antrian\n2. Cek antrian saya\n3. Batalkan antrian\n4. Persyaratan dan biaya\n" +
		"5. English",
	Welcome:          "Halo! Ambil nomor antrian paspor lewat WhatsApp, tanpa perlu antre sejak subuh.",
	Hint:             "Maaf, kami belum mengerti pesan Anda.",
	Stopped:          "Baik, pendaftaran dihentikan. Antrian yang sudah Anda ambil tetap berlaku.",
	Media:            "Maaf, kami hanya dapat membaca pesan teks. Silakan ketik jawaban Anda.",
	Flood:            "Mohon tunggu sebentar: pesan Anda datang terlalu cepat. Kirim lagi dalam beberapa detik, satu pesan saja.",
	Failure:          "Maaf, sedang ada gangguan. Silakan kirim pesan Anda lagi beberapa saat lagi.",
	Late:             "Maaf, balasan kami terlambat: layanan sempat terputus.",
	AskName:          "Ketik *nama lengkap* Anda sesuai KTP.\n(Ketik *batal* untuk berhenti.)",
	BadName:          "Nama hanya boleh berisi huruf, spasi, titik (.), petik (') dan tanda hubung (-), panjang 3–60 huruf. Contoh: BUDI SANTOSO",
	AskType:          "Pilih jenis paspor (balas dengan angka):",
	BadChoice:        "Balas dengan salah satu angka pada daftar (1–%d).",
	AskDate:          "Pilih tanggal kedatangan (balas dengan angka):",
	DateLine:         "%d. %s — sisa %d kursi",
	AskWindow:        "Pilih jam kedatangan pada %s (balas dengan angka):",
	WindowLine:       "%d. %s — sisa %d kursi",
	AllFull:          "Maaf, semua tanggal yang bisa dipesan sudah penuh. Mau masuk daftar tunggu? Kami kabari bila ada kursi kosong.\nBalas *ya* atau *tidak*.",
	WaitlistJoined:   "Anda masuk daftar tunggu. Kami kirim pesan bila ada kursi kosong.",
	WaitlistDeclined: "Baik. Silakan coba lagi besok: setiap hari kerja dibuka satu tanggal baru.",
	WaitlistSeat:     "Kabar baik: ada kursi antrian yang kosong. Balas *1* untuk mengambil nomor antrian (siapa cepat dia dapat).",
	Summary:          "Periksa data Anda:\nNama: %s\nJenis paspor: %s\nTanggal: %s\nJam datang: %s",
	YesOrCancel:      "Balas *ya* untuk mengambil nomor antrian, atau *batal* untuk berhenti.",
	Confirmed: "✅ *Nomor antrian Anda: %s*\nNama: %s\nJenis paspor: %s\nTanggal: %s\nJam datang: %s\n\n" +
		"Datanglah pada jam tersebut dan tunjukkan pesan ini kepada petugas.",
	Documents:    "Bawa dokumen asli:",
	Fee:          "Biaya: %s, dibayar di loket setelah wawancara.",
	HowToCancel:  "Tidak jadi datang? Ketik *batal* agar kursi Anda bisa dipakai orang lain.",
	AtTheOffice:  "Sudah tiba di kantor? Ketik *hadir*.\nLansia 60+, penyandang disabilitas, ibu hamil atau membawa bayi: ketik *prioritas* dan alasannya, atau beri tahu petugas.",
	SeatTaken:    "Maaf, kursi pada jam %s baru saja habis diambil pemohon lain. Silakan pilih jam lain.",
	DateTaken:    "Maaf, tanggal %s baru saja penuh. Silakan pilih tanggal lain.",
	DateGone:     "Maaf, %s sudah tidak bisa dipilih lagi. Silakan pilih tanggal lain.",
	NameTaken:    "Nama %s sudah memiliki antrian pada %s. Silakan pilih tanggal lain.",
	LimitReached: "Nomor WhatsApp ini sudah memiliki antrian aktif (paling banyak %d). Ketik *2* untuk melihatnya atau *3* untuk membatalkannya.",
	BookingLine:  "*%s* — %s, %s\nNama: %s",
	NoBooking:    "Anda belum memiliki antrian aktif. Ketik *1* untuk mengambil nomor antrian.",
	YourBookings: "Antrian Anda:",
	CancelWhich:  "Antrian mana yang dibatalkan? Balas dengan angka:",
	CancelAsk:    "Batalkan antrian ini?\n%s\n\nBalas *ya* untuk membatalkan atau *tidak*.",
	Cancelled:    "Antrian *%s* pada %s telah dibatalkan. Terima kasih sudah memberi tahu.",
	CancelKept:   "Baik, antrian Anda tetap berlaku.",
	Banned:       "Maaf, nomor ini tidak dapat mengambil antrian sampai %s karena beberapa kali tidak hadir tanpa membatalkan.",
	InfoTitle:    "*Persyaratan dan biaya*",
	InfoExtra:    "Tambahan biaya: paspor hilang %s, paspor rusak %s.",
	InfoHours:    "Layanan: %s, %s WIB, kecuali hari libur nasional dan cuti bersama.",
	Switched:     "Bahasa diganti ke Bahasa Indonesia.",
}

var textsEN = texts{
	Menu: "*Passport Queue Service*\n%s\n\nReply with a number:\n" +
		"1. Take a queue number\n2. Check my queue number\n3. Cancel my queue number\n" +
		"4. Requirements and fees\n5. Bahasa Indonesia",
	Welcome:          "Hello! Take a passport queue number by WhatsApp, no need to queue at dawn.",
	Hint:             "Sorry, we did not understand your message.",
	Stopped:          "All right, stopped. Any queue number you already have still stands.",
	Media:            "Sorry, we can only read text messages. Please type your answer.",
	Flood:            "Please wait a moment: your messages come too fast. Send again in a few seconds, one message only.",
	Failure:          "Sorry, something went wrong on our side. Please send your message again in a moment.",
	Late:             "Sorry for the late answer: our service was interrupted.",
	AskName:          "Type your *full name* as on your identity card (KTP).\n(Type *cancel* to stop.)",
	BadName:          "A name may contain letters, spaces, dots (.), apostrophes (') and hyphens (-), 3–60 characters. Example: BUDI SANTOSO",
	AskType:          "Choose the passport type (reply with a number):",
	BadChoice:        "Reply with one of the numbers on the list (1–%d).",
	AskDate:          "Choose the date to come (reply with a number):",
	DateLine:         "%d. %s — %d seats left",
	AskWindow:        "Choose the arrival time on %s (reply with a number):",
	WindowLine:       "%d. %s — %d seats left",
	AllFull:          "Sorry, every date that can be booked is full. Would you like to join the waiting list? We will message you when a seat frees up.\nReply *yes* or *no*.",
	WaitlistJoined:   "You are on the waiting list. We will message you when a seat frees up.",
	WaitlistDeclined: "All right. Please try again tomorrow: every working day a new date opens.",
	WaitlistSeat:     "Good news: a queue seat has freed up. Reply *1* to take a queue number (first come, first served).",
	Summary:          "Please check your details:\nName: %s\nPassport type: %s\nDate: %s\nArrival time: %s",
	YesOrCancel:      "Reply *yes* to take the queue number, or *cancel* to stop.",
	Confirmed: "✅ *Your queue number: %s*\nName: %s\nPassport type: %s\nDate: %s\nArrival time: %s\n\n" +
		"Please come within that time and show this message to the officer.",
	Documents:    "Bring the original documents:",
	Fee:          "Fee: %s, paid at the counter after the interview.",
	HowToCancel:  "Can't come? Type *cancel* so that someone else can use your seat.",
	AtTheOffice:  "At the office? Type *arrived*.\nElderly 60+, people with disabilities, pregnant or with an infant: type *priority* and the reason, or tell the officer.",
	SeatTaken:    "Sorry, the seats at %s were just taken by other applicants. Please choose another time.",
	DateTaken:    "Sorry, %s has just filled up. Please choose another date.",
	DateGone:     "Sorry, %s can no longer be chosen. Please choose another date.",
	NameTaken:    "The name %s already holds a queue number on %s. Please choose another date.",
	LimitReached: "This WhatsApp number already holds an active queue number (at most %d). Type *2* to see it or *3* to cancel it.",
	BookingLine:  "*%s* — %s, %s\nName: %s",
	NoBooking:    "You have no active queue number. Type *1* to take one.",
	YourBookings: "Your queue numbers:",
	CancelWhich:  "Which queue number do you want to cancel? Reply with a number:",
	CancelAsk:    "Cancel this queue number?\n%s\n\nReply *yes* to cancel or *no*.",
	Cancelled:    "Queue number *%s* on %s is cancelled. Thank you for letting us know.",
	CancelKept:   "All right, your queue number still stands.",
	Banned:       "Sorry, this number cannot take a queue number until %s because of repeated no-shows without cancelling.",
	InfoTitle:    "*Requirements and fees*",
	InfoExtra:    "Extra fee: lost passport %s, damaged passport %s.",
	InfoHours:    "Service: %s, %s (Western Indonesia Time), except national holidays and collective leave days.",
	Switched:     "Language switched to English.",
}

func textsFor(l Lang) *texts {
	if l == LangEN {
		return &textsEN
	}
	return &textsID
}
