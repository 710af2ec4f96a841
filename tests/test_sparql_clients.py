"""Real SPARQL clients against a real server: SPARQLWrapper and rdflib's SPARQLStore.

The app runs under uvicorn on 127.0.0.1 (see ``tests/endpoint.py``); each client's answer is
compared with what ``kinerja query`` prints for the same query on the same store.
"""

from __future__ import annotations

import csv
import io
from urllib.error import HTTPError

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, JSONLD, POST, RDFXML, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kinerja.cli import main as kinerja_main
from tests.endpoint import (
    PREFIXES,
    json_rows,
    kinerja_query_json,
    running_server,
    term_key,
    xml_rows,
)

pytestmark = pytest.mark.slow

SELECT = (
    PREFIXES
    + """SELECT ?indicator ?label ?target WHERE {
  ?indicator a kin:Indicator ; rdfs:label ?label .
  ?t kin:indicator ?indicator ; kin:targetText ?target .
} ORDER BY ?indicator ?label ?target LIMIT 25"""
)
COUNTS = """SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type }
GROUP BY ?type ORDER BY DESC(?n) ?type"""
ASK = PREFIXES + "ASK { ?t kin:indicator ?indicator ; kin:targetText ?target }"
CONSTRUCT = (
    PREFIXES
    + """CONSTRUCT { ?indicator rdfs:label ?label ; a kin:Indicator }
WHERE { ?indicator a kin:Indicator ; rdfs:label ?label }"""
)
FORMAT_REPEATED_REFUSED = (
    "SPARQLWrapper sends format twice (format=rdf+xml&format=application/rdf+xml; likewise "
    "for JSON-LD): server/sparql.py _one() refuses a repeated 'format' with 400, so "
    "CONSTRUCT into a graph fails although the Accept header asks for a served type"
)


@pytest.fixture(scope="module")
def server(built_settings):
    with running_server(built_settings) as running:
        yield running


def kinerja_query(settings, text: str, fmt: str, capsysbinary) -> bytes:
    capsysbinary.readouterr()
    status = kinerja_main(["query", text, "--format", fmt, "--store-dir", str(settings.store_dir)])
    out = capsysbinary.readouterr().out
    assert status == 0, out
    return out


def rdflib_key(term) -> tuple[str, str, str]:
    if isinstance(term, URIRef):
        return term_key({"type": "uri", "value": str(term)})
    if isinstance(term, BNode):
        return term_key({"type": "bnode", "value": str(term)})
    assert isinstance(term, Literal), term
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return term_key(out)


def wrapper(server, text: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.sparql)
    sw.setQuery(text)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    return sw


def expected_graph(settings, text: str, capsysbinary) -> Graph:
    return Graph().parse(data=kinerja_query(settings, text, "ntriples", capsysbinary), format="nt")


def assert_same_graph(got: Graph, want: Graph) -> None:
    missing, extra = set(want) - set(got), set(got) - set(want)
    assert not missing and not extra, (
        f"{len(missing)} missing, e.g. {sorted(missing)[:3]}; {len(extra)} extra, "
        f"e.g. {sorted(extra)[:3]}"
    )


# --- SPARQLWrapper ---------------------------------------------------------------------------
@pytest.mark.parametrize("method", [None, POST], ids=["get", "post"])
@pytest.mark.parametrize("text", [SELECT, COUNTS], ids=["indicators", "counts"])
def test_sparqlwrapper_json(server, built_settings, capsysbinary, text, method):
    got = wrapper(server, text, JSON, method).query().convert()
    want = kinerja_query_json(built_settings.store_dir, text, capsysbinary)
    assert got["head"]["vars"] == want["head"]["vars"]
    assert json_rows(got) == json_rows(want)
    assert len(json_rows(want)) > 5


@pytest.mark.parametrize("text", [SELECT, COUNTS], ids=["indicators", "counts"])
def test_sparqlwrapper_xml(server, built_settings, capsysbinary, text):
    document = wrapper(server, text, XML).query().convert()
    names, rows = xml_rows(document.toxml("utf-8"))
    want = kinerja_query_json(built_settings.store_dir, text, capsysbinary)
    assert names == want["head"]["vars"]
    assert rows == json_rows(want)


@pytest.mark.parametrize("text", [SELECT, COUNTS], ids=["indicators", "counts"])
def test_sparqlwrapper_csv(server, built_settings, capsysbinary, text):
    got = wrapper(server, text, CSV).query().convert()
    want = kinerja_query(built_settings, text, "csv", capsysbinary)
    assert list(csv.reader(io.StringIO(got.decode()))) == list(
        csv.reader(io.StringIO(want.decode()))
    )


def test_sparqlwrapper_ask(server, built_settings, capsysbinary):
    got = wrapper(server, ASK, JSON).query().convert()
    want = kinerja_query_json(built_settings.store_dir, ASK, capsysbinary)
    assert got["boolean"] is want["boolean"] is True


def test_sparqlwrapper_construct_turtle_into_a_graph(server, built_settings, capsysbinary):
    body = wrapper(server, CONSTRUCT, TURTLE).query().convert()
    got = Graph().parse(data=body, format="turtle")
    assert_same_graph(got, expected_graph(built_settings, CONSTRUCT, capsysbinary))


@pytest.mark.parametrize(
    "fmt",
    [
        pytest.param(
            XML,
        ),
        pytest.param(
            RDFXML,
        ),
        pytest.param(
            JSONLD,
        ),
    ],
)
def test_sparqlwrapper_construct_converted_to_a_graph(server, built_settings, capsysbinary, fmt):
    got = wrapper(server, CONSTRUCT, fmt).query().convert()
    assert isinstance(got, Graph), type(got)
    assert_same_graph(got, expected_graph(built_settings, CONSTRUCT, capsysbinary))


def test_sparqlwrapper_syntax_error(server):
    with pytest.raises(SPARQLWrapperException) as raised:
        wrapper(server, "SELECT * WHERE { ?s ?p ", JSON).query()
    assert "syntax" in str(raised.value).lower()


def test_sparqlwrapper_update_is_refused(server, built_settings, capsysbinary):
    sw = SPARQLWrapper(server.sparql)
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }")
    with pytest.raises((SPARQLWrapperException, HTTPError)) as raised:
        sw.query()
    error = raised.value
    if isinstance(error, HTTPError):
        assert 400 <= error.code < 500
        assert b"read-only" in error.read()
    ask = "ASK { <http://example.org/s> ?p ?o }"
    assert kinerja_query_json(built_settings.store_dir, ask, capsysbinary)["boolean"] is False


# --- rdflib SPARQLStore --------------------------------------------------------------------
@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_sparqlstore_select(server, built_settings, capsysbinary, method):
    graph = Graph(store=SPARQLStore(server.sparql, method=method))
    result = graph.query(SELECT)
    got = [
        {str(v): rdflib_key(row[v]) for v in result.vars if row[v] is not None} for row in result
    ]
    want = kinerja_query_json(built_settings.store_dir, SELECT, capsysbinary)
    assert [str(v) for v in result.vars] == want["head"]["vars"]
    assert got == json_rows(want)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlstore_construct_and_ask(server, built_settings, capsysbinary, method):
    graph = Graph(store=SPARQLStore(server.sparql, method=method))
    got = graph.query(CONSTRUCT).graph
    assert_same_graph(got, expected_graph(built_settings, CONSTRUCT, capsysbinary))
    assert graph.query(ASK).askAnswer is True


def test_sparqlstore_counts_match(server, built_settings, capsysbinary):
    graph = Graph(store=SPARQLStore(server.sparql))
    got = {str(row.type): int(row.n) for row in graph.query(COUNTS)}
    want = {
        b["type"]["value"]: int(b["n"]["value"])
        for b in kinerja_query_json(built_settings.store_dir, COUNTS, capsysbinary)["results"][
            "bindings"
        ]
    }
    assert got == want


def test_sparqlupdatestore_update_is_refused(server, built_settings, capsysbinary):
    store = SPARQLUpdateStore(query_endpoint=server.sparql, update_endpoint=server.sparql)
    with pytest.raises(HTTPError) as raised:
        store.update("INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }")
    assert 400 <= raised.value.code < 500
    assert b"read-only" in raised.value.read()
    ask = "ASK { <http://example.org/s> ?p ?o }"
    assert kinerja_query_json(built_settings.store_dir, ask, capsysbinary)["boolean"] is False
