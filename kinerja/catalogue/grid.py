"""Comparison grids: the same indicator's targets across offices and years.

For an indicator concept: one row per office, one column per year, the target (verbatim
text, value and unit) in each cell, linked to where it was stated. For a program or a
sasaran: one row per indicator concept it holds, one column per office and year.

A grid of a concept that hundreds of documents state has thousands of targets (a program's,
tens of thousands): shown whole, its page took seconds and megabytes. So a page of a grid
holds whole offices, in the order of their labels, at most ``PAGE_TARGETS`` targets. A
page of one office that alone has more is cut into parts, runs of its years with at most
``PAGE_TARGETS`` targets (a year that alone has more, a part of its own): only that
office's years are counted, so a page costs the same however many offices are cut. A
chart still summarises every target, from only the columns it needs, each distinct set
of their values counted once by the listing index (thousands of targets give a few
hundred). The CSV holds the whole grid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from string import Template

import pyoxigraph as ox

from kinerja.catalogue.listing import LISTINGS, FacetCount, ListingError
from kinerja.catalogue.listing_pages import GYEAR, ListingIndex
from kinerja.catalogue.listing_plan import ITEM
from kinerja.catalogue.reader import Reader, Row, iri, values

# What a target must have to be in a grid; ``$pattern`` chooses the grid's indicators.
REQUIRED = """
  $pattern
  ?indicator kin:concept ?concept ; kin:goal/kin:inDocument ?doc .
  ?concept rdfs:label ?conceptLabel .
  ?target kin:indicator ?indicator ; kin:office ?office ; kin:year ?year ;
          kin:targetText ?text .
  ?office rdfs:label ?officeLabel ."""
# The optional parts are LATERAL: looked up for these targets only (a plain OPTIONAL makes
# the store join against every target of the graph). ``$offices``: a page's offices.
TARGETS = """
SELECT ?concept ?conceptLabel ?indicator ?office ?officeLabel ?year ?target ?text ?value
       ?unit ?unitNotation ?src ?line ?doc WHERE {""" + REQUIRED + """
  $offices
  LATERAL {
    OPTIONAL { ?target kin:targetValue ?value }
    OPTIONAL { ?target kin:unit ?unit . ?unit skos:notation ?unitNotation }
    OPTIONAL { ?target prov:wasDerivedFrom ?src ; kin:sourceLine ?line }
  }
} ORDER BY ?conceptLabel ?officeLabel ?year ?line ?target
"""
OFFICES = (
    "SELECT ?office ?officeLabel (COUNT(DISTINCT ?target) AS ?n) WHERE {"
    + REQUIRED
    + "\n} GROUP BY ?office ?officeLabel"
)
# One office's targets by year: to cut a page of one office into parts.
YEARS = (
    "SELECT (STR(?year) AS ?y) (COUNT(DISTINCT ?target) AS ?n) WHERE {"
    + REQUIRED
    + "\n  VALUES ?office { $office }\n} GROUP BY ?year"
)
PAGE_TARGETS = 200  # targets in one page (or part) of a grid, unless one office (year) has more
NUMBERS = ("year", "value", "unit", "unitNotation")  # what a chart of every target needs
# The ``target`` listing's columns that a grid reads (those of ``TARGETS``; the target is
# the listing's item): not the labels of the indicator and of the document, long texts
# that a grid does not show.
COLUMNS = ("concept", "conceptLabel", "indicator", "office", "officeLabel", "year", "text",
           "value", "unit", "unitNotation", "src", "line", "doc")

PATTERNS = {
    "concept": "VALUES ?concept { $r }",
    "program": "?indicator kin:goal/kin:program $r .",
    # A sasaran's grid compares its indicators' concepts wherever they are stated.
    "goal": "{ SELECT DISTINCT ?concept WHERE { ?i kin:goal $r ; kin:concept ?concept } }",
}
CSV_COLUMNS = [
    "concept",
    "concept_label",
    "office",
    "office_label",
    "year",
    "target_text",
    "target_value",
    "unit",
    "indicator",
    "document",
    "source",
    "source_line",
]


class GridPageError(ValueError):
    """A page (``param`` "hal") or a part of a page ("bagian") that a grid does not have."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class Page:
    offices: list[tuple[str, str, int]]  # (iri, label, targets), in the order of labels
    targets: int

    @property
    def span(self) -> str:
        """The page's offices as a pager names them: first – last, or the one."""
        first, last = self.offices[0][1], self.offices[-1][1]
        return first if len(self.offices) == 1 else f"{first} – {last}"


@dataclass(frozen=True)
class Part:
    years: tuple[str, ...]  # consecutive years of the page's one office, in order
    targets: int

    @property
    def span(self) -> str:
        """The part's years as a pager names them: first–last, or the one."""
        first, last = self.years[0], self.years[-1]
        return first if first == last else f"{first}–{last}"


@dataclass
class Grid:
    kind: str
    rows: list[tuple[str, str]]  # (iri, label)
    columns: list[tuple[str, ...]]  # (year,) for a concept; (office, office label, year) else
    cells: dict[tuple[str, tuple], list[Row]] = field(default_factory=dict)
    targets: list[Row] = field(default_factory=list)  # of this page
    page: int = 1
    pages: list[Page] = field(default_factory=list)  # none: the grid is whole
    part: int = 1
    parts: list[Part] = field(default_factory=list)  # of this page; none: it is whole
    # every target's NUMBERS, each distinct combination with its number of targets: a
    # concept's grid in pages
    numbers: list[tuple[Row, int]] | None = None

    @property
    def paged(self) -> bool:
        """Whether this page shows less than the whole grid."""
        return len(self.pages) > 1 or len(self.parts) > 1

    @property
    def total(self) -> int:
        """Targets in the whole grid."""
        return sum(p.targets for p in self.pages) if self.pages else len(self.targets)

    def cell(self, row: str, column: tuple) -> list[Row]:
        return self.cells.get((row, column), [])

    @property
    def charted(self) -> list[tuple[Row, int]]:
        """What a chart summarises, every target of the grid (not just this page's): rows
        with how many targets each stands for (this page's targets, one each, when the
        grid is whole)."""
        return [(t, 1) for t in self.targets] if self.numbers is None else self.numbers

    @property
    def chartable(self) -> bool:
        """A chart helps where there is more than one office or year to compare."""
        return sum(n for t, n in self.charted if t.get("value")) > 1

    def series(self) -> dict[str, list[tuple[Row, int]]]:
        """Numeric targets (with how many each row stands for) by unit notation: one chart
        per unit, never mixing scales."""
        out: dict[str, list[tuple[Row, int]]] = {}
        for t, n in self.charted:
            if t.get("value"):
                notation = t["unitNotation"].text if "unitNotation" in t else ""
                out.setdefault(notation, []).append((t, n))
        return out

    def csv_rows(self) -> list[list[str]]:
        keys = [
            "concept",
            "conceptLabel",
            "office",
            "officeLabel",
            "year",
            "text",
            "value",
            "unitNotation",
            "indicator",
            "doc",
            "src",
            "line",
        ]
        return [[t[k].text if k in t else "" for k in keys] for t in self.targets]


def grid(
    reader: Reader,
    resource: str,
    kind: str,
    index: ListingIndex | None = None,
    page: int | None = None,
    part: int = 1,
) -> Grid:
    """The grid of ``resource``: whole, or (``page``, from 1) one page of it, with every
    page's offices, and (``part``, from 1) one part of a page cut by year, with every part
    of that page (``part`` is read only with a ``page``). Its targets come from the build's
    listing index when given one (the ``target`` listing, chosen by facet), else by SPARQL;
    both give the same grid. Raises ``GridPageError`` for a page or a part the grid does
    not have."""
    if kind not in PATTERNS:
        raise ValueError(f"no comparison grid for a {kind}; only for {', '.join(PATTERNS)}")
    # the facet choice, made once: a sasaran's takes a query
    params = _params(reader, resource, kind) if index is not None else None
    if page is None:
        return _arranged(kind, _targets(reader, index, resource, kind, params, None))
    pages = paginate(_offices(reader, resource, kind, index, params), PAGE_TARGETS)
    if page < 1 or page > max(1, len(pages)):
        raise GridPageError(
            "hal",
            f"no page {page}: this grid has {max(1, len(pages))} page(s) of at most "
            f"{PAGE_TARGETS} targets",
        )
    here = pages[page - 1] if pages else None
    parts: list[Part] = []
    if here is not None and here.targets > PAGE_TARGETS:  # one office alone: cut by year
        office = here.offices[0][0]
        parts = cut(_years(reader, resource, kind, index, params, office), PAGE_TARGETS)
        parts = parts if len(parts) > 1 else []  # one year alone: the page is whole
    if part < 1 or part > max(1, len(parts)):
        raise GridPageError(
            "bagian",
            f"no part {part}: page {page} of this grid has {max(1, len(parts))} part(s) of "
            f"at most {PAGE_TARGETS} targets",
        )
    if here is None or (len(pages) == 1 and not parts):
        g = _arranged(kind, _targets(reader, index, resource, kind, params, None))
    else:
        chosen = [o[0] for o in here.offices]
        years = parts[part - 1].years if parts else ()
        g = _arranged(kind, _targets(reader, index, resource, kind, params, chosen, years))
    g.page, g.pages, g.part, g.parts = page, pages, part, parts
    if g.paged and kind == "concept":  # the only grid with charts: of every target
        g.numbers = _numbers(reader, index, resource, kind, params)
    return g


def _arranged(kind: str, targets: list[Row]) -> Grid:
    return _by_office(kind, targets) if kind == "concept" else _by_concept(kind, targets)


def paginate(found: list[tuple[str, str, int]], limit: int = PAGE_TARGETS) -> list[Page]:
    """Offices (iri, label, targets), in order, cut into pages of whole offices with at
    most ``limit`` targets each (an office with more has a page of its own)."""
    return [Page(run, sum(o[2] for o in run)) for run in _runs(found, lambda o: o[2], limit)]


def cut(years: list[tuple[str, int]], limit: int = PAGE_TARGETS) -> list[Part]:
    """One office's (year, targets) cut into parts, runs of consecutive years with at most
    ``limit`` targets each (a year with more, a part of its own)."""
    return [
        Part(tuple(y[0] for y in run), sum(y[1] for y in run))
        for run in _runs(sorted(years), lambda y: y[1], limit)
    ]


def _runs(items: list, size: Callable, limit: int) -> list[list]:
    """``items`` in order, cut into runs of at most ``limit`` in ``size`` (an item of more,
    a run of its own)."""
    runs: list[list] = []
    total = 0
    for item in items:
        if runs and total + size(item) <= limit:
            runs[-1].append(item)
            total += size(item)
        else:
            runs.append([item])
            total = size(item)
    return runs


def offices(
    reader: Reader, resource: str, kind: str, index: ListingIndex | None = None
) -> list[tuple[str, str, int]]:
    """The offices of the grid's targets, (iri, label, number of targets), by label: from
    the counts of the ``target`` listing's office facet, else by SPARQL."""
    params = _params(reader, resource, kind) if index is not None else None
    return _offices(reader, resource, kind, index, params)


def _offices(
    reader: Reader,
    resource: str,
    kind: str,
    index: ListingIndex | None,
    params: list[tuple[str, str]] | None,
) -> list[tuple[str, str, int]]:
    """``offices``, given the facet choice (``_params``; None: by SPARQL)."""
    if index is not None and params == []:
        return []
    counts = _counted(index, params, "kantor")
    if counts is not None:
        found = [(_iri(reader.base + "id/", c.value), c.label, c.count) for c in counts]
    else:
        pattern = Template(PATTERNS[kind]).substitute(r=iri(resource))
        rows = reader.select(OFFICES.replace("$pattern", pattern))
        found = [(r["office"].text, r["officeLabel"].text, int(r["n"].text)) for r in rows]
    return sorted(found, key=lambda o: (o[1], o[0]))


def _years(
    reader: Reader,
    resource: str,
    kind: str,
    index: ListingIndex | None,
    params: list[tuple[str, str]] | None,
    office: str,
) -> list[tuple[str, int]]:
    """The (year, number of targets) of one office in the grid: from the counts of the
    ``target`` listing's year facet with the office chosen, else by SPARQL."""
    prefix = reader.base + "id/"
    if params and office.startswith(prefix):
        counts = _counted(index, [*params, ("kantor", office[len(prefix):])], "tahun")
        if counts is not None:
            return [(c.value, c.count) for c in counts]
    pattern = Template(PATTERNS[kind]).substitute(r=iri(resource))
    query = YEARS.replace("$pattern", pattern).replace("$office", iri(office))
    return [(r["y"].text, int(r["n"].text)) for r in reader.select(query)]


def _counted(
    index: ListingIndex | None, params: list[tuple[str, str]] | None, facet: str
) -> list[FacetCount] | None:
    """The counts of the ``target`` listing's ``facet`` under the choice ``params``; None
    without an index or a choice, or for a choice the listing's parameters do not take."""
    if index is None or not params:
        return None
    try:
        return index.facet(LISTINGS["target"], params, facet)
    except ListingError:
        return None


def _iri(prefix: str, value: str) -> str:
    """The IRI of a facet value as a parameter gives it (a path after ``id/``, or an IRI
    elsewhere in full)."""
    return value if value.startswith(("http://", "https://")) else prefix + value


def _targets(
    reader: Reader,
    index: ListingIndex | None,
    resource: str,
    kind: str,
    params: list[tuple[str, str]] | None,
    chosen: list[str] | None,
    years: tuple[str, ...] = (),
) -> list[Row]:
    """The grid's targets (of the ``chosen`` offices only, when given, and of these
    ``years``, when any) in ``TARGETS``'s order; ``params``: the facet choice
    (``_params``)."""
    targets = _indexed(reader, index, params, chosen, years) if index is not None else None
    if targets is None:
        pattern = Template(PATTERNS[kind]).substitute(r=iri(resource))
        only = "" if chosen is None else f"VALUES ?office {{ {' '.join(map(iri, chosen))} }}"
        # a year is an xsd:gYear (SHACL holds it): a part's years, read as text, written
        # back so, as the listing index's year facet takes them; as N-Triples literals,
        # escaped by the store's own writer
        if years:
            only += "\n  " + values("year", (str(ox.Literal(y, datatype=GYEAR)) for y in years))
        targets = reader.select(
            TARGETS.replace("$pattern", pattern).replace("$offices", only)
        )
    return targets


def _numbers(
    reader: Reader,
    index: ListingIndex | None,
    resource: str,
    kind: str,
    params: list[tuple[str, str]] | None,
) -> list[tuple[Row, int]]:
    """Every target's ``NUMBERS``, each distinct combination with how many targets have
    it: from the index, those columns alone, counted there; else the whole grid's targets,
    one each."""
    if index is not None and params:
        try:
            return index.column_counts(LISTINGS["target"], params, NUMBERS)
        except ListingError:  # a path the listing's parameters do not take
            pass
    return [(t, 1) for t in _targets(reader, None, resource, kind, None, None)]


# The target listing's facet that chooses a grid's targets.
FACETS = {"concept": "konsep", "program": "program", "goal": "konsep"}
GOAL_CONCEPTS = "SELECT DISTINCT ?concept WHERE { ?i kin:goal $r ; kin:concept ?concept }"


def _params(reader: Reader, resource: str, kind: str) -> list[tuple[str, str]] | None:
    """The ``target`` listing's facet choice that gives the grid's targets ([]: none can
    have any); None when the resource cannot be chosen there (not under ``id/``)."""
    prefix = reader.base + "id/"
    if kind == "goal":  # the concepts its indicators state, compared wherever stated
        rows = reader.select(Template(GOAL_CONCEPTS).substitute(r=iri(resource)))
        chosen = [r["concept"].text for r in rows]
        if not chosen:
            return []
    else:
        chosen = [resource]
    if not all(c.startswith(prefix) for c in chosen):
        return None
    return [(FACETS[kind], c[len(prefix) :]) for c in chosen]


def _indexed(
    reader: Reader,
    index: ListingIndex,
    params: list[tuple[str, str]] | None,
    chosen: list[str] | None = None,
    years: tuple[str, ...] = (),
) -> list[Row] | None:
    """The grid's targets (of the ``chosen`` offices only, when given, and of these
    ``years``, when any) from the ``target`` listing of the index chosen by ``params``
    (``_params``), in the order of ``TARGETS``; None when the resource cannot be chosen
    there."""
    if params == []:
        return []
    if params is None:
        return None
    prefix = reader.base + "id/"
    params = list(params)
    for office in chosen or ():
        if not office.startswith(prefix):
            return None
        params.append(("kantor", office[len(prefix):]))
    params += [("tahun", y) for y in years]
    try:
        rows = index.column_rows(LISTINGS["target"], params, COLUMNS)
    except ListingError:  # a path the listing's parameters do not take
        return None
    for row in rows:
        row["target"] = row.pop(ITEM)
    rows.sort(key=_order)
    return rows


def _order(t: Row) -> tuple:
    """``TARGETS``'s ORDER BY: an unbound line first, numbers as numbers. Only rows of one
    target tie (one with two units, say), and their order is left open, as in SPARQL."""
    line = t.get("line")
    return (
        t["conceptLabel"].text,
        t["officeLabel"].text,
        t["year"].text,
        (0, 0) if line is None else (1, int(line.text)),
        t["target"].text,
    )


def _by_office(kind: str, targets: list[Row]) -> Grid:
    rows = _distinct((t["office"].text, t["officeLabel"].text) for t in targets)
    columns = sorted({(t["year"].text,) for t in targets})
    g = Grid(kind, sorted(rows, key=lambda r: r[1]), columns, targets=targets)
    for t in targets:
        g.cells.setdefault((t["office"].text, (t["year"].text,)), []).append(t)
    return g


def _by_concept(kind: str, targets: list[Row]) -> Grid:
    rows = _distinct((t["concept"].text, t["conceptLabel"].text) for t in targets)
    columns = sorted(
        {(t["office"].text, t["officeLabel"].text, t["year"].text) for t in targets},
        key=lambda c: (c[2], c[1]),
    )
    g = Grid(kind, sorted(rows, key=lambda r: r[1].casefold()), columns, targets=targets)
    for t in targets:
        column = (t["office"].text, t["officeLabel"].text, t["year"].text)
        g.cells.setdefault((t["concept"].text, column), []).append(t)
    return g


def _distinct(pairs) -> list[tuple[str, str]]:
    return list(dict.fromkeys(pairs))
