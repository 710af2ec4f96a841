"""The endpoint is safe to expose: read-only, no outgoing requests, bounded in time and size.

- SERVICE (any spelling, escaped, nested, with a variable IRI), LOAD and FROM/FROM NAMED
  naming graphs that are not in the store are refused with 4xx before anything runs: a
  canary HTTP server on 127.0.0.1 must see no request, and a named pipe behind a ``file:``
  IRI must never be opened (a reader would block on it; see ``tests/endpoint.py``).
- A query past ``Settings.query_timeout`` is stopped: 503 within a second of the limit, its
  worker process gone, while ``/health`` and other queries keep answering at once. The
  worker pool is bounded; past it a request gets 503 with Retry-After.
- Rows are capped (``Settings.max_rows``) with a visible signal; request bodies, query length
  and nesting depth are bounded; hostile input is a 4xx, never a 500.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import httpx
import pytest
from rdflib.plugins.sparql import prepareQuery

from tests.endpoint import (
    FORM,
    RUNAWAY,
    SPARQL_QUERY,
    Elements,
    app_client,
    assert_short_error,
    canary_server,
    cpu_seconds,
    csv_rows,
    fifo_watch,
    query_workers,
    running_server,
    tsv_rows,
    wait_for,
    xml_rows,
)

LIMIT = 1.5  # seconds: the query time limit in this module
MAX_ROWS = 5


@pytest.fixture(scope="module")
def settings(built_settings):
    return replace(built_settings, query_timeout=LIMIT, max_rows=MAX_ROWS, query_workers=2)


@pytest.fixture(scope="module")
def client(settings):
    with app_client(settings) as c:
        yield c


@pytest.fixture(scope="module")
def canary():
    with canary_server() as c:
        yield c


def get(client, text: str, **params):
    return client.get("/sparql", params={"query": text, **params})


def assert_refused(response, word: str) -> str:
    message = assert_short_error(response, (400, 403))
    assert word in message, message
    return message


# --- SERVICE --------------------------------------------------------------------------------
def service_queries(target: str) -> dict[str, str]:
    """Legal SPARQL queries that call ``target`` through SERVICE, in many spellings."""
    t = f"<{target}>"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE {t} {{ ?s ?p ?o }} }}",
        "lower-case": f"select * where {{ service {t} {{ ?s ?p ?o }} }}",
        "mixed-case": f"SELECT * WHERE {{ SeRvIcE {t} {{ ?s ?p ?o }} }}",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT {t} {{ ?s ?p ?o }} }}",
        "u-escape": f"SELECT * WHERE {{ \\u0053ERVICE {t} {{ ?s ?p ?o }} }}",
        "U-escape": f"SELECT * WHERE {{ SERV\\U00000049CE {t} {{ ?s ?p ?o }} }}",
        "all-escaped": "SELECT * WHERE { \\u0053\\u0045\\u0052\\u0056\\u0049\\u0043\\u0045 "
        f"{t} {{ ?s ?p ?o }} }}",
        "escaped-iri": "SELECT * WHERE { SERVICE <"
        + target.replace(":", "\\u003A", 1)
        + "> { ?s ?p ?o } }",
        "no-whitespace": f"SELECT * WHERE {{{{?s ?p ?o}}SERVICE{t}{{?s ?p ?o}}}}",
        "comment-between": f"SELECT * WHERE {{ SERVICE # to {target}\n{t} {{ ?s ?p ?o }} }}",
        "prefixed-iri": f"PREFIX remote: {t} SELECT * WHERE {{ SERVICE remote: {{ ?s ?p ?o }} }}",
        "optional": f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE {t} {{ ?s ?p ?o }} }} }}",
        "union": f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE {t} {{ ?s ?p ?o }} }} }}",
        "minus": f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE {t} {{ ?s ?p ?o }} }} }}",
        "subquery": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE {t} {{ ?s ?p ?o }} }} }} }}",
        "exists": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE {t} {{ ?s ?p ?o }} }} }}",
        "not-exists": f"ASK {{ ?s ?p ?o FILTER NOT EXISTS {{ SERVICE {t} {{ ?s ?x ?y }} }} }}",
        "graph": f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE {t} {{ ?s ?p ?o }} }} }}",
        "deeply-nested": "SELECT * WHERE { OPTIONAL { { SELECT * WHERE { ?a ?b ?c FILTER "
        f"NOT EXISTS {{ {{ ?a ?b ?c }} UNION {{ SERVICE {t} {{ ?s ?p ?o }} }} "
        "} } } } }",
        "variable-values": f"SELECT * WHERE {{ VALUES ?svc {{ {t} }} "
        "SERVICE ?svc { ?s ?p ?o } }",
        "variable-bind": f"SELECT * WHERE {{ BIND({t} AS ?svc) SERVICE ?svc {{ ?s ?p ?o }} }}",
        "variable-data": "SELECT * WHERE { ?x ?y ?svc SERVICE ?svc { ?s ?p ?o } }",
        "construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE {t} {{ ?s ?p ?o }} }}",
        "describe": f"DESCRIBE ?s WHERE {{ SERVICE {t} {{ ?s ?p ?o }} }}",
        "ask": f"ASK {{ SERVICE {t} {{ ?s ?p ?o }} }}",
    }


SERVICE_CASES = list(service_queries("http://127.0.0.1:1/"))


@pytest.mark.parametrize("case", SERVICE_CASES)
def test_service_is_refused_before_running(client, canary, case):
    text = service_queries(canary.url)[case]
    prepareQuery(text)  # legal SPARQL: the refusal is the policy, not a syntax error
    for response in (
        get(client, text),
        client.post("/sparql", data={"query": text}),
        client.post("/sparql", content=text.encode(), headers={"Content-Type": SPARQL_QUERY}),
    ):
        assert_refused(response, "SERVICE")
    assert canary.requests == []


@pytest.mark.parametrize(
    "template",
    [
        "PREFIX ex: <http://example.org/> SELECT * WHERE { OPTIONAL { ?s ex:a\\# ?o } "
        "SERVICE <{canary}> { ?x ?y ?z } }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { OPTIONAL { ?s ex:a\\' ?o } "
        "SERVICE <{canary}> { ?x ?y ?z } FILTER(?o != 'x') }",
    ],
    ids=["hash", "quote"],
)
def test_service_hidden_behind_a_prefixed_name_escape(client, canary, template):
    canary.requests.clear()
    response = get(client, template.replace("{canary}", canary.url))
    try:
        assert canary.requests == [], "the query reached the canary"
        assert_refused(response, "SERVICE")
    finally:
        canary.requests.clear()


def test_service_as_a_word_in_data_is_fine(client, canary):
    text = (
        "PREFIX ex: <http://example.org/service#> SELECT ?service WHERE { "
        'BIND("SERVICE <http://x/> {}" AS ?service) ?s ex:SERVICE ?o } # SERVICE'
    )
    r = get(client, text)
    assert r.status_code == 200, r.text
    assert canary.requests == []


@pytest.mark.parametrize(
    "term", ["ex:has-copy", "ex:data.load", "ex:web-service", "ex:moved-from", "ex:x.with"]
)
def test_keywords_inside_prefixed_names_are_not_refused(client, term):
    text = f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s {term} ?o }}"
    prepareQuery(text)
    r = get(client, text)
    assert r.status_code == 200, r.text


# --- LOAD and other updates -----------------------------------------------------------------
@pytest.mark.parametrize(
    "send",
    [
        lambda c, iri: c.post("/sparql", data={"update": f"LOAD <{iri}>"}),
        lambda c, iri: c.post(
            "/sparql",
            content=f"LOAD <{iri}>".encode(),
            headers={"Content-Type": "application/sparql-update"},
        ),
        lambda c, iri: c.get("/sparql", params={"update": f"LOAD <{iri}> INTO GRAPH <urn:g>"}),
        lambda c, iri: c.get("/sparql", params={"query": f"LOAD <{iri}>"}),
        lambda c, iri: c.post(
            "/sparql",
            content=f"LOAD SILENT <{iri}>".encode(),
            headers={"Content-Type": SPARQL_QUERY},
        ),
        lambda c, iri: c.post("/sparql", data={"query": f"\\u004COAD <{iri}>"}),
        lambda c, iri: c.get(
            "/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} ; LOAD <{iri}>"}
        ),
    ],
    ids=[
        "form-update",
        "direct-update",
        "get-update",
        "get-query",
        "direct-query",
        "escaped",
        "after-a-query",
    ],
)
def test_load_is_refused(client, canary, tmp_path, send):
    with fifo_watch(tmp_path) as fifo:
        for iri in (canary.url, fifo.path.as_uri()):
            assert_short_error(send(client, iri))
    assert fifo.opened == 0
    assert canary.requests == []


# --- FROM / FROM NAMED ----------------------------------------------------------------------
FROM_CASES = {
    "from": "SELECT * FROM <{iri}> WHERE {{ ?s ?p ?o }}",
    "from-named": "SELECT * FROM NAMED <{iri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "lower-case": "select * from named <{iri}> where {{ graph ?g {{ ?s ?p ?o }} }}",
    "second-from": "SELECT * FROM <{store}> FROM <{iri}> WHERE {{ ?s ?p ?o }}",
    "tab": "SELECT * FROM\t<{iri}> WHERE {{ ?s ?p ?o }}",
    "comment-between": "SELECT * FROM # the graph\n<{iri}> WHERE {{ ?s ?p ?o }}",
    "escaped-keyword": "SELECT * FR\\u004FM <{iri}> WHERE {{ ?s ?p ?o }}",
    "prefixed": "PREFIX g: <{iri}> SELECT * FROM g: WHERE {{ ?s ?p ?o }}",
    "relative": "BASE <{iri}> SELECT * FROM <graph.ttl> WHERE {{ ?s ?p ?o }}",
    "construct": "CONSTRUCT {{ ?s ?p ?o }} FROM <{iri}> WHERE {{ ?s ?p ?o }}",
    "ask": "ASK FROM NAMED <{iri}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "describe": "DESCRIBE ?s FROM <{iri}> WHERE {{ ?s ?p ?o }}",
    "no-whitespace": pytest.param(
        "SELECT * FROM<{iri}> WHERE {{ ?s ?p ?o }}",
    ),
    "named-no-whitespace": pytest.param(
        "SELECT * FROM NAMED<{iri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ),
}


@pytest.mark.parametrize("template", list(FROM_CASES.values()), ids=list(FROM_CASES))
def test_from_a_graph_not_in_the_store_is_refused(client, canary, tmp_path, template):
    store_graph = sorted(client.app.state.graph_names)[0]
    with fifo_watch(tmp_path) as fifo:
        for iri in (canary.url, fifo.path.as_uri(), "http://example.org/not-here"):
            text = template.format(iri=iri, store=store_graph)
            prepareQuery(text)
            message = assert_refused(get(client, text), "FROM")
            named = "graph.ttl" if "BASE" in text else iri  # FROM <graph.ttl>: as written
            assert named in message, message
    assert fifo.opened == 0
    assert canary.requests == []


def test_from_a_graph_of_the_store_is_allowed(client):
    names = sorted(client.app.state.graph_names)
    source = next(n for n in names if "/sumber/" in n)
    for text in (
        f"SELECT * FROM <{source}> WHERE {{ ?s ?p ?o }} LIMIT 1",
        f"SELECT ?g FROM NAMED <{source}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
        f"PREFIX src: <{source.rsplit('/', 1)[0]}/> "
        f"SELECT * FROM src:{source.rsplit('/', 1)[1]} WHERE {{ ?s ?p ?o }} LIMIT 1",
    ):
        r = get(client, text)
        assert r.status_code == 200, (text, r.text)
        assert r.json()["results"]["bindings"], text
    r = get(client, f"SELECT ?g FROM NAMED <{source}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1")
    assert r.json()["results"]["bindings"][0]["g"]["value"] == source


def test_dataset_parameters_never_fetch(client, canary, tmp_path):
    """default-graph-uri / named-graph-uri name graphs of the store only: nothing is fetched."""
    with fifo_watch(tmp_path) as fifo:
        for iri in (canary.url, fifo.path.as_uri()):
            for name, text in (
                ("default-graph-uri", "SELECT * WHERE { ?s ?p ?o }"),
                ("named-graph-uri", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"),
            ):
                r = get(client, text, **{name: iri})
                assert r.status_code < 500, r.text
                if r.status_code == 200:
                    assert r.json()["results"]["bindings"] == []
    assert fifo.opened == 0
    assert canary.requests == []


@pytest.mark.parametrize("name", ["default-graph-uri", "named-graph-uri"])
def test_dataset_parameter_that_is_not_an_iri(client, name):
    for value in ("not an iri", "", "http://a b/"):
        r = get(client, "ASK { ?s ?p ?o }", **{name: value})
        assert_short_error(r, 400)


# --- row cap ------------------------------------------------------------------------------
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_rows_are_capped_with_a_signal(client, fmt):
    r = get(client, ALL, format=fmt)
    assert r.status_code == 200, r.text
    assert r.headers["x-kinerja-truncated"] == "true"
    assert r.headers["x-kinerja-rows"] == str(MAX_ROWS)
    if fmt == "json":
        rows = r.json()["results"]["bindings"]
    elif fmt == "xml":
        rows = xml_rows(r.content)[1]
    else:
        rows = (csv_rows if fmt == "csv" else tsv_rows)(r.text)[1:]
    assert len(rows) == MAX_ROWS


@pytest.mark.parametrize("limit", [1, MAX_ROWS])
def test_no_truncation_signal_within_the_cap(client, limit):
    r = get(client, f"{ALL} LIMIT {limit}")
    assert r.status_code == 200, r.text
    assert "x-kinerja-truncated" not in r.headers
    assert len(r.json()["results"]["bindings"]) == limit


def test_graph_results_are_capped(client):
    r = get(client, "CONSTRUCT WHERE { ?s ?p ?o }", format="ntriples")
    assert r.status_code == 200, r.text
    assert r.headers["x-kinerja-truncated"] == "true"
    assert len([line for line in r.text.splitlines() if line.strip()]) == MAX_ROWS


def test_query_page_says_the_result_was_truncated(client):
    r = client.get("/sparql", params={"query": ALL}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    page = Elements(r.text)
    notes = (
        page.select("strong", "truncated")
        + page.select("p", "truncated")
        + page.select("div", "truncated")
    )
    assert notes, "no element with class 'truncated' on the page"
    assert str(MAX_ROWS) in notes[0][1]
    assert len([row for row in page.select("tr")]) == MAX_ROWS + 1  # with the header row
    small = client.get(
        "/sparql", params={"query": ALL + " LIMIT 2"}, headers={"Accept": "text/html"}
    )
    assert not Elements(small.text).select("strong", "truncated")


# --- size limits --------------------------------------------------------------------------
OVER = 1_000_001


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (SPARQL_QUERY, b"ASK {}" + b" " * OVER),
        (FORM, b"query=ASK%20%7B%7D&pad=" + b"x" * OVER),
    ],
    ids=["direct", "form"],
)
@pytest.mark.parametrize("chunked", [False, True])
def test_request_body_cap(client, content_type, body, chunked):
    content = iter([body[i : i + 65536] for i in range(0, len(body), 65536)]) if chunked else body
    r = client.post("/sparql", content=content, headers={"Content-Type": content_type})
    assert_short_error(r, 413)


def test_query_length_is_bounded(client):
    long = "ASK { }" + " " * 100_001
    r = client.post("/sparql", content=long.encode(), headers={"Content-Type": SPARQL_QUERY})
    assert "characters" in assert_short_error(r, 400)
    fine = "ASK { } #" + "x" * 50_000
    r = client.post("/sparql", content=fine.encode(), headers={"Content-Type": SPARQL_QUERY})
    assert r.status_code == 200, r.text


NESTING = {
    "braces": "ASK " + "{ " * 200 + "}" * 200,
    "parentheses": "ASK { FILTER(" + "(" * 300 + "true" + ")" * 300 + ") }",
    "subqueries": "SELECT * WHERE " + "{ SELECT * WHERE " * 100 + "{ }" + " }" * 100,
    "brackets": pytest.param(
        "SELECT * WHERE { ?s ?p " + "[ ?p " * 5000 + "?o" + " ]" * 5000 + " }",
    ),
    "negations": pytest.param(
        "ASK { FILTER(" + "!" * 20000 + "true) }",
    ),
    "or-chain": pytest.param(
        "ASK { FILTER(" + "true || " * 10000 + "true) }",
    ),
    "collection": pytest.param(
        "ASK { ?s ?p (" + "1 " * 20000 + ") }",
    ),
}


@pytest.mark.parametrize("text", list(NESTING.values()), ids=list(NESTING))
def test_deep_nesting_is_a_400_not_a_crash(client, text):
    r = client.post("/sparql", content=text.encode(), headers={"Content-Type": SPARQL_QUERY})
    try:
        assert_short_error(r, 400)
    finally:  # whatever happened, the endpoint still answers
        assert client.get("/health").status_code == 200
        assert get(client, "ASK {}").status_code == 200


def test_moderate_nesting_is_answered(client):
    text = "ASK " + "{ " * 30 + "}" * 30
    assert get(client, text).status_code == 200


# --- time limit, cancellation, concurrency (a real server) ---------------------------------
@pytest.fixture(scope="module")
def server(settings):
    with running_server(settings) as running:
        yield running


def settle(timeout: float = 20.0) -> None:
    """Wait until every query worker of this process is started and idle."""

    def idle() -> bool:
        pids = query_workers()
        before = cpu_seconds(pids)
        time.sleep(0.3)
        return query_workers() == pids and cpu_seconds(pids) - before < 0.05

    assert wait_for(idle, timeout, interval=0), "the query workers did not settle"


class Prober:
    """Times ``/health`` (and a small query) in a loop while something else runs."""

    def __init__(self, url: str, query: str | None = None):
        self.url, self.query = url, query
        self.latencies: list[float] = []
        self.statuses: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=10) as http:
            while not self._stop.is_set():
                start = time.monotonic()
                if self.query:
                    r = http.get(self.url + "/sparql", params={"query": self.query})
                else:
                    r = http.get(self.url + "/health")
                self.latencies.append(time.monotonic() - start)
                self.statuses.append(r.status_code)
                self._stop.wait(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=15)


def timed_query(url: str, text: str) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    r = httpx.get(url + "/sparql", params={"query": text}, timeout=30)
    return r, time.monotonic() - start


@pytest.mark.slow
def test_runaway_query_is_stopped_and_the_server_keeps_answering(server):
    settle()
    before = query_workers()
    with (
        ThreadPoolExecutor(1) as pool,
        Prober(server.url) as health,
        Prober(server.url, "ASK { ?s ?p ?o }") as other,
    ):
        future = pool.submit(timed_query, server.url, RUNAWAY)
        time.sleep(0.5)
        burning = cpu_seconds(before)
        time.sleep(0.5)
        burning = cpu_seconds(before) - burning
        response, elapsed = future.result(timeout=LIMIT + 10)
        gone = before - query_workers()
    assert response.status_code == 503, response.text
    assert "time limit" in assert_short_error(response, 503)
    assert LIMIT <= elapsed < LIMIT + 1.0, elapsed
    # the query's worker was burning CPU, and is gone (killed and reaped) when 503 arrives
    assert burning > 0.2, f"no worker was busy ({burning:.2f} s CPU in 0.5 s)"
    assert len(gone) == 1, (before, gone)
    assert not any(os.path.exists(f"/proc/{pid}") for pid in gone)
    # meanwhile /health and another query answered at once, every time
    assert len(health.latencies) >= 5 and set(health.statuses) == {200}
    assert max(health.latencies) < 0.5, health.latencies
    assert len(other.latencies) >= 5 and set(other.statuses) == {200}, other.statuses
    assert max(other.latencies) < 1.0, other.latencies
    # a replacement worker comes up and the pool is whole again
    assert wait_for(lambda: len(query_workers()) == len(before), 15)
    settle()
    assert httpx.get(server.sparql, params={"query": "ASK {}"}).status_code == 200


@pytest.mark.slow
def test_concurrent_queries_run_concurrently(server):
    settle()
    start = time.monotonic()
    with ThreadPoolExecutor(2) as pool, Prober(server.url) as health:
        results = list(pool.map(lambda _: timed_query(server.url, RUNAWAY), range(2)))
    wall = time.monotonic() - start
    for response, elapsed in results:
        assert response.status_code == 503, response.text
        assert elapsed < LIMIT + 1.0, elapsed
    assert wall < 2 * LIMIT, f"two {LIMIT} s queries took {wall:.1f} s: they ran one by one"
    assert max(health.latencies) < 0.5, health.latencies
    settle()
    with ThreadPoolExecutor(8) as pool:
        small = list(
            pool.map(lambda i: timed_query(server.url, f"SELECT ({i} AS ?i) {{}}"), range(8))
        )
    assert [r.status_code for r, _ in small] == [200] * 8


@pytest.mark.slow
def test_busy_pool_answers_503_with_retry_after(settings):
    """One worker, busy with a runaway query: others get 503 + Retry-After, not a hang."""
    one = replace(settings, query_workers=1, query_timeout=3.0)  # > the pool's 2 s queue wait
    with running_server(one) as busy, ThreadPoolExecutor(2) as pool, Prober(busy.url) as health:
        runaway = pool.submit(timed_query, busy.url, RUNAWAY)
        time.sleep(0.3)
        waiting = pool.submit(timed_query, busy.url, "ASK {}")
        response, elapsed = waiting.result(timeout=20)
        assert response.status_code in (429, 503), response.text
        assert int(response.headers["retry-after"]) >= 1
        assert "busy" in assert_short_error(response, (429, 503))
        assert elapsed < 3.0, elapsed  # answered before the runaway query ended
        first, _ = runaway.result(timeout=20)
        assert first.status_code == 503, first.text
        assert max(health.latencies) < 0.5, health.latencies
        # once the worker is replaced, queries are answered again
        assert wait_for(
            lambda: (
                httpx.get(busy.sparql, params={"query": "ASK {}"}, timeout=10).status_code == 200
            ),
            15,
        )
