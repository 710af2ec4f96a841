"""A widespread concept on the catalogue: the chart under its comparison grid, and the
other documents an indicator page shows. The chart: a bar per target while there are few, a
range per year (lowest to highest, median marked) once there are more than
``server.charts.MAX_BARS``, so the chart of a concept stated nationwide stays readable."""

from __future__ import annotations

import statistics
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from kinerja.catalogue import grid as grids
from server import views
from server.app import create_app
from server.charts import range_chart
from server.render import number
from tests.conftest import generated_build
from tests.test_catalogue_views import dom


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    s, reader = generated_build(tmp_path_factory.mktemp("charts"), 4, seed=3)
    with TestClient(create_app(s)) as client:
        yield s, reader, client


@pytest.fixture(scope="module")
def widest(generated):
    """The concept with the most targets that have a value, and those values by year."""
    s, reader, _ = generated
    [top] = reader.select(
        """SELECT ?c (COUNT(?t) AS ?n) WHERE { ?i kin:concept ?c .
             ?t kin:indicator ?i ; kin:targetValue ?v } GROUP BY ?c ORDER BY DESC(?n) ?c LIMIT 1"""
    )
    concept = top["c"].text
    by_year: dict[str, list[Decimal]] = {}
    for r in reader.select(
        f"""SELECT ?t ?y ?v WHERE {{ ?i kin:concept <{concept}> .
              ?t kin:indicator ?i ; kin:year ?y ; kin:targetValue ?v }}"""
    ):
        by_year.setdefault(r["y"].text, []).append(Decimal(r["v"].text))
    path = "/banding/" + concept[len(s.base_iri + "id/") :]
    return path, by_year


def chart_of(client, path: str):
    page = dom(client.get(path, headers={"Accept": "text/html"}).text)
    return page.find("figure", cls="chart")


def test_few_targets_get_a_bar_each(generated, widest):
    _, _, client = generated
    path, by_year = widest
    n = sum(len(v) for v in by_year.values())
    assert 2 < n <= views.MAX_BARS
    figure = chart_of(client, path)
    assert len(figure.find_all("rect")) == n
    assert figure.find_all("rect", cls="range") == []


def test_many_targets_get_a_range_per_year(generated, widest, monkeypatch):
    _, _, client = generated
    path, by_year = widest
    assert any(len(v) > 1 for v in by_year.values()), "no year with several targets to sum up"
    monkeypatch.setattr(views, "MAX_BARS", 2)
    figure = chart_of(client, path)
    assert "median" in figure.find("figcaption").text
    expected = [
        f"{year}: {number(statistics.median(v))} ({number(min(v))}–{number(max(v))}), "
        f"{len(v)} target"
        for year, v in sorted(by_year.items())
    ]
    assert [t.text for t in figure.find_all("text")] == expected
    assert len(figure.find_all("rect", cls="range")) == len(by_year)
    assert len(figure.find_all("rect", cls="median")) == len(by_year)


def test_a_grid_in_pages_charts_every_target_weighed_by_its_count(
    generated, widest, monkeypatch
):
    """A grid in pages charts every target from the values the listing index counts, each
    distinct year, value and unit once: a value several targets share weighs as many in
    the median, the range and the number of targets."""
    _, _, client = generated
    path, by_year = widest
    shared = [v for v in by_year.values() if len(set(v)) < len(v)]
    assert shared, "no value that several targets of a year share"
    monkeypatch.setattr(grids, "PAGE_TARGETS", 1)
    figure = chart_of(client, path)
    expected = [
        f"{year}: {number(statistics.median(v))} ({number(min(v))}–{number(max(v))}), "
        f"{len(v)} target"
        for year, v in sorted(by_year.items())
    ]
    assert [t.text for t in figure.find_all("text")] == expected


def test_range_chart_places_lowest_median_and_highest_on_one_scale():
    chart = range_chart("persen", [("2023", 0, 50, 100, ""), ("2024", 20, 20, 40, "")])
    w = chart.plot_width
    a, b = chart.spans
    assert (a.low, a.median, a.high) == (0, w / 2, w)
    assert (b.low, b.median, b.high) == (w / 5, w / 5, 2 * w / 5)
    assert b.y > a.y and chart.height > b.y
    below = range_chart("persen", [("2023", -10, 0, 10, "")])
    assert (below.spans[0].low, below.spans[0].median, below.spans[0].high) == (0, w / 2, w)


def test_an_indicator_page_shows_a_few_others_and_links_the_grid(generated, widest, monkeypatch):
    """The other documents stating an indicator's concept: the first few by IRI, how many
    there are, and the comparison grid that shows them all."""
    from kinerja.catalogue import resources

    s, reader, client = generated
    path, _ = widest
    concept = s.base_iri + "id/" + path[len("/banding/") :]
    indicators = sorted(
        r["i"].text for r in reader.select(f"SELECT ?i WHERE {{ ?i kin:concept <{concept}> }}")
    )
    assert len(indicators) > 3
    monkeypatch.setattr(resources, "OTHERS_PREVIEW", 2)
    own = indicators[-1]
    page = dom(client.get("/" + own[len(s.base_iri) :], headers={"Accept": "text/html"}).text)
    section = page.find("section", **{"aria-labelledby": "other-h"})
    assert section.find("h2").text.endswith(f"({len(indicators) - 1})")
    rows = section.find("tbody").kids("tr")
    shown = {h for tr in rows for h in tr.hrefs()}
    first = ["/" + i[len(s.base_iri) :] for i in indicators[:2]]
    assert len(rows) == 2 and set(first) <= shown
    note = " ".join(section.find("p", cls="note").text.split())
    assert f"Menampilkan 2 dari {len(indicators) - 1}" in note
    assert path in section.find("p", cls="note").hrefs()
