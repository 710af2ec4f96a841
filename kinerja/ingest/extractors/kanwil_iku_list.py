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
from kinerja.ingest.extractors.common import LOCAL_GOVERNMENT, is_list, read_list, starts_with
from kinerja.ingest.records import Document, Line
from kinerja.ingest.sources import Source


class KanwilIkuList:
    name = "kanwil-iku-list"
    description = "IKU/IKK list on a regional office letterhead with a flat sasaran table"

    def detect(self, source: Source) -> bool:
        return is_list(source) and not starts_with(source, LOCAL_GOVERNMENT)

    def extract(self, source: Source) -> Document:
        cur = Cursor(source)
        cur.take_block()  # letterhead: the ministry, which item 1 names again
        _, office_head = cur.expect(r"kantor wilayah\s+(.+)", "'KANTOR WILAYAH <province>'")
        province = Line(_province(office_head.text), office_head.line)
        return read_list(cur, province)


def _province(kanwil_heading: str) -> str:
    """'KANTOR WILAYAH KEPULAUAN BANGKA BELITUNG' -> 'KEPULAUAN BANGKA BELITUNG'."""
    return re.sub(r"^kantor wilayah\s+", "", kanwil_heading, flags=re.IGNORECASE).strip()


register(KanwilIkuList())
