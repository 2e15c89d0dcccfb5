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
	NameTitle        string // %s the title as written
	NameComma        string
	NameDigit        string
	NameEmoji        string
	NameChars        string
	NameShort        string
	NameLong         string
	NameExample      string
	NameOwn          string // %s name, %s booking, %d bookings a number may hold
	NameEveryDate    string // %s name
	Greeting         string
	Salam            string
	Thanks           string
	Bye              string
	Ack              string
	DateNotOffered   string
	TypeNotOffered   string
	WindowNotOffered string
	AskType          string
	BadChoice        string // %d highest choice
	AskDate          string
	DateLine         string // %d choice, %s date, %d seats
	AskWindow        string // %s date
	WindowLine       string // %d choice, %s window, %d seats
	AllFull          string
	WaitlistJoined   string
	WaitlistDeclined string
	WaitlistSeat     string // date, window, minutes held
	Earliest         string // date, window, minutes held
	SeatLapsed       string
	MoveHint         string // how many moves a booking allows
	MoveWhich        string
	MoveUsed         string // number, date
	MoveToday        string // number
	MoveOff          string
	Moved            string // old number, old date
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
	LimitReached     string // %d bookings, %s their names, numbers and dates
	BookingLine      string // number, date, window, name
	NoBooking        string
	YourBookings     string
	CancelWhich      string
	CancelAsk        string // booking line
	Cancelled        string // number, date
	CancelKept       string
	Banned           string // %s date
	InfoTitle        string
	InfoAll          string
	InfoBring        string
	InfoExtra        string // lost fee, damaged fee
	InfoHours        string // days, hours
	InfoForm         string
	Switched         string
}

var textsID = texts{
	Menu: "*Layanan Antrian Paspor*\n%s\n\nBalas dengan angka:\n" +
		"1. Ambil nomor antrian\n2. Cek / ubah antrian saya\n3. Batalkan antrian\n4. Persyaratan dan biaya\n" +
		"5. English\n\nAtau sekaligus dalam satu pesan: ANTRI#Nama Lengkap#jenis#tanggal#jam\n" +
		"Contoh: ANTRI#Budi Santoso#1#besok#pagi",
	Welcome:          "Halo! Ambil nomor antrian paspor lewat WhatsApp, tanpa perlu antre sejak subuh.",
	Hint:             "Maaf, kami belum mengerti pesan Anda.",
	Stopped:          "Baik, pendaftaran dihentikan. Antrian yang sudah Anda ambil tetap berlaku.",
	Media:            "Maaf, kami hanya dapat membaca pesan teks. Silakan ketik jawaban Anda.",
	Flood:            "Mohon tunggu sebentar: pesan Anda datang terlalu cepat. Kirim lagi dalam beberapa detik, satu pesan saja.",
	Failure:          "Maaf, sedang ada gangguan. Silakan kirim pesan Anda lagi beberapa saat lagi.",
	Late:             "Maaf, balasan kami terlambat: layanan sempat terputus.",
	AskName:          "Ketik *nama lengkap* Anda sesuai KTP.\n(Ketik *batal* untuk berhenti. Lain kali bisa sekaligus: ANTRI#Budi Santoso#1#besok#pagi)",
	NameTitle:        "Tulis nama tanpa gelar: %s adalah gelar.",
	NameComma:        "Tulis nama tanpa koma (,) dan tanpa gelar.",
	NameDigit:        "Nama tidak boleh berisi angka.",
	NameEmoji:        "Nama tidak boleh berisi emoji atau simbol.",
	NameChars:        "Nama hanya boleh berisi huruf, spasi, titik (.), petik (') dan tanda hubung (-).",
	NameShort:        "Nama terlalu pendek: tulis nama lengkap, paling sedikit 3 huruf.",
	NameLong:         "Nama terlalu panjang: paling banyak 60 huruf.",
	NameExample:      "Contoh: BUDI SANTOSO (sesuai KTP, tanpa gelar)",
	NameOwn:          "%s sudah memiliki antrian dari nomor ini (%s). Satu nomor WhatsApp dapat mendaftarkan sampai %d orang, masing-masing dengan namanya sendiri. Ketik *2* untuk melihat antrian Anda.",
	NameEveryDate:    "%s sudah memiliki antrian pada setiap tanggal yang bisa dipesan. Ketik *2* untuk melihat antrian Anda.",
	Greeting:         "Halo! 👋",
	Salam:            "Waalaikumsalam.",
	Thanks:           "Sama-sama, semoga lancar! 🙏",
	Bye:              "Sampai jumpa, semoga lancar! 🙏",
	Ack:              "Baik 👍 Ketik *menu* bila perlu bantuan lagi.",
	DateNotOffered:   "Maaf, tanggal itu tidak ada di daftar (penuh, libur, atau di luar jadwal).",
	TypeNotOffered:   "Maaf, jenis paspor itu tidak kami kenali.",
	WindowNotOffered: "Maaf, jam itu tidak ada di daftar (penuh atau di luar jam layanan).",
	AskType:          "Pilih jenis paspor (balas dengan angka):",
	BadChoice:        "Balas dengan salah satu angka pada daftar (1–%d).",
	AskDate:          "Pilih tanggal kedatangan (balas dengan angka):",
	DateLine:         "%d. %s — sisa %d kursi",
	AskWindow:        "Pilih jam kedatangan pada %s (balas dengan angka):",
	WindowLine:       "%d. %s — sisa %d kursi",
	AllFull:          "Maaf, semua tanggal yang bisa dipesan sudah penuh. Mau masuk daftar tunggu? Kami kabari bila ada kursi kosong.\nBalas *ya* atau *tidak*.",
	WaitlistJoined:   "Anda masuk daftar tunggu. Kami kirim pesan bila ada kursi kosong.",
	WaitlistDeclined: "Baik. Silakan coba lagi besok: setiap hari kerja dibuka satu tanggal baru.",
	WaitlistSeat: "Kabar baik: ada kursi kosong pada *%s, %s*. Kursi ini kami simpan untuk Anda selama %d menit.\n" +
		"Ketik *nama lengkap* Anda sesuai KTP untuk mengambilnya (atau *batal*).",
	Earliest: "Jadwal tercepat: *%s, %s* (kami simpan untuk Anda %d menit).\n" +
		"Balas *ya* untuk mengambil nomor ini, atau pilih tanggal lain:",
	SeatLapsed:  "Maaf, kursi yang kami simpan sudah lewat waktunya dan diambil pemohon lain.",
	MoveHint:    "Ingin mengganti tanggal atau jam? Ketik *ubah jadwal* (%d kali untuk setiap antrian).",
	MoveWhich:   "Antrian mana yang ingin diubah jadwalnya? Balas dengan angka:",
	MoveUsed:    "Jadwal antrian %s (%s) sudah pernah diubah dan tidak bisa diubah lagi. Bila perlu, batalkan lalu ambil nomor baru.",
	MoveToday:   "Antrian %s untuk hari ini tidak bisa diubah lagi. Bila tidak bisa datang, ketik *batal*.",
	MoveOff:     "Jadwal antrian tidak bisa diubah. Bila perlu, batalkan lalu ambil nomor baru.",
	Moved:       "Jadwal diubah: antrian lama %s pada %s sudah dibatalkan.",
	Summary:     "Periksa data Anda:\nNama: %s\nJenis paspor: %s\nTanggal: %s\nJam datang: %s",
	YesOrCancel: "Balas *ya* untuk mengambil nomor antrian, atau *batal* untuk berhenti.",
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
	LimitReached: "Nomor ini sudah memiliki %d antrian aktif: %s. Ketik *2* untuk melihatnya atau *3* untuk membatalkan salah satunya.",
	BookingLine:  "*%s* — %s, %s\nNama: %s",
	NoBooking:    "Anda belum memiliki antrian aktif. Ketik *1* untuk mengambil nomor antrian.",
	YourBookings: "Antrian Anda:",
	CancelWhich:  "Antrian mana yang dibatalkan? Balas dengan angka:",
	CancelAsk:    "Batalkan antrian ini?\n%s\n\nBalas *ya* untuk membatalkan atau *tidak*.",
	Cancelled:    "Antrian *%s* pada %s telah dibatalkan. Terima kasih sudah memberi tahu.",
	CancelKept:   "Baik, antrian Anda tetap berlaku.",
	Banned:       "Maaf, nomor ini tidak dapat mengambil antrian sampai %s karena beberapa kali tidak hadir tanpa membatalkan.",
	InfoTitle:    "*Persyaratan dan biaya*",
	InfoAll:      "Semua pemohon membawa:",
	InfoBring:    "Bawa dokumen asli:",
	InfoExtra:    "Tambahan biaya: paspor hilang %s, rusak %s.",
	InfoHours:    "Buka %s, %s WIB, kecuali libur nasional dan cuti bersama.",
	InfoForm:     "Daftar sekaligus: ANTRI#Nama Lengkap#jenis#tanggal#jam",
	Switched:     "Bahasa diganti ke Bahasa Indonesia.",
}

var textsEN = texts{
	Menu: "*Passport Queue Service*\n%s\n\nReply with a number:\n" +
		"1. Take a queue number\n2. Check or change my queue number\n3. Cancel my queue number\n" +
		"4. Requirements and fees\n5. Bahasa Indonesia\n\nOr all in one message: ANTRI#Full Name#type#date#time\n" +
		"Example: ANTRI#Budi Santoso#1#tomorrow#morning",
	Welcome:          "Hello! Take a passport queue number by WhatsApp, no need to queue at dawn.",
	Hint:             "Sorry, we did not understand your message.",
	Stopped:          "All right, stopped. Any queue number you already have still stands.",
	Media:            "Sorry, we can only read text messages. Please type your answer.",
	Flood:            "Please wait a moment: your messages come too fast. Send again in a few seconds, one message only.",
	Failure:          "Sorry, something went wrong on our side. Please send your message again in a moment.",
	Late:             "Sorry for the late answer: our service was interrupted.",
	AskName:          "Type your *full name* as on your identity card (KTP).\n(Type *cancel* to stop. Next time, all at once: ANTRI#Budi Santoso#1#tomorrow#morning)",
	NameTitle:        "Write the name without titles: %s is a title.",
	NameComma:        "Write the name without commas (,) and without titles.",
	NameDigit:        "A name cannot contain digits.",
	NameEmoji:        "A name cannot contain emoji or symbols.",
	NameChars:        "A name may contain letters, spaces, dots (.), apostrophes (') and hyphens (-) only.",
	NameShort:        "The name is too short: write the full name, at least 3 letters.",
	NameLong:         "The name is too long: at most 60 characters.",
	NameExample:      "Example: BUDI SANTOSO (as on the KTP, without titles)",
	NameOwn:          "%s already holds a queue number from this phone (%s). One WhatsApp number can book for up to %d people, each under their own name. Type *2* to see your queue numbers.",
	NameEveryDate:    "%s already holds a queue number on every date that can be booked. Type *2* to see your queue numbers.",
	Greeting:         "Hello! 👋",
	Salam:            "Wa alaikum salam.",
	Thanks:           "You're welcome, all the best! 🙏",
	Bye:              "Goodbye, all the best! 🙏",
	Ack:              "All right 👍 Type *menu* whenever you need us again.",
	DateNotOffered:   "Sorry, that date is not on the list (full, a holiday, or beyond the dates that can be booked).",
	TypeNotOffered:   "Sorry, we do not know that passport type.",
	WindowNotOffered: "Sorry, that time is not on the list (full or outside service hours).",
	AskType:          "Choose the passport type (reply with a number):",
	BadChoice:        "Reply with one of the numbers on the list (1–%d).",
	AskDate:          "Choose the date to come (reply with a number):",
	DateLine:         "%d. %s — %d seats left",
	AskWindow:        "Choose the arrival time on %s (reply with a number):",
	WindowLine:       "%d. %s — %d seats left",
	AllFull:          "Sorry, every date that can be booked is full. Would you like to join the waiting list? We will message you when a seat frees up.\nReply *yes* or *no*.",
	WaitlistJoined:   "You are on the waiting list. We will message you when a seat frees up.",
	WaitlistDeclined: "All right. Please try again tomorrow: every working day a new date opens.",
	WaitlistSeat: "Good news: a seat is free on *%s, %s*. We keep it for you for %d minutes.\n" +
		"Type your *full name* as on your identity card (KTP) to take it (or *cancel*).",
	Earliest: "Earliest time: *%s, %s* (kept for you for %d minutes).\n" +
		"Reply *yes* to take this number, or choose another date:",
	SeatLapsed:  "Sorry, the seat we kept for you ran out of time and was taken by another applicant.",
	MoveHint:    "Want another date or time? Type *reschedule* (%d time(s) per queue number).",
	MoveWhich:   "Which queue number do you want to move? Reply with a number:",
	MoveUsed:    "Queue number %s (%s) was moved once already and cannot be moved again. If needed, cancel it and take a new number.",
	MoveToday:   "Queue number %s is for today and can no longer be moved. If you cannot come, type *cancel*.",
	MoveOff:     "Queue numbers cannot be moved. If needed, cancel yours and take a new number.",
	Moved:       "Rescheduled: the old queue number %s on %s is cancelled.",
	Summary:     "Please check your details:\nName: %s\nPassport type: %s\nDate: %s\nArrival time: %s",
	YesOrCancel: "Reply *yes* to take the queue number, or *cancel* to stop.",
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
	LimitReached: "This number already holds %d active queue numbers: %s. Type *2* to see them or *3* to cancel one.",
	BookingLine:  "*%s* — %s, %s\nName: %s",
	NoBooking:    "You have no active queue number. Type *1* to take one.",
	YourBookings: "Your queue numbers:",
	CancelWhich:  "Which queue number do you want to cancel? Reply with a number:",
	CancelAsk:    "Cancel this queue number?\n%s\n\nReply *yes* to cancel or *no*.",
	Cancelled:    "Queue number *%s* on %s is cancelled. Thank you for letting us know.",
	CancelKept:   "All right, your queue number still stands.",
	Banned:       "Sorry, this number cannot take a queue number until %s because of repeated no-shows without cancelling.",
	InfoTitle:    "*Requirements and fees*",
	InfoAll:      "Every applicant brings:",
	InfoBring:    "Bring originals:",
	InfoExtra:    "Extra: lost passport %s, damaged %s.",
	InfoHours:    "Open %s, %s WIB, except holidays.",
	InfoForm:     "One message: ANTRI#Name#type#date#time",
	Switched:     "Language switched to English.",
}

func textsFor(l Lang) *texts {
	if l == LangEN {
		return &textsEN
	}
	return &textsID
}
