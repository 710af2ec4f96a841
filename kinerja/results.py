"""SPARQL results written from a capped list of solutions.

Oxigraph serialises a whole result iterator; to cap the number of rows (and say so) the
endpoint collects at most ``max_rows`` solutions and writes them here, in the four W3C
result formats (JSON, XML, CSV, TSV). Graph results are capped the same way.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_BARE_TSV = {
    "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#decimal",
    "http://www.w3.org/2001/XMLSchema#double",
    "http://www.w3.org/2001/XMLSchema#boolean",
}


@dataclass
class Solutions:
    """A SELECT result: variable names and rows (term or None per variable)."""

    variables: list[str]
    rows: list[list[object]]
    truncated: bool = False


def collect(result: ox.QuerySolutions, max_rows: int) -> Solutions:
    names = [v.value for v in result.variables]
    rows = []
    truncated = False
    for solution in result:
        if len(rows) == max_rows:
            truncated = True
            break
        rows.append([solution[n] for n in names])
    return Solutions(names, rows, truncated)


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def to_json(s: Solutions) -> bytes:
    bindings = [
        {n: _json_term(t) for n, t in zip(s.variables, row, strict=True) if t is not None}
        for row in s.rows
    ]
    return json.dumps(
        {"head": {"vars": s.variables}, "results": {"bindings": bindings}}, ensure_ascii=False
    ).encode()


def boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode()


# characters XML 1.0 cannot carry (C0 controls but tab, newline, carriage return; lone
# surrogates; U+FFFE/U+FFFF): written as U+FFFD in XML results only
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    return _xml_escape(_XML_ILLEGAL.sub("\ufffd", text))


def quoteattr(text: str) -> str:
    return _xml_quoteattr(_XML_ILLEGAL.sub("\ufffd", text))


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def to_xml(s: Solutions) -> bytes:
    out = [_XML_HEAD, "<head>"]
    out += [f"<variable name={quoteattr(n)}/>" for n in s.variables]
    out.append("</head><results>")
    for row in s.rows:
        out.append("<result>")
        out += [
            f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
            for n, t in zip(s.variables, row, strict=True)
            if t is not None
        ]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "\n".join(out).encode()


def boolean_xml(value: bool) -> bytes:
    return (
        f"{_XML_HEAD}<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n".encode()
    )


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def to_csv(s: Solutions) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(s.variables)
    writer.writerows([_csv_term(t) for t in row] for row in s.rows)
    return buf.getvalue().encode()


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and term.datatype.value in _BARE_TSV and not term.language:
        return term.value
    return str(term)  # N-Triples form: <iri>, "text"@id, "1"^^<...>, _:b


def to_tsv(s: Solutions) -> bytes:
    lines = ["\t".join(f"?{n}" for n in s.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in s.rows]
    return ("\n".join(lines) + "\n").encode()


def boolean_text(value: bool) -> bytes:
    return b"true\n" if value else b"false\n"


SELECT_WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}
BOOLEAN_WRITERS = {
    "json": boolean_json,
    "xml": boolean_xml,
    "csv": boolean_text,
    "tsv": boolean_text,
}


def collect_triples(result: ox.QueryTriples, max_rows: int) -> tuple[list[ox.Triple], bool]:
    triples = []
    for triple in result:
        if len(triples) == max_rows:
            return triples, True
        triples.append(triple)
    return triples, False


def write_triples(
    triples: list[ox.Triple], rdf_format: ox.RdfFormat, prefixes: dict[str, str] | None
) -> bytes:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    if rdf_format == ox.RdfFormat.N_QUADS:
        rdf_format = ox.RdfFormat.N_TRIPLES  # all in the default graph: the same lines
    usable = prefixes if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return store.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=usable)
