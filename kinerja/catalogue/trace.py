"""The trace: from one indicator to the legal bases behind it, with the evidence of each hop.

indicator -> sasaran -> program -> document -> the decree's legal bases and the articles it
implements -> (where the graph knows them) their own bases. Each hop carries the statement
that makes it, the named graph (source) that states it, and the source line it comes from.

A document that names no legal bases (the Bangka Belitung list does not) gets no invented
ones: the trace says so, and shows separately the bases that *other* documents give for the
same indicator concept, each labelled with the document it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kinerja.catalogue.reader import Reader, Row, Value, iri
from kinerja.catalogue.resources import legal_bases

MAX_DEPTH = 3  # bases of bases of bases: deep enough for UU -> PP -> Permen chains


@dataclass
class Hop:
    kind: str  # indicator | goal | program | document | basis
    resource: Value
    label: str
    via: str = ""  # the property that leads here from the previous hop
    source: Value | None = None  # the source file that states the hop
    line: Value | None = None
    detail: Row = field(default_factory=dict)


@dataclass
class Basis:
    """One legal basis of a document, with what it rests on in turn."""

    basis: Row
    depth: int
    parents: list[Basis] = field(default_factory=list)


@dataclass
class Trace:
    indicator: Value
    label: str
    hops: list[Hop]
    document: Value | None
    bases: list[Basis]
    borrowed: list[Row]  # bases given by other documents for the same concept

    @property
    def states_bases(self) -> bool:
        return bool(self.bases)


# Optional parts are LATERAL: looked up for this indicator's row only, not joined against
# every goal, document and source line of the graph.
CHAIN = """
SELECT * WHERE {
  VALUES ?indicator { $i }
  ?indicator rdfs:label ?label ; kin:goal ?goal ; kin:concept ?concept .
  ?goal rdfs:label ?goalLabel ; skos:notation ?goalNotation ; kin:inDocument ?doc .
  ?doc rdfs:label ?docLabel ; kin:year ?year ; kin:issuedBy ?office .
  ?office rdfs:label ?officeLabel .
  LATERAL {
    OPTIONAL { GRAPH ?ig { ?indicator kin:goal ?goal ; kin:sourceLine ?indicatorLine } }
    OPTIONAL { ?indicator prov:wasDerivedFrom ?indicatorSrc }
    OPTIONAL { ?goal kin:sourceLine ?goalLine ; prov:wasDerivedFrom ?goalSrc }
    OPTIONAL { ?goal kin:program ?program . ?program rdfs:label ?programLabel }
    OPTIONAL { ?doc kin:sourceLine ?docLine ; prov:wasDerivedFrom ?docSrc }
    OPTIONAL { ?concept rdfs:label ?conceptLabel }
  }
} LIMIT 1
"""

BORROWED = """
SELECT DISTINCT ?other ?otherLabel ?doc ?docLabel ?officeLabel ?year ?basis ?basisLabel
       ?instrument ?instrumentLabel ?notation ?title ?src ?line WHERE {
  ?other kin:concept $c ; rdfs:label ?otherLabel ; kin:goal/kin:inDocument ?doc .
  FILTER(?other != $i)
  ?doc rdfs:label ?docLabel ; kin:year ?year ; kin:issuedBy/rdfs:label ?officeLabel ;
       eli:based_on ?basis .
  FILTER(?doc != $d)
  ?basis rdfs:label ?basisLabel .
  OPTIONAL { ?basis eli:is_part_of ?part . ?basis skos:notation ?notation }
  BIND(COALESCE(?part, ?basis) AS ?instrument)
  ?instrument rdfs:label ?instrumentLabel .
  OPTIONAL { ?instrument eli:title ?title }
  OPTIONAL { ?basis prov:wasDerivedFrom ?src ; kin:sourceLine ?line }
} ORDER BY ?year ?officeLabel ?doc ?line ?basis
"""


def trace(reader: Reader, indicator: str, lang: str = "id") -> Trace | None:
    rows = reader.select(CHAIN, i=iri(indicator))
    if not rows:
        return None
    r = rows[0]
    hops = [
        Hop(
            "indicator",
            r["indicator"],
            r["label"].text,
            "",
            r.get("indicatorSrc"),
            r.get("indicatorLine"),
        ),
        Hop(
            "goal",
            r["goal"],
            f"{r['goalNotation']}. {r['goalLabel']}",
            "kin:goal",
            r.get("goalSrc"),
            r.get("goalLine"),
        ),
    ]
    if "program" in r:
        hops.append(
            Hop(
                "program",
                r["program"],
                r["programLabel"].text,
                "kin:program",
                r.get("goalSrc"),
                r.get("goalLine"),
            )
        )
    hops.append(
        Hop(
            "document",
            r["doc"],
            r["docLabel"].text,
            "kin:inDocument",
            r.get("docSrc"),
            r.get("docLine"),
            {"office": r["office"], "officeLabel": r["officeLabel"], "year": r["year"]},
        )
    )
    document = r["doc"].text
    bases = _bases(reader, [document], depth=1, seen={document})
    borrowed = []
    if not bases:
        borrowed = reader.select(
            BORROWED, c=iri(r["concept"].text), i=iri(indicator), d=iri(document)
        )
    hops[0].detail = {"concept": r["concept"], "conceptLabel": r.get("conceptLabel")}
    return Trace(r["indicator"], r["label"].text, hops, r["doc"], bases, borrowed)


def _bases(reader: Reader, documents: list[str], depth: int, seen: set[str]) -> list[Basis]:
    out = []
    for row in legal_bases(reader, documents):
        basis = Basis(row, depth)
        instrument = row["instrument"].text
        if depth < MAX_DEPTH and instrument not in seen:
            basis.parents = _bases(reader, [instrument], depth + 1, seen | {instrument})
        out.append(basis)
    return out
