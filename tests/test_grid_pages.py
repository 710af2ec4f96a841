"""Comparison grids in pages: a page holds whole offices, in the order of their labels, at
most ``PAGE_TARGETS`` targets (or one office that alone has more). The pages of the index
and of SPARQL agree, together they hold the whole grid, the charts summarise every target,
and the CSV is the whole grid whatever the page."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from kinerja.catalogue import grid as grids
from kinerja.catalogue.grid import Page, grid, offices, paginate
from kinerja.catalogue.listing_pages import ListingIndex
from kinerja.store import LISTING, current_path
from server.app import create_app
from tests.conftest import generated_build
from tests.test_catalogue_views import Node, cell_texts, dom, grid_table, html
from tests.test_grid_index import _comparable

LIMIT = 2  # targets a page holds in these tests: several pages from a small build


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    s, reader = generated_build(tmp_path_factory.mktemp("pages"), 4, seed=3)
    index = ListingIndex(current_path(s.store_dir) / LISTING, s.base_iri)
    with TestClient(create_app(s)) as client:
        yield s, reader, index, client
    index.close()


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(grids, "PAGE_TARGETS", LIMIT)


def _widest(reader, kind_class: str, via: str) -> str:
    """The resource of this class whose grid has the most targets."""
    [top] = reader.select(
        f"""SELECT ?r (COUNT(DISTINCT ?t) AS ?n) WHERE {{ ?r a {kind_class} .
              ?i {via} ?r . ?t kin:indicator ?i ; kin:office ?o }}
            GROUP BY ?r ORDER BY DESC(?n) ?r LIMIT 1"""
    )
    return top["r"].text


def _key(t) -> tuple:
    return tuple(t[k].text if k in t else None for k in ("target", "text", "office", "year"))


def test_pages_hold_whole_offices_up_to_the_limit():
    found = [("a", "A", 2), ("b", "B", 3), ("c", "C", 9), ("d", "D", 1), ("e", "E", 1)]
    assert paginate(found, 5) == [
        Page([("a", "A", 2), ("b", "B", 3)], 5),
        Page([("c", "C", 9)], 9),  # alone, over the limit: it cannot be cut
        Page([("d", "D", 1), ("e", "E", 1)], 2),
    ]
    assert paginate([], 5) == []
    assert paginate(found, 100) == [Page(found, 16)]


@pytest.mark.parametrize("kind, cls, via", [
    ("concept", "kin:IndicatorConcept", "kin:concept"),
    ("program", "kin:Program", "kin:goal/kin:program"),
])
def test_the_pages_together_are_the_whole_grid(generated, small_pages, kind, cls, via):
    s, reader, index, _ = generated
    resource = _widest(reader, cls, via)
    whole = grid(reader, resource, kind, index)
    listed = offices(reader, resource, kind, index)
    assert listed == offices(reader, resource, kind)  # the index and SPARQL agree
    assert [o[1] for o in listed] == sorted(o[1] for o in listed)
    assert sum(o[2] for o in listed) == len(whole.targets)
    first = grid(reader, resource, kind, index, page=1)
    assert first.paged and first.total == len(whole.targets)
    assert first.pages == grid(reader, resource, kind, page=1).pages  # as by SPARQL
    seen = []
    for n, page in enumerate(first.pages, 1):
        assert page.targets <= LIMIT or len(page.offices) == 1
        found = grid(reader, resource, kind, index, page=n)
        expected = grid(reader, resource, kind, page=n)  # by SPARQL
        assert _comparable(found) == _comparable(expected)  # every column, in order
        assert {t["office"].text for t in found.targets} == {o[0] for o in page.offices}
        assert len(found.targets) == page.targets
        seen += found.targets
    assert sorted(map(_key, seen)) == sorted(map(_key, whole.targets))


def test_a_page_past_the_last_is_refused(generated, small_pages):
    _, reader, index, _ = generated
    resource = _widest(reader, "kin:IndicatorConcept", "kin:concept")
    pages = len(grid(reader, resource, "concept", index, page=1).pages)
    with pytest.raises(grids.GridPageError, match=f"no page {pages + 1}: this grid has {pages}"):
        grid(reader, resource, "concept", index, page=pages + 1)


def test_a_grid_within_the_limit_is_one_page(generated):
    _, reader, index, _ = generated
    resource = _widest(reader, "kin:IndicatorConcept", "kin:concept")
    g = grid(reader, resource, "concept", index, page=1)
    assert not g.paged and len(g.pages) == 1 and g.numbers is None
    assert g.total == len(g.targets) <= grids.PAGE_TARGETS


def test_the_page_shows_its_offices_links_the_others_and_charts_every_target(
    generated, small_pages
):
    s, reader, index, client = generated
    resource = _widest(reader, "kin:IndicatorConcept", "kin:concept")
    path = "/banding/" + resource[len(s.base_iri + "id/"):]
    pages = grid(reader, resource, "concept", index, page=1).pages
    assert len(pages) >= 3
    page = html(client, path + "?hal=2")
    rows = [th.text.strip() for th in page.find("tbody").find_all("th")]
    assert rows == [o[1] for o in pages[1].offices]
    hrefs = page.hrefs()
    assert path + "?hal=1" in hrefs and path + "?hal=3" in hrefs
    listed = page.find("details", cls="grid-pages").find_all("li")
    assert len(listed) == len(pages)
    assert listed[1].find("strong").attrs["aria-current"] == "page"
    total = sum(p.targets for p in pages)
    assert f"{total} target" in page.find("p", cls="summary").text
    # the charts count every target with a value, not only this page's
    valued = reader.select(
        f"SELECT (COUNT(?t) AS ?n) WHERE {{ ?i kin:concept <{resource}> . "
        "?t kin:indicator ?i ; kin:targetValue ?v }"
    )[0]["n"].text
    counted = 0
    for figure in page.find_all("figure", cls="chart"):
        for text in figure.find_all("text"):
            counted += int(text.text.rsplit(", ", 1)[1].split()[0])
    assert counted == int(valued) > LIMIT


def test_the_csv_is_the_whole_grid_whatever_the_page(generated, small_pages):
    s, reader, index, client = generated
    resource = _widest(reader, "kin:IndicatorConcept", "kin:concept")
    path = "/banding/" + resource[len(s.base_iri + "id/"):]
    whole = grid(reader, resource, "concept", index)
    r = client.get(path, params={"format": "csv", "hal": "2"})
    assert r.status_code == 200
    assert len(list(csv.reader(io.StringIO(r.text)))) == 1 + len(whole.targets)


@pytest.mark.parametrize("hal, status", [("0", 400), ("dua", 400), ("-1", 400), ("99", 404)])
def test_a_bad_page_number_names_the_parameter(generated, small_pages, hal, status):
    s, reader, _, client = generated
    resource = _widest(reader, "kin:IndicatorConcept", "kin:concept")
    path = "/banding/" + resource[len(s.base_iri + "id/"):]
    r = client.get(path, params={"hal": hal}, headers={"Accept": "text/html"})
    assert r.status_code == status
    assert "hal" in dom(r.text).find("main").text


def test_an_office_outside_the_base_keeps_its_iri():
    """The office facet gives an office under ``id/`` by its path, any other by its IRI."""
    prefix = "https://w3id.org/kinerja/id/"
    assert grids._iri(prefix, "organisasi/x") == prefix + "organisasi/x"
    assert grids._iri(prefix, "https://example.org/kantor/1") == "https://example.org/kantor/1"


@pytest.fixture(scope="module")
def repeated(tmp_path_factory):
    """A build where an office states one concept more than once in a year (two targets
    in one cell of the concept's grid)."""
    s, reader = generated_build(tmp_path_factory.mktemp("repeated"), 12, seed=1)
    with TestClient(create_app(s)) as client:
        yield s, reader, client


def test_a_rule_parts_the_targets_of_one_cell(repeated):
    """A cell of several targets draws a rule between each two, none before the first or
    after the last; a cell of one has none."""
    s, reader, client = repeated
    found = reader.select(
        """SELECT ?c WHERE { ?t kin:indicator ?i ; kin:office ?o ; kin:year ?y .
             ?i kin:concept ?c } GROUP BY ?c ?o ?y HAVING (COUNT(?t) > 1) ORDER BY ?c"""
    )
    assert found
    concept = found[0]["c"].text
    _header, rows = grid_table(html(client, "/banding/" + concept[len(s.base_iri + "id/"):]))
    sizes = []
    for cells in rows.values():
        for td in cells.values():
            entries = cell_texts(td)
            kinds = [k.tag if isinstance(k, Node) else "text" for k in td.children
                     if not (isinstance(k, str) and not k.strip())]
            if not entries:
                assert "hr" not in kinds
                continue
            sizes.append(len(entries))
            assert kinds.count("hr") == len(entries) - 1
            assert kinds[0] == "a" and kinds[-1] != "hr"
    assert max(sizes) > 1 and min(sizes) == 1
