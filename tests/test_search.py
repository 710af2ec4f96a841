"""Full-text search (kinerja.search) over a real index of the seed build.

The seeds hold source typos the search must see through: "Displin" (for "Disiplin") and
"Pemasarakatan" (for "Pemasyarakatan") in the Kalimantan Barat decree. Counts are checked
against SPARQL on the store itself, with the words the index says it accepted.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

from kinerja.namespaces import PREFIXES
from kinerja.search import (
    GROUPS,
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    Index,
    SearchResults,
    build_index,
    distance,
    fold,
    segments,
    update_index,
    words,
)
from kinerja.store import READ_MMAP_BYTES, open_store

REMISI = "persentase narapidana yang mendapatkan hak remisi"
TEXT_PROPERTIES = "rdfs:label skos:prefLabel skos:altLabel eli:title skos:notation kin:targetText"
GROUP_CLASSES = [
    ("kin:Indicator", "indikator"),
    ("kin:IndicatorConcept", "konsep"),
    ("kin:Goal", "sasaran"),
    ("kin:Program", "program"),
    ("kin:PerformanceDocument", "dokumen"),
    ("eli:LegalResource", "peraturan"),
    ("eli:LegalResourceSubdivision", "pasal"),
    ("org:OrganizationalUnit", "organisasi"),
    ("org:FormalOrganization", "organisasi"),
    ("kin:SourceFile", "sumber"),
    ("kin:Target", "target"),
]


# --- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def store(built_settings) -> ox.Store:
    return open_store(built_settings.store_dir)


@pytest.fixture(scope="module")
def base(built_settings) -> str:
    return built_settings.base_iri


@pytest.fixture(scope="module")
def index_path(store, base, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("search") / "search.sqlite"
    build_index(store, path, base)
    return path


@pytest.fixture(scope="module")
def index(index_path):
    with Index(index_path) as ix:
        yield ix


def copy_store(store: ox.Store) -> ox.Store:
    """A writable in-memory store holding the seed build's default graph."""
    copy = ox.Store()
    copy.extend(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return copy


def tiny_store(base: str, labels: dict[str, str], cls: str = "kin:Indicator") -> ox.Store:
    """A store of resources ``{base}id/<key>`` of class ``cls`` with the given labels."""
    data = "\n".join(
        f'<{base}id/{key}> a {cls} ; rdfs:label "{label}"@id .' for key, label in labels.items()
    )
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    store = ox.Store()
    store.load(prefixes + data, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    return store


# --- helpers -------------------------------------------------------------------------------
def hits(result: SearchResults, group: str) -> list:
    return next((g.hits for g in result.groups if g.type == group), [])


def labels(result: SearchResults, group: str) -> list[str]:
    return [h.label for h in hits(result, group)]


def iris(result: SearchResults) -> dict[str, list[str]]:
    return {g.type: [h.iri for h in g.hits] for g in result.groups}


def marked(hit) -> list[str]:
    return [text for text, match in hit.segments if match]


def sparql_groups(store: ox.Store, base: str, pattern: str) -> dict[str, int]:
    """Resources per group whose searched texts match the regex ``pattern`` (case-insensitive),
    counted by SPARQL on the store."""
    values = " ".join(f"({cls} {rank})" for rank, (cls, _g) in enumerate(GROUP_CLASSES))
    query = f"""
        SELECT ?s (MIN(?rank) AS ?r) WHERE {{
            ?s rdfs:label ?anyLabel .
            FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/"))
            FILTER EXISTS {{
                VALUES ?p {{ {TEXT_PROPERTIES} }}
                ?s ?p ?text .
                FILTER(isLiteral(?text) && REGEX(STR(?text), "{pattern}", "i"))
            }}
            OPTIONAL {{ VALUES (?type ?rank) {{ {values} }} ?s a ?type . }}
        }} GROUP BY ?s"""
    counts: dict[str, int] = {}
    for row in store.query(query, prefixes=PREFIXES):
        group = GROUP_CLASSES[int(row["r"].value)][1] if row["r"] is not None else "lain"
        counts[group] = counts.get(group, 0) + 1
    return counts


def word_pattern(words_: list[str], prefix: str | None = None) -> str:
    """A regex for any of ``words_`` as a whole word, or a word starting with ``prefix``."""
    options = "|".join(words_ + ([prefix + "[\\\\p{L}\\\\p{N}]*"] if prefix else []))
    return f"(^|[^\\\\p{{L}}\\\\p{{N}}])({options})([^\\\\p{{L}}\\\\p{{N}}]|$)"


# --- folding and distance ------------------------------------------------------------------
def test_fold_ignores_case_diacritics_and_punctuation():
    assert words("PEMASYARAKATÁN, pemasyarakatan!") == ["pemasyarakatan", "pemasyarakatan"]
    assert words("Tahanan/Narapidana/Anak") == ["tahanan", "narapidana", "anak"]
    assert words("Négeri ﬁle Straße") == ["negeri", "file", "strasse"]
    assert fold("3,1 (Indeks)") == "3 1 indeks"
    assert words("pema\u00adsyarakatan") == ["pemasyarakatan"]  # a soft hyphen joins
    assert words("   ?!… ") == []


def test_segments_keep_the_label_verbatim():
    from kinerja.search import Term

    label = "Persentase Narapidana resiko tinggi ... Sadar, Patuh dan Displin"
    parts = segments(label, [Term("disiplin", fuzzy=["displin"])])
    assert "".join(text for text, _m in parts) == label
    assert parts[-1] == ("Displin", True)
    assert [t for t, m in parts if m] == ["Displin"]
    accented = "Pegawai Négeri Sipil"
    assert segments(accented, [Term("negeri")]) == [
        ("Pegawai ", False),
        ("Négeri", True),
        (" Sipil", False),
    ]


def test_distance_counts_a_transposition_as_one_edit():
    assert distance("disiplin", "displin", 2) == 1
    assert distance("pemasyarakatan", "pemasarakatan", 2) == 1
    assert distance("remisi", "rmeisi", 1) == 1
    assert distance("remisi", "resmi", 1) is None
    assert distance("kota", "kita", 1) == 1


# --- what is indexed -------------------------------------------------------------------------
def test_build_indexes_every_labelled_resource(store, base, index_path, index):
    query = f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        ?s rdfs:label ?l . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/")) }}"""
    expected = int(next(iter(store.query(query, prefixes=PREFIXES)))["n"].value)
    assert expected > 400
    assert len(index) == expected
    assert build_index(store, index_path.with_name("again.sqlite"), base) == expected


def test_decree_is_a_document_and_article_a_pasal(index):
    result = index.search("penetapan indikator kinerja kegiatan ikk kalimantan barat")
    assert [g.type for g in result.groups][0] == "dokumen"
    assert labels(result, "dokumen")[0].startswith("KEPUTUSAN KEPALA KANTOR WILAYAH")
    assert [g.type for g in index.search("pasal 3 per 9 m pan 5 2007").groups] == ["pasal"]


def test_contexts_name_the_document_and_the_indicator(store, index):
    result = index.search("remisi", per_group=50)
    expected = {
        row["s"].value: row["c"].value
        for row in store.query(
            """SELECT ?s ?c WHERE {
                { ?s a kin:Indicator ; kin:goal/kin:inDocument/rdfs:label ?c }
                UNION
                { ?s a kin:Target ; kin:targetText ?text ; kin:indicator/rdfs:label ?label
                  BIND(CONCAT(?text, " — ", ?label) AS ?c) } }""",
            prefixes=PREFIXES,
        )
    }
    for group in ("indikator", "target"):
        assert hits(result, group)
        for hit in hits(result, group):
            assert hit.context == expected[hit.iri]
    assert any(h.context.startswith("INDIKATOR KINERJA UTAMA") for h in hits(result, "indikator"))
    assert all(h.context is None for h in hits(result, "konsep"))


# --- fuzzy matching --------------------------------------------------------------------------
def test_correct_word_finds_the_source_typo(store, index):
    typo = [
        row["l"].value
        for row in store.query(
            'SELECT ?l WHERE { ?i a kin:Indicator ; rdfs:label ?l FILTER(CONTAINS(?l, "Displin"))}',
            prefixes=PREFIXES,
        )
    ]
    assert typo  # the seed's misspelling is kept as printed
    result = index.search("disiplin", per_group=50)
    assert "displin" in result.terms[0].fuzzy
    found = [h for h in hits(result, "indikator") if "Displin" in h.label]
    assert sorted(h.label for h in found) == sorted(typo)
    for hit in found:
        assert marked(hit) == ["Displin"]
        assert not hit.exact


def test_typo_in_the_query_finds_the_correct_word(index):
    result = index.search("Displin", per_group=50)
    assert "disiplin" in result.terms[0].fuzzy
    assert any("Disiplin" in label for label in labels(result, "indikator"))
    assert any("Displin" in label for label in labels(result, "indikator"))


def test_pemasyarakatan_finds_pemasarakatan(index):
    result = index.search("pemasyarakatan", per_group=50)
    assert "pemasarakatan" in result.terms[0].fuzzy
    typo = [h for h in hits(result, "indikator") if "Pemasarakatan" in h.label]
    assert {h.label for h in typo} >= {
        "Jumlah UPT Pembangunan Lembaga Pemasarakatan (Lapas)",
        "Jumlah UPT Pembangunan Balai Pemasarakatan (Bapas)",
    }
    for hit in typo:
        assert "Pemasarakatan" in marked(hit)
    exact = [h for h in hits(result, "sasaran") if h.exact]
    assert exact and all("Pemasyarakatan" in marked(h) for h in exact)


def test_typo_in_a_small_store_of_its_own(base, tmp_path):
    store = tiny_store(
        base,
        {
            "a": "Indeks Pelayanan Pemasarakatan",
            "b": "Indeks Pelayanan Pemasyarakatan",
            "c": "Jumlah Pegawai Négeri",
            "d": "Persentase pelayanan publik",
        },
    )
    path = tmp_path / "search.sqlite"
    assert build_index(store, path, base) == 4
    with Index(path) as ix:
        result = ix.search("pemasyarakatan pelayanan")
        assert [h.iri.rsplit("/", 1)[1] for h in hits(result, "indikator")] == ["b", "a"]
        assert [h.exact for h in hits(result, "indikator")] == [True, False]
        assert marked(hits(result, "indikator")[1]) == ["Pelayanan", "Pemasarakatan"]
        assert labels(ix.search("NEGERI"), "indikator") == ["Jumlah Pegawai Négeri"]
        assert marked(hits(ix.search("negeri"), "indikator")[0]) == ["Négeri"]


def test_short_words_and_numbers_are_not_fuzzy(index):
    assert index.search("hak ").terms[0].fuzzy == []
    assert index.search("2023 ").terms[0].fuzzy == []
    assert "2024" not in index.search("2023 ").terms[0].matches


# --- REMISI, case, diacritics, punctuation ---------------------------------------------------
@pytest.mark.parametrize("q", ["REMISI", "remisi,", "Rémisí", "  remisi!!", "«remisi»"])
def test_remisi_in_any_spelling(index, q):
    result = index.search(q)
    assert result.terms[0].word == "remisi"
    for group in ("indikator", "konsep"):
        assert REMISI in [label.casefold() for label in labels(result, group)]
        for hit in hits(result, group):
            assert marked(hit) == ["remisi"]
    assert iris(result) == iris(index.search("remisi "))


def test_punctuation_between_words_is_a_word_break(index):
    joined = index.search("tahanan/narapidana/anak")
    spaced = index.search("Tahanan Narapidana Anak")
    assert iris(joined) == iris(spaced)
    assert joined.total > 0


# --- prefix ------------------------------------------------------------------------------------
def test_last_word_is_a_prefix_while_typing(index):
    result = index.search("pemasya")
    assert result.terms[0].prefix
    assert "pemasyarakatan" in result.terms[0].completions
    assert result.terms[0].matches == ["pemasya"]  # a completion is no similar spelling
    for group in result.groups:
        for hit in group.hits:
            assert {w.casefold() for w in marked(hit)} == {"pemasyarakatan"}
    assert {g.type for g in result.groups} >= {"indikator", "sasaran", "program"}
    # a finished word is not a prefix
    assert not index.search("pemasya ").terms[0].prefix
    assert index.search("pemasya ").total == 0
    # nor is any word but the last
    assert index.search("pemasya remisi").total == 0


def test_short_prefix_uses_the_prefix_index(index):
    result = index.search("narapidana re")
    assert result.terms[-1].prefix and result.terms[-1].completions == []
    assert REMISI in [label.casefold() for label in labels(result, "konsep")]
    assert any(w.lower().startswith("re") for h in hits(result, "indikator") for w in marked(h))


# --- ranking -------------------------------------------------------------------------------
def test_exact_hits_rank_above_fuzzy_hits(index):
    for q in ("disiplin", "pemasyarakatan", "displin"):
        result = index.search(q, per_group=100)
        fuzzy_seen = False
        for group in result.groups:
            flags = [h.exact for h in group.hits]
            assert flags == sorted(flags, reverse=True), (q, group.type)
            fuzzy_seen |= not all(flags)
            for hit in group.hits:
                holds_as_typed = result.terms[0].word in words(hit.label)
                if holds_as_typed:
                    assert hit.exact
        assert fuzzy_seen, q


def test_hits_are_ordered_by_score(index):
    result = index.search("remisi", per_group=10)
    scores = [h.score for h in hits(result, "target")]
    assert scores == sorted(scores, reverse=True)
    assert all(s > 0 for s in scores)


# --- groups, counts, filters, paging ---------------------------------------------------------
@pytest.mark.parametrize("q", ["narapidana", "disiplin", "pemasyarakatan", "hak remisi", "pemasya"])
def test_group_counts_match_sparql(store, base, index, q):
    result = index.search(q, per_group=1000)
    assert [g.type for g in result.groups] == [t for t in GROUPS if t in iris(result)]
    assert result.total == sum(g.count for g in result.groups)
    for group in result.groups:
        assert group.count == len(group.hits)
    # every word must match, each through any of the words the index accepted for it
    per_word = []
    for term in result.terms:
        prefix = term.word if term.prefix else None
        accepted = term.matches + term.completions
        per_word.append(sparql_groups(store, base, word_pattern(accepted, prefix)))
    if len(per_word) == 1:
        assert {g.type: g.count for g in result.groups} == per_word[0]
    else:  # several words: check against a SPARQL query with all of them
        query_iris = _sparql_all_words(store, base, result)
        assert sum(g.count for g in result.groups) == len(query_iris)
        assert {h.iri for g in result.groups for h in g.hits} == query_iris


def _sparql_all_words(store, base, result) -> set[str]:
    filters = "\n".join(
        f"""FILTER EXISTS {{
                VALUES ?p{i} {{ {TEXT_PROPERTIES} }}
                ?s ?p{i} ?t{i} .
                FILTER(isLiteral(?t{i}) && REGEX(STR(?t{i}), "{word_pattern(t.matches + t.completions, t.word if t.prefix else None)}", "i"))
            }}"""  # noqa: E501
        for i, t in enumerate(result.terms)
    )
    query = f"""SELECT DISTINCT ?s WHERE {{
        ?s rdfs:label ?l . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/"))
        {filters} }}"""
    return {row["s"].value for row in store.query(query, prefixes=PREFIXES)}


def test_narapidana_counts_are_the_sparql_counts(store, base, index):
    result = index.search("narapidana")
    assert result.terms[0].matches == ["narapidana"]
    expected = sparql_groups(store, base, word_pattern(["narapidana"], "narapidana"))
    assert {g.type: g.count for g in result.groups} == expected
    assert [g.type for g in result.groups] == ["indikator", "konsep", "sasaran", "target"]
    assert all(len(g.hits) == min(10, g.count) for g in result.groups)


def test_types_filter(index):
    everything = index.search("remisi")
    only = index.search("remisi", types=["konsep", "indikator"])
    assert [g.type for g in only.groups] == ["indikator", "konsep"]
    for group in only.groups:
        assert iris(only)[group.type] == iris(everything)[group.type]
    assert only.total == sum(g.count for g in only.groups)
    assert index.search("remisi", types=["pasal"]).groups == []
    assert index.search("remisi", types=[]).groups == []
    with pytest.raises(ValueError, match="unknown type"):
        index.search("remisi", types=["indicator"])


def test_paging_within_a_group(index):
    full = [h.iri for h in hits(index.search("narapidana", per_group=100), "indikator")]
    assert len(full) > 20
    paged = []
    for offset in range(0, len(full) + 7, 7):
        page = index.search("narapidana", types=["indikator"], per_group=7, offset=offset)
        paged += [h.iri for h in hits(page, "indikator")]
        assert page.groups[0].count == len(full)
    assert paged == full
    counts_only = index.search("narapidana", per_group=0)
    assert counts_only.total > 0 and all(g.hits == [] for g in counts_only.groups)
    with pytest.raises(ValueError):
        index.search("narapidana", offset=-1)
    with pytest.raises(ValueError):
        index.search("narapidana", per_group=100_000)


def test_paging_across_the_fuzzy_tier(index):
    full = hits(index.search("disiplin", per_group=100), "indikator")
    assert [h.exact for h in full].count(False) >= 1
    paged = [
        h.iri
        for offset in range(len(full))
        for h in hits(index.search("disiplin", per_group=1, offset=offset), "indikator")
    ]
    assert paged == [h.iri for h in full]


# --- bad and hostile input -------------------------------------------------------------------
@pytest.mark.parametrize("q", ["", "   ", "?!…", "--", '"', "*", "()", "\x00"])
def test_empty_queries_give_empty_results(index, q):
    result = index.search(q)
    assert (result.total, result.groups, result.terms) == (0, [], [])


@pytest.mark.parametrize(
    "q",
    [
        '" OR * NEAR(',
        'remisi" OR "narapidana',
        "NEAR(remisi narapidana, 2)",
        "remisi NOT narapidana",
        "label_f: remisi",
        "{label_f body_f}: remisi",
        "^remisi",
        "remisi*",
        "-remisi",
        "remisi AND",
        "OR",
        "'; DROP TABLE docs; --",
        "rem\u0000isi",
        "\ud800remisi",
    ],
)
def test_fts_syntax_is_only_text(index, q):
    result = index.search(q)
    assert all(t.word.isalnum() for t in result.terms)


def test_operators_are_words(index):
    # "NOT" is a word to find, not an operator: no resource holds it
    assert index.search("remisi NOT narapidana ").total == 0
    assert iris(index.search("remisi*")) == iris(index.search("remisi "))
    # a repeated word counts once, where it was last typed
    again = index.search("pemasya hak pemasya")
    assert [t.word for t in again.terms] == ["hak", "pemasya"] and again.terms[-1].prefix


def test_query_limits(index):
    index.search("a" * MAX_QUERY_CHARS)
    with pytest.raises(ValueError, match=f"longer than {MAX_QUERY_CHARS} characters"):
        index.search("a" * (MAX_QUERY_CHARS + 1))
    index.search(" ".join(["remisi"] * MAX_QUERY_WORDS))
    index.search(" ".join(f"w{i}" for i in range(MAX_QUERY_WORDS)))
    with pytest.raises(ValueError, match=f"more than {MAX_QUERY_WORDS} words"):
        index.search(" ".join(f"w{i}" for i in range(MAX_QUERY_WORDS + 1)))


def test_results_serialise_to_json(index):
    data = json.loads(json.dumps(index.search("disiplin").to_dict()))
    assert data["query"] == "disiplin"
    assert data["terms"][0]["word"] == "disiplin"
    assert "displin" in data["terms"][0]["matches"]
    assert data["total"] == sum(g["count"] for g in data["groups"])
    hit = data["groups"][0]["hits"][0]
    assert set(hit) == {"iri", "label", "segments", "context", "score", "exact"}
    assert "".join(s["text"] for s in hit["segments"]) == hit["label"]
    assert any(s["match"] for s in hit["segments"])


def test_every_hit_highlights_and_keeps_its_label(index):
    for q in ("narapidana yang", "kantor wilayah", "pemasya", "Displin", "2024"):
        result = index.search(q, per_group=100)
        for group in result.groups:
            for hit in group.hits:
                assert "".join(t for t, _m in hit.segments) == hit.label
                assert hit.segments == segments(hit.label, result.terms)


# --- threads -------------------------------------------------------------------------------
def test_one_index_serves_many_threads(index):
    queries = ["remisi", "disiplin", "pemasyarakatan", "narapidana", "kantor wilayah", "pemasya"]
    expected = {q: index.search(q).to_dict() for q in queries}
    names = set()

    def run(q: str) -> bool:
        names.add(threading.current_thread().name)
        return index.search(q).to_dict() == expected[q]

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert all(pool.map(run, queries * 10))
    assert len(names) > 1


def test_the_index_is_read_memory_mapped_and_never_written(index):
    conn = index._connection()
    assert conn.execute("PRAGMA mmap_size").fetchone() == (READ_MMAP_BYTES,)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM meta")


# --- incremental update and atomic build -------------------------------------------------------
def test_update_index_follows_the_store(store, base, tmp_path):
    data = copy_store(store)
    path = tmp_path / "search.sqlite"
    build_index(data, path, base)
    with Index(path) as ix:  # opened before the updates: sees them all the same
        before = ix.search("remisi", per_group=50)
        gone = hits(before, "indikator")[0].iri
        changed = hits(before, "konsep")[0].iri
        count = len(ix)

        for quad in list(data.quads_for_pattern(ox.NamedNode(gone), None, None)):
            data.remove(quad)
        label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
        for quad in list(data.quads_for_pattern(ox.NamedNode(changed), None, None)):
            if isinstance(quad.object, ox.Literal):  # rdfs:label, skos:prefLabel
                data.remove(quad)
        new_label = ox.Literal("Persentase zebrakuda", language="id")
        data.add(ox.Quad(ox.NamedNode(changed), label, new_label))
        added = f"{base}id/tambahan"
        added_label = ox.Literal("Indeks zebrakuda kudanil", language="id")
        data.add(ox.Quad(ox.NamedNode(added), label, added_label))

        update_index(data, path, base, [gone, changed, added, f"{base}id/tidak-ada"])

        after = ix.search("remisi", per_group=50)
        assert gone not in {h.iri for g in after.groups for h in g.hits}
        assert changed not in {h.iri for g in after.groups for h in g.hits}
        assert after.total == before.total - 2
        found = ix.search("zebrakuda")
        assert {h.iri for g in found.groups for h in g.hits} == {changed, added}
        assert labels(found, "konsep") == ["Persentase zebrakuda"]
        assert labels(found, "lain") == ["Indeks zebrakuda kudanil"]
        assert "kudanil" in ix.search("kudanol ").terms[0].fuzzy  # the vocabulary knows it
        assert len(ix) == count  # one gone, one added

        update_index(data, path, base, [changed, added])  # the same again changes nothing
        assert ix.search("zebrakuda").to_dict() == found.to_dict()

        # a word only a deleted resource held leaves the vocabulary with it
        for quad in list(data.quads_for_pattern(ox.NamedNode(added), None, None)):
            data.remove(quad)
        update_index(data, path, base, [added])
        assert ix.search("kudanil").total == 0
        assert "kudanil" not in ix.search("kudanol ").terms[0].fuzzy
        assert "zebrakuda" in ix.search("zebrakud ").terms[0].fuzzy
        assert len(ix) == count - 1


def test_update_changes_the_context_of_others(store, base, tmp_path):
    data = copy_store(store)
    path = tmp_path / "search.sqlite"
    build_index(data, path, base)
    with Index(path) as ix:
        indicator = hits(ix.search("remisi"), "indikator")[0]
        document = next(
            iter(
                data.query(
                    f"SELECT ?d WHERE {{ <{indicator.iri}> kin:goal/kin:inDocument ?d }}",
                    prefixes=PREFIXES,
                )
            )
        )["d"]
        label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
        for quad in list(data.quads_for_pattern(document, label, None)):
            data.remove(quad)
        data.add(ox.Quad(document, label, ox.Literal("Dokumen baru", language="id")))
        update_index(data, path, base, [document.value])
        again = [h for h in hits(ix.search("remisi"), "indikator") if h.iri == indicator.iri]
        assert again[0].context == "Dokumen baru"


def test_update_index_builds_a_missing_index(base, tmp_path):
    store = tiny_store(base, {"a": "Indeks kepuasan"})
    path = tmp_path / "search.sqlite"
    update_index(store, path, base, [f"{base}id/a"])
    with Index(path) as ix:
        assert labels(ix.search("kepuasan"), "indikator") == ["Indeks kepuasan"]
    # an index over another base, of another schema, or no index at all: built afresh
    other = "https://example.org/"
    update_index(tiny_store(other, {"b": "Indeks kepuasan lain"}), path, other, [])
    with Index(path) as ix:
        assert [h.iri for h in hits(ix.search("kepuasan"), "indikator")] == [f"{other}id/b"]
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    with pytest.raises(ValueError, match="schema 1"):
        Index(path)
    update_index(store, path, base, [])
    with Index(path) as ix:
        assert ix.search("kepuasan").total == 1
    path.write_bytes(b"no index")
    update_index(store, path, base, [])
    with Index(path) as ix:
        assert labels(ix.search("kepuasan"), "indikator") == ["Indeks kepuasan"]


class FailingStore:
    """A real store that breaks down after reading ``after`` triples, as a disk might."""

    def __init__(self, store: ox.Store, after: int):
        self.store, self.after = store, after

    def quads_for_pattern(self, *pattern):
        for n, quad in enumerate(self.store.quads_for_pattern(*pattern)):
            if n == self.after:
                raise OSError("read error")
            yield quad


def test_failed_build_leaves_the_old_index(store, base, tmp_path):
    path = tmp_path / "search.sqlite"
    build_index(store, path, base)
    old = path.read_bytes()
    with pytest.raises(OSError, match="read error"):
        build_index(FailingStore(store, after=2000), path, base)
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["search.sqlite"]  # no temp file left
    with Index(path) as ix:
        assert ix.search("remisi").total > 0
    with pytest.raises(ValueError, match="base IRI"):
        build_index(store, path, "no-slash")
    assert path.read_bytes() == old


def test_rebuild_replaces_the_file_under_open_readers(base, tmp_path):
    path = tmp_path / "search.sqlite"
    build_index(tiny_store(base, {"a": "Indeks lama"}), path, base)
    with Index(path) as ix:
        assert ix.search("lama").total == 1
        build_index(tiny_store(base, {"b": "Indeks baru"}), path, base)
        assert ix.search("lama").total == 0
        assert labels(ix.search("baru"), "indikator") == ["Indeks baru"]


class ShuffledStore:
    """A real store whose full scan returns triples in random order."""

    def __init__(self, store: ox.Store):
        self.store = store

    def quads_for_pattern(self, *pattern):
        quads = list(self.store.quads_for_pattern(*pattern))
        if pattern[:3] == (None, None, None):
            random.Random(7).shuffle(quads)
        return iter(quads)


def test_build_does_not_need_triples_grouped_by_subject(store, base, tmp_path, index):
    path = tmp_path / "search.sqlite"
    assert build_index(ShuffledStore(store), path, base) == len(index)
    with Index(path) as ix:
        for q in ("remisi", "disiplin", "pemasya", "kantor wilayah"):
            assert ix.search(q).to_dict() == index.search(q).to_dict()


def test_index_needs_an_index_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        Index(tmp_path / "missing.sqlite")
    (tmp_path / "other.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(ValueError, match="not a kinerja search index"):
        Index(tmp_path / "other.sqlite")


# --- a larger index (sanity, not timed) --------------------------------------------------------
@pytest.fixture(scope="module")
def large(base, tmp_path_factory) -> tuple[Index, dict[str, str]]:
    """5,000 generated labels from a dense made-up vocabulary (many near neighbours)."""
    rng = random.Random(11)
    syllables = ["ba", "da", "ka", "la", "ma", "na", "pa", "ra", "sa", "ta", "ng", "an", "pe"]
    vocab = sorted({"".join(rng.choices(syllables, k=rng.randint(3, 5))) for _ in range(3000)})
    weights = [1 / (i + 1) for i in range(len(vocab))]  # a few words are very common
    made = {
        f"r{i}": " ".join(rng.choices(vocab, weights, k=rng.randint(4, 9))) for i in range(5000)
    }
    path = tmp_path_factory.mktemp("large") / "search.sqlite"
    assert build_index(tiny_store(base, made), path, base) == 5000
    with Index(path) as ix:
        yield ix, {f"{base}id/{key}": label for key, label in made.items()}


def test_a_larger_index_finds_what_it_holds(large):
    """Each query, typed with two letters swapped and its last word cut short, still finds
    the resource it was made from."""
    ix, made = large
    rng = random.Random(5)
    for iri in rng.sample(sorted(made), 40):
        first, second = made[iri].split()[:2]
        typo = first[:2] + first[3] + first[2] + first[4:]
        q = f"{typo} {second[: max(4, len(second) - 2)]}"
        found: set[str] = set()
        count = ix.search(q, per_group=0).total
        for offset in range(0, count, 1000):
            result = ix.search(q, per_group=1000, offset=offset)
            found |= {h.iri for g in result.groups for h in g.hits}
        assert len(found) == count
        assert iri in found, q


def test_a_large_group_lists_exact_hits_first(large):
    """A group of more matches than are scored keeps the exact tier first, pages through it
    and into the fuzzy tier without gaps, and counts what a plain scan counts."""
    ix, made = large
    uses = Counter(w for label in made.values() for w in set(label.split()))
    for common, _n in uses.most_common():
        result = ix.search(common + " ", per_group=1000)
        group = result.groups[0]
        if 500 < group.count <= 1000 and result.terms[0].fuzzy:
            break
    term = result.terms[0]
    accepted = set(term.matches)
    expected = {iri for iri, label in made.items() if accepted & set(label.split())}
    assert group.count == len(expected) > 500
    flags = [h.exact for h in group.hits]
    assert flags == sorted(flags, reverse=True) and True in flags and False in flags
    exact = [h for h in group.hits if h.exact]
    assert {h.iri for h in exact} == {i for i in expected if common in made[i].split()}
    lengths = [len(fold(h.label)) for h in exact]
    assert lengths == sorted(lengths)  # shortest label first
    boundary = len(exact)
    pages = []
    for offset in range(boundary - 6, boundary + 8, 3):
        page = ix.search(common + " ", per_group=3, offset=offset).groups[0].hits
        pages.append((offset, [h.iri for h in page]))
    full = [h.iri for h in group.hits]
    for offset, page in pages:
        assert page == full[offset : offset + 3]
