"""Legal citations -> instruments (kinerja.ingest.legal).

The nine citations of the Kalimantan Barat decree come from the hand-written golden table
tests/golden/legal_bases.csv; the variants after them are spellings other decrees use.
"""

from __future__ import annotations

import csv

import pytest

from kinerja.ingest.extractors import extractor_for
from kinerja.ingest.legal import (
    CitationParseError,
    ministry_from_name,
    parse_articles,
    parse_citation,
)
from kinerja.ingest.sources import load_sources
from tests.conftest import GOLDEN, SOURCES

DECREE = "002_9c54d10a95a91ac4.txt"

with (GOLDEN / "legal_bases.csv").open(encoding="utf-8", newline="") as _f:
    GOLDEN_BASES = list(csv.DictReader(_f))


def _id(row: dict[str, str]) -> str:
    return f"{row['role']}-{row['item']}"


def test_golden_table_has_the_nine_citations_of_the_decree():
    assert len(GOLDEN_BASES) == 9
    assert [r["role"] for r in GOLDEN_BASES].count("mengingat") == 8
    assert [r["role"] for r in GOLDEN_BASES].count("menimbang") == 1


@pytest.mark.parametrize("row", GOLDEN_BASES, ids=_id)
def test_golden_citation(row):
    c = parse_citation(row["citation"])
    assert (c.type, c.issuer.key, c.number, c.year, c.title) == (
        row["type"],
        row["issuer"],
        row["number"],
        int(row["year"]),
        row["title"],
    )
    assert c.text == row["citation"]


@pytest.fixture(scope="module")
def decree():
    source = next(s for s in load_sources(SOURCES) if s.name == DECREE)
    return extractor_for(source).extract(source).decree


@pytest.mark.parametrize("row", GOLDEN_BASES, ids=_id)
def test_decree_reads_golden_citation_at_its_line(row, decree):
    """The extractor finds each citation on its line, Mengingat as bases and Menimbang as
    the articles the decree implements."""
    bases = decree.bases if row["role"] == "mengingat" else decree.implements
    found = [b for b in bases if b.line == int(row["line"])]
    assert len(found) == 1, f"no citation read from line {row['line']}"
    basis = found[0]
    c = basis.citation
    assert (c.type, c.issuer.key, c.number, c.year, c.title) == (
        row["type"],
        row["issuer"],
        row["number"],
        int(row["year"]),
        row["title"],
    )
    assert basis.articles == (row["articles"].split("|") if row["articles"] else [])


def test_decree_reads_nothing_beyond_the_golden_citations(decree):
    read = sorted(
        [("mengingat", b.line) for b in decree.bases]
        + [("menimbang", b.line) for b in decree.implements]
    )
    assert read == sorted((r["role"], int(r["line"])) for r in GOLDEN_BASES)


# citation -> (type, issuer key, number, year, title)
VARIANTS = [
    ("Undang-Undang Nomor 12 Tahun 2011", ("uu", "presiden", "12", 2011, None)),
    (
        "Undang-Undang Nomor 12 Tahun 2011 tentang Pembentukan Peraturan Perundang-undangan;",
        ("uu", "presiden", "12", 2011, "Pembentukan Peraturan Perundang-undangan"),
    ),
    ("UU No. 25 Tahun 2004", ("uu", "presiden", "25", 2004, None)),
    ("Undang Undang Nomor 17 Tahun 2003", ("uu", "presiden", "17", 2003, None)),
    ("PP No. 8 Tahun 2006", ("pp", "presiden", "8", 2006, None)),
    (
        "Peraturan Pemerintah Nomor 8 Tahun 2006 tentang Pelaporan Keuangan dan Kinerja "
        "Instansi Pemerintah",
        ("pp", "presiden", "8", 2006, "Pelaporan Keuangan dan Kinerja Instansi Pemerintah"),
    ),
    (
        "Peraturan Pemerintah Pengganti Undang-Undang Nomor 1 Tahun 2020",
        ("perpu", "presiden", "1", 2020, None),
    ),
    ("Perpres No 18 Tahun 2020", ("perpres", "presiden", "18", 2020, None)),
    ("Keputusan Presiden Nomor 7 Tahun 1999", ("keppres", "presiden", "7", 1999, None)),
    ("Instruksi Presiden Nomor 7 Tahun 1999", ("inpres", "presiden", "7", 1999, None)),
    ("Permenpan RB Nomor 53 Tahun 2014", ("permen", "kemenpan-rb", "53", 2014, None)),
    ("PermenPAN-RB No. 53 Tahun 2014", ("permen", "kemenpan-rb", "53", 2014, None)),
    (
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Republik "
        "Indonesia Nomor 53 Tahun 2014 tentang Petunjuk Teknis Perjanjian Kinerja, Pelaporan "
        "Kinerja dan Tata Cara Reviu atas Laporan Kinerja Instansi Pemerintah",
        (
            "permen",
            "kemenpan-rb",
            "53",
            2014,
            "Petunjuk Teknis Perjanjian Kinerja, Pelaporan Kinerja dan Tata Cara Reviu atas "
            "Laporan Kinerja Instansi Pemerintah",
        ),
    ),
    (
        "Keputusan Menteri Hukum dan Hak Asasi Manusia Nomor M.HH-01.PR.01.01 Tahun 2021",
        ("kepmen", "kemenkumham", "M.HH-01.PR.01.01", 2021, None),
    ),
    (
        "Keputusan Menteri Hukum dan HAM Republik Indonesia Nomor M.HH-01.PR.01.01 Tahun 2021 "
        "tentang Penetapan Indikator Kinerja Utama.",
        ("kepmen", "kemenkumham", "M.HH-01.PR.01.01", 2021, "Penetapan Indikator Kinerja Utama"),
    ),
    (
        "Kepmenkumham Nomor M.HH-01.PR.01.01 Tahun 2021",
        ("kepmen", "kemenkumham", "M.HH-01.PR.01.01", 2021, None),
    ),
    # the year only in the number, as ministerial numbers often have it
    (
        "Permenpan Nomor PER/9/M.PAN/5/2007",
        ("permen", "kemenpan-rb", "PER/9/M.PAN/5/2007", 2007, None),
    ),
    (
        "Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017",
        ("permen", "kemendagri", "86", 2017, None),
    ),
    (
        "Peraturan Menteri PPN/Kepala Bappenas Nomor 5 Tahun 2019",
        ("permen", "bappenas", "5", 2019, None),
    ),
    # a ministry not in the list is not an error: its key comes from its name
    (
        "Peraturan Menteri Pertanian Nomor 5 Tahun 2020",
        ("permen", "kementerian-pertanian", "5", 2020, None),
    ),
    # white space of PDF extraction
    (
        "Peraturan  Presiden\nNomor 18   Tahun 2020",
        ("perpres", "presiden", "18", 2020, None),
    ),
]


@pytest.mark.parametrize(("text", "expected"), VARIANTS, ids=[v[0][:50] for v in VARIANTS])
def test_citation_variant(text, expected):
    c = parse_citation(text)
    assert (c.type, c.issuer.key, c.number, c.year, c.title) == expected


def test_citation_text_is_kept_with_white_space_folded_and_end_punctuation_dropped():
    c = parse_citation("Peraturan  Presiden\nNomor 18 Tahun 2020 tentang RPJMN;")
    assert c.text == "Peraturan Presiden Nomor 18 Tahun 2020 tentang RPJMN"


def test_ministry_names_are_canonical():
    assert parse_citation("Permenpan RB Nomor 53 Tahun 2014").issuer.name == (
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi"
    )
    assert parse_citation("Kepmenkumham Nomor 1 Tahun 2021").issuer.name == (
        "Kementerian Hukum dan Hak Asasi Manusia"
    )
    assert ministry_from_name("Menteri Hukum dan HAM RI").key == "kemenkumham"
    assert ministry_from_name("Kementerian Hukum dan Hak Asasi Manusia Republik Indonesia").key == (
        "kemenkumham"
    )
    assert ministry_from_name("Kementerian Pertanian").name == "Kementerian Pertanian"


# citation -> words the message must contain
BAD_CITATIONS = [
    ("", ["does not start with a known instrument type"]),
    ("Surat Edaran Menteri Nomor 1 Tahun 2020", ["does not start with a known instrument type"]),
    ("bahwa perlu menetapkan Indikator Kinerja", ["does not start with a known instrument type"]),
    ("Undang-Undang tentang Pemerintahan Daerah", ["expected 'Nomor <number> Tahun <year>'"]),
    ("Undang-Undang Nomor 12", ["expected 'Tahun <year>'"]),
    ("Peraturan Presiden Nomor 18 Tahun 20201", ["expected 'Tahun <year>' after the number"]),
    ("Permenxyz Nomor 1 Tahun 2020", ["unknown ministry abbreviation", "'xyz'"]),
    # "Nomor" with no number after it: not a number "" or ":" or "mor"
    ("Peraturan Presiden Nomor: Tahun 2020", ["expected 'Nomor <number> Tahun <year>'"]),
    ("Permenpan RB Nomor : Tahun 2014", ["expected 'Nomor <number> Tahun <year>'"]),
    (
        "Peraturan Presiden Nomor Tahun 2020 tentang Rencana Pembangunan",
        ["expected 'Nomor <number> Tahun <year>'"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_CITATIONS)
def test_bad_citation_says_what_was_expected(text, expected):
    with pytest.raises(CitationParseError) as info:
        parse_citation(text)
    message = str(info.value)
    assert repr(" ".join(text.split())) in message
    for words in expected:
        assert words in message


def test_ministerial_citation_without_a_ministry_is_an_error():
    with pytest.raises(CitationParseError, match="no ministry"):
        parse_citation("Peraturan Menteri Nomor 1 Tahun 2020")


@pytest.mark.parametrize(
    "text",
    [
        "Undang-Undang Nomor 12 Tahun 2011 sebagaimana telah diubah dengan "
        "Undang-Undang Nomor 15 Tahun 2019",
        "Peraturan Menteri Keuangan Nomor 12 Tahun 2020 sebagaimana diubah dengan "
        "Peraturan Menteri Keuangan Nomor 7 Tahun 2021",
    ],
)
def test_amended_citation_is_not_read_as_the_amending_instrument(text):
    """The cited instrument (Nomor 12) is read; the amending one is kept as amended_by."""
    c = parse_citation(text)
    assert c.amended_by is not None
    assert c.amended_by.number in ("15", "7") and c.amended_by.year in (2019, 2021)
    assert c.number == "12"
    assert c.issuer.key in ("presiden", "kemenkeu")


@pytest.mark.parametrize(
    ("text", "articles"),
    [
        (
            "bahwa untuk melaksanakan ketentuan pasal 3 dan pasal 4 Peraturan",
            ["Pasal 3", "Pasal 4"],
        ),
        ("Pasal 5A ayat (2) dan Pasal 27", ["Pasal 5A", "Pasal 27"]),
        ("PASAL 12 huruf b", ["Pasal 12"]),
        ("bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a", []),
        ("Pasalnya 3", []),
        ("", []),
    ],
)
def test_parse_articles(text, articles):
    assert parse_articles(text) == articles
