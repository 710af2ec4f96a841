"""The browser-facing pages, in-process: workbench, examples, resources, home, a crawl."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kinerja.examples import examples
from kinerja.ingest.pipeline import named_ntriples
from kinerja.namespaces import KIN
from kinerja.settings import Settings
from kinerja.store import write_store
from server.app import create_app
from tests.conftest import generated_build

HTML = {"accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(built_settings):
    with TestClient(create_app(built_settings)) as c:
        yield c


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "script":
            if a.get("src"):
                self.scripts.append(a["src"])
            else:
                self._in_script = True
        if tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "alternate"):
            self.links.append(a["href"])

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def parse(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


def test_home_lists_documents_and_counts(client):
    r = client.get("/", headers=HTML)
    assert r.status_code == 200
    page = parse(r.text)
    assert any(link.startswith("/id/dokumen/") for link in page.links)
    assert any(link.startswith("/id/peraturan/keputusan-kakanwil/") for link in page.links)
    assert re.search(r'href="/daftar/indikator"><strong>115</strong> Indikator<', r.text)
    assert re.search(r'href="/daftar/dokumen"><strong>2</strong> Dokumen<', r.text)
    assert re.search(r'href="/daftar/target"><strong>115</strong> Target<', r.text)
    english = client.get("/", headers=HTML, params={"lang": "en"})
    assert re.search(r'href="/daftar/indikator"><strong>115</strong> Indicators<', english.text)


def _home_lists(text: str) -> tuple[list[str], list[tuple[str, int]]]:
    """The documents (IRIs in page order) and the (year, targets) that the home page lists."""
    docs = text.split('id="dok-h"')[1].split("</section>")[0]
    years = text.split('id="tahun-h"')[1].split("</section>")[0]
    return (
        re.findall(r'<li><a href="(/id/[^"]+)"', docs),
        [(y, int(n.replace(".", "")))
         for y, n in re.findall(r'>(\d{4})</a> <small>\(([\d.]+) target', years)],
    )


def test_home_lists_newest_documents_and_targets_per_year(tmp_path):
    """Generated documents, more than the home page shows: it lists the newest by year
    (then by IRI, as /daftar/dokumen sorted by year, newest first, begins), and every year
    with its number of targets, the same with the listing index as by SPARQL without it."""
    from server.home import NEWEST

    s, reader = generated_build(tmp_path, 14, seed=2)
    documents = [
        (-int(r["y"].text), r["d"].text)
        for r in reader.select("SELECT ?d ?y WHERE { ?d a kin:PerformanceDocument ; "
                               "kin:documentType ?t ; kin:year ?y }")
    ]
    assert len(documents) > NEWEST
    prefix = s.base_iri.rstrip("/")
    newest = [d[len(prefix):] for _y, d in sorted(documents)[:NEWEST]]
    targets = [
        (r["y"].text, int(r["n"].text))
        for r in reader.select("SELECT ?y (COUNT(?t) AS ?n) WHERE { ?t a kin:Target ; kin:year ?y }"
                               " GROUP BY ?y ORDER BY DESC(?y)")
    ]
    assert len(targets) > 1
    app = create_app(s)
    with TestClient(app) as c:
        assert app.state.listing_index is not None
        indexed = c.get("/", headers=HTML)
        app.state.listing_index, index = None, app.state.listing_index
        del app.state.home
        by_sparql = c.get("/", headers=HTML)
        app.state.listing_index = index
    assert _home_lists(indexed.text) == (newest, targets)
    assert by_sparql.text == indexed.text


def test_workbench_is_a_plain_form_enhanced_by_vendored_scripts(client):
    r = client.get("/sparql", headers=HTML)
    assert r.status_code == 200
    assert '<form method="get" action="/sparql"' in r.text
    assert 'name="query"' in r.text and "PREFIX kin:" in r.text
    page = parse(r.text)
    assert page.inline_scripts == 0
    assert page.scripts and all(s.startswith("/static/") for s in page.scripts)
    for src in page.scripts:
        assert client.get(src).status_code == 200
    assert "'unsafe-inline'" not in r.headers["content-security-policy"].split("script-src")[1]


def test_workbench_runs_a_query_with_labels_downloads_and_share_link(client):
    q = "PREFIX kin: <https://w3id.org/kinerja/def#> SELECT ?t WHERE { ?t a kin:Target } LIMIT 3"
    r = client.get("/sparql", params={"query": q}, headers=HTML)
    assert r.status_code == 200
    assert "3 baris" in r.text
    assert "Target 20" in r.text  # labels shown for IRIs
    page = parse(r.text)
    downloads = [link for link in page.links if "format=" in link]
    assert {re.search(r"format=(\w+)", d).group(1) for d in downloads} == {"csv", "json", "tsv",
                                                                          "xml"}
    csv_text = client.get(next(d for d in downloads if "format=csv" in d)).text
    assert len(list(csv.reader(io.StringIO(csv_text)))) == 4


def test_workbench_truncation_note(built_settings):
    settings = Settings(**{**built_settings.__dict__, "max_rows": 2})
    with TestClient(create_app(settings)) as c:
        q = "SELECT ?s WHERE { ?s ?p ?o }"
        r = c.get("/sparql", params={"query": q}, headers=HTML)
        assert "Hasil dipotong" in r.text
        raw = c.get("/sparql", params={"query": q})
        assert raw.headers["x-kinerja-truncated"] == "true"
        assert len(json.loads(raw.text)["results"]["bindings"]) == 2


def test_workbench_shows_syntax_errors_with_a_4xx(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE {"}, headers=HTML)
    assert r.status_code == 400
    assert 'role="alert"' in r.text and "1:" in r.text


@pytest.mark.parametrize("name", sorted(examples()))
def test_example_page_and_downloads(client, name):
    page = client.get(f"/sparql/contoh/{name}")
    assert page.status_code == 200
    for p in examples()[name].params:
        assert f'name="{p.name}"' in page.text
    data = client.get(f"/sparql/contoh/{name}.json").json()
    rows = data["results"]["bindings"]
    assert rows
    table = list(csv.reader(io.StringIO(client.get(f"/sparql/contoh/{name}.csv").text)))
    assert len(table) == len(rows) + 1


def test_an_example_page_shows_the_plain_form_when_there_is_one(client):
    page = client.get("/sparql/contoh/target-per-satuan", params={"lang": "en"}).text
    plain = examples()["target-per-satuan"].plain_text
    block = re.search(r'<details class="plain"><summary>Plain form</summary>(.*?)</details>',
                      page, re.S)
    assert block, "no plain form on the page"
    shown = re.search(r"<pre><code>(.*?)</code></pre>", block[1], re.S)[1]
    assert html.unescape(shown) == plain
    link = re.search(r'href="(/sparql\?[^"]+)"', block[1])[1]
    assert parse_qs(urlparse(html.unescape(link)).query)["query"] == [plain]
    assert 'class="plain"' not in client.get("/sparql/contoh/fungsi-kantor").text


def test_example_parameters_are_bound_not_pasted(client):
    r = client.get("/sparql/contoh/cari-indikator.json", params={"kata": 'remisi" } #'})
    assert r.status_code == 200
    assert r.json()["results"]["bindings"] == []
    bad = client.get("/sparql/contoh/indikator-kantor-tahun", params={"tahun": "20x4"})
    assert bad.status_code == 400 and "tahun" in bad.text


def test_resource_page_and_rdf_twins(client, built_settings):
    path = ("/id/peraturan/keputusan-kakanwil/kemenkumham-kanwil-kalimantan-barat/2024/"
            "w-16-pr-01-01-2524")
    html = client.get(path, headers=HTML)
    assert html.status_code == 200 and html.headers["vary"].startswith("Accept")
    alternates = re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)"', html.text)
    assert len(alternates) == 4
    iri = URIRef(built_settings.base_iri + path[1:])
    for media, href in alternates:
        r = client.get(href)
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        g = Graph().parse(data=r.content, format={"text/turtle": "turtle",
                                                  "application/ld+json": "json-ld",
                                                  "application/rdf+xml": "xml",
                                                  "application/n-triples": "nt"}[media])
        assert (iri, RDF.type, KIN.PerformanceDocument) in g
    by_accept = client.get(path, headers={"accept": "application/rdf+xml"})
    assert by_accept.headers["content-type"].startswith("application/rdf+xml")


def test_unknown_resource_is_404(client):
    assert client.get("/id/tidak/ada", headers=HTML).status_code == 404


def test_crawl_from_home_meets_no_error(client):
    seen, queue = set(), ["/"]
    while queue and len(seen) < 400:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        r = client.get(url, headers=HTML)
        assert r.status_code < 400, f"{url} -> {r.status_code}"
        if "text/html" not in r.headers.get("content-type", ""):
            continue
        for link in parse(r.text).links:
            target = urljoin(url, link)
            if urlparse(target).netloc in ("", "testserver"):
                local = urlparse(target)
                queue.append(local.path + (f"?{local.query}" if local.query else ""))
    assert len(seen) > 50


def test_hostile_labels_render_harmless(tmp_path):
    base = Settings().base_iri
    g = Graph(identifier=URIRef(base + "graph/sumber/x"))
    evil = URIRef(base + "id/jahat")
    g.add((evil, RDFS.label, Literal('<script>alert("x")</script>', lang="id")))
    g.add((evil, RDFS.seeAlso, URIRef("javascript:alert(1)")))
    write_store(tmp_path / "store", named_ntriples([g]))
    with TestClient(create_app(Settings(store_dir=tmp_path / "store"))) as c:
        for url in ("/id/jahat", "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D"):
            r = c.get(url, headers=HTML)
            assert r.status_code == 200
            assert "<script>alert" not in r.text
            assert "&lt;script&gt;" in r.text
            assert 'href="javascript:' not in r.text


def test_security_headers(client):
    r = client.get("/", headers=HTML)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in r.headers["content-security-policy"]
