"""The query-side tests of the W3C SPARQL 1.1 Protocol manifest, replayed on ``/sparql``.

``../shared/w3c/sparql11-protocol/manifest.ttl`` encodes each test as HTTP requests
(method, path, headers, body and its character encoding) and expected responses (status
class, result format, ASK answer). The dataset tests' graphs (``data1-3.nt``) are loaded
under their ``http://kasei.us/...`` names. Update tests expect an update to succeed, which a
read-only endpoint must not let happen: they are skipped, and each of their update requests
is checked to get a 4xx instead. Skips when ``../shared/w3c`` is absent.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from kinerja.ingest.pipeline import named_ntriples
from kinerja.settings import Settings
from kinerja.store import write_store
from tests.endpoint import SRX, W3C, app_client, assert_short_error, parse_rdf, require_w3c

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
KASEI = "http://kasei.us/2009/09/sparql/data/data{}.rdf"
PROTOCOL = W3C / "sparql11-protocol"
UPDATE_SKIP = "update tests do not apply to a read-only endpoint"
# expectedFormat -> the media types that satisfy it (the manifest's names: mf:name)
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}
# Known failures of this endpoint (each a bug to fix, not a test to change).
KNOWN: dict[str, str] = {}  # W3C tests this endpoint is known to fail, with the reason
RDF_PARSERS = {
    "application/rdf+xml": "rdfxml",
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]  # "2xx", "4xx" or exact codes such as "200"
    format: str | None
    boolean: bool | None

    @property
    def is_query(self) -> bool:
        return (
            self.headers.get("content-type", "").startswith("application/sparql-query")
            or "query=" in self.path
        )

    @property
    def is_update(self) -> bool:
        text = (self.path + " " + (self.body or b"").decode("utf-8", "replace")).lower()
        return (
            self.headers.get("content-type", "").startswith("application/sparql-update")
            or "update=" in text
            or "using-graph-uri" in text
            or "using-named-graph-uri" in text
        )


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[Request] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return "update" in self.name or any(r.is_update for r in self.requests)


def _items(graph: Graph, node) -> list:
    return list(Collection(graph, node)) if node is not None else []


def _request(graph: Graph, node) -> Request:
    headers = {
        str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
        for h in _items(graph, graph.value(node, HT.headers))
    }
    body_node = graph.value(node, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    path = str(graph.value(node, HT.absolutePath))
    assert path.startswith("/sparql/"), path
    resp = graph.value(node, HT.resp)
    statuses = {str(s)[len(HTS) :] for s in graph.objects(resp, MF.expectedStatus)}
    fmt = graph.value(resp, MF.expectedFormat)
    boolean = graph.value(resp, MF.expectedBoolean)
    return Request(
        method=str(graph.value(node, HT.methodName)),
        path="/sparql" + path[len("/sparql/") :],
        headers=headers,
        body=body,
        statuses=statuses,
        format=str(fmt) if fmt is not None else None,
        boolean=boolean.toPython() if boolean is not None else None,
    )


def load_manifest() -> list[ProtocolTest]:
    if not (PROTOCOL / "manifest.ttl").is_file():
        return []
    graph = Graph().parse(PROTOCOL / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in _items(graph, graph.value(manifest, MF.entries)):
        assert (entry, RDF.type, MF.ProtocolTest) in graph, entry
        action = graph.value(entry, MF.action)
        test = ProtocolTest(str(entry).rsplit("#", 1)[1], str(graph.value(entry, MF.name)))
        test.requests = [
            _request(graph, r) for r in _items(graph, graph.value(action, HT.requests))
        ]
        tests.append(test)
    return tests


TESTS = load_manifest()
QUERY_TESTS = [t for t in TESTS if not t.is_update]
UPDATE_TESTS = [t for t in TESTS if t.is_update]


def params(tests: list[ProtocolTest]):
    if not tests:  # the folder is absent: one test that skips, saying why
        return [pytest.param(None, id="w3c-data-missing")]
    return [
        pytest.param(
            t,
            id=t.name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[t.name])] if t.name in KNOWN else [],
        )
        for t in tests
    ]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = require_w3c("sparql11-protocol")
    graphs = []
    for n in (1, 2, 3):
        g = Graph(identifier=URIRef(KASEI.format(n)))
        g.parse(folder / f"data{n}.nt", format="nt")
        graphs.append(g)
    store_dir = tmp_path_factory.mktemp("w3c-protocol") / "store"
    write_store(store_dir, named_ntriples(graphs))
    with app_client(Settings(store_dir=store_dir, query_timeout=5.0)) as c:
        yield c


def send(client, request: Request):
    return client.request(
        request.method, request.path, headers=request.headers, content=request.body
    )


def status_ok(status: int, expected: set[str]) -> bool:
    return any(status == int(e) if e.isdigit() else str(status)[0] == e[0] for e in expected)


def boolean_of(response) -> bool:
    media = response.headers["content-type"].split(";")[0].strip()
    if media == "application/sparql-results+json":
        return json.loads(response.content)["boolean"]
    node = ET.fromstring(response.content).find(SRX + "boolean")
    return node.text.strip() == "true"


def check_response(response, request: Request) -> None:
    assert status_ok(response.status_code, request.statuses), (
        f"{request.method} {request.path}: got {response.status_code} "
        f"({response.text[:300]!r}), expected {sorted(request.statuses)}"
    )
    if response.status_code >= 400:
        assert_short_error(response)
        return
    media = response.headers["content-type"].split(";")[0].strip()
    if request.format is not None:
        assert media in FORMATS[request.format], (media, request.format)
        if request.format == "RDF":
            parse_rdf(response.content, RDF_PARSERS[media])
        elif request.format == "tabular" and media == "application/sparql-results+json":
            assert "value" in json.loads(response.content)["head"]["vars"]
    if request.boolean is not None:
        assert boolean_of(response) is request.boolean


def test_manifest_was_read():
    require_w3c("sparql11-protocol")
    assert len(TESTS) == 34
    assert len(QUERY_TESTS) == 20 and len(UPDATE_TESTS) == 14
    assert all(t.requests for t in TESTS)


@pytest.mark.parametrize("test", params(TESTS))
def test_protocol(client, test):
    if test is None:
        require_w3c("sparql11-protocol")
    if test.is_update:
        pytest.skip(UPDATE_SKIP)
    for request in test.requests:
        check_response(send(client, request), request)


@pytest.mark.parametrize("test", params(UPDATE_TESTS))
def test_update_requests_get_4xx(client, test):
    """The update tests' update requests, refused; well-formed ones say "read-only"."""
    if test is None:
        require_w3c("sparql11-protocol")
    for request in (r for r in test.requests if not r.is_query):
        response = send(client, request)
        message = assert_short_error(response)
        # an update the manifest expects to succeed is well formed: refused as read-only
        well_formed = "2xx" in request.statuses
        if well_formed:
            assert "read-only" in message, (test.name, message)
    # the store is as it was: the graphs the updates would have touched are unchanged
    ask = "ASK { GRAPH ?g { ?s a <http://purl.org/dc/terms/BibliographicResource> } }"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False
    count = client.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}
    )
    assert count.json()["results"]["bindings"][0]["n"]["value"] == "3"


def test_dataset_parameters_really_restrict_the_dataset(client):
    """A control for the dataset tests: a graph outside the protocol dataset is not seen."""
    require_w3c("sparql11-protocol")
    ask = (
        "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type . "
        "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type }"
    )
    only3 = client.get("/sparql", params={"query": ask, "default-graph-uri": KASEI.format(3)})
    assert only3.status_code == 200, only3.text
    assert only3.json()["boolean"] is False
    named = "ASK { GRAPH ?g { <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?type } }"
    r = client.get(
        "/sparql",
        params=[
            ("query", named),
            ("named-graph-uri", KASEI.format(1)),
            ("named-graph-uri", KASEI.format(2)),
        ],
    )
    assert r.json()["boolean"] is False
