"""Synthetic national-scale source documents in the layouts of the two seeds.

    .venv/bin/python -m bench.generate --out DIR --scale N [--seed S]

writes 2 x N text documents into DIR with a MANIFEST.csv (real sha256 of every file), ready
for ``kinerja build --data-dir DIR``: the real ingestion path (layout detection, extractors,
mapping, validation) is what a benchmark on them measures. Scale 1 is the size of the seeds
(one IKU list, one decree). Each document adds about 1,400 triples (25 per indicator, as in
the seeds): scale 650 gives 1.76 million, scale 1,100 (2,200 documents) 3.08 million.

What is generated (see bench/README.md):

- Offices: the Kantor Wilayah of the Ministry of Law and Human Rights in its 33 provinces
  (2010-2024: IKU/IKK lists on the office letterhead, and IKU/IKK decrees of the office head
  with Menimbang, Mengingat, KESATU ..., signature and PROGRAM tables, sometimes amended),
  of its successor the Ministry of Law (2025) and of the Ministry of Religious Affairs (34
  provinces, 2010-2025); the last two only as lists (see "Limitations" in bench/README.md).
  Six units (Dinas, Bappeda) of each provincial government, with an IKU list a year for
  2020-2025 under the government's letterhead. Small scales hold 2020-2025 only; larger
  ones add the earlier years, and scales above 1,811 the provincial governments.
- Indicators: the real wordings of the seeds, grouped by sasaran and program, with the
  spelling variants and typos the real documents have, plus a long tail: local indicators
  of an office (naming its regencies, prisons, immigration offices), national ones drawn
  with a skewed distribution, one-off typos. Targets follow the real units and formats
  ("3,1 Indeks", "88 %", "76.75 (indeks)", "0 UPT", "1.250 Orang") and drift per office
  and year.
- Layout quirks the extractors handle: rows split by a page break (the rest of a sasaran or
  of an indicator continues after the break, lower case), repeated header rows with the
  "(1) (2) (3) (4)" column-number row, PROGRAM headings on two lines, unnumbered single
  indicators, e-signature notes, catchwords.

Determinism: the same (scale, seed) gives byte-identical files, on any machine and Python
hash seed (every random choice comes from ``random.Random`` or a BLAKE2 hash of the seed
and what is being decided; no sets are iterated). The documents of scale k are the first
documents of scale k + 1, byte for byte, so growing the scale only adds documents.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import random
import re
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "MANIFEST.csv"
ORIGIN = "synthetic (bench/generate.py, seed {seed})"
FILE_NAME = re.compile(r"\d{5}_[0-9a-f]{16}\.txt")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)

# ---------------------------------------------------------------------------------------
# Deterministic randomness
# ---------------------------------------------------------------------------------------


def _hash(*parts: object) -> int:
    key = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")


def _frac(*parts: object) -> float:
    """A number in [0, 1) fixed by ``parts``."""
    return _hash(*parts) / 2**64


def _rng(*parts: object) -> random.Random:
    return random.Random(_hash(*parts))


def _pick(seq, *parts: object):
    return seq[_hash(*parts) % len(seq)]


# ---------------------------------------------------------------------------------------
# Geography: provinces as ontology/codelists.ttl labels them, with their offices
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Province:
    label: str  # skos:prefLabel in ontology/codelists.ttl
    abbr: str  # as in the offices' web addresses (babel.kemenkumham.go.id)
    capital: str
    area_code: str
    postal: str  # first two digits of the capital's postal codes
    kumham: int  # number of the Kemenkumham regional office ("W.16" = 16); 0: none
    places: tuple[str, ...]  # regencies and cities

    @property
    def upper(self) -> str:
        return self.label.upper()


def _prov(label, abbr, capital, area, postal, kumham, places) -> Province:
    return Province(label, abbr, capital, area, postal, kumham, tuple(places.split("; ")))


PROVINCES: tuple[Province, ...] = (
    _prov("Aceh", "aceh", "Banda Aceh", "0651", "23", 1,
          "Kota Banda Aceh; Kabupaten Aceh Besar; Kota Lhokseumawe; Kabupaten Aceh Utara; "
          "Kota Langsa"),
    _prov("Sumatera Utara", "sumut", "Medan", "061", "20", 2,
          "Kota Medan; Kabupaten Deli Serdang; Kota Pematangsiantar; Kabupaten Simalungun; "
          "Kota Binjai"),
    _prov("Sumatera Barat", "sumbar", "Padang", "0751", "25", 3,
          "Kota Padang; Kota Bukittinggi; Kabupaten Agam; Kota Payakumbuh; Kabupaten Solok"),
    _prov("Riau", "riau", "Pekanbaru", "0761", "28", 4,
          "Kota Pekanbaru; Kota Dumai; Kabupaten Kampar; Kabupaten Bengkalis; Kabupaten Siak"),
    _prov("Jambi", "jambi", "Jambi", "0741", "36", 5,
          "Kota Jambi; Kabupaten Muaro Jambi; Kota Sungai Penuh; Kabupaten Bungo; "
          "Kabupaten Kerinci"),
    _prov("Sumatera Selatan", "sumsel", "Palembang", "0711", "30", 6,
          "Kota Palembang; Kota Prabumulih; Kota Lubuklinggau; Kabupaten Ogan Komering Ilir; "
          "Kabupaten Muara Enim"),
    _prov("Bengkulu", "bengkulu", "Bengkulu", "0736", "38", 7,
          "Kota Bengkulu; Kabupaten Rejang Lebong; Kabupaten Bengkulu Utara; "
          "Kabupaten Kepahiang"),
    _prov("Lampung", "lampung", "Bandar Lampung", "0721", "35", 8,
          "Kota Bandar Lampung; Kota Metro; Kabupaten Lampung Selatan; "
          "Kabupaten Lampung Tengah; Kabupaten Way Kanan"),
    _prov("DKI Jakarta", "jakarta", "Jakarta", "021", "10", 9,
          "Kota Jakarta Pusat; Kota Jakarta Selatan; Kota Jakarta Timur; Kota Jakarta Utara; "
          "Kabupaten Kepulauan Seribu"),
    _prov("Jawa Barat", "jabar", "Bandung", "022", "40", 10,
          "Kota Bandung; Kota Bogor; Kabupaten Bekasi; Kota Cirebon; Kabupaten Garut; "
          "Kota Depok"),
    _prov("Jawa Tengah", "jateng", "Semarang", "024", "50", 11,
          "Kota Semarang; Kota Surakarta; Kabupaten Banyumas; Kabupaten Cilacap; "
          "Kota Pekalongan; Kabupaten Kudus"),
    _prov("DI Yogyakarta", "jogja", "Yogyakarta", "0274", "55", 12,
          "Kota Yogyakarta; Kabupaten Sleman; Kabupaten Bantul; Kabupaten Gunungkidul; "
          "Kabupaten Kulon Progo"),
    _prov("Jawa Timur", "jatim", "Surabaya", "031", "60", 13,
          "Kota Surabaya; Kota Malang; Kabupaten Sidoarjo; Kabupaten Jember; Kota Kediri; "
          "Kabupaten Banyuwangi"),
    _prov("Bali", "bali", "Denpasar", "0361", "80", 14,
          "Kota Denpasar; Kabupaten Badung; Kabupaten Gianyar; Kabupaten Buleleng; "
          "Kabupaten Tabanan"),
    _prov("Nusa Tenggara Barat", "ntb", "Mataram", "0370", "83", 15,
          "Kota Mataram; Kabupaten Lombok Barat; Kabupaten Lombok Timur; Kabupaten Sumbawa; "
          "Kota Bima"),
    _prov("Kalimantan Barat", "kalbar", "Pontianak", "0561", "78", 16,
          "Kota Pontianak; Kota Singkawang; Kabupaten Sambas; Kabupaten Ketapang; "
          "Kabupaten Sintang"),
    _prov("Kalimantan Tengah", "kalteng", "Palangka Raya", "0536", "73", 17,
          "Kota Palangka Raya; Kabupaten Kotawaringin Barat; Kabupaten Kotawaringin Timur; "
          "Kabupaten Kapuas"),
    _prov("Kalimantan Selatan", "kalsel", "Banjarmasin", "0511", "70", 18,
          "Kota Banjarmasin; Kota Banjarbaru; Kabupaten Banjar; Kabupaten Tabalong; "
          "Kabupaten Kotabaru"),
    _prov("Kalimantan Timur", "kaltim", "Samarinda", "0541", "75", 19,
          "Kota Samarinda; Kota Balikpapan; Kota Bontang; Kabupaten Kutai Kartanegara; "
          "Kabupaten Berau"),
    _prov("Sulawesi Utara", "sulut", "Manado", "0431", "95", 20,
          "Kota Manado; Kota Bitung; Kota Tomohon; Kabupaten Minahasa; Kota Kotamobagu"),
    _prov("Sulawesi Tengah", "sulteng", "Palu", "0451", "94", 21,
          "Kota Palu; Kabupaten Poso; Kabupaten Banggai; Kabupaten Donggala; "
          "Kabupaten Tolitoli"),
    _prov("Sulawesi Selatan", "sulsel", "Makassar", "0411", "90", 22,
          "Kota Makassar; Kota Parepare; Kota Palopo; Kabupaten Gowa; Kabupaten Bone; "
          "Kabupaten Maros"),
    _prov("Sulawesi Tenggara", "sultra", "Kendari", "0401", "93", 23,
          "Kota Kendari; Kota Baubau; Kabupaten Kolaka; Kabupaten Muna; Kabupaten Konawe"),
    _prov("Maluku", "maluku", "Ambon", "0911", "97", 24,
          "Kota Ambon; Kota Tual; Kabupaten Maluku Tengah; Kabupaten Seram Bagian Barat; "
          "Kabupaten Buru"),
    _prov("Nusa Tenggara Timur", "ntt", "Kupang", "0380", "85", 25,
          "Kota Kupang; Kabupaten Kupang; Kabupaten Ende; Kabupaten Sikka; "
          "Kabupaten Manggarai"),
    _prov("Papua", "papua", "Jayapura", "0967", "99", 26,
          "Kota Jayapura; Kabupaten Jayapura; Kabupaten Merauke; Kabupaten Mimika; "
          "Kabupaten Biak Numfor"),
    _prov("Kepulauan Bangka Belitung", "babel", "Pangkalpinang", "0717", "33", 27,
          "Kota Pangkalpinang; Kabupaten Bangka; Kabupaten Belitung; Kabupaten Bangka Barat; "
          "Kabupaten Belitung Timur"),
    _prov("Banten", "banten", "Serang", "0254", "42", 28,
          "Kota Serang; Kota Tangerang; Kota Cilegon; Kabupaten Pandeglang; Kabupaten Lebak"),
    _prov("Gorontalo", "gorontalo", "Gorontalo", "0435", "96", 29,
          "Kota Gorontalo; Kabupaten Gorontalo; Kabupaten Boalemo; Kabupaten Pohuwato"),
    _prov("Maluku Utara", "malut", "Ternate", "0921", "97", 30,
          "Kota Ternate; Kota Tidore Kepulauan; Kabupaten Halmahera Utara; "
          "Kabupaten Halmahera Selatan"),
    _prov("Kepulauan Riau", "kepri", "Tanjungpinang", "0771", "29", 31,
          "Kota Tanjungpinang; Kota Batam; Kabupaten Karimun; Kabupaten Bintan; "
          "Kabupaten Natuna"),
    _prov("Papua Barat", "papuabarat", "Manokwari", "0986", "98", 32,
          "Kabupaten Manokwari; Kota Sorong; Kabupaten Fakfak; Kabupaten Kaimana; "
          "Kabupaten Teluk Bintuni"),
    _prov("Sulawesi Barat", "sulbar", "Mamuju", "0426", "91", 33,
          "Kabupaten Mamuju; Kabupaten Polewali Mandar; Kabupaten Majene; Kabupaten Mamasa"),
    # no Kemenkumham regional office (served from Kalimantan Timur), but a Kemenag one
    _prov("Kalimantan Utara", "kaltara", "Tanjung Selor", "0552", "77", 0,
          "Kabupaten Bulungan; Kota Tarakan; Kabupaten Nunukan; Kabupaten Malinau"),
)


def _city(place: str) -> str:
    return place.removeprefix("Kota ").removeprefix("Kabupaten ")


# ---------------------------------------------------------------------------------------
# Ministries
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ministry:
    key: str
    letterhead: tuple[str, ...]  # the ministry block of the letterhead
    unit: str  # "1. Unit Organisasi : ..." (the extractor reads the ministry from it)
    short: str  # "Kementerian Hukum dan HAM", used in titles and running text
    long: str  # "Kementerian Hukum dan Hak Asasi Manusia"
    domain: str  # web domain
    main_task: str
    functions: tuple[str, ...]


KUMHAM = Ministry(
    "kemenkumham",
    ("KEMENTERIAN HUKUM DAN HAK ASASI MANUSIA", "REPUBLIK INDONESIA"),
    "Kementerian Hukum dan Hak Asasi Manusia Republik Indonesia",
    "Kementerian Hukum dan HAM",
    "Kementerian Hukum dan Hak Asasi Manusia",
    "kemenkumham.go.id",
    "Melaksanakan tugas dan fungsi Kementerian Hukum dan Hak Asasi Manusia dalam wilayah "
    "provinsi berdasarkan kebijakan Menteri Hukum dan Hak Asasi Manusia dan ketentuan "
    "peraturan perundang-undangan",
    (
        "Pengoordinasian perencanaan, pengendalian program, dan pelaporan",
        "Pelaksanaan pelayanan di bidang administrasi hukum umum, kekayaan intelektual, dan "
        "pemberian informasi hukum",
        "Pelaksanaan fasilitasi perancangan produk hukum daerah dan pengembangan budaya hukum "
        "serta penyuluhan, konsultasi dan bantuan hukum",
        "Pengoordinasian pelaksanaan operasional Unit Pelaksana Teknis di lingkungan "
        "Kementerian Hukum dan hak Asasi Manusia di bidang keimigrasian dan bidang "
        "pemasyarakatan",
        "Penguatan dan pelayanan hak asasi manusia untuk mewujudkan penghormatan, pemenuhan, "
        "pemajuan, perlindungan, dan penegakan hak asasi manusia",
        "Pelaksanaan urusan administrasi di lingkungan Kantor Wilayah",
    ),
)
# After the ministry was split in October 2024, its regional offices became those of the
# Ministry of Law (Kementerian Hukum).
KUM = Ministry(
    "kemenkum",
    ("KEMENTERIAN HUKUM", "REPUBLIK INDONESIA"),
    "Kementerian Hukum",
    "Kementerian Hukum",
    "Kementerian Hukum",
    "kemenkum.go.id",
    "Melaksanakan tugas dan fungsi Kementerian Hukum di wilayah provinsi berdasarkan "
    "kebijakan Menteri Hukum dan ketentuan peraturan perundang-undangan",
    (
        "Pengoordinasian perencanaan, pengendalian program, dan pelaporan",
        "Pelaksanaan pelayanan di bidang administrasi hukum umum dan kekayaan intelektual",
        "Pelaksanaan fasilitasi pembentukan produk hukum daerah",
        "Pelaksanaan pembinaan hukum, penyuluhan hukum, dan bantuan hukum",
        "Pelaksanaan analisis strategi kebijakan hukum di wilayah",
        "Pelaksanaan urusan administrasi di lingkungan Kantor Wilayah",
    ),
)
AGAMA = Ministry(
    "kemenag",
    ("KEMENTERIAN AGAMA", "REPUBLIK INDONESIA"),
    "Kementerian Agama",
    "Kementerian Agama",
    "Kementerian Agama",
    "kemenag.go.id",
    "Melaksanakan tugas dan fungsi Kementerian Agama dalam wilayah provinsi berdasarkan "
    "kebijakan Menteri Agama dan ketentuan peraturan perundang-undangan",
    (
        "Perumusan dan penetapan visi, misi, dan kebijakan teknis di bidang pelayanan dan "
        "bimbingan kehidupan beragama kepada masyarakat di provinsi",
        "Pelayanan, bimbingan dan pembinaan di bidang haji dan umrah",
        "Pelayanan, bimbingan dan pembinaan di bidang pendidikan madrasah, pendidikan agama "
        "dan keagamaan",
        "Pembinaan kerukunan umat beragama",
        "Perumusan kebijakan teknis di bidang pengelolaan administrasi dan informasi",
        "Pengkoordinasian perencanaan, pengendalian dan pengawasan program",
        "Pelaksanaan hubungan dengan pemerintah daerah, instansi terkait dan lembaga "
        "masyarakat dalam rangka pelaksanaan tugas Kementerian di provinsi",
    ),
)
MINISTRIES = {m.key: m for m in (KUMHAM, KUM, AGAMA)}


@dataclass(frozen=True)
class LocalUnit:
    """A unit (Perangkat Daerah) that every provincial government has."""

    key: str  # "pemprov/dinkes": a slot's issuer; each province has one such unit
    name: str  # "Dinas Kesehatan", as the Satuan Kerja item writes it
    web: str  # host name before the province's domain ("dinkes" in dinkes.jabarprov.go.id)
    domain: str  # its group in LOCAL_CATALOGUE
    main_task: str
    functions: tuple[str, ...]


def _unit(web, name, domain, task, functions) -> LocalUnit:
    return LocalUnit(f"pemprov/{web}", name, web, domain,
                     f"Membantu Gubernur melaksanakan urusan pemerintahan {task} yang menjadi "
                     "kewenangan daerah provinsi dan tugas pembantuan",
                     tuple(functions.split("; ")))


LOCAL_UNITS: tuple[LocalUnit, ...] = (
    _unit("dinkes", "Dinas Kesehatan", "kesehatan", "bidang kesehatan",
          "Perumusan kebijakan di bidang kesehatan masyarakat, pencegahan dan pengendalian "
          "penyakit, pelayanan kesehatan, dan sumber daya kesehatan; Pelaksanaan kebijakan di "
          "bidang kesehatan; Pelaksanaan evaluasi dan pelaporan di bidang kesehatan; "
          "Pelaksanaan administrasi dinas"),
    _unit("disdik", "Dinas Pendidikan", "pendidikan-daerah", "bidang pendidikan",
          "Perumusan kebijakan pengelolaan pendidikan menengah dan pendidikan khusus; "
          "Pelaksanaan kebijakan di bidang pendidikan; Pembinaan pendidik dan tenaga "
          "kependidikan; Pelaksanaan administrasi dinas"),
    _unit("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "pupr",
          "bidang pekerjaan umum dan penataan ruang",
          "Perumusan kebijakan di bidang bina marga, sumber daya air, cipta karya dan penataan "
          "ruang; Pelaksanaan kebijakan di bidang pekerjaan umum dan penataan ruang; "
          "Pelaksanaan evaluasi dan pelaporan; Pelaksanaan administrasi dinas"),
    _unit("dinsos", "Dinas Sosial", "sosial", "bidang sosial",
          "Perumusan kebijakan di bidang rehabilitasi sosial, perlindungan dan jaminan sosial, "
          "dan pemberdayaan sosial; Pelaksanaan kebijakan di bidang sosial; Pelaksanaan "
          "evaluasi dan pelaporan di bidang sosial; Pelaksanaan administrasi dinas"),
    _unit("bappeda", "Badan Perencanaan Pembangunan Daerah", "perencanaan",
          "penunjang bidang perencanaan pembangunan",
          "Penyusunan kebijakan teknis perencanaan pembangunan daerah; Koordinasi penyusunan "
          "RPJPD, RPJMD dan RKPD; Pemantauan, evaluasi dan pelaporan pelaksanaan rencana "
          "pembangunan daerah; Pelaksanaan administrasi badan"),
    _unit("diskominfo", "Dinas Komunikasi dan Informatika", "kominfo",
          "bidang komunikasi dan informatika, statistik dan persandian",
          "Perumusan kebijakan di bidang informasi dan komunikasi publik, aplikasi informatika, "
          "statistik dan persandian; Pelaksanaan kebijakan di bidang komunikasi dan "
          "informatika; Pelaksanaan evaluasi dan pelaporan; Pelaksanaan administrasi dinas"),
)
UNITS = {u.key: u for u in LOCAL_UNITS}

# ---------------------------------------------------------------------------------------
# Indicator catalogue
#
# "@domain" starts a group of sasaran; "# text || variant" is a sasaran ("#?" optional);
# "kind[:lo-hi] | wording || variant ..." an indicator ("?" before the kind: optional).
# Variants are other spellings seen in real documents: an office that uses one keeps it.
# An indented line continues the line before it. "{rpjmn}" is the planning period.
# ---------------------------------------------------------------------------------------

KUMHAM_CATALOGUE = """
@manajemen
# Terwujudnya layanan administratif dan fasilitatif Kantor Wilayah yang efektif dan efisien
idx4:3.0-3.4 | Indeks kepuasan layanan internal di lingkungan Kantor Wilayah
?idx100:68-82 | Nilai Evaluasi Akuntabilitas Kinerja Instansi Pemerintah (SAKIP) Kantor Wilayah
?idx100:86-98 | Nilai Indikator Kinerja Pelaksanaan Anggaran (IKPA) Kantor Wilayah
?pct:90-98 | Persentase realisasi anggaran Kantor Wilayah
#? Terwujudnya birokrasi yang bersih, akuntabel dan berkinerja tinggi di lingkungan Kantor
  Wilayah
upt:1-6 | Jumlah satuan kerja yang memperoleh predikat Wilayah Bebas dari Korupsi (WBK)
?pct:55-80 | Persentase pegawai yang memenuhi standar kompetensi jabatan
?orang:40-400 | Jumlah pegawai yang mengikuti pengembangan kompetensi
@ahu
# Terwujudnya Pelayanan Publik di Bidang Administrasi Hukum Umum yang Berkepastian Hukum
pct:85-95 | Persentase penyelesaian permohonan layanan administrasi hukum umum yang tepat waktu
  dan berkepastian hukum
#? Terwujudnya Otoritas Pusat yang Efektif dan Tepat Sasaran
pct:80-95 | Persentase permintaan bantuan timbal balik dalam masalah pidana dan ekstradisi yang
  telah ditindaklanjuti
# Terwujudnya layanan administrasi hukum umum di wilayah yang berkepastian hukum
pct:3-10 | Persentase peningkatan PNBPA Administrasi Hukum Umum di wilayah
  || Persentase peningkatan PNBP Administrasi Hukum Umum di wilayah
# Meningkatnya efektivitas pelaksanaan tugas MKNW, MPW dan MPD
pct:80-95 | Persentase laporan pengaduan masyarakat terkait dugaan pelanggaran perilaku Notaris
  dan pelaksanaan jabatan Notaris di Kantor Wilayah yang diselesaikan
@ki
#? Terlindunginya Kekayaan Intelektual di Seluruh Indonesia
idx4:3.1-3.5 | Indeks Kepuasan Masyarakat terhadap Layanan Kekayaan Intelektual
# Terselenggaranya penegakan hukum Kekayaan Intelektual di wilayah
idx4:3.0-3.3 | Indeks penegakan hukum Kekayaan Intelektual di Wilayah
# Meningkatnya pemahaman masyarakat terhadap KI di wilayah
pct:60-80 | Persentase masyarakat yang memahami KI terhadap total masyarakat yang mendapatkan
  diseminasi/edukasi tentang KI di Wilayah
pct:10-25 | Persentase Peningkatan Permohonan Kekayaan Intelektual di Wilayah
@strategi
#? Mewujudkan pemanfaatan rekomendasi hasil analisis kebijakan sebagai bahan pembangunan
  hukum nasional dan perumusan kebijakan hukum dan hak asasi manusia
pct:70-85 | Persentase pemanfaatan rekomendasi kebijakan hasil analisis strategi kebijakan
  sebagai bahan pembangunan hukum nasional dan perumusan kebijakan hukum dan hak asasi manusia
pct:15-30 | Indeks Kualitas Kebijakan Kementerian Hukum dan Hak Asasi Manusia
# Terwujudnya kemanfaatan rekomendasi strategi kebijakan hukum dan hak asasi manusia di
  wilayah
pct:70-90 | Persentase rekomendasi strategi kebijakan hukum dan hak asasi manusia di wilayah
  yang ditindaklanjuti
@regulasi
#? Terbentuknya peraturan-perundang-undangan yang berkualitas
pct:75-90 | Persentase (%) Rancangan Peraturan Perundang-undangan yang diselesaikan sesuai
  dengan perencanaan
orang:100-300 | Jumlah peningkatan kapasitas dan pembinaan tenaga perancang peraturan
  perundang-undangan
pct:75-90 | Persentase (%) Harmonisasi Peraturan Perundang-undangan yang diselesaikan sesuai
  dengan permohonan
# Terfasilitasinya rancangan produk hukum di daerah
pct:75-95 | Persentase rancangan peraturan daerah yang difasilitasi oleh kantor wilayah
  Kemenkumham
# Terselenggaranya pembinaan perancang peraturan perundang-undangan
orang:10-40 | Jumlah peningkatan kapasitas pembinaan tenaga perancang peraturan
  perundang-undangan
@hukum
#? Terselenggaranya perencanaan hukum, pemantauan dan peninjauan/analisis dan evaluasi hukum
pct:15-30 | Persentase hasil analisis dan evaluasi peraturan perundang-undangan yang
  dimanfaatkan oleh pembuat kebijakan
pct:10-25 | Persentase jumlah RUU prakarsa pemerintah dalam Prolegnas Jangka Menengah {rpjmn}
  yang masuk kedalam Prolegnas Prioritas Tahunan
#? Terwujudnya Kesadaran dan Pemahaman Hukum
idx100:72-85 | Indeks kepuasan masyarakat atas pelayanan dokumentasi hukum
pct:78-90 | Persentase permohonan bantuan hukum litigasi yang dilayani sesuai dengan peraturan
  perundang-undangan
pct:75-90 | Persentase permohonan bantuan hukum non litigasi yang dilayani sesuai dengan
  peraturan perundang-undangan
idx100:72-85 | Indeks kepuasan layanan bantuan hukum
# Terwujudnya analisis dan evaluasi produk hukum di wilayah serta fasilitasi perencanaan perda
kegiatan:1-4 | Jumlah analisis dan evaluasi produk hukum yang dilakukan
kegiatan:1-4 | Jumlah fasilitasi Perencanaan Perda
# Terwujudnya pengelolaan keanggotaan JDIHN di wilayah
pct:20-45 | Persentase anggota JDIHN yang dikelola terhadap total anggota JDIHN di wilayah
# Meningkatnya layanan bantuan hukum di wilayah
pct:78-90 | Persentase layanan bantuan hukum litigasi yang diberikan terhadap total permohonan
  layanan bantuan hukum litigasi
pct:75-90 | Persentase layanan bantuan hukum non-litigasi yang diberikan terhadap total
  permohonan layanan bantuan hukum non-litigasi
# Meningkatnya desa sadar hukum di wilayah
pct:60-80 | Persentase peningkatan Desa/Kelurahan sadar hukum yang memenuhi kriteria sebagai
  Desa/Kelurahan Binaan terhadap total usulan kantor wilayah
@ham
#? Meningkatnya kebijakan pembangunan yang berprespektif HAM
pct:15-35 | Persentase Kab/Kota Peduli HAM
pct:40-65 | Persentase penanganan dugaan pelanggaran HAM yang ditindaklanjuti oleh pemangku
  kepentingan
pct:65-85 | Persentase instansi pemerintah yang menindaklanjuti hasil Diseminasi dan Penguatan
  HAM dalam bentuk pelayanan publik berbasis HAM
# Meningkatnya pemerintah daerah yang melaksanakan program aksi HAM
instansi:1-8 | Jumlah pemerintah daerah yang melaksanakan program aksi HAM
instansi:1-6 | Jumlah Kab/kota peduli HAM
instansi:1-5 | Jumlah instansi pemerintah yang menindaklanjuti hasil diseminasi dan penguatan
  HAM
# Meningkatnya kepuasan masyarakat terhadap layanan pengaduan HAM di Wilayah
rekomendasi:1-6 | Tersedianya rekomendasi perlindungan dan pemenuhan Hak Asasi Manusia di
  Wilayah
@pemasyarakatan
# Terwujudnya Penyelenggaraan Pelayanan Pemasyarakatan yang Berkualitas di Wilayah
  || Terwujudnya penyelenggaraan pelayanan masyarakat yang berkualitas di wilayah
idx100:78-88 | Indeks penyelenggaraan pemasyarakatan di wilayah
  || Indeks penyelenggaraan masyarakat di wilayah
# Meningkatnya Pelayanan Perawatan Narapidana/Tahanan/Anak, Pengendalian Penyakit Menular dan
  Peningkatan Kualitas Hidup Narapidana Peserta Rehabilitasi Narkotika di wilayah
  || Meningkatnya Pelayanan Perawatan Narapidana /Tahanan/Anak Pengendalian Penyakit Menular
  dan Peningkatan Kualitas Hidup Narapidana Peserta Rehabilitasi Narkotika di wilayah
pct:78-92 | Persentase pemenuhan layanan makanan bagi Tahanan/Narapidana/Anak sesuai dengan
  standar || Persentase pemenuhan layanan makanan bagi Tahanan /Narapidana/Anak sesuai dengan
  standar
pct:90-100 | Persentase Tahanan /Narapidana/Anak mendapatkan layanan kesehatan (preventif)
  secara berkualitas
pct:94-100 | Persentase Tahanan dan Narapidana perempuan (ibu hamil dan menyusui) mendapat
  akses layanan kesehatan maternal
pct:78-92 | Persentase Tahanan/Narapidana/Anak yang mengalami gangguan mental dapat tertangani
pct:80-92 | Persentase tahanan/narapidana lansia yang mendapatkan layanan kesehatan sesuai
  standar
pct:80-92 | Persentase tahanan/narapidana/anak berkebutuhan khusus (Disabilitas) yang
  mendapatkan layanan kesehatan sesuai standar || Persentase tahanan /narapidana/anak
  berkebutuhan khusus (Disabilitas) yang mendapatkan layanan kesehatan sesuai standar
pct:78-92 | Persentase keberhasilan penanganan penyakit menular HIV-AIDS (ditekan jumlah
  virusnya) dan TB Positif (berhasil sembuh) || Persentase keberhasilan penangana penyakit
  menular HIV-AIDS (ditekan jumlah virusnya) dan TB Positif (berhasil sembuh)
pct:22-35 | Persentase perubahan kualitas hidup pecandu/penyalahguna/korban penyalahgunaan
  narkotika || Persentase perubahan kualitas hidup pecandu/penyalahguna/korban
  penyalahgunaan narkoba
# Meningkatnya Pelayanan Tahanan di wilayah sesuai standar
pct:85-100 | Persentase menurunnya tahanan yang overstaying
pct:85-100 | Persentase Tahanan yang memperoleh Layanan Penyuluhan Hukum
pct:85-100 | Persentase Tahanan yang memperoleh Fasilitas Bantuan Hukum
# Meningkatnya Pelayanan Pembinaan Kepribadian, Pelatihan Vokasi, Pendidikan dan Penanganan
  Narapidana Resiko Tinggi
pct:65-80 | Persentase narapidana yang memperoleh nilai baik dengan predikat memuaskan pada
  instrument penilaian kepribadian
pct:96-100 | Persentase narapidana yang mendapatkan hak remisi
pct:80-95 | Persentase narapidana yang mendapatkan hak integrasi
pct:80-95 | Persentase narapidana yang mendapatkan hak Pendidikan
pct:12-25 | Persentase Narapidana resiko tinggi yang berubah perilakunya menjadi Sadar, Patuh
  dan Disiplin || Persentase Narapidana resiko tinggi yang berubah perilakunya menjadi Sadar,
  Patuh dan Displin
pct:25-40 | Persentase narapidana yang memperoleh Pendidikan dan pelatihan vokasi
  bersertifikasi
pct:65-85 | Persentase narapidana yang bekerja dan produktif
# Meningkatnya Pelayanan Pengelolaan Basan Baran di wilayah sesuai standar
pct:80-100 | Persentase benda sitaan dan barang rampasan yang terjaga kualitas dan kuantitasnya
pct:80-100 | Persentase benda sitaan dan barang rampasan yang dikeluarkan berdasarkan putusan
  yang berkuatan hukum tetap
# Meningkatnya Pelayanan Keamanan dan Ketertiban di wilayah sesuai standar
  || Meningkatnya Kualitas Penyelenggaraan Masyarakatan di Bidang Keamanan dan Ketertiban
pct:80-95 | Persentase pengaduan yang ditindaklanjuti sesuai standar
  || Persentase pengaduan yang diselesaikan
pct:78-92 | Persentase gangguan kamtib yang dapat dicegah || Persentase pencegahan gangguan
  kamtib
pct:80-95 | Persentase kepatuhan dan disiplin terhadap tata tertib oleh
  Tahanan/Narapidana/Anak pelaku gangguan kamtib
pct:78-92 | Persentase pemulihan kondisi keamanan pasca gangguan kamtib secara tuntas
# Meningkatnya pelayanan pembimbingan klien pemasyarakatan dan pemenuhan hak pendidikan klien
  anak pada luar lembaga di wilayah sesuai standar || Meningkatnya pelayanan pembimbingan klien
  masyarakat dan pemenuhan hak pendidikan klien anak pada luar lembaga di wilayah sesuai
  standar
pct:55-75 | Persentase klien usia produktif yang memperoleh atau melanjutkan pekerjaan di luar
  lembaga
pct:45-60 | Persentase menurunnya Anak yang mendapatkan putusan pidana penjara
pct:30-45 | Persentase klien Anak yang terpenuhi hak pendidikannya
# Meningkatnya Pemenuhan Hak Pendidikan Anak di LPKA dan Pengentasan Anak di wilayah sesuai
  standar
pct:75-90 | Persentase Anak yang mengikuti kegiatan Pendidikan keterampilan dan bersertifikat
pct:90-100 | Persentase Anak yang memperoleh hak integrasi
pct:85-100 | Persentase Anak yang memperoleh Hak Pengasuhan sesuai standar
pct:85-100 | Persentase anak yang mengikuti pendidikan formal dan non formal
#? Meningkatnya Kualitas Layanan Pemasyarakatan dan Kapasitas Hunian
  || Meningkatnya Kualitas Layanan Pemasarakatan dan Kapasitas Hunian
upt:0-0 | Jumlah UPT Pembangunan Lembaga Pemasyarakatan (Lapas)
  || Jumlah UPT Pembangunan Lembaga Pemasarakatan (Lapas)
upt:0-1 | Jumlah UPT Pembangunan Rumah Tahanan Negara (Rutan)
upt:0-0 | Jumlah UPT Pembangunan Lembaga Pemasyarakatan Perempuan (LPP)
  || Jumlah UPT Pembangunan Lembaga Pemasarakatan Perempuan (LPP)
upt:0-0 | Jumlah UPT Pembangunan Lembaga Pembinaan Khusus Anak (LPKA)
upt:0-1 | Jumlah UPT Pembangunan Balai Pemasyarakatan (Bapas)
  || Jumlah UPT Pembangunan Balai Pemasarakatan (Bapas)
upt:0-3 | Jumlah UPT Rehabilitasi/Renovasi Lapas/Rutan/Bapas/LPKA/Rupbasan
@imigrasi
# Meningkatnya kualitas pelaksanaan tugas dan fungsi keimigrasian di Wilayah
idx4:3.1-3.4 | Indeks Kepuasan Masyarakat terhadap Layanan Keimigrasian di Wilayah
idx4:3.0-3.3 | Indeks Pengamanan Keimigrasian di Wilayah
#? Meningkatnya pengawasan orang asing di wilayah
kegiatan:2-12 | Jumlah operasi gabungan pengawasan orang asing di wilayah
?pct:70-90 | Persentase rekomendasi Tim Pengawasan Orang Asing (TIMPORA) yang ditindaklanjuti
"""

AGAMA_CATALOGUE = """
@tatakelola
# Meningkatnya kualitas tata kelola pemerintahan yang baik di lingkungan Kantor Wilayah
  || Meningkatnya tata kelola organisasi yang efektif dan akuntabel
idx100:62-80 | Nilai Evaluasi SAKIP Kantor Wilayah Kementerian Agama
  || Nilai SAKIP Kantor Wilayah
idx100:85-98 | Nilai Indikator Kinerja Pelaksanaan Anggaran (IKPA)
pct:88-98 | Persentase realisasi anggaran Kantor Wilayah
?upt:1-8 | Jumlah satuan kerja yang memperoleh predikat Wilayah Bebas dari Korupsi (WBK)
?laporan:2-12 | Jumlah laporan hasil pengawasan internal yang ditindaklanjuti
#? Meningkatnya kualitas pelayanan publik di lingkungan Kantor Wilayah
idx4:3.0-3.6 | Indeks Kepuasan Masyarakat terhadap layanan Kantor Wilayah Kementerian Agama
pct:80-100 | Persentase pengaduan masyarakat yang ditindaklanjuti
#? Meningkatnya kualitas layanan informasi dan kehumasan
pct:70-95 | Persentase permohonan informasi publik yang diselesaikan tepat waktu
kegiatan:2-12 | Jumlah publikasi kegiatan Kantor Wilayah melalui media massa
@haji
# Meningkatnya kualitas penyelenggaraan ibadah haji dan umrah
idx100:80-92 | Indeks kepuasan jemaah haji terhadap layanan penyelenggaraan ibadah haji
pct:90-100 | Persentase jemaah haji yang mendapatkan bimbingan manasik haji
?laporan:2-12 | Jumlah laporan pengawasan Penyelenggara Perjalanan Ibadah Umrah (PPIU)
?pct:85-100 | Persentase pengaduan jemaah umrah yang ditindaklanjuti
?orang:500-20000 | Jumlah jemaah haji yang diberangkatkan sesuai kuota provinsi
@bimasislam
# Meningkatnya kualitas layanan bimbingan masyarakat Islam
pct:50-80 | Persentase KUA yang memberikan layanan prima
orang:40-400 | Jumlah penyuluh agama Islam yang tersertifikasi
pct:60-90 | Persentase calon pengantin yang mendapatkan bimbingan perkawinan
pct:40-75 | Persentase tanah wakaf yang bersertifikat
?idx100:70-85 | Indeks kepuasan layanan nikah dan rujuk pada KUA
?kegiatan:2-12 | Jumlah kegiatan pembinaan kemasjidan
#? Meningkatnya kualitas pengelolaan zakat dan wakaf
pct:3-15 | Persentase peningkatan penghimpunan zakat melalui BAZNAS provinsi
dokumen:10-200 | Jumlah sertifikat tanah wakaf yang diterbitkan
#? Meningkatnya kualitas layanan jaminan produk halal
orang:50-2000 | Jumlah pelaku usaha mikro dan kecil yang difasilitasi sertifikasi halal
kegiatan:1-8 | Jumlah kegiatan sosialisasi jaminan produk halal
@pendidikan
# Meningkatnya kualitas pendidikan madrasah
pct:55-85 | Persentase madrasah terakreditasi minimal B
pct:40-75 | Persentase guru madrasah yang tersertifikasi
idx100:55-75 | Rata-rata nilai Asesmen Kompetensi Madrasah Indonesia (AKMI)
orang:1000-40000 | Jumlah siswa madrasah penerima Program Indonesia Pintar
?pct:85-100 | Persentase madrasah yang menerapkan Rencana Kerja dan Anggaran Madrasah berbasis
  elektronik
# Meningkatnya kualitas pendidikan agama Islam pada sekolah
pct:40-75 | Persentase guru Pendidikan Agama Islam yang tersertifikasi
?orang:50-500 | Jumlah guru Pendidikan Agama Islam yang mengikuti peningkatan kompetensi
# Meningkatnya kualitas pendidikan diniyah dan pondok pesantren
pct:60-95 | Persentase pondok pesantren yang memiliki izin operasional
orang:100-5000 | Jumlah santri penerima bantuan pendidikan
?kegiatan:2-12 | Jumlah kegiatan pembinaan pendidikan diniyah takmiliyah
#? Meningkatnya kualitas tenaga pendidik dan kependidikan madrasah
orang:50-800 | Jumlah guru madrasah yang mengikuti Pendidikan Profesi Guru
pct:60-90 | Persentase kepala madrasah yang memenuhi standar kompetensi
@kerukunan
# Meningkatnya kualitas kerukunan umat beragama
idx100:68-80 | Indeks Kerukunan Umat Beragama di wilayah
kabkota:2-20 | Jumlah Forum Kerukunan Umat Beragama (FKUB) kabupaten/kota yang difasilitasi
?desa:1-12 | Jumlah desa sadar kerukunan
?pct:80-100 | Persentase konflik sosial berdimensi keagamaan yang ditangani
@bimaslain
# Meningkatnya kualitas layanan bimbingan masyarakat Kristen
pct:40-70 | Persentase penyuluh agama Kristen yang tersertifikasi
kegiatan:2-10 | Jumlah kegiatan pembinaan lembaga keagamaan Kristen
#? Meningkatnya kualitas layanan bimbingan masyarakat Katolik
pct:40-70 | Persentase penyuluh agama Katolik yang tersertifikasi
kegiatan:2-10 | Jumlah kegiatan pembinaan lembaga keagamaan Katolik
#? Meningkatnya kualitas layanan bimbingan masyarakat Hindu
pct:40-70 | Persentase penyuluh agama Hindu yang tersertifikasi
?orang:20-600 | Jumlah siswa Pasraman penerima bantuan pendidikan
#? Meningkatnya kualitas layanan bimbingan masyarakat Buddha
pct:40-70 | Persentase penyuluh agama Buddha yang tersertifikasi
?kegiatan:1-6 | Jumlah kegiatan pembinaan Sekolah Minggu Buddha
"""

# The units of the provincial governments: one group per unit, and "umum-daerah", the
# management sasaran every unit has (so the same indicator recurs across units).
LOCAL_CATALOGUE = """
@umum-daerah
# Meningkatnya akuntabilitas kinerja Perangkat Daerah
  || Meningkatnya akuntabilitas kinerja dan keuangan Perangkat Daerah
idx100:60-85 | Nilai Evaluasi SAKIP Perangkat Daerah || Nilai SAKIP Perangkat Daerah
pct:90-99 | Persentase realisasi anggaran Perangkat Daerah
?pct:80-100 | Persentase tindak lanjut rekomendasi hasil pemeriksaan
#? Meningkatnya kualitas pelayanan publik Perangkat Daerah
idx100:76-90 | Indeks Kepuasan Masyarakat terhadap layanan Perangkat Daerah
  || Nilai Indeks Kepuasan Masyarakat
?pct:80-100 | Persentase pengaduan masyarakat yang ditindaklanjuti
@kesehatan
# Meningkatnya derajat kesehatan masyarakat || Meningkatnya derajat kesehatan masyarakat
  provinsi
pct:70-95 | Persentase cakupan imunisasi dasar lengkap pada bayi
  || Cakupan imunisasi dasar lengkap
pct:12-30 | Prevalensi stunting pada balita || Persentase balita stunting
pct:80-98 | Persentase persalinan di fasilitas pelayanan kesehatan
?pct:50-90 | Persentase kabupaten/kota yang mencapai eliminasi malaria
# Meningkatnya mutu dan akses pelayanan kesehatan
pct:60-95 | Persentase rumah sakit terakreditasi
pct:50-90 | Persentase puskesmas terakreditasi || Persentase puskesmas terakreditasi paripurna
pct:85-100 | Persentase penduduk yang menjadi peserta Jaminan Kesehatan Nasional
  || Cakupan kepesertaan Jaminan Kesehatan Nasional
#? Meningkatnya pencegahan dan pengendalian penyakit
pct:80-95 | Persentase keberhasilan pengobatan tuberkulosis
kabkota:1-15 | Jumlah kabupaten/kota yang melaksanakan Sanitasi Total Berbasis Masyarakat
?desa:20-600 | Jumlah desa/kelurahan Stop Buang Air Besar Sembarangan
@pendidikan-daerah
# Meningkatnya akses dan mutu pendidikan menengah
pct:75-95 | Angka Partisipasi Kasar SMA/SMK/SLB || Angka Partisipasi Kasar SMA/SMK
pct:60-80 | Angka Partisipasi Murni SMA/SMK
pct:60-90 | Persentase SMA/SMK terakreditasi minimal B
?pct:40-80 | Persentase lulusan SMK yang bekerja atau berwirausaha
# Meningkatnya kualitas pendidik dan tenaga kependidikan
pct:50-85 | Persentase guru SMA/SMK yang bersertifikat pendidik
orang:100-3000 | Jumlah guru yang mengikuti peningkatan kompetensi
#? Meningkatnya layanan pendidikan khusus
pct:50-85 | Persentase anak berkebutuhan khusus usia sekolah yang bersekolah
@pupr
# Meningkatnya kualitas infrastruktur jalan provinsi
pct:60-90 | Persentase jalan provinsi dalam kondisi mantap
  || Tingkat kemantapan jalan provinsi
pct:70-95 | Persentase jembatan provinsi dalam kondisi baik
# Meningkatnya layanan sumber daya air dan permukiman
pct:60-90 | Persentase daerah irigasi kewenangan provinsi dalam kondisi baik
pct:70-95 | Persentase rumah tangga yang mengakses air minum layak
?kabkota:1-10 | Jumlah kabupaten/kota yang difasilitasi penyusunan Rencana Detail Tata Ruang
#? Meningkatnya kesesuaian pemanfaatan ruang
pct:60-90 | Persentase kesesuaian pemanfaatan ruang dengan rencana tata ruang wilayah
dokumen:1-10 | Jumlah dokumen rencana tata ruang yang ditetapkan
@sosial
# Meningkatnya penanganan penyandang masalah kesejahteraan sosial
pct:60-90 | Persentase penyandang masalah kesejahteraan sosial yang tertangani
  || Persentase PMKS yang memperoleh pelayanan sosial
orang:500-20000 | Jumlah keluarga penerima manfaat yang didampingi
pct:80-100 | Persentase korban bencana yang mendapatkan bantuan sosial pada masa tanggap
  darurat
# Meningkatnya kualitas data kesejahteraan sosial
kabkota:2-20 | Jumlah kabupaten/kota yang memutakhirkan Data Terpadu Kesejahteraan Sosial
?pct:70-95 | Persentase panti sosial milik provinsi yang terakreditasi
@perencanaan
# Meningkatnya kualitas perencanaan pembangunan daerah
pct:85-100 | Persentase konsistensi program perencanaan dengan penganggaran
  || Persentase keselarasan program RPJMD dengan RKPD
dokumen:2-8 | Jumlah dokumen perencanaan pembangunan daerah yang ditetapkan tepat waktu
pct:70-95 | Persentase rekomendasi hasil evaluasi pembangunan daerah yang ditindaklanjuti
#? Meningkatnya kualitas penelitian dan pengembangan daerah
rekomendasi:2-15 | Jumlah rekomendasi kebijakan hasil kajian pembangunan daerah
?idx100:40-70 | Indeks Inovasi Daerah
@kominfo
# Meningkatnya kualitas penyelenggaraan Sistem Pemerintahan Berbasis Elektronik
idx4:2.2-3.6 | Indeks Sistem Pemerintahan Berbasis Elektronik (SPBE) || Indeks SPBE
pct:60-95 | Persentase Perangkat Daerah yang terhubung jaringan intra pemerintah
# Meningkatnya keterbukaan informasi publik
idx100:60-90 | Indeks Keterbukaan Informasi Publik
pct:70-95 | Persentase permohonan informasi publik yang diselesaikan tepat waktu
?kegiatan:4-24 | Jumlah kegiatan diseminasi informasi program pembangunan daerah
"""

KUM_DOMAINS = ("manajemen", "ahu", "ki", "strategi", "regulasi", "hukum")
KUM_REWORDING = (
    ("Kementerian Hukum dan Hak Asasi Manusia", "Kementerian Hukum"),
    ("Kemenkumham", "Kemenkum"),
    ("kebijakan hukum dan hak asasi manusia", "kebijakan hukum"),
)

# Flat lists (IKU list layout) follow the order of the Bangka Belitung seed; decrees group by
# program in the order of the Kalimantan Barat seed.
LIST_ORDER = {
    "kemenkumham": ("manajemen", "ahu", "ki", "strategi", "regulasi", "hukum", "ham",
                    "pemasyarakatan", "imigrasi"),
    "kemenkum": KUM_DOMAINS,
    "kemenag": ("tatakelola", "haji", "bimasislam", "pendidikan", "kerukunan", "bimaslain"),
} | {u.key: (u.domain, "umum-daerah") for u in LOCAL_UNITS}
DECREE_ORDER = ("manajemen", "pemasyarakatan", "imigrasi", "ahu", "ki", "regulasi", "ham",
                "hukum", "strategi")

# Budget programs by planning period. "|" separates a spelling some offices use.
PROGRAMS = {
    2020: {
        "manajemen": "PROGRAM DUKUNGAN MANAJEMEN PADA PENGELOLAAN ADMINISTRATIF DAN FASILITATIF "
        "KANTOR WILAYAH KEMENTERIAN HUKUM DAN HAM",
        "pemasyarakatan": "PROGRAM PENEGAKAN DAN PELAYANAN HUKUM PADA PENYELENGGARAAN "
        "PEMASYARAKATAN DI WILAYAH",
        "imigrasi": "PROGRAM PENEGAKAN DAN PELAYANAN HUKUM PADA PENYELENGGARAAN FUNGSI "
        "PENGKOORDINASIAN, PELAYANAN DAN PENEGAKAN HUKUM KEIMIGRASIAN DI WILAYAH",
        "ahu": "PROGRAM PENEGAKAN DAN PELAYANAN HUKUM PADA PENYELENGGARAAN ADMINISTRASI HUKUM "
        "UMUM DI WILAYAH",
        "ki": "PROGRAM PENEGAKAN DAN PELAYANAN HUKUM PADA PENYELENGGARAAN KEKAYAAN INTELEKTUAL "
        "DI KANTOR WILAYAH",
        "regulasi": "PROGRAM PEMBENTUKAN REGULASI PADA PENYELENGGARAAN FASILITASI PEMBENTUKAN "
        "REGULASI DI WILAYAH",
        "ham": "PROGRAM PEMAJUAN DAN PENEGAKAN HAM PADA PENYELENGGARAAN PEMAJUAN HAM DI WILAYAH"
        "|PROGRAM PEMAJUAN DAN PENEKAKAN HAM PADA PENYELENGGARAAN PEMAJUAN HAM DI WILAYAH",
        "hukum": "PROGRAM PENEGAKAN DAN PELAYANAN HUKUM PADA PENYELENGGARAAN KESADARAN DAN "
        "PEMAHAMAN HUKUM DI WILAYAH|PROGRAM PENEKAKAN DAN PELAYANAN HUKUM PADA "
        "PENYELENGGARAAN KESADARAN DAN PEMAHAMAN HUKUM DI WILAYAH",
        "strategi": "PROGRAM DUKUNGAN MANAJEMEN PADA PENYELENGGARAAN STRATEGI KEBIJAKAN HUKUM "
        "DAN HAM DI WILAYAH",
    },
    2015: {
        "manajemen": "PROGRAM DUKUNGAN MANAJEMEN DAN PELAKSANAAN TUGAS TEKNIS LAINNYA "
        "KEMENTERIAN HUKUM DAN HAK ASASI MANUSIA",
        "pemasyarakatan": "PROGRAM PEMBINAAN DAN PENYELENGGARAAN PEMASYARAKATAN",
        "imigrasi": "PROGRAM PENINGKATAN PELAYANAN DAN PENEGAKAN HUKUM KEIMIGRASIAN",
        "ahu": "PROGRAM PENINGKATAN PELAYANAN ADMINISTRASI HUKUM UMUM",
        "ki": "PROGRAM PENINGKATAN PELAYANAN DAN PENEGAKAN HUKUM DI BIDANG KEKAYAAN "
        "INTELEKTUAL",
        "regulasi": "PROGRAM PEMBENTUKAN HUKUM",
        "ham": "PROGRAM PEMAJUAN HAK ASASI MANUSIA",
        "hukum": "PROGRAM PEMBINAAN HUKUM NASIONAL",
        "strategi": "PROGRAM PENELITIAN DAN PENGEMBANGAN HUKUM DAN HAK ASASI MANUSIA",
    },
}

# Sasaran that gather an office's own indicators (the long tail), per domain.
TAIL_GOALS = {
    "manajemen": "Meningkatnya kualitas dukungan manajemen di lingkungan Kantor Wilayah",
    "ahu": "Meningkatnya kualitas layanan administrasi hukum umum di wilayah",
    "ki": "Meningkatnya pelindungan dan pemanfaatan kekayaan intelektual di wilayah",
    "strategi": "Meningkatnya kualitas rekomendasi kebijakan di wilayah",
    "regulasi": "Meningkatnya kualitas produk hukum daerah di wilayah",
    "hukum": "Meningkatnya budaya hukum masyarakat di wilayah",
    "ham": "Meningkatnya penghormatan, pelindungan dan pemenuhan HAM di wilayah",
    "pemasyarakatan": "Meningkatnya kualitas layanan Unit Pelaksana Teknis Pemasyarakatan di "
    "wilayah",
    "imigrasi": "Meningkatnya kualitas layanan dan pengawasan keimigrasian di wilayah",
    "tatakelola": "Meningkatnya kualitas dukungan manajemen Kantor Wilayah",
    "haji": "Meningkatnya kualitas layanan haji dan umrah di kabupaten/kota",
    "bimasislam": "Meningkatnya kualitas layanan keagamaan di kabupaten/kota",
    "pendidikan": "Meningkatnya mutu pendidikan madrasah di kabupaten/kota",
    "kerukunan": "Meningkatnya kerukunan umat beragama di kabupaten/kota",
    "bimaslain": "Meningkatnya kualitas layanan bimbingan masyarakat di kabupaten/kota",
    "umum-daerah": "Meningkatnya kualitas tata kelola Perangkat Daerah",
    "kesehatan": "Meningkatnya kualitas layanan kesehatan di kabupaten/kota",
    "pendidikan-daerah": "Meningkatnya mutu layanan pendidikan menengah di kabupaten/kota",
    "pupr": "Meningkatnya kualitas infrastruktur di kabupaten/kota",
    "sosial": "Meningkatnya perlindungan sosial di kabupaten/kota",
    "perencanaan": "Meningkatnya sinergi perencanaan pembangunan provinsi dan kabupaten/kota",
    "kominfo": "Meningkatnya layanan komunikasi dan informatika di kabupaten/kota",
}

# Long-tail templates: (ministries, domain, kind, wording). {kab}: a regency or city of the
# office's province; {upt}, {kanim}, {bapas}: its prisons and immigration offices; the
# other fields are filled from FILLERS.
TAIL_TEMPLATES = (
    ("kum", "ahu", "pct:80-98", "Persentase permohonan {svc} yang diselesaikan tepat waktu"),
    ("kum", "ahu", "kegiatan:1-8", "Jumlah kegiatan sosialisasi layanan {svc} di wilayah"),
    ("kum", "ahu", "idx4:3.0-3.6", "Indeks kepuasan masyarakat terhadap layanan {svc}"),
    ("kum", "ki", "dokumen:10-250", "Jumlah permohonan {ki} yang difasilitasi di wilayah"),
    ("kum", "ki", "kegiatan:1-6", "Jumlah kegiatan promosi {ki} di wilayah"),
    ("kum", "ki", "dokumen:1-12", "Jumlah pencatatan kekayaan intelektual komunal di {kab}"),
    ("kum", "hukum", "desa:2-30", "Jumlah Desa/Kelurahan sadar hukum yang dibentuk di {kab}"),
    ("kum", "hukum", "desa:2-40", "Jumlah Pos Bantuan Hukum (Posbankum) desa/kelurahan di {kab}"),
    ("kum", "hukum", "kegiatan:2-12", "Jumlah kegiatan penyuluhan hukum di {kab}"),
    ("kum", "hukum", "orang:5-60", "Jumlah penyuluh hukum yang mengikuti {diklat}"),
    ("kum", "hukum", "dokumen:2-20", "Jumlah produk hukum daerah {kab} yang dianalisis dan "
     "dievaluasi"),
    ("kum", "regulasi", "dokumen:3-40", "Jumlah rancangan peraturan daerah {kab} yang "
     "diharmonisasi"),
    ("kum", "regulasi", "dokumen:3-60", "Jumlah rancangan peraturan kepala daerah {kab} yang "
     "difasilitasi"),
    ("kumham", "ham", "kabkota:1-10", "Jumlah kabupaten/kota yang memperoleh penghargaan "
     "Kabupaten/Kota Peduli HAM"),
    ("kumham", "ham", "laporan:2-24", "Jumlah layanan komunikasi masyarakat yang "
     "ditindaklanjuti"),
    ("kumham", "ham", "kegiatan:1-6", "Jumlah kegiatan diseminasi HAM di {kab}"),
    ("kumham", "pemasyarakatan", "pct:80-250", "Persentase tingkat hunian {upt}"),
    ("kumham", "pemasyarakatan", "orang:20-300", "Jumlah warga binaan {upt} yang mengikuti "
     "pelatihan vokasi"),
    ("kumham", "pemasyarakatan", "pct:90-100", "Persentase narapidana {upt} yang memperoleh "
     "remisi"),
    ("kumham", "pemasyarakatan", "idx100:75-92", "Indeks kepuasan layanan kunjungan {upt}"),
    ("kumham", "pemasyarakatan", "pct:80-100", "Persentase penelitian kemasyarakatan {bapas} "
     "yang diselesaikan tepat waktu"),
    ("kumham", "imigrasi", "pct:85-100", "Persentase permohonan paspor yang diselesaikan tepat "
     "waktu pada {kanim}"),
    ("kumham", "imigrasi", "kegiatan:2-12", "Jumlah operasi pengawasan orang asing di {kab}"),
    ("kum", "manajemen", "orang:5-80", "Jumlah pegawai yang mengikuti {diklat}"),
    ("kum", "manajemen", "laporan:1-12", "Jumlah laporan {lap} yang disusun tepat waktu"),
    ("kum", "manajemen", "dokumen:1-6", "Jumlah dokumen {dok} yang ditetapkan"),
    ("agama", "pendidikan", "pct:50-90", "Persentase madrasah di {kab} yang terakreditasi "
     "minimal B"),
    ("agama", "pendidikan", "orang:300-9000", "Jumlah siswa madrasah di {kab} penerima Program "
     "Indonesia Pintar"),
    ("agama", "bimasislam", "pct:40-90", "Persentase KUA di {kab} yang memberikan layanan "
     "prima"),
    ("agama", "bimasislam", "orang:10-200", "Jumlah penyuluh agama Islam non PNS di {kab}"),
    ("agama", "bimasislam", "kegiatan:1-12", "Jumlah kegiatan {prog}"),
    ("agama", "kerukunan", "kegiatan:1-8", "Jumlah kegiatan dialog kerukunan antarumat "
     "beragama di {kab}"),
    ("agama", "haji", "orang:100-3000", "Jumlah jemaah haji asal {kab} yang mendapatkan "
     "bimbingan manasik"),
    ("agama", "tatakelola", "laporan:1-12", "Jumlah laporan {lap} yang disusun tepat waktu"),
    ("agama", "tatakelola", "orang:5-80", "Jumlah pegawai yang mengikuti {diklat}"),
    ("daerah", "kesehatan", "pct:60-95", "Persentase puskesmas di {kab} yang terakreditasi"),
    ("daerah", "kesehatan", "pct:70-95", "Cakupan imunisasi dasar lengkap di {kab}"),
    ("daerah", "pendidikan-daerah", "pct:60-90", "Persentase SMA/SMK di {kab} yang "
     "terakreditasi minimal B"),
    ("daerah", "pupr", "pct:55-90", "Persentase jalan provinsi di {kab} dalam kondisi mantap"),
    ("daerah", "sosial", "orang:50-2000", "Jumlah penerima bantuan sosial di {kab}"),
    ("daerah", "perencanaan", "dokumen:1-4", "Jumlah dokumen perencanaan pembangunan {kab} "
     "yang dievaluasi"),
    ("daerah", "kominfo", "kegiatan:1-8", "Jumlah kegiatan literasi digital di {kab}"),
    ("daerah", "umum-daerah", "orang:5-80", "Jumlah pegawai yang mengikuti {diklat}"),
    ("daerah", "umum-daerah", "laporan:1-12", "Jumlah laporan {lap} yang disusun tepat waktu"),
)
TEMPLATE_MINISTRIES = {
    "kum": ("kemenkumham", "kemenkum"),
    "kumham": ("kemenkumham",),
    "agama": ("kemenag",),
    "daerah": tuple(UNITS),
}
FILLERS = {
    "svc": (
        "pendaftaran jaminan fidusia", "pengesahan badan hukum perseroan terbatas",
        "pendaftaran CV, firma dan persekutuan perdata", "pengesahan badan hukum yayasan",
        "pengesahan badan hukum perkumpulan", "pewarganegaraan", "pendaftaran wasiat",
        "legalisasi apostille", "pengangkatan notaris", "perpindahan wilayah jabatan notaris",
        "pendaftaran perseroan perorangan", "pelaporan pemilik manfaat (beneficial ownership)",
        "kewarganegaraan anak berkewarganegaraan ganda", "pendaftaran koperasi",
    ),
    "ki": (
        "merek", "hak cipta", "paten sederhana", "desain industri", "indikasi geografis",
        "merek kolektif", "kekayaan intelektual komunal", "rahasia dagang",
    ),
    "diklat": (
        "pelatihan kepemimpinan", "pelatihan teknis substantif", "pelatihan manajemen risiko",
        "pelatihan pengadaan barang dan jasa", "pelatihan kehumasan",
        "pelatihan pengelolaan keuangan negara", "pelatihan kearsipan",
        "pelatihan sistem pengendalian intern pemerintah", "pelatihan analis kebijakan",
        "bimbingan teknis penyuluhan hukum", "bimbingan teknis pelayanan publik",
        "pengembangan kompetensi minimal 20 jam pelajaran",
    ),
    "lap": (
        "keuangan", "barang milik negara", "kinerja", "manajemen risiko",
        "pengendalian intern", "survei kepuasan masyarakat",
        "evaluasi pembangunan zona integritas", "realisasi PNBP", "pelaksanaan anggaran",
        "monitoring dan evaluasi program",
    ),
    "dok": (
        "perencanaan kinerja", "rencana kerja", "perjanjian kinerja", "standar pelayanan",
        "rencana aksi reformasi birokrasi", "rencana aksi zona integritas", "register risiko",
        "rencana kebutuhan barang milik negara",
    ),
    "prog": (
        "bimbingan perkawinan pranikah", "pembinaan keluarga sakinah",
        "fasilitasi sertifikasi halal bagi usaha mikro dan kecil", "pembinaan majelis taklim",
        "Musabaqah Tilawatil Quran tingkat provinsi", "pembinaan lembaga amil zakat",
        "pembinaan nazhir wakaf", "pembinaan penyuluh agama Islam",
    ),
}

VALUE_UNITS = {  # kind -> spellings of the unit in a target cell (ontology/codelists.ttl)
    "upt": ("UPT",),
    "orang": ("Orang", "Orang", "orang"),
    "instansi": ("Instansi Pemerintah", "Instansi Pemerintah", "Instansi"),
    "rekomendasi": ("Rekomendasi",),
    "kegiatan": ("Kegiatan",),
    "dokumen": ("Dokumen",),
    "laporan": ("Laporan",),
    "desa": ("Desa", "Desa/Kelurahan"),
    "kabkota": ("Kab/Kota", "Kabupaten/Kota"),
}


@dataclass(frozen=True)
class CatIndicator:
    texts: tuple[str, ...]  # canonical wording, then variants
    kind: str
    lo: float
    hi: float
    optional: bool


@dataclass(frozen=True)
class CatGoal:
    domain: str
    texts: tuple[str, ...]
    optional: bool
    indicators: tuple[CatIndicator, ...]


def parse_catalogue(text: str) -> tuple[CatGoal, ...]:
    logical: list[str] = []
    for raw in text.strip().splitlines():
        if raw[:1].isspace() and logical:
            logical[-1] += " " + raw.strip()
        elif raw.strip():
            logical.append(raw.strip())
    goals: list[CatGoal] = []
    domain = ""
    current: tuple[str, tuple[str, ...], bool, list[CatIndicator]] | None = None

    def close():
        if current is not None:
            goals.append(CatGoal(current[0], current[1], current[2], tuple(current[3])))

    for line in logical:
        if line.startswith("@"):
            domain = line[1:].strip()
        elif line.startswith("#"):
            close()
            optional = line.startswith("#?")
            body = line[2 if optional else 1 :].strip()
            current = (domain, _variants(body), optional, [])
        else:
            spec, body = (s.strip() for s in line.split("|", 1))
            optional = spec.startswith("?")
            kind, _, bounds = spec.lstrip("?").partition(":")
            lo, hi = (float(b) for b in bounds.split("-")) if bounds else (0.0, 0.0)
            current[3].append(CatIndicator(_variants(body), kind, lo, hi, optional))
    close()
    return tuple(goals)


def _variants(body: str) -> tuple[str, ...]:
    return tuple(" ".join(v.split()) for v in body.split("||"))


CATALOGUES = {
    "kemenkumham": parse_catalogue(KUMHAM_CATALOGUE),
    "kemenag": parse_catalogue(AGAMA_CATALOGUE),
    "pemprov": parse_catalogue(LOCAL_CATALOGUE),
}

# ---------------------------------------------------------------------------------------
# Legal bases, in the citation style of the Kalimantan Barat seed. Each instrument keeps one
# number and one title; ``styles`` are the ways documents name its type and issuer. Real
# instruments except where marked (synthetic numbers are plausible, not real).
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instrument:
    styles: tuple[str, ...]
    number: str
    year: int
    title: str
    first: int = 2000  # first document year that cites it
    last: int = 2100  # last document year that cites it
    core: bool = False  # cited by every decree of its years
    amended: str = ""  # "sebagaimana telah diubah ..." tail, for years >= amended_from
    amended_from: int = 2100

    def cite(self, style: int, year: int) -> str:
        text = f"{self.styles[style % len(self.styles)]} Nomor {self.number}"
        if not re.search(r"(19|20)\d\d$", self.number) or style % 3 == 0:
            text += f" Tahun {self.year}"
        text += f" tentang {self.title}"
        if self.amended and year >= self.amended_from:
            text += " " + self.amended
        return text


UU = ("Undang-Undang", "Undang-Undang Republik Indonesia")
PP = ("Peraturan Pemerintah", "Peraturan Pemerintah Republik Indonesia")
PERPRES = ("Peraturan Presiden", "Peraturan Presiden Republik Indonesia")
PERMENKUMHAM = (
    "Peraturan Menteri Hukum dan HAM RI",
    "Peraturan Menteri Hukum dan Hak Asasi Manusia",
    "Peraturan Menteri Hukum dan Hak Asasi Manusia Republik Indonesia",
    "Permenkumham",
)
KEPMENKUMHAM = ("Keputusan Menteri Hukum dan HAM RI", "Keputusan Menteri Hukum dan Hak Asasi "
                "Manusia", "Kepmenkumham")
PERMENPAN = (
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
    "Peraturan Menteri PANRB",
    "Permenpan RB",
)

BASES: tuple[Instrument, ...] = (
    Instrument(UU, "17", 2003, "Keuangan Negara"),
    Instrument(UU, "1", 2004, "Perbendaharaan Negara"),
    Instrument(UU, "25", 2004, "Sistem Perencanaan Pembangunan Nasional", core=True),
    Instrument(UU, "17", 2007, "Rencana Pembangunan Jangka Panjang Nasional Tahun 2005 – 2025",
               last=2024),
    Instrument(UU, "39", 2008, "Kementerian Negara",
               amended="sebagaimana telah diubah dengan Undang-Undang Nomor 61 Tahun 2024 "
               "tentang Perubahan atas Undang-Undang Nomor 39 Tahun 2008 tentang Kementerian "
               "Negara", amended_from=2025),
    Instrument(UU, "12", 2011, "Pembentukan Peraturan Perundang-undangan",
               amended="sebagaimana telah diubah terakhir dengan Undang-Undang Nomor 13 Tahun "
               "2022 tentang Perubahan Kedua atas Undang-Undang Nomor 12 Tahun 2011 tentang "
               "Pembentukan Peraturan Perundang-undangan", amended_from=2023),
    Instrument(UU, "5", 2014, "Aparatur Sipil Negara", last=2023),
    Instrument(UU, "20", 2023, "Aparatur Sipil Negara", first=2024),
    Instrument(PP, "8", 2006, "Pelaporan Keuangan dan Kinerja Instansi Pemerintah"),
    Instrument(PP, "17", 2017, "Sinkronisasi Proses Perencanaan dan Penganggaran Pembangunan "
               "Nasional", first=2018),
    Instrument(("Instruksi Presiden",), "7", 1999, "Akuntabilitas Kinerja Instansi Pemerintah",
               last=2013, core=True),
    Instrument(("Instruksi Presiden",), "7", 1999, "Akuntabilitas Kinerja Instansi Pemerintah",
               first=2014, last=2016),
    Instrument(PERPRES, "5", 2010, "Rencana Pembangunan Jangka Menengah Nasional Tahun 2010 – "
               "2014", last=2014, core=True),
    Instrument(PERPRES, "24", 2010, "Kedudukan, Tugas, dan Fungsi Kementerian Negara serta "
               "Susunan Organisasi, Tugas, dan Fungsi Eselon I Kementerian Negara", last=2015),
    Instrument(PERPRES, "81", 2010, "Grand Design Reformasi Birokrasi 2010-2025"),
    Instrument(PERPRES, "29", 2014, "Sistem Akuntabilitas Kinerja Instansi Pemerintah",
               core=True),
    Instrument(PERPRES, "2", 2015, "Rencana Pembangunan Jangka Menengah Nasional Tahun 2015 – "
               "2019", last=2019, core=True),
    Instrument(PERPRES, "18", 2020, "Rencana Pembangunan Jangka Menengah Nasional Tahun 2020 – "
               "2024", first=2020, core=True),
    Instrument(PERPRES, "44", 2015, "Kementerian Hukum dan Hak Asasi Manusia", core=True),
    Instrument(PERPRES, "95", 2018, "Sistem Pemerintahan Berbasis Elektronik", first=2019),
    Instrument(PERMENPAN, "53", 2014, "Petunjuk Teknis Perjanjian Kinerja, Pelaporan Kinerja dan "
               "Tata Cara Reviu atas Laporan Kinerja Instansi Pemerintah"),
    Instrument(PERMENPAN, "88", 2021, "Evaluasi Akuntabilitas Kinerja Instansi Pemerintah",
               first=2022),
    Instrument(("Peraturan Menteri Keuangan",), "62", 2023, "Perencanaan Anggaran, Pelaksanaan "
               "Anggaran, serta Akuntansi dan Pelaporan Keuangan", first=2024),
    Instrument(("Peraturan Menteri Dalam Negeri",), "80", 2015, "Pembentukan Produk Hukum "
               "Daerah", first=2016),
    Instrument(PERMENKUMHAM, "M.HH-05.OT.01.01", 2010, "Organisasi dan Tata Kerja Kementerian "
               "Hukum dan Hak Asasi Manusia Republik Indonesia", last=2015),
    # synthetic numbers: the Renstra 2010-2014 and 2015-2019 of the ministry
    Instrument(PERMENKUMHAM, "M.HH-03.PR.07.10", 2010, "Rencana Strategis Kementerian Hukum "
               "dan Hak Asasi Manusia Tahun 2010 – 2014", last=2014, core=True),
    Instrument(PERMENKUMHAM, "25", 2015, "Rencana Strategis Kementerian Hukum dan HAM Tahun "
               "2015 – 2019", first=2015, last=2019, core=True),
    Instrument(PERMENKUMHAM, "33", 2020, "Rencana Strategis Kementerian Hukum dan HAM Tahun "
               "2020 – 2024", first=2020, core=True),
    Instrument(PERMENKUMHAM, "29", 2015, "Organisasi dan Tata Kerja Kementerian Hukum dan HAM",
               first=2016),
    Instrument(PERMENKUMHAM, "28", 2014, "Organisasi dan Tata Kerja Kantor Wilayah Kementerian "
               "Hukum dan HAM", last=2018, core=True),
    Instrument(PERMENKUMHAM, "30", 2018, "Organisasi dan Tata Kerja Kantor Wilayah Kementerian "
               "Hukum dan HAM", first=2019, core=True),
)
# The minister's decree on the ministry's IKU, one per period (2021 is the seed's; the others
# are synthetic numbers).
IKU_DECREES = {
    2010: Instrument(KEPMENKUMHAM, "M.HH-01.PR.07.10", 2010, "Penetapan Indikator Kinerja Utama "
                     "di Lingkungan Kementerian Hukum dan Hak Asasi Manusia"),
    2015: Instrument(KEPMENKUMHAM, "M.HH-04.PR.07.06", 2015, "Penetapan Indikator Kinerja Utama "
                     "di Lingkungan Kementerian Hukum dan HAM"),
    2018: Instrument(KEPMENKUMHAM, "M.HH-02.PR.01.01", 2018, "Penetapan Indikator Kinerja Utama "
                     "di Lingkungan Kementerian Hukum dan HAM"),
    2021: Instrument(KEPMENKUMHAM, "M.HH-01.PR.01.01", 2021, "Penetapan Indikator Kinerja Utama "
                     "di Lingkungan Kementerian Hukum dan HAM"),
}
# Menimbang a.: the provision the decree carries out (articles of an instrument).
IMPLEMENTS = (  # (cited from year, articles, instrument)
    (
        2008,
        "pasal 3 dan pasal 4",
        "Peraturan Menteri Negara Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor: "
        "PER/9/M.PAN/5/2007 tentang Pedoman Umum Penetapan Indikator kinerja Utama (IKU) "
        "Instansi Pemerintah",
    ),
    (
        2009,
        "Pasal 3",
        "Peraturan Menteri Negara Pendayagunaan Aparatur Negara Nomor PER/20/M.PAN/11/2008 "
        "tentang Petunjuk Penyusunan Indikator Kinerja Utama",
    ),
    (
        2014,
        "Pasal 13",
        "Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi "
        "Pemerintah",
    ),
    (
        2015,
        "Pasal 2 dan Pasal 3",
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 53 Tahun "
        "2014 tentang Petunjuk Teknis Perjanjian Kinerja, Pelaporan Kinerja dan Tata Cara Reviu "
        "atas Laporan Kinerja Instansi Pemerintah",
    ),
)
COPIES = (
    "Sekretaris Jenderal Kementerian Hukum dan HAM RI",
    "Inspektur Jenderal Kementerian Hukum dan HAM RI",
    "Kepala Biro Perencanaan Kementerian Hukum dan HAM RI",
    "Para Kepala Divisi di lingkungan Kantor Wilayah",
    "Para Kepala Unit Pelaksana Teknis di lingkungan Kantor Wilayah",
)

# ---------------------------------------------------------------------------------------
# People: the head of each office, one per tenure of two or three years
# ---------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Harun", "Muhammad", "Ahmad", "Budi", "Agus", "Dwi", "Sri", "Siti", "Rina", "Dedi",
    "Hendra", "Yusuf", "Andi", "I Wayan", "Ni Made", "I Gusti Ngurah", "Tri", "Eko",
    "Bambang", "Heni", "Nur", "Fitri", "Yanti", "Ridwan", "Rudi", "Arief", "Indra", "Taufik",
    "Sutrisno", "Teguh", "Bonar", "Maria", "Yohanes", "Fransiskus", "Lukas", "Daud", "Irwan",
    "Dewi", "Kurniawan", "Aminah", "Haris", "Nasrul", "Saiful", "Marlina", "Ronald", "Jhoni",
)
LAST_NAMES = (
    "Sulianto", "Andrianto", "Hidayat", "Santoso", "Nasution", "Harahap", "Siregar", "Lubis",
    "Wibowo", "Pratama", "Saputra", "Kurniawan", "Setiawan", "Rahman", "Hasibuan",
    "Simanjuntak", "Tanjung", "Pohan", "Gultom", "Manurung", "Wijaya", "Susanto", "Purnomo",
    "Hakim", "Syahputra", "Mahendra", "Suryadi", "Pangaribuan", "Rumbewas", "Lopulalan",
    "Mandagi", "Tamba", "Sembiring", "Ginting", "Daulay", "Effendi", "Prasetyo", "Marpaung",
)
DEGREES = ("", "", "", ", S.H., M.H.", ", S.H., M.Si.", ", S.H., M.Hum.", ", S.Ag., M.Pd.")


@dataclass(frozen=True)
class Person:
    name: str
    nip: str  # 18 digits


def head_of_office(seed: int, ministry: str, province: int, year: int) -> Person:
    offset = _hash(seed, "tenure", ministry, province) % 3
    tenure = (year - 2010 + offset) // (2 + offset % 2)
    r = _rng(seed, "person", ministry, province, tenure)
    name = f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
    if ministry == "kemenag":
        name = r.choice(("H. ", "Dr. H. ", "", "")) + name
    name += r.choice(DEGREES)
    birth = r.randint(1964, 1980)
    hired = birth + r.randint(21, 27)
    nip = (
        f"{birth}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
        f"{hired}{r.randint(1, 12):02d}{r.choice('1112')}{r.randint(1, 9):03d}"
    )
    return Person(name, nip)


def _spaced_nip(nip: str) -> str:
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


# ---------------------------------------------------------------------------------------
# Which documents exist, in the order they are generated
# ---------------------------------------------------------------------------------------

LIST_KINDS = ("iku-list", "ikk-list")
DECREE_KINDS = ("ikk-decree", "iku-decree", "ikk-decree-amendment")


@dataclass(frozen=True)
class Slot:
    ministry: str
    province: int  # index in PROVINCES
    year: int
    kind: str

    @property
    def key(self) -> str:
        return f"{self.ministry}/{PROVINCES[self.province].abbr}/{self.year}/{self.kind}"

    @property
    def layout(self) -> str:
        if self.ministry in UNITS:
            return "daerah-iku-list"
        return "kanwil-decree" if self.kind in DECREE_KINDS else "kanwil-iku-list"


def _slots(ministry: str, years, kinds) -> list[Slot]:
    # the Ministry of Religious Affairs and the provincial governments are in every province
    # listed; the Ministry of Law (and Human Rights) in the 33 that have an office number
    everywhere = ministry == "kemenag" or ministry in UNITS
    provinces = [i for i, p in enumerate(PROVINCES) if everywhere or p.kumham]
    return [
        Slot(ministry, i, y, k)
        for y in years
        for i in provinces
        if PROVINCES[i].abbr != "kaltara" or y >= 2013  # the province dates from 2012
        for k in kinds
    ]


def _tiers() -> list[list[Slot]]:
    """Every document that can be generated, by priority: the recent years and the main
    documents first, so that small scales look like the seeds and large ones add history."""
    now, before = range(2020, 2025), range(2015, 2020)
    return [
        _slots("kemenkumham", now, ("iku-list", "ikk-decree"))
        + _slots("kemenag", range(2020, 2026), ("iku-list",))
        + _slots("kemenkum", (2025,), ("iku-list",)),
        _slots("kemenkumham", now, ("iku-decree", "ikk-list"))
        + _slots("kemenag", range(2020, 2026), ("ikk-list",))
        + _slots("kemenkum", (2025,), ("ikk-list",)),
        _slots("kemenkumham", before, ("iku-list", "ikk-decree"))
        + _slots("kemenag", before, ("iku-list",)),
        _slots("kemenkumham", range(2015, 2025), ("ikk-decree-amendment",))
        + _slots("kemenkumham", before, ("iku-decree", "ikk-list"))
        + _slots("kemenag", before, ("ikk-list",)),
        _slots("kemenkumham", range(2010, 2015), ("iku-list", "ikk-decree", "iku-decree",
                                                  "ikk-list", "ikk-decree-amendment"))
        + _slots("kemenag", range(2010, 2015), ("iku-list", "ikk-list")),
        # last, so that every scale up to the ministries' whole history stays as it was
        [s for u in UNITS for s in _slots(u, range(2020, 2026), ("iku-list",))],
    ]


def max_scale() -> int:
    return sum(len(t) for t in _tiers()) // 2


def plan(scale: int, seed: int) -> list[Slot]:
    """The first 2 x ``scale`` documents of the seed's order (a prefix of any larger scale)."""
    if scale < 1:
        raise ValueError(f"scale must be 1 or more, got {scale}")
    if scale > max_scale():
        raise ValueError(
            f"scale {scale} is more than the {max_scale()} this generator can make without "
            "inventing offices or years (2 documents per scale step)"
        )
    order: list[Slot] = []
    for n, tier in enumerate(_tiers()):
        lists = [s for s in tier if s.layout != "kanwil-decree"]
        decrees = [s for s in tier if s.layout == "kanwil-decree"]
        _rng(seed, "order", n, "lists").shuffle(lists)
        if n == 0:  # scale 1 is like the seeds: a list and a decree of the same ministry
            first = next(i for i, s in enumerate(lists) if s.ministry == "kemenkumham")
            lists.insert(0, lists.pop(first))
        _rng(seed, "order", n, "decrees").shuffle(decrees)
        order.extend(_interleave(lists, decrees))
        if len(order) >= 2 * scale:
            break
    return order[: 2 * scale]


def _interleave(a: list[Slot], b: list[Slot]) -> list[Slot]:
    """Both lists, each in order, spread evenly over the result."""
    out, i, j = [], 0, 0
    while i < len(a) or j < len(b):
        take_a = j >= len(b) or (i < len(a) and (2 * i + 1) * len(b) <= (2 * j + 1) * len(a))
        if take_a:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    return out


# ---------------------------------------------------------------------------------------
# Content of one document
# ---------------------------------------------------------------------------------------


@dataclass
class Row:
    text: str
    target: str


@dataclass
class Sasaran:
    text: str
    rows: list[Row]


@dataclass
class Section:
    program: str | None
    goals: list[Sasaran] = field(default_factory=list)


@dataclass
class Style:
    """How one document writes its targets."""

    pct_space: bool
    index_unit: str
    two_decimals: bool
    dot_decimal: bool
    lower_first: float  # share of indicators written with a lower-case first letter

    @classmethod
    def draw(cls, r: random.Random) -> Style:
        return cls(
            pct_space=r.random() < 0.5,
            index_unit=r.choice(("Indeks", "(Indeks)", "(indeks)", "Indeks", "(Indeks)")),
            two_decimals=r.random() < 0.4,
            dot_decimal=r.random() < 0.25,
            lower_first=r.choice((0.0, 0.0, 0.03, 0.06, 0.12)),
        )


def _period(year: int) -> int:
    return 2020 if year >= 2020 else 2015


def _rpjmn(year: int) -> str:
    start = 2025 if year >= 2025 else 2020 if year >= 2020 else 2015 if year >= 2015 else 2010
    return f"{start}-{start + 4}"


def _catalogue_for(slot: Slot) -> tuple[CatGoal, ...]:
    if slot.ministry == "kemenag":
        return CATALOGUES["kemenag"]
    if slot.ministry in UNITS:
        return CATALOGUES["pemprov"]
    goals = CATALOGUES["kemenkumham"]
    if slot.ministry == "kemenkum":
        goals = tuple(g for g in goals if g.domain in KUM_DOMAINS)
    return goals


def _reword(slot: Slot, text: str) -> str:
    text = text.replace("{rpjmn}", _rpjmn(slot.year))
    if slot.ministry == "kemenkum":
        for old, new in KUM_REWORDING:
            text = text.replace(old, new)
    return text


def _variant(seed: int, slot: Slot, texts: tuple[str, ...]) -> str:
    """The canonical wording, or a variant this office keeps using."""
    for n, variant in enumerate(texts[1:], start=1):
        if _frac(seed, "variant", slot.ministry, slot.province, texts[0], n) < 0.2:
            return variant
    return texts[0]


def _typo(text: str, r: random.Random) -> str:
    """One slip of the keyboard in a word of six letters or more (never its first letter)."""
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return text
    i = r.choice(long_words)
    w = words[i]
    k = r.randint(1, len(w) - 2)
    how = r.randrange(3)
    if how == 0:
        w = w[:k] + w[k + 1 :]
    elif how == 1:
        w = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
    else:
        w = w[:k] + w[k] + w[k:]
    words[i] = w
    return " ".join(words)


def _target(seed: int, slot: Slot, key: str, kind: str, lo: float, hi: float, style: Style,
            r: random.Random) -> str:
    """The target of an indicator for an office and year: a level fixed per office, a drift
    per year, and the document's way of writing it."""
    office = (slot.ministry, slot.province)
    base = _frac(seed, "level", office, key)
    drift = _frac(seed, "drift", office, key) * 0.04 * (slot.year - 2015)
    noise = (_frac(seed, "noise", office, key, slot.year) - 0.5) * 0.1
    share = min(1.0, max(0.0, base * 0.8 + drift + noise))
    value = lo + (hi - lo) * share
    prefix = "≥ " if r.random() < 0.005 else ""
    if kind == "pct":
        if r.random() < 0.1 and value < hi:
            number = f"{int(value)},5" if not style.dot_decimal else f"{int(value)}.5"
        else:
            number = str(round(value))
        unit = " %" if style.pct_space else "%"
        if r.random() < 0.02:
            unit = " persen"
        return f"{prefix}{number}{unit}"
    if kind == "idx4":
        text = f"{value:.2f}" if style.two_decimals else f"{value:.2f}".rstrip("0").rstrip(".")
        return f"{prefix}{text.replace('.', ',')} {style.index_unit}"
    if kind == "idx100":
        if r.random() < 0.3:
            text = f"{value:.2f}"
            text = text if style.dot_decimal else text.replace(".", ",")
        else:
            text = str(round(value))
        return f"{prefix}{text} {style.index_unit}"
    count = round(value)
    number = f"{count:,}".replace(",", ".")
    return f"{number} {_pick(VALUE_UNITS[kind], seed, 'unit', slot.key, key)}"


def _tail_fills(slot: Slot, template: str) -> list[str]:
    """The wordings a template gives for the office of ``slot``."""
    p = PROVINCES[slot.province]
    cities = [_city(x) for x in p.places]
    fills = {
        "kab": p.places,
        "upt": tuple(
            f"{kind} {c}" for c in cities[:3]
            for kind in ("Lapas Kelas IIA", "Rutan Kelas IIB", "LPKA Kelas II")
        ),
        "bapas": tuple(f"Bapas Kelas II {c}" for c in cities[:3]),
        "kanim": tuple(f"Kantor Imigrasi Kelas I TPI {c}" for c in cities[:3]),
    }
    fields = re.findall(r"{(\w+)}", template)
    if not fields:
        return [template]
    name = fields[0]
    values = fills.get(name) or FILLERS[name]
    return [template.replace("{" + name + "}", v) for v in values]


def _tail(seed: int, slot: Slot, r: random.Random) -> list[tuple[str, str, str]]:
    """(domain, kind spec, wording) of the tail indicators of one document: the office's own
    ones (kept from year to year), national ones drawn with a skewed distribution."""
    templates = [t for t in TAIL_TEMPLATES if slot.ministry in TEMPLATE_MINISTRIES[t[0]]]
    office = (slot.ministry, slot.province)
    own_rng = _rng(seed, "own", office)
    own = []
    for _ in range(12):
        _, domain, kind, template = own_rng.choice(templates)
        own.append((domain, kind, own_rng.choice(_tail_fills(slot, template))))
    picked = [
        item for n, item in enumerate(own)
        if _frac(seed, "own-in", office, n, slot.year, slot.kind) < 0.4
    ]
    national = [
        (domain, kind, wording)
        for _, domain, kind, template in templates
        if not re.search(r"{(kab|upt|bapas|kanim)}", template)
        for wording in _tail_fills(slot, template)
    ]
    _rng(seed, "national", slot.ministry).shuffle(national)  # which are common: per seed
    for _ in range(r.randint(0, 4)):
        picked.append(national[int(len(national) * r.random() ** 2.5)])
    return list(dict.fromkeys(picked))  # each wording once


def content(seed: int, slot: Slot) -> tuple[list[Section], random.Random]:
    r = _rng(seed, "doc", slot.key)
    style = Style.draw(r)
    decree = slot.layout == "kanwil-decree"
    order = DECREE_ORDER if decree else LIST_ORDER[slot.ministry]
    office = (slot.ministry, slot.province)
    bucket = (slot.year - 2015) // 3
    by_domain: dict[str, list[Sasaran]] = {d: [] for d in order}
    for goal in _catalogue_for(slot):
        if goal.domain not in by_domain:
            continue
        p_goal = 0.55 if goal.optional else 0.93
        if _frac(seed, "goal", office, goal.texts[0], bucket, slot.kind) >= p_goal:
            continue
        rows = []
        for ind in goal.indicators:
            p_ind = 0.5 if ind.optional else 0.94
            if _frac(seed, "ind", office, ind.texts[0], slot.year, slot.kind) >= p_ind:
                continue
            rows.append(_row(seed, slot, ind.texts, ind.kind, ind.lo, ind.hi, style, r))
        if rows:
            text = _reword(slot, _variant(seed, slot, goal.texts))
            by_domain[goal.domain].append(Sasaran(text, rows))
    tail_goals: dict[str, Sasaran] = {}
    for domain, spec, wording in _tail(seed, slot, r):
        if domain not in by_domain:
            continue
        kind, _, bounds = spec.partition(":")
        lo, hi = (float(b) for b in bounds.split("-"))
        if domain not in tail_goals:
            tail_goals[domain] = Sasaran(TAIL_GOALS[domain], [])
            by_domain[domain].append(tail_goals[domain])
        row = _row(seed, slot, (wording,), kind, lo, hi, style, r)
        if all(x.text != row.text for x in tail_goals[domain].rows):
            tail_goals[domain].rows.append(row)
    sections = []
    for domain in order:
        if not by_domain[domain]:
            continue
        program = None
        if decree:
            spellings = PROGRAMS[_period(slot.year)][domain].split("|")
            program = spellings[-1] if _frac(seed, "program", office) < 0.2 else spellings[0]
            if PROVINCES[slot.province].abbr == "kalbar":  # the seed writes PENEKAKAN
                program = spellings[-1]
        sections.append(Section(program, by_domain[domain]))
    if not decree:  # a list is one flat table
        sections = [Section(None, [g for s in sections for g in s.goals])]
    return sections, r


def _row(seed, slot, texts, kind, lo, hi, style: Style, r: random.Random) -> Row:
    key = _reword(slot, texts[0])
    text = _reword(slot, _variant(seed, slot, texts))
    if _frac(seed, "local", slot.ministry, slot.province, key) < 0.05 and text.endswith(
        ("di wilayah", "di Wilayah")
    ):
        text += " " + PROVINCES[slot.province].label  # an office that names its province
    if r.random() < 0.015:
        text = _typo(text, r)
    if style.lower_first and r.random() < style.lower_first:
        text = text[0].lower() + text[1:]
    return Row(text, _target(seed, slot, key, kind, lo, hi, style, r))


# ---------------------------------------------------------------------------------------
# Layout: the indicator table as the PDF text layer gives it
# ---------------------------------------------------------------------------------------


def _split(text: str, r: random.Random) -> tuple[str, str] | None:
    """Where a page break may cut ``text``: before a lower-case word (so that the reader
    knows the rest continues it), not too near either end."""
    words = text.split(" ")
    cuts = [i for i in range(2, len(words) - 1) if words[i][:1].islower()]
    cuts = [i for i in cuts if 0.3 <= i / len(words) <= 0.8]
    if not cuts:
        return None
    i = r.choice(cuts)
    return " ".join(words[:i]), " ".join(words[i:])


LIST_HEADER = "NO\tSASARAN KEGIATAN\tINDIKATOR KINERJA KEGIATAN\tTARGET"


def table(sections: list[Section], decree: bool, r: random.Random,
          header: str = LIST_HEADER) -> list[str]:
    """Rows of the "No | Sasaran | Indikator | Target" table, broken into pages."""
    if decree:
        header = "No.\tSasaran Kegiatan\tIndikator Kinerja Kegiatan\tTarget"
    out: list[str] = []
    page = r.randint(6, 14)  # rows left on the first page (the title takes the rest)

    def page_break():
        nonlocal page
        out.append("")
        if decree:
            out.extend((header, "(1)\t(2)\t(3)\t(4)"))
        page = r.randint(16, 24)

    for n_section, section in enumerate(sections):
        if section.program:
            if n_section:
                out.append("")
            width = r.choice((200, 200, 60, 70))
            lines = textwrap.wrap(section.program, width, break_long_words=False,
                                  break_on_hyphens=False)
            out.extend(lines)
            out.append("")
            out.extend((header, "(1)\t(2)\t(3)\t(4)") if decree else (header,))
            # the heading takes room on the page; one that would end it starts the next page
            page = page - 3 if page > 4 else r.randint(16, 24)
        elif not decree:
            out.append(header)
        rows: list[list[str]] = []  # [no, sasaran, indicator, target]
        for g, goal in enumerate(section.goals, start=1):
            numbered = decree and len(goal.rows) > 1
            for i, row in enumerate(goal.rows, start=1):
                text = f"{i}. {row.text}" if numbered else row.text
                if i == 1:
                    rows.append([f"{g}." if decree else str(g), goal.text, text, row.target])
                else:
                    rows.append(["", "", text, row.target])
        k = 0
        while k < len(rows):
            row = rows[k]
            k += 1
            if page > 0:
                out.append("\t".join(row))
                page -= 1
                continue
            # a page ends here: the row may be cut by the break
            how = r.random()
            goal_cut = _split(row[1], r) if row[0] and how < 0.3 else None
            ind_cut = _split(row[2], r) if not goal_cut and how < 0.45 else None
            if goal_cut:
                out.append("\t".join((row[0], goal_cut[0], row[2], row[3])))
                page_break()
                nxt = rows[k] if k < len(rows) and not rows[k][0] else None
                if nxt:  # the rest of the sasaran shares a row with its next indicator
                    out.append("\t".join(("", goal_cut[1], nxt[2], nxt[3])))
                    k += 1
                else:
                    out.append("\t".join(("", goal_cut[1], "", "")))
            elif ind_cut:
                out.append("\t".join((row[0], row[1], ind_cut[0], row[3])))
                page_break()
                out.append("\t".join(("", "", ind_cut[1], "")))
            else:
                page_break()
                out.append("\t".join(row))
            page -= 1
    return out


# ---------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------


def _date(r: random.Random, year: int, months: tuple[int, ...], padded: bool) -> str:
    month = r.choice(months)
    if month == 12:
        year -= 1
    day = r.randint(1, 28)
    text_day = f"{day:02d}" if padded else str(day)
    return f"{text_day} {MONTHS[month - 1]} {year}"


def _address(r: random.Random, p: Province) -> tuple[list[str], str]:
    """An office's address lines and telephone number in the capital of ``p``."""
    streets = ("Jenderal Sudirman", "Ahmad Yani", "Diponegoro", "Gatot Subroto", "Imam Bonjol",
               "Sultan Hasanuddin", "Pattimura", "Teuku Umar", "Pangeran Antasari", "Veteran",
               "Gajah Mada", "Pahlawan", "Merdeka", "Soekarno-Hatta", "Letjen S. Parman")
    postcode = f"{p.postal}{r.randint(111, 999)}"
    if r.random() < 0.3:
        address = [f"Komplek Perkantoran {p.capital}",
                   f"Jalan {r.choice(streets)}, {p.capital} {postcode}"]
    else:
        address = [f"Jalan {r.choice(streets)} Nomor {r.randint(1, 180)}",
                   f"{p.capital} {postcode}"]
    return address, f"({p.area_code}) {r.randint(200000, 899999)}"


def _count(sections: list[Section]) -> tuple[int, int]:
    goals = sum(len(s.goals) for s in sections)
    return goals, sum(len(g.rows) for s in sections for g in s.goals)


@dataclass
class Generated:
    text: str
    description: str
    goals: int
    indicators: int


def iku_list(seed: int, slot: Slot) -> Generated:
    """An IKU or IKK list on an office letterhead, as the Bangka Belitung seed."""
    m = MINISTRIES[slot.ministry]
    p = PROVINCES[slot.province]
    sections, r = content(seed, slot)
    address, phone = _address(_rng(seed, "office", m.key, p.abbr), p)
    web, mail = f"{p.abbr}.{m.domain}", f"kanwil{p.abbr}@{m.domain}"
    kind = "UTAMA" if slot.kind == "iku-list" else "KEGIATAN"
    code = "IKU" if slot.kind == "iku-list" else "IKK"
    office_title = (f"KANTOR WILAYAH KEMENTERIAN AGAMA PROVINSI {p.upper}"
                    if m is AGAMA else f"KANTOR WILAYAH {m.short.upper()} {p.upper}")
    satker = (f"Kantor Wilayah Kementerian Agama Provinsi {p.label}" if m is AGAMA
              else f"Kantor Wilayah {m.long} {p.label}")
    head = head_of_office(seed, slot.ministry, slot.province, slot.year)
    lines = ["", "", ""] if r.random() < 0.5 else []
    lines += [f"{m.letterhead[0]}  ", m.letterhead[1], "", f"KANTOR WILAYAH {p.upper}  "]
    lines += [a + "  " for a in address[:-1]] + [address[-1], ""]
    lines += [f"Telepon : {phone}", ""]
    lines += [f"Laman : [{web}](http://{web}) Surel : [{mail}](mailto:{mail})", ""]
    lines += [f"**INDIKATOR KINERJA {kind}**", "", f"**{office_title}  ",
              f"TAHUN {slot.year}**", ""]
    lines += [
        f"1. Unit Organisasi : {m.unit}",
        f"2. Satuan Kerja : {satker}",
        f"3. Tugas Pokok : {m.main_task}",
        "4. Fungsi :",
    ]
    lines += [f"  - {chr(97 + i)}. {f}" for i, f in enumerate(m.functions)]
    lines += [f"5. Indikator Kinerja {kind.title()} ({code}):", ""]
    lines += table(sections, decree=False, r=r)
    lines += ["", f"{p.capital}, {_date(r, slot.year, (12, 1, 1, 2, 3), padded=False)}", ""]
    lines += ["Kepala Kantor Wilayah", "", "", "", head.name, "", f"NIP. {head.nip}", ""]
    goals, indicators = _count(sections)
    ministry_name = "Kementerian Hukum dan HAM" if m is KUMHAM else m.long
    description = (
        f"Indikator Kinerja {kind.title()}, Kantor Wilayah {ministry_name} {p.label}, "
        f"{slot.year} (synthetic)"
    )
    return Generated("\n".join(lines), description, goals, indicators)


def local_list(seed: int, slot: Slot) -> Generated:
    """An IKU list of a provincial government's unit: the list layout under the letterhead
    of the government and the unit, "Sasaran Strategis" in the table header."""
    u = UNITS[slot.ministry]
    p = PROVINCES[slot.province]
    sections, r = content(seed, slot)
    host = f"{u.web}.{p.abbr}prov.go.id"
    address, phone = _address(_rng(seed, "office", u.key, p.abbr), p)
    satker = f"{u.name} Provinsi {p.label}"
    head = head_of_office(seed, slot.ministry, slot.province, slot.year)
    lines = ["", ""] if r.random() < 0.5 else []
    lines += [f"PEMERINTAH PROVINSI {p.upper}  ", f"{u.name.upper()}  "]
    lines += [a + "  " for a in address[:-1]] + [address[-1], ""]
    lines += [f"Telepon : {phone}", ""]
    lines += [f"Laman : [{host}](https://{host}) Surel : [{u.web}@{p.abbr}prov.go.id]"
              f"(mailto:{u.web}@{p.abbr}prov.go.id)", ""]
    lines += ["**INDIKATOR KINERJA UTAMA**", "", f"**{satker.upper()}  ",
              f"TAHUN {slot.year}**", ""]
    lines += [
        f"1. Unit Organisasi : Pemerintah Provinsi {p.label}",
        f"2. Satuan Kerja : {satker}",
        f"3. Tugas Pokok : {u.main_task}",
        "4. Fungsi :",
    ]
    lines += [f"  - {chr(97 + i)}. {f}" for i, f in enumerate(u.functions)]
    lines += ["5. Indikator Kinerja Utama (IKU):", ""]
    lines += table(sections, decree=False, r=r,
                   header="NO\tSASARAN STRATEGIS\tINDIKATOR KINERJA UTAMA\tTARGET")
    lines += ["", f"{p.capital}, {_date(r, slot.year, (12, 1, 1, 2), padded=False)}", ""]
    lines += [f"Kepala {u.name}", "", "", head.name, "", f"NIP. {head.nip}", ""]
    goals, indicators = _count(sections)
    description = f"Indikator Kinerja Utama, {satker}, {slot.year} (synthetic)"
    return Generated("\n".join(lines), description, goals, indicators)


def _decree_number(seed: int, slot: Slot, kind: str) -> str:
    """Numbers differ per decree of an office and year: one range per kind."""
    start = {"ikk-decree": 1000, "iku-decree": 4000, "ikk-decree-amendment": 7000}[kind]
    seq = start + _hash(seed, "number", slot.province, slot.year, kind) % 3000
    sub = _pick(("PR.01.01", "PR.01.01", "PR.04.01", "OT.01.01"), seed, "nsub", slot.province)
    return f"W.{PROVINCES[slot.province].kumham}.{sub}-{seq}"


def _wrap_bold(text: str, width: int) -> list[str]:
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    lines[0] = "**" + lines[0]
    lines[-1] += "**"
    return lines


def decree(seed: int, slot: Slot) -> Generated:
    """A decree of the office head that sets the IKU or IKK, as the Kalimantan Barat seed."""
    m = KUMHAM
    p = PROVINCES[slot.province]
    sections, r = content(seed, slot)
    year = slot.year
    head = head_of_office(seed, slot.ministry, slot.province, year)
    iku = slot.kind == "iku-decree"
    what_long = "INDIKATOR KINERJA UTAMA (IKU)" if iku else "INDIKATOR KINERJA KEGIATAN (IKK)"
    what = "IKU" if iku else "IKK"
    what_title = "Indikator Kinerja Utama (IKU)" if iku else "Indikator Kinerja Kegiatan (IKK)"
    office_upper = f"KANTOR WILAYAH KEMENTERIAN HUKUM DAN HAK ASASI MANUSIA {p.upper}"
    office = f"Kantor Wilayah {m.short} {p.label}"
    number = _decree_number(seed, slot, slot.kind)
    subject = f"PENETAPAN {what_long} DI LINGKUNGAN {office_upper} TAHUN {year}"
    amendment = slot.kind == "ikk-decree-amendment"
    original = _decree_number(seed, slot, "ikk-decree")
    if amendment:
        subject = (f"PERUBAHAN ATAS KEPUTUSAN KEPALA KANTOR WILAYAH KEMENTERIAN HUKUM DAN HAM "
                   f"{p.upper} NOMOR {original} TENTANG {subject}")
    width = r.choice((62, 66, 72))
    lines = [f"**{m.letterhead[0]}", f"{m.letterhead[1]}**", ""]
    lines += ["**KEPUTUSAN KEPALA KANTOR WILAYAH",
              f"KEMENTERIAN HUKUM DAN HAK ASASI MANUSIA {p.upper}**", ""]
    lines += [f"**NOMOR: {number} TAHUN {year}", "TENTANG**", ""]
    lines += _wrap_bold(subject, width) + [""]
    lines += ["**KEPALA KANTOR WILAYAH", f"KEMENTERIAN HUKUM DAN HAK ASASI MANUSIA {p.upper}",
              "REPUBLIK INDONESIA**", ""]

    implements = [(a, i) for first, a, i in IMPLEMENTS if first <= year]
    articles, instrument = implements[_hash(seed, "implements", slot.key) % len(implements)]
    considerations = [
        f"bahwa untuk melaksanakan ketentuan {articles} {instrument};",
    ]
    if amendment:
        considerations.append(
            f"bahwa berdasarkan hasil reviu atas rencana kerja dan anggaran {office} Tahun "
            f"{year}, perlu dilakukan penyesuaian atas Indikator Kinerja Kegiatan (IKK) yang "
            f"telah ditetapkan dengan Keputusan Kepala Kantor Wilayah Nomor {original} Tahun "
            f"{year};"
        )
    elif r.random() < 0.4:
        considerations.append(
            "bahwa dalam rangka mewujudkan akuntabilitas kinerja instansi pemerintah, perlu "
            "ditetapkan ukuran keberhasilan pencapaian sasaran strategis dan sasaran kegiatan "
            "yang akan dicapai;"
        )
    considerations.append(
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a"
        + (" dan huruf b" if len(considerations) > 1 else "")
        + ", perlu menetapkan Keputusan Kepala Kantor Wilayah tentang "
        + ("Perubahan atas " if amendment else "")
        + f"Penetapan {what_title} di lingkungan {office} Tahun {year};"
    )
    for i, c in enumerate(considerations):
        lines += [("Menimbang : " if i == 0 else "") + f"{chr(97 + i)}. {c}", ""]

    bases = [b for b in BASES if b.first <= year <= b.last and b.year <= year]
    chosen = [b for b in bases if b.core or r.random() < 0.25]
    kepmen = max((y for y in IKU_DECREES if y <= year), default=None)
    if kepmen is not None and r.random() < 0.8:
        chosen.append(IKU_DECREES[kepmen])
    style = _hash(seed, "citation", slot.province)
    for i, b in enumerate(chosen, start=1):
        text = b.cite(style + i * (_hash(seed, "cite", slot.key, i) % 2), year)
        lines += [("Mengingat : " if i == 1 else "") + f"{i}. {text}"
                  + ("." if i == len(chosen) else ";"), ""]

    if r.random() < 0.6:
        lines += ["MEMUTUSKAN...", ""]
    lines += ["MEMUTUSKAN:", "",
              f"Menetapkan : KEPUTUSAN KEPALA KANTOR WILAYAH KEMENTERIAN HUKUM DAN HAM {p.upper} "
              f"TENTANG {subject}.", ""]
    full = f"{what} {office} Tahun {year}"
    provisions = [
        f"Menetapkan {what_title} {office} Tahun {year} yang selanjutnya disebut {full} "
        "sebagaimana tercantum dalam lampiran Keputusan Kepala Kantor Wilayah ini yang merupakan "
        "bagian yang tidak terpisahkan dari Keputusan Kepala Kantor Wilayah ini;",
        f"{full} sebagaimana tercantum dalam lampiran Keputusan Kepala Kantor Wilayah ini, "
        f"merupakan acuan kinerja yang digunakan oleh {office}, untuk menyempurnakan dan "
        "menetapkan Rencana Kerja Tahunan, Penetapan Kinerja dan Penyusunan Laporan Kinerja "
        "Instansi Pemerintah, serta melakukan evaluasi pencapaian kinerja sesuai dengan tujuan "
        f"dan sasaran strategis {office} yang telah ditetapkan;",
        f"{full} disusun dengan prinsip SMART (Specific, Measurable, Achievable, Relevant dan "
        "Time-Bound);",
    ]
    if amendment:
        provisions.append(
            f"Dengan berlakunya Keputusan ini, lampiran Keputusan Kepala Kantor Wilayah Nomor "
            f"{original} Tahun {year} diubah sebagaimana tercantum dalam lampiran Keputusan ini;"
        )
    provisions.append(
        f"Keputusan ini mulai berlaku sejak tanggal ditetapkan sampai dengan 31 Desember {year}, "
        "dengan ketentuan apabila ternyata dikemudian hari terdapat kekeliruan/kesalahan dalam "
        "keputusan ini akan diadakan perbaikan seperlunya."
    )
    ordinals = ("KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA")
    lines += [f"- {o} : {t}" for o, t in zip(ordinals, provisions, strict=False)]
    months = (6, 7, 8, 9, 10) if amendment else (12, 1, 1, 2, 3)
    e_signed = year >= 2020 and r.random() < 0.8
    signature = ["Kepala Kantor Wilayah", "", "", ""]
    if e_signed:
        signature += ["Ditandatangani secara elektronik oleh :", ""]
    nip = _spaced_nip(head.nip) if r.random() < 0.7 else head.nip
    signature += [head.name, f"NIP. {nip}", ""]
    lines += ["", "", "", f"Ditetapkan di {p.capital}",
              f"Pada tanggal {_date(r, year, months, padded=True)}"] + signature

    appendix = f"{what_long} DI LINGKUNGAN {office_upper} TAHUN {year}"
    if amendment:
        appendix = "PERUBAHAN " + appendix
    lines += _wrap_bold(appendix, width) + [""]
    lines += table(sections, decree=True, r=r)
    if r.random() < 0.8:
        lines += ["", "", ""] + signature
    copies = [c for c in COPIES if r.random() < 0.5] or [COPIES[0]]
    lines += ["Tembusan :", ""] + copies
    goals, indicators = _count(sections)
    description = (
        f"Keputusan Kepala Kantor Wilayah Kementerian Hukum dan HAM {p.label} Nomor {number} "
        f"Tahun {year} tentang {'Perubahan atas ' if amendment else ''}Penetapan {what} "
        "(synthetic)"
    )
    return Generated("\n".join(lines), description, goals, indicators)


def document(seed: int, slot: Slot) -> Generated:
    if slot.layout == "daerah-iku-list":
        return local_list(seed, slot)
    return decree(seed, slot) if slot.layout == "kanwil-decree" else iku_list(seed, slot)


# ---------------------------------------------------------------------------------------
# Writing a data folder
# ---------------------------------------------------------------------------------------


@dataclass
class Stats:
    scale: int
    seed: int
    documents: int = 0
    goals: int = 0
    indicators: int = 0
    bytes: int = 0
    seconds: float = 0.0
    layouts: dict[str, int] = field(default_factory=dict)
    ministries: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        layouts = ", ".join(f"{n:,} {k}" for k, n in self.layouts.items())
        return (
            f"scale {self.scale}, seed {self.seed}: {self.documents:,} documents ({layouts}), "
            f"{self.goals:,} sasaran, {self.indicators:,} indicators, "
            f"{self.bytes / 1e6:,.1f} MB in {self.seconds:.2f} s"
        )


def file_name(index: int, seed: int, slot: Slot) -> str:
    digest = hashlib.sha256(f"{seed}:{slot.key}".encode()).hexdigest()[:16]
    return f"{index:05d}_{digest}.txt"


def _clear(out: Path) -> None:
    """Remove what an earlier run wrote; refuse to mix with anything else."""
    foreign = sorted(
        p.name for p in out.iterdir()
        if not p.name.startswith(".") and p.name != MANIFEST and not FILE_NAME.fullmatch(p.name)
    )
    if foreign:
        raise ValueError(
            f"{out} holds files this generator did not write ({', '.join(foreign[:3])}"
            f"{', ...' if len(foreign) > 3 else ''}); use an empty folder"
        )
    for p in sorted(out.iterdir()):
        if p.name == MANIFEST or FILE_NAME.fullmatch(p.name):
            p.unlink()


def generate(out: Path, scale: int, seed: int = 0) -> Stats:
    """Write 2 x ``scale`` documents and their MANIFEST.csv into ``out``."""
    start = time.perf_counter()
    stats = write(Path(out), plan(scale, seed), seed, Stats(scale, seed))
    stats.seconds = time.perf_counter() - start
    return stats


def write(out: Path, slots: list[Slot], seed: int, stats: Stats) -> Stats:
    """Write the documents of ``slots`` (numbered in their order) and their MANIFEST.csv
    into ``out``, replacing what an earlier run wrote there; add them to ``stats``."""
    out.mkdir(parents=True, exist_ok=True)
    _clear(out)
    manifest = io.StringIO()
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(["file", "sha256", "origin", "description"])
    origin = ORIGIN.format(seed=seed)
    for index, slot in enumerate(slots):
        doc = document(seed, slot)
        data = (doc.text.rstrip("\n") + "\n").encode("utf-8")
        name = file_name(index, seed, slot)
        (out / name).write_bytes(data)
        writer.writerow([name, hashlib.sha256(data).hexdigest(), origin, doc.description])
        stats.documents += 1
        stats.goals += doc.goals
        stats.indicators += doc.indicators
        stats.bytes += len(data)
        stats.layouts[slot.layout] = stats.layouts.get(slot.layout, 0) + 1
        stats.ministries[slot.ministry] = stats.ministries.get(slot.ministry, 0) + 1
    (out / MANIFEST).write_bytes(manifest.getvalue().encode("utf-8"))
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    parser.add_argument(
        "--scale", type=int, default=1,
        help=f"2 documents per step; 1100 gives about 3 million triples (1 to {max_scale()})",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        stats = generate(args.out, args.scale, args.seed)
    except ValueError as e:
        print(f"bench.generate: error: {e}", file=sys.stderr)
        return 2
    print(f"{stats.line()} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
