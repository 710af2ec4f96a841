"""kinerja on a remote store: the seed build published to a real Oxigraph server and a
real Virtuoso (started on 127.0.0.1 by tests/servers.py), then read through them.

Each remote test compares with the embedded store holding the same build: the graphs, the
answers to every example query, the catalogue's pages and the SPARQL endpoint's answers
must be the same. Also: an incremental publish sends only what changed; a publish that
fails says so and leaves the local build current. Servers that are not installed make
the remote tests skip locally and fail when the CI environment variable is set.

The settings checks and the query rewriting at the end need no server.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import time
from pathlib import Path
from urllib.error import HTTPError

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kinerja.build import build, summarize
from kinerja.cli import main
from kinerja.errors import KinerjaError
from kinerja.examples import examples
from kinerja.executor import QueryRequest
from kinerja.publish import (
    PUBLISHED,
    PublishFailed,
    PublishInterrupted,
    merged_graph_iri,
    publish,
    read_record,
    remote_store,
)
from kinerja.remote import DIALECTS, RemoteStore
from kinerja.remote_pool import RemotePool
from kinerja.settings import Settings, derive_store_urls
from kinerja.sparql_text import query_dataset, with_values, without_functions
from kinerja.state import State
from kinerja.store import current_path, export, open_store, text_path
from server.app import create_app
from tests import servers
from tests.conftest import SOURCES, edit_source, unavailable
from tests.endpoint import RUNAWAY, running_server

slow = pytest.mark.slow

SERVER_LIMIT = 5  # seconds: each server's own query time limit
ROW_LIMIT = 20_000  # Virtuoso's ResultSetMaxRows: above the endpoint's max_rows
STARTERS = {
    "oxigraph": lambda folder: servers.start_oxigraph(folder, timeout_s=SERVER_LIMIT),
    "virtuoso": lambda folder: servers.start_virtuoso(
        folder, max_rows=ROW_LIMIT, max_seconds=SERVER_LIMIT
    ),
}
BANGKA = "000_0724a4aaa7b32400.txt"
HTML = {"accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
KIN = "https://w3id.org/kinerja/def#"


def _start(name: str, folder: Path) -> servers.Server:
    try:
        return STARTERS[name](folder)
    except servers.ServerMissing as e:
        unavailable(str(e))
        raise


def on(server: servers.Server, settings: Settings, **changes) -> Settings:
    """``settings`` with the store on ``server``."""
    user, password = server.auth or ("", "")
    values = {
        "store_url": server.query_url,
        "store_update_url": server.update_url,
        "store_graph_store_url": server.graph_store_url,
        "store_user": user,
        "store_password": password,
    }
    return dataclasses.replace(settings, **{**values, **changes})


def _wipe(settings: Settings) -> None:
    """The remote store emptied, and no record left claiming it holds a build."""
    with remote_store(settings) as store:
        store.clear()
    for record in Path(settings.store_dir).glob(f"builds/*/{PUBLISHED}"):
        record.unlink()


def contents(store) -> dict[str, set[ox.Triple]]:
    """Every named graph's triples, and the default graph's (key ''), as kinerja reads
    them."""
    out = {
        g.value: {q.triple for q in store.quads_for_pattern(None, None, None, g)}
        for g in store.named_graphs()
    }
    out[""] = {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    return out


def rows(result) -> list[tuple]:
    """A SELECT answer as rows of terms (by variable name), ASK as one row."""
    if isinstance(result, ox.QueryBoolean):
        return [(bool(result),)]
    names = sorted(v.value for v in result.variables)
    return [tuple(solution[n] for n in names) for solution in result]


def assert_same_answer(got: list[tuple], expected: list[tuple]) -> None:
    """The same rows in the same order: every example orders its rows completely
    (``tests/test_examples.py``), so no store may choose the order of ties."""
    assert sorted(got, key=str) == sorted(expected, key=str)  # the rows, then their order
    assert got == expected


# --- fixtures ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Settings:
    """The seed build, made locally (the staging copy of every publish)."""
    settings = Settings(data_dir=SOURCES, store_dir=tmp_path_factory.mktemp("build") / "store")
    build(settings, full=True)
    return settings


@pytest.fixture(scope="module")
def embedded(built) -> ox.Store:
    return open_store(built.store_dir)


@pytest.fixture(scope="module", params=sorted(STARTERS))
def server(request, tmp_path_factory):
    running = _start(request.param, tmp_path_factory.mktemp(request.param))
    with running:
        yield running


def _recording(method, entry, log: list):
    """``method``, which also adds ``entry(*its arguments)`` to ``log`` when called."""
    def recorded(self, *args, **kwargs):
        log.append(entry(*args, **kwargs))
        return method(self, *args, **kwargs)
    return recorded


@pytest.fixture(scope="module")
def first_publish(server, built) -> tuple[Settings, list[tuple[str, str | None]], list[str]]:
    """Settings with the store on the server, the seed build published there; and what
    that publish wrote: (method, graph) of each graph written whole, each update's text."""
    settings = on(server, built)
    _wipe(settings)
    written, updates = [], []
    with pytest.MonkeyPatch.context() as m:
        for name in ("put_graph", "post_graph"):
            m.setattr(RemoteStore, name, _recording(getattr(RemoteStore, name),
                                                    lambda graph, _data, n=name: (n, graph),
                                                    written))
        m.setattr(RemoteStore, "update", _recording(RemoteStore.update,
                                                    lambda text, **_kw: text, updates))
        report = publish(settings, current_path(built.store_dir).resolve())
    assert report.full and report.default == "merged"
    return settings, written, updates


@pytest.fixture(scope="module")
def remote(first_publish) -> Settings:
    return first_publish[0]


@pytest.fixture(scope="module")
def store(remote):
    with remote_store(remote) as opened:
        yield opened


# --- 1. the graphs -----------------------------------------------------------------------
@slow
def test_the_remote_holds_the_build(remote, store, embedded, server):
    mine, theirs = contents(store), contents(embedded)
    assert sorted(mine) == sorted(theirs)
    for graph in theirs:
        assert mine[graph] == theirs[graph], graph or "default graph"
    assert summarize(store).counts == summarize(embedded).counts
    assert export(store, "nquads") == export(embedded, "nquads")
    # the merge stands in for Virtuoso's default graph without being one of the sources
    merged = merged_graph_iri(remote)
    assert merged not in {g.value for g in store.named_graphs()}
    raw = server.store()  # the server as it is, with no merged graph to stand in
    names = {g.value for g in raw.named_graphs()}
    if store.default_graph_is_union:
        assert merged in names
        assert {q.triple for q in raw.quads_for_pattern(None, None, None, ox.NamedNode(
            merged))} == theirs[""]
    else:
        assert merged not in names
    # the record: where, what and how much
    record = read_record(current_path(remote.store_dir).resolve())
    assert record["store"] == remote.store_url
    assert {g: e["quads"] for g, e in record["graphs"].items()} == {
        g: len(t) for g, t in theirs.items() if g
    }


def test_the_merge_is_made_on_the_server(first_publish, embedded):
    """A full publish sends each named graph once, by the Graph Store Protocol, and never
    the merge: the server makes it from those graphs (ADD), given only their names."""
    _settings, written, updates = first_publish
    graphs = sorted(g.value for g in embedded.named_graphs())
    assert sorted(graph for _method, graph in written) == graphs
    assert {method for method, _graph in written} == {"put_graph"}
    added = [m.group(1) for text in updates
             for m in re.finditer(r"ADD SILENT GRAPH <([^>]+)> TO ", text)]
    assert sorted(added) == graphs
    assert not any('"' in text for text in updates)  # no literal: no data


@slow
def test_a_second_publish_sends_nothing(remote, store):
    report = publish(remote, current_path(remote.store_dir).resolve())
    assert report.up_to_date and not report.put and not report.deleted


@slow
def test_a_store_that_lost_its_data_gets_everything_again(remote, store, embedded):
    build_dir = current_path(remote.store_dir).resolve()
    store.delete_graph(f"{remote.base_iri}graph/model")
    messages = []
    report = publish(remote, build_dir, progress=messages.append)
    assert report.full and len(report.put) == 4
    assert any("does not hold what" in m for m in messages), messages
    assert contents(store) == contents(embedded)


@slow
def test_counting_queries_count_each_triple_once(store, embedded):
    """On Virtuoso a query without a dataset reads the bag union of every graph, its own
    included; the merged graph as default-graph-uri gives the embedded store's answers."""
    for query in (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{KIN}Indicator> }}",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/kinerja/graph/konsep> "
        "{ ?s ?p ?o } }",
        "ASK { GRAPH <https://w3id.org/kinerja/graph/gabungan> { ?s ?p ?o } }",
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/kinerja/graph/konsep> "
        "WHERE { ?s ?p ?o }",
        "SELECT ?g (COUNT(*) AS ?n) FROM <https://w3id.org/kinerja/graph/konsep> "
        "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "SELECT ?g (COUNT(*) AS ?n) FROM NAMED <https://w3id.org/kinerja/graph/konsep> "
        "WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g",
    ):
        assert rows(store.query(query)) == rows(embedded.query(query)), query


# --- 2. the example queries ------------------------------------------------------------
@slow
@pytest.mark.parametrize("name", sorted(examples()))
def test_example_queries_answer_the_same(name, remote, store, embedded):
    ex = examples()[name]
    values = ex.defaults(remote.base_iri)
    result = embedded.query(ex.text, substitutions=ex.substitutions(values))
    expected = rows(result)
    assert expected, f"{name} answers nothing on the seeds"
    assert "ORDER BY" in ex.text, f"{name}: without ORDER BY, no order to compare"
    got = rows(store.query(with_values(ex.text, ex.bindings(values))))
    assert_same_answer(got, expected)
    pool = RemotePool(remote_store(remote), workers=1, max_rows=remote.max_rows)
    try:
        answer = pool.execute(QueryRequest(ex.text, "json", bindings=ex.bindings(values)))
    finally:
        pool.close()
    parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    assert_same_answer(rows(parsed), expected)
    assert (answer.kind, answer.rows, answer.truncated) == ("select", len(expected), False)


# --- 3. the catalogue ------------------------------------------------------------------
def _one(store: ox.Store, query: str) -> str:
    return next(iter(store.query(query)))[0].value


@pytest.fixture(scope="module")
def pages(embedded, built) -> list[str]:
    return page_urls(embedded, built.base_iri)


def page_urls(embedded: ox.Store, base: str) -> list[str]:
    """One page of every kind, the views, listings, search, dumps and descriptions."""

    def local(iri: str) -> str:
        return "/" + iri[len(base):]

    first = "SELECT ?r WHERE {{ ?r a <{}> }} ORDER BY ?r LIMIT 1"
    kinds = [
        KIN + "PerformanceDocument", KIN + "Indicator", KIN + "Target", KIN + "Goal",
        KIN + "IndicatorConcept", KIN + "Program", KIN + "Unit", KIN + "Province",
        KIN + "SourceFile", "http://data.europa.eu/eli/ontology#LegalResource",
        "http://data.europa.eu/eli/ontology#LegalResourceSubdivision",
        "http://www.w3.org/ns/org#OrganizationalUnit",
        "http://www.w3.org/ns/org#FormalOrganization",
    ]
    urls = ["/"] + [local(_one(embedded, first.format(k))) for k in kinds]
    remisi = _one(embedded, f"""SELECT ?i WHERE {{ ?i a <{KIN}Indicator> ;
        <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(CONTAINS(?l, "remisi")) }}
        ORDER BY ?i LIMIT 1""")
    concept = _one(embedded, f"SELECT ?c WHERE {{ <{remisi}> <{KIN}concept> ?c }}")
    goal = _one(embedded, f"SELECT ?g WHERE {{ <{remisi}> <{KIN}goal> ?g }}")
    program = _one(embedded, first.format(KIN + "Program"))
    urls += [local(remisi), local(remisi).replace("/id/", "/jejak/", 1)]
    urls += [local(x).replace("/id/", "/banding/", 1) for x in (concept, goal, program)]
    urls += ["/daftar"] + [f"/daftar/{name}" for name in (
        "indikator", "dokumen", "peraturan", "sasaran", "konsep", "program", "kantor")]
    urls += ["/daftar/indikator?tahun=2024", "/daftar/indikator.csv", "/cari?q=remisi",
             "/cari.json?q=narapidana", "/sparql/contoh", "/.well-known/void",
             "/data/kinerja.nq", "/data/kinerja.ttl", "/def", "/health"]
    urls += [f"/sparql/contoh/{name}" for name in sorted(examples())]
    return urls


def _rendered(settings: Settings, urls: list[str]) -> dict[str, tuple[int, str]]:
    out = {}
    with TestClient(create_app(settings)) as client:
        for url in urls:
            r = client.get(url, headers=HTML)
            # the workbench shows how long a query took
            text = re.sub(r"[0-9.]+ ms<", "N ms<", r.text)
            out[url] = (r.status_code, text)
    return out


@slow
def test_catalogue_pages_are_the_same(remote, built, pages):
    expected = _rendered(built, pages)
    assert all(status == 200 for status, _ in expected.values()), expected
    got = _rendered(remote, pages)
    for url in pages:
        assert got[url] == expected[url], url


@slow
def test_a_grid_cut_by_year_reads_the_same_by_sparql(remote, store, embedded, built):
    """A grid's parts by SPARQL alone (no listing index): an office's targets counted by
    year, and one year's targets of that office, as the server answers them."""
    from kinerja.catalogue import grid as grids
    from kinerja.catalogue.reader import Reader

    mine = Reader(embedded, built.base_iri)
    theirs = Reader(store, remote.base_iri, lateral=store.dialect.lateral)
    [top] = mine.select(
        """SELECT ?p ?o (COUNT(?t) AS ?n) WHERE { ?i kin:goal/kin:program ?p .
             ?t kin:indicator ?i ; kin:office ?o } GROUP BY ?p ?o ORDER BY DESC(?n) LIMIT 1"""
    )
    program, office = top["p"].text, top["o"].text
    years = grids._years(mine, program, "program", None, None, office)
    assert years == grids._years(theirs, program, "program", None, None, office)
    assert sum(n for _y, n in years) == int(top["n"].text)
    chosen = (years[0][0],)
    found = [
        grids._targets(r, None, program, "program", None, [office], chosen)
        for r in (mine, theirs)
    ]
    assert len(found[0]) == years[0][1]
    assert [{k: t[k].text for k in t} for t in found[0]] == [
        {k: t[k].text for k in t} for t in found[1]
    ]


# --- 4. /sparql through a real client --------------------------------------------------
CLIENT_QUERIES = {
    "select": (JSON, f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?i ?label ?target WHERE {{ ?i a <{KIN}Indicator> ; rdfs:label ?label .
        ?t <{KIN}indicator> ?i ; <{KIN}targetText> ?target }} ORDER BY ?i ?label ?target"""),
    "counts": (XML, "SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type } GROUP BY ?type "
                    "ORDER BY DESC(?n) ?type"),
    "graphs": (JSON, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g "
                     "ORDER BY ?g"),
    "ask": (JSON, f"ASK {{ ?t <{KIN}targetValue> ?v FILTER(?v = 0) }}"),
    "construct": (TURTLE, f"CONSTRUCT {{ ?i a <{KIN}Indicator> }} WHERE {{ ?i a "
                          f"<{KIN}Indicator> }}"),
    "describe": (TURTLE, "DESCRIBE <https://w3id.org/kinerja/id/dokumen/kemenkumham/"
                         "kanwil-kepulauan-bangka-belitung/2023/iku/sasaran/12/indikator/2>"),
    "unknown function": (JSON, "PREFIX ex: <http://example.org/> SELECT (ex:f(1) AS ?x) ?y "
                               "WHERE { BIND(2 AS ?y) }"),
}


def _ask(endpoint: str, fmt: str, query: str):
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setReturnFormat(fmt)
    client.setQuery(query)
    answer = client.query()
    if fmt == TURTLE:
        return {str(t) for t in ox.parse(answer.convert(), format=ox.RdfFormat.TURTLE)}
    data = answer.convert()
    if fmt == XML:
        return data.toxml()
    return data


@slow
def test_sparql_endpoint_answers_the_same(remote, built):
    fast = dataclasses.replace(remote, query_timeout=1.0)
    with running_server(built) as mine, running_server(fast) as theirs:
        for name, (fmt, query) in CLIENT_QUERIES.items():
            expected = _ask(mine.sparql, fmt, query)
            assert _ask(theirs.sparql, fmt, query) == expected, name
        # a query that cannot finish in time gets the endpoint's timeout answer
        client = SPARQLWrapper(theirs.sparql)
        client.setReturnFormat(JSON)
        client.setQuery(RUNAWAY)
        start = time.monotonic()
        with pytest.raises((SPARQLWrapperException, HTTPError)) as info:
            client.query()
        assert time.monotonic() - start < SERVER_LIMIT
        error = info.value
        assert isinstance(error, HTTPError) and error.code == 503
        assert b"ran past the time limit of 1 s" in error.read()
        # and the endpoint still answers afterwards
        assert _ask(theirs.sparql, JSON, CLIENT_QUERIES["ask"][1])["boolean"] is True


@slow
def test_sparql_protocol_dataset_and_refusals(remote, built):
    konsep = f"{built.base_iri}graph/konsep"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    requests = [
        {"query": count, "default-graph-uri": konsep},
        {"query": named, "default-graph-uri": konsep},
        {"query": named, "named-graph-uri": konsep},
        {"query": count, "named-graph-uri": konsep},
        {"query": "SELEC * WHERE { ?s ?p ?o }"},
        {"query": "SELECT * WHERE { ?s ex:p ?o }"},
    ]
    answers = []
    for settings in (built, remote):
        with TestClient(create_app(settings)) as client:
            got = []
            for params in requests:
                r = client.get("/sparql", params=params,
                               headers={"accept": "application/sparql-results+json"})
                got.append((r.status_code, r.json() if r.status_code == 200 else None))
            answers.append(got)
    assert answers[0] == answers[1]
    assert [status for status, _ in answers[1]] == [200, 200, 200, 200, 400, 400]


# --- 5. incremental publish -------------------------------------------------------------
@slow
def test_incremental_publish_sends_only_what_changed(server, tmp_path):
    data = tmp_path / "sources"
    shutil.copytree(SOURCES, data)
    local = Settings(data_dir=data, store_dir=tmp_path / "store")  # builds without publishing
    settings = on(server, local)
    _wipe(settings)
    build(local, full=True)
    first = current_path(settings.store_dir).resolve()
    publish(settings, first)
    edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
    build(local)
    second = current_path(settings.store_dir).resolve()
    assert second != first
    state = State.open(second)
    source_graph = state.sources()[BANGKA]["graph"]
    state.close()
    report = publish(settings, second)
    assert not report.full and not report.up_to_date
    assert source_graph in report.put
    assert set(report.put) <= {source_graph, f"{settings.base_iri}graph/konsep"}
    assert report.deleted == [] and report.default == "diff"
    assert report.removed_triples >= 1 and report.added_triples >= 1
    with remote_store(settings) as store:
        after_incremental = contents(store)
        assert after_incremental == contents(open_store(settings.store_dir))
        # the same as a fresh full publish of the same build
        store.clear()
        report = publish(settings, second, force=True)
        assert report.full and report.default == "merged"
        assert contents(store) == after_incremental
    _wipe(settings)


# --- 6. every build publishes ---------------------------------------------------------------
def _complete(build_dir: Path) -> None:
    """A build folder with everything a build writes (nothing left half-made)."""
    assert (build_dir / "graph").is_dir() and (build_dir / "search.sqlite").is_file()
    state = State.open(build_dir)
    assert state is not None
    shas = {entry["sha256"] for entry in state.sources().values()}
    state.close()
    assert len(shas) == len(list(SOURCES.glob("*.txt")))
    assert all(text_path(build_dir.parent.parent, sha).is_file() for sha in shas)
    assert not list(build_dir.parent.glob(".staging-*"))


@slow
def test_every_build_publishes_even_when_nothing_changed(server, tmp_path):
    data = tmp_path / "sources"
    shutil.copytree(SOURCES, data)
    local = Settings(data_dir=data, store_dir=tmp_path / "store")
    settings = on(server, local)
    _wipe(settings)
    assert build(local, full=True).published is None  # no remote store: nothing published
    with remote_store(settings) as store:
        assert list(store.named_graphs()) == []
        # the local build is there and nothing changed: the empty server gets it all
        summary = build(settings)
        current = current_path(settings.store_dir).resolve()
        assert summary.published.full and summary.published.default == "merged"
        assert contents(store) == contents(open_store(settings.store_dir))
        assert read_record(current)["build"] == current.name
        # once more: the server holds this build, nothing is sent
        messages = []
        summary = build(settings, messages.append)
        assert summary.published.up_to_date
        assert f"published: {settings.store_url} already holds this build" in messages
        # a server emptied behind kinerja's back is filled again by the next build
        store.clear()
        summary = build(settings)
        assert summary.published.full
        assert contents(store) == contents(open_store(settings.store_dir))
        # a changed source: a new build, and only what changed is sent
        edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
        summary = build(settings)
        second = current_path(settings.store_dir).resolve()
        assert second != current
        assert not summary.published.full and summary.published.default == "diff"
        assert contents(store) == contents(open_store(settings.store_dir))
        assert read_record(second)["build"] == second.name
        assert summary.counts == build(local).counts
    _wipe(settings)


@slow
def test_a_build_whose_publish_is_refused_stays_current_and_complete(server, tmp_path):
    data = tmp_path / "sources"
    shutil.copytree(SOURCES, data)
    settings = on(server, Settings(data_dir=data, store_dir=tmp_path / "store"))
    _wipe(settings)
    build(settings, full=True)
    first = current_path(settings.store_dir).resolve()
    assert read_record(first) is not None
    edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
    # Oxigraph server: a GSP URL that refuses PUT; Virtuoso: a wrong password
    if server.name == "oxigraph":
        refused = on(server, settings, store_graph_store_url=server.query_url)
        reason = r"\(PUT graph <https://w3id\.org/kinerja/graph/[^>]+>\): HTTP [45]\d\d "
    else:
        refused = on(server, settings, store_password="wrong")
        reason = r"\(connecting\): the credentials of user 'dba' were refused"
    with pytest.raises(PublishFailed) as info:
        build(refused)
    message = str(info.value)
    assert isinstance(info.value, KinerjaError)
    assert message.startswith(f"publishing to {server.query_url} failed (")
    assert re.search(reason, message), message
    assert message.endswith("the local build stays current, and the next 'kinerja build' "
                            "publishes again")
    # the new build is current and whole, only not recorded as published
    second = current_path(settings.store_dir).resolve()
    assert second != first
    _complete(second)
    assert read_record(second) is None and read_record(first) is not None
    targets = "SELECT ?t WHERE { ?t <https://w3id.org/kinerja/def#targetText> \"98%\" }"
    assert list(open_store(settings.store_dir).query(targets))
    # the next build, with nothing changed, publishes what the failed one did not
    summary = build(settings)
    assert summary.published.put and not summary.published.up_to_date
    assert read_record(second)["build"] == second.name
    with remote_store(settings) as store:
        assert contents(store) == contents(open_store(settings.store_dir))
    _wipe(settings)


@slow
def test_kinerja_build_says_when_the_store_cannot_be_reached(tmp_path, capsys):
    data = tmp_path / "sources"
    shutil.copytree(SOURCES, data)
    folder = tmp_path / "oxigraph"
    running = _start("oxigraph", folder)
    port = int(running.query_url.rsplit(":", 1)[1].split("/")[0])
    arguments = ["build", "--data-dir", str(data), "--store-dir", str(tmp_path / "store"),
                 "--store-url", running.query_url, "--store-dialect", "oxigraph"]
    store_dir = tmp_path / "store"
    try:
        assert main(arguments) == 0
        assert f"published to {running.query_url} in " in capsys.readouterr().err
        first = current_path(store_dir).resolve()
        edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
        running.stop()
        assert main(arguments) == 2
        err = capsys.readouterr().err
        assert (f"kinerja: error: publishing to {running.query_url} failed (reading graph "
                "sizes): cannot connect: Connection refused; the local build stays current, "
                "and the next 'kinerja build' publishes again") in err
        second = current_path(store_dir).resolve()
        assert second != first
        _complete(second)
        assert read_record(second) is None and read_record(first) is not None
        # the server comes back with the first build: the next build catches up
        running = servers.start_oxigraph(folder, timeout_s=SERVER_LIMIT, port=port)
        assert main(arguments) == 0
        assert "no source added, changed or removed" in capsys.readouterr().err
        assert read_record(second)["build"] == second.name
        settings = Settings(data_dir=data, store_dir=store_dir, store_url=running.query_url,
                            store_dialect="oxigraph")
        with remote_store(settings) as store:
            assert contents(store) == contents(open_store(store_dir))
    finally:
        running.stop()


@slow
def test_a_refused_write_names_the_graph_and_the_servers_answer(server, built):
    build_dir = current_path(built.store_dir).resolve()
    # an endpoint that refuses a PUT (Virtuoso never answers one to its query endpoint)
    nowhere = server.query_url if server.name == "oxigraph" else server.graph_store_url + "-x"
    wrong = on(server, built, store_graph_store_url=nowhere)
    with pytest.raises(PublishFailed) as info:
        publish(wrong, build_dir, force=True)
    message = str(info.value)
    assert message.startswith(f"publishing to {server.query_url} failed (PUT graph "
                              f"<{built.base_iri}graph/")
    assert re.search(r"\): HTTP [45]\d\d ", message), message
    assert read_record(build_dir) is None
    if server.auth is not None:
        refused = on(server, built, store_password="wrong")
        with pytest.raises(PublishFailed, match="credentials of user 'dba' were refused"):
            publish(refused, build_dir, force=True)


@slow
def test_an_interrupted_publish_says_so_and_the_next_one_sends_everything(
    server, built, monkeypatch
):
    """Ctrl-C while graphs are being sent: the message says the store may hold part of the
    build, no record claims otherwise, and the next publish fills the store."""
    build_dir = current_path(built.store_dir).resolve()
    settings = on(server, built)
    _wipe(settings)
    sent: list[str] = []
    put_graph = RemoteStore.put_graph

    def put_one_then_interrupt(self, graph, data):
        if sent:
            raise KeyboardInterrupt  # as Python raises it on SIGINT
        sent.append(graph)
        return put_graph(self, graph, data)

    monkeypatch.setattr(RemoteStore, "put_graph", put_one_then_interrupt)
    with pytest.raises(PublishInterrupted) as info:
        publish(settings, build_dir)
    assert isinstance(info.value, KeyboardInterrupt)
    assert str(info.value).startswith(f"interrupted while publishing to {server.query_url}: ")
    assert read_record(build_dir) is None
    with remote_store(settings) as store:
        assert [g.value for g in store.named_graphs()] == sent
    monkeypatch.undo()
    report = publish(settings, build_dir)
    assert report.full and read_record(build_dir) is not None
    with remote_store(settings) as store:
        assert contents(store) == contents(open_store(built.store_dir))
    _wipe(settings)


# --- settings (no server) ------------------------------------------------------------------
def test_the_embedded_store_is_the_default():
    settings = Settings()
    assert not settings.remote and remote_store(settings) is None


def test_remote_settings_from_the_environment():
    env = {
        "KINERJA_STORE_URL": "https://store.example.go.id/sparql",
        "KINERJA_STORE_UPDATE_URL": "https://store.example.go.id/update",
        "KINERJA_STORE_GRAPH_STORE_URL": "https://store.example.go.id/data",
        "KINERJA_STORE_USER": "kinerja",
        "KINERJA_STORE_PASSWORD": "rahasia",
        "KINERJA_STORE_DIALECT": "fuseki",
    }
    settings = Settings.from_env(env)
    assert settings.remote
    assert settings.store_urls() == (
        "https://store.example.go.id/sparql",
        "https://store.example.go.id/update",
        "https://store.example.go.id/data",
    )
    assert "rahasia" not in repr(settings) and "rahasia" not in str(settings)
    store = remote_store(settings)
    assert isinstance(store, RemoteStore) and store.dialect.name == "fuseki"
    assert store.merged_graph == "https://w3id.org/kinerja/graph/gabungan"


@pytest.mark.parametrize(
    ("url", "dialect", "update", "graph_store"),
    [
        ("http://127.0.0.1:7878/query", "oxigraph", "http://127.0.0.1:7878/update",
         "http://127.0.0.1:7878/store"),
        ("http://h:8890/sparql", "virtuoso", "http://h:8890/sparql",
         "http://h:8890/sparql-graph-crud"),
        ("http://h:8890/sparql-auth", "virtuoso", "http://h:8890/sparql-auth",
         "http://h:8890/sparql-graph-crud-auth"),
        ("http://h/db/query", "fuseki", None, None),
        ("http://h/sparql", "oxigraph", None, None),
        ("http://h/query", "", None, None),
    ],
)
def test_update_and_graph_store_urls_derived_for_known_layouts(url, dialect, update,
                                                               graph_store):
    assert derive_store_urls(url, dialect) == (update, graph_store)
    if update:
        assert Settings(store_url=url, store_dialect=dialect).store_urls() == (
            url, update, graph_store)
    else:
        with pytest.raises(ValueError, match="KINERJA_STORE_UPDATE_URL is needed"):
            Settings(store_url=url, store_dialect=dialect)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"KINERJA_STORE_URL": "ftp://h/sparql"}, "KINERJA_STORE_URL must be an http(s) URL"),
        ({"KINERJA_STORE_URL": "localhost:7878/query"}, "KINERJA_STORE_URL must be an http"),
        ({"KINERJA_STORE_URL": "http://h:port/query"}, "KINERJA_STORE_URL must be an http"),
        ({"KINERJA_STORE_URL": "http://h/q", "KINERJA_STORE_UPDATE_URL": "/update"},
         "KINERJA_STORE_UPDATE_URL must be an http"),
        ({"KINERJA_STORE_URL": "http://h/q", "KINERJA_STORE_UPDATE_URL": "http://h/u"},
         "KINERJA_STORE_GRAPH_STORE_URL is needed"),
        ({"KINERJA_STORE_UPDATE_URL": "http://h/u"}, "without KINERJA_STORE_URL"),
        ({"KINERJA_STORE_PASSWORD": "x"}, "KINERJA_STORE_PASSWORD given without "
                                          "KINERJA_STORE_URL"),
        ({"KINERJA_STORE_URL": "http://h:7878/query", "KINERJA_STORE_DIALECT": "oxigraph",
          "KINERJA_STORE_PASSWORD": "x"}, "KINERJA_STORE_PASSWORD given without "
                                          "KINERJA_STORE_USER"),
        ({"KINERJA_STORE_URL": "http://h/sparql", "KINERJA_STORE_DIALECT": "virtuos"},
         "KINERJA_STORE_DIALECT must be one of generic, oxigraph, virtuoso"),
    ],
)
def test_bad_remote_settings_are_refused_with_a_clear_message(values, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Settings.from_env(values)


def test_every_dialect_is_accepted():
    for name in DIALECTS:
        Settings(store_url="http://h/q", store_update_url="http://h/u",
                 store_graph_store_url="http://h/g", store_dialect=name)


def test_a_flag_sets_a_remote_setting_too():
    settings = Settings.from_env({}, store_url="http://h:7878/query", store_dialect="oxigraph")
    assert settings.store_urls()[2] == "http://h:7878/store"


# --- rewriting queries for a remote store (no server) ------------------------------------
def test_bindings_become_values_at_the_start_of_the_where_clause():
    bindings = (("kantor", "iri", "https://w3id.org/kinerja/id/o"),
                ("tahun", "http://www.w3.org/2001/XMLSchema#gYear", "2024"),
                ("kata", "http://www.w3.org/2001/XMLSchema#string", 'a "b"'))
    query = ("PREFIX kin: <https://w3id.org/kinerja/def#> # { not here\n"
             "SELECT (EXISTS { ?x ?y ?z } AS ?e) ?kantor WHERE { ?t kin:office ?kantor }")
    assert with_values(query, bindings).endswith(
        'WHERE { VALUES (?kantor ?tahun ?kata) { (<https://w3id.org/kinerja/id/o> '
        '"2024"^^<http://www.w3.org/2001/XMLSchema#gYear> "a \\"b\\"") }  ?t kin:office '
        "?kantor }")
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert with_values(construct, bindings[:1]) == (
        "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?kantor) { (<https://w3id.org/kinerja/id/o>)"
        " }  ?s ?p ?o }")


SUB_QUERIES = """PREFIX ex: <http://example.org/>
SELECT ?kata ?x ?n WHERE {
  { SELECT ?kata ?x WHERE { ?x ex:label ?l FILTER(CONTAINS(?l, ?kata)) } }
  { SELECT ?x (COUNT(?kata) AS ?n) WHERE { ?x ex:label ?kata } GROUP BY ?x }
  { SELECT * WHERE { ?x ex:label ?l2 { SELECT ?x WHERE { ?x ex:label ?kata } } } }
}
ORDER BY ?x"""


def test_bindings_reach_the_sub_queries_that_project_them():
    bindings = (("kata", "http://www.w3.org/2001/XMLSchema#string", "ab"),)
    rewritten = with_values(SUB_QUERIES, bindings)
    block = 'VALUES (?kata) { ("ab") }'
    assert rewritten.count(block) == 2
    assert rewritten.startswith(
        'PREFIX ex: <http://example.org/>\nSELECT ?kata ?x ?n WHERE { ' + block + ' \n'
        '  { SELECT ?kata ?x WHERE { ' + block + '  ?x ex:label ?l FILTER')
    # counted, not projected; and a sub-query inside one that does not project it
    assert "GROUP BY ?x }\n  { SELECT * WHERE { ?x ex:label ?l2 { SELECT ?x WHERE { ?x" in (
        rewritten)


# Queries binding ?kata, each with the ?x it answers over three labels (a "xaby", b "ab",
# c "zz") when ?kata is "ab"; with_values's VALUES blocks must give what the embedded
# engine's substitution gives.
BOUND_QUERIES = [
    (SUB_QUERIES, "ab"),  # filtered inside a sub-query that projects the word
    # inside a sub-query whose group is only a sub-query, at two levels
    ("SELECT ?kata ?x WHERE { SELECT ?kata ?x WHERE { { SELECT ?kata ?x WHERE { SELECT ?kata"
     " ?x WHERE { ?x ex:label ?l FILTER(CONTAINS(?l, ?kata)) } } } } } ORDER BY ?x", "ab"),
    # the sub-query makes the word itself, by AS or by BIND
    ("SELECT ?kata ?x WHERE { { SELECT ?x (STR(?l) AS ?kata) WHERE { ?x ex:label ?l } } }",
     "b"),
    ("SELECT ?kata ?x WHERE { { SELECT ?x ?kata WHERE { ?x ex:label ?l BIND(?l AS ?kata) } } }",
     "b"),
    # SELECT * does not project what only its filter, MINUS or NOT EXISTS mentions
    ("SELECT ?kata ?x WHERE { { SELECT * WHERE { ?x ex:label ?l FILTER(CONTAINS(?l, ?kata)) }"
     " } }", ""),
    ("SELECT ?kata ?x WHERE { { SELECT * WHERE { ?x ex:label ?l MINUS { ?x ex:label ?kata } }"
     " } }", ""),
    ("SELECT ?kata ?x WHERE { { SELECT * WHERE { ?x ex:label ?l "
     "FILTER NOT EXISTS { ?x ex:label ?kata } } } }", ""),
    # inside FILTER EXISTS, and in an OPTIONAL
    ("SELECT ?kata ?x WHERE { ?x ex:label ?m FILTER EXISTS { { SELECT ?kata ?x WHERE "
     "{ ?x ex:label ?l FILTER(CONTAINS(?l, ?kata)) } } } } ORDER BY ?x", "ab"),
    ("SELECT ?kata ?x ?y WHERE { ?x ex:label ?m OPTIONAL { { SELECT ?kata ?y WHERE "
     "{ ?y ex:label ?l FILTER(?l = ?kata) } } } } ORDER BY ?x", "abc"),
]


@pytest.mark.parametrize(("query", "answer"), BOUND_QUERIES)
def test_bindings_as_values_answer_as_the_embedded_substitution_does(query, answer):
    ex = "http://example.org/"
    store = ox.Store()
    for node, label in (("a", "xaby"), ("b", "ab"), ("c", "zz")):
        store.add(ox.Quad(ox.NamedNode(ex + node), ox.NamedNode(ex + "label"),
                          ox.Literal(label)))
    if not query.startswith("PREFIX"):
        query = f"PREFIX ex: <{ex}>\n{query}"
    substituted = [[str(t) for t in row] for row in store.query(
        query, substitutions={ox.Variable("kata"): ox.Literal("ab")})]
    assert "".join(sorted({row[1].removeprefix(f"<{ex}").rstrip(">")
                           for row in substituted})) == answer
    bindings = (("kata", "http://www.w3.org/2001/XMLSchema#string", "ab"),)
    valued = [[str(t) for t in row] for row in store.query(with_values(query, bindings))]
    assert valued == substituted


def test_unknown_functions_become_expression_errors():
    query = ("PREFIX ex: <http://example.org/> SELECT (ex:f(1, STR(?x)) AS ?y) WHERE "
             "{ ?s ex:f (1 2) FILTER(<http://example.org/f>(\"ex:f(\")) }")
    assert without_functions(query, ["http://example.org/f"]) == (
        "PREFIX ex: <http://example.org/> SELECT ((?kinerja_no_value + COALESCE(1, "
        "STR(?x))) AS ?y) WHERE { ?s ex:f (1 2) FILTER((?kinerja_no_value + "
        "COALESCE(\"ex:f(\"))) }")


@pytest.mark.parametrize(
    ("query", "dataset"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", (False, False)),
        ("SELECT * FROM <g> WHERE { ?s ?p ?o }", (True, False)),
        ("select * from named <g> { ?s ?p ?o }", (False, True)),
        ("SELECT * FROM <a> FROM NAMED <b> { }", (True, True)),
        ('SELECT * { ?s ?p "FROM <a>" } # FROM <b>', (False, False)),
        ("SELECT ?from ex:FROM from:x { ?from ?p <FROM> }", (False, False)),
    ],
)
def test_a_querys_own_dataset_is_noticed(query, dataset):
    assert query_dataset(query) == dataset
