package bot

import "time"

// The words applicants write, per meaning. This file is the vocabulary; understand.go holds the
// readers that use it. Every entry is lower case; a word written with repeated letters ("yaaa",
// "okee", "makasihhh") is found too, and a word of five letters or more with one typo.

// intent is what a free-text answer means.
type intent int

const (
	intentNone intent = iota
	intentMenu
	intentBook
	intentCheck
	intentCancel
	intentInfo
	intentLanguage
	intentYes
	intentNo
	intentThanks     // thanks and goodbyes: a short friendly reply
	intentGreeting   // greeted back; the open question comes again
	intentReschedule // move a booking to another date or time
)

// intentNames name the intents in the corpus test (testdata/phrases.tsv).
var intentNames = map[intent]string{
	intentNone: "none", intentMenu: "menu", intentBook: "book", intentCheck: "check",
	intentCancel: "cancel", intentInfo: "info", intentLanguage: "language", intentYes: "yes",
	intentNo: "no", intentThanks: "thanks", intentGreeting: "greeting", intentReschedule: "reschedule",
}

// intentWords are the words and phrases of each intent. A message means an intent when, fillers
// aside, it is made of that intent's phrases (greetings, thanks and a polite "ya" may stand
// beside another intent: "halo, mau batal" cancels).
var intentWords = map[intent][]string{
	intentMenu: {"menu", "menu utama", "main menu", "kembali ke menu", "ke menu", "mulai", "mulai lagi",
		"start", "home", "bantuan", "help", "info menu", "lihat menu"},
	intentBook: {"ambil", "ambil nomor", "ambil antrian", "ambil antrean", "ambil nomor antrian",
		"ambil no antrian", "antri", "antre", "antrian", "antrean", "antri paspor", "antrian paspor",
		"daftar", "daftar antrian", "daftar paspor", "pendaftaran", "booking", "book", "pesan",
		"pesan antrian", "buat paspor", "bikin paspor", "urus paspor", "nomor antrian", "no antrian",
		"take", "take a number", "take a queue number", "queue", "queue number", "register",
		"book a slot", "make a booking", "appointment"},
	intentCheck: {"cek", "cek antrian", "cek antrean", "cek antrian saya", "cek nomor", "cek jadwal",
		"check", "check my queue number", "check my number", "status", "lihat", "lihat antrian",
		"nomor saya", "antrian saya", "my number", "my booking", "my queue number"},
	intentReschedule: {"ubah", "ubah jadwal", "ganti jadwal", "pindah jadwal", "ubah tanggal", "ganti tanggal",
		"pindah tanggal", "ubah jam", "ganti jam", "ganti hari", "ubah antrian", "ganti antrian",
		"atur ulang jadwal", "jadwal ulang", "reschedule", "change", "change date", "change the date",
		"change my booking", "move my booking", "another date", "other date"},
	intentCancel: {"batal", "batalkan", "batalin", "batalkan antrian", "batalkan antrean", "batal antrian",
		"tidak jadi datang", "gak jadi datang", "cancel", "cancel my queue number", "cancel booking",
		"hapus", "hapus antrian"},
	intentInfo: {"syarat", "syaratnya", "persyaratan", "persyaratan dan biaya", "syarat dan biaya",
		"biaya", "biayanya", "harga", "harganya", "tarif", "dokumen", "berkas", "bawa apa",
		"requirements", "requirement", "fees", "fee", "price", "cost", "documents", "info", "informasi"},
	intentLanguage: {"english", "inggris", "bahasa inggris", "bahasa indonesia", "indonesia", "bahasa",
		"language", "en", "id", "indo", "in english", "english please"},
	intentYes: {"ya", "iya", "iy", "y", "yes", "yup", "yep", "yeah", "ok", "oke", "okay", "okey",
		"okelah", "benar", "betul", "bener", "sudah benar", "sudah betul", "udah bener", "setuju",
		"lanjut", "lanjutkan", "confirm", "sure", "sip", "siap", "baik", "boleh", "mantap", "nggih",
		"njih", "inggih", "enggih", "injih", "ho oh", "he eh", "heeh", "iyo", "yo", "muhun", "leres",
		"betol", "correct", "right", "that's right", "go ahead", "jadi", "benar sekali", "betul sekali",
		"iya benar", "iya betul", "sesuai", "sudah sesuai", "cocok", "gas", "gaskan", "yoi", "yes please",
		"ya sudah", "ya udah", "yaudah", "yasudah", "ok deh", "laksanakan", "mantul", "oke gas",
		"👍", "👌", "✅"},
	intentNo: {"tidak", "tdk", "gak", "ga", "gk", "nggak", "ngga", "enggak", "engga", "kagak", "ndak",
		"nda", "mboten", "henteu", "teu", "no", "n", "nope", "jangan", "tidak jadi", "gak jadi",
		"ga jadi", "nggak jadi", "salah", "bukan", "kembali", "back", "not now"},
	intentThanks: {"terima kasih", "terimakasih", "trima kasih", "trimakasih", "terima kasih banyak",
		"makasih", "makasi", "makasih banyak", "maksih", "mksh", "mks", "trims", "trimks", "tks",
		"tq", "ty", "thx", "thanks", "thank you", "thank you very much", "thanks a lot", "tengkyu",
		"matur nuwun", "maturnuwun", "suwun", "nuhun", "hatur nuhun", "hatur nuhun pisan",
		"dadah", "dah", "bye", "bye bye", "goodbye", "sampai jumpa", "see you", "🙏"},
	intentGreeting: {"halo", "hallo", "hello", "helo", "hai", "hi", "hey", "p",
		"selamat pagi", "selamat siang", "selamat sore", "selamat malam", "met pagi", "met siang",
		"met sore", "met malam", "slmt pagi", "slmt siang", "good morning", "good afternoon",
		"good evening", "permisi", "punten", "sampurasun", "misi", "tabik", "salam", "salam sejahtera",
		"om swastiastu", "shalom", "pagi", "siang", "sore", "malam", "morning", "waalaikumsalam",
		"wa'alaikumsalam", "walaikumsalam"},
}

// byeWords among the thanks are answered with a goodbye.
var byeWords = []string{"dadah", "dah", "bye", "bye bye", "goodbye", "sampai jumpa", "see you"}

// islamicGreetings are answered "Waalaikumsalam".
var islamicGreetings = []string{"assalamualaikum", "assalamu'alaikum", "assalamu alaikum",
	"asalamualaikum", "assalamualaikum wr wb", "assalamualaikum warahmatullahi wabarakatuh",
	"assalamu'alaikum wr wb", "ass wr wb", "ass wr.wb", "assalamualaikum wr.wb", "asw", "aslm",
	"ass", "assalam", "salamualaikum", "samlekom", "mikum", "wr wb"}

// fillerWords are polite words, forms of address and particles that change nothing around an
// answer: "1 pak", "no 2 kak", "ya dong".
var fillerWords = []string{
	// forms of address
	"pak", "bapak", "bpk", "bp", "bu", "ibu", "buk", "bun", "kak", "kakak", "ka", "kk", "mas", "mbak",
	"mba", "dik", "adik", "dek", "min", "admin", "mimin", "gan", "agan", "bang", "abang", "om",
	"tante", "teh", "teteh", "kang", "akang", "aa", "cik", "encik", "uda", "uni", "bro", "sis",
	"sist", "sir", "madam", "maam", "ma'am", "boss", "bos", "petugas", "sayang",
	// the rest of a salam: "Assalamu'alaikum warahmatullahi wabarakatuh"
	"warahmatullahi", "wabarakatuh", "wr", "wb", "wr.wb",
	// particles
	"dong", "donk", "yah", "deh", "aja", "saja", "ae", "wae", "nih", "ni", "tuh", "sih", "kok",
	"lah", "kah", "loh", "lho", "toh", "nah", "yuk", "ayo", "mah", "atuh", "euy", "geh", "gih",
	"hehe", "hehehe", "hihi", "haha", "wkwk", "wkwkwk", "hmm", "eh", "oh", "ooh", "oo",
	// requests
	"tolong", "mohon", "please", "pls", "plz", "plis", "minta", "saya", "sy", "aku", "gw", "i",
	"mau", "ingin", "pengen", "pengin", "want", "would", "like", "to", "the", "a", "an", "untuk",
	"buat", "yang", "yg", "dulu", "now", "just", "banyak", "apa", "apa saja", "apa aja", "apakah",
	"gimana", "bagaimana", "berapa", "bisa", "kah", "nya", "what", "is", "are", "how", "much", "can",
	"my", "me", "for",
	"🙏🏻", "😊", "🙂", "😁", "😀", "☺", "🤗", "❤", "💕",
}

// numberPrefixes may stand before a list number: "no 2", "pilih 1", "yang ke 3", "opsi 2".
var numberPrefixes = []string{"nomor", "nomer", "no", "nmr", "pilih", "pilihan", "angka", "opsi",
	"number", "option", "choice", "ke", "yang", "yg", "nomor urut", "#"}

// numberWords are numbers written as words, cardinal and ordinal.
var numberWords = map[string]int{
	"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
	"sembilan": 9, "sepuluh": 10, "sebelas": 11, "dua belas": 12,
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"pertama": 1, "kesatu": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5, "keenam": 6,
	"ketujuh": 7, "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10,
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
}

// Dates in words, at the date question.

// relativeDays are days counted from today.
var relativeDays = map[string]int{
	"hari ini": 0, "today": 0, "sekarang": 0,
	"besok": 1, "besuk": 1, "bsk": 1, "besok pagi": 1, "besok siang": 1, "tomorrow": 1, "tmrw": 1,
	"lusa": 2, "besok lusa": 2, "day after tomorrow": 2, "the day after tomorrow": 2,
}

// weekdayWords name the days of the week.
var weekdayWords = map[string]time.Weekday{
	"senin": time.Monday, "sen": time.Monday, "selasa": time.Tuesday, "sel": time.Tuesday,
	"rabu": time.Wednesday, "rab": time.Wednesday, "kamis": time.Thursday, "kam": time.Thursday,
	"jumat": time.Friday, "jum'at": time.Friday, "jum at": time.Friday, "jumaat": time.Friday,
	"jum": time.Friday, "sabtu": time.Saturday, "minggu": time.Sunday, "ahad": time.Sunday,
	"monday": time.Monday, "mon": time.Monday, "tuesday": time.Tuesday, "tue": time.Tuesday,
	"tues": time.Tuesday, "wednesday": time.Wednesday, "wed": time.Wednesday,
	"thursday": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fri": time.Friday, "saturday": time.Saturday, "sat": time.Saturday,
	"sunday": time.Sunday, "sun": time.Sunday,
}

// nextWeekWords after a weekday name the one of next week: "rabu depan", "next wednesday".
var nextWeekWords = []string{"depan", "minggu depan", "pekan depan", "next", "next week"}

// thisWeekWords after a weekday name change nothing: "rabu ini", "this wednesday".
var thisWeekWords = []string{"ini", "this", "this week", "minggu ini", "pekan ini"}

// dateWordsPrefix may stand before a date: "tanggal 9", "tgl 9", "hari rabu", "on the 9th".
var datePrefixes = []string{"tanggal", "tgl", "tangal", "tanggl", "hari", "hr", "date", "on", "the", "pada", "di"}

// monthWords name the months, in both languages, long and short.
var monthWords = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
	"maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
	"june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
	"august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
	"october": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12,
	"dec": 12, "december": 12,
}

// Windows in words, at the window question.

// dayPart is a part of the day an applicant names instead of a window.
type dayPart struct {
	from, to int  // minutes after midnight: the windows starting in [from, to) belong to it
	last     bool // the last window with seats, not the first
}

// dayParts are the parts of the day: "pagi" is the first morning window with seats, "siang"
// the first around midday, "sore" the last.
var dayParts = map[string]dayPart{
	"pagi": {0, 10*60 + 30, false}, "pagi pagi": {0, 10*60 + 30, false}, "morning": {0, 10*60 + 30, false},
	"early": {0, 10*60 + 30, false}, "secepatnya": {0, 24 * 60, false}, "paling pagi": {0, 24 * 60, false},
	"siang": {10*60 + 30, 14*60 + 30, false}, "tengah hari": {10*60 + 30, 14*60 + 30, false},
	"noon": {10*60 + 30, 14*60 + 30, false}, "midday": {10*60 + 30, 14*60 + 30, false},
	"afternoon": {12 * 60, 24 * 60, false}, "sore": {14 * 60, 24 * 60, true},
	"evening": {14 * 60, 24 * 60, true}, "paling sore": {0, 24 * 60, true},
	"terakhir": {0, 24 * 60, true}, "last": {0, 24 * 60, true},
}

// timePrefixes may stand before a time: "jam 9", "pukul 09.00", "at 9".
var timePrefixes = []string{"jam", "jm", "pukul", "pkl", "pk", "at", "in", "around", "sekitar", "kira kira"}

// timeSuffixes after an hour say which half of the day it is: "jam 1 siang" is 13:00.
var timeSuffixes = map[string]int{ // hours to add to an hour below 12
	"pagi": 0, "am": 0, "a.m": 0, "siang": -1, "sore": 12, "malam": 12, "pm": 12, "p.m": 12,
	"wib": 0, "in the morning": 0, "in the afternoon": 12,
}
