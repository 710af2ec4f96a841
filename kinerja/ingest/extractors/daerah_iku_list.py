"""Layout ``daerah-iku-list``: an IKU/IKK list of a provincial government's unit.

The body is that of ``kanwil-iku-list`` (numbered items, a flat sasaran table, place,
date and signatory); the letterhead is the provincial government's, then its unit:

    PEMERINTAH PROVINSI JAWA BARAT
    DINAS KESEHATAN
    Jalan Pasteur Nomor 25
    Bandung 40161

    Telepon : (022) 4230231
    Laman : [...](...) Surel : [...](mailto:...)

The province comes from the first line, the unit (which names the office within its
government) from the second; "1. Unit Organisasi" must name the same government and
"2. Satuan Kerja" the same unit, or the file is refused at that line.
"""

from __future__ import annotations

import re

from kinerja.ingest.cursor import Cursor
from kinerja.ingest.extractors import register
from kinerja.ingest.extractors.common import LOCAL_GOVERNMENT, is_list, read_list, starts_with
from kinerja.ingest.records import Document, Line
from kinerja.ingest.sources import Source
from kinerja.ingest.text import fold


class DaerahIkuList:
    name = "daerah-iku-list"
    description = (
        "IKU/IKK list of a provincial government unit (Dinas, Badan) with a flat sasaran table"
    )

    def detect(self, source: Source) -> bool:
        return is_list(source) and starts_with(source, LOCAL_GOVERNMENT)

    def extract(self, source: Source) -> Document:
        cur = Cursor(source)
        m, government = cur.expect(LOCAL_GOVERNMENT, "'PEMERINTAH PROVINSI <province>'")
        province = Line(m.group(1).strip(), government.line)
        unit = cur.take()
        if unit.text.casefold().startswith(("telepon", "laman")) or not unit.text.isupper():
            raise cur.error(
                "expected the unit's name in capitals under the government's "
                "('DINAS KESEHATAN')",
                unit.line,
            )
        # "DINAS KESEHATAN PROVINSI JAWA BARAT" names the same unit as "DINAS KESEHATAN"
        unit = Line(re.sub(r"\s+provinsi\s+.*$", "", unit.text, flags=re.IGNORECASE), unit.line)
        doc = read_list(cur, province, unit)
        office = doc.office
        if not fold(office.name.text).startswith(fold(unit.text)):
            raise cur.error(
                f"'2. Satuan Kerja' names {office.name.text!r}; expected the unit of the "
                f"letterhead, {unit.text.title()!r} ...",
                office.name.line,
            )
        stated = fold(office.ministry.text)
        if not (stated.startswith("pemerintah") and fold(province.text) in stated):
            raise cur.error(
                f"'1. Unit Organisasi' names {office.ministry.text!r}; expected the government "
                f"of the letterhead, 'Pemerintah Provinsi {province.text.title()}'",
                office.ministry.line,
            )
        return doc


register(DaerahIkuList())
