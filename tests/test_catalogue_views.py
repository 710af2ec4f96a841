"""The catalogue in-process: resource pages per kind and their RDF twins, the trace, the
comparison grids, the faceted listings, the language toggle, safety and links.

Every expectation is computed here, independently of the catalogue code: with SPARQL over
the built store, or from the text of the seed documents in data/sources.
"""

from __future__ import annotations

import csv
import gc
import io
import re
from functools import cache
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlparse

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kinerja.catalogue.resources import PREVIEW
from kinerja.settings import PROJECT_ROOT
from kinerja.store import open_store
from server.app import GC_THRESHOLDS, create_app

SOURCES = PROJECT_ROOT / "data" / "sources"
HTML = {"accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
PROLOGUE = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kin: <https://w3id.org/kinerja/def#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
"""
KIN = "https://w3id.org/kinerja/def#"
ELI = "http://data.europa.eu/eli/ontology#"
ORG = "http://www.w3.org/ns/org#"
RDF_FORMATS = {  # format= name -> (media type, rdflib parser)
    "turtle": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
    "ntriples": ("application/n-triples", "nt"),
}
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]
    )
}


# --- a small DOM over html.parser ---------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs, parent: Node | None = None):
        self.tag = tag
        self.attrs = {k: (v if v is not None else "") for k, v in attrs}
        self.parent = parent
        self.children: list[Node | str] = []

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list[Node]:
        out = []
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if cls and cls not in n.attrs.get("class", "").split():
                continue
            if any(n.attrs.get(k) != v for k, v in attrs.items()):
                continue
            out.append(n)
        return out

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> Node | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def kids(self, tag: str) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and c.tag == tag]

    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text() for c in self.children)

    @property
    def text(self) -> str:
        return " ".join(self.raw_text().split())

    def hrefs(self) -> list[str]:
        return [a.attrs["href"] for a in self.find_all("a") if a.attrs.get("href")]

    def section(self, heading_id: str) -> Node:
        """The <section> labelled by the heading with this id."""
        s = self.find("section", **{"aria-labelledby": heading_id})
        assert s is not None, f"no section {heading_id}"
        return s


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [])
        self.cur = self.root
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def dom(text: str) -> Node:
    b = _Builder()
    b.feed(text)
    b.close()
    return b.root


def meta_table(doc: Node) -> dict[str, Node]:
    """The rows of a page's ``table.meta``: header text -> value cell."""
    table = doc.find("table", cls="meta")
    assert table is not None
    return {tr.find("th").text: tr.find("td") for tr in table.find_all("tr")}


def csp_problems(url: str, root: Node) -> list[str]:
    """What the Content-Security-Policy would block: javascript: links, inline scripts,
    inline styles and event handler attributes."""
    out = []
    for node in root.iter():
        where = f"{url}: <{node.tag}>"
        for attr in ("href", "src", "action", "formaction"):
            if node.attrs.get(attr, "").strip().lower().startswith("javascript:"):
                out.append(f"{where} {attr}=javascript:")
        if "style" in node.attrs:
            out.append(f"{where} style=")
        out += [f"{where} {a}=" for a in node.attrs if a.startswith("on")]
        if node.tag == "style":
            out.append(f"{where} inline style element")
        if node.tag == "script" and (not node.attrs.get("src") or node.raw_text().strip()):
            out.append(f"{where} inline script")
    return out


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(built_settings):
    with TestClient(create_app(built_settings)) as c:
        yield c


@pytest.fixture(scope="module")
def lenient_client(built_settings):
    """A client that answers a server error with its 500 instead of raising it."""
    with TestClient(create_app(built_settings), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(autouse=True)
def _no_cookies(client):
    """The client is shared: no test may leave a language cookie behind for the next."""
    client.cookies.clear()
    yield
    client.cookies.clear()


@pytest.fixture(scope="module")
def sparql(built_settings):
    store = open_store(built_settings.store_dir)

    def run(query: str) -> list[dict[str, str]]:
        solutions = store.query(PROLOGUE + query)
        names = [v.value for v in solutions.variables]
        return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]

    return run


@pytest.fixture(scope="module")
def base(built_settings) -> str:
    return built_settings.base_iri


@pytest.fixture(scope="module")
def local(base):
    """The local path (/id/...) of an instance IRI."""

    def path(iri: str) -> str:
        assert iri.startswith(base + "id/"), iri
        return "/" + iri[len(base) :]

    return path


@pytest.fixture(scope="module")
def facet_value(base):
    def value(iri: str) -> str:
        return iri[len(base + "id/") :]

    return value


@cache
def source_lines(name: str) -> list[str]:
    return (SOURCES / name).read_text(encoding="utf-8").split("\n")


def html(client, url: str, status: int = 200, **headers) -> Node:
    r = client.get(url, headers={**HTML, **headers})
    assert r.status_code == status, f"{url} -> {r.status_code}: {r.text[:300]}"
    assert r.headers["content-type"].startswith("text/html")
    root = dom(r.text)
    assert not csp_problems(url, root)
    return root


@pytest.fixture(scope="module")
def remisi(sparql, local):
    """The two statements of 'Persentase narapidana yang mendapatkan hak remisi', by year."""
    rows = sparql(
        """SELECT ?i ?label ?notation ?goal ?doc ?office ?year ?concept ?src ?srcTitle ?line
                  ?target ?text ?value ?unit ?tsrcTitle ?tline WHERE {
          ?i a kin:Indicator ; rdfs:label ?label ; skos:notation ?notation ; kin:goal ?goal ;
             kin:concept ?concept ; prov:wasDerivedFrom ?src ; kin:sourceLine ?line .
          FILTER(LCASE(STR(?label)) = "persentase narapidana yang mendapatkan hak remisi")
          ?src dct:title ?srcTitle .
          ?goal kin:inDocument ?doc . ?doc kin:issuedBy ?office ; kin:year ?year .
          ?target kin:indicator ?i ; kin:targetText ?text ; kin:targetValue ?value ;
                  kin:unit ?unit ; prov:wasDerivedFrom ?tsrc ; kin:sourceLine ?tline .
          ?tsrc dct:title ?tsrcTitle .
        }"""
    )
    by_year = {r["year"]: r for r in rows}
    assert set(by_year) == {"2023", "2024"}, rows
    return by_year


@pytest.fixture(scope="module")
def decree(sparql):
    rows = sparql(
        """SELECT ?doc ?number ?date ?office ?src ?srcTitle WHERE {
          ?doc a kin:PerformanceDocument, eli:LegalResource ; eli:number ?number ;
               eli:date_document ?date ; kin:issuedBy ?office ; prov:wasDerivedFrom ?src .
          ?src dct:title ?srcTitle }"""
    )
    assert len(rows) == 1
    return rows[0]


@pytest.fixture(scope="module")
def iku(sparql):
    rows = sparql(
        """SELECT ?doc ?office ?year WHERE { ?doc a kin:PerformanceDocument ;
             kin:issuedBy ?office ; kin:year ?year . FILTER NOT EXISTS { ?doc eli:based_on ?b } }"""
    )
    assert len(rows) == 1
    return rows[0]


@pytest.fixture(scope="module")
def resources(sparql, remisi, decree, iku):
    """One resource of every kind of page: kind -> (iri, the class its page is about)."""
    kalbar = remisi["2024"]
    one = sparql(
        f"""SELECT ?ins ?article ?program ?org ?province WHERE {{
          ?article a eli:LegalResourceSubdivision ; eli:is_part_of ?ins ; skos:notation "Pasal 3" .
          <{kalbar["goal"]}> kin:program ?program .
          <{kalbar["office"]}> org:unitOf ?org ; kin:province ?province .
        }}"""
    )[0]
    return {
        "document": (decree["doc"], KIN + "PerformanceDocument"),
        "document-iku": (iku["doc"], KIN + "PerformanceDocument"),
        "legal": (one["ins"], ELI + "LegalResource"),
        "article": (one["article"], ELI + "LegalResourceSubdivision"),
        "indicator": (kalbar["i"], KIN + "Indicator"),
        "target": (kalbar["target"], KIN + "Target"),
        "goal": (kalbar["goal"], KIN + "Goal"),
        "concept": (kalbar["concept"], KIN + "IndicatorConcept"),
        "program": (one["program"], KIN + "Program"),
        "office": (kalbar["office"], ORG + "OrganizationalUnit"),
        "organization": (one["org"], ORG + "FormalOrganization"),
        "unit": (kalbar["unit"], KIN + "Unit"),
        "province": (one["province"], KIN + "Province"),
        "source": (kalbar["src"], KIN + "SourceFile"),
    }


@pytest.fixture(scope="module")
def sample_urls(resources, remisi, local, sparql):
    """Every page this module renders to check safety, alternates and provenance links."""
    urls = [local(iri) for iri, _ in resources.values()]
    for r in sparql(
        """SELECT DISTINCT ?r WHERE { { ?r a eli:LegalResource } UNION { ?r a kin:Program }
           UNION { ?r a kin:SourceFile } UNION { ?r a org:OrganizationalUnit }
           UNION { ?r a kin:Unit . ?t kin:unit ?r } UNION { ?r a kin:PerformanceDocument } }"""
    ):
        urls.append(local(r["r"]))
    for row in remisi.values():
        urls += [
            local(row["i"]), local(row["goal"]), local(row["target"]),
            local(row["i"]).replace("/id/", "/jejak/", 1),
            local(row["goal"]).replace("/id/", "/banding/", 1),
        ]
    urls.append(local(remisi["2024"]["concept"]).replace("/id/", "/banding/", 1))
    program = resources["program"][0]
    urls.append(local(program).replace("/id/", "/banding/", 1))
    urls += ["/daftar", "/daftar/indikator?kantor=" + local(remisi["2024"]["office"])[4:]]
    urls += [f"/daftar/{name}" for name in LISTING_NAMES]
    return list(dict.fromkeys(urls))


ERROR_PAGES = {"/id/tidak/ada": 404, "/daftar/indikator?tahun=20x": 400}


@pytest.fixture(scope="module")
def rendered(client, sample_urls) -> dict[str, str]:
    out = {}
    for url in sample_urls:
        r = client.get(url, headers=HTML)
        assert r.status_code == 200, f"{url} -> {r.status_code}"
        assert r.headers["content-type"].startswith("text/html"), url
        out[url] = r.text
    for url, status in ERROR_PAGES.items():
        r = client.get(url, headers=HTML)
        assert r.status_code == status
        out[url] = r.text
    return out


# --- 1. pages per kind -----------------------------------------------------------------------


def test_office_page_lists_the_documents_it_issued(client, sparql, resources, local):
    office = resources["office"][0]
    expected = sparql(
        f"""SELECT ?doc ?type ?year (COUNT(DISTINCT ?i) AS ?n) WHERE {{
          ?doc kin:issuedBy <{office}> ; kin:year ?year ; kin:documentType/skos:notation ?type .
          ?g kin:inDocument ?doc . ?i kin:goal ?g }} GROUP BY ?doc ?type ?year"""
    )
    assert expected
    page = html(client, local(office))
    docs = page.section("doc-h")
    items = docs.find("ul").kids("li")
    assert len(items) == len(expected)
    for e in expected:
        item = next(li for li in items if local(e["doc"]) in li.hrefs())
        assert f"({e['type']} {e['year']}; {e['n']} indikator)" in item.text
    link = next(h for h in docs.hrefs() if h.startswith("/daftar/indikator?"))
    listed = html(client, link)
    assert summary_total(listed) == sum(int(e["n"]) for e in expected)


def test_decree_page_metadata_and_provisions(client, decree, local):
    lines = source_lines(decree["srcTitle"])
    # The number and date as printed in the decree, read from the source text.
    printed = next(m for line in lines if (m := re.search(r"NOMOR: ?(\S+) TAHUN", line)))
    day, month, year = next(
        m.groups() for line in lines if (m := re.search(r"Pada tanggal (\d+) (\w+) (\d{4})", line))
    )
    date = f"{year}-{MONTHS[month]:02d}-{int(day):02d}"
    assert decree["number"] == printed.group(1) == "W.16.PR.01.01-2524"
    assert decree["date"] == date

    page = html(client, local(decree["doc"]))
    meta = meta_table(page)
    assert meta["Nomor"].text == printed.group(1)
    assert meta["Tanggal"].text.startswith(date)
    assert local(decree["office"]) in meta["Diterbitkan oleh"].hrefs()

    provisions = [
        m.groups() for line in lines if (m := re.match(r"^- (KE[A-Z]+) : (.*)$", line))
    ]
    assert [p[0] for p in provisions] == ["KESATU", "KEDUA", "KETIGA", "KEEMPAT"]
    dl = page.section("diktum-h").find("dl")
    assert [dt.text for dt in dl.kids("dt")] == [p[0] for p in provisions]
    assert [dd.text for dd in dl.kids("dd")] == [" ".join(p[1].split()) for p in provisions]


def test_decree_page_lists_its_legal_bases_and_articles(client, sparql, decree, local):
    bases = sparql(
        f"""SELECT ?b ?part ?notation ?line WHERE {{ <{decree['doc']}> eli:based_on ?b .
          OPTIONAL {{ ?b eli:is_part_of ?part ; skos:notation ?notation }}
          OPTIONAL {{ ?b kin:sourceLine ?line }} }}"""
    )
    assert len(bases) == 10
    articles = [b for b in bases if "part" in b]
    assert sorted(b["notation"] for b in articles) == ["Pasal 3", "Pasal 4"]
    number = sparql(f"SELECT ?n WHERE {{ <{articles[0]['part']}> eli:number ?n }}")[0]["n"]
    assert number == "PER/9/M.PAN/5/2007"

    page = html(client, local(decree["doc"]))
    items = page.section("dasar-h").find("ol").kids("li")
    assert len(items) == len(bases)
    first_links = {li.hrefs()[0] for li in items}
    assert first_links == {local(b["b"]) for b in bases}
    for a in articles:
        li = next(li for li in items if li.hrefs()[0] == local(a["b"]))
        assert li.text.startswith(f"{a['notation']} dari ")
        assert local(a["part"]) in li.hrefs()
        assert number in li.text
    for b in bases:
        li = next(li for li in items if li.hrefs()[0] == local(b["b"]))
        assert li.hrefs()[-1].endswith(f"#L{b['line']}")


@pytest.mark.parametrize("which", ["decree", "iku"])
def test_document_indicator_table_is_laid_out_as_in_the_source(
    client, sparql, local, decree, iku, which
):
    doc = (decree if which == "decree" else iku)["doc"]
    rows = sparql(
        f"""SELECT ?i ?goal ?program ?line WHERE {{ ?i kin:goal ?goal ; kin:sourceLine ?line .
          ?goal kin:inDocument <{doc}> . OPTIONAL {{ ?goal kin:program ?program }} }}"""
    )
    goal_of = {local(r["i"]): local(r["goal"]) for r in rows}
    program_of = {local(r["i"]): local(r["program"]) if "program" in r else None for r in rows}
    per_goal: dict[str, int] = {}
    per_program: dict[str | None, int] = {}
    for i, g in goal_of.items():
        per_goal[g] = per_goal.get(g, 0) + 1
        per_program[program_of[i]] = per_program.get(program_of[i], 0) + 1
    programs = {p for p in program_of.values() if p}
    assert len(programs) == (9 if which == "decree" else 0)

    page = html(client, local(doc))
    section = page.section("ind-h")
    assert f"({len(rows)})" in section.find("h2").text
    trs = section.find("table", cls="source-layout").find("tbody").kids("tr")
    assert len(trs) == len(rows)
    goal_cells, program_cells = {}, {}
    goal_left = program_left = 0
    current_goal = current_program = None
    lines = []
    for tr in trs:
        tds = tr.kids("td")
        plain = []
        for td in tds:
            if "rowspan" not in td.attrs:
                plain.append(td)
                continue
            span = int(td.attrs["rowspan"])
            links = [h for h in td.hrefs() if h in per_goal or h in programs]
            if links and links[0] in per_goal:
                assert goal_left == 0, "a goal cell starts inside another goal's span"
                current_goal, goal_left = links[0], span
                goal_cells[current_goal] = span
            else:
                assert program_left == 0, "a program cell starts inside another's span"
                current_program = links[0] if links else None
                program_left = span
                assert current_program not in program_cells, "a program appears twice"
                program_cells[current_program] = span
        indicator = plain[0].hrefs()[0]
        assert goal_left > 0 and program_left > 0
        assert goal_of[indicator] == current_goal
        assert program_of[indicator] == current_program
        goal_left -= 1
        program_left -= 1
        lines.append(int(plain[-1].hrefs()[0].rsplit("#L", 1)[1]))
    assert goal_left == 0 and program_left == 0
    assert goal_cells == per_goal
    assert program_cells == per_program
    assert lines == sorted(lines), "rows are not in the order of the source"


def test_goal_page(client, sparql, resources, local):
    goal = resources["goal"][0]
    g = sparql(
        f"""SELECT ?notation ?doc ?program WHERE {{ <{goal}> skos:notation ?notation ;
          kin:inDocument ?doc ; kin:program ?program }}"""
    )[0]
    indicators = {local(r["i"]) for r in sparql(f"SELECT ?i WHERE {{ ?i kin:goal <{goal}> }}")}
    page = html(client, local(goal))
    meta = meta_table(page)
    assert meta["Nomor"].text == g["notation"]
    assert local(g["doc"]) in meta["Dokumen"].hrefs()
    assert local(g["program"]) in meta["Program"].hrefs()
    section = page.section("ind-h")
    assert f"({len(indicators)})" in section.find("h2").text
    listed = {h for h in section.hrefs() if h in indicators}
    assert listed == indicators
    assert local(goal).replace("/id/", "/banding/", 1) in page.hrefs()


def test_program_page(client, sparql, resources, local):
    program = resources["program"][0]
    goals = sparql(
        f"""SELECT ?goal (COUNT(?i) AS ?n) WHERE {{ ?goal kin:program <{program}> .
          ?i kin:goal ?goal }} GROUP BY ?goal"""
    )
    page = html(client, local(program))
    section = page.section("goal-h")
    assert f"({len(goals)})" in section.find("h2").text
    trs = section.find("tbody").kids("tr")
    assert len(trs) == len(goals)
    counts = {tr.kids("td")[2].hrefs()[0]: int(tr.kids("td")[3].text) for tr in trs}
    assert counts == {local(g["goal"]): int(g["n"]) for g in goals}
    listing = next(h for h in page.hrefs() if h.startswith("/daftar/indikator?program="))
    assert summary_total(html(client, listing)) == sum(int(g["n"]) for g in goals)


def test_indicator_page_statement_target_unit_and_source_line(client, remisi, local):
    for year, row in remisi.items():
        page = html(client, local(row["i"]))
        meta = meta_table(page)
        assert meta["Pernyataan"].text == f"{row['notation']}. {row['label']}"
        # the target exactly as the source prints it, on the line the target came from
        printed = source_lines(row["tsrcTitle"])[int(row["tline"]) - 1]
        assert printed.rstrip().endswith(row["text"]), (year, printed)
        assert meta["Target"].find("strong", cls="target").raw_text() == row["text"]
        assert local(row["unit"]) in meta["Target"].hrefs()
        assert f"{local(row['src'])}#L{row['tline']}" in meta["Target"].hrefs()
        # the indicator's own source line, which really holds its text
        link = meta["Sumber"].hrefs()
        assert link == [f"{local(row['src'])}#L{row['line']}"]
        line = source_lines(row["srcTitle"])[int(row["line"]) - 1]
        assert row["label"] in line
        # trace and grid buttons
        assert local(row["i"]).replace("/id/", "/jejak/", 1) in page.hrefs()
        assert local(row["concept"]).replace("/id/", "/banding/", 1) in page.hrefs()
    assert remisi["2023"]["text"] == "99%" and remisi["2024"]["text"] == "100 %"
    assert float(remisi["2023"]["value"]) == 99 and float(remisi["2024"]["value"]) == 100


def test_indicator_page_shows_other_documents_stating_it(client, remisi, local):
    kalbar, babel = remisi["2024"], remisi["2023"]
    page = html(client, local(kalbar["i"]))
    other = page.section("other-h")
    assert "(1)" in other.find("h2").text
    (tr,) = other.find("tbody").kids("tr")
    assert local(babel["i"]) in tr.hrefs()
    assert local(babel["office"]) in tr.hrefs()
    assert babel["text"] == tr.find("td", cls="target").text
    assert "2023" in [td.text for td in tr.kids("td")]


def test_every_indicator_page_links_a_source_line_holding_its_text(client, sparql, local):
    rows = sparql(
        """SELECT ?i ?label ?title WHERE { ?i a kin:Indicator ; rdfs:label ?label ;
             prov:wasDerivedFrom ?src . ?src dct:title ?title }"""
    )
    assert len(rows) == 115
    for r in rows:
        meta = meta_table(html(client, local(r["i"])))
        (link,) = meta["Sumber"].hrefs()
        n = int(link.rsplit("#L", 1)[1])
        line = " ".join(source_lines(r["title"])[n - 1].split())
        label = r["label"]
        # a label that the page layout split over lines starts on the cited line
        assert label in line or label[:40] in line, (r["i"], n, line)


def test_concept_page_lists_every_statement(client, sparql, remisi, local):
    concept = remisi["2024"]["concept"]
    stated = {local(r["i"]) for r in sparql(f"SELECT ?i WHERE {{ ?i kin:concept <{concept}> }}")}
    assert stated == {local(r["i"]) for r in remisi.values()}
    page = html(client, local(concept))
    section = page.section("ind-h")
    assert f"({len(stated)})" in section.find("h2").text
    assert {h for h in section.hrefs() if h in stated} == stated


def legal_expectations(sparql, instrument: str) -> tuple[set[str], set[str]]:
    """The documents resting on an instrument (directly or through one of its articles) and
    the indicators of those documents."""
    resting = f"""{{ ?doc eli:based_on <{instrument}> }} UNION
                 {{ ?doc eli:based_on ?a . ?a eli:is_part_of <{instrument}> }}"""
    docs = {r["doc"] for r in sparql(f"SELECT DISTINCT ?doc WHERE {{ {resting} }}")}
    indicators = {
        r["i"]
        for r in sparql(
            f"SELECT DISTINCT ?i WHERE {{ ?i kin:goal/kin:inDocument ?doc . {resting} }}"
        )
    }
    return docs, indicators


INSTRUMENTS = """SELECT ?r ?type ?number ?year ?title ?issuer WHERE { ?r a eli:LegalResource ;
  eli:type_document ?type ; eli:number ?number ; kin:year ?year ; eli:title ?title ;
  eli:passed_by ?issuer . FILTER NOT EXISTS { ?r a kin:PerformanceDocument } }"""


def test_legal_instrument_pages(client, sparql, local):
    instruments = sparql(INSTRUMENTS)
    assert len(instruments) == 9
    for ins in instruments:
        docs, indicators = legal_expectations(sparql, ins["r"])
        assert docs and len(indicators) == 59
        page = html(client, local(ins["r"]))
        meta = meta_table(page)
        assert local(ins["type"]) in meta["Jenis"].hrefs()
        assert meta["Nomor"].text == ins["number"]
        assert meta["Tahun"].text == ins["year"]
        assert meta["Tentang"].text == " ".join(ins["title"].split())
        assert local(ins["issuer"]) in meta["Penerbit"].hrefs()
        section = page.section("doc-h")
        assert set(section.hrefs()) == {local(d) for d in docs}
        shown = page.section("ind-h")
        # The first PREVIEW of them, with their total and a note that more exist.
        listed = {h for h in shown.hrefs() if "/indikator/" in h}
        assert listed <= {local(i) for i in indicators}
        assert len(listed) == min(PREVIEW, len(indicators)) == PREVIEW
        assert f"({len(indicators)})" in shown.find("h2").text
        assert f"Menampilkan {PREVIEW} dari {len(indicators)}" in " ".join(shown.text.split())
        articles = sparql(
            f"""SELECT ?a ?n WHERE {{ ?a eli:is_part_of <{ins['r']}> ; skos:notation ?n }}"""
        )
        if articles:
            listed = page.section("pasal-h")
            assert {(local(a["a"]), a["n"]) for a in articles} == {
                (li.hrefs()[0], li.text) for li in listed.find("ul").kids("li")
            }
            assert re.search(r"melalui Pasal [34], Pasal [34]\)", section.text)
        else:
            assert f"({len(docs)})" in section.find("h2").text


def test_legal_instrument_page_lists_each_document_once(client, sparql, resources, local):
    instrument = resources["legal"][0]
    docs, _ = legal_expectations(sparql, instrument)
    section = html(client, local(instrument)).section("doc-h")
    items = section.find("ul").kids("li")
    assert len(items) == len(docs) == 1
    assert f"({len(docs)})" in section.find("h2").text


def test_article_page(client, resources, decree, local):
    article, _ = resources["article"]
    page = html(client, local(article))
    meta = meta_table(page)
    assert local(resources["legal"][0]) in meta["Bagian dari"].hrefs()
    assert meta["Nomor"].text == "Pasal 3"
    assert local(decree["doc"]) in page.section("doc-h").hrefs()


def test_unit_page_counts_its_targets(client, sparql, resources, local):
    unit = resources["unit"][0]
    n = int(sparql(f"SELECT (COUNT(?t) AS ?n) WHERE {{ ?t kin:unit <{unit}> }}")[0]["n"])
    notation = sparql(f"SELECT ?n WHERE {{ <{unit}> skos:notation ?n }}")[0]["n"]
    page = html(client, local(unit))
    meta = meta_table(page)
    assert meta["Notasi"].text == notation
    cell = meta["Target dengan satuan ini"]
    assert int(cell.text.replace(".", "")) == n
    (link,) = cell.hrefs()
    assert summary_total(html(client, link)) == n


def test_province_page_lists_its_offices(client, sparql, resources, local):
    province = resources["province"][0]
    offices = {
        local(r["o"]) for r in sparql(f"SELECT ?o WHERE {{ ?o kin:province <{province}> }}")
    }
    assert local(resources["office"][0]) in offices
    page = html(client, local(province))
    assert set(page.section("office-h").hrefs()) == offices
    empty = sparql(
        """SELECT ?p WHERE { ?p a kin:Province FILTER NOT EXISTS { ?o kin:province ?p } }
           ORDER BY ?p LIMIT 1"""
    )[0]["p"]
    assert "Belum ada kantor" in html(client, local(empty)).section("office-h").text


def test_organization_page_lists_its_units(client, sparql, resources, local):
    org = resources["organization"][0]
    units = {local(r["u"]) for r in sparql(f"SELECT ?u WHERE {{ ?u org:unitOf <{org}> }}")}
    assert len(units) == 2
    assert set(html(client, local(org)).section("unit-h").hrefs()) == units


def test_target_page(client, remisi, local):
    row = remisi["2023"]
    meta = meta_table(html(client, local(row["target"])))
    assert local(row["i"]) in meta["Indikator"].hrefs()
    assert meta["Target tertulis"].raw_text() == row["text"]
    assert local(row["office"]) in meta["Kantor"].hrefs()
    assert meta["Tahun"].text == "2023"


def source_anchors(page: Node) -> dict[int, str]:
    ol = page.find("ol", cls="source-text")
    assert ol is not None
    out = {}
    for li in ol.kids("li"):
        n = int(li.attrs["id"][1:])
        assert li.attrs["id"] == f"L{n}"
        out[n] = li.find("span").raw_text()
    return out


def test_source_page_shows_the_text_with_line_anchors(client, sparql, local):
    files = sparql("SELECT ?s ?title WHERE { ?s a kin:SourceFile ; dct:title ?title }")
    assert len(files) == 2
    for f in files:
        lines = source_lines(f["title"])
        page = html(client, local(f["s"]))
        anchors = source_anchors(page)
        assert list(anchors) == list(range(1, len(lines) + 1))
        assert [anchors[n] for n in anchors] == lines


def derived_line(client, sparql, source: str, local) -> tuple[str, list[int]]:
    page = html(client, local(source))
    derived = next(p for p in page.find_all("p") if p.text.startswith("Diturunkan darinya"))
    counts = sparql(
        f"""SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s prov:wasDerivedFrom <{source}> ;
          a ?type . FILTER(STRSTARTS(STR(?type), STR(kin:)) || ?type = eli:LegalResource) }}
          GROUP BY ?type"""
    )
    return derived.text, sorted(int(c["n"]) for c in counts)


def test_source_page_counts_what_is_derived_from_it(client, sparql, resources, local):
    text, expected = derived_line(client, sparql, resources["source"][0], local)
    assert sorted(int(n) for n in re.findall(r"(\d+) ", text)) == expected


def test_source_page_names_every_kind_derived_from_it(client, sparql, resources, local):
    text, _ = derived_line(client, sparql, resources["source"][0], local)
    assert "None" not in text


def test_source_page_download_link_gives_the_text(client, sparql, resources, local):
    source = resources["source"][0]
    title = sparql(f"SELECT ?t WHERE {{ <{source}> dct:title ?t }}")[0]["t"]
    page = html(client, local(source))
    link = next(a.attrs["href"] for a in page.find_all("a") if a.text == "Unduh teks")
    r = client.get(link)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert r.text.rstrip("\n").split("\n") == source_lines(title)


def test_every_provenance_link_points_to_an_existing_line(client, rendered):
    anchors: dict[str, set[int]] = {}
    checked = 0
    for url, text in rendered.items():
        if url in ERROR_PAGES:
            continue
        for href in dom(text).hrefs():
            m = re.fullmatch(r"(/id/sumber/[^#?]+)#L(\d+)", href)
            if not m:
                continue
            if m.group(1) not in anchors:
                anchors[m.group(1)] = set(source_anchors(html(client, m.group(1))))
            assert int(m.group(2)) in anchors[m.group(1)], f"{url}: {href}"
            checked += 1
    assert checked > 100


# --- 2. RDF twins -----------------------------------------------------------------------------

KINDS = ["document", "document-iku", "legal", "article", "indicator", "target", "goal", "concept",
         "program", "office", "organization", "unit", "province", "source"]


@pytest.mark.parametrize("kind", KINDS)
def test_rdf_twins_by_format_and_accept(client, sparql, resources, local, kind):
    iri, cls = resources[kind]
    path = local(iri)
    n = int(sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ <{iri}> ?p ?o }}")[0]["n"])
    page = client.get(path, headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Accept" in [v.strip() for v in page.headers["vary"].split(",")]
    alternates = [
        link for link in dom(page.text).find_all("link") if link.attrs.get("rel") == "alternate"
    ]
    assert {(a.attrs["type"], a.attrs["href"]) for a in alternates} == {
        (media, f"{path}?format={f}") for f, (media, _) in RDF_FORMATS.items()
    }
    for f, (media, parser) in RDF_FORMATS.items():
        for r in (client.get(path, params={"format": f}), client.get(path, headers={
            "accept": media})):
            assert r.status_code == 200
            assert r.headers["content-type"].startswith(media)
            assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")]
            g = Graph().parse(data=r.content, format=parser)
            assert (URIRef(iri), RDF.type, URIRef(cls)) in g, (kind, f)
            assert len(set(g.triples((URIRef(iri), None, None)))) == n


def test_every_html_page_has_four_alternates(rendered):
    for url, text in rendered.items():
        if not url.startswith("/id/") or url in ERROR_PAGES:
            continue
        links = [
            link for link in dom(text).find_all("link") if link.attrs.get("rel") == "alternate"
        ]
        assert len(links) == 4, url
        assert {urlparse(link.attrs["href"]).path for link in links} == {url.split("?")[0]}


# --- 3. trace ---------------------------------------------------------------------------------


def test_trace_of_a_kalbar_indicator_lists_every_legal_basis(client, sparql, remisi, decree,
                                                              local):
    row = remisi["2024"]
    bases = sparql(
        f"""SELECT ?b ?line ?title ?number ?year ?notation WHERE {{
          <{decree['doc']}> eli:based_on ?b .
          ?b prov:wasDerivedFrom ?src ; kin:sourceLine ?line . ?src dct:title ?title .
          OPTIONAL {{ ?b skos:notation ?notation }}
          OPTIONAL {{ ?b eli:is_part_of ?part }}
          BIND(COALESCE(?part, ?b) AS ?ins)
          ?ins eli:number ?number ; kin:year ?year }}"""
    )
    assert len(bases) == 10
    page = html(client, local(row["i"]).replace("/id/", "/jejak/", 1))
    hop = page.find("li", cls="hop-bases")
    items = hop.find("ol", cls="bases").kids("li")
    by_basis = {li.hrefs()[0]: li for li in items}
    assert set(by_basis) == {local(b["b"]) for b in bases}
    for b in bases:
        li = by_basis[local(b["b"])]
        evidence = li.find("span", cls="evidence")
        assert evidence.hrefs() == [f"{local(decree['src'])}#L{b['line']}"]
        line = source_lines(b["title"])[int(b["line"]) - 1]
        # the cited line really names that instrument (and article)
        assert b["number"] in line and b["year"] in line, line
        if "notation" in b:
            assert b["notation"].lower() in line.lower()
    assert page.find(id="tanpa-dasar") is None
    # the hops: indicator, goal, program, document, each with its evidence
    kinds = [li.attrs["class"].split()[1] for li in page.find("ol", cls="trace").kids("li")]
    assert kinds == ["hop-indicator", "hop-goal", "hop-program", "hop-document", "hop-bases"]
    assert local(decree["doc"]) in page.find("li", cls="hop-document").hrefs()


def test_trace_of_the_iku_indicator_says_it_has_no_bases_and_borrows_labelled(
    client, sparql, remisi, decree, local
):
    row = remisi["2023"]
    assert not sparql(
        f"""SELECT ?b WHERE {{ <{row['goal']}> kin:inDocument ?d . ?d eli:based_on ?b }}"""
    )
    page = html(client, local(row["i"]).replace("/id/", "/jejak/", 1))
    note = page.find(id="tanpa-dasar")
    assert note is not None
    assert note.text == "Dokumen ini tidak menyebutkan dasar hukum apa pun."
    assert page.find("ol", cls="bases") is None
    borrowed = page.section("borrowed-h").find_all("section", cls="borrowed")
    assert len(borrowed) == 1
    (group,) = borrowed
    assert group.find("h3").hrefs() == [local(decree["doc"])]
    assert local(remisi["2024"]["i"]) in group.hrefs()
    kalbar = {
        local(b["b"])
        for b in sparql(f"SELECT ?b WHERE {{ <{decree['doc']}> eli:based_on ?b }}")
    }
    assert {li.hrefs()[0] for li in group.find("ol").kids("li")} == kalbar


@pytest.mark.parametrize("kind", ["office", "document", "goal", "concept", "source"])
def test_trace_of_a_non_indicator_is_404(client, resources, local, kind):
    path = local(resources[kind][0]).replace("/id/", "/jejak/", 1)
    assert client.get(path, headers=HTML).status_code == 404
    assert client.get(path).status_code == 404


def test_trace_of_an_unknown_path_is_404(client):
    assert client.get("/jejak/tidak/ada").status_code == 404


# --- 4. grids ---------------------------------------------------------------------------------

CSV_HEADER = ["concept", "concept_label", "office", "office_label", "year", "target_text",
              "target_value", "unit", "indicator", "document", "source", "source_line"]


def grid_table(page: Node) -> tuple[list[str], dict[str, dict[str, Node]]]:
    table = page.find("table", cls="grid")
    header = [th for th in table.find("thead").find_all("th")]
    rows = {}
    for tr in table.find("tbody").kids("tr"):
        key = tr.find("th").hrefs()[0]
        rows[key] = {header[k + 1].text: td for k, td in enumerate(tr.kids("td"))}
    return [th.text for th in header], rows


def cell_texts(td: Node) -> list[str]:
    return [a.raw_text() for a in td.find_all("a") if "prov" not in a.attrs.get("class", "")]


def test_concept_grid_has_both_offices_and_years(client, sparql, remisi, local):
    concept = remisi["2024"]["concept"]
    targets = sparql(
        f"""SELECT ?office ?year ?text WHERE {{ ?i kin:concept <{concept}> .
          ?t kin:indicator ?i ; kin:office ?office ; kin:year ?year ; kin:targetText ?text }}"""
    )
    expected = {(local(t["office"]), t["year"]): [t["text"]] for t in targets}
    years = sorted({t["year"] for t in targets})
    assert years == ["2023", "2024"]
    page = html(client, local(concept).replace("/id/", "/banding/", 1))
    header, rows = grid_table(page)
    assert header[1:] == years
    assert set(rows) == {local(t["office"]) for t in targets}
    for office, cells in rows.items():
        for year in years:
            assert cell_texts(cells[year]) == expected.get((office, year), [])
    # the verbatim texts of the seed documents
    assert rows[local(remisi["2023"]["office"])]["2023"].find("a").raw_text() == "99%"
    assert rows[local(remisi["2024"]["office"])]["2024"].find("a").raw_text() == "100 %"


def test_concept_grid_csv(client, sparql, remisi, local):
    concept = remisi["2024"]["concept"]
    targets = sparql(
        f"""SELECT ?i ?office ?year ?text ?value WHERE {{ ?i kin:concept <{concept}> .
          ?t kin:indicator ?i ; kin:office ?office ; kin:year ?year ; kin:targetText ?text ;
             kin:targetValue ?value }}"""
    )
    r = client.get(local(concept).replace("/id/", "/banding/", 1), params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(r.text)))
    assert table[0] == CSV_HEADER
    body = [dict(zip(CSV_HEADER, row, strict=True)) for row in table[1:]]
    assert len(body) == len(targets) == 2
    expected = {(t["i"], t["office"], t["year"]): (t["text"], float(t["value"])) for t in targets}
    got = {
        (b["indicator"], b["office"], b["year"]): (b["target_text"], float(b["target_value"]))
        for b in body
    }
    assert got == expected
    for b in body:
        assert b["concept"] == concept and b["unit"] == "persen"
        title = sparql(f"SELECT ?t WHERE {{ <{b['source']}> dct:title ?t }}")[0]["t"]
        assert source_lines(title)[int(b["source_line"]) - 1].rstrip().endswith(b["target_text"])


def test_program_grid(client, sparql, resources, local):
    program = resources["program"][0]
    rows = sparql(
        f"""SELECT DISTINCT ?concept ?office ?year WHERE {{ ?i kin:goal/kin:program <{program}> ;
          kin:concept ?concept . ?t kin:indicator ?i ; kin:office ?office ; kin:year ?year }}"""
    )
    page = html(client, local(program).replace("/id/", "/banding/", 1))
    header, grid = grid_table(page)
    assert set(grid) == {local(r["concept"]) for r in rows}
    assert len(header) - 1 == len({(r["office"], r["year"]) for r in rows})
    r = client.get(local(program).replace("/id/", "/banding/", 1) + "?format=csv")
    n = int(
        sparql(
            f"""SELECT (COUNT(?t) AS ?n) WHERE {{ ?i kin:goal/kin:program <{program}> .
              ?t kin:indicator ?i }}"""
        )[0]["n"]
    )
    assert len(list(csv.reader(io.StringIO(r.text)))) == n + 1


def test_sasaran_grid_compares_its_concepts_wherever_stated(client, sparql, resources, local):
    goal = resources["goal"][0]
    rows = sparql(
        f"""SELECT DISTINCT ?concept ?office ?year WHERE {{ ?g kin:goal <{goal}> ;
          kin:concept ?concept . ?i kin:concept ?concept .
          ?t kin:indicator ?i ; kin:office ?office ; kin:year ?year }}"""
    )
    page = html(client, local(goal).replace("/id/", "/banding/", 1))
    header, grid = grid_table(page)
    assert set(grid) == {local(r["concept"]) for r in rows}
    columns = {(r["office"], r["year"]) for r in rows}
    assert len(columns) == 2  # both offices state some of them
    assert len(header) - 1 == len(columns)


def test_grid_of_an_office_is_404_and_bad_format_is_400(client, resources, remisi, local):
    office = local(resources["office"][0]).replace("/id/", "/banding/", 1)
    assert client.get(office, headers=HTML).status_code == 404
    assert client.get(office).status_code == 404
    assert client.get("/banding/tidak/ada").status_code == 404
    concept = local(remisi["2024"]["concept"]).replace("/id/", "/banding/", 1)
    r = client.get(concept, params={"format": "xml"})
    assert r.status_code == 400 and "format" in r.text


# --- 5. listings ------------------------------------------------------------------------------

LISTING_NAMES = ["indikator", "dokumen", "peraturan", "sasaran", "konsep", "program", "kantor"]

# An independent SPARQL count per listing and facet: ?v the facet value, ?n the items.
FACET_COUNTS = {
    ("indikator", "kantor"): "?x a kin:Indicator ; kin:goal ?g . ?g kin:inDocument ?d . "
    "?d kin:issuedBy ?v .",
    ("indikator", "tahun"): "?x a kin:Indicator ; kin:goal ?g . ?g kin:inDocument ?d . "
    "?d kin:year ?v .",
    ("indikator", "jenis"): "?x a kin:Indicator ; kin:goal ?g . ?g kin:inDocument ?d . "
    "?d kin:documentType ?v .",
    ("indikator", "program"): "?x a kin:Indicator ; kin:goal ?g . ?g kin:program ?v .",
    ("indikator", "satuan"): "?x a kin:Indicator . ?t kin:indicator ?x ; kin:unit ?v .",
    ("indikator", "jenis_peraturan"): "?x a kin:Indicator ; kin:goal ?g . ?g kin:inDocument ?d "
    ". ?d eli:based_on ?b . { ?b eli:type_document ?v } UNION "
    "{ ?b eli:is_part_of ?ins . ?ins eli:type_document ?v }",
    ("dokumen", "kantor"): "?x a kin:PerformanceDocument ; kin:issuedBy ?v .",
    ("dokumen", "tahun"): "?x a kin:PerformanceDocument ; kin:year ?v .",
    ("dokumen", "jenis"): "?x a kin:PerformanceDocument ; kin:documentType ?v .",
    ("dokumen", "jenis_peraturan"): "?x a kin:PerformanceDocument ; eli:based_on ?b . "
    "{ ?b eli:type_document ?v } UNION { ?b eli:is_part_of ?ins . ?ins eli:type_document ?v }",
    ("peraturan", "jenis_peraturan"): "?x a eli:LegalResource ; eli:type_document ?v .",
    ("peraturan", "tahun"): "?x a eli:LegalResource ; kin:year ?v .",
    ("sasaran", "kantor"): "?x a kin:Goal ; kin:inDocument ?d . ?d kin:issuedBy ?v .",
    ("sasaran", "tahun"): "?x a kin:Goal ; kin:inDocument ?d . ?d kin:year ?v .",
    ("sasaran", "jenis"): "?x a kin:Goal ; kin:inDocument ?d . ?d kin:documentType ?v .",
    ("sasaran", "program"): "?x a kin:Goal ; kin:program ?v .",
    ("konsep", "kantor"): "?x a kin:IndicatorConcept . ?i kin:concept ?x ; kin:goal ?g . "
    "?g kin:inDocument ?d . ?d kin:issuedBy ?v .",
    ("konsep", "tahun"): "?x a kin:IndicatorConcept . ?i kin:concept ?x ; kin:goal ?g . "
    "?g kin:inDocument ?d . ?d kin:year ?v .",
    ("konsep", "program"): "?x a kin:IndicatorConcept . ?i kin:concept ?x ; kin:goal ?g . "
    "?g kin:program ?v .",
    ("konsep", "satuan"): "?x a kin:IndicatorConcept . ?i kin:concept ?x . "
    "?t kin:indicator ?i ; kin:unit ?v .",
    ("program", "kantor"): "?x a kin:Program . ?g kin:program ?x ; kin:inDocument ?d . "
    "?d kin:issuedBy ?v .",
    ("program", "tahun"): "?x a kin:Program . ?g kin:program ?x ; kin:inDocument ?d . "
    "?d kin:year ?v .",
    ("kantor", "tahun"): "?x a org:OrganizationalUnit . ?d kin:issuedBy ?x ; kin:year ?v .",
}
TOTALS = {
    "indikator": "?x a kin:Indicator",
    "dokumen": "?x a kin:PerformanceDocument",
    "peraturan": "?x a eli:LegalResource",
    "sasaran": "?x a kin:Goal",
    "konsep": "?x a kin:IndicatorConcept",
    "program": "?x a kin:Program",
    "kantor": "?x a org:OrganizationalUnit",
}


def summary_total(page: Node) -> int:
    summary = page.find("p", cls="summary")
    assert summary is not None
    return int(summary.text.split()[0].replace(".", "").replace(",", ""))


class Listing:
    def __init__(self, client, name: str, params: list[tuple[str, str]]):
        url = f"/daftar/{name}" + ("?" + urlencode(params) if params else "")
        self.url = url
        self.page = html(client, url)
        self.total = summary_total(self.page)
        body = self.page.find("div", cls="listing-body").find("table").find("tbody")
        self.rows = [tr for tr in body.kids("tr") if tr.find("td").attrs.get("colspan") is None]
        current = [(k, v) for k, v in params if k not in ("hal", "lang")]
        self.facets: dict[str, dict[str, int]] = {}
        self.chosen: dict[str, set[str]] = {}
        aside = self.page.find("aside", cls="facets")
        for li in aside.find_all("li") if aside else []:
            href = li.find("a").attrs["href"]
            assert urlparse(href).path == f"/daftar/{name}"
            pairs = parse_qsl(urlparse(href).query)
            added = [p for p in pairs if p not in current]
            removed = [p for p in current if p not in pairs]
            (facet, value), *_ = added or removed
            count = int(li.find("span", cls="count").text.replace(".", "").replace(",", ""))
            self.facets.setdefault(facet, {})[value] = count
            if removed:
                self.chosen.setdefault(facet, set()).add(value)

    def keys(self) -> list[str]:
        """Each row's first link: the item it lists."""
        return [tr.kids("td")[0].hrefs()[0] for tr in self.rows]

    def column(self, header: str) -> list[str]:
        heads = [th.text for th in self.page.find("thead").find_all("th")]
        k = next(i for i, h in enumerate(heads) if h.startswith(header))
        return [tr.kids("td")[k].text for tr in self.rows]


def expected_counts(sparql, facet_value, listing: str, facet: str) -> dict[str, int]:
    rows = sparql(
        f"SELECT ?v (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {FACET_COUNTS[listing, facet]} }} "
        "GROUP BY ?v"
    )
    return {
        (r["v"] if facet == "tahun" else facet_value(r["v"])): int(r["n"]) for r in rows
    }


def csv_rows(client, name: str, params) -> list[dict[str, str]]:
    r = client.get(f"/daftar/{name}.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text)))


def test_listing_index_links_every_listing(client):
    page = html(client, "/daftar")
    hrefs = page.hrefs()
    for name in LISTING_NAMES:
        assert f"/daftar/{name}" in hrefs and f"/daftar/{name}.csv" in hrefs


@pytest.mark.parametrize("name", LISTING_NAMES)
def test_listing_total_equals_sparql(client, sparql, name):
    n = int(sparql(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {TOTALS[name]} }}")[0]["n"])
    listing = Listing(client, name, [("per", "500")])
    assert listing.total == n
    assert len(listing.rows) == n
    assert len(csv_rows(client, name, {})) == n


def test_seed_counts(sparql):
    def count(pattern: str) -> int:
        return int(sparql(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")[0]["n"])

    assert count(TOTALS["dokumen"]) == 2
    assert count(TOTALS["indikator"]) == 115
    assert count(TOTALS["sasaran"]) == 43
    assert count(TOTALS["konsep"]) == 84
    assert count(TOTALS["program"]) == 9


@pytest.mark.parametrize(("name", "facet"), sorted(FACET_COUNTS))
def test_facet_counts_and_choosing_a_value(client, sparql, facet_value, name, facet):
    expected = expected_counts(sparql, facet_value, name, facet)
    assert expected, "the seed data gives this facet no values"
    listing = Listing(client, name, [])
    assert listing.facets.get(facet) == expected
    for value, n in expected.items():
        chosen = Listing(client, name, [(facet, value), ("per", "500")])
        assert chosen.total == n, (facet, value)
        assert len(chosen.rows) == n, (facet, value)
        assert chosen.chosen == {facet: {value}}
        assert len(csv_rows(client, name, {facet: value})) == n


def test_two_values_of_a_facet_or_together(client, sparql, facet_value):
    units = sparql(
        """SELECT ?u (COUNT(DISTINCT ?i) AS ?n) WHERE { ?t kin:indicator ?i ; kin:unit ?u }
           GROUP BY ?u ORDER BY DESC(?n) ?u LIMIT 2"""
    )
    a, b = (facet_value(u["u"]) for u in units)
    both = int(
        sparql(
            f"""SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?t kin:indicator ?i ; kin:unit ?u .
              VALUES ?u {{ <{units[0]['u']}> <{units[1]['u']}> }} }}"""
        )[0]["n"]
    )
    assert both == int(units[0]["n"]) + int(units[1]["n"])
    listing = Listing(client, "indikator", [("satuan", a), ("satuan", b), ("per", "500")])
    assert listing.total == len(listing.rows) == both
    assert listing.chosen == {"satuan": {a, b}}
    # a facet's own counts ignore its own choice
    assert listing.facets["satuan"] == expected_counts(sparql, facet_value, "indikator", "satuan")


def test_two_facets_and_together(client, sparql, facet_value, remisi):
    office = remisi["2024"]["office"]
    unit = remisi["2024"]["unit"]
    n = int(
        sparql(
            f"""SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i kin:goal/kin:inDocument ?d .
              ?d kin:issuedBy <{office}> . ?t kin:indicator ?i ; kin:unit <{unit}> }}"""
        )[0]["n"]
    )
    only_office = int(
        sparql(
            f"""SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i kin:goal/kin:inDocument ?d .
              ?d kin:issuedBy <{office}> }}"""
        )[0]["n"]
    )
    assert 0 < n < only_office
    params = [("kantor", facet_value(office)), ("satuan", facet_value(unit))]
    listing = Listing(client, "indikator", params + [("per", "500")])
    assert listing.total == len(listing.rows) == n
    assert len(csv_rows(client, "indikator", params)) == n
    # other facets count within the choice; the office facet counts within the unit only
    years = sparql(
        f"""SELECT ?y (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i kin:goal/kin:inDocument ?d .
          ?d kin:issuedBy <{office}> ; kin:year ?y . ?t kin:indicator ?i ; kin:unit <{unit}> }}
          GROUP BY ?y"""
    )
    assert listing.facets["tahun"] == {y["y"]: int(y["n"]) for y in years}
    offices = sparql(
        f"""SELECT ?o (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i kin:goal/kin:inDocument ?d .
          ?d kin:issuedBy ?o . ?t kin:indicator ?i ; kin:unit <{unit}> }} GROUP BY ?o"""
    )
    assert listing.facets["kantor"] == {facet_value(o["o"]): int(o["n"]) for o in offices}


def test_sorting_by_year(client):
    down = Listing(client, "indikator", [("urut", "tahun"), ("arah", "turun"), ("per", "500")])
    years = down.column("Tahun")
    assert years[0] == "2024"
    assert years == sorted(years, reverse=True)
    up = Listing(client, "indikator", [("urut", "tahun"), ("arah", "naik"), ("per", "500")])
    assert up.column("Tahun")[0] == "2023"
    assert up.column("Tahun") == sorted(years)
    by_label = Listing(client, "indikator", [("per", "500")])
    labels = [label.lower() for label in by_label.column("Indikator")]
    assert labels == sorted(labels)


def test_pagination(client, local):
    everything = Listing(client, "indikator", [("per", "500")]).keys()
    page2 = Listing(client, "indikator", [("per", "10"), ("hal", "2")])
    assert page2.keys() == everything[10:20]
    assert page2.total == len(everything)
    nav = page2.page.find("nav", cls="pages")
    assert nav is not None
    prev = next(a for a in nav.find_all("a") if a.attrs.get("rel") == "prev")
    assert Listing(client, "indikator", parse_qsl(urlparse(prev.attrs["href"]).query)).keys() \
        == everything[0:10]
    csv_keys = [local(r["item_iri"]) for r in csv_rows(client, "indikator", {})]
    assert csv_keys == everything


def test_csv_of_a_filtered_listing_has_total_rows(client, facet_value, remisi):
    params = [("tahun", "2023"), ("satuan", facet_value(remisi["2023"]["unit"]))]
    listing = Listing(client, "indikator", params)
    rows = csv_rows(client, "indikator", params)
    assert len(rows) == listing.total > 0
    assert {r["year"] for r in rows} == {"2023"}
    assert {r["unit"] for r in rows} == {"persen"}
    assert listing.page.find("a", type="text/csv").attrs["href"] == (
        "/daftar/indikator.csv?" + urlencode(params)
    )


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("tahun", "20x"),
        ("hal", "0"),
        ("per", "100000"),
        ("foo", "1"),
        ("kantor", "../x"),
        ("urut", "bogus"),
        ("arah", "sideways"),
        ("kantor", ""),
        ("semua", "bogus"),
    ],
)
def test_bad_listing_parameters_are_400_naming_the_parameter(client, param, value):
    for url in ("/daftar/indikator", "/daftar/indikator.csv"):
        r = client.get(url, params={param: value})
        assert r.status_code == 400, (url, param, value)
        assert param in r.text
        assert r.headers["content-type"].startswith("text/plain")
    r = client.get("/daftar/indikator", params={param: value}, headers=HTML)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert param in dom(r.text).find("p", cls="error").text


@pytest.mark.parametrize("param", ["hal", "per"])
def test_non_ascii_digit_page_parameter_is_400(lenient_client, param):
    r = lenient_client.get("/daftar/indikator", params={param: "²"})
    assert r.status_code == 400 and param in r.text


def test_huge_page_number_is_not_a_server_error(lenient_client):
    r = lenient_client.get("/daftar/indikator", params={"hal": "1" + "0" * 23})
    assert r.status_code < 500


def test_unknown_listing_is_404(client):
    assert client.get("/daftar/bogus").status_code == 404
    assert client.get("/daftar/bogus.csv").status_code == 404
    r = client.get("/daftar/bogus", headers=HTML)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")


# --- 6. language ------------------------------------------------------------------------------


def test_english_by_query_and_by_cookie(client, remisi, local):
    for kwargs in ({"url": "/daftar/indikator?lang=en"},
                   {"url": "/daftar/indikator", "cookie": "kinerja_lang=en"}):
        headers = {"cookie": kwargs["cookie"]} if "cookie" in kwargs else {}
        page = html(client, kwargs["url"], **headers)
        assert page.find("html").attrs["lang"] == "en"
        assert page.find("h1").text == "Indicators"
        assert "results" in page.find("p", cls="summary").text
        assert page.find("a", cls="lang").text == "Bahasa Indonesia"
    indonesian = html(client, "/daftar/indikator")
    assert indonesian.find("html").attrs["lang"] == "id"
    assert indonesian.find("h1").text == "Indikator"
    trace = html(client, local(remisi["2023"]["i"]).replace("/id/", "/jejak/", 1) + "?lang=en")
    assert trace.find(id="tanpa-dasar").text == "This document states no legal bases at all."
    page = html(client, local(remisi["2024"]["i"]) + "?lang=en")
    assert page.find("p", cls="kind").text == "Indicator"
    assert "Trace to legal bases" in page.find("p", cls="actions").text


def test_language_switch_sets_cookie_and_returns(client):
    r = client.get("/bahasa/en", params={"kembali": "/daftar/dokumen"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/daftar/dokumen"
    assert re.search(r"(^|;|,)\s*kinerja_lang=en", r.headers["set-cookie"])
    page = html(client, "/daftar/dokumen")  # the client now sends the cookie
    assert page.find("html").attrs["lang"] == "en"
    assert page.find("h1").text == "Documents"
    back = client.get("/bahasa/id", params={"kembali": "/daftar/dokumen?tahun=2024"},
                      follow_redirects=False)
    assert back.headers["location"] == "/daftar/dokumen?tahun=2024"
    assert html(client, "/daftar/dokumen").find("html").attrs["lang"] == "id"


def test_language_toggle_link_comes_back_to_the_same_page(client):
    page = html(client, "/daftar/indikator?tahun=2024&per=10")
    toggle = page.find("a", cls="lang").attrs["href"]
    r = client.get(toggle, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/daftar/indikator?tahun=2024&per=10"


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil", "\\\\evil.example", "http:evil",
     "evil.example", "/\\/evil.example", " //evil.example", ""],
)
def test_language_switch_is_no_open_redirect(client, target):
    r = client.get("/bahasa/en", params={"kembali": target}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/"


def test_unknown_language_is_404(client):
    assert client.get("/bahasa/fr", params={"kembali": "/"}, follow_redirects=False)\
        .status_code == 404
    assert "set-cookie" not in client.get("/bahasa/fr").headers


# --- 7. safety and error pages -----------------------------------------------------------------


def test_pages_obey_the_content_security_policy(rendered):
    """Checked here over a page of every kind; html() checks every other page a test reads,
    and the link checker every page it follows."""
    assert len(rendered) > 40
    for url, text in rendered.items():
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", text, re.I), url
        assert not csp_problems(url, dom(text))


def test_the_csp_check_finds_what_it_looks_for():
    bad = dom(
        '<a href=" JavaScript:alert(1)">x</a><p style="color:red" onclick="f()">y</p>'
        "<script>alert(1)</script><style>p{}</style><script src=/static/x.js></script>"
    )
    assert len(csp_problems("/x", bad)) == 5


def test_error_pages_are_html_for_browsers_and_text_otherwise(client):
    r = client.get("/id/tidak/ada", headers=HTML)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    page = dom(r.text)
    assert "https://w3id.org/kinerja/id/tidak/ada" in page.find("p", cls="error").text
    assert "(404)" in page.find("h1").text
    for accept in (None, "text/turtle", "application/json", "*/*"):
        r = client.get("/id/tidak/ada", headers={"accept": accept} if accept else {})
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("text/plain"), accept
        assert "no resource" in r.text and "<html" not in r.text
    r = client.get("/daftar/indikator?tahun=20x", headers=HTML)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert "tahun" in dom(r.text).find("p", cls="error").text
    assert "(400)" in dom(r.text).find("h1").text
    r = client.get("/daftar/indikator?tahun=20x", headers={"accept": "*/*"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert "tahun" in r.text and "<html" not in r.text


# --- 8. links ---------------------------------------------------------------------------------


def local_links(text: str) -> list[str]:
    root = dom(text)
    links = [n.attrs["href"] for n in root.iter() if n.tag in ("a", "link") and n.attrs.get("href")]
    return [h.split("#", 1)[0] for h in links if h.startswith("/") and not h.startswith("//")]


def test_links_from_the_indicator_listing_work(client):
    """Every local link on /daftar/indikator, and every local link on the pages those reach.

    The listing pages at the second level are mostly combinations of two facet values
    (hundreds of them); of those, each listing is followed with every parameter value it is
    linked with at least once, and every other link is followed."""
    start = client.get("/daftar/indikator", headers=HTML)
    assert start.status_code == 200
    level1 = list(dict.fromkeys(local_links(start.text)))
    assert len(level1) > 50
    level2: dict[str, str] = {}
    for url in level1:
        r = client.get(url, headers=HTML, follow_redirects=False)
        client.cookies.clear()
        assert r.status_code < 400, f"/daftar/indikator -> {url}: {r.status_code}"
        if r.status_code == 200 and r.headers["content-type"].startswith("text/html"):
            assert not csp_problems(url, dom(r.text))
            for link in local_links(r.text):
                level2.setdefault(link, url)
    covered = {(urlparse(u).path, p) for u in level1 for p in parse_qsl(urlparse(u).query)}
    broken, followed = [], 0
    for url, on in level2.items():
        if url in level1:
            continue
        parts = urlparse(url)
        if parts.path.startswith("/daftar/") and parts.query:
            pairs = {(parts.path, p) for p in parse_qsl(parts.query)}
            if pairs <= covered:
                continue
            covered |= pairs
        r = client.get(url, headers=HTML, follow_redirects=False)
        client.cookies.clear()
        followed += 1
        if r.status_code >= 400:
            broken.append(f"{on} -> {url}: {r.status_code}")
        elif r.headers.get("content-type", "").startswith("text/html"):
            broken += csp_problems(url, dom(r.text))
    assert not broken, "\n".join(broken)
    assert followed > 500


def test_only_the_served_process_tunes_the_collector(built_settings):
    """``kinerja serve`` makes its app with ``tune_gc``: once started, the collector has
    ``GC_THRESHOLDS`` and every object made so far is frozen, until it stops. An app made
    without it (in tests, or in another program) leaves the collector as it was."""
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with TestClient(create_app(built_settings)) as client:
        assert client.get("/health").status_code == 200
        assert gc.get_threshold() == before and gc.get_freeze_count() == frozen
    try:
        with TestClient(create_app(built_settings, tune_gc=True)) as client:
            assert client.get("/health").status_code == 200
            assert gc.get_threshold() == GC_THRESHOLDS != before
            assert gc.get_freeze_count() > frozen
        assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
