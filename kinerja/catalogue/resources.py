"""One page's worth of data per kind of resource.

``describe(reader, iri, lang)`` finds what the resource is (its most specific class) and
returns a ``Page``: its kind, label, and the sections that kind shows. Everything is read
from the merged default graph; provenance (source file and line) travels with each item so
that the page can link to the line it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from string import Template

from kinerja.catalogue.reader import Reader, Row, iri
from kinerja.namespaces import KIN as KIN_TERMS

KIN = str(KIN_TERMS)
ELI = "http://data.europa.eu/eli/ontology#"
ORG = "http://www.w3.org/ns/org#"

# Most specific first: a decree is a document before it is a legal instrument.
KINDS = [
    (KIN + "PerformanceDocument", "document"),
    (ELI + "LegalResource", "legal"),
    (ELI + "LegalResourceSubdivision", "article"),
    (KIN + "Indicator", "indicator"),
    (KIN + "Target", "target"),
    (KIN + "Goal", "goal"),
    (KIN + "IndicatorConcept", "concept"),
    (KIN + "Program", "program"),
    (ORG + "OrganizationalUnit", "office"),
    (ORG + "FormalOrganization", "organization"),
    (KIN + "Unit", "unit"),
    (KIN + "Province", "province"),
    (KIN + "SourceFile", "source"),
]

# Indicators with their target, document, office and year: shared by several pages. The
# inner select finds and orders the indicators ($pattern narrows them; every indicator has
# exactly one source line, which the shapes check); the optional program and target are
# then looked up for those rows only (LATERAL: a plain OPTIONAL here makes the store join
# against every target of the graph, seconds at national scale).
INDICATOR_ROWS = """
SELECT ?indicator ?label ?notation ?goal ?goalLabel ?goalNotation ?program ?programLabel
       ?doc ?docLabel ?office ?officeLabel ?year ?target ?text ?value ?unit ?unitNotation
       ?src ?line ?concept
WHERE {
  { SELECT * WHERE {
      $pattern
      ?indicator kin:goal ?goal ; rdfs:label ?label ; skos:notation ?notation ;
                 kin:concept ?concept ; prov:wasDerivedFrom ?src ; kin:sourceLine ?line .
      ?goal kin:inDocument ?doc ; rdfs:label ?goalLabel ; skos:notation ?goalNotation .
      ?doc rdfs:label ?docLabel ; kin:year ?year ; kin:issuedBy ?office .
      ?office rdfs:label ?officeLabel .
    } ORDER BY ?year ?officeLabel ?doc ?line ?indicator LIMIT $limit }
  LATERAL { OPTIONAL { ?goal kin:program ?program . ?program rdfs:label ?programLabel } }
  LATERAL { OPTIONAL {
    ?target kin:indicator ?indicator ; kin:targetText ?text .
    LATERAL { OPTIONAL { ?target kin:targetValue ?value } }
    LATERAL { OPTIONAL { ?target kin:unit ?unit . ?unit skos:notation ?unitNotation } }
  } }
}
ORDER BY ?year ?officeLabel ?doc ?line ?indicator
"""

MAX_ROWS = 2000
# A page lists at most this many of the indicators that a concept, or the documents resting
# on a legal instrument, gather from the whole country, with their total and a link to
# where all of them are.
PREVIEW = 50
# An indicator's page shows this many of the other documents that state its concept: a
# glimpse, since its comparison grid, linked there, shows every one of them.
OTHERS_PREVIEW = 10


@dataclass
class Preview:
    rows: list[Row]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


@dataclass
class Page:
    iri: str
    kind: str
    label: str
    sections: dict = field(default_factory=dict)
    provenance: list[Row] = field(default_factory=list)  # at most PREVIEW sources
    sources: int = 0  # how many sources state it


def kind_of(types: set[str]) -> str:
    for cls, kind in KINDS:
        if cls in types:
            return kind
    return "resource"


def describe(reader: Reader, resource: str, lang: str = "id") -> Page | None:
    types = reader.types(resource)
    if not types and not reader.exists(resource):
        return None
    kind = kind_of(types)
    label = reader.labels([resource], lang).get(resource, resource)
    page = Page(resource, kind, label)
    # Each source with the lines of that source: a legal instrument is cited in thousands.
    page.provenance = reader.select(
        """SELECT ?src ?srcLabel ?line WHERE {
          { SELECT ?src ?g WHERE { GRAPH ?g { $r prov:wasDerivedFrom ?src } }
            ORDER BY ?src LIMIT $limit }
          LATERAL { OPTIONAL { ?src rdfs:label ?srcLabel } }
          LATERAL { OPTIONAL { GRAPH ?g { $r kin:sourceLine ?line } } }
        } ORDER BY ?src ?line""",
        r=iri(resource),
        limit=str(PREVIEW),
    )
    page.sources = int(
        reader.select("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { $r prov:wasDerivedFrom ?s }",
                      r=iri(resource))[0]["n"].text
    )
    builder = BUILDERS.get(kind)
    if builder:
        page.sections = builder(reader, resource, lang)
    return page


def indicator_rows(reader: Reader, pattern: str, limit: int = MAX_ROWS, **slots) -> list[Row]:
    return reader.select(
        INDICATOR_ROWS.replace("$pattern", Template(pattern).substitute(slots)),
        limit=str(limit),
    )


def indicator_preview(reader: Reader, pattern: str, limit: int = PREVIEW, **slots) -> Preview:
    """The indicators ``pattern`` binds to ``?indicator``: how many, and the first
    ``limit`` of them by IRI, in the usual order. (Sorted here: the store would decode
    and compare every IRI in SPARQL, several times slower.)"""
    where = Template(pattern).substitute(slots)
    found = reader.values(f"SELECT DISTINCT ?indicator WHERE {{ {where} }}")
    first = sorted(found)[:limit]
    rows = []
    if first:
        rows = indicator_rows(reader, "VALUES ?indicator { $v }", v=" ".join(map(iri, first)))
    return Preview(rows, len(found))


def _one(rows: list[Row]) -> Row:
    return rows[0] if rows else {}


def _document(reader: Reader, r: str, lang: str) -> dict:
    t = iri(r)
    meta = _one(
        reader.select(
            """SELECT * WHERE {
          $r kin:year ?year ; kin:issuedBy ?office ; kin:documentType ?type .
          ?office rdfs:label ?officeLabel .
          OPTIONAL { ?type skos:notation ?typeNotation }
          OPTIONAL { $r dct:title ?title } OPTIONAL { $r dct:issued ?issued }
          OPTIONAL { $r eli:number ?number } OPTIONAL { $r eli:date_document ?date }
          OPTIONAL { $r eli:date_no_longer_in_force ?until }
          OPTIONAL { $r kin:placeOfIssue ?place }
          OPTIONAL { $r kin:signatory ?signatory . ?signatory rdfs:label ?signatoryLabel }
          OPTIONAL { $r kin:signatoryPost ?post . ?post rdfs:label ?postLabel }
          OPTIONAL { $r eli:type_document ?legalType }
        } LIMIT 1""",
            r=t,
        )
    )
    for key in ("type", "legalType"):
        if key in meta:
            meta[key + "Label"] = reader.labels([meta[key].text], lang).get(meta[key].text)
    considerations = reader.select(
        "SELECT ?text WHERE { $r kin:consideration ?text } ORDER BY ?text", r=t
    )
    provisions = reader.select(
        """SELECT ?part ?notation ?text ?line WHERE {
          $r eli:has_part ?part . OPTIONAL { ?part skos:notation ?notation }
          OPTIONAL { ?part kin:text ?text } OPTIONAL { ?part kin:sourceLine ?line }
        } ORDER BY ?line ?part""",
        r=t,
    )
    copies = reader.select("SELECT ?text WHERE { $r kin:copyTo ?text } ORDER BY ?text", r=t)
    return {
        "meta": meta,
        "considerations": considerations,
        "provisions": provisions,
        "bases": legal_bases(reader, [r]),
        "copies": copies,
        "indicators": indicator_rows(reader, "?goal kin:inDocument $r .", r=t),
    }


def legal_bases(reader: Reader, documents: list[str]) -> list[Row]:
    """What the documents rest on (Mengingat) and the articles they implement (Menimbang).

    The source line and citation text of a basis are those of one graph that states it (the
    document's own; for an instrument's bases, the first by IRI): an instrument the whole
    country cites is stated in thousands of sources, with a line in each."""
    if not documents:
        return []
    return reader.select(
        """SELECT ?doc ?basis ?basisLabel ?kind ?instrument ?instrumentLabel ?notation
                  ?citation ?src ?line ?type ?typeNotation ?year ?title WHERE {
          { SELECT ?doc ?basis (MIN(STR(?g_)) AS ?graph) WHERE {
              VALUES ?doc { $docs } GRAPH ?g_ { ?doc eli:based_on ?basis }
            } GROUP BY ?doc ?basis }
          BIND(IRI(?graph) AS ?g)
          ?basis rdfs:label ?basisLabel .
          LATERAL { OPTIONAL { ?basis eli:is_part_of ?part . ?part rdfs:label ?partLabel .
                               ?basis skos:notation ?notation } }
          LATERAL { OPTIONAL { GRAPH ?g { ?basis prov:wasDerivedFrom ?src ;
                                                 kin:sourceLine ?line } } }
          BIND(COALESCE(?part, ?basis) AS ?instrument)
          BIND(IF(BOUND(?part), "article", "instrument") AS ?kind)
          LATERAL {
            ?instrument rdfs:label ?instrumentLabel .
            OPTIONAL { ?instrument eli:type_document ?type . ?type skos:notation ?typeNotation }
            OPTIONAL { ?instrument kin:year ?year } OPTIONAL { ?instrument eli:title ?title }
            OPTIONAL { GRAPH ?g { ?instrument kin:citationText ?citation } }
          }
        } ORDER BY ?doc ?line ?instrument ?notation""",
        docs=" ".join(iri(d) for d in documents),
    )


def _legal(reader: Reader, r: str, lang: str) -> dict:
    t = iri(r)
    meta = _one(
        reader.select(
            """SELECT * WHERE {
          OPTIONAL { $r eli:type_document ?type . OPTIONAL { ?type skos:notation ?typeNotation } }
          OPTIONAL { $r eli:number ?number } OPTIONAL { $r kin:year ?year }
          OPTIONAL { $r eli:title ?title } OPTIONAL { $r kin:citationText ?citation }
          OPTIONAL { $r eli:passed_by ?issuer . ?issuer rdfs:label ?issuerLabel }
          OPTIONAL { $r eli:date_document ?date }
        } LIMIT 1""",
            r=t,
        )
    )
    if "type" in meta:
        meta["typeLabel"] = reader.labels([meta["type"].text], lang).get(meta["type"].text)
    articles = reader.select(
        """SELECT ?article ?notation ?label WHERE {
          ?article eli:is_part_of $r ; rdfs:label ?label .
          OPTIONAL { ?article skos:notation ?notation }
        } ORDER BY ?notation""",
        r=t,
    )
    resting = """{ SELECT DISTINCT ?doc WHERE {
          { ?doc eli:based_on $r } UNION { ?via_ eli:is_part_of $r . ?doc eli:based_on ?via_ }
          ?doc a kin:PerformanceDocument } }"""
    found = sorted(row["doc"].text for row in reader.select(f"SELECT ?doc WHERE {resting}", r=t))
    documents = []
    if found:
        documents = reader.select(
            """SELECT ?doc ?docLabel ?year ?officeLabel
                      (GROUP_CONCAT(DISTINCT ?viaNotation; separator=", ") AS ?through) WHERE {
              VALUES ?doc { $docs }
              ?doc rdfs:label ?docLabel ; kin:year ?year ; kin:issuedBy/rdfs:label ?officeLabel .
              LATERAL { OPTIONAL { ?doc eli:based_on ?via . ?via eli:is_part_of $r ;
                                        skos:notation ?viaNotation } }
            } GROUP BY ?doc ?docLabel ?year ?officeLabel ORDER BY ?year ?officeLabel ?doc""",
            docs=" ".join(map(iri, found[:PREVIEW])),
            r=t,
        )
    return {
        "meta": meta,
        "articles": articles,
        "documents": Preview(documents, len(found)),
        "bases": legal_bases(reader, [r]),
        "indicators": indicator_preview(
            reader,
            resting + " LATERAL { ?goal_ kin:inDocument ?doc . ?indicator kin:goal ?goal_ }",
            r=t,
        ),
    }


def _article(reader: Reader, r: str, lang: str) -> dict:
    t = iri(r)
    meta = _one(
        reader.select(
            """SELECT * WHERE {
          OPTIONAL { $r eli:is_part_of ?instrument . ?instrument rdfs:label ?instrumentLabel }
          OPTIONAL { $r skos:notation ?notation } OPTIONAL { $r kin:text ?text }
        } LIMIT 1""",
            r=t,
        )
    )
    documents = reader.select(
        """SELECT DISTINCT ?doc ?docLabel WHERE {
          { ?doc eli:based_on $r } UNION { ?doc eli:has_part $r }
          ?doc rdfs:label ?docLabel } ORDER BY ?doc""",
        r=t,
    )
    return {"meta": meta, "documents": documents}


def _indicator(reader: Reader, r: str, lang: str) -> dict:
    t = iri(r)
    row = _one(indicator_rows(reader, "VALUES ?indicator { $r }", r=t))
    target = _one(
        reader.select(
            """SELECT * WHERE {
          ?target kin:indicator $r ; kin:targetText ?text .
          LATERAL {
            OPTIONAL { ?target kin:targetValue ?value } OPTIONAL { ?target kin:unit ?unit }
            OPTIONAL { ?target kin:comparator ?comparator }
            OPTIONAL { ?target prov:wasDerivedFrom ?src ; kin:sourceLine ?line }
          }
        } LIMIT 1""",
            r=t,
        )
    )
    for key in ("unit", "comparator"):
        if key in target:
            target[key + "Label"] = reader.labels([target[key].text], lang).get(target[key].text)
    others = Preview([], 0)
    if "concept" in row:
        others = indicator_preview(
            reader,
            "?indicator kin:concept $c . FILTER(?indicator != $r)",
            limit=OTHERS_PREVIEW,
            c=iri(row["concept"].text),
            r=t,
        )
        row["conceptLabel"] = reader.labels([row["concept"].text], lang).get(row["concept"].text)
    return {"row": row, "target": target, "others": others}


def _target(reader: Reader, r: str, lang: str) -> dict:
    target = _one(
        reader.select(
            """SELECT * WHERE {
          $r kin:indicator ?indicator ; kin:targetText ?text .
          ?indicator rdfs:label ?indicatorLabel .
          OPTIONAL { $r kin:targetValue ?value } OPTIONAL { $r kin:unit ?unit }
          OPTIONAL { $r kin:office ?office . ?office rdfs:label ?officeLabel }
          OPTIONAL { $r kin:year ?year }
        } LIMIT 1""",
            r=iri(r),
        )
    )
    if "unit" in target:
        target["unitLabel"] = reader.labels([target["unit"].text], lang).get(target["unit"].text)
    return {"target": target}


def _goal(reader: Reader, r: str, lang: str) -> dict:
    t = iri(r)
    meta = _one(
        reader.select(
            """SELECT * WHERE {
          $r kin:inDocument ?doc ; skos:notation ?notation . ?doc rdfs:label ?docLabel .
          OPTIONAL { $r kin:program ?program . ?program rdfs:label ?programLabel }
        } LIMIT 1""",
            r=t,
        )
    )
    return {"meta": meta, "indicators": indicator_rows(reader, "VALUES ?goal { $r }", r=t)}


def _concept(reader: Reader, r: str, lang: str) -> dict:
    t = iri(r)
    alt = reader.select("SELECT ?alt WHERE { $r skos:altLabel ?alt } ORDER BY ?alt", r=t)
    return {
        "altLabels": alt,
        "indicators": indicator_preview(reader, "?indicator kin:concept $r .", r=t),
    }


def _program(reader: Reader, r: str, lang: str) -> dict:
    t = iri(r)
    alt = reader.select("SELECT ?alt WHERE { $r skos:altLabel ?alt } ORDER BY ?alt", r=t)
    goals = reader.select(
        """SELECT ?goal ?label ?notation ?doc ?docLabel ?year ?officeLabel
                  (COUNT(?i) AS ?indicators) WHERE {
          ?goal kin:program $r ; rdfs:label ?label ; skos:notation ?notation ;
                kin:inDocument ?doc .
          ?doc rdfs:label ?docLabel ; kin:year ?year ; kin:issuedBy/rdfs:label ?officeLabel .
          OPTIONAL { ?i kin:goal ?goal }
        } GROUP BY ?goal ?label ?notation ?doc ?docLabel ?year ?officeLabel
        ORDER BY ?year ?officeLabel ?doc ?notation ?goal""",
        r=t,
    )
    return {"altLabels": alt, "goals": goals}


def _office(reader: Reader, r: str, lang: str) -> dict:
    t = iri(r)
    meta = _one(
        reader.select(
            """SELECT * WHERE {
          OPTIONAL { $r org:unitOf ?ministry . ?ministry rdfs:label ?ministryLabel }
          OPTIONAL { $r kin:province ?province }
          OPTIONAL { $r vcard:hasAddress/vcard:street-address ?address }
          OPTIONAL { $r vcard:hasTelephone/vcard:hasValue ?phone }
          OPTIONAL { $r vcard:hasEmail ?email } OPTIONAL { $r vcard:hasURL ?url }
          OPTIONAL { $r kin:mainTask ?task }
        } LIMIT 1""",
            r=t,
        )
    )
    if "province" in meta:
        meta["provinceLabel"] = reader.labels([meta["province"].text], lang).get(
            meta["province"].text
        )
    # each IKU and IKK list states its office's functions again: show each wording once
    functions = reader.select(
        """SELECT DISTINCT ?label ?notation WHERE { $r kin:function ?f . ?f rdfs:label ?label .
           OPTIONAL { ?f skos:notation ?notation } } ORDER BY ?notation ?label""",
        r=t,
    )
    documents = reader.select(
        """SELECT ?doc ?docLabel ?year ?typeNotation (COUNT(?i) AS ?indicators) WHERE {
          ?doc kin:issuedBy $r ; rdfs:label ?docLabel ; kin:year ?year .
          OPTIONAL { ?doc kin:documentType/skos:notation ?typeNotation }
          OPTIONAL { ?g kin:inDocument ?doc . ?i kin:goal ?g }
        } GROUP BY ?doc ?docLabel ?year ?typeNotation ORDER BY ?year ?doc""",
        r=t,
    )
    return {"meta": meta, "functions": functions, "documents": documents}


def _organization(reader: Reader, r: str, lang: str) -> dict:
    units = reader.select(
        """SELECT ?unit ?label WHERE { ?unit org:unitOf $r ; rdfs:label ?label }
           ORDER BY ?label""",
        r=iri(r),
    )
    return {"units": units}


def _unit(reader: Reader, r: str, lang: str) -> dict:
    t = iri(r)
    lang = lang if lang in ("id", "en") else "id"
    meta = _one(
        reader.select(
            """SELECT * WHERE { OPTIONAL { $r skos:notation ?notation }
           OPTIONAL { $r skos:definition ?definition FILTER(LANG(?definition) = "$lang") }
           OPTIONAL { $r kin:quantityKind ?kind } } LIMIT 1""",
            r=t,
            lang=lang,
        )
    )
    if "kind" in meta:
        meta["kindLabel"] = reader.labels([meta["kind"].text], lang).get(meta["kind"].text)
    count = _one(reader.select("SELECT (COUNT(?t) AS ?targets) WHERE { ?t kin:unit $r }", r=t))
    return {"meta": meta, "targets": count.get("targets")}


def _province(reader: Reader, r: str, lang: str) -> dict:
    t = iri(r)
    meta = _one(
        reader.select("SELECT * WHERE { OPTIONAL { $r skos:notation ?notation } } LIMIT 1", r=t)
    )
    offices = reader.select(
        """SELECT ?office ?label WHERE { ?office kin:province $r ; rdfs:label ?label }
           ORDER BY ?label""",
        r=t,
    )
    return {"meta": meta, "offices": offices}


def _source(reader: Reader, r: str, lang: str) -> dict:
    t = iri(r)
    meta = _one(
        reader.select(
            """SELECT * WHERE {
          OPTIONAL { $r dct:title ?title } OPTIONAL { $r dct:description ?description }
          OPTIONAL { $r kin:sha256 ?sha256 } OPTIONAL { $r dcat:byteSize ?bytes }
          OPTIONAL { $r kin:layout ?layout } OPTIONAL { $r dct:source ?origin }
        } LIMIT 1""",
            r=t,
        )
    )
    derived = reader.select(
        """SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {
          ?s prov:wasDerivedFrom $r ; a ?type . FILTER(STRSTARTS(STR(?type), STR(kin:))
          || ?type = eli:LegalResource) } GROUP BY ?type ORDER BY ?type""",
        r=t,
    )
    for row in derived:
        local = re.split(r"[#/]", row["type"].text)[-1]
        row["typeLabel"] = reader.labels([row["type"].text], lang).get(row["type"].text, local)
    return {"meta": meta, "derived": derived}


BUILDERS = {
    "document": _document,
    "legal": _legal,
    "article": _article,
    "indicator": _indicator,
    "target": _target,
    "goal": _goal,
    "concept": _concept,
    "program": _program,
    "office": _office,
    "organization": _organization,
    "unit": _unit,
    "province": _province,
    "source": _source,
}


def source_layout(rows: list[Row]) -> list[dict]:
    """Indicator rows laid out as the document prints them: a program cell spanning its
    goals, a goal cell spanning its indicators (``span`` 0 where a cell above covers it)."""
    out = [{"row": row, "program_span": 0, "goal_span": 0} for row in rows]
    for key, span in (("program", "program_span"), ("goal", "goal_span")):
        start = 0
        for i in range(1, len(out) + 1):
            prev = out[start]["row"]
            same = (
                i < len(out)
                and _cell(out[i]["row"], key) == _cell(prev, key)
                and (key == "program" or _cell(out[i]["row"], "program") == _cell(prev, "program"))
                and _cell(out[i]["row"], "doc") == _cell(prev, "doc")
            )
            if not same:
                out[start][span] = i - start
                start = i
    return out


def _cell(row: Row, key: str) -> str | None:
    value = row.get(key)
    return value.text if value else None
