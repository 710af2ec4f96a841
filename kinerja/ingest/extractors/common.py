"""Pieces shared by the layouts: signatures, titles, and the body of an IKU/IKK list."""

from __future__ import annotations

import re

from kinerja.ingest.cursor import Cursor
from kinerja.ingest.dates import parse_date
from kinerja.ingest.records import Document, Line, Office, Signature
from kinerja.ingest.tables import read_table

DOCUMENT_TYPES = {
    "indikator kinerja utama": "IKU",
    "indikator kinerja kegiatan": "IKK",
    "perjanjian kinerja": "PK",
    "rencana kinerja tahunan": "RKT",
}
_YEAR = re.compile(r"\btahun\s+(\d{4})\b", re.IGNORECASE)
# the first line of a provincial government's letterhead ("PEMERINTAH PROVINSI JAWA BARAT",
# "PEMERINTAH DAERAH PROVINSI ..."); group 1 is the province
LOCAL_GOVERNMENT = r"pemerintah (?:daerah )?provinsi\s+(.+)"
_LINK = r"\[[^\]]*\]\(([^)\s]+)\)"  # a Markdown link; group 1 is its target
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


def starts_with(source, pattern: str, flags: int = re.IGNORECASE) -> bool:
    """Whether the first non-blank line (bold markers and spaces aside) matches."""
    first = next((line for line in source.lines if line.replace("**", "").strip()), "")
    return re.fullmatch(pattern, first.replace("**", "").strip(), flags) is not None


def is_list(source) -> bool:
    """An IKU/IKK list: a title naming the indicators, numbered items naming the unit, and
    no Menimbang (which a decree has)."""
    return (
        has_line(source, r"indikator kinerja (utama|kegiatan)")
        and has_line(source, r"\d+\.\s*satuan kerja\s*:.*")
        and not has_line(source, r"menimbang\s*:.*")
    )


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


def read_list(cur: Cursor, province: Line, unit: Line | None = None) -> Document:
    """The rest of a list after the letterhead's office lines: address, contacts, title,
    the numbered items, the indicator table, place, date and signatory. Shared by the
    letterheads of a ministry's regional office and of a provincial government's unit."""
    address = cur.until(r"telepon\s*:.*")
    m, phone = cur.expect(r"telepon\s*:\s*(.+)", "'Telepon : ...'")
    telephone = Line(m.group(1).strip(), phone.line)
    m, contact = cur.expect(
        rf"laman\s*:\s*{_LINK}\s*surel\s*:\s*{_LINK}",
        "'Laman : [site](url) Surel : [mail](mailto:...)'",
    )
    website = Line(m.group(1), contact.line)
    email = Line(m.group(2).removeprefix("mailto:"), contact.line)

    title_block = cur.until(r"1\.\s*unit organisasi\s*:.*")
    if not title_block:
        raise cur.error("expected the title ('INDIKATOR KINERJA UTAMA ... TAHUN 2023') before "
                        "'1. Unit Organisasi'")
    title = Line(" ".join(t.text for t in title_block), title_block[0].line)
    doc_type = document_type(title.text)
    year = year_in(title.text)
    if doc_type is None or year is None:
        raise cur.error(
            "expected a title naming the document type and year, such as "
            "'INDIKATOR KINERJA UTAMA ... TAHUN 2023'",
            title.line,
        )

    m, _ = cur.expect(r"1\.\s*unit organisasi\s*:\s*(.+)", "'1. Unit Organisasi : ...'")
    ministry = Line(m.group(1).strip(), _.line)
    m, unit_line = cur.expect(r"2\.\s*satuan kerja\s*:\s*(.+)", "'2. Satuan Kerja : ...'")
    office_name = Line(m.group(1).strip(), unit_line.line)
    m, task_line = cur.expect(r"3\.\s*tugas pokok\s*:\s*(.+)", "'3. Tugas Pokok : ...'")
    office = Office(
        ministry=ministry,
        province=province,
        unit=unit,
        name=office_name,
        address=address,
        telephone=telephone,
        website=website,
        email=email,
        main_task=Line(m.group(1).strip(), task_line.line),
    )
    cur.expect(r"4\.\s*fungsi\s*:?", "'4. Fungsi :'")
    while found := cur.accept(r"-?\s*([a-z])\.\s+(.+)"):
        m, line = found
        office.functions.append((m.group(1), Line(m.group(2).strip(), line.line)))
    if not office.functions:
        raise cur.error("expected the functions as '- a. ...' items after '4. Fungsi :'")
    cur.expect(r"5\.\s*indikator kinerja.*:?", "'5. Indikator Kinerja Utama (IKU):'")
    goals = read_table(cur, programs=False)
    if not goals:
        raise cur.error("expected the indicator table (No | Sasaran | Indikator | Target)")

    m, dated = cur.expect(
        r"([^,\d]+),\s*(\d{1,2}\s+\w+\s+\d{4})",
        "place and date ('Pangkalpinang, 10 Januari 2023')",
    )
    place = Line(m.group(1).strip(), dated.line)
    sig = signature(cur, place, Line(m.group(2), dated.line))
    cur.finish()
    return Document(doc_type, year, title.line, title, office, goals, signature=sig)
