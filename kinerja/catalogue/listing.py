"""Listings with facets: indicators, documents, legal instruments, goals, concepts,
programs, offices and targets, filtered by office, year, document type, program, unit,
legal instrument type and indicator concept, with counts per facet value, sorting and
pagination.

A facet's counts apply every other chosen facet but not its own, so that the alternatives
to a choice stay visible with the number of items each would give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from string import Template
from typing import TYPE_CHECKING

from kinerja.catalogue.reader import Reader, Row, Value, iri, year

if TYPE_CHECKING:
    from kinerja.catalogue.listing_pages import ListingIndex

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Values of a facet given at first (most items first, and every chosen one); the rest on
# asking (``semua=<facet>``): a national graph has thousands of indicator concepts.
FACET_VALUES = 20


@dataclass(frozen=True)
class Facet:
    name: str  # the request parameter
    label: tuple[str, str]  # Indonesian, English
    pattern: str  # binds $v for ?item
    kind: str = "iri"  # iri | year


@dataclass(frozen=True)
class Column:
    name: str  # variable in the row query, and CSV header
    label: tuple[str, str]
    link: str | None = None  # variable holding the IRI this column links to


@dataclass(frozen=True)
class Listing:
    name: str
    label: tuple[str, str]
    pattern: str  # binds ?item and the columns' variables, one row per item
    columns: tuple[Column, ...]
    facets: tuple[Facet, ...]
    sorts: dict[str, str]  # sort key -> ORDER BY expression


OFFICE = Facet("kantor", ("Kantor", "Office"), "")
YEAR = Facet("tahun", ("Tahun", "Year"), "", kind="year")
DOCTYPE = Facet("jenis", ("Jenis dokumen", "Document type"), "")
PROGRAM = Facet("program", ("Program", "Program"), "")
UNIT = Facet("satuan", ("Satuan", "Unit"), "")
LEGALTYPE = Facet("jenis_peraturan", ("Jenis peraturan", "Legal instrument type"), "")
CONCEPT = Facet("konsep", ("Konsep indikator", "Indicator concept"), "")


def _f(facet: Facet, pattern: str) -> Facet:
    return Facet(facet.name, facet.label, pattern, facet.kind)


BASIS_TYPE = "eli:based_on ?b_ . ?b_ eli:is_part_of? ?ins_ . ?ins_ eli:type_document $v ."
LISTINGS = {
    "indikator": Listing(
        "indikator",
        ("Indikator", "Indicators"),
        """?item a kin:Indicator ; rdfs:label ?label ; skos:notation ?notation ;
             kin:goal ?goal . ?goal kin:inDocument ?doc .
           ?doc kin:issuedBy ?office ; kin:year ?year ; rdfs:label ?docLabel .
           ?office rdfs:label ?officeLabel .
           OPTIONAL { ?goal kin:program ?program . ?program rdfs:label ?programLabel }
           OPTIONAL { ?t_ kin:indicator ?item ; kin:targetText ?target .
                      OPTIONAL { ?t_ kin:unit/skos:notation ?unit } }""",
        (
            Column("label", ("Indikator", "Indicator"), "item"),
            Column("officeLabel", ("Kantor", "Office"), "office"),
            Column("year", ("Tahun", "Year")),
            Column("programLabel", ("Program", "Program"), "program"),
            Column("target", ("Target", "Target")),
            Column("unit", ("Satuan", "Unit")),
            Column("docLabel", ("Dokumen", "Document"), "doc"),
        ),
        (
            _f(OFFICE, "?item kin:goal/kin:inDocument/kin:issuedBy $v ."),
            _f(YEAR, "?item kin:goal/kin:inDocument/kin:year $v ."),
            _f(DOCTYPE, "?item kin:goal/kin:inDocument/kin:documentType $v ."),
            _f(PROGRAM, "?item kin:goal/kin:program $v ."),
            _f(UNIT, "?tu_ kin:indicator ?item ; kin:unit $v ."),
            _f(LEGALTYPE, "?item kin:goal/kin:inDocument ?d_ . ?d_ " + BASIS_TYPE),
        ),
        {"label": "LCASE(?label)", "tahun": "?year", "kantor": "?officeLabel"},
    ),
    "dokumen": Listing(
        "dokumen",
        ("Dokumen", "Documents"),
        """?item a kin:PerformanceDocument ; rdfs:label ?label ; kin:year ?year ;
             kin:issuedBy ?office ; kin:documentType/skos:notation ?type .
           ?office rdfs:label ?officeLabel .
           OPTIONAL { ?item eli:number ?number }""",
        (
            Column("label", ("Dokumen", "Document"), "item"),
            Column("type", ("Jenis", "Type")),
            Column("number", ("Nomor", "Number")),
            Column("officeLabel", ("Kantor", "Office"), "office"),
            Column("year", ("Tahun", "Year")),
        ),
        (
            _f(OFFICE, "?item kin:issuedBy $v ."),
            _f(YEAR, "?item kin:year $v ."),
            _f(DOCTYPE, "?item kin:documentType $v ."),
            _f(LEGALTYPE, "?item " + BASIS_TYPE),
        ),
        {"tahun": "?year", "label": "LCASE(?label)", "kantor": "?officeLabel"},
    ),
    "peraturan": Listing(
        "peraturan",
        ("Peraturan", "Legal instruments"),
        """?item a eli:LegalResource ; rdfs:label ?label ; eli:type_document ?typeIri .
           ?typeIri skos:notation ?type .
           OPTIONAL { ?item eli:number ?number } OPTIONAL { ?item kin:year ?year }
           OPTIONAL { ?item eli:title ?title }""",
        (
            Column("label", ("Peraturan", "Instrument"), "item"),
            Column("type", ("Jenis", "Type"), "typeIri"),
            Column("number", ("Nomor", "Number")),
            Column("year", ("Tahun", "Year")),
            Column("title", ("Tentang", "Title")),
        ),
        (
            _f(LEGALTYPE, "?item eli:type_document $v ."),
            _f(YEAR, "?item kin:year $v ."),
        ),
        {"tahun": "?year", "label": "LCASE(?label)"},
    ),
    "sasaran": Listing(
        "sasaran",
        ("Sasaran kegiatan", "Activity goals"),
        """?item a kin:Goal ; rdfs:label ?label ; skos:notation ?notation ;
             kin:inDocument ?doc . ?doc kin:issuedBy ?office ; kin:year ?year .
           ?office rdfs:label ?officeLabel .
           OPTIONAL { ?item kin:program ?program . ?program rdfs:label ?programLabel }""",
        (
            Column("label", ("Sasaran kegiatan", "Activity goal"), "item"),
            Column("officeLabel", ("Kantor", "Office"), "office"),
            Column("year", ("Tahun", "Year")),
            Column("programLabel", ("Program", "Program"), "program"),
        ),
        (
            _f(OFFICE, "?item kin:inDocument/kin:issuedBy $v ."),
            _f(YEAR, "?item kin:inDocument/kin:year $v ."),
            _f(DOCTYPE, "?item kin:inDocument/kin:documentType $v ."),
            _f(PROGRAM, "?item kin:program $v ."),
        ),
        {"label": "LCASE(?label)", "tahun": "?year", "kantor": "?officeLabel"},
    ),
    "konsep": Listing(
        "konsep",
        ("Konsep indikator", "Indicator concepts"),
        """?item a kin:IndicatorConcept ; rdfs:label ?label .
           { SELECT ?item (COUNT(?i_) AS ?stated) WHERE { ?i_ kin:concept ?item }
             GROUP BY ?item }""",
        (
            Column("label", ("Konsep indikator", "Indicator concept"), "item"),
            Column("stated", ("Dinyatakan", "Times stated")),
        ),
        (
            _f(OFFICE, "?ic_ kin:concept ?item ; kin:goal/kin:inDocument/kin:issuedBy $v ."),
            _f(YEAR, "?iy_ kin:concept ?item ; kin:goal/kin:inDocument/kin:year $v ."),
            _f(PROGRAM, "?ip_ kin:concept ?item ; kin:goal/kin:program $v ."),
            _f(UNIT, "?iu_ kin:concept ?item . ?tu_ kin:indicator ?iu_ ; kin:unit $v ."),
        ),
        {"label": "LCASE(?label)", "dinyatakan": "?stated"},
    ),
    "program": Listing(
        "program",
        ("Program", "Programs"),
        """?item a kin:Program ; rdfs:label ?label .
           { SELECT ?item (COUNT(?g_) AS ?goals) WHERE { ?g_ kin:program ?item }
             GROUP BY ?item }""",
        (
            Column("label", ("Program", "Program"), "item"),
            Column("goals", ("Sasaran", "Goals")),
        ),
        (
            _f(OFFICE, "?go_ kin:program ?item ; kin:inDocument/kin:issuedBy $v ."),
            _f(YEAR, "?gy_ kin:program ?item ; kin:inDocument/kin:year $v ."),
        ),
        {"label": "LCASE(?label)"},
    ),
    "kantor": Listing(
        "kantor",
        ("Kantor", "Offices"),
        """?item a org:OrganizationalUnit ; rdfs:label ?label .
           OPTIONAL { ?item org:unitOf ?ministry . ?ministry rdfs:label ?ministryLabel }""",
        (
            Column("label", ("Kantor", "Office"), "item"),
            Column("ministryLabel", ("Organisasi induk", "Parent organisation"), "ministry"),
        ),
        (_f(YEAR, "?dy_ kin:issuedBy ?item ; kin:year $v ."),),
        {"label": "LCASE(?label)"},
    ),
    # Every target with where it was stated: the rows of the comparison grids (/banding/),
    # which a concept, program or sasaran chooses by facet.
    "target": Listing(
        "target",
        ("Target", "Targets"),
        """?item a kin:Target ; kin:indicator ?indicator ; kin:office ?office ;
             kin:year ?year ; kin:targetText ?text .
           ?indicator rdfs:label ?label ; kin:concept ?concept ; kin:goal ?goal .
           ?goal kin:inDocument ?doc . ?doc rdfs:label ?docLabel .
           ?concept rdfs:label ?conceptLabel . ?office rdfs:label ?officeLabel .
           OPTIONAL { ?item kin:targetValue ?value }
           OPTIONAL { ?item kin:unit ?unit . ?unit skos:notation ?unitNotation }
           OPTIONAL { ?item prov:wasDerivedFrom ?src ; kin:sourceLine ?line }""",
        (
            Column("text", ("Target", "Target"), "item"),
            Column("value", ("Nilai", "Value")),
            Column("unitNotation", ("Satuan", "Unit"), "unit"),
            Column("label", ("Indikator", "Indicator"), "indicator"),
            Column("conceptLabel", ("Konsep indikator", "Indicator concept"), "concept"),
            Column("officeLabel", ("Kantor", "Office"), "office"),
            Column("year", ("Tahun", "Year")),
            Column("docLabel", ("Dokumen", "Document"), "doc"),
            Column("line", ("Baris sumber", "Source line"), "src"),
        ),
        (
            _f(CONCEPT, "?item kin:indicator/kin:concept $v ."),
            _f(OFFICE, "?item kin:office $v ."),
            _f(YEAR, "?item kin:year $v ."),
            _f(PROGRAM, "?item kin:indicator/kin:goal/kin:program $v ."),
            _f(UNIT, "?item kin:unit $v ."),
            _f(DOCTYPE, "?item kin:indicator/kin:goal/kin:inDocument/kin:documentType $v ."),
        ),
        {
            "konsep": "LCASE(?conceptLabel)",
            "label": "LCASE(?label)",
            "kantor": "?officeLabel",
            "tahun": "?year",
        },
    ),
}
CONTROL_PARAMS = {"urut", "arah", "hal", "per", "lang", "semua"}  # semua: a facet shown whole
_SLUG = re.compile(r"^[A-Za-z0-9._~/-]+$")


class ListingError(ValueError):
    """A request parameter that a listing cannot take; ``param`` names it."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param


@dataclass
class FacetCount:
    value: str  # as given in the request parameter
    label: str
    count: int
    chosen: bool


@dataclass
class Result:
    listing: Listing
    total: int
    rows: list[Row]
    page: int
    per_page: int
    sort: str
    descending: bool
    chosen: dict[str, list[str]]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    hidden: dict[str, int] = field(default_factory=dict)  # facet values left out (``kept``)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def parse(listing: Listing, params: list[tuple[str, str]], base: str) -> dict:
    """Check the request parameters; raise ``ListingError`` naming the first bad one."""
    facets = {f.name: f for f in listing.facets}
    chosen: dict[str, list[str]] = {}
    whole: set[str] = set()
    out = {"page": 1, "per_page": PAGE_SIZE, "sort": next(iter(listing.sorts)), "descending": False}
    for name, value in params:
        if name in facets:
            if facets[name].kind == "year":
                if not re.fullmatch(r"[0-9]{4}", value):
                    raise ListingError(name, f"expected a four-digit year, got {value!r}")
            elif not _SLUG.match(value) or ".." in value:
                raise ListingError(
                    name,
                    "expected the path of a resource after /id/, "
                    f"such as organisasi/..., got {value!r}",
                )
            chosen.setdefault(name, []).append(value)
        elif name == "urut":
            if value not in listing.sorts:
                raise ListingError(
                    name, f"expected one of {', '.join(listing.sorts)}, got {value!r}"
                )
            out["sort"] = value
        elif name == "arah":
            if value not in ("naik", "turun"):
                raise ListingError(name, f"expected naik or turun, got {value!r}")
            out["descending"] = value == "turun"
        elif name in ("hal", "per"):
            if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) < 1:
                raise ListingError(
                    name, f"expected a whole number from 1 to 999999999, got {value!r}"
                )
            if name == "per" and int(value) > MAX_PAGE_SIZE:
                raise ListingError(name, f"at most {MAX_PAGE_SIZE} rows per page")
            out["page" if name == "hal" else "per_page"] = int(value)
        elif name == "semua":
            if value not in facets:
                raise ListingError(
                    name, f"expected the name of a facet: {', '.join(facets)}; got {value!r}"
                )
            whole.add(value)
        elif name not in CONTROL_PARAMS:
            allowed = sorted(set(facets) | CONTROL_PARAMS)
            raise ListingError(name, f"not a parameter of this listing; use {', '.join(allowed)}")
    out["chosen"] = chosen
    out["limits"] = {f: None if f in whole else FACET_VALUES for f in facets}
    return out


def _term(facet: Facet, value: str, base: str) -> str:
    return year(value) if facet.kind == "year" else iri(base + "id/" + value)


def _filters(listing: Listing, chosen: dict[str, list[str]], base: str, skip: str = "") -> str:
    parts = []
    for facet in listing.facets:
        if facet.name == skip or facet.name not in chosen:
            continue
        var = f"?f_{facet.name}"
        terms = " ".join(_term(facet, v, base) for v in chosen[facet.name])
        scoped = _scoped(facet, var, facet.name)
        # A sub-select of distinct items: joins once per item (no duplicated rows), and
        # Oxigraph plans it far better than FILTER EXISTS.
        parts.append(f"{{ SELECT DISTINCT ?item WHERE {{ VALUES {var} {{ {terms} }} {scoped} }} }}")
    return "\n".join(parts)


def variables(listing: Listing) -> list[str]:
    """What a row holds: the columns' variables and those they link to."""
    return sorted({c.name for c in listing.columns} | {c.link for c in listing.columns if c.link})


def run(
    reader: Reader,
    listing: Listing,
    params: list[tuple[str, str]],
    lang: str = "id",
    everything: bool = False,
    index: ListingIndex | None = None,
) -> Result:
    """One page of the listing (or every row, for CSV) with its facet counts: from the
    build's listing index when given one, else by SPARQL over the whole graph (slow on a
    large graph; the reference that the index is tested against)."""
    p = parse(listing, params, reader.base)
    if index is not None:
        return index.result(listing, p, lang, everything)
    chosen = p["chosen"]
    filters = _filters(listing, chosen, reader.base)
    total = int(
        reader.select(
            f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {class_pattern(listing)} {filters} }}"
        )[0]["n"].text
    )
    order = listing.sorts[p["sort"]]
    order = f"DESC({order})" if p["descending"] else f"ASC({order})"
    projection = " ".join("?" + v for v in variables(listing))
    limit = (
        "" if everything else (f"LIMIT {p['per_page']} OFFSET {(p['page'] - 1) * p['per_page']}")
    )
    rows = reader.select(
        f"SELECT {projection} WHERE {{ {listing.pattern} {filters} }} "
        f"ORDER BY {order} ?item {limit}"
    )
    result = Result(
        listing, total, rows, p["page"], p["per_page"], p["sort"], p["descending"], chosen
    )
    if not everything:
        for f in listing.facets:
            result.facets[f.name], result.hidden[f.name] = _counts(
                reader, listing, f, chosen, lang, p["limits"][f.name]
            )
    return result


def facet(
    reader: Reader,
    listing: Listing,
    params: list[tuple[str, str]],
    name: str,
    lang: str = "id",
    index: ListingIndex | None = None,
) -> list[FacetCount]:
    """Every value of one facet of the listing with its count, under the choice
    ``params``, as ``run`` gives them (no rows read): from the listing index when given
    one, else by SPARQL."""
    if index is not None:
        return index.facet(listing, params, name, lang)
    p = parse(listing, params, reader.base)
    (chosen,) = [f for f in listing.facets if f.name == name]
    return _counts(reader, listing, chosen, p["chosen"], lang, None)[0]


def _scoped(facet: Facet, var: str, suffix: str) -> str:
    """The facet's pattern binding ``var``, its helper variables (``?x_``) made its own."""
    pattern = Template(facet.pattern).substitute(v=var)
    return re.sub(r"(\?[A-Za-z]+_)(?![A-Za-z0-9_])", r"\g<1>" + suffix, pattern)


def class_pattern(listing: Listing) -> str:
    """The listing's class test alone: counting needs no columns."""
    return re.search(r"\?item a [a-z]+:[A-Za-z]+", listing.pattern).group(0) + " ."


def _counts(
    reader: Reader,
    listing: Listing,
    facet: Facet,
    chosen: dict[str, list[str]],
    lang: str,
    limit: int | None,
) -> tuple[list[FacetCount], int]:
    filters = _filters(listing, chosen, reader.base, skip=facet.name)
    pattern = _scoped(facet, "?value", "count")
    rows = reader.select(
        f"SELECT ?value (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {class_pattern(listing)} "
        f"{filters} {pattern} }} GROUP BY ?value ORDER BY DESC(?n) ?value"
    )
    found, hidden = kept(facet, [(r["value"], int(r["n"].text)) for r in rows], reader.base,
                         chosen, limit)
    labels = reader.labels([v.iri for v, _n in found if v.iri], lang)
    return facet_counts(facet, found, labels, reader.base, chosen), hidden


def _given(v: Value, prefix: str) -> str:
    """A facet value as a request parameter gives it."""
    return v.text[len(prefix) :] if v.iri and v.text.startswith(prefix) else v.text


def kept(
    facet: Facet,
    found: list[tuple[Value, int]],
    base: str,
    chosen: dict[str, list[str]],
    limit: int | None,
) -> tuple[list[tuple[Value, int]], int]:
    """Of a facet's values (most items first), the first ``limit`` (all, when None) and
    every chosen one; and how many were left out."""
    if limit is None or len(found) <= limit:
        return found, 0
    prefix = base + "id/"
    picked = set(chosen.get(facet.name, []))
    out = [x for i, x in enumerate(found) if i < limit or _given(x[0], prefix) in picked]
    return out, len(found) - len(out)


def facet_counts(
    facet: Facet,
    found: list[tuple[Value, int]],
    labels: dict[str, str],
    base: str,
    chosen: dict[str, list[str]],
) -> list[FacetCount]:
    """A facet's values with their counts, as shown: ``found`` most items first (then by
    value), a resource by its label, a year facet newest first."""
    prefix = base + "id/"
    out = []
    for v, n in found:
        given = _given(v, prefix)
        out.append(
            FacetCount(
                given,
                labels.get(v.text, v.text) if v.iri else v.text,
                n,
                given in chosen.get(facet.name, []),
            )
        )
    if facet.kind == "year":
        out.sort(key=lambda c: c.value, reverse=True)
    return out
