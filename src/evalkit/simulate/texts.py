"""Fixed vocabularies of the simulated city: units, names, courses, SKM questions, texts.

Kept apart from the generator so that the data dictionary and other stages (the SKM question
mapping, the interview codebook) can read the exact strings the simulator writes.
"""

from __future__ import annotations

#: Perangkat daerah of Surakarta (DOMAIN.md §6; the last three are plausible additions to
#: reach ~30 units, unconfirmed against the current regional regulation).
UNITS: tuple[str, ...] = (
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Dinas Perhubungan",
    "Dinas Sosial",
    "Dinas Tenaga Kerja",
    "Dinas Perdagangan",
    "Dinas Kebudayaan dan Pariwisata",
    "Dinas Lingkungan Hidup",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Perpustakaan dan Kearsipan",
    "Dinas Komunikasi, Informatika, Statistik dan Persandian",
    "Dinas Pemadam Kebakaran",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Badan Perencanaan, Penelitian dan Pengembangan Daerah",
    "Badan Penanggulangan Bencana Daerah",
    "Satuan Polisi Pamong Praja",
    "Inspektorat",
    "Kecamatan Banjarsari",
    "Kecamatan Jebres",
    "Kecamatan Laweyan",
    "Kecamatan Pasar Kliwon",
    "Kecamatan Serengan",
    "RSUD Bung Karno",
    "RSUD Ibu Fatmawati Soekarno",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Dinas Koperasi, Usaha Kecil dan Menengah, dan Perindustrian",
    "Dinas Pemuda dan Olahraga",
    "Dinas Perumahan, Kawasan Permukiman dan Pertanahan",
)

#: Relative headcount of a unit (hospitals and front-line offices are larger).
UNIT_SIZE = {
    "RSUD Bung Karno": 2.2, "RSUD Ibu Fatmawati Soekarno": 2.0, "Dinas Kesehatan": 1.8,
    "Dinas Pendidikan": 1.6, "Satuan Polisi Pamong Praja": 1.5, "Dinas Perhubungan": 1.4,
    "Dinas Lingkungan Hidup": 1.4, "Dinas Pekerjaan Umum dan Penataan Ruang": 1.3,
    "Dinas Kependudukan dan Pencatatan Sipil": 1.2, "Dinas Pemadam Kebakaran": 1.1,
}

#: Services offered per unit (``Jenis Layanan`` in the SKM exports); others use GENERIC.
SERVICES = {
    "Dinas Kependudukan dan Pencatatan Sipil": ("Perekaman KTP-el", "Kartu Keluarga",
                                                "Akta Kelahiran", "Akta Kematian",
                                                "Surat Pindah Datang"),
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": (
        "Perizinan Berusaha (OSS)", "Persetujuan Bangunan Gedung", "Izin Praktik Tenaga Kesehatan",
        "Konsultasi Perizinan"),
    "Dinas Kesehatan": ("Surat Keterangan Sehat", "Perizinan Fasilitas Kesehatan",
                        "Layanan Vaksinasi", "Pengaduan Layanan Kesehatan"),
    "RSUD Bung Karno": ("Rawat Jalan", "Rawat Inap", "Instalasi Gawat Darurat", "Farmasi",
                        "Laboratorium"),
    "RSUD Ibu Fatmawati Soekarno": ("Rawat Jalan", "Rawat Inap", "Instalasi Gawat Darurat",
                                    "Farmasi", "Radiologi"),
    "Dinas Perhubungan": ("Uji KIR Kendaraan", "Izin Trayek", "Parkir Berlangganan"),
    "Dinas Tenaga Kerja": ("Kartu Pencari Kerja (AK-1)", "Pengesahan Peraturan Perusahaan",
                           "Pelatihan Kerja"),
    "Dinas Sosial": ("Rekomendasi DTKS", "Layanan Rehabilitasi Sosial", "Bantuan Sosial"),
    "Dinas Perpustakaan dan Kearsipan": ("Layanan Sirkulasi", "Keanggotaan Perpustakaan",
                                         "Layanan Arsip Statis"),
}
for _kec in ("Banjarsari", "Jebres", "Laweyan", "Pasar Kliwon", "Serengan"):
    SERVICES[f"Kecamatan {_kec}"] = ("Legalisasi Dokumen", "Surat Keterangan Ahli Waris",
                                     "Pengantar Administrasi Kependudukan", "Rekomendasi Izin")
GENERIC_SERVICES = ("Pelayanan Informasi", "Konsultasi", "Pengaduan", "Rekomendasi/Perizinan")

MALE_NAMES = ("Agus", "Budi", "Joko", "Slamet", "Bambang", "Hendra", "Wahyu", "Eko", "Teguh",
              "Rudi", "Arif", "Fajar", "Dimas", "Rizky", "Yoga", "Bayu", "Heru", "Sigit",
              "Sutrisno", "Hari", "Anton", "Danang", "Gilang", "Imam", "Yusuf", "Rahmat",
              "Aditya", "Andi", "Ahmad", "Muhammad", "Dwi", "Tri", "Purwanto", "Suryo", "Bagus")
FEMALE_NAMES = ("Sri", "Siti", "Dewi", "Rina", "Endang", "Wulan", "Ratna", "Yuni", "Ayu",
                "Dian", "Fitri", "Novi", "Indah", "Retno", "Sari", "Nur", "Anisa", "Putri",
                "Rahayu", "Kartika", "Lina", "Maya", "Nanik", "Puji", "Tutik", "Yulia",
                "Dwi", "Tri", "Eka", "Hesti", "Ika", "Galuh", "Laras", "Sekar", "Wening")
SURNAMES_M = ("Santoso", "Wibowo", "Susilo", "Prasetyo", "Hidayat", "Kurniawan", "Setiawan",
              "Purnomo", "Saputra", "Pratama", "Nugroho", "Hartono", "Raharjo", "Gunawan",
              "Wijaya", "Firmansyah", "Haryanto", "Suharto", "Utomo", "Mulyono")
SURNAMES_F = ("Wahyuni", "Lestari", "Handayani", "Rahmawati", "Utami", "Susanti", "Puspitasari",
              "Wulandari", "Suryani", "Kusumawati", "Permatasari", "Setyaningsih", "Astuti",
              "Anggraini", "Maharani", "Widyastuti", "Nurhayati", "Pertiwi", "Safitri", "Ningrum")
DEGREES = {"SMA": ("",), "D3": ("A.Md.",),
           "D4/S1": ("S.E.", "S.Sos.", "S.Kom.", "S.H.", "S.Pd.", "S.AP.", "S.T.", "S.Kep."),
           "S2": ("M.Si.", "M.M.", "M.Kes.", "M.Pd.", "M.T."), "S3": ("Dr.",)}

#: Training catalogue: name, rumpun, metode, JP low, JP high, weight, has pre/post test.
#: The service-quality course (evalkit.training.SERVICE_COURSE) is generated separately.
CATALOG: tuple[tuple[str, str, str, int, int, float, bool], ...] = (
    ("Pelatihan Pengelolaan Keuangan Daerah", "Teknis", "Klasikal", 24, 40, 1.0, True),
    ("Bimbingan Teknis Aplikasi SRIKANDI", "Teknis", "Blended", 8, 16, 1.5, True),
    ("Pelatihan Pengadaan Barang/Jasa Pemerintah", "Teknis", "Klasikal", 32, 40, 0.7, True),
    ("Pelatihan Penyusunan Standar Pelayanan", "Teknis", "Klasikal", 16, 24, 1.0, True),
    ("Pelatihan Manajemen Arsip Dinamis", "Teknis", "Klasikal", 24, 32, 0.8, True),
    ("Pelatihan Analisis Beban Kerja", "Teknis", "Klasikal", 16, 24, 0.6, True),
    ("E-Learning Literasi Digital ASN", "Teknis", "E-Learning", 4, 10, 3.0, True),
    ("E-Learning Manajemen Waktu dan Produktivitas", "Sosial Kultural", "E-Learning", 4, 8, 2.5,
     True),
    ("E-Learning Penulisan Naskah Dinas", "Teknis", "E-Learning", 4, 8, 2.0, True),
    ("Webinar Keterbukaan Informasi Publik", "Sosial Kultural", "E-Learning", 2, 3, 3.5, False),
    ("Webinar Inovasi Pelayanan Publik", "Teknis", "E-Learning", 2, 3, 3.5, False),
    ("Pelatihan Fungsional Analis Kebijakan", "Fungsional", "Klasikal", 40, 80, 0.3, True),
    ("Pelatihan Fungsional Pranata Komputer", "Fungsional", "Blended", 40, 60, 0.3, True),
    ("Pelatihan Kepemimpinan Pengawas", "Manajerial", "Blended", 100, 150, 0.15, True),
    ("Pelatihan Kepemimpinan Administrator", "Manajerial", "Blended", 120, 180, 0.08, True),
    ("Pelatihan Budaya Kerja BerAKHLAK", "Sosial Kultural", "Klasikal", 16, 24, 1.0, True),
    ("Pelatihan Komunikasi Efektif", "Sosial Kultural", "Klasikal", 16, 16, 0.8, True),
    ("Pelatihan Wawasan Kebangsaan", "Sosial Kultural", "Klasikal", 16, 24, 0.5, True),
    ("Coaching Kinerja Pegawai", "Coaching/Mentoring", "Blended", 8, 12, 1.0, False),
)

JABATAN_TITLES = {
    "Struktural": ("Kepala Seksi Pelayanan", "Kepala Subbagian Umum dan Kepegawaian",
                   "Kepala Bidang Pelayanan", "Sekretaris"),
    "Fungsional": ("Analis SDM Aparatur", "Pranata Komputer Ahli Pertama", "Perawat Ahli Muda",
                   "Analis Kebijakan Ahli Muda", "Arsiparis Terampil", "Penyuluh"),
    "Pelaksana": ("Pengadministrasi Layanan", "Petugas Front Office", "Pengolah Data",
                  "Operator Layanan Operasional", "Pengadministrasi Umum"),
}

# --- SKM ----------------------------------------------------------------------------------

#: Answer labels per element, score 1..4 (DOMAIN.md §1).
SKM_LABELS: dict[str, tuple[str, str, str, str]] = {
    "u1": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "u2": ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    "u3": ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    "u4": ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    "u5": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "u6": ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    "u7": ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
           "Sangat sopan dan ramah"),
    "u8": ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
           "Dikelola dengan baik"),
    "u9": ("Buruk", "Cukup", "Baik", "Sangat baik"),
}

#: Question texts: the standard phrasings of the Permenpan RB 14/2017 questionnaire annex
#: and an alternative wording some units use. Cleaning maps text -> unsur, never position.
SKM_QUESTIONS: dict[str, dict[str, str]] = {
    "standar": {
        "u1": "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan "
              "jenis pelayanannya?",
        "u2": "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "u3": "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "u4": "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "u5": "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
              "tercantum dalam standar pelayanan dengan hasil yang diberikan?",
        "u6": "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "u7": "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
              "kesopanan dan keramahan?",
        "u8": "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        "u9": "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
    },
    "alternatif": {
        "u1": "Menurut Anda, apakah persyaratan pelayanan sesuai dengan jenis layanan yang "
              "diurus?",
        "u2": "Menurut Anda, seberapa mudah prosedur/alur pelayanan di unit ini?",
        "u3": "Menurut Anda, seberapa cepat waktu penyelesaian pelayanan?",
        "u4": "Menurut Anda, bagaimana biaya/tarif pelayanan yang dibayarkan?",
        "u5": "Menurut Anda, apakah hasil pelayanan sesuai dengan standar pelayanan yang "
              "diumumkan?",
        "u6": "Menurut Anda, bagaimana kemampuan/kompetensi petugas pelayanan?",
        "u7": "Menurut Anda, bagaimana kesopanan dan keramahan petugas pelayanan?",
        "u8": "Menurut Anda, bagaimana pengelolaan pengaduan, saran dan masukan di unit ini?",
        "u9": "Menurut Anda, bagaimana kondisi sarana dan prasarana pelayanan?",
    },
}

SEX_STYLES = {"singkat": ("L", "P"), "lengkap": ("Laki-laki", "Perempuan")}
EDUCATION_STYLES = {
    "a": ("SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3"),
    "b": ("SD", "SLTP", "SLTA", "Diploma", "S1", "S2", "S3"),
}
EDUCATION_P = (0.06, 0.12, 0.38, 0.12, 0.26, 0.05, 0.01)
JOB_STYLES = {
    "a": ("PNS", "TNI/POLRI", "Swasta", "Wiraswasta", "Pelajar/Mahasiswa", "Lainnya"),
    "b": ("PNS/TNI/POLRI", "Pegawai Swasta", "Wirausaha", "Pelajar/Mahasiswa",
          "Ibu Rumah Tangga", "Lainnya"),
}
JOB_P = (0.10, 0.03, 0.30, 0.25, 0.14, 0.18)

#: Suggestions; "negative" ones are more likely after low answers. Some carry typographic
#: quotes/dashes typed by phones (non-ASCII, so the encoding of the file matters).
SARAN_POSITIVE = (
    "Pelayanan sudah baik, pertahankan.", "Petugas ramah dan cepat, terima kasih.",
    "Sudah bagus, semoga makin baik ke depannya.", "Mantap, prosesnya tidak berbelit.",
    "Terima kasih atas pelayanannya.", "Pelayanan sangat memuaskan.",
    "Petugas sabar menjelaskan persyaratan.", "Prosesnya cepat, hanya sebentar.",
)
SARAN_NEGATIVE = (
    "Antrean terlalu lama, mohon ditambah loket.", "Mohon informasi persyaratan lebih jelas.",
    "Ruang tunggu panas, AC perlu diperbaiki.", "Parkir sempit dan kurang tertata.",
    "Website sering error saat mendaftar online.", "Petugas kurang ramah di loket depan.",
    "Jam pelayanan sering molor dari jadwal.", "Mohon pengaduan ditindaklanjuti lebih cepat.",
    "Sistem antrean online belum berjalan baik.", "Berkas harus bolak-balik karena kurang lengkap.",
)
SARAN_TYPOGRAPHIC = (
    "Pelayanan “cepat” tapi antreannya tetap panjang…",
    "Petugas – terutama di loket 2 – sangat membantu.",
    "Semoga aplikasi ‘online’ segera diperbaiki…",
    "Sudah baik – tinggal ruang tunggunya diperluas.",
)

# --- Interviews -----------------------------------------------------------------------------

#: Codebook keys of the interview themes (the sense in which a theme is "present").
THEMES: dict[str, str] = {
    "dampak_positif": "the training improved the informant's work or service",
    "manajemen_waktu": "managing time, queues or speed of work",
    "teknologi_informasi": "use of IT / applications / online systems in public service",
    "kesulitan_penerapan": "difficulty applying the training at work",
    "kebutuhan_mentoring": "need for mentoring, coaching or accompaniment after training",
    "pelatihan_lanjutan": "need for advanced or unit-specific follow-up training",
    "beban_kerja": "heavy workload as an obstacle",
    "dukungan_atasan": "the supervisor supports applying the training",
    "sarana_prasarana": "inadequate facilities or equipment as an obstacle",
}

#: Sentences affirming a theme (the theme is present in the segment).
THEME_PRESENT: dict[str, tuple[str, ...]] = {
    "dampak_positif": (
        "Setelah ikut pelatihan itu, cara saya melayani masyarakat jadi lebih baik, lebih "
        "percaya diri menjelaskan persyaratan.",
        "Dampaknya terasa sekali, Mas, warga yang datang sekarang lebih jarang komplain.",
        "Menurut saya pelatihannya sangat bermanfaat, terutama materi tentang sikap melayani.",
        "Saya jadi lebih paham bagaimana menghadapi pemohon yang marah, dan itu langsung saya "
        "praktikkan di loket.",
        "Alhamdulillah ada perubahan, teman-teman di depan jadi lebih ramah dan tertib.",
        "Sekarang kalau ada warga bingung, saya bisa menjelaskan dengan bahasa yang lebih "
        "sederhana, dan itu hasil dari pelatihan.",
        "Cara kami menyambut pemohon berubah total, ada salam, senyum, dan penjelasan alur.",
    ),
    "manajemen_waktu": (
        "Sekarang saya lebih bisa mengatur waktu, berkas yang masuk pagi saya selesaikan "
        "sebelum siang.",
        "Kami mulai membagi jadwal loket supaya antrean tidak menumpuk di jam sibuk.",
        "Materi soal manajemen waktu itu yang paling kepakai, pekerjaan jadi lebih terjadwal.",
        "Waktu tunggu pemohon sekarang lebih pendek karena alurnya kami atur ulang.",
        "Saya sekarang pakai daftar prioritas harian, jadi berkas yang mendesak tidak "
        "terlewat.",
    ),
    "teknologi_informasi": (
        "Sekarang banyak layanan lewat aplikasi, jadi kami harus terbiasa dengan sistem online.",
        "Kami pakai antrean online dan WhatsApp untuk menjawab pertanyaan warga.",
        "Penggunaan aplikasi sangat membantu, data pemohon tidak perlu ditulis ulang.",
        "Pelayanan digital itu ke depan wajib, jadi kemampuan IT petugas harus ditingkatkan.",
        "Berkas sekarang diunggah lewat sistem, jadi kami harus cekatan memakai aplikasinya.",
    ),
    "kesulitan_penerapan": (
        "Terus terang ada kesulitan menerapkan materinya, karena kondisi di lapangan berbeda "
        "dengan contoh di kelas.",
        "Kendalanya, SOP kami belum berubah, jadi apa yang dipelajari sulit dijalankan.",
        "Saya kesulitan mempraktikkan materinya sendirian, teman-teman lain belum ikut "
        "pelatihan.",
        "Materinya bagus, tapi susah diterapkan kalau aturan di unit masih yang lama.",
        "Praktiknya tidak semudah di kelas, warga yang datang kasusnya macam-macam dan kami "
        "bingung harus bagaimana.",
    ),
    "kebutuhan_mentoring": (
        "Sebaiknya setelah pelatihan ada pendampingan, semacam mentoring dari senior.",
        "Kami butuh coaching lanjutan, jangan hanya tiga hari di kelas lalu dilepas.",
        "Kalau ada mentor yang membimbing di tempat kerja, penerapannya pasti lebih cepat.",
        "Perlu bimbingan rutin supaya ilmunya tidak hilang.",
        "Idealnya ada senior yang mendampingi beberapa bulan pertama, semacam coaching di "
        "tempat kerja.",
    ),
    "pelatihan_lanjutan": (
        "Kami perlu pelatihan lanjutan yang khusus sesuai layanan di unit kami.",
        "Harapan saya ada pelatihan tingkat lanjut, materinya disesuaikan dengan kasus di "
        "sini.",
        "Pelatihan teknis yang spesifik untuk layanan kami belum pernah ada, itu yang dibutuhkan.",
        "Mungkin tahun depan bisa diadakan pelatihan lanjutan untuk petugas loket.",
        "Materi umum sudah, sekarang butuh pelatihan teknis yang lebih dalam sesuai bidang "
        "kami.",
    ),
    "beban_kerja": (
        "Beban kerjanya berat, satu orang bisa melayani puluhan pemohon sehari.",
        "Pekerjaan menumpuk, jadi kadang tidak sempat menerapkan hal-hal baru.",
        "Pegawainya kurang, sementara layanan terus bertambah, jadi kewalahan.",
        "Kalau sedang ramai, kami lembur sampai malam untuk menyelesaikan berkas.",
        "Tugas tambahan banyak sekali, jadi waktu untuk melayani warga jadi terbatas.",
    ),
    "dukungan_atasan": (
        "Atasan saya sangat mendukung, beliau minta hasil pelatihan dibagikan ke teman-teman.",
        "Pimpinan memberi ruang untuk mencoba cara baru, itu yang membuat kami semangat.",
        "Kepala bidang rutin menanyakan apa yang sudah diterapkan dari pelatihan.",
        "Dukungan dari kepala dinas cukup kuat, ada apel pagi khusus soal pelayanan.",
        "Atasan langsung sering memberi contoh dan mengingatkan kami soal standar pelayanan.",
    ),
    "sarana_prasarana": (
        "Sarana kami masih terbatas, komputernya sudah tua dan sering hang.",
        "Fasilitas ruang tunggu kurang memadai, kursinya sedikit dan panas.",
        "Jaringan internet sering putus, jadi layanan online terganggu.",
        "Printer dan alat perekaman sering rusak, kami harus menunggu perbaikan.",
        "Ruang pelayanannya sempit, loketnya cuma dua, jadi antrean sampai ke luar.",
    ),
}

#: Negated or contrary mentions: the words of the theme appear, the theme is absent.
THEME_NEGATED: dict[str, tuple[str, ...]] = {
    "dampak_positif": (
        "Jujur belum terasa dampaknya, kerja saya masih sama seperti sebelumnya.",
        "Manfaatnya belum kelihatan, mungkin karena baru sebentar.",
    ),
    "manajemen_waktu": (
        "Soal waktu sebenarnya dari dulu tidak ada masalah, jadwal kami sudah rapi.",
    ),
    "teknologi_informasi": (
        "Layanan kami memang masih manual, belum ada aplikasi khusus.",
    ),
    "kesulitan_penerapan": (
        "Tidak ada kesulitan berarti dalam menerapkannya, materinya sesuai dengan pekerjaan "
        "sehari-hari.",
        "Sejauh ini tidak ada kendala, semua bisa langsung dipraktikkan.",
        "Saya tidak mengalami kesulitan, karena sebagian besar materi memang sudah jadi "
        "pekerjaan sehari-hari.",
        "Penerapannya tidak sulit kok, karena teman satu ruangan juga ikut pelatihan.",
    ),
    "kebutuhan_mentoring": (
        "Saya rasa tidak perlu pendampingan lagi, sudah cukup jelas.",
        "Mentoring sudah berjalan dari senior, jadi tidak ada kebutuhan tambahan.",
    ),
    "pelatihan_lanjutan": (
        "Untuk sementara belum perlu pelatihan lanjutan, yang kemarin sudah cukup.",
    ),
    "beban_kerja": (
        "Beban kerja sebenarnya tidak terlalu berat, masih bisa diatur.",
        "Pekerjaan tidak menumpuk, jadi ada waktu untuk menerapkan materi.",
    ),
    "dukungan_atasan": (
        "Atasan belum pernah menanyakan hasil pelatihan, jadi ya jalan sendiri-sendiri.",
        "Kurang ada dukungan dari pimpinan untuk menerapkan hal baru.",
        "Atasan sibuk dengan urusan lain, jadi tidak ada tindak lanjut setelah pelatihan.",
    ),
    "sarana_prasarana": (
        "Sarana dan prasarana sudah memadai, tidak ada masalah.",
        "Fasilitasnya sudah bagus sejak gedung baru dipakai.",
    ),
}

#: Neutral filler sentences (no theme).
FILLERS = (
    "Ya, begitu kira-kira.", "Itu menurut pengalaman saya, Mas.", "Saya kira itu saja.",
    "Mungkin teman lain punya pendapat berbeda.", "Iya, betul.",
    "Pelatihannya dulu diadakan di gedung BKPSDM.", "Pesertanya dari beberapa dinas.",
)

#: Interview questions: (slot, themes the answer may touch, phrasings).
INTERVIEW_QUESTIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("tugas", ("beban_kerja", "teknologi_informasi"), (
        "Bisa diceritakan dulu tugas Bapak/Ibu sehari-hari di unit ini?",
        "Sebelum masuk ke pelatihan, pekerjaan Bapak/Ibu sehari-hari seperti apa?",
    )),
    ("dampak", ("dampak_positif", "manajemen_waktu", "teknologi_informasi"), (
        "Apa yang berubah dalam pekerjaan Bapak/Ibu setelah mengikuti Pelatihan Pelayanan "
        "Prima?",
        "Bagaimana pengalaman Bapak/Ibu menerapkan materi pelatihan di loket?",
        "Menurut Bapak/Ibu, apa manfaat pelatihan itu bagi pelayanan?",
    )),
    ("kendala", ("kesulitan_penerapan", "beban_kerja", "sarana_prasarana"), (
        "Apakah ada kendala dalam menerapkan materi pelatihan?",
        "Hambatan apa yang Bapak/Ibu temui setelah kembali ke unit kerja?",
    )),
    ("dukungan", ("dukungan_atasan", "kebutuhan_mentoring"), (
        "Bagaimana dukungan atasan dan rekan kerja setelah pelatihan?",
        "Apakah ada pendampingan atau tindak lanjut dari unit setelah pelatihan?",
    )),
    ("fasilitas", ("sarana_prasarana", "teknologi_informasi"), (
        "Bagaimana dengan sarana dan prasarana pendukung pelayanan?",
        "Apakah fasilitas di unit mendukung penerapan materi pelatihan?",
    )),
    ("kebutuhan", ("pelatihan_lanjutan", "kebutuhan_mentoring", "manajemen_waktu"), (
        "Ke depan, pengembangan kompetensi seperti apa yang Bapak/Ibu butuhkan?",
        "Apa saran Bapak/Ibu untuk BKPSDM terkait pelatihan berikutnya?",
    )),
)

#: Neutral answers per question slot (no theme), used when an answer would otherwise be empty.
SLOT_NEUTRAL = {
    "tugas": ("Saya di bagian pelayanan, menerima berkas dan memeriksa kelengkapan persyaratan.",
              "Tugas saya melayani pemohon di loket dan mencatat pengaduan yang masuk.",
              "Sehari-hari saya mengolah data permohonan dan menyiapkan dokumen yang sudah "
              "jadi."),
    "dampak": ("Sebagian materi sudah saya coba, misalnya cara menyapa dan menjelaskan alur.",
               "Yang paling saya ingat materi tentang standar pelayanan."),
    "kendala": ("Sejauh ini berjalan seperti biasa saja.",
                "Ya, ada hal kecil, tapi bisa diatasi bersama teman-teman."),
    "dukungan": ("Setelah pelatihan kami sempat berbagi materi di rapat bagian.",
                 "Teman-teman yang belum ikut cukup antusias mendengar cerita dari pelatihan."),
    "fasilitas": ("Untuk sarana ya standar seperti kantor pada umumnya.",),
    "kebutuhan": ("Apa saja yang bisa meningkatkan pelayanan, saya siap ikut.",
                  "Mungkin materi yang lebih banyak praktiknya."),
}

OPENINGS = (
    "Selamat pagi, Bapak/Ibu. Terima kasih sudah bersedia diwawancarai untuk evaluasi "
    "pasca pelatihan.",
    "Selamat siang. Terima kasih atas waktunya. Wawancara ini untuk evaluasi Pelatihan "
    "Pelayanan Prima.",
)
CLOSINGS = (
    "Baik, terima kasih banyak atas waktunya.",
    "Terima kasih, informasinya sangat membantu.",
)
