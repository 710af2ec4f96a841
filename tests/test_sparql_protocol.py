"""The SPARQL 1.1 Protocol at ``/sparql``, checked without ``../shared``.

The same behaviours as the W3C protocol manifest (see ``test_w3c_protocol.py``) on the seed
build: each method, the dataset parameters, every result format by Accept and by
``format=``, 406, the service description, the protocol's errors, read-only refusals,
CORS and security headers. Every result is parsed back and compared with what Oxigraph
answers on the same store directly.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from kinerja import query as kquery
from kinerja.store import open_store
from tests.endpoint import (
    FORM,
    PREFIXES,
    SPARQL_QUERY,
    Elements,
    app_client,
    assert_short_error,
    csv_rows,
    json_rows,
    parse_rdf,
    tsv_rows,
    xml_boolean,
    xml_rows,
)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SELECT = (
    PREFIXES
    + """SELECT ?s ?label WHERE { ?s a kin:Indicator ; rdfs:label ?label }
ORDER BY ?s ?label LIMIT 20"""
)
COUNTS = """SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type }
GROUP BY ?type ORDER BY DESC(?n) ?type LIMIT 8"""
ASK = PREFIXES + "ASK { ?s a kin:Indicator }"
CONSTRUCT = (
    PREFIXES + "CONSTRUCT { ?s rdfs:label ?label } WHERE { ?s a kin:Indicator ; rdfs:label ?label }"
)
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
POSITION = re.compile(r"\b(\d+):(\d+)\b")


@pytest.fixture(scope="module")
def client(built_settings):
    with app_client(built_settings) as c:
        yield c


@pytest.fixture(scope="module")
def store(built_settings):
    return open_store(built_settings.store_dir)


def expected_json(store, text: str, **kwargs) -> dict:
    return json.loads(kquery.serialize(kquery.run(store, text, **kwargs), "json"))


def expected_graph(store, text: str) -> Graph:
    data = kquery.serialize(kquery.run(store, text), "ntriples")
    return Graph().parse(data=data, format="nt")


def media(response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def get(client, text: str, headers=None, **params):
    return client.get("/sparql", params={"query": text, **params}, headers=headers or {})


def post_direct(client, text: str, **kwargs):
    headers = {"Content-Type": SPARQL_QUERY, **kwargs.pop("headers", {})}
    return client.post("/sparql", content=text.encode(), headers=headers, **kwargs)


def assert_same_graph(got: Graph, want: Graph) -> None:
    missing, extra = set(want) - set(got), set(got) - set(want)
    assert not missing and not extra, (
        f"{len(missing)} triple(s) missing, e.g. {sorted(missing)[:3]}; "
        f"{len(extra)} extra, e.g. {sorted(extra)[:3]}"
    )


# --- methods and the dataset ---------------------------------------------------------------
@pytest.mark.parametrize("method", ["get", "post-form", "post-direct"])
def test_query_by_each_method(client, store, method):
    if method == "get":
        r = get(client, SELECT)
    elif method == "post-form":
        r = client.post("/sparql", data={"query": SELECT})
    else:
        r = post_direct(client, SELECT)
    assert r.status_code == 200, r.text
    assert media(r) == RESULT_TYPES["json"]
    want = expected_json(store, SELECT)
    assert r.json()["head"]["vars"] == ["s", "label"]
    assert json_rows(r.json()) == json_rows(want)
    assert len(json_rows(want)) == 20


def test_form_post_with_utf8_charset(client):
    r = client.post(
        "/sparql",
        content=urlencode({"query": ASK}).encode(),
        headers={"Content-Type": f"{FORM}; charset=UTF-8"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["boolean"] is True


def test_direct_post_with_utf8_charset(client):
    r = post_direct(client, ASK, headers={"Content-Type": f"{SPARQL_QUERY}; charset=utf-8"})
    assert r.status_code == 200, r.text
    assert r.json()["boolean"] is True


def test_default_graph_is_the_merge_of_all_sources(client, store):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = get(client, text)
    want = expected_json(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { "
        "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }",
    )
    assert r.status_code == 200, r.text
    assert json_rows(r.json()) == json_rows(want)


def source_graphs(store) -> list[str]:
    return sorted(g.value for g in store.named_graphs() if "/sumber/" in g.value)


def indicator_count(store, graphs: list[str]) -> int:
    values = " ".join(f"<{g}>" for g in graphs)
    data = expected_json(
        store,
        PREFIXES + "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { "
        f"VALUES ?g {{ {values} }} GRAPH ?g {{ ?s a kin:Indicator }} }}",
    )
    return int(data["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct"])
def test_default_graph_uri_is_honoured(client, store, how):
    sources = source_graphs(store)
    assert len(sources) >= 2, sources
    text = PREFIXES + "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kin:Indicator }"
    for chosen in ([sources[0]], [sources[1]], sources[:2]):
        params = [("default-graph-uri", g) for g in chosen]
        if how == "get":
            r = client.get("/sparql", params=[("query", text), *params])
        elif how == "post-form":
            r = client.post("/sparql", data={"query": text, "default-graph-uri": chosen})
        else:
            r = client.post(
                "/sparql",
                params=params,
                content=text.encode(),
                headers={"Content-Type": SPARQL_QUERY},
            )
        assert r.status_code == 200, r.text
        n = int(r.json()["results"]["bindings"][0]["n"]["value"])
        assert n == indicator_count(store, chosen) > 0, chosen


def test_named_graph_uri_is_honoured(client, store):
    sources = source_graphs(store)
    text = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    r = client.get("/sparql", params=[("query", text), ("named-graph-uri", sources[0])])
    assert r.status_code == 200, r.text
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [sources[0]]
    everything = get(client, text).json()["results"]["bindings"]
    assert sorted(b["g"]["value"] for b in everything) == sorted(
        g.value for g in store.named_graphs()
    )


def test_protocol_dataset_overrides_from_in_the_query(client, store):
    sources = source_graphs(store)
    text = (
        PREFIXES + f"SELECT (COUNT(DISTINCT ?s) AS ?n) FROM <{sources[0]}> "
        "WHERE { ?s a kin:Indicator }"
    )
    alone = get(client, text)
    assert alone.status_code == 200, alone.text
    assert int(alone.json()["results"]["bindings"][0]["n"]["value"]) == indicator_count(
        store, [sources[0]]
    )
    r = client.get("/sparql", params=[("query", text), ("default-graph-uri", sources[1])])
    assert r.status_code == 200, r.text
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == indicator_count(
        store, [sources[1]]
    )


def test_protocol_dataset_is_the_same_as_from_clauses(client, store):
    source = source_graphs(store)[0]
    in_graphs = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    in_default = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"
    for text, clause, param in (
        (in_graphs, f"FROM <{source}>", "default-graph-uri"),
        (in_default, f"FROM NAMED <{source}>", "named-graph-uri"),
    ):
        by_query = get(client, text.format(**{"from": clause}))
        by_protocol = get(client, text.format(**{"from": ""}), **{param: source})
        assert by_query.status_code == by_protocol.status_code == 200
        assert by_protocol.json() == by_query.json(), (param, by_query.json())


# --- results by content negotiation --------------------------------------------------------
def check_select(response, fmt: str, want: dict) -> None:
    assert response.status_code == 200, response.text
    assert media(response) == RESULT_TYPES[fmt]
    names = want["head"]["vars"]
    rows = json_rows(want)
    if fmt == "json":
        assert response.json()["head"]["vars"] == names
        assert json_rows(response.json()) == rows
    elif fmt == "xml":
        assert xml_rows(response.content) == (names, rows)
    elif fmt == "csv":
        table = csv_rows(response.text)
        assert table[0] == names
        assert table[1:] == [[row[n][1] if n in row else "" for n in names] for row in rows]
    else:
        table = tsv_rows(response.text)
        assert table[0] == [f"?{n}" for n in names]
        assert len(table) - 1 == len(rows)
        for got, row in zip(table[1:], rows, strict=True):
            for cell, name in zip(got, names, strict=True):
                assert row[name][1] in cell, (cell, row[name])
                if row[name][0] == "uri":
                    assert cell == f"<{row[name][1]}>"


@pytest.mark.parametrize("fmt", list(RESULT_TYPES))
@pytest.mark.parametrize("text", [SELECT, COUNTS], ids=["labels", "counts"])
def test_select_by_accept(client, store, fmt, text):
    r = get(client, text, headers={"Accept": RESULT_TYPES[fmt]})
    check_select(r, fmt, expected_json(store, text))


@pytest.mark.parametrize("fmt", list(RESULT_TYPES))
def test_select_by_format_parameter(client, store, fmt):
    r = get(client, COUNTS, format=fmt)
    check_select(r, fmt, expected_json(store, COUNTS))


@pytest.mark.parametrize("fmt", list(RESULT_TYPES))
def test_format_parameter_overrides_accept(client, store, fmt):
    other = "text/csv" if fmt != "csv" else "application/sparql-results+xml"
    r = get(client, COUNTS, headers={"Accept": other}, format=fmt)
    check_select(r, fmt, expected_json(store, COUNTS))


@pytest.mark.parametrize("fmt", list(RESULT_TYPES))
@pytest.mark.parametrize("by", ["accept", "format"])
def test_ask_in_each_result_format(client, fmt, by):
    for text, answer in ((ASK, True), (PREFIXES + "ASK { ?s a kin:NoSuchClass }", False)):
        if by == "accept":
            r = get(client, text, headers={"Accept": RESULT_TYPES[fmt]})
        else:
            r = get(client, text, format=fmt)
        assert r.status_code == 200, r.text
        assert media(r) == RESULT_TYPES[fmt]
        if fmt == "json":
            assert r.json()["boolean"] is answer
        elif fmt == "xml":
            assert xml_boolean(r.content) is answer
        else:
            assert r.text.strip().lower().splitlines()[-1] == str(answer).lower()


@pytest.mark.parametrize("fmt", list(GRAPH_TYPES))
@pytest.mark.parametrize("by", ["accept", "format"])
def test_construct_in_each_rdf_format(client, store, fmt, by):
    if by == "accept":
        r = get(client, CONSTRUCT, headers={"Accept": GRAPH_TYPES[fmt]})
    else:
        r = get(client, CONSTRUCT, format=fmt)
    assert r.status_code == 200, r.text
    assert media(r) == GRAPH_TYPES[fmt]
    want = expected_graph(store, CONSTRUCT)
    assert len(want) > 100
    assert_same_graph(parse_rdf(r.content, fmt), want)


@pytest.mark.parametrize("fmt", list(GRAPH_TYPES))
def test_describe_in_each_rdf_format(client, store, fmt):
    first = expected_json(store, SELECT)["results"]["bindings"][0]["s"]["value"]
    text = f"DESCRIBE <{first}>"
    r = get(client, text, headers={"Accept": GRAPH_TYPES[fmt]})
    assert r.status_code == 200, r.text
    assert media(r) == GRAPH_TYPES[fmt]
    got = parse_rdf(r.content, fmt)
    assert (URIRef(first), RDF.type, URIRef("https://w3id.org/kinerja/def#Indicator")) in got
    assert_same_graph(got, expected_graph(store, text))


@pytest.mark.parametrize(
    ("text", "accept", "fmt"),
    [
        (SELECT, None, "json"),
        (SELECT, "*/*", "json"),
        (SELECT, "application/json", "json"),
        (SELECT, "application/xml", "xml"),
        (SELECT, "text/csv;q=0.5, application/sparql-results+xml", "xml"),
        (SELECT, "text/html;q=0.2, text/tab-separated-values;q=0.9", "tsv"),
        (CONSTRUCT, None, "turtle"),
        (CONSTRUCT, "*/*", "turtle"),
        (CONSTRUCT, "application/json", "jsonld"),
        (CONSTRUCT, "text/plain", "ntriples"),
        (CONSTRUCT, "application/rdf+xml;q=0.9, text/turtle;q=0.1", "rdfxml"),
    ],
)
def test_accept_variants(client, text, accept, fmt):
    r = get(client, text, headers={"Accept": accept} if accept else None)
    assert r.status_code == 200, r.text
    assert media(r) == {**RESULT_TYPES, **GRAPH_TYPES}[fmt]


@pytest.mark.parametrize(
    ("text", "accept"),
    [
        (SELECT, "text/turtle"),
        (SELECT, "image/png"),
        (ASK, "application/rdf+xml"),
        (CONSTRUCT, "text/csv"),
        (CONSTRUCT, "application/sparql-results+json"),
    ],
)
def test_406_for_what_cannot_be_produced(client, text, accept):
    r = get(client, text, headers={"Accept": accept})
    message = assert_short_error(r, 406)
    assert "available" in message


@pytest.mark.parametrize("fmt", ["yaml", "html", ""])
def test_unknown_format_parameter(client, fmt):
    r = get(client, SELECT, format=fmt)
    if fmt:
        assert "format" in assert_short_error(r, (400, 406))
    else:  # an empty format= is no override
        assert r.status_code == 200


def test_text_results_are_utf8(client):
    r = get(client, SELECT, format="csv")
    assert r.headers["content-type"].lower().replace(" ", "") == "text/csv;charset=utf-8"
    r.content.decode("utf-8")


# --- the service description and the query page ---------------------------------------------
def test_service_description_in_turtle_by_default(client, store):
    r = client.get("/sparql")
    assert r.status_code == 200, r.text
    assert media(r) == "text/turtle"
    g = Graph().parse(data=r.content, format="turtle")
    service = URIRef("http://testserver/sparql")
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.endpoint, service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    formats = set(g.objects(service, SD.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    assert len(formats) >= 9
    names = {str(n) for n in g.objects(None, SD.name)}
    assert names == {g_.value for g_ in store.named_graphs()}


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/rdf+xml", "rdfxml"),
        ("application/n-triples", "ntriples"),
        ("application/ld+json", "jsonld"),
    ],
)
def test_service_description_by_accept(client, accept, fmt):
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert media(r) == accept
    g = parse_rdf(r.content, fmt)
    assert set(g.subjects(SD.endpoint, None)) == {URIRef("http://testserver/sparql")}


def test_browser_gets_the_query_page(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200
    assert media(r) == "text/html"
    page = Elements(r.text)
    assert page.select("form", action="/sparql")
    assert page.select("textarea", name="query")


def test_browser_runs_a_query_on_the_page(client, store):
    r = get(client, SELECT, headers={"Accept": "text/html"})
    assert r.status_code == 200
    page = Elements(r.text)
    headers = [text for _a, text in page.select("th")]
    assert headers[:2] == ["s", "label"]
    first_label = json_rows(expected_json(store, SELECT))[0]["label"][1]
    assert any(first_label in text for _a, text in page.select("td"))


def test_query_page_escapes_what_it_shows(client):
    text = 'SELECT ?x WHERE { BIND("</textarea><script>alert(1)</script>" AS ?x) } # <b>'
    r = get(client, text, headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "<script>alert(1)" not in r.text and "<b>" not in r.text
    assert not [a for a, _t in Elements(r.text).select("script") if not a.get("src")]
    link = get(
        client,
        'SELECT ?x WHERE { BIND(IRI("javascript:alert(1)") AS ?x) }',
        headers={"Accept": "text/html"},
    )
    assert link.status_code == 200
    hrefs = [a.get("href") or "" for a, _t in Elements(link.text).select("a")]
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], hrefs


def test_xml_results_stay_well_formed(client):
    r = get(client, 'SELECT ?x WHERE { BIND("page\\u000Cbreak" AS ?x) }', format="xml")
    assert r.status_code < 500, r.text
    if r.status_code == 200:
        xml_rows(r.content)


# --- errors as the protocol says ---------------------------------------------------------------
@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_wrong_method(client, method):
    r = client.request(method, "/sparql", params={"query": ASK}, headers={"Content-Type": FORM})
    assert_short_error(r, 405)
    assert {"GET", "POST"} <= {m.strip() for m in r.headers["allow"].split(",")}


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.get("/sparql", params=[("query", ASK), ("query", SELECT)]),
        lambda c: c.post(
            "/sparql",
            content=b"query=ASK%20%7B%7D&query=ASK%20%7B%7D",
            headers={"Content-Type": FORM},
        ),
        lambda c: c.post("/sparql", params={"query": ASK}, data={"query": ASK}),
        lambda c: c.post(
            "/sparql",
            params={"query": ASK},
            content=ASK.encode(),
            headers={"Content-Type": SPARQL_QUERY},
        ),
    ],
    ids=["get", "form", "url-and-form", "url-and-direct"],
)
def test_repeated_query(client, send):
    assert "query" in assert_short_error(send(client), 400)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/json", "multipart/form-data", "application/sparql-results+json"],
)
def test_wrong_media_type(client, content_type):
    r = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": content_type})
    assert_short_error(r, 415)


@pytest.mark.parametrize("body", [b"ASK {}", b"query=ASK%20%7B%7D"])
def test_missing_media_type(client, body):
    r = client.post("/sparql", content=body)
    assert "Content-Type" in assert_short_error(r)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("ASK {}".encode("utf-16"), f"{SPARQL_QUERY}; charset=UTF-16"),
        ("ASK {}".encode("utf-16"), SPARQL_QUERY),
        ('ASK { FILTER("é" = "é") }'.encode("latin-1"), SPARQL_QUERY),
        (b"query=ASK%20%7B%20FILTER(%22%E9%22)%20%7D", FORM),
        ('query=ASK { FILTER("é") }'.encode("latin-1"), FORM),
        ("query=ASK {}".encode("utf-16"), f"{FORM}; charset=UTF-16"),
    ],
    ids=[
        "utf16-declared",
        "utf16-undeclared",
        "latin1-direct",
        "percent-latin1-form",
        "latin1-form",
        "utf16-form",
    ],
)
def test_non_utf8_body(client, body, content_type):
    r = client.post("/sparql", content=body, headers={"Content-Type": content_type})
    assert_short_error(r)


def test_syntax_error_names_line_and_column(client):
    r = get(client, "SELECT * WHERE {\n  ?s ?p ?o .\n  ?s ?p ?o ?extra .\n}")
    message = assert_short_error(r, 400)
    assert r.headers["content-type"].startswith("text/plain")
    position = POSITION.search(message)
    assert position, message
    assert position.group(1) == "3", message


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o",
        "ASK {",
        "SELECT ?x WHERE { ?x }",
        "ASK { ?s ?p ?o } GARBAGE",
        'ASK { "unterminated }',
    ],
)
def test_syntax_errors_are_400(client, text):
    message = assert_short_error(get(client, text), 400)
    assert POSITION.search(message), message


def test_misspelt_keyword_names_line_and_column(client):
    message = assert_short_error(
        get(client, "PREFIX ex: <http://example.org/>\nSELEC * { ?s ?p ?o }"), 400
    )
    assert POSITION.search(message), message


def test_relative_iris_are_resolved(client):
    r = post_direct(client, "CONSTRUCT { <s> <p> 1 } WHERE {}")
    assert r.status_code == 200, r.text
    ((s, _p, _o),) = parse_rdf(r.content, "turtle")
    assert str(s).startswith(("http://", "https://"))
    r = get(client, "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (1, <x>)) } LIMIT 1")
    assert r.status_code == 200, r.text


def test_unknown_function_is_an_expression_error_not_a_failure(client):
    """SPARQL 1.1 section 17: calling an unknown function is an expression error, so the
    variable it would bind stays unbound; the query itself succeeds."""
    r = get(client, "PREFIX ex: <http://example.org/> SELECT (ex:f(1) AS ?x) ?y "
                    "WHERE { BIND(2 AS ?y) }")
    assert r.status_code == 200
    [row] = r.json()["results"]["bindings"]
    assert "x" not in row and row["y"]["value"] == "2"


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
        lambda c: c.post(
            "/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
        ),
        lambda c: c.post(
            "/sparql",
            content=b"INSERT DATA { <a:s> <a:p> <a:o> }",
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        ),
        lambda c: c.get("/sparql", params={"update": "CLEAR ALL"}),
        lambda c: c.get("/sparql", params={"query": "INSERT DATA { <a:s> <a:p> <a:o> }"}),
        lambda c: c.post("/sparql", data={"query": "DROP ALL"}),
        lambda c: c.post(
            "/sparql", content=b"DELETE WHERE { ?s ?p ?o }", headers={"Content-Type": SPARQL_QUERY}
        ),
        lambda c: c.post(
            "/sparql", params={"using-graph-uri": "http://example.org/g"}, data={"query": ASK}
        ),
    ],
    ids=[
        "form-update",
        "direct-update",
        "direct-update-charset",
        "get-update",
        "get-insert",
        "form-drop",
        "direct-delete",
        "using-graph-uri",
    ],
)
def test_updates_are_refused_as_read_only(client, store, send):
    before = len(store)
    message = assert_short_error(send(client))
    assert "read-only" in message
    assert len(open_store(client.app.state.settings.store_dir)) == before


def test_errors_are_plain_text_without_internals(client):
    for r in (
        get(client, "SELECT * WHERE {"),
        client.put("/sparql"),
        client.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"}),
    ):
        assert r.headers["content-type"].startswith("text/plain")
        text = assert_short_error(r)
        assert "kinerja/" not in text and ".py" not in text


# --- CORS and security headers -----------------------------------------------------------
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_cors_preflight(client, method):
    r = client.options(
        "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type, accept",
        },
    )
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] in ("*", "https://elsewhere.example")
    assert method in r.headers["access-control-allow-methods"]
    allowed = r.headers["access-control-allow-headers"].lower()
    assert "content-type" in allowed and "accept" in allowed


@pytest.mark.parametrize(
    "send",
    [
        lambda c, h: c.get("/sparql", params={"query": SELECT}, headers=h),
        lambda c, h: c.post("/sparql", data={"query": SELECT}, headers=h),
        lambda c, h: c.post(
            "/sparql", content=SELECT.encode(), headers={**h, "Content-Type": SPARQL_QUERY}
        ),
        lambda c, h: c.get("/sparql", params={"query": "ASK {"}, headers=h),
    ],
    ids=["get", "post-form", "post-direct", "error"],
)
def test_cors_on_responses(client, send):
    r = send(client, {"Origin": "https://elsewhere.example"})
    assert r.headers["access-control-allow-origin"] in ("*", "https://elsewhere.example")
    if r.status_code == 200:
        exposed = r.headers["access-control-expose-headers"].lower()
        assert "x-kinerja-truncated" in exposed


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.get("/sparql", params={"query": SELECT}),
        lambda c: c.get("/sparql", params={"query": CONSTRUCT}),
        lambda c: c.get("/sparql"),
        lambda c: c.get("/sparql", headers={"Accept": "text/html"}),
        lambda c: c.get("/sparql", params={"query": "ASK {"}),
        lambda c: c.put("/sparql"),
    ],
    ids=["select", "construct", "description", "page", "syntax-error", "wrong-method"],
)
def test_security_headers(client, send):
    r = send(client)
    assert r.headers["x-content-type-options"] == "nosniff"
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["referrer-policy"]


def test_result_headers(client):
    r = get(client, SELECT)
    assert r.headers["x-kinerja-rows"] == "20"
    assert "x-kinerja-truncated" not in r.headers
    assert float(r.headers["x-kinerja-elapsed-ms"]) >= 0
