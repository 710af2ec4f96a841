"""Dumps and the VoID/DCAT description that open-data portals harvest."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF, VOID

from kinerja.state import STATE
from kinerja.store import current_path
from server import catalog
from server.app import create_app
from server.catalog import KEPT_DESCRIPTIONS, describe

PARSERS = {"ttl": "turtle", "nq": "nquads", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def client(built_settings):
    with TestClient(create_app(built_settings)) as c:
        yield c


@pytest.fixture(scope="module")
def void(client) -> Graph:
    r = client.get("/.well-known/void")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    return Graph().parse(data=r.text, format="turtle")


def test_void_names_endpoint_dumps_licence_vocabularies(void):
    [dataset] = void.subjects(RDF.type, DCAT.Dataset)
    assert (dataset, RDF.type, VOID.Dataset) in void
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef("http://testserver/sparql")
    dumps = {str(d) for d in void.objects(dataset, VOID.dataDump)}
    assert dumps == {f"http://testserver/data/kinerja.{ext}" for ext in PARSERS}
    assert void.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None
    vocabularies = {str(v) for v in void.objects(dataset, VOID.vocabulary)}
    assert "http://data.europa.eu/eli/ontology#" in vocabularies
    assert "https://w3id.org/kinerja/def#" in vocabularies
    assert void.value(dataset, DCAT.accessService) == URIRef("http://testserver/sparql")


@pytest.mark.parametrize("ext", sorted(PARSERS))
def test_whole_dumps_parse_back_with_every_named_graph(client, void, ext):
    r = client.get(f"/data/kinerja.{ext}")
    assert r.status_code == 200
    if ext == "ttl":
        g = Graph().parse(data=r.content, format="turtle")
        [dataset] = void.subjects(RDF.type, DCAT.Dataset)
        assert len(g) == int(void.value(dataset, VOID.triples))
        return
    ds = Dataset()
    ds.parse(data=r.content, format=PARSERS[ext])
    subsets = {str(s): int(void.value(s, VOID.triples)) for s in
               void.objects(None, VOID.subset)}
    for graph, triples in subsets.items():
        assert len(ds.graph(URIRef(graph))) == triples


def test_one_source_dump(client, void):
    subset = next(void.objects(None, VOID.subset))
    url = str(void.value(subset, VOID.dataDump)).replace("http://testserver", "")
    ds = Dataset()
    ds.parse(data=client.get(url).content, format="nquads")
    assert len(ds.graph(subset)) == int(void.value(subset, VOID.triples))
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {str(subset)}


@pytest.mark.parametrize("url", ["/data/kinerja.xml", "/data/sumber/tidak-ada.nq"])
def test_unknown_dumps_are_404(client, url):
    assert client.get(url).status_code == 404


def test_void_counts_by_the_store_where_no_build_recorded_them(built_settings, void, tmp_path):
    store_dir = tmp_path / "store"
    shutil.copytree(built_settings.store_dir, store_dir, symlinks=True)
    (current_path(store_dir).resolve() / STATE).unlink()
    with TestClient(create_app(replace(built_settings, store_dir=store_dir))) as c:
        counted = Graph().parse(data=c.get("/.well-known/void").text, format="turtle")

    def counts(g: Graph) -> dict[str, int]:
        return {str(s): int(n) for s, n in g.subject_objects(VOID.triples)}

    assert counts(counted) == counts(void)
    assert len(counts(void)) > 2


def test_the_description_is_kept_per_site_and_format_and_names_each_site(built_settings,
                                                                          monkeypatch):
    made = []

    def counted(request):
        made.append(str(request.base_url))
        return describe(request)

    monkeypatch.setattr(catalog, "describe", counted)
    with TestClient(create_app(built_settings)) as c:
        first = c.get("/.well-known/void", headers={"Host": "a.example"}).content
        assert b"http://a.example/sparql" in first
        other = c.get("/.well-known/void", headers={"Host": "b.example"}).content
        assert b"http://b.example/sparql" in other and b"a.example" not in other
        assert c.get("/.well-known/void", headers={"Host": "a.example"}).content == first
        assert made == ["http://a.example/", "http://b.example/"]
        as_json = c.get("/.well-known/void?format=jsonld", headers={"Host": "a.example"})
        assert as_json.headers["content-type"].startswith("application/ld+json")
        assert made[2:] == ["http://a.example/"]  # another format: made anew
        in_json = Graph().parse(data=as_json.text, format="json-ld")
        assert isomorphic(in_json, Graph().parse(data=first, format="turtle"))
        # a.example was asked for after b.example: b.example's turtle goes first
        for n in range(KEPT_DESCRIPTIONS - 2):
            c.get("/.well-known/void", headers={"Host": f"h{n}.example"})
        kept = c.app.state.descriptions
        assert len(kept) == KEPT_DESCRIPTIONS
        assert ("http://b.example/", "turtle") not in kept
        assert ("http://a.example/", "turtle") in kept and ("http://a.example/", "jsonld") in kept
