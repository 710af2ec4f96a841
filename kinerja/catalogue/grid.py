"""Comparison grids: the same indicator's targets across offices and years.

For an indicator concept: one row per office, one column per year, the target (verbatim
text, value and unit) in each cell, linked to where it was stated. For a program or a
sasaran: one row per indicator concept it holds, one column per office and year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from string import Template

from kinerja.catalogue.reader import Reader, Row, iri

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
} ORDER BY ?conceptLabel ?officeLabel ?year ?line
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


def grid(reader: Reader, resource: str, kind: str) -> Grid:
    if kind not in PATTERNS:
        raise ValueError(f"no comparison grid for a {kind}; only for {', '.join(PATTERNS)}")
    pattern = Template(PATTERNS[kind]).substitute(r=iri(resource))
    targets = reader.select(TARGETS.replace("$pattern", pattern))
    if kind == "concept":
        return _by_office(kind, targets)
    return _by_concept(kind, targets)


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
