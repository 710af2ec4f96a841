"""Pieces shared by the layouts of the Ministry of Law and Human Rights' regional offices."""

from __future__ import annotations

import re

from kinerja.ingest.cursor import Cursor
from kinerja.ingest.dates import parse_date
from kinerja.ingest.records import Line, Signature

DOCUMENT_TYPES = {
    "indikator kinerja utama": "IKU",
    "indikator kinerja kegiatan": "IKK",
    "perjanjian kinerja": "PK",
    "rencana kinerja tahunan": "RKT",
}
_YEAR = re.compile(r"\btahun\s+(\d{4})\b", re.IGNORECASE)
_NIP = r"NIP\.?\s*:?\s*([\d ]{18,24})"


def document_type(title: str) -> str | None:
    folded = title.casefold()
    for phrase, code in DOCUMENT_TYPES.items():
        if phrase in folded:
            return code
    return None


def year_in(text: str) -> int | None:
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def has_line(source, pattern: str, flags: int = re.IGNORECASE) -> bool:
    rx = re.compile(pattern, flags)
    return any(rx.fullmatch(line.replace("**", "").strip()) for line in source.lines)


def read_signatory(cur: Cursor) -> tuple[Line, Line, Line]:
    """Post, name and NIP of a signature block (an e-signature note may stand before the name)."""
    _, post = cur.expect(r"(kepala|sekretaris|direktur|menteri)\b.*", "the signatory's post")
    cur.accept(r"ditandatangani secara elektronik oleh\s*:?")
    name = cur.take()
    m, nip_line = cur.expect(_NIP, "the signatory's NIP ('NIP. 19650408...')")
    return post, name, Line(m.group(1).strip(), nip_line.line)


def signature(cur: Cursor, place: Line, date_text: Line) -> Signature:
    try:
        date = parse_date(date_text.text)
    except ValueError as e:
        raise cur.error(str(e), date_text.line) from None
    post, name, nip = read_signatory(cur)
    return Signature(place, date, date_text.line, name, nip, post)
