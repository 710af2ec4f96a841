"""Comparison grids in pages: a page holds whole offices, in the order of their labels, at
most ``PAGE_TARGETS`` targets; a page of one office that alone has more is cut into parts,
runs of its years with at most ``PAGE_TARGETS`` (a year that alone has more, a part of its
own). The pages and parts of the index and of SPARQL agree, together they hold the whole
grid, the charts summarise every target, and the CSV is the whole grid whatever the page."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from kinerja.catalogue import grid as grids
from kinerja.catalogue.grid import Page, Part, cut, grid, offices, paginate
from kinerja.catalogue.listing_pages import ListingIndex
from kinerja.store import LISTING, current_path
from server.app import create_app
from tests.conftest import generated_build
from tests.test_catalogue_views import Node, cell_texts, dom, grid_table, html
from tests.test_grid_index import _comparable

LIMIT = 2  # targets a page holds in these tests: several pages from a small build
PROGRAM, CONCEPT = "kin:goal/kin:program", "kin:concept"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    # seed 0: an office with the targets of two years in one program
    s, reader = generated_build(tmp_path_factory.mktemp("pages"), 4, seed=0)
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


def _cut_by_year(reader, via: str) -> str:
    """Of the resources (of a grid through ``via``) with an office that states targets of
    it in more than one year, the one with the most offices."""
    [top] = reader.select(
        f"""SELECT ?r (COUNT(DISTINCT ?o) AS ?n) WHERE {{
             {{ SELECT ?r WHERE {{ ?i {via} ?r . ?t kin:indicator ?i ; kin:office ?o ;
                 kin:year ?y }} GROUP BY ?r ?o HAVING (COUNT(DISTINCT ?y) > 1) }}
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
    assert [p.span for p in paginate(found, 5)] == ["A – B", "C", "D – E"]


def test_one_office_s_years_are_cut_into_runs_up_to_the_limit():
    years = [("2025", 1), ("2023", 2), ("2024", 6), ("2026", 1), ("2027", 1)]
    parts = cut(years, 3)
    assert parts == [
        Part(("2023",), 2),
        Part(("2024",), 6),  # alone, over the limit: it cannot be cut
        Part(("2025", "2026", "2027"), 3),
    ]
    assert [p.span for p in parts] == ["2023", "2024", "2025–2027"]
    assert cut([], 3) == []


@pytest.mark.parametrize("kind, cls, via", [
    ("concept", "kin:IndicatorConcept", "kin:concept"),
    ("program", "kin:Program", "kin:goal/kin:program"),
    ("program", None, None),  # the program cut by year
])
def test_the_pages_together_are_the_whole_grid(generated, small_pages, kind, cls, via):
    s, reader, index, _ = generated
    resource = _widest(reader, cls, via) if cls else _cut_by_year(reader, PROGRAM)
    whole = grid(reader, resource, kind, index)
    listed = offices(reader, resource, kind, index)
    assert listed == offices(reader, resource, kind)  # the index and SPARQL agree
    assert [o[1] for o in listed] == sorted(o[1] for o in listed)
    assert sum(o[2] for o in listed) == len(whole.targets)
    first = grid(reader, resource, kind, index, page=1)
    assert first.paged and first.total == len(whole.targets)
    assert first.pages == grid(reader, resource, kind, page=1).pages  # as by SPARQL
    seen, cuts = [], 0
    for n, page in enumerate(first.pages, 1):
        assert page.targets <= LIMIT or len(page.offices) == 1
        parts = grid(reader, resource, kind, index, page=n).parts
        assert parts == grid(reader, resource, kind, page=n).parts  # as by SPARQL
        years = {t["year"].text for t in whole.targets if t["office"].text == page.offices[0][0]}
        # cut when one office has more than a page holds, in more than one year
        assert bool(parts) == (page.targets > LIMIT and len(years) > 1)
        cuts += bool(parts)
        assert sum(p.targets for p in parts) == (page.targets if parts else 0)
        for part in range(1, len(parts) + 1) if parts else [1]:
            found = grid(reader, resource, kind, index, page=n, part=part)
            expected = grid(reader, resource, kind, page=n, part=part)  # by SPARQL
            assert _comparable(found) == _comparable(expected)  # every column, in order
            assert {t["office"].text for t in found.targets} == {o[0] for o in page.offices}
            if parts:
                here = parts[part - 1]
                assert here.targets <= LIMIT or len(here.years) == 1
                assert {t["year"].text for t in found.targets} == set(here.years)
                assert len(found.targets) == here.targets
            else:
                assert len(found.targets) == page.targets
            seen += found.targets
    assert sorted(map(_key, seen)) == sorted(map(_key, whole.targets))
    assert cuts or cls  # the program cut by year has parts


def test_a_page_past_the_last_is_refused(generated, small_pages):
    _, reader, index, _ = generated
    resource = _widest(reader, "kin:IndicatorConcept", "kin:concept")
    pages = len(grid(reader, resource, "concept", index, page=1).pages)
    with pytest.raises(grids.GridPageError, match=f"no page {pages + 1}: this grid has {pages}"):
        grid(reader, resource, "concept", index, page=pages + 1)
    with pytest.raises(grids.GridPageError, match="no part 2: page 1 of this grid has 1 part"):
        grid(reader, resource, "concept", index, page=1, part=2)


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
    path = _banding(s, resource)
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
    assert _charted(page) == _valued(reader, resource) > LIMIT


def test_the_numbers_charted_from_the_index_are_those_of_sparql(generated, small_pages):
    """A concept's grid in pages charts every target's numbers: counted by the listing
    index, each distinct combination once, they tally the targets SPARQL gives."""
    _s, reader, index, _client = generated
    resource = _widest(reader, "kin:IndicatorConcept", "kin:concept")
    each = grid(reader, resource, "concept", None, page=1).numbers

    def refuse(*args, **kwargs):
        raise AssertionError("a query was sent")

    with pytest.MonkeyPatch.context() as m:  # from the index alone, not SPARQL's fallback
        m.setattr(reader, "select", refuse)
        counted = grid(reader, resource, "concept", index, page=1).numbers
    assert counted is not None and each is not None
    assert any(n > 1 for _t, n in counted)  # some combination stands for several targets

    def tally(numbers) -> Counter:
        out: Counter = Counter()
        for row, n in numbers:
            out[tuple(row[c].text if c in row else None for c in grids.NUMBERS)] += n
        return out

    assert tally(counted) == tally(each) and len(counted) == len(tally(counted))
    assert sum(n for _t, n in counted) == len(each) > LIMIT


def _banding(s, resource: str) -> str:
    """The address of the grid of ``resource``."""
    return "/banding/" + resource[len(s.base_iri + "id/"):]


def _charted(page: Node) -> int:
    """The targets the charts of a grid's page count."""
    return sum(int(text.text.rsplit(", ", 1)[1].split()[0])
               for figure in page.find_all("figure", cls="chart")
               for text in figure.find_all("text"))


def _valued(reader, concept: str) -> int:
    """The targets with a value of the indicators of ``concept``."""
    return int(reader.select(
        f"SELECT (COUNT(?t) AS ?n) WHERE {{ ?i kin:concept <{concept}> . "
        "?t kin:indicator ?i ; kin:targetValue ?v }"
    )[0]["n"].text)


def _cut_page(reader, index, kind: str = "program") -> tuple[str, int, grids.Grid]:
    """A resource whose grid has a page cut by year, the page's number and its grid."""
    resource = _cut_by_year(reader, PROGRAM if kind == "program" else CONCEPT)
    pages = grid(reader, resource, kind, index, page=1).pages
    for n in range(1, len(pages) + 1):
        g = grid(reader, resource, kind, index, page=n)
        if g.parts:
            return resource, n, g
    raise AssertionError(f"no page of the grid of {resource} is cut by year")


def _pager(page: Node) -> tuple[str | None, str | None]:
    """The previous and next links of a grid's pager (the first of its two)."""
    nav = page.find("nav", cls="pages")
    found = {a.attrs["rel"]: a.attrs["href"] for a in nav.find_all("a")}
    return found.get("prev"), found.get("next")


def test_a_part_shows_its_years_and_links_the_other_parts(generated, small_pages):
    s, reader, index, client = generated
    resource, n, g = _cut_page(reader, index)
    path = _banding(s, resource)
    (office,) = g.pages[n - 1].offices
    last = len(g.parts)
    page = html(client, f"{path}?hal={n}&bagian={last}")
    header, _rows = grid_table(page)
    # a program's columns are (office, year): this office, this part's years, nothing else
    assert header[1:] == [f"{office[1]} {y}" for y in g.parts[-1].years]
    nav = page.find("nav", cls="parts")
    assert nav.find("strong", **{"aria-current": "page"}).text == g.parts[-1].span
    assert [a.text for a in nav.find_all("a")] == [p.span for p in g.parts[:-1]]
    assert nav.hrefs() == [f"{path}?hal={n}&bagian={i}" for i in range(1, last)]
    summary = page.find("p", cls="summary").text
    assert f"tahun {g.parts[-1].span} ({g.parts[-1].targets} target)." in summary
    assert len(g.pages) == 1  # nothing to say about pages
    assert "halaman" not in summary and page.find("details", cls="grid-pages") is None
    assert _pager(page) == (f"{path}?hal={n}&bagian={last - 1}",
                            f"{path}?hal={n + 1}" if n < len(g.pages) else None)


def test_the_pager_goes_through_the_parts_then_to_the_next_page(generated, monkeypatch):
    """A concept's grid of one target a page: pages of one office each, the office that
    states the concept in two years cut in two parts. Previous and next step through the
    parts, and from the page's first and last part to the page before and after."""
    monkeypatch.setattr(grids, "PAGE_TARGETS", 1)
    s, reader, index, client = generated
    resource, n, g = _cut_page(reader, index, "concept")
    path = _banding(s, resource)
    assert len(g.pages) > 1 and len(g.parts) == 2
    first, second = html(client, f"{path}?hal={n}"), html(client, f"{path}?hal={n}&bagian=2")
    before = f"{path}?hal={n - 1}" if n > 1 else None
    after = f"{path}?hal={n + 1}" if n < len(g.pages) else None
    assert _pager(first) == (before, f"{path}?hal={n}&bagian=2")
    assert _pager(second) == (f"{path}?hal={n}&bagian=1", after)
    summary = second.find("p", cls="summary").text
    assert f"halaman {n} dari {len(g.pages)}" in summary
    assert f"tahun {g.parts[1].span} (1 target)." in summary
    # a concept's rows are offices, its columns years: this part's one year
    header, rows = grid_table(second)
    assert header[1:] == list(g.parts[1].years) and len(rows) == 1
    # the charts still count every target with a value, not only this part's
    assert _charted(second) == _valued(reader, resource) > 1


def test_pages_and_parts_from_the_index_send_no_query(generated, small_pages, monkeypatch):
    """With the listing index, a cut page's years and a part's targets are read from it:
    a choice it stopped taking would fall back to SPARQL, slower, with the same answer."""
    _s, reader, index, _client = generated
    resource, n, g = _cut_page(reader, index)
    expected = [grid(reader, resource, "program", index, page=n, part=k)
                for k in range(1, len(g.parts) + 1)]

    def refuse(*args, **kwargs):
        raise AssertionError("a query was sent")

    monkeypatch.setattr(reader, "select", refuse)
    found = [grid(reader, resource, "program", index, page=n, part=k)
             for k in range(1, len(g.parts) + 1)]
    assert [_comparable(x) for x in found] == [_comparable(x) for x in expected]
    assert all(x.parts == g.parts for x in found)


def test_the_csv_is_the_whole_grid_whatever_the_page(generated, small_pages):
    s, reader, index, client = generated
    resource = _widest(reader, "kin:IndicatorConcept", "kin:concept")
    path = _banding(s, resource)
    whole = grid(reader, resource, "concept", index)
    r = client.get(path, params={"format": "csv", "hal": "2"})
    assert r.status_code == 200
    assert len(list(csv.reader(io.StringIO(r.text)))) == 1 + len(whole.targets)


@pytest.mark.parametrize("name, value, status", [
    ("hal", "0", 400), ("hal", "dua", 400), ("hal", "-1", 400), ("hal", "99", 404),
    ("bagian", "0", 400), ("bagian", "x", 400), ("bagian", "99", 404),
])
def test_a_bad_page_or_part_number_names_the_parameter(generated, small_pages, name, value,
                                                       status):
    s, reader, index, client = generated
    resource, n, _g = _cut_page(reader, index)
    path = _banding(s, resource)
    params = {"hal": str(n), name: value}
    r = client.get(path, params=params, headers={"Accept": "text/html"})
    assert r.status_code == status
    assert f"{name}:" in dom(r.text).find("main").text


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
    _header, rows = grid_table(html(client, _banding(s, concept)))
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
