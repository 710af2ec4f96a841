"""Comparison grids: the same indicator's targets across offices and years.

For an indicator concept: one row per office, one column per year, the target (verbatim
text, value and unit) in each cell, linked to where it was stated. For a program or a
sasaran: one row per indicator concept it holds, one column per office and year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from string import Template
from typing import TYPE_CHECKING

from kinerja.catalogue.listing import LISTINGS, ListingError, run
from kinerja.catalogue.listing_plan import ITEM
from kinerja.catalogue.reader import Reader, Row, iri

if TYPE_CHECKING:
    from kinerja.catalogue.listing_pages import ListingIndex

# The optional parts are LATERAL: looked up for these targets only (a plain OPTIONAL makes
# the store join against every target of the graph).
TARGETS = """
SELECT ?concept ?conceptLabel ?indicator ?office ?officeLabel ?year ?target ?text ?value
       ?unit ?unitNotation ?src ?line ?doc WHERE {
  $pattern
  ?indicator kin:concept ?concept ; kin:goal/kin:inDocument ?doc .
  ?concept rdfs:label ?conceptLabel .
  ?target kin:indicator ?indicator ; kin:office ?office ; kin:year ?year ;
          kin:targetText ?text .
  ?office rdfs:label ?officeLabel .
  LATERAL {
    OPTIONAL { ?target kin:targetValue ?value }
    OPTIONAL { ?target kin:unit ?unit . ?unit skos:notation ?unitNotation }
    OPTIONAL { ?target prov:wasDerivedFrom ?src ; kin:sourceLine ?line }
  }
} ORDER BY ?conceptLabel ?officeLabel ?year ?line ?target
"""

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


@dataclass
class Grid:
    kind: str
    rows: list[tuple[str, str]]  # (iri, label)
    columns: list[tuple[str, ...]]  # (year,) for a concept; (office, office label, year) else
    cells: dict[tuple[str, tuple], list[Row]] = field(default_factory=dict)
    targets: list[Row] = field(default_factory=list)

    def cell(self, row: str, column: tuple) -> list[Row]:
        return self.cells.get((row, column), [])

    @property
    def chartable(self) -> bool:
        """A chart helps where there is more than one office or year to compare."""
        return sum(1 for t in self.targets if t.get("value")) > 1

    def series(self) -> dict[str, list[Row]]:
        """Numeric targets by unit notation: one chart per unit, never mixing scales."""
        out: dict[str, list[Row]] = {}
        for t in self.targets:
            if t.get("value"):
                out.setdefault(t["unitNotation"].text if "unitNotation" in t else "", []).append(t)
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


def grid(reader: Reader, resource: str, kind: str, index: ListingIndex | None = None) -> Grid:
    """The grid of ``resource``: its targets from the build's listing index when given one
    (the ``target`` listing, chosen by facet), else by SPARQL; both give the same grid."""
    if kind not in PATTERNS:
        raise ValueError(f"no comparison grid for a {kind}; only for {', '.join(PATTERNS)}")
    targets = _indexed(reader, index, resource, kind) if index is not None else None
    if targets is None:
        pattern = Template(PATTERNS[kind]).substitute(r=iri(resource))
        targets = reader.select(TARGETS.replace("$pattern", pattern))
    if kind == "concept":
        return _by_office(kind, targets)
    return _by_concept(kind, targets)


# The target listing's facet that chooses a grid's targets.
FACETS = {"concept": "konsep", "program": "program", "goal": "konsep"}
GOAL_CONCEPTS = "SELECT DISTINCT ?concept WHERE { ?i kin:goal $r ; kin:concept ?concept }"


def _indexed(
    reader: Reader, index: ListingIndex, resource: str, kind: str
) -> list[Row] | None:
    """The grid's targets from the ``target`` listing of the index, in the order of
    ``TARGETS``; None when the resource cannot be chosen there (not under ``id/``)."""
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
    params = [(FACETS[kind], c[len(prefix) :]) for c in chosen]
    try:
        result = run(reader, LISTINGS["target"], params, everything=True, index=index)
    except ListingError:  # a path the listing's parameters do not take
        return None
    targets = []
    for row in result.rows:
        row = dict(row)
        row["target"] = row.pop(ITEM)
        targets.append(row)
    targets.sort(key=_order)
    return targets


def _order(t: Row) -> tuple:
    """``TARGETS``'s ORDER BY: an unbound line first, numbers as numbers."""
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
