"""Layout ``kanwil-decree``: a regional office head's decree (Keputusan) that sets indicators.

Heading (ministry; KEPUTUSAN KEPALA KANTOR WILAYAH <ministry> <province>; NOMOR ... TAHUN
...; TENTANG <title>), Menimbang (a, b, ...), Mengingat (1, 2, ...), MEMUTUSKAN, Menetapkan,
the provisions KESATU ..., place and date, signatory; then the appendix: a title and the
indicator tables under PROGRAM headings, the signature again, and Tembusan.
Example: data/sources/002_9c54d10a95a91ac4.txt (Kalimantan Barat, 2024).
"""

from __future__ import annotations

import re

from kinerja.ingest.cursor import Cursor
from kinerja.ingest.dates import DATE, parse_date
from kinerja.ingest.extractors import register
from kinerja.ingest.extractors.common import (
    document_type,
    has_line,
    read_signatory,
    signature,
    year_in,
)
from kinerja.ingest.legal import CitationParseError, parse_articles, parse_citation
from kinerja.ingest.records import Decree, Document, LegalBasis, Line, Office, Provision
from kinerja.ingest.sources import Source
from kinerja.ingest.tables import read_table

_ORDINALS = (
    "KESATU",
    "KEDUA",
    "KETIGA",
    "KEEMPAT",
    "KELIMA",
    "KEENAM",
    "KETUJUH",
    "KEDELAPAN",
    "KESEMBILAN",
    "KESEPULUH",
)
_CITATION_START = re.compile(
    r"\b(undang-undang|peraturan|keputusan|instruksi|uu|pp|perpres|permen\w*|kepmen\w*)\b",
    re.IGNORECASE,
)


class KanwilDecree:
    name = "kanwil-decree"
    description = "decree of a regional office head with Menimbang/Mengingat and program tables"

    def detect(self, source: Source) -> bool:
        return (
            has_line(source, r"keputusan kepala kantor wilayah")
            and has_line(source, r"menimbang\s*:.*")
            and has_line(source, r"mengingat\s*:.*")
        )

    def extract(self, source: Source) -> Document:
        cur = Cursor(source)
        ministry_block = cur.take_block()
        ministry = Line(ministry_block[0].text, ministry_block[0].line)
        heading = cur.take_block()
        heading_text = " ".join(h.text for h in heading)
        m = re.fullmatch(r"keputusan kepala kantor wilayah\s+(.+)", heading_text, re.IGNORECASE)
        if not m:
            raise cur.error(
                "expected 'KEPUTUSAN KEPALA KANTOR WILAYAH <ministry> <province>'", heading[0].line
            )
        province = _after_ministry(m.group(1), ministry.text)
        if not province:
            raise cur.error(
                f"expected the province after the ministry in {heading_text!r}", heading[0].line
            )
        m, number_line = cur.expect(
            r"nomor\s*:?\s*([^\s:]\S*)\s+tahun\s+(\d{4})(\s+tentang)?",
            "'NOMOR: <number> TAHUN <year>'",
        )
        number = Line(m.group(1), number_line.line)
        if not m.group(3):
            cur.expect(r"tentang", "'TENTANG'")
        title_block = cur.take_block()
        title = Line(" ".join(t.text for t in title_block), title_block[0].line)
        doc_type = document_type(title.text)
        year = year_in(title.text) or int(m.group(2))
        if doc_type is None:
            raise cur.error(
                "expected a title naming what the decree sets (Indikator Kinerja "
                "Utama/Kegiatan, Perjanjian Kinerja, ...)",
                title.line,
            )
        cur.take_block()  # the issuing official's heading: KEPALA KANTOR WILAYAH ...

        decree = Decree("keputusan-kakanwil", number, title, title)
        self._considerations(cur, decree)
        self._bases(cur, decree)
        cur.accept(r"memutuskan\s*\.\.\.")  # catchword at the foot of a page
        cur.expect(r"memutuskan\s*:", "'MEMUTUSKAN:'")
        m, name_line = cur.expect(r"menetapkan\s*:\s*(.+)", "'Menetapkan : KEPUTUSAN ...'")
        decree.name = Line(m.group(1).strip(), name_line.line)
        self._provisions(cur, decree)

        _, placed = cur.expect(r"ditetapkan di\s+(.+)", "'Ditetapkan di <place>'")
        place = Line(re.sub(r"(?i)^ditetapkan di\s+", "", placed.text), placed.line)
        m, dated = cur.expect(rf"pada tanggal\s+({DATE})", "'Pada tanggal <date>'")
        sig = signature(cur, place, Line(m.group(1), dated.line))

        appendix = cur.take_block()
        if document_type(" ".join(a.text for a in appendix)) != doc_type:
            raise cur.error(
                "expected the appendix title naming the same indicators as the decree's title",
                appendix[0].line,
            )
        goals = read_table(cur, programs=True)
        if not goals:
            raise cur.error("expected the indicator tables under PROGRAM headings")
        if not cur.at_end() and cur.peek().text.lower().startswith(("kepala", "sekretaris")):
            post, name, nip = read_signatory(cur)
            if (name.text, nip.text) != (sig.name.text, sig.nip.text):
                raise cur.error(
                    "the appendix is signed by someone else than the decree "
                    f"({name.text}); expected {sig.name.text}",
                    name.line,
                )
        if cur.accept(r"tembusan\s*:?"):
            while not cur.at_end():
                decree.copies.append(cur.take())
        cur.finish()
        office = Office(
            ministry=ministry,
            province=Line(province, heading[0].line),
            name=Line(heading_text, heading[0].line),
        )
        return Document(
            doc_type, year, title.line, title, office, goals, signature=sig, decree=decree
        )

    def _considerations(self, cur: Cursor, decree: Decree) -> None:
        m, first = cur.expect(r"menimbang\s*:\s*([a-z])\.\s+(.+)", "'Menimbang : a. ...'")
        items = [(m.group(1), Line(m.group(2), first.line))]
        while found := cur.accept(r"([a-z])\.\s+(.+)"):
            m, line = found
            items.append((m.group(1), Line(m.group(2), line.line)))
        decree.considerations = items
        for _letter, item in items:
            articles = parse_articles(item.text)
            start = _CITATION_START.search(item.text)
            if not articles:
                continue
            if not start:
                raise cur.error("a consideration names articles but no instrument", item.line)
            try:
                citation = parse_citation(item.text[start.start() :])
            except CitationParseError as e:
                raise cur.error(str(e), item.line) from None
            decree.implements.append(LegalBasis(citation, item.line, articles))

    def _bases(self, cur: Cursor, decree: Decree) -> None:
        m, first = cur.expect(r"mengingat\s*:\s*1\.\s+(.+)", "'Mengingat : 1. ...'")
        items = [Line(m.group(1), first.line)]
        while found := cur.accept(r"\d+\.\s+(.+)"):
            items.append(Line(found[0].group(1), found[1].line))
        for item in items:
            try:
                decree.bases.append(LegalBasis(parse_citation(item.text), item.line))
            except CitationParseError as e:
                raise cur.error(f"legal basis: {e}", item.line) from None

    def _provisions(self, cur: Cursor, decree: Decree) -> None:
        for ordinal in _ORDINALS:
            found = cur.accept(rf"-?\s*{ordinal}\s*:\s*(.+)")
            if not found:
                break
            m, line = found
            decree.provisions.append(Provision(ordinal, m.group(1).strip(), line.line))
        if not decree.provisions:
            raise cur.error("expected the provisions ('KESATU : ...')")
        for provision in decree.provisions:
            until = re.search(rf"sampai dengan (?:tanggal\s+)?({DATE})", provision.text, re.I)
            if until:
                decree.valid_until = parse_date(until.group(1))


def _after_ministry(text: str, ministry: str) -> str:
    """'KEMENTERIAN HUKUM DAN HAK ASASI MANUSIA KALIMANTAN BARAT' minus the ministry."""
    if text.casefold().startswith(ministry.casefold()):
        return text[len(ministry) :].strip()
    return ""


register(KanwilDecree())
