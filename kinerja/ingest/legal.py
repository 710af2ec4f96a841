"""Legal citations -> instruments.

"Peraturan Presiden Nomor 18 Tahun 2020 tentang Rencana ..." -> type ``perpres``, issuer
``presiden``, number "18", year 2020, title "Rencana ...". Ministerial numbers are unique
only per ministry, so the issuing ministry is part of an instrument's identity; it is read
from the citation ("Peraturan Menteri Hukum dan HAM RI", "Permenpan RB", "Kepmenkumham").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kinerja.ingest.text import fold, slug


class CitationParseError(ValueError):
    """Text that does not cite a legal instrument in a form this module knows."""


@dataclass(frozen=True)
class Issuer:
    key: str  # used in IRIs: "presiden", "kemenkumham"
    name: str  # canonical Indonesian name


PRESIDEN = Issuer("presiden", "Presiden Republik Indonesia")

# Ministries by key; each with the name forms (folded, "RI"/"Republik Indonesia"/"Negara"
# removed) and the abbreviations that follow "Permen"/"Kepmen".
MINISTRIES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "kemenkumham": (
        "Kementerian Hukum dan Hak Asasi Manusia",
        ("hukum dan ham", "hukum dan hak asasi manusia"),
        ("kumham", "hukham"),
    ),
    "kemenpan-rb": (
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        (
            "pendayagunaan aparatur negara dan reformasi birokrasi",
            "pendayagunaan aparatur negara",
            "pan dan rb",
            "pan rb",
            "panrb",
            "pan-rb",
        ),
        ("pan rb", "panrb", "pan-rb", "pan"),
    ),
    "kemendagri": ("Kementerian Dalam Negeri", ("dalam negeri",), ("dagri",)),
    "kemenkeu": ("Kementerian Keuangan", ("keuangan",), ("keu",)),
    "bappenas": (
        "Kementerian Perencanaan Pembangunan Nasional/Badan Perencanaan Pembangunan Nasional",
        (
            "perencanaan pembangunan nasional/kepala badan perencanaan pembangunan nasional",
            "perencanaan pembangunan nasional",
            "ppn/bappenas",
            "ppn/kepala bappenas",
        ),
        ("ppn",),
    ),
}


def ministry(key: str) -> Issuer:
    return Issuer(key, MINISTRIES[key][0])


def ministry_from_name(name: str) -> Issuer:
    """The ministry a name such as "Menteri Hukum dan HAM RI" refers to.

    Unknown ministries are not an error: they get a key from their name.
    """
    key = _strip_honorifics(fold(name))
    key = re.sub(r"^(kementerian|menteri)(\s+|$)", "", key)
    for mkey, (_canonical, forms, _abbr) in MINISTRIES.items():
        if key in forms:
            return ministry(mkey)
    if not key:
        raise CitationParseError(f"no ministry named in {name!r}")
    return Issuer("kementerian-" + slug(key), "Kementerian " + " ".join(name.split()[1:]))


def _strip_honorifics(folded: str) -> str:
    folded = re.sub(r"\b(republik indonesia|ri)\b", " ", folded)
    folded = re.sub(r"^(kementerian|menteri)\s+negara\b", r"\1", folded.strip())
    return " ".join(folded.split())


@dataclass(frozen=True)
class Citation:
    type: str  # notation in <id/jenis-peraturan>
    issuer: Issuer
    number: str  # as printed
    year: int
    title: str | None  # the "tentang ..." part, verbatim
    text: str  # the whole citation, verbatim
    amended_by: Citation | None = None  # "... sebagaimana telah diubah dengan <citation>"


# (pattern on the start of the citation, type, issuer-kind); issuer-kind is "presiden",
# "ministry" (name follows), "ministry-abbr" (abbreviation glued to the type word).
_TYPES: list[tuple[str, str, str]] = [
    (r"peraturan pemerintah pengganti undang[- ]undang|perppu|perpu", "perpu", "presiden"),
    (r"undang[- ]undang|uu", "uu", "presiden"),
    (r"peraturan pemerintah|pp", "pp", "presiden"),
    (r"peraturan presiden|perpres", "perpres", "presiden"),
    (r"keputusan presiden|keppres", "keppres", "presiden"),
    (r"instruksi presiden|inpres", "inpres", "presiden"),
    (r"peraturan menteri", "permen", "ministry"),
    (r"keputusan menteri", "kepmen", "ministry"),
    (r"permen(?=\w)", "permen", "ministry-abbr"),
    (r"kepmen(?=\w)", "kepmen", "ministry-abbr"),
]
_NUMBER = re.compile(
    r"\b(?:nomor\b|no\b\.?)\s*:?\s*(?P<number>(?!tahun\b)[^\s:]\S*)"
    r"(?:\s+tahun\s+(?P<year>\d{4})\b)?",
    re.IGNORECASE,
)
_AMENDED = re.compile(
    r",?\s*sebagaimana\s+(?:telah\s+)?(?:beberapa\s+kali\s+)?diubah\s+"
    r"(?:terakhir\s+)?(?:dengan|oleh)\s+",
    re.IGNORECASE,
)
# "PER/9/M.PAN/5/2007": ministerial numbers often end with the year
_YEAR_IN_NUMBER = re.compile(r"(?:^|\D)((?:19|20)\d{2})$")


def parse_citation(text: str) -> Citation:
    """Read one citation such as the items under "Mengingat"."""
    clean = " ".join(text.split()).strip()
    clean = re.sub(r"[;.,]\s*$", "", clean)
    folded = clean.casefold()
    for pattern, type_code, issuer_kind in _TYPES:
        m = re.match(pattern, folded)
        if not m:
            continue
        rest = clean[m.end() :]
        number_match = _NUMBER.search(rest)
        if not number_match:
            raise CitationParseError(
                f"{clean!r}: expected 'Nomor <number> Tahun <year>' after the instrument type"
            )
        who = rest[: number_match.start()]
        number = number_match["number"].rstrip(",;:")
        year = number_match["year"] or _year_in_number(number)
        if year is None:
            raise CitationParseError(f"{clean!r}: expected 'Tahun <year>' after the number")
        if issuer_kind == "presiden":
            issuer = PRESIDEN
        elif issuer_kind == "ministry":
            issuer = ministry_from_name("Menteri " + who)
        else:
            issuer = _ministry_from_abbreviation(who, clean)
        title, amended_by = _tail(rest[number_match.end() :], clean)
        return Citation(
            type=type_code,
            issuer=issuer,
            number=number,
            year=int(year),
            title=title,
            text=clean,
            amended_by=amended_by,
        )
    raise CitationParseError(
        f"{clean!r} does not start with a known instrument type "
        "(Undang-Undang, Peraturan Pemerintah, Peraturan Presiden, Peraturan Menteri, "
        "Keputusan Menteri, ...)"
    )


def _tail(tail: str, text: str) -> tuple[str | None, Citation | None]:
    """What follows the year: an optional "tentang <title>", then an optional amendment."""
    amendment = _AMENDED.search(tail)
    amended_by = parse_citation(tail[amendment.end() :]) if amendment else None
    head = (tail[: amendment.start()] if amendment else tail).strip()
    if not head:
        return None, amended_by
    m = re.fullmatch(r"tentang\s+(.+)", head, re.IGNORECASE | re.DOTALL)
    if not m:
        raise CitationParseError(
            f"{text!r}: after the year expected 'tentang <title>' or 'sebagaimana telah "
            f"diubah dengan ...', found {head[:40]!r}"
        )
    return m.group(1).strip(), amended_by


def _year_in_number(number: str) -> str | None:
    m = _YEAR_IN_NUMBER.search(number)
    return m.group(1) if m else None


def _ministry_from_abbreviation(who: str, text: str) -> Issuer:
    abbr = _strip_honorifics(fold(who))
    for mkey, (_canonical, _forms, abbrs) in MINISTRIES.items():
        if abbr in abbrs:
            return ministry(mkey)
    raise CitationParseError(f"{text!r}: unknown ministry abbreviation {who.strip()!r}")


_ARTICLES = re.compile(r"\bpasal\s+(\d+[a-z]?)", re.IGNORECASE)


def parse_articles(text: str) -> list[str]:
    """ "ketentuan pasal 3 dan pasal 4" -> ["Pasal 3", "Pasal 4"]."""
    return [f"Pasal {n}" for n in _ARTICLES.findall(text)]
