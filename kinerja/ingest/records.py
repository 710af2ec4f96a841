"""What an extractor reads from one document: plain records, no RDF.

Every record that becomes a resource carries the 1-based ``line`` it starts on, so that
provenance (``kin:sourceLine``) and error messages can point into the source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kinerja.ingest.legal import Citation
from kinerja.ingest.targets import ParsedTarget


@dataclass(frozen=True)
class Line:
    """A piece of text and the line it starts on."""

    text: str
    line: int


@dataclass
class Target:
    parsed: ParsedTarget
    line: int


@dataclass
class Indicator:
    notation: str  # as printed, or its position in the goal where none is printed
    text: str
    line: int
    target: Target | None = None


@dataclass
class Goal:
    notation: str
    text: str
    line: int
    program: Line | None = None
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Office:
    """An office that issues performance documents: a ministry's regional office (Kantor
    Wilayah) in a province, or a unit (Dinas, Badan) of a provincial government."""

    ministry: Line  # the organisation it belongs to: a ministry or a provincial government
    province: Line
    unit: Line | None = None  # a provincial government's unit as its letterhead names it
    name: Line | None = None
    address: list[Line] = field(default_factory=list)
    telephone: Line | None = None
    website: Line | None = None
    email: Line | None = None
    main_task: Line | None = None
    functions: list[tuple[str, Line]] = field(default_factory=list)  # ("a", text)


@dataclass
class Signature:
    place: Line
    date: dt.date
    date_line: int
    name: Line
    nip: Line
    post: Line


@dataclass
class LegalBasis:
    citation: Citation
    line: int
    articles: list[str] = field(default_factory=list)  # articles implemented ("Pasal 3")


@dataclass
class Provision:
    notation: str  # KESATU, KEDUA, ...
    text: str
    line: int


@dataclass
class Decree:
    """What makes a performance document a decree (Keputusan)."""

    type: str  # notation in <id/jenis-peraturan>, e.g. "keputusan-kakanwil"
    number: Line
    title: Line  # the "tentang ..." part
    name: Line  # the document's own full name ("KEPUTUSAN ... TENTANG ...")
    considerations: list[tuple[str, Line]] = field(default_factory=list)  # Menimbang
    implements: list[LegalBasis] = field(default_factory=list)  # articles from Menimbang
    bases: list[LegalBasis] = field(default_factory=list)  # Mengingat
    provisions: list[Provision] = field(default_factory=list)
    valid_until: dt.date | None = None
    copies: list[Line] = field(default_factory=list)  # Tembusan


@dataclass
class Document:
    """One performance document as read from one source file."""

    document_type: str  # IKU, IKK, ...
    year: int
    year_line: int
    title: Line
    office: Office
    goals: list[Goal]
    signature: Signature | None = None
    decree: Decree | None = None
