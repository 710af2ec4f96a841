"""Layout ``kanwil-iku-list``: an IKU list on a regional office's letterhead.

Letterhead (ministry, office, address, Telepon, Laman, Surel), a bold title ("INDIKATOR
KINERJA UTAMA ... TAHUN 2023"), numbered items (Unit Organisasi, Satuan Kerja, Tugas Pokok,
Fungsi a-f), the indicator table, then place and date and the signatory.
Example: data/sources/000_0724a4aaa7b32400.txt (Bangka Belitung, 2023).
"""

from __future__ import annotations

import re

from kinerja.ingest.cursor import Cursor
from kinerja.ingest.extractors import register
from kinerja.ingest.extractors.common import document_type, has_line, signature, year_in
from kinerja.ingest.records import Document, Line, Office
from kinerja.ingest.sources import Source
from kinerja.ingest.tables import read_table

_LINK = r"\[[^\]]*\]\(([^)\s]+)\)"


class KanwilIkuList:
    name = "kanwil-iku-list"
    description = "IKU/IKK list on a regional office letterhead with a flat sasaran table"

    def detect(self, source: Source) -> bool:
        return (
            has_line(source, r"indikator kinerja (utama|kegiatan)")
            and has_line(source, r"\d+\.\s*satuan kerja\s*:.*")
            and not has_line(source, r"menimbang\s*:.*")
        )

    def extract(self, source: Source) -> Document:
        cur = Cursor(source)
        cur.take_block()  # letterhead: the ministry, which item 1 names again
        _, office_head = cur.expect(r"kantor wilayah\s+(.+)", "'KANTOR WILAYAH <province>'")
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
            province=Line(_province(office_head.text), office_head.line),
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


def _province(kanwil_heading: str) -> str:
    """'KANTOR WILAYAH KEPULAUAN BANGKA BELITUNG' -> 'KEPULAUAN BANGKA BELITUNG'."""
    return re.sub(r"^kantor wilayah\s+", "", kanwil_heading, flags=re.IGNORECASE).strip()


register(KanwilIkuList())
