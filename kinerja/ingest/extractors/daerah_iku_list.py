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
government) from the second; "1. Unit Organisasi" names the government again.
"""

from __future__ import annotations

from kinerja.ingest.cursor import Cursor
from kinerja.ingest.extractors import register
from kinerja.ingest.extractors.common import LOCAL_GOVERNMENT, has_line, is_list, read_list
from kinerja.ingest.records import Document, Line
from kinerja.ingest.sources import Source


class DaerahIkuList:
    name = "daerah-iku-list"
    description = (
        "IKU/IKK list of a provincial government unit (Dinas, Badan) with a flat sasaran table"
    )

    def detect(self, source: Source) -> bool:
        return is_list(source) and has_line(source, LOCAL_GOVERNMENT)

    def extract(self, source: Source) -> Document:
        cur = Cursor(source)
        m, government = cur.expect(LOCAL_GOVERNMENT, "'PEMERINTAH PROVINSI <province>'")
        unit = cur.take()
        if unit.text.casefold().startswith(("telepon", "laman")) or not unit.text.isupper():
            raise cur.error(
                "expected the unit's name in capitals under the government's "
                "('DINAS KESEHATAN')",
                unit.line,
            )
        province = Line(m.group(1).strip(), government.line)
        return read_list(cur, province, unit)


register(DaerahIkuList())
