"""``/def``: the ontology as a readable page with an anchor per term, and as RDF."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kinerja.namespaces import KIN_IRI
from kinerja.settings import PROJECT_ROOT
from server.app import create_app

HTML = {"accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
ONTOLOGY = PROJECT_ROOT / "ontology"
# media type -> rdflib parser name
PARSERS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}


@pytest.fixture(scope="module")
def client(built_settings):
    with TestClient(create_app(built_settings)) as c:
        yield c


@pytest.fixture(scope="module")
def ontology_file() -> Graph:
    return Graph().parse(ONTOLOGY / "kinerja.ttl", format="turtle")


@pytest.fixture(scope="module")
def model(built_settings, ontology_file) -> Graph:
    """The ontology and the code lists, parsed here independently of the server."""
    g = Graph()
    g += ontology_file
    g.parse(ONTOLOGY / "codelists.ttl", format="turtle", publicID=built_settings.base_iri)
    return g


@pytest.fixture(scope="module")
def page(client):
    r = client.get("/def", headers=HTML)
    assert r.status_code == 200, r.text
    return r


class Page(HTMLParser):
    """Ids, links, alternates, and the text of each heading by the id of its section."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.alternates: list[tuple[str, str]] = []
        self.headings: dict[str, str] = {}
        self._sections: list[str | None] = []
        self._heading: str | None = None
        self.inline = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "section":
            self._sections.append(a.get("id"))
        if tag in ("h2", "h3") and self._sections and self._sections[-1]:
            self._heading = self._sections[-1]
            self.headings[self._heading] = ""
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append((a["type"], a["href"]))
        if tag in ("script", "style") or "style" in a:
            self.inline += 1

    def handle_endtag(self, tag):
        if tag == "section" and self._sections:
            self._sections.pop()
        if tag in ("h2", "h3"):
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self.headings[self._heading] += data


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    return p


def local_names(g: Graph, *classes) -> set[str]:
    return {
        str(s)[len(KIN_IRI) :]
        for cls in classes
        for s in g.subjects(RDF.type, cls)
        if str(s).startswith(KIN_IRI)
    }


def test_every_class_and_property_has_an_anchor(page, ontology_file):
    ids = parse(page.text).ids
    assert len(ids) == len(set(ids)), "duplicate ids on /def"
    classes = local_names(ontology_file, OWL.Class)
    properties = local_names(ontology_file, OWL.ObjectProperty, OWL.DatatypeProperty)
    assert len(classes) >= 14 and len(properties) >= 28
    assert classes <= set(ids), classes - set(ids)
    assert properties <= set(ids), properties - set(ids)


def test_every_term_of_the_namespace_has_an_anchor(page, ontology_file):
    """Every kin: IRI is a hash IRI of /def, so each subject of the file lands somewhere."""
    terms = {str(s)[len(KIN_IRI) :] for s in ontology_file.subjects() if str(s).startswith(KIN_IRI)}
    missing = terms - set(parse(page.text).ids)
    assert not missing, missing


def test_in_page_links_land_on_an_anchor(page):
    p = parse(page.text)
    targets = {link[1:] for link in p.links if link.startswith("#")}
    assert targets and targets <= set(p.ids), targets - set(p.ids)


@pytest.mark.parametrize(
    "headers, params, lang",
    [
        (HTML, {}, "id"),
        (HTML, {"lang": "en"}, "en"),
        ({**HTML, "cookie": "kinerja_lang=en"}, {}, "en"),
    ],
    ids=["default", "query", "cookie"],
)
def test_labels_follow_the_language(client, ontology_file, headers, params, lang):
    r = client.get("/def", params=params, headers=headers)
    assert r.status_code == 200
    assert f'<html lang="{lang}">' in r.text
    headings = parse(r.text).headings
    for name in local_names(ontology_file, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        term = URIRef(KIN_IRI + name)
        labels = {x.language: str(x) for x in ontology_file.objects(term, RDFS.label)}
        shown, other = labels.get(lang), labels.get("en" if lang == "id" else "id")
        assert (shown or other) in headings[name], (name, headings[name])
    assert ("Classes" if lang == "en" else "Kelas") == headings["classes"]
    # both languages are always listed, in their own lang attribute
    assert '<dd lang="id">Indikator Kinerja</dd>' in r.text
    assert '<dd lang="en">Performance Indicator</dd>' in r.text


def test_ontology_metadata_shown(page):
    assert "0.1.0" in page.text
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page.text
    assert "Ontologi kinerja: indikator kinerja instansi pemerintah Indonesia" in page.text


def test_external_terms_are_prefixed_names_linked_to_their_iris(page):
    for short, iri in [
        ("skos:Concept", "http://www.w3.org/2004/02/skos/core#Concept"),
        ("qb:Observation", "http://purl.org/linked-data/cube#Observation"),
        ("eli:LegalResource", "http://data.europa.eu/eli/ontology#LegalResource"),
    ]:
        assert f'<a href="{iri}"><code>{short}</code></a>' in page.text, short


def test_alternates_parse_back_to_the_model(client, page, model, ontology_file):
    alternates = parse(page.text).alternates
    assert {media for media, _ in alternates} == set(PARSERS)
    for media, href in alternates:
        r = client.get(href)
        assert r.status_code == 200, href
        assert r.headers["content-type"].startswith(media)
        assert "Accept" in r.headers["vary"]
        g = Graph().parse(data=r.content, format=PARSERS[media])
        missing = [t for t in ontology_file if t not in g]
        assert not missing, (media, missing[:5])
        if not isomorphic(g, model):
            _, only_served, only_files = graph_diff(to_isomorphic(g), to_isomorphic(model))
            pytest.fail(
                f"{media}: served only {sorted(only_served)[:5]}; "
                f"files only {sorted(only_files)[:5]}"
            )


def test_page_has_visible_download_links(page):
    links = parse(page.text).links
    for fmt in ("turtle", "jsonld", "rdfxml", "ntriples"):
        assert f"/def?format={fmt}" in links
    assert "/def.ttl" in links


def test_negotiation(client, ontology_file):
    html = client.get("/def", headers=HTML)
    assert html.headers["content-type"].startswith("text/html")
    assert "Accept" in html.headers["vary"]
    turtle = client.get("/def", headers={"accept": "text/turtle"})
    assert turtle.status_code == 200
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "Accept" in turtle.headers["vary"]
    g = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(KIN_IRI + "Indicator"), RDF.type, OWL.Class) in g
    jsonld = client.get("/def", headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    file = client.get("/def.ttl")
    assert file.status_code == 200 and file.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=file.text, format="turtle")) == len(g)


@pytest.mark.parametrize(
    "params, headers",
    [
        ({"format": "bogus"}, HTML),
        ({"format": "nquads"}, {}),
        ({}, {"accept": "image/png"}),
    ],
)
def test_unknown_formats_are_406(client, params, headers):
    assert client.get("/def", params=params, headers=headers).status_code == 406


def test_code_lists_with_their_concepts(page, model, built_settings):
    schemes = list(model.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = {c for s in schemes for c in model.subjects(SKOS.inScheme, s)}
    base_id = built_settings.base_iri + "id/"
    links = set(parse(page.text).links)
    for concept in concepts:
        if str(concept).startswith(base_id):
            assert "/" + str(concept)[len(built_settings.base_iri) :] in links, concept
    persen = URIRef(base_id + "satuan/persen")
    for label in model.objects(persen, SKOS.prefLabel):
        assert f'lang="{label.language}">{label}</td>' in page.text


def test_code_list_links_resolve(client, page):
    links = {link for link in parse(page.text).links if link.startswith("/id/")}
    assert len(links) > 70
    for link in sorted(links):
        assert client.get(link, headers=HTML).status_code == 200, link


def test_no_script_links_or_inline_code(page):
    p = parse(page.text)
    assert not [link for link in p.links if link.strip().lower().startswith("javascript:")]
    assert 'href="javascript:' not in page.text.lower()
    assert p.inline == 0
