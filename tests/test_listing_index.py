"""The listing index (kinerja.catalogue.listing_index, listing_pages, listing_plan).

Its answers are those of the SPARQL listing (``listing.run`` without an index, kept as the
reference) on the seeds, on generated documents and on a small graph of edge cases; an
incremental update leaves the same tables a full build of the changed store writes.
"""

from __future__ import annotations

import collections
import itertools
import logging
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from kinerja.build import build
from kinerja.catalogue import listing as listings
from kinerja.catalogue import listing_index, listing_pages, listing_plan, listing_update
from kinerja.catalogue.listing import LISTINGS, Facet, Listing, Result, run
from kinerja.catalogue.listing_index import SAME_KEY, _sort_key, build_index, key_id
from kinerja.catalogue.listing_pages import ListingIndex, StaleIndex
from kinerja.catalogue.listing_update import update_index
from kinerja.catalogue.reader import Reader
from kinerja.settings import Settings
from kinerja.store import (
    GRAPH,
    LISTING,
    READ_MMAP_BYTES,
    current_path,
    open_sqlite_read_only,
    open_store,
)
from server.app import create_app
from tests.conftest import SOURCES, edit_source, generated_build
from tests.test_catalogue_views import HTML, dom
from tests.test_incremental import BANGKA, KALBAR

BASE = "https://w3id.org/kinerja/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Edge cases, each named in a comment: labels that lowercase beyond ASCII, ties, items
# with several rows, optional columns left unbound, facets with several values, a legal
# basis that is an article of an instrument, items no row pattern matches.
EDGES = """
@prefix kin: <https://w3id.org/kinerja/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/kinerja/id/> .

<organisasi/m> a org:FormalOrganization ; rdfs:label "Kementerian Uji"@id .
<organisasi/a> a org:OrganizationalUnit ; rdfs:label "Kantor Ä"@id ; org:unitOf <organisasi/m> .
<organisasi/b> a org:OrganizationalUnit ; rdfs:label "Kantor B"@id .
<jenis-dokumen/iku> skos:notation "IKU" ;
    rdfs:label "Indikator Kinerja Utama"@id, "Key performance indicators"@en .
<jenis-dokumen/ikk> skos:notation "IKK" ; rdfs:label "Indikator Kinerja Kegiatan"@id .
<jenis-peraturan/uu> skos:notation "UU" ; rdfs:label "Undang-Undang"@id, "Law"@en .
<jenis-peraturan/permen> skos:notation "Permen" ; rdfs:label "Peraturan Menteri"@id .
<satuan/persen> skos:notation "persen" ; rdfs:label "persen"@id, "percent"@en .
<satuan/indeks> skos:notation "indeks" ; rdfs:label "indeks"@id .

<peraturan/uu/1> a eli:LegalResource ; rdfs:label "UU 1/2020"@id ;
    eli:type_document <jenis-peraturan/uu> ; eli:number "1" ; kin:year "2020"^^xsd:gYear ;
    eli:title "tentang Uji" .
<peraturan/uu/1/pasal/2> eli:is_part_of <peraturan/uu/1> .
# no number, year or title
<peraturan/permen/3> a eli:LegalResource ; rdfs:label "Permen 3"@id ;
    eli:type_document <jenis-peraturan/permen> .
# a year, but no row: its type has no notation
<jenis-peraturan/pp> rdfs:label "Peraturan Pemerintah"@id .
<peraturan/pp/4> a eli:LegalResource ; rdfs:label "PP 4/2021"@id ;
    eli:type_document <jenis-peraturan/pp> ; kin:year "2021"^^xsd:gYear .

# based on an article of a law, and on a regulation itself; two labels: every row
# showing the document comes twice
<dokumen/a/2024> a kin:PerformanceDocument ; rdfs:label "IKU Kantor A 2024"@id,
    "iku kantor a 2024"@id ;
    kin:year "2024"^^xsd:gYear ; kin:issuedBy <organisasi/a> ;
    kin:documentType <jenis-dokumen/iku> ; eli:number "W.1-2024" ;
    eli:based_on <peraturan/uu/1/pasal/2>, <peraturan/permen/3> .
<dokumen/b/2023> a kin:PerformanceDocument ; rdfs:label "IKK Kantor B 2023"@id ;
    kin:year "2023"^^xsd:gYear ; kin:issuedBy <organisasi/b> ;
    kin:documentType <jenis-dokumen/ikk> ; eli:based_on <peraturan/uu/1> .
<dokumen/b/2024> a kin:PerformanceDocument ; rdfs:label "IKU Kantor B 2024"@id ;
    kin:year "2024"^^xsd:gYear ; kin:issuedBy <organisasi/b> ;
    kin:documentType <jenis-dokumen/iku> .

<program/p> a kin:Program ; rdfs:label "Program Ü"@id .
# no goal: counted, but no row (the count of goals has no group for it)
<program/q> a kin:Program ; rdfs:label "program q"@id .
<sasaran/1> a kin:Goal ; rdfs:label "Sasaran satu"@id ; skos:notation "1" ;
    kin:inDocument <dokumen/a/2024> ; kin:program <program/p> .
<sasaran/2> a kin:Goal ; rdfs:label "sasaran dua"@id ; skos:notation "2" ;
    kin:inDocument <dokumen/b/2023> .
<sasaran/3> a kin:Goal ; rdfs:label "Ásasaran tiga"@id ; skos:notation "3" ;
    kin:inDocument <dokumen/b/2024> ; kin:program <program/p> .

<konsep/x> a kin:IndicatorConcept ; rdfs:label "Éclair"@id .
<konsep/y> a kin:IndicatorConcept ; rdfs:label "zebra"@id .
<konsep/z> a kin:IndicatorConcept ; rdfs:label "tanpa indikator"@id .

# by LCASE: eagle, i̇stanbul, zebra, zebra (a tie, broken by IRI), ábaco, éclair
<indikator/1> a kin:Indicator ; rdfs:label "Éclair"@id ; skos:notation "1.1" ;
    kin:goal <sasaran/1> ; kin:concept <konsep/x> .
<indikator/2> a kin:Indicator ; rdfs:label "eagle"@id ; skos:notation "1.2" ;
    kin:goal <sasaran/1> ; kin:concept <konsep/y> .
<indikator/3> a kin:Indicator ; rdfs:label "Zebra"@id ; skos:notation "2.1" ;
    kin:goal <sasaran/2> ; kin:concept <konsep/y> .
<indikator/4> a kin:Indicator ; rdfs:label "zebra"@id ; skos:notation "3.1" ;
    kin:goal <sasaran/3> ; kin:concept <konsep/y> .
<indikator/5> a kin:Indicator ; rdfs:label "ábaco"@id ; skos:notation "3.2" ;
    kin:goal <sasaran/3> ; kin:concept <konsep/x> .
<indikator/6> a kin:Indicator ; rdfs:label "İstanbul"@id ; skos:notation "2.2" ;
    kin:goal <sasaran/2> ; kin:concept <konsep/y> .
# no goal: counted, but in no row
<indikator/7> a kin:Indicator ; rdfs:label "yatim"@id .

<target/1> kin:indicator <indikator/1> ; kin:targetText "88 %" ; kin:unit <satuan/persen> .
# two targets: two rows, two units
<target/2a> kin:indicator <indikator/2> ; kin:targetText "1 %" ; kin:unit <satuan/persen> .
<target/2b> kin:indicator <indikator/2> ; kin:targetText "3,1" ; kin:unit <satuan/indeks> .
# no unit
<target/4> kin:indicator <indikator/4> ; kin:targetText "lima" .
<target/5> kin:indicator <indikator/5> ; kin:targetText "2" ; kin:unit <satuan/indeks> .
<target/6> kin:indicator <indikator/6> ; kin:targetText "70 %" ; kin:unit <satuan/persen> .
"""


# --- comparing -----------------------------------------------------------------------------
def grouped(result: Result) -> list[tuple[str, list]]:
    """The rows as (item, its rows in any order): SPARQL leaves the order of one item's
    rows open (they tie on the sort key and on ?item)."""
    out: list[tuple[str, list]] = []
    for row in result.rows:
        item = row["item"].text
        cells = sorted((k, v.text, v.iri, v.lang, v.datatype) for k, v in row.items())
        if out and out[-1][0] == item:
            out[-1][1].append(cells)
        else:
            out.append((item, [cells]))
    return [(item, sorted(rows)) for item, rows in out]


def assert_same(reader: Reader, index: ListingIndex, listing: Listing, params, lang="id"):
    """The index's answer to ``params`` is the SPARQL listing's."""
    expected = run(reader, listing, params, lang)
    found = run(reader, listing, params, lang, index=index)
    where = (listing.name, params, lang)
    for attribute in ("total", "page", "per_page", "sort", "descending", "chosen", "facets",
                      "hidden"):
        assert getattr(found, attribute) == getattr(expected, attribute), (where, attribute)
    if expected.page == 1 and len(expected.rows) < expected.per_page:  # every row
        assert grouped(found) == grouped(expected), where
    else:  # a page: the same items (an item's rows may straddle the page's end)
        assert [r["item"].text for r in found.rows] == [r["item"].text for r in expected.rows]
    whole = run(reader, listing, params, lang, everything=True)
    assert grouped(run(reader, listing, params, lang, True, index)) == grouped(whole), where


def cases(reader: Reader, listing: Listing, values: int = 3) -> list[list[tuple[str, str]]]:
    """Parameters worth comparing: none, every sort both ways on a later page, the first
    values of each facet alone, with a value of another facet, and two of them."""
    out: list[list[tuple[str, str]]] = [[], [("per", "500")]]
    for key in listing.sorts:
        for direction in ("naik", "turun"):
            out.append([("urut", key), ("arah", direction), ("per", "3"), ("hal", "2")])
    facets = run(reader, listing, [], "id").facets
    for name, counts in facets.items():
        for c in counts[:values]:
            out.append([(name, c.value), ("per", "500")])
            for other, others in facets.items():
                if other != name and others:
                    out.append([(name, c.value), (other, others[0].value)])
        if len(counts) > 1:
            out.append([(name, counts[0].value), (name, counts[1].value), ("urut", "label")])
        if name in listing.sorts and counts:  # sorted by the facet chosen (SAME_KEY)
            for direction in ("naik", "turun"):
                out.append([(name, counts[0].value), ("urut", name), ("arah", direction),
                            ("per", "3"), ("hal", "2")])
    return out


def tables(path: Path) -> dict[str, list[tuple]]:
    """Every table of an index file, its rows sorted (read only: a build's file can be
    shared with others, see ``store.share_sqlite``)."""
    conn = open_sqlite_read_only(path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in sorted(names)
        }
    finally:
        conn.close()


def assert_same_tables(updated: Path, full: Path) -> None:
    a, b = tables(updated), tables(full)
    assert a.keys() == b.keys()
    for name in a:
        only_updated = [r for r in a[name] if r not in b[name]]
        only_full = [r for r in b[name] if r not in a[name]]
        assert a[name] == b[name], (name, only_updated[:5], only_full[:5])


# --- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeds(built_settings):
    store = open_store(built_settings.store_dir)
    path = current_path(built_settings.store_dir).resolve() / LISTING
    with ListingIndex(path, built_settings.base_iri) as index:
        yield Reader(store, built_settings.base_iri), index


def edge_store(path: Path | None = None, changes: tuple[str, str] = ("", "")) -> ox.Store:
    """The edge cases in a store (on disk at ``path``), with Turtle ``changes`` (statements
    to remove, statements to add) applied."""
    store = ox.Store(str(path)) if path else ox.Store()
    store.bulk_load(EDGES.encode(), ox.RdfFormat.TURTLE)
    prologue = EDGES[: EDGES.index("\n\n<")]
    for text, apply in zip(changes, (store.remove, store.add), strict=True):
        for triple in ox.parse((prologue + "\n" + text).encode(), ox.RdfFormat.TURTLE):
            apply(ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph()))
    store.flush()
    return store


@pytest.fixture(scope="module")
def edges(tmp_path_factory):
    store = edge_store()
    path = tmp_path_factory.mktemp("edges") / LISTING
    build_index(store, path, BASE)
    with ListingIndex(path, BASE) as index:
        yield Reader(store, BASE), index


# --- the same answers as SPARQL ------------------------------------------------------------
@pytest.mark.parametrize("name", list(LISTINGS))
def test_seed_listings_answer_as_sparql(seeds, name):
    reader, index = seeds
    for params in cases(reader, LISTINGS[name]):
        assert_same(reader, index, LISTINGS[name], params)
    assert_same(reader, index, LISTINGS[name], [("lang", "en")], lang="en")


@pytest.mark.parametrize("name", list(LISTINGS))
def test_edge_cases_answer_as_sparql(edges, name):
    reader, index = edges
    for params in cases(reader, LISTINGS[name], values=5):
        assert_same(reader, index, LISTINGS[name], params)
        assert_same(reader, index, LISTINGS[name], params, lang="en")


def _cells(row, columns) -> tuple:
    """A row's values of ``columns`` as comparable tuples (None: unbound)."""
    return tuple((v.text, v.iri, v.lang, v.datatype) if (v := row.get(c)) else None
                 for c in columns)


@pytest.mark.parametrize("name", list(LISTINGS))
def test_counted_columns_tally_every_row_of_sparql(seeds, edges, name):
    """``column_counts`` gives each distinct combination of the columns asked once, with
    how many of the rows SPARQL gives (every row, whatever page the parameters ask for)
    have it: with no choice, one value, values of one facet and of two."""
    listing = LISTINGS[name]
    tallied = 0
    for reader, index in (seeds, edges):
        columns = index._plans[name].columns
        for params in cases(reader, listing):
            rows = run(reader, listing, params, "id", everything=True).rows
            for asked in (columns, columns[-2:], *((c,) for c in columns)):
                expected = collections.Counter(_cells(r, asked) for r in rows)
                found = index.column_counts(listing, params, asked)
                assert [_cells(r, asked) for r, _n in found] == list(
                    dict.fromkeys(_cells(r, asked) for r, _n in found)), (params, asked)
                assert {_cells(r, asked): n for r, n in found} == expected, (params, asked)
                tallied += any(n > 1 for _r, n in found)
    assert tallied  # some combination stands for several rows


@pytest.mark.parametrize("budget", ["none", "unbounded"])
def test_either_way_of_reading_a_page_answers_as_sparql(seeds, edges, monkeypatch, budget):
    """A page read in the order of the sort keys is stopped past its budget of steps and
    read from the chosen signatures instead. With no budget (always stopped) and with an
    unbounded one (never), the listings answer as SPARQL."""
    if budget == "none":
        monkeypatch.setattr(listing_pages, "MIN_STEPS", 0)
        for name in ("SET_STEPS", "KEY_STEPS"):  # always tried, never given any steps
            monkeypatch.setattr(listing_pages, name, 0)
        monkeypatch.setattr(listing_pages, "_TICK", 1)
    else:
        monkeypatch.setattr(listing_pages, "MIN_STEPS", 10**15)
    stopped = []
    bounded = listing_pages._bounded

    def spy(*args):
        found = bounded(*args)
        stopped.append(found is None)
        return found

    monkeypatch.setattr(listing_pages, "_bounded", spy)
    for reader, index in (seeds, edges):
        for listing in LISTINGS.values():
            for params in cases(reader, listing):
                assert_same(reader, index, listing, params)
    assert stopped and all(stopped) == (budget == "none") and any(stopped) == all(stopped)


@pytest.mark.parametrize("few", [0, 100])
def test_several_values_of_several_facets_answer_as_sparql(seeds, edges, monkeypatch, few):
    """With two facets chosen, their signatures are read for one and tested for the other,
    by a look-up of each of its values (``FEW_VALUES`` 100: always) or of the signature's
    values (0: always); either way, with several values of either facet, the listings
    answer as SPARQL."""
    monkeypatch.setattr(listing_pages, "FEW_VALUES", few)
    tried = []
    for reader, index in (seeds, edges):
        for listing in LISTINGS.values():
            found = run(reader, listing, [], "id").facets
            facets = {name: counts for name, counts in found.items() if len(counts) > 1}
            chosen = []
            for name, other in itertools.permutations(facets, 2):
                many = [(name, c.value) for c in facets[name][:5]]
                chosen.append(many + [(other, facets[other][0].value)])
                chosen.append(many[:2] + [(other, c.value) for c in facets[other][:2]])
            if len(facets) >= 3:  # a facet counted under two chosen others
                chosen.append([(name, c.value) for name in list(facets)[:3]
                               for c in facets[name][:2]])
            for params in chosen:
                assert_same(reader, index, listing, params)
            tried += chosen
    assert len(tried) > 20
    assert any(len({k for k, _v in params}) == 3 for params in tried)
    assert any(len(params) == 6 for params in tried)  # five values of one facet


def test_a_facet_gives_its_first_values_and_every_chosen_one(seeds, monkeypatch):
    """Past ``FACET_VALUES``, a facet gives its values with the most items and every chosen
    one, says how many it left out, and gives them all when asked (``semua``); the index
    and SPARQL agree."""
    reader, index = seeds
    listing = LISTINGS["target"]
    everything = run(reader, listing, [("semua", "konsep")], index=index).facets["konsep"]
    assert len(everything) > listings.FACET_VALUES
    monkeypatch.setattr(listings, "FACET_VALUES", 2)
    last = everything[-1]
    for params in ([], [("konsep", last.value)], [("semua", "konsep")]):
        assert_same(reader, index, listing, params)
    cut = run(reader, listing, [], index=index)
    assert cut.facets["konsep"] == everything[:2]
    assert cut.hidden["konsep"] == len(everything) - 2
    chosen = run(reader, listing, [("konsep", last.value)], index=index)
    assert [c.value for c in chosen.facets["konsep"]] == [
        c.value for c in everything[:2]] + [last.value]
    assert chosen.facets["konsep"][-1].chosen
    assert chosen.hidden["konsep"] == len(everything) - 3
    whole = run(reader, listing, [("semua", "konsep")], index=index)
    assert whole.facets["konsep"] == everything and whole.hidden["konsep"] == 0
    assert whole.facets["kantor"] == cut.facets["kantor"]  # the others stay cut


def test_the_listing_page_shows_all_of_a_facet_on_asking(built_settings, monkeypatch):
    monkeypatch.setattr(listings, "FACET_VALUES", 2)
    with TestClient(create_app(built_settings)) as client:
        page = dom(client.get("/daftar/target", headers=HTML).text)
        section = _facet_section(page, "Konsep indikator")
        assert len(section.find_all("li")) == 2
        more = section.find("p", cls="more")
        assert "Tampilkan semua" in more.text
        (href,) = more.hrefs()
        assert href == "/daftar/target?semua=konsep"
        hidden = int(more.text.split("(")[1].split()[0])
        page = dom(client.get(href, headers=HTML).text)
        section = _facet_section(page, "Konsep indikator")
        assert len(section.find_all("li")) == 2 + hidden
        assert section.find("p", cls="more").hrefs() == ["/daftar/target"]


def _facet_section(page, heading: str):
    for section in page.find_all("section", cls="facet"):
        if section.find("h3").text == heading:
            return section
    raise AssertionError(f"no facet {heading}")


def test_labels_sort_by_their_unicode_lowercase(edges):
    reader, index = edges
    result = run(reader, LISTINGS["indikator"], [("per", "500")], index=index)
    order = [r["item"].text.rsplit("/", 1)[1] for r in result.rows]
    # eagle (2 targets x 2 document labels), i̇stanbul, zebra x2 (IRI order), ábaco, éclair
    assert order == ["2"] * 4 + ["6", "3", "4", "5", "1", "1"]
    assert result.total == 7  # indikator/7 has no row but is an indicator
    by_year = run(reader, LISTINGS["peraturan"], [("urut", "tahun")], index=index)
    assert [r.get("year") for r in by_year.rows][0] is None  # unbound first
    english = run(reader, LISTINGS["indikator"], [], "en", index=index)
    assert {c.label for c in english.facets["satuan"]} == {"percent", "indeks"}


def _page_plans(reader: Reader, index: ListingIndex, listing: Listing, params) -> list[str]:
    """SQLite's plan of each statement that read a page of the listing's rows."""
    conn = index._connection()  # this thread's, which ``run`` uses
    statements: list[str] = []
    conn.set_trace_callback(statements.append)  # with the arguments written in
    try:
        run(reader, listing, params, index=index)
    finally:
        conn.set_trace_callback(None)
    return [
        " / ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + s))
        for s in statements if " LIMIT " in s
    ]


@pytest.mark.parametrize("listing", ["indikator", "target", "konsep"])
def test_a_page_in_the_order_of_a_sort_is_read_without_sorting_what_precedes_it(seeds, listing):
    """With no choice, or one value of the facet sorted on (every chosen row then has
    the same key), the rows of a page are read in the order of the keys and the read
    stops at the page's end: a year's rows (``SAME_KEY``) in the order of an index, with
    no sorting; another key's rows, few, sorted key by key (SQLite's "right part")."""
    reader, index = seeds
    found = []
    for key in LISTINGS[listing].sorts:
        for direction in ("naik", "turun"):
            found.append([("urut", key), ("arah", direction), ("per", "3"), ("hal", "2")])
    facets = run(reader, LISTINGS[listing], [], "id").facets
    for key in set(LISTINGS[listing].sorts) & set(facets) & SAME_KEY:
        found.append([(key, facets[key][0].value), ("urut", key), ("per", "3"), ("hal", "2")])
    for params in found:
        plans_ = _page_plans(reader, index, LISTINGS[listing], params)
        assert plans_, params
        for plan_ in plans_:
            if dict(params)["urut"] in SAME_KEY:
                assert "TEMP B-TREE" not in plan_, (params, plan_)
            else:
                assert plan_.count("TEMP B-TREE") <= plan_.count("TEMP B-TREE FOR RIGHT PART")


def test_a_year_whose_items_have_no_row_has_an_empty_page(edges):
    """Sorted by the year chosen, the page is read from that year's key: a year whose
    items have no row (a type without notation) gives none, as SPARQL does."""
    reader, index = edges
    for direction in ("naik", "turun"):
        params = [("tahun", "2021"), ("urut", "tahun"), ("arah", direction)]
        assert_same(reader, index, LISTINGS["peraturan"], params)
        result = run(reader, LISTINGS["peraturan"], params, index=index)
        assert (result.total, result.rows) == (1, [])


def test_keys_that_sqlite_holds_equal_are_one_key():
    """The sort keys' unique index (read in its order, see ``listing_index``) would refuse
    two keys SQLite holds equal, and SQLite cannot hold every number: the keys of these
    numbers go into it, as one key for each value it tells apart."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(listing_index._SCHEMA)
    (konsep,) = [p for p in listing_index.plans() if p.listing.name == "konsep"]
    for statement in listing_index._tables(konsep) + listing_index._indexes(konsep):
        conn.execute(statement)
    writer = listing_index.Writer(conn, ox.Store())
    for value, datatype in [
        ("2024", "integer"), ("2024.0", "decimal"), ("2.024E3", "double"), ("2024", "string"),
        ("2024.5", "decimal"), ("NaN", "double"), ("-0.0", "double"), ("0", "integer"),
        (str(2**70), "integer"), (str(2**70 + 1), "integer"), ("1" + "0" * 400, "integer"),
        ("-1" + "0" * 400, "integer"), ("INF", "double"), ("-INF", "double"),
    ]:
        key = _sort_key(ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)), False)
        writer.keys["konsep", "dinyatakan"].add(key_id(key), key)
    writer.finish()
    found = conn.execute('SELECT bound, key FROM "konsep_k_dinyatakan" ORDER BY bound, key')
    inf = float("inf")
    assert found.fetchall() == [
        (0, 0), (1, -inf), (1, 0), (1, 2024), (1, 2024.5), (1, float(2**70)), (1, inf),
        (1, "2024"),
    ]


def test_generated_documents_answer_as_sparql(tmp_path):
    s, reader = generated_build(tmp_path, 2, seed=5)
    with ListingIndex(current_path(s.store_dir) / LISTING, s.base_iri) as index:
        for listing in LISTINGS.values():
            for params in cases(reader, listing, values=2):
                assert_same(reader, index, listing, params)


def test_one_index_serves_many_threads(seeds):
    reader, index = seeds
    params = [[], [("tahun", "2024")], [("urut", "tahun"), ("arah", "turun")]]
    expected = [run(reader, LISTINGS["indikator"], p, index=index).rows for p in params]

    def page(i: int):
        return run(reader, LISTINGS["indikator"], params[i % 3], index=index).rows

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(page, range(48))) == expected * 16


def test_the_index_is_read_memory_mapped_and_never_written(seeds):
    """Each thread's connection maps the file (pages come from the system's cache, shared)
    and cannot change it."""
    _reader, index = seeds
    conn = index._connection()
    assert conn.execute("PRAGMA mmap_size").fetchone() == (READ_MMAP_BYTES,)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM meta")


# --- incremental updates give what a full build gives ---------------------------------------
CHANGES = {  # statements removed, statements added
    "rename an office": ('<organisasi/b> rdfs:label "Kantor B"@id .',
                         '<organisasi/b> rdfs:label "Kantor B baru"@id .'),
    "an office gets a label in English": ("", '<organisasi/b> rdfs:label "Office B"@en .'),
    "a label changes only its language": ('<organisasi/b> rdfs:label "Kantor B"@id .',
                                          '<organisasi/b> rdfs:label "Kantor B"@ms .'),
    "a year changes only its datatype": ('<dokumen/b/2024> kin:year "2024"^^xsd:gYear .',
                                         '<dokumen/b/2024> kin:year "2024" .'),
    "a second label": ("", '<dokumen/b/2024> rdfs:label "iku kantor b"@id .'),
    "relabel a concept": ('<konsep/x> rdfs:label "Éclair"@id .',
                          '<konsep/x> rdfs:label "éclair baru"@id .'),
    "a facet value relabelled": ('<jenis-peraturan/uu> rdfs:label "Law"@en .',
                                 '<jenis-peraturan/uu> rdfs:label "Act"@en .'),
    "an indicator leaves the class": ("<indikator/5> a kin:Indicator .", ""),
    "an indicator joins the class": ("", "<indikator/7> a kin:Goal ."),
    "a new indicator with a target": ("", """
        <indikator/8> a kin:Indicator ; rdfs:label "baru"@id ; skos:notation "3.3" ;
            kin:goal <sasaran/3> ; kin:concept <konsep/z> .
        <target/8> kin:indicator <indikator/8> ; kin:targetText "9" ; kin:unit <satuan/indeks> .
    """),
    "a target changes its unit": ("<target/1> kin:unit <satuan/persen> .",
                                  "<target/1> kin:unit <satuan/indeks> ."),
    "a unit changes its notation": ('<satuan/persen> skos:notation "persen" .',
                                    '<satuan/persen> skos:notation "%" .'),
    "a document changes its year": ('<dokumen/a/2024> kin:year "2024"^^xsd:gYear .',
                                    '<dokumen/a/2024> kin:year "2025"^^xsd:gYear .'),
    "a goal changes its program": ("<sasaran/1> kin:program <program/p> .",
                                   "<sasaran/2> kin:program <program/q> ."),
    "an article leaves its law": ("<peraturan/uu/1/pasal/2> eli:is_part_of <peraturan/uu/1> .",
                                  ""),
    "a concept loses its indicators": ("<indikator/1> kin:concept <konsep/x> .\n"
                                       "<indikator/5> kin:concept <konsep/x> .",
                                       "<indikator/1> kin:concept <konsep/z> ."),
    "a document goes with what it holds": ("""
        <dokumen/b/2023> a kin:PerformanceDocument ; rdfs:label "IKK Kantor B 2023"@id ;
            kin:year "2023"^^xsd:gYear ; kin:issuedBy <organisasi/b> ;
            kin:documentType <jenis-dokumen/ikk> ; eli:based_on <peraturan/uu/1> .
        <sasaran/2> a kin:Goal ; rdfs:label "sasaran dua"@id ; skos:notation "2" ;
            kin:inDocument <dokumen/b/2023> .
        <indikator/3> a kin:Indicator ; rdfs:label "Zebra"@id ; skos:notation "2.1" ;
            kin:goal <sasaran/2> ; kin:concept <konsep/y> .
        <indikator/6> a kin:Indicator ; rdfs:label "İstanbul"@id ; skos:notation "2.2" ;
            kin:goal <sasaran/2> ; kin:concept <konsep/y> .
        <target/6> kin:indicator <indikator/6> ; kin:targetText "70 %" ;
            kin:unit <satuan/persen> .
    """, ""),
}


def no_full_build(*_args):
    raise AssertionError("the update built the whole index instead")


@pytest.mark.parametrize("change", list(CHANGES))
def test_update_after_a_change_equals_a_full_build(tmp_path, monkeypatch, change):
    previous = tmp_path / "previous"
    previous.mkdir()
    old = edge_store(previous / GRAPH)
    build_index(old, previous / LISTING, BASE)
    new = edge_store(changes=CHANGES[change])
    before = {q.triple for q in old}
    touched = {
        t.subject.value for t in before ^ {q.triple for q in new}
        if isinstance(t.subject, ox.NamedNode)
    }
    assert touched
    with monkeypatch.context() as m:
        m.setattr(listing_update, "build_index", no_full_build)
        update_index(new, tmp_path / "updated.sqlite", BASE, touched, previous)
    build_index(new, tmp_path / "full.sqlite", BASE)
    assert_same_tables(tmp_path / "updated.sqlite", tmp_path / "full.sqlite")
    reader = Reader(new, BASE)
    with ListingIndex(tmp_path / "updated.sqlite", BASE) as index:
        for listing in LISTINGS.values():
            assert_same(reader, index, listing, [])


def test_incremental_builds_give_the_index_of_full_builds(tmp_path, monkeypatch):
    data = tmp_path / "sources"
    shutil.copytree(SOURCES, data)
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)

    def incremental(messages=None) -> None:
        with monkeypatch.context() as m:
            m.setattr(listing_update, "build_index", no_full_build)
            build(s, (messages if messages is not None else []).append)

    def check(label: str) -> None:
        full = Settings(data_dir=data, store_dir=tmp_path / label)
        build(full, full=True)
        assert_same_tables(current_path(s.store_dir) / LISTING,
                           current_path(full.store_dir) / LISTING)

    edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")  # replace a document
    messages = []
    incremental(messages)
    assert any(m.startswith("incremental: 1 source(s)") for m in messages), messages
    check("replaced")
    manifest = (data / "MANIFEST.csv").read_text(encoding="utf-8")
    shutil.move(data / KALBAR, tmp_path / KALBAR)  # remove one
    lines = manifest.splitlines(keepends=True)
    (data / "MANIFEST.csv").write_text("".join(x for x in lines if KALBAR not in x), "utf-8")
    incremental()
    check("removed")
    shutil.move(tmp_path / KALBAR, data / KALBAR)  # and add it again
    (data / "MANIFEST.csv").write_text(manifest, "utf-8")
    incremental()
    check("added")


def test_update_without_a_previous_index_builds_one(tmp_path):
    previous = tmp_path / "previous"
    previous.mkdir()
    edge_store(previous / GRAPH)
    new = edge_store()
    update_index(new, tmp_path / "updated.sqlite", BASE, {BASE + "id/indikator/1"}, previous)
    build_index(new, tmp_path / "full.sqlite", BASE)
    assert_same_tables(tmp_path / "updated.sqlite", tmp_path / "full.sqlite")


# --- older builds, stale indexes ------------------------------------------------------------
@pytest.fixture
def seed_build(tmp_path) -> Settings:
    s = Settings(data_dir=SOURCES, store_dir=tmp_path / "store")
    build(s)
    return s


def _total(settings: Settings, url: str) -> str:
    with TestClient(create_app(settings)) as client:
        r = client.get(url)
        assert r.status_code == 200
        return r.text.split('class="summary">', 1)[1].split(" ", 1)[0]


def test_a_build_without_an_index_is_listed_by_sparql(seed_build, caplog):
    url = "/daftar/indikator?tahun=2024"
    with_index = _total(seed_build, url)
    (current_path(seed_build.store_dir) / LISTING).unlink()
    with caplog.at_level(logging.WARNING, logger="kinerja.server"):
        assert _total(seed_build, url) == with_index
    assert "kinerja build --full" in caplog.text


def test_an_index_of_other_listings_is_not_used(seed_build):
    path = current_path(seed_build.store_dir) / LISTING
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = 'other' WHERE key = 'listings'")
    conn.commit()
    conn.close()
    with pytest.raises(StaleIndex, match="kinerja build --full"):
        ListingIndex(path, seed_build.base_iri)
    with pytest.raises(StaleIndex, match="base"):
        ListingIndex(path, "https://example.org/")
    assert _total(seed_build, "/daftar/indikator") == "115"


# --- what a listing may be made of ---------------------------------------------------------
def _listing(pattern: str = "?item a kin:Indicator ; rdfs:label ?label .",
             facet: str = "?item kin:goal $v .", sorts: dict | None = None) -> Listing:
    return Listing(
        "uji", ("Uji", "Test"), pattern, LISTINGS["konsep"].columns[:1],
        (Facet("f", ("F", "F"), facet),),
        sorts or {"label": "LCASE(?label)"},
    )


@pytest.mark.parametrize(
    ("listing", "reason"),
    [
        (_listing(facet="?item kin:goal* $v ."), "cannot be followed back"),
        (_listing(facet="?item !kin:goal $v ."), "cannot be followed back"),
        (_listing(facet="?item kin:goal $v . MINUS { ?item kin:x ?y }"), "Minus"),
        (_listing(facet="?item kin:goal $v FILTER NOT EXISTS { ?item kin:x ?y }"), "EXISTS"),
        (_listing(facet="?item kin:goal ?g . ?x kin:unit $v ."), "not joined"),
        (_listing(sorts={"label": "STRLEN(?label)"}), "LCASE"),
        (_listing(sorts={"stated": "?stated"}), "not a column"),
    ],
)
def test_what_the_index_cannot_follow_is_refused(listing, reason):
    with pytest.raises(listing_plan.PlanError, match=reason):
        listing_plan.plan(listing)


def test_lateral_keeps_the_pattern_and_joins_row_by_row():
    text = ('?item a kin:X . OPTIONAL { ?item kin:a ?a . OPTIONAL { ?a kin:b "}" } } '
            "{ SELECT ?item (COUNT(?y) AS ?n) WHERE { ?y kin:c ?item } GROUP BY ?item }")
    assert listing_plan.lateral(text) == (
        '?item a kin:X . LATERAL { OPTIONAL { ?item kin:a ?a . LATERAL { OPTIONAL { ?a kin:b '
        '"}" } } } } LATERAL { SELECT ?item (COUNT(?y) AS ?n) WHERE { ?y kin:c ?item } '
        "GROUP BY ?item }"
    )
