"""Target cells as printed ("3,1 Indeks", "88 %", "≥ 80 %", "0 UPT") -> value + unit.

Indonesian documents write decimals with a comma ("3,1") and sometimes a dot ("76.75");
thousands are grouped with dots ("1.000 Orang"). A dot followed by groups of exactly three
digits is read as a thousands separator only for counted units, where a fraction makes no
sense; otherwise it is a decimal point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# unit code (skos:notation in ontology/codelists.ttl) -> spellings seen in documents,
# compared after case folding and dropping parentheses.
UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "persen": ("%", "persen", "percent", "prosen"),
    "indeks": ("indeks", "index", "indek", "nilai indeks"),
    "orang": ("orang", "org", "pegawai", "peserta"),
    "upt": ("upt", "unit pelaksana teknis"),
    "instansi-pemerintah": ("instansi pemerintah", "instansi"),
    "rekomendasi": ("rekomendasi",),
    "kegiatan": ("kegiatan",),
    "dokumen": ("dokumen",),
    "laporan": ("laporan",),
    "desa": ("desa", "desa/kelurahan"),
    "kabupaten-kota": ("kabupaten/kota", "kab/kota", "kabupaten kota"),
    "kali": ("kali",),
    "hari": ("hari",),
}
COUNT_UNITS = frozenset(UNIT_SPELLINGS) - {"persen", "indeks"}

_SPELLING_TO_UNIT = {s: code for code, spellings in UNIT_SPELLINGS.items() for s in spellings}

COMPARATORS = {
    "≥": ">=",
    ">=": ">=",
    "=>": ">=",
    "≤": "<=",
    "<=": "<=",
    "=<": "<=",
    "minimal": ">=",
    "min.": ">=",
    "min": ">=",
    "maksimal": "<=",
    "maks.": "<=",
    "maks": "<=",
}

_TARGET = re.compile(
    r"""^\s*
    (?P<cmp>≥|≤|>=|<=|=>|=<|minimal|min\.?|maksimal|maks\.?)?\s*
    (?P<num>\d[\d.,]*)\s*
    (?P<unit>.*?)\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


class TargetParseError(ValueError):
    """A target cell that is not "<number> <unit>"."""


@dataclass(frozen=True)
class ParsedTarget:
    value: Decimal
    unit: str  # notation of a unit in the <id/satuan> code list
    comparator: str  # "=", ">=" or "<="
    text: str  # verbatim


def parse_target(text: str) -> ParsedTarget:
    """Read a target cell. Raises :class:`TargetParseError` saying what was expected."""
    m = _TARGET.match(text)
    if not m:
        raise TargetParseError(
            f"target {text!r} is not a number followed by a unit (e.g. '88 %', '3,1 Indeks')"
        )
    unit = parse_unit(m["unit"], text)
    value = parse_number(m["num"], counted=unit in COUNT_UNITS, text=text)
    comparator = COMPARATORS[m["cmp"].lower()] if m["cmp"] else "="
    return ParsedTarget(value=value, unit=unit, comparator=comparator, text=text.strip())


def parse_unit(raw: str, text: str = "") -> str:
    key = " ".join(raw.strip().strip("()").split()).casefold()
    if not key:
        raise TargetParseError(f"target {text!r} has no unit (e.g. '%', 'Indeks', 'Orang')")
    try:
        return _SPELLING_TO_UNIT[key]
    except KeyError:
        known = ", ".join(sorted(UNIT_SPELLINGS))
        raise TargetParseError(
            f"target {text!r} has an unknown unit {raw!r}; known: {known}"
        ) from None


def parse_number(raw: str, counted: bool = False, text: str = "") -> Decimal:
    s = raw.rstrip(".,")
    if "," in s and "." in s:  # 1.234,5
        s = s.replace(".", "").replace(",", ".")
    elif "," in s:
        if s.count(",") > 1:
            raise TargetParseError(f"target {text!r}: {raw!r} is not a number")
        s = s.replace(",", ".")
    elif counted and _THOUSANDS.match(s):
        s = s.replace(".", "")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise TargetParseError(f"target {text!r}: {raw!r} is not a number") from None
    return value


def canonical_decimal(value: Decimal) -> str:
    """The canonical xsd:decimal lexical form: '3.1', '100.0', '0.0'."""
    text = format(value.normalize(), "f")
    if "." not in text:
        text += ".0"
    return text
