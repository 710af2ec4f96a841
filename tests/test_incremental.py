"""Incremental builds give exactly what a full build of the same sources gives."""

from __future__ import annotations

import copy
import shutil

import pytest

from kinerja import incremental, search
from kinerja.build import build, summarize
from kinerja.catalogue import listing_index
from kinerja.errors import ValidationFailed
from kinerja.ingest.sources import read_source
from kinerja.search import Index
from kinerja.settings import Settings
from kinerja.state import State
from kinerja.store import (
    LISTING,
    SEARCH,
    current_path,
    export,
    open_sqlite_read_only,
    open_store,
)
from tests.conftest import SOURCES, edit_source

BANGKA = "000_0724a4aaa7b32400.txt"
KALBAR = "002_9c54d10a95a91ac4.txt"


def _dump(settings: Settings) -> bytes:
    return export(open_store(settings.store_dir), "nquads")


def _default_graph(settings: Settings) -> set:
    import pyoxigraph as ox

    store = open_store(settings.store_dir)
    return {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def _state(settings: Settings) -> dict:
    state = State.open(current_path(settings.store_dir).resolve())
    try:
        return state.snapshot()
    finally:
        state.close()


def _without_status(state: dict) -> dict:
    """A state without its files' statuses, which depend on when each build read them."""
    sources = {n: {k: v for k, v in e.items() if k != "status"}
               for n, e in state["sources"].items()}
    return state | {"sources": sources}


def _full(tmp_path, data_dir, name) -> Settings:
    s = Settings(data_dir=data_dir, store_dir=tmp_path / name)
    build(s, full=True)
    return s


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES, folder)
    return folder


def test_replacing_a_document_equals_a_full_build(tmp_path, data):
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    first = current_path(s.store_dir).resolve()
    edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
    messages = []
    build(s, messages.append)
    assert any(m.startswith("incremental: 1 source(s) to read") for m in messages), messages
    assert current_path(s.store_dir).resolve() != first
    assert _dump(s) == _dump(_full(tmp_path, data, "full"))
    assert _default_graph(s) == _default_graph(_full(tmp_path, data, "full2"))
    store = open_store(s.store_dir)
    texts = {
        r["t"].value
        for r in store.query(
            "SELECT ?t WHERE { ?x <https://w3id.org/kinerja/def#targetText> ?t "
            'FILTER(?t IN ("98%", "99%")) }'
        )
    }
    assert texts == {"98%"}


def test_only_the_concepts_a_changed_source_mentions_are_made_again(tmp_path, data):
    """The shared concept graph is replaced only for the concepts that a changed source
    mentions, before or after: a shared concept's preferred wording moves with the source
    that states it first, a concept no source mentions any more goes, and the result is
    a full build's."""
    import pyoxigraph as ox

    from kinerja.ingest.iris import Minter

    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    minter = Minter(s.base_iri)
    remisi = ox.NamedNode(str(minter.concept("persentase narapidana yang mendapatkan hak remisi")))
    old_wording = ("Persentase permintaan bantuan timbal balik dalam masalah pidana dan "
                   "ekstradisi yang telah ditindaklanjuti")
    gone = ox.NamedNode(str(minter.concept(old_wording)))
    assert list(open_store(s.store_dir).quads_for_pattern(gone, None, None, None))
    edit_source(data, BANGKA, "\tpersentase narapidana yang mendapatkan hak remisi\t",
                "\tPersentase Narapidana Yang Mendapatkan Hak Remisi\t")
    edit_source(data, BANGKA, old_wording, old_wording.replace("ditindaklanjuti", "diproses"))
    messages = []
    build(s, messages.append)
    assert any(m.startswith("incremental: 1 source(s) to read") for m in messages), messages
    assert _dump(s) == _dump(_full(tmp_path, data, "full"))
    store = open_store(s.store_dir)
    pref = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    merged = store.quads_for_pattern(remisi, pref, None, ox.DefaultGraph())
    [label] = [q.object.value for q in merged]
    assert label == "Persentase Narapidana Yang Mendapatkan Hak Remisi"
    assert not list(store.quads_for_pattern(gone, None, None, None))


def test_removing_then_adding_a_document(tmp_path, data):
    manifest = (data / "MANIFEST.csv").read_text(encoding="utf-8")
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    parked = tmp_path / KALBAR
    shutil.move(data / KALBAR, parked)
    lines = manifest.splitlines(keepends=True)
    (data / "MANIFEST.csv").write_text("".join(x for x in lines if KALBAR not in x), "utf-8")
    messages = []
    build(s, messages.append)
    assert any("0 source(s) to read, 1 removed" in m for m in messages), messages
    assert _dump(s) == _dump(_full(tmp_path, data, "one"))
    index = Index(current_path(s.store_dir) / SEARCH)
    assert index.search("remisi").total == 3  # the Bangka indicator, its concept and target
    index.close()
    shutil.move(parked, data / KALBAR)
    (data / "MANIFEST.csv").write_text(manifest, "utf-8")
    summary = build(s)
    full = _full(tmp_path, data, "both")
    assert _dump(s) == _dump(full)
    # the state carried through two incremental builds (mentions, counts) is a full build's
    assert _without_status(_state(s)) == _without_status(_state(full))
    assert _default_graph(s) == _default_graph(_full(tmp_path, data, "both2"))
    # the sizes carried in the state through the two incremental builds are the counts
    assert summary.counts == summarize(open_store(s.store_dir)).counts


def test_nothing_changed_makes_no_new_build(tmp_path, data):
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    first = current_path(s.store_dir).resolve()
    messages = []
    build(s, messages.append)
    assert current_path(s.store_dir).resolve() == first
    assert any("up to date" in m for m in messages)


def test_a_changed_model_forces_a_full_build(tmp_path, data):
    shapes = tmp_path / "shapes"
    shutil.copytree(Settings().shapes_dir, shapes)
    s = Settings(data_dir=data, store_dir=tmp_path / "store", shapes_dir=shapes)
    build(s)
    state = _state(s)
    (shapes / "kinerja.ttl").write_text(
        (shapes / "kinerja.ttl").read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8"
    )
    assert incremental.fingerprint(s) != state["fingerprint"]
    messages = []
    build(s, messages.append)
    assert any(m.startswith("full build") for m in messages), messages


@pytest.mark.parametrize(
    ("module", "name", "key"),
    [
        (search, "SCHEMA_VERSION", "schema"),
        (listing_index, "SCHEMA_VERSION", "schema"),
        (listing_index, "fingerprint", "listings"),  # the listings' definitions changed
    ],
)
def test_an_index_of_another_layout_is_made_again_with_no_source_changed(
    tmp_path, data, monkeypatch, module, name, key
):
    """Code whose index files have another layout, or other listings, cannot read a
    build's: the next build is a full one, whose index has them, though no source
    changed."""
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    first = current_path(s.store_dir).resolve()
    if name == "fingerprint":
        monkeypatch.setattr(module, name, lambda listings: "other listings")
        expected = "other listings"
    else:
        expected = getattr(module, name) + "-next"
        monkeypatch.setattr(module, name, expected)
    messages = []
    build(s, messages.append)
    assert any(m.startswith("full build") for m in messages), messages
    current = current_path(s.store_dir).resolve()
    assert current != first
    conn = open_sqlite_read_only(current / (SEARCH if module is search else LISTING))
    try:
        (found,) = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    finally:
        conn.close()
    assert found == expected


def test_an_invalid_change_leaves_the_store_as_it_was(tmp_path, data):
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    before, current = _dump(s), current_path(s.store_dir).resolve()
    builds = sorted(p.name for p in (s.store_dir / "builds").iterdir())
    # A count of 1,5 UPT parses but breaks a shape (counts are whole numbers), which the
    # scoped validation of the changed source must catch.
    edit_source(data, KALBAR, "(Lapas)\t0 UPT", "(Lapas)\t1,5 UPT")
    with pytest.raises(ValidationFailed):
        build(s)
    assert current_path(s.store_dir).resolve() == current
    assert _dump(s) == before
    assert sorted(p.name for p in (s.store_dir / "builds").iterdir()) == builds


def test_a_replaced_graph_is_compared_triple_by_triple(built_settings):
    """The triples of a re-read graph compare equal to those the store holds: otherwise every
    statement of a replaced source counts as changed, is removed and added again, and every
    subject in it (all concepts too) is validated and re-indexed."""
    import pyoxigraph as ox
    from rdflib import Graph

    store = open_store(built_settings.store_dir)
    graph_iri = next(iter(store.named_graphs()))
    held = {q.triple for q in store.quads_for_pattern(None, None, None, graph_iri)}
    again = Graph()
    again.parse(data=export_graph(store, graph_iri), format="nt")
    assert incremental._triples(again) == held
    assert all(isinstance(t, ox.Triple) for t in incremental._triples(again))


def export_graph(store, graph_iri) -> bytes:
    import pyoxigraph as ox

    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph_iri)


KONSEP = "https://w3id.org/kinerja/id/konsep/"


def _entry(sha: str, graph: str, concepts: list, programs=(), status=None) -> dict:
    return {"sha256": sha, "key": "k" + sha, "status": status, "graph": graph,
            "triples": len(concepts) + 10, "programs": list(programs), "concepts": concepts}


def test_the_state_keeps_each_string_once_and_reads_back_as_written(tmp_path):
    from kinerja import state as state_file

    mentions = [[KONSEP + "a", 12, "Indeks kepuasan"], [KONSEP + "a", 30, "Indeks kepuasan"],
                [KONSEP + "b", 31, "Indeks Kepuasan"]]
    entries = {
        "a.txt": _entry("s", "g1", mentions, status=[1, 2, 3, 4]),
        "b.txt": _entry("t", "g2", mentions[:1],
                        programs=[["https://w3id.org/kinerja/id/program/p", 3, "PROGRAM P"]]),
    }
    expected = copy.deepcopy(entries)
    state_file.write(tmp_path / state_file.STATE, "f", entries, {"x": 1})
    assert entries == expected  # writing leaves the caller's entries as they were
    state = State.open(tmp_path)
    assert state.snapshot() == {"version": state_file.VERSION, "fingerprint": "f",
                                "totals": {"x": 1}, "sources": expected}
    (strings,) = state.conn.execute("SELECT COUNT(*) FROM strings").fetchone()
    assert strings == 6  # two concepts, a program and their three wordings, each once
    assert state.mentioned_by(["b.txt"]) == {KONSEP + "a", "https://w3id.org/kinerja/id/program/p"}
    assert sorted(state.rows("concepts", [KONSEP + "a"])) == [
        (KONSEP + "a", "a.txt", 12, "Indeks kepuasan"),
        (KONSEP + "a", "a.txt", 30, "Indeks kepuasan"),
        (KONSEP + "a", "b.txt", 12, "Indeks kepuasan"),
    ]
    assert list(state.rows("programs", [KONSEP + "a"])) == []
    state.close()


def test_a_changed_state_has_only_the_changed_rows_replaced(tmp_path):
    from kinerja import state as state_file

    entries = {
        "a.txt": _entry("s", "g1", [[KONSEP + "a", 1, "A"]], status=[1, 2, 3, 4]),
        "b.txt": _entry("t", "g2", [[KONSEP + "b", 2, "B"]], status=[5, 6, 7, 8]),
        "c.txt": _entry("u", "g3", [[KONSEP + "a", 3, "A lagi"]]),
    }
    state_file.write(tmp_path / state_file.STATE, "f", entries, {"x": 3})
    new_b = _entry("v", "g2", [[KONSEP + "c", 9, "C"]])
    with State.writable(tmp_path / state_file.STATE) as state:
        state.change({"b.txt": new_b}, ["c.txt"], {"a.txt": [9, 9, 9, 9]}, {"x": 2}, 7)
    state = State.open(tmp_path)
    assert state.snapshot()["sources"] == {
        "a.txt": entries["a.txt"] | {"status": [9, 9, 9, 9]}, "b.txt": new_b}
    assert (state.totals, state.unswept) == ({"x": 2}, 7)
    assert list(state.rows("concepts", [KONSEP + "a", KONSEP + "b"])) == [
        (KONSEP + "a", "a.txt", 1, "A")]
    state.close()


def test_a_change_that_fails_leaves_the_state_as_it_was(tmp_path):
    from kinerja import state as state_file

    entries = {"a.txt": _entry("s", "g1", [[KONSEP + "a", 1, "A"]])}
    state_file.write(tmp_path / state_file.STATE, "f", entries, {"x": 1})
    broken = {"b.txt": {"sha256": "t", "key": "k", "status": None, "graph": "g2",
                        "triples": 1}}  # no mentions
    with State.writable(tmp_path / state_file.STATE) as state, pytest.raises(KeyError):
        state.change(broken, ["a.txt"], {}, {"x": 0}, 0)
    state = State.open(tmp_path)
    assert state.snapshot()["sources"] == entries
    assert state.totals == {"x": 1}
    state.close()


@pytest.mark.parametrize("kind", ["state.json", "another version", "unreadable"])
def test_a_build_whose_state_cannot_be_used_is_followed_by_a_full_build(tmp_path, data, kind):
    """A store built before the state was kept in SQLite (``state.json``), or whose state is
    of another version or unreadable, builds in full. Its texts stay where the build before
    can show them: the full build sweeps none it cannot know to be unused."""
    import sqlite3

    from kinerja.state import STATE

    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    build_dir = current_path(s.store_dir).resolve()
    texts = _texts(s)
    if kind == "state.json":
        (build_dir / STATE).unlink()
        (build_dir / "state.json").write_text('{"version": 3, "sources": {}}', "utf-8")
    elif kind == "another version":
        with sqlite3.connect(build_dir / STATE) as conn:
            conn.execute("UPDATE meta SET value = '3' WHERE name = 'version'")
    else:
        (build_dir / STATE).write_bytes(b"not a database" * 100)
    assert State.open(build_dir) is None
    edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
    messages = []
    build(s, messages.append)
    assert any(m.startswith("full build") for m in messages), messages
    assert _shas(current_path(s.store_dir).resolve()) <= _texts(s)
    if kind == "unreadable":  # which texts the previous build shows is unknown: all stay
        assert texts < _texts(s)
    elif kind == "state.json":  # that build kept its own texts: the new one needs its own
        assert _texts(s) == _shas(current_path(s.store_dir).resolve())
    else:
        assert _texts(s) == texts | _shas(current_path(s.store_dir).resolve())


def _sqlite(path, rows: int, wal: bool = True) -> None:
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, "v") for i in range(rows)])
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.close()


def _rows(path) -> int:
    from kinerja.store import open_sqlite_read_only

    conn = open_sqlite_read_only(path)
    try:
        return conn.execute("SELECT count(*) FROM t").fetchone()[0]
    finally:
        conn.close()


def test_copies_of_the_previous_build_are_moved_into_place_or_removed(tmp_path):
    """``incremental.Copies`` makes the previous build's files the next build's own while
    the build goes on: ``take`` moves one into place (the same file, hard-linked, for a file
    in WAL mode; a copy in WAL mode for one that is not), a copy that failed raises there,
    and whatever is left is removed on leaving, also when the build fails."""
    from kinerja.store import in_wal_mode

    build_dir = tmp_path / "builds" / "abc"
    build_dir.mkdir(parents=True)
    _sqlite(build_dir / "one.sqlite", 1000)
    _sqlite(build_dir / "two.sqlite", 10, wal=False)  # as a store of an older version has it
    staging = tmp_path / "builds" / "new"
    staging.mkdir()
    with incremental.Copies(build_dir, ["one.sqlite", "two.sqlite", "none.sqlite"]) as copies:
        copies.take(build_dir / "one.sqlite", staging / "one.sqlite")
        copies.take(build_dir / "two.sqlite", staging / "two.sqlite")
        with pytest.raises(FileNotFoundError):
            copies.take(build_dir / "none.sqlite", staging / "none.sqlite")
        _sqlite(build_dir / "other.sqlite", 5)  # not made in advance: made now
        copies.take(build_dir / "other.sqlite", staging / "other.sqlite")
    assert [_rows(staging / n) for n in ("one.sqlite", "two.sqlite", "other.sqlite")] == [
        1000, 10, 5]
    assert (staging / "one.sqlite").samefile(build_dir / "one.sqlite")
    assert not (staging / "two.sqlite").samefile(build_dir / "two.sqlite")
    assert in_wal_mode(staging / "two.sqlite") and not in_wal_mode(build_dir / "two.sqlite")
    assert sorted(p.name for p in (tmp_path / "builds").iterdir()) == ["abc", "new"]
    with pytest.raises(RuntimeError), incremental.Copies(build_dir, ["two.sqlite"]):
        raise RuntimeError("the build failed")
    assert sorted(p.name for p in (tmp_path / "builds").iterdir()) == ["abc", "new"]


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled as soon as they are older than the build's reading (the
    tests' copies are made just before it)."""
    from kinerja.ingest import sources

    monkeypatch.setattr(sources, "SETTLED_NS", 0)


def _reads(monkeypatch) -> list[str]:
    """The names of the files read (decoded) from now on."""
    from kinerja.ingest import sources

    read, real = [], sources.read_source

    def spy(path, row):
        read.append(path.name)
        return real(path, row)

    monkeypatch.setattr(sources, "read_source", spy)
    monkeypatch.setattr(incremental, "read_source", spy)
    return read


def test_an_incremental_build_reads_only_the_files_that_changed(
    tmp_path, data, settled, monkeypatch
):
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    assert all(e["status"] for e in _state(s)["sources"].values())
    read = _reads(monkeypatch)
    edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
    build(s)
    assert read == [BANGKA]
    assert _dump(s) == _dump(_full(tmp_path, data, "full"))
    read.clear()
    build(s)  # nothing changed: nothing read
    assert read == []


def test_a_file_changed_behind_an_old_time_is_read_and_refused(
    tmp_path, data, settled, monkeypatch
):
    """Writing a file (of the same size) and setting its modification time back still
    changes its status: the change time cannot be set back. So it is read again, and its
    checksum no longer matches the manifest."""
    import os

    from kinerja.errors import SourceError

    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    path = data / KALBAR
    before = os.stat(path)
    text = path.read_bytes()
    path.write_bytes(text.replace(b"(Lapas)\t0 UPT", b"(Lapas)\t9 UPT", 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    read = _reads(monkeypatch)
    with pytest.raises(SourceError, match="never edited by hand"):
        build(s)
    assert read == [KALBAR]


def test_a_file_written_just_before_a_build_is_not_vouched_for(tmp_path, data, monkeypatch):
    """A file that changed too close before the build began reading (here: any) may have
    changed while it was read: its status is not kept, so the next build reads it again."""
    from kinerja.ingest import sources

    monkeypatch.setattr(sources, "SETTLED_NS", 10**18)
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    assert not any(e["status"] for e in _state(s)["sources"].values())
    read = _reads(monkeypatch)
    edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
    build(s)
    assert sorted(read) == sorted(_state(s)["sources"])


def test_a_changed_manifest_row_alone_reads_its_file_again(tmp_path, data, settled,
                                                            monkeypatch):
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    manifest = data / "MANIFEST.csv"
    rows = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    (i,) = [n for n, row in enumerate(rows) if row.startswith(KALBAR + ",")]
    rows[i] = rows[i].rstrip("\r\n") + " (dipindai ulang)\n"  # the description changes
    manifest.write_text("".join(rows), encoding="utf-8")
    read = _reads(monkeypatch)
    build(s)
    assert read == [KALBAR]
    assert _dump(s) == _dump(_full(tmp_path, data, "full"))


def test_a_file_touched_without_a_change_is_vouched_for_again(tmp_path, data, settled,
                                                               monkeypatch):
    import os

    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    os.utime(data / KALBAR)  # a new modification time, the same bytes
    edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
    read = _reads(monkeypatch)
    build(s)
    assert sorted(read) == sorted([BANGKA, KALBAR])
    read.clear()
    edit_source(data, BANGKA, "hak remisi\t98%", "hak remisi\t97%")
    build(s)
    assert read == [BANGKA]


def test_validation_leaves_out_what_a_replaced_graph_stated_before():
    """The scope of validation holds what the changed graphs reference as the graphs that
    stay state it, never the old statements of a graph being replaced (they could satisfy
    a constraint the new version breaks)."""
    from collections import namedtuple

    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    ex = "http://example.org/"
    a, x, ref, label = (ox.NamedNode(ex + n) for n in ("a", "x", "ref", "label"))
    g1, g2 = ox.NamedNode(ex + "g1"), ox.NamedNode(ex + "g2")
    store = ox.Store()
    store.add(ox.Quad(a, label, ox.Literal("old"), g1))  # what the changed source said
    store.add(ox.Quad(a, label, ox.Literal("kept"), g2))  # what another source says
    new = Graph()
    new.add((URIRef(x.value), URIRef(ref.value), URIRef(a.value)))
    fresh = namedtuple("Mapped", "graph_iri graph")(URIRef(g1.value), new)
    replacements = {g1.value: {ox.Triple(x, ref, a)}}
    scope = incremental._scope(store, replacements, {}, Graph(), [fresh])
    labels = {str(o) for o in scope.objects(URIRef(a.value), URIRef(label.value))}
    assert labels == {"kept"}


def _texts(settings: Settings) -> set[str]:
    return {p.name.removesuffix(".txt") for p in (settings.store_dir / "texts").iterdir()}


def _shas(build_dir) -> set[str]:
    state = State.open(build_dir)
    try:
        return {entry["sha256"] for entry in state.sources().values()}
    finally:
        state.close()


def test_the_store_keeps_each_text_once_and_sweeps_those_no_build_uses(
    tmp_path, data, monkeypatch
):
    """Builds share the texts of their sources, named by checksum: a one-document build
    writes one text; the texts of neither the current build nor the one before it are
    removed once enough new ones were written since the last sweep."""
    from kinerja.store import text_path

    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    first_build = current_path(s.store_dir).resolve()
    first = _shas(first_build)
    assert _texts(s) == first
    assert not (first_build / "sources").exists()
    sha = _state(s)["sources"][BANGKA]["sha256"]
    assert text_path(s.store_dir, sha).read_text(encoding="utf-8") == "\n".join(
        read_source(data / BANGKA, {"sha256": sha, "origin": "", "description": ""}).lines
    ) + "\n"
    edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
    build(s)
    second = _shas(current_path(s.store_dir).resolve())
    assert _texts(s) == first | second  # one more: the previous build's kept
    assert len(_texts(s)) == len(first) + 1
    monkeypatch.setattr(incremental, "SWEEP_AT_LEAST", 1)
    edit_source(data, BANGKA, "hak remisi\t98%", "hak remisi\t97%")
    build(s)  # two written since the last sweep: swept
    third = _shas(current_path(s.store_dir).resolve())
    assert _texts(s) == second | third
    assert len(_texts(s)) == len(first) + 1 and not _texts(s) & (first - second)
    # the wordings only the first build's text had are gone from the state's strings too
    strings = "SELECT value FROM strings ORDER BY value"
    state = State.open(current_path(s.store_dir).resolve())
    full = State.open(current_path(_full(tmp_path, data, "full").store_dir).resolve())
    assert state.conn.execute(strings).fetchall() == full.conn.execute(strings).fetchall()
    state.close(), full.close()
    # a build that writes no new text does not sweep (a sweep lists every text)
    messages = []
    build(s, messages.append)  # nothing changed
    (data / KALBAR).unlink()
    manifest = (data / "MANIFEST.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data / "MANIFEST.csv").write_text("".join(x for x in manifest if KALBAR not in x), "utf-8")
    build(s, messages.append)
    assert any("1 removed" in m for m in messages), messages
    assert not any("text(s) of sources no build uses" in m for m in messages), messages


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_failed_build_removes_its_new_texts_unless_it_became_current(
    tmp_path, data, monkeypatch, when
):
    """A build that fails before it becomes current (here: indexing the listings) removes
    the texts it wrote; past that moment (here: moving old builds to the trash), the new
    build's texts stay."""
    from kinerja import store
    from kinerja.catalogue import listing_update

    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    before, current = _texts(s), current_path(s.store_dir).resolve()
    builds = sorted((s.store_dir / "builds").iterdir())

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    if when == "before":
        monkeypatch.setattr(listing_update, "update_index", broken)
    else:
        monkeypatch.setattr(store, "_prune", broken)
    edit_source(data, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
    with pytest.raises(OSError, match="disk full"):
        build(s)
    now = current_path(s.store_dir).resolve()
    if when == "before":
        assert now == current and _texts(s) == before
        assert sorted((s.store_dir / "builds").iterdir()) == builds
    else:
        assert now != current and _texts(s) == before | _shas(now)
        assert len(_texts(s)) == len(before) + 1


def test_older_builds_go_to_the_trash_which_the_next_build_empties(tmp_path, data):
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    builds = s.store_dir / "builds"
    made, emptied = [], set()
    for percent in ("99", "98", "97", "96"):
        if made:
            edit_source(data, BANGKA, f"hak remisi\t{int(percent) + 1}%", f"hak remisi\t{percent}%")
        build(s)
        made.append(current_path(s.store_dir).resolve())
        kept = sorted(p for p in builds.iterdir() if not p.name.startswith("."))
        assert kept == sorted(made[-2:])  # the one in use and the one before it
        trash = set(builds.glob(".trash-*"))
        # each build empties the trash, then moves the build before the previous one there
        # (with what is left of an incremental build's folder of copies, if it is older)
        assert not trash & emptied
        assert len([t for t in trash if (t / "graph").is_dir()]) == (1 if len(made) > 2 else 0)
        emptied = trash
