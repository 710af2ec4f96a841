"""RemoteStore against real servers: Oxigraph server and a private Virtuoso.

Each server starts once for this module (tests/servers.py) and every test starts from an
empty store. What a server returns is compared with an embedded pyoxigraph store holding
the same data. Servers that are not installed make these tests skip locally and fail
when the CI environment variable is set.
"""

from __future__ import annotations

import io
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

import kinerja.store
from kinerja.build import summarize
from kinerja.catalogue.reader import Reader
from kinerja.errors import KinerjaError, QueryTimeout
from kinerja.ingest.pipeline import ingest
from kinerja.namespaces import PREFIXES
from kinerja.remote import RemoteError, RemoteStore, RemoteTimeout
from kinerja.settings import Settings
from kinerja.store import EXPORT_FORMATS, export, export_to
from tests import servers
from tests.conftest import SOURCES, unavailable

pytestmark = pytest.mark.slow

SERVER_LIMIT = 3  # seconds: each server's own query time limit
ROW_LIMIT = 20_000  # Virtuoso's ResultSetMaxRows here
STARTERS = {
    "oxigraph": lambda folder: servers.start_oxigraph(folder, timeout_s=SERVER_LIMIT),
    "virtuoso": lambda folder: servers.start_virtuoso(
        folder, max_rows=ROW_LIMIT, max_seconds=SERVER_LIMIT
    ),
}
EX = "http://example.org/"
G1 = ox.NamedNode(f"{EX}graph/1")
G2 = ox.NamedNode(f"{EX}graph/2")
XSD = "http://www.w3.org/2001/XMLSchema#"
# Every kind of term kinerja writes, in lexical forms that every store here keeps as they
# are (all of them lowercase language tags).
TRICKY = f"""\
<{EX}s> <{EX}label> "Persentase capaian ≥ 100 %"@id .
<{EX}s> <{EX}label> "Percentage of achievement"@en .
<{EX}s> <{EX}label> "Realisasi — Kementerian Keuangan"@en-US .
<{EX}s> <{EX}note> "kutip \\"ganda\\", baris\\nbaru, tab\\t, garis \\\\ miring" .
<{EX}s> <{EX}note> "🇮🇩 Rp 1.000.000,00 · ½ · ≤ ≥ ≠" .
<{EX}s> <{EX}note> "" .
<{EX}s> <{EX}note> "tipe string"^^<{XSD}string> .
<{EX}s> <{EX}target> "97.5"^^<{XSD}decimal> .
<{EX}s> <{EX}target> "100"^^<{XSD}decimal> .
<{EX}s> <{EX}line> "42"^^<{XSD}integer> .
<{EX}s> <{EX}line> "-7"^^<{XSD}integer> .
<{EX}s> <{EX}year> "2024"^^<{XSD}gYear> .
<{EX}s> <{EX}issued> "2024-01-31"^^<{XSD}date> .
<{EX}s> <{EX}stamp> "2024-01-31T10:00:00+07:00"^^<{XSD}dateTime> .
<{EX}s> <{EX}valid> "true"^^<{XSD}boolean> .
<{EX}s> <{EX}unit> "persen"^^<{EX}Unit> .
<{EX}s> <{EX}seeAlso> <{EX}dokumen/Perpres%2018/2020?bagian=2#lampiran> .
<{EX}kementerian/é> <{EX}label> "Kementerian Pendidikan"@id .
<{EX}s> <{EX}part> _:b1 .
_:b1 <{EX}label> "bagian tanpa nama"@id .
_:b1 <{EX}next> _:b2 .
_:b2 <{EX}label> "bagian kedua"@id .
""".encode()
SIMPLE = b"".join(line + b"\n" for line in TRICKY.splitlines() if b"_:" not in line)
NT = ox.RdfFormat.N_TRIPLES
# A query that cannot finish: 3,000 triples cubed.
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } "
    "FILTER(?x + ?y + ?z = -1) }"
)


@pytest.fixture(scope="module", params=sorted(STARTERS))
def server(request, tmp_path_factory):
    try:
        running = STARTERS[request.param](tmp_path_factory.mktemp(request.param))
    except servers.ServerMissing as e:
        unavailable(str(e))
    with running:
        yield running


@pytest.fixture
def store(server):
    with server.store(timeout=30) as remote:
        remote.clear()
        yield remote


@pytest.fixture(scope="module")
def seed() -> list[tuple[str, bytes]]:
    """The named graphs of the seed build: (IRI, N-Triples)."""
    s = Settings()
    ingested = ingest(SOURCES, s.ontology_dir, s.base_iri)
    return [
        (str(g.identifier), g.serialize(format="nt", encoding="utf-8")) for g in ingested.graphs
    ]


def embedded(graphs: list[tuple[ox.NamedNode, bytes]], merge: bool = False) -> ox.Store:
    store = ox.Store()
    for graph, data in graphs:
        store.load(data, ox.RdfFormat.N_TRIPLES, to_graph=graph)
    if merge:  # the default graph as kinerja keeps it: the RDF merge of the named graphs
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def load_seed(remote: RemoteStore, seed) -> ox.Store:
    """The seed graphs on the server (and its merged default graph where it has one of its
    own), and the same in an embedded store as kinerja builds it."""
    for graph, data in seed:
        remote.put_graph(graph, data)
    if not remote.default_graph_is_union:
        remote.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return embedded([(ox.NamedNode(g), d) for g, d in seed], merge=True)


def normalized(quads) -> set[ox.Quad]:
    """Quads as an embedded store keeps them: it canonicalizes the lexical forms of
    literals, and makes every integer type xsd:integer."""
    store = ox.Store()
    store.extend(quads)
    return set(store)


def canonical(quads) -> set[ox.Quad]:
    """Quads with blank nodes relabelled canonically, to compare graphs with blank nodes."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def rows(result: ox.QuerySolutions) -> list[tuple]:
    names = [v.value for v in result.variables]
    return [tuple(solution[n] for n in names) for solution in result]


def unordered(result: ox.QuerySolutions) -> list[str]:
    return sorted(repr(row) for row in rows(result))


def numbered(count: int) -> bytes:
    return "".join(
        f'<{EX}n/{i}> <{EX}value> "{i}"^^<{XSD}integer> .\n' for i in range(count)
    ).encode()


# --- round trips -------------------------------------------------------------------------
def test_the_dialect_is_detected(server, store):
    assert store.dialect.name == server.name
    assert store.default_graph_is_union == (server.name == "virtuoso")


def test_the_dialect_says_whether_the_server_takes_lateral(store):
    store.put_graph(G1.value, numbered(3))
    query = (f"SELECT ?s ?v WHERE {{ GRAPH ?g {{ ?s <{EX}value> ?o }} "
             f"LATERAL {{ OPTIONAL {{ GRAPH ?g {{ ?s <{EX}value> ?v }} }} }} }}")
    if store.dialect.lateral:
        assert len(rows(store.query(query))) == 3
    else:
        with pytest.raises(RemoteError, match="LATERAL") as caught:
            store.query(query)
        assert caught.value.status == 400


def test_tricky_terms_round_trip_exactly(store):
    store.put_graph(G1.value, TRICKY)
    local = embedded([(G1, TRICKY)])
    expected = canonical(local.quads_for_pattern(None, None, None, G1))
    assert canonical(store.quads_for_pattern(None, None, None, G1)) == expected
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=G1)
    parsed = ox.parse(dumped, format=ox.RdfFormat.N_TRIPLES)
    assert canonical(ox.Quad(*q.triple, G1) for q in parsed) == expected
    texts = {q.object.value for q in store.quads_for_pattern(None, None, None, G1)
             if isinstance(q.object, ox.Literal)}
    assert {"Persentase capaian ≥ 100 %", "🇮🇩 Rp 1.000.000,00 · ½ · ≤ ≥ ≠", ""} <= texts
    labels = {q.object for q in store.quads_for_pattern(None, ox.NamedNode(f"{EX}label"), None, G1)}
    assert ox.Literal("Realisasi — Kementerian Keuangan", language="en-us") in labels


def test_each_literal_can_be_looked_up(store):
    store.put_graph(G1.value, TRICKY)
    local = embedded([(G1, TRICKY)])
    for quad in local.quads_for_pattern(None, None, None, G1):
        if isinstance(quad.object, ox.Literal):
            found = list(store.quads_for_pattern(None, quad.predicate, quad.object, G1))
            assert [q.object for q in found] == [quad.object], quad


def test_lexical_forms_each_server_changes(server, store):
    """Pins what each server does to lexical forms that are not canonical. The embedded
    store canonicalizes numbers, dates and language tags and makes every integer type
    xsd:integer; Oxigraph server does the same; Virtuoso differs as listed."""
    data = {
        "integer": ("007", "integer"),
        "decimal": ("1.50", "decimal"),
        "double": ("1.0E2", "double"),
        "fraction": ("2024-01-31T10:00:00.500+07:00", "dateTime"),
        "byteSize": ("5", "nonNegativeInteger"),
        "duration": ("P1Y2M", "duration"),
    }
    text = "".join(f'<{EX}s> <{EX}{k}> "{v}"^^<{XSD}{t}> .\n' for k, (v, t) in data.items())
    store.put_graph(G1.value, text.encode())
    local = embedded([(G1, text.encode())])

    def objects(source) -> dict[str, ox.Literal]:
        quads = source.quads_for_pattern(None, None, None, G1)
        return {q.predicate.value.removeprefix(EX): q.object for q in quads}

    expected = objects(local)
    assert expected["integer"] == ox.Literal("7", datatype=ox.NamedNode(f"{XSD}integer"))
    assert expected["byteSize"] == ox.Literal("5", datatype=ox.NamedNode(f"{XSD}integer"))
    got = objects(store)
    if server.name == "oxigraph":
        assert got == expected
        return
    differences = {
        k: (v.value, v.datatype.value.removeprefix(XSD))
        for k, v in got.items()
        if v != expected[k]
    }
    assert differences == {
        "double": ("100.0", "double"),
        "fraction": ("2024-01-31T10:00:00.500+07:00", "dateTime"),
        "byteSize": ("5", "nonNegativeInteger"),
        "duration": ("14", "duration"),  # months: Virtuoso loses the lexical form
    }


def test_blank_nodes_read_back_can_be_looked_up(store):
    store.put_graph(G1.value, TRICKY)
    part = ox.NamedNode(f"{EX}part")
    (link,) = store.quads_for_pattern(None, part, None, G1)
    node = link.object
    assert isinstance(node, ox.BlankNode)
    about = list(store.quads_for_pattern(node, None, None, G1))
    assert {q.predicate.value for q in about} == {f"{EX}label", f"{EX}next"}
    (following,) = (q.object for q in about if q.predicate.value == f"{EX}next")
    assert list(store.quads_for_pattern(None, None, following, G1))[0].subject == node
    solutions = store.query(f"SELECT ?b WHERE {{ GRAPH ?g {{ <{EX}s> <{EX}part> ?b }} }}")
    assert [row[0] for row in rows(solutions)] == [node]


def test_seed_build_reads_the_same_as_the_embedded_store(store, seed):
    local = load_seed(store, seed)
    assert sorted(g.value for g in store.named_graphs()) == sorted(g for g, _ in seed)
    for graph in [ox.NamedNode(g) for g, _ in seed] + [ox.DefaultGraph()]:
        assert normalized(store.quads_for_pattern(None, None, None, graph)) == set(
            local.quads_for_pattern(None, None, None, graph)
        )
    assert len(store) == len(local)
    assert normalized(store) == set(local)
    # The embedded store changes xsd:nonNegativeInteger (dcat:byteSize) into xsd:integer;
    # Virtuoso keeps it; nothing else differs.
    changed = {q.object.datatype.value for q in set(store) - set(local)}
    assert changed == ({f"{XSD}nonNegativeInteger"} if store.dialect.name == "virtuoso" else set())
    assert summarize(store).counts == summarize(local).counts
    nquads = ox.RdfFormat.N_QUADS
    assert normalized(ox.parse(export(store, "nquads"), format=nquads)) == set(
        ox.parse(export(local, "nquads"), format=nquads)
    )
    if not changed:
        assert export(store, "nquads") == export(local, "nquads")
    for fmt in ("ntriples", "turtle"):
        for graph in (None, seed[-1][0]):
            mine = ox.parse(export(store, fmt, graph), format=ox.RdfFormat.TURTLE)
            theirs = ox.parse(export(local, fmt, graph), format=ox.RdfFormat.TURTLE)
            assert normalized(mine) == set(theirs)


def test_the_merge_is_exported_graph_by_graph(store, seed, tmp_path, monkeypatch):
    """A whole-dataset export without graph names asks the server for one named graph at a
    time, never for the whole merge at once, and writes what an embedded store on disk
    writes; the temporary store it merges them in is made in ``work_dir`` and removed."""
    local = load_seed(store, seed)
    on_disk = ox.Store(str(tmp_path / "store"))
    on_disk.extend(local)
    asked, read = [], store.graph_triples

    def recorded(graph):
        asked.append(graph)
        return read(graph)

    monkeypatch.setattr(store, "graph_triples", recorded)
    monkeypatch.setattr(store, "dump", None)  # never asked for a whole graph in one piece
    made = []

    class Recorded(kinerja.store.ScratchFolder):
        def __enter__(self):
            made.append(self.path)
            assert made[-1].is_dir()
            return super().__enter__()

    monkeypatch.setattr(kinerja.store, "ScratchFolder", Recorded)
    work = tmp_path / "work"
    work.mkdir()
    for fmt in ("turtle", "rdfxml"):
        asked.clear()
        mine = export_to_bytes(store, fmt, work)
        assert sorted(g.value for g in asked) == sorted(g for g, _ in seed)
        assert made[-1].parent == work
        assert list(work.iterdir()) == []
        if store.dialect.name == "virtuoso":  # it keeps xsd:nonNegativeInteger (see above)
            parsed = ox.parse(mine, format=EXPORT_FORMATS[fmt][0])
            assert normalized(parsed) == set(local.quads_for_pattern(None, None, None,
                                                                    ox.DefaultGraph()))
        else:
            assert mine == export(on_disk, fmt)


def export_to_bytes(store, fmt: str, work_dir) -> bytes:
    buffer = io.BytesIO()
    export_to(store, fmt, buffer, work_dir=work_dir)
    return buffer.getvalue()


def test_catalogue_reader_reads_the_same(store, seed):
    local = load_seed(store, seed)
    base = Settings().base_iri
    found = local.query("SELECT DISTINCT ?i WHERE { ?i a kin:Indicator }", prefixes=PREFIXES)
    indicators = [row[0].value for row in rows(found)][:50]
    assert indicators
    mine, theirs = Reader(store, base), Reader(local, base)
    assert mine.labels(indicators) == theirs.labels(indicators)
    for resource in indicators[:5]:
        assert mine.exists(resource) and mine.types(resource) == theirs.types(resource)
    assert not mine.exists(f"{base}id/no-such-thing")


QUERIES = [
    # (query, ordered); a query sees Virtuoso's own graphs too, so GRAPH ?g is filtered
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
     'FILTER(STRSTARTS(STR(?g), "https://w3id.org/kinerja/")) } GROUP BY ?g ORDER BY ?g', True),
    ("SELECT DISTINCT ?i ?label WHERE { ?i a kin:Indicator ; rdfs:label ?label "
     'FILTER(lang(?label) = "id") } ORDER BY ?i ?label LIMIT 40', True),
    ("SELECT DISTINCT ?t ?v WHERE { GRAPH ?g { ?t kin:targetValue ?v } "
     "FILTER(?v >= 100) }", False),
    ('SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(?l), "persentase")) }',
     False),
    ("SELECT DISTINCT ?s ?o WHERE { ?s a kin:Indicator . OPTIONAL { ?s kin:unit ?o } }", False),
]


@pytest.mark.parametrize(("query", "ordered"), QUERIES)
def test_select_answers_equal_the_embedded_store(store, seed, query, ordered):
    local = load_seed(store, seed)
    mine = store.query(query, prefixes=PREFIXES)
    theirs = local.query(query, prefixes=PREFIXES)
    assert isinstance(mine, ox.QuerySolutions)
    assert [v.value for v in mine.variables] == [v.value for v in theirs.variables]
    if ordered:
        assert rows(mine) == rows(theirs)
    else:
        assert unordered(mine) == unordered(theirs)


def test_ask_and_construct_answers_equal_the_embedded_store(store, seed):
    local = load_seed(store, seed)
    for query in ("ASK { ?i a kin:Indicator }", "ASK { ?i a kin:NoSuchClass }"):
        mine = store.query(query, prefixes=PREFIXES)
        assert isinstance(mine, ox.QueryBoolean)
        assert bool(mine) == bool(local.query(query, prefixes=PREFIXES))
    query = (
        "CONSTRUCT { ?i rdfs:label ?l ; a ?t } "
        "WHERE { GRAPH ?g { ?i a kin:Indicator ; a ?t ; rdfs:label ?l } }"
    )
    mine = store.query(query, prefixes=PREFIXES)
    assert isinstance(mine, ox.QueryTriples)
    assert set(mine) == set(local.query(query, prefixes=PREFIXES))
    (indicator,) = (row[0] for row in rows(local.query(
        "SELECT ?i WHERE { ?i a kin:Indicator } ORDER BY ?i LIMIT 1", prefixes=PREFIXES)))
    described = store.query(f"DESCRIBE <{indicator.value}>")
    assert isinstance(described, ox.QueryTriples)
    expected = set(local.query(f"DESCRIBE <{indicator.value}>"))
    assert len(expected) > 5 and set(described) == expected


def test_base_iri_prefixes_and_dataset_parameters(store):
    store.put_graph(G1.value, TRICKY)
    store.put_graph(G2.value, numbered(3))
    labels = "SELECT ?l WHERE { GRAPH ?g { <s> ex:label ?l } } ORDER BY ?l"
    answer = store.query(labels, base_iri=EX, prefixes={"ex": EX})
    assert len(rows(answer)) == 3
    only_g2 = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=G2)
    assert rows(only_g2) == [(ox.Literal("3", datatype=ox.NamedNode(f"{XSD}integer")),)]
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}value> ?o }}"
    plain = store.query(count)
    # Oxigraph server: the default graph is its own (empty here); Virtuoso: all graphs
    assert rows(plain)[0][0].value == ("3" if store.default_graph_is_union else "0")


def test_virtuoso_default_graph_counts_a_triple_once_per_graph(store):
    """In queries, Virtuoso's default graph is the bag union of its graphs; only the
    pattern methods make it a set."""
    store.put_graph(G1.value, numbered(2))
    store.post_graph(G2.value, numbered(1))
    answer = store.query(f"SELECT ?o WHERE {{ <{EX}n/0> ?p ?o }}")
    first = ox.NamedNode(f"{EX}n/0")
    default = list(store.quads_for_pattern(first, None, None, ox.DefaultGraph()))
    if store.default_graph_is_union:
        assert len(rows(answer)) == 2
        assert len(default) == 1
    else:
        assert rows(answer) == [] and default == []


# --- writing -----------------------------------------------------------------------------
def test_put_replaces_post_adds_delete_removes(store):
    store.put_graph(G1.value, numbered(5))
    store.put_graph(G1.value, numbered(2))
    assert len(list(store.quads_for_pattern(None, None, None, G1))) == 2
    store.post_graph(G1.value, TRICKY)
    store.post_graph(G2.value, numbered(1))
    assert {g.value for g in store.named_graphs()} == {G1.value, G2.value}
    store.delete_graph(G2.value)
    store.delete_graph(G2.value)  # already gone: not an error
    store.delete_graph(f"{EX}never-was")
    assert [g.value for g in store.named_graphs()] == [G1.value]
    assert list(store.quads_for_pattern(None, None, None, G2)) == []


def test_sparql_update(store):
    store.update(f'INSERT DATA {{ GRAPH <{G1.value}> {{ <{EX}a> <{EX}label> "Ā ≥ 1"@id }} }}')
    store.update(f'INSERT DATA {{ GRAPH <{G1.value}> {{ <{EX}b> <{EX}label> "b" }} }}')
    store.update(f"DELETE WHERE {{ GRAPH <{G1.value}> {{ <{EX}b> ?p ?o }} }}")
    quads = list(store.quads_for_pattern(None, None, None, G1))
    assert [q.object for q in quads] == [ox.Literal("Ā ≥ 1", language="id")]
    with pytest.raises(RemoteError) as caught:
        store.update("INSERT DATA { GRAPH <x:g> { <x:a> <x:b> }")
    assert store.update_url in str(caught.value) and caught.value.status in (400, 500)


def test_without_graph_store_protocol_writes_go_through_updates(request, server, store):
    plain = RemoteStore(server.query_url, server.update_url, auth=server.auth)
    request.addfinalizer(plain.close)
    plain.put_graph(G1.value, TRICKY)
    plain.put_graph(G1.value, TRICKY)
    plain.post_graph(G2.value, numbered(2))
    expected = canonical(embedded([(G1, TRICKY)]).quads_for_pattern(None, None, None, G1))
    got = canonical(plain.quads_for_pattern(None, None, None, G1))
    dumped = plain.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=G1)
    assert canonical(ox.Quad(*q.triple, G1) for q in ox.parse(dumped, format=NT)) == got
    if server.name == "virtuoso":
        # Blank nodes need INSERT ... WHERE {} there, and that makes "100"^^xsd:decimal
        # an xsd:integer.
        hundred = ox.Literal("100", datatype=ox.NamedNode(f"{XSD}decimal"))
        assert {q.object for q in expected - got} == {hundred}
        assert {q.object for q in got - expected} == {
            ox.Literal("100", datatype=ox.NamedNode(f"{XSD}integer"))
        }
    else:
        assert got == expected
    plain.put_graph(G2.value, SIMPLE)  # no blank nodes: INSERT DATA, which keeps decimals
    assert set(plain.quads_for_pattern(None, None, None, G2)) == set(
        embedded([(G2, SIMPLE)]).quads_for_pattern(None, None, None, G2)
    )
    plain.delete_graph(G2.value)
    assert [g.value for g in plain.named_graphs()] == [G1.value]


def test_the_server_merges_named_graphs(server, store, monkeypatch):
    """``merge_graphs`` makes a graph the RDF merge of named graphs on the server itself:
    what the target held goes, a triple stated in two graphs is there once, blank nodes
    stay those of their graph, a source the server lacks adds nothing; in one request or in
    batches, with only the graphs' names in the requests."""
    shared = f'<{EX}s> <{EX}note> "" .\n'.encode()
    second = numbered(3) + shared
    expected = canonical(
        ox.Quad(*q.triple, ox.DefaultGraph())
        for q in embedded([(G1, TRICKY), (G2, second)], merge=True).quads_for_pattern(
            None, None, None, ox.DefaultGraph())
    )
    store.put_graph(G1.value, TRICKY)
    store.put_graph(G2.value, second)
    # the default graph where the server has one of its own, else a named graph
    target = None if not store.default_graph_is_union else f"{EX}graph/merge"
    node = ox.DefaultGraph() if target is None else ox.NamedNode(target)
    sent = []
    monkeypatch.setattr(store, "update", lambda text, f=store.update: (sent.append(text), f(text)))
    for batch in (None, 1):
        store.put_graph(target, numbered(7))  # held before: replaced
        sent.clear()
        store.merge_graphs(target, [G1.value, G2.value, f"{EX}graph/missing"], batch=batch)
        got = canonical(ox.Quad(*q.triple, ox.DefaultGraph())
                        for q in store.quads_for_pattern(None, None, None, node))
        assert got == expected
        assert len(got) == len(TRICKY.splitlines()) + 3
        assert len(sent) == (1 if batch is None else 3)
        assert not any("Kementerian" in text or "_:" in text for text in sent)
    blanks = {q.subject for q in store.quads_for_pattern(None, None, None, G1)
              if isinstance(q.subject, ox.BlankNode)}
    assert blanks == {q.subject for q in store.quads_for_pattern(None, None, None, node)
                      if isinstance(q.subject, ox.BlankNode)}
    store.merge_graphs(target, [])  # no graphs: an empty merge
    assert list(store.quads_for_pattern(None, None, None, node)) == []
    with pytest.raises(ValueError, match="positive"):
        store.merge_graphs(target, [G1.value], batch=0)
    with pytest.raises(ValueError):
        store.merge_graphs(target, ["not an IRI>"])
    if store.default_graph_is_union:
        with pytest.raises(RemoteError, match="cannot be written"):
            store.merge_graphs(None, [G1.value])


def test_default_graph(store):
    if store.default_graph_is_union:
        with pytest.raises(RemoteError, match="cannot be written"):
            store.put_graph(None, numbered(2))
        return
    store.put_graph(None, numbered(2))
    assert len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == 2
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert len(dumped.splitlines()) == 2
    store.delete_graph(None)
    assert len(store) == 0


def test_clear_leaves_the_servers_own_graphs(server, store):
    store.put_graph(G1.value, TRICKY)
    store.clear()
    assert len(store) == 0 and list(store.named_graphs()) == []
    if server.name == "virtuoso":
        virtrdf = "http://www.openlinksw.com/schemas/virtrdf#"
        assert store.query(f"ASK {{ GRAPH <{virtrdf}> {{ ?s ?p ?o }} }}")
        assert list(store.quads_for_pattern(None, None, None, ox.NamedNode(virtrdf))) == []


# --- failures ----------------------------------------------------------------------------
def test_a_bad_query_names_the_url_and_the_servers_message(server, store):
    with pytest.raises(RemoteError) as caught:
        store.query("SELECT * WHERE { ?s ?p }")
    error = caught.value
    assert isinstance(error, KinerjaError)
    assert error.status == 400
    message = str(error)
    assert message.startswith(f"{server.query_url}: HTTP 400")
    assert {"oxigraph": "expected", "virtuoso": "SP030"}[server.name] in message


def test_client_side_time_limit(store):
    store.put_graph(G1.value, numbered(3000))
    start = time.monotonic()
    with pytest.raises(RemoteTimeout) as caught:
        store.query(RUNAWAY, timeout=0.5)
    elapsed = time.monotonic() - start
    assert 0.5 <= elapsed < 1.5
    assert isinstance(caught.value, QueryTimeout)
    assert store.query_url in str(caught.value) and "0.5 s" in str(caught.value)
    # the next query gets a fresh connection
    assert bool(store.query("ASK { GRAPH ?g { ?s ?p ?o } }"))


def test_the_servers_own_time_limit(store):
    store.put_graph(G1.value, numbered(3000))
    start = time.monotonic()
    with pytest.raises(RemoteTimeout, match="the server stopped at its time limit"):
        store.query(RUNAWAY, timeout=60)
    assert time.monotonic() - start < 3 * SERVER_LIMIT + 2


def test_a_cut_answer_is_never_returned(server, store):
    store.put_graph(G1.value, numbered(3000))
    values = "VALUES ?k { 1 2 3 4 5 6 7 }"
    query = f"SELECT ?a ?k WHERE {{ GRAPH <{G1.value}> {{ ?a ?p ?x }} {values} }}"
    if server.name == "virtuoso":
        with pytest.raises(RemoteError, match="ResultSetMaxRows"):
            store.query(query)
    else:
        assert len(rows(store.query(query))) == 21_000


def test_a_server_that_is_down(tmp_path):
    url = f"http://127.0.0.1:{servers.free_port()}/query"
    with pytest.raises(RemoteError, match="cannot connect") as caught, RemoteStore(url) as down:
        down.query("ASK {}")
    assert str(caught.value).startswith(url)
    try:
        running = servers.start_oxigraph(tmp_path / "oxigraph")
    except servers.ServerMissing as e:
        unavailable(str(e))
    with running, running.store() as remote:
        assert not remote.query("ASK { ?s ?p ?o }")
        running.stop()
        with pytest.raises(RemoteError, match="cannot connect"):  # its kept-alive connection
            remote.query("ASK { ?s ?p ?o }")


def test_connections_are_kept_alive(store):
    for _ in range(20):
        store.query("ASK { ?s ?p ?o }")
    assert len(store._http._all) == 1


def test_threads_share_a_store(store):
    store.put_graph(G1.value, numbered(100))

    def count(i: int) -> int:
        query = f"SELECT ?n WHERE {{ GRAPH ?g {{ <{EX}n/{i}> ?p ?n }} }}"
        return int(rows(store.query(query))[0][0].value)

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(count, range(100))) == list(range(100))
        assert 1 < len(store._http._all) <= 9  # one kept-alive connection per thread


@pytest.mark.parametrize("server", ["virtuoso"], indirect=True)
def test_virtuoso_credentials_and_anonymous_grants(request, server):
    wrong = RemoteStore(server.query_url, auth=("dba", "wrong"), dialect="virtuoso")
    with pytest.raises(RemoteError, match="credentials of user 'dba' were refused"), wrong:
        wrong.query("ASK {}")
    base = server.extra["base"]
    anonymous = RemoteStore(f"{base}/sparql", f"{base}/sparql", f"{base}/sparql-graph-crud")
    request.addfinalizer(anonymous.close)
    insert = f"INSERT DATA {{ GRAPH <{G2.value}> {{ <{EX}a> <{EX}b> <{EX}c> }} }}"
    with pytest.raises(RemoteError, match="permission|SECURITY"):
        anonymous.update(insert)
    with pytest.raises(RemoteError, match="403"):
        anonymous.put_graph(G2.value, numbered(1))
    servers.grant_anonymous_update(server)
    anonymous.update(insert)
    anonymous.put_graph(G2.value, numbered(1))
    assert len(list(anonymous.quads_for_pattern(None, None, None, G2))) == 1
    anonymous.delete_graph(G2.value)


def test_the_helpers_clean_up_after_themselves():
    try:
        running = servers.start_oxigraph()
    except servers.ServerMissing as e:
        unavailable(str(e))
    folder = Path(running.folder)
    with running:
        assert folder.is_dir()
    assert running.process.poll() is not None and not folder.exists()
