package bot

// notices holds what an applicant receives because of a staff command, in one language. Staff
// replies themselves are Indonesian only and live beside their commands.
type notices struct {
	Called     string // %s number, %s counter
	Recalled   string // %s number, %s counter
	NearNext   string // %s number
	Near       string // %s number, %d bookings before theirs
	Cancelled  string // %s number, %s date, %s reason
	DayClosed  string // %s date, %s reason, %s numbers
	DayOpened  string // %s date, %s number, %s window
	Broadcast  string // %s office, %s date, %s the staff's text
	Paid       string // %s number, %s pickup date
	NumbersAnd string // joins the last two numbers of a list: "007 dan 008"
}

var noticesID = notices{
	Called:    "🔔 *Nomor antrian %s dipanggil.*\nSilakan menuju *loket %s* sekarang.",
	Recalled:  "🔔 *Panggilan ulang: nomor antrian %s.*\nSilakan menuju *loket %s* sekarang.",
	NearNext:  "⏳ Nomor antrian *%s*: Anda berikutnya. Mohon sudah berada di ruang tunggu.",
	Near:      "⏳ Nomor antrian *%s*: giliran Anda sebentar lagi, %d antrian lagi. Mohon sudah berada di ruang tunggu.",
	Cancelled: "Mohon maaf, antrian *%s* pada %s dibatalkan oleh petugas.\nAlasan: %s\n\nKetik *menu* untuk mengambil nomor antrian baru.",
	DayClosed: "Mohon maaf, layanan paspor pada %s *ditutup*.\nAlasan: %s\n\nAntrian Anda (%s) dibatalkan.",
	DayOpened: "Kabar baik: layanan paspor pada %s *dibuka kembali*. Antrian Anda *%s* (jam %s) berlaku lagi. " +
		"Abaikan pesan kami sebelumnya tentang penutupan.",
	Broadcast: "📢 *Pengumuman — %s*\nUntuk antrian Anda pada %s:\n\n%s",
	Paid: "💰 Pembayaran untuk antrian *%s* sudah kami terima. Paspor Anda dapat diambil mulai *%s*; " +
		"kami kirim pesan lagi pada hari itu. Bawa bukti pembayaran saat mengambil.",
	NumbersAnd: " dan ",
}

var noticesEN = notices{
	Called:    "🔔 *Queue number %s is called.*\nPlease go to *counter %s* now.",
	Recalled:  "🔔 *Second call: queue number %s.*\nPlease go to *counter %s* now.",
	NearNext:  "⏳ Queue number *%s*: you are next. Please be in the waiting room.",
	Near:      "⏳ Queue number *%s*: your turn is near, %d more before you. Please be in the waiting room.",
	Cancelled: "We are sorry: queue number *%s* on %s was cancelled by the office.\nReason: %s\n\nType *menu* to take a new queue number.",
	DayClosed: "We are sorry: passport service on %s is *closed*.\nReason: %s\n\nYour queue number (%s) is cancelled.",
	DayOpened: "Good news: passport service on %s is *open again*. Your queue number *%s* (arrival %s) stands again. " +
		"Please ignore our earlier message about the closure.",
	Broadcast: "📢 *Announcement — %s*\nFor your queue number on %s:\n\n%s",
	Paid: "💰 We have received the payment for queue number *%s*. Your passport can be collected from *%s*; " +
		"we will message you again on that day. Bring the payment receipt when you collect it.",
	NumbersAnd: " and ",
}

func noticesFor(l Lang) *notices {
	if l == LangEN {
		return &noticesEN
	}
	return &noticesID
}
