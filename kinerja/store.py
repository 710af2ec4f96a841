"""The graph store: embedded, persistent Oxigraph, one named graph per source.

Layout of the store folder::

    builds/<id>/graph/          the Oxigraph store of one successful build
    builds/<id>/search.sqlite   the full-text search index over its labels and texts
    builds/<id>/listing.sqlite  the listings (/daftar) with their facets, as SQL tables
    builds/<id>/state.sqlite    what the next build needs to know (``kinerja.state``)
    builds/<id>/*.sqlite-wal    each SQLite file's log: the pages this build and the builds
                                before it changed since the file was written; the file
                                itself may be shared with those builds (``share_sqlite``)
    builds/<id>/*.sqlite-shm    the index of a log, made by SQLite when the file is opened
    current                     symlink to the build in use
    texts/<sha256>.txt          the text of each source file as builds read it (source
                                pages show them), named by the sha256 of the file's bytes

A build writes a new store beside the old one and only then points ``current`` at it with
an atomic rename, so a failed or interrupted build leaves the previous store as it was.
The texts are shared by the builds: a build writes only those of sources that are new to
the store, and removes them again if it fails (``keeping_texts``).

The builds before the previous one are renamed out of the way (``.trash-<id>``) when a
build becomes current, and removed while the next build runs: removing a national build's
files took up to 0.66 s, which a one-document build would otherwise spend waiting.

Each source's statements live in its own named graph. The default graph holds their RDF
merge: every distinct triple once, however many sources state it. (Oxigraph's "union
default graph" option is a bag union and would count a shared triple once per source.)
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import shutil
import sqlite3
import threading
import uuid
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kinerja.errors import StoreError
from kinerja.namespaces import PREFIXES
from kinerja.scratch import ScratchFolder

CURRENT = "current"
BUILDS = "builds"
GRAPH = "graph"
SEARCH = "search.sqlite"
LISTING = "listing.sqlite"
DUMPS = "dumps"  # the whole dataset's files, written when first asked for (kinerja.dumps)
TEXTS = "texts"
KEEP_BUILDS = 2  # the one in use and the one before it
TRASH = ".trash-"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def current_path(store_dir: Path) -> Path:
    return Path(store_dir) / CURRENT


def graph_path(store_dir: Path) -> Path:
    """The Oxigraph store of the current build."""
    return current_path(store_dir) / GRAPH


def exists(store_dir: Path) -> bool:
    return graph_path(store_dir).is_dir()


def open_store(store_dir: Path, read_only: bool = True) -> ox.Store:
    path = graph_path(store_dir)
    if not path.is_dir():
        raise StoreError(f"no store at {store_dir}: run 'kinerja build' first")
    try:
        return ox.Store.read_only(str(path.resolve())) if read_only else ox.Store(str(path))
    except OSError as e:
        raise StoreError(f"cannot open the store at {path}: {e}") from None


def write_store(
    store_dir: Path,
    graphs: Iterable[tuple[str, bytes]],
    finish: Callable[[ox.Store, Path], None] | None = None,
) -> Path:
    """Write ``graphs`` (pairs of a named graph's IRI and its statements as N-Triples) as a
    new build and make it current. Each graph goes into its named graph and into the merged
    default graph. ``graphs`` may be a generator: it is read once, as the store fills.

    ``finish(store, build_dir)`` runs on the complete store before it becomes current, to
    check it and write what belongs with the build (indexes, state); if it
    fails, the build is discarded like any other failure."""

    def fill(store: ox.Store, staging: Path) -> None:
        load(store, graphs)
        # Compact what the bulk load left in many files: queries on the national benchmark
        # store ran 1.3 to 1.8 times faster after it, and so do the checks and indexes
        # that finish runs.
        store.optimize()
        if finish is not None:
            finish(store, staging)

    return _staged(Path(store_dir), fill)


LOAD_BATCH = 64 * 2**20  # bytes of N-Quads per bulk load


def load(store: ox.Store, graphs: Iterable[tuple[str, bytes]]) -> None:
    """Bulk-load named graphs given as N-Triples, and their merge into the default graph
    (the store is a set of quads, so a triple stated by several graphs is there once)."""
    batch: list[bytes] = []
    size = 0
    for iri, ntriples in graphs:
        if not ntriples:
            continue
        if not ntriples.endswith(b" .\n"):
            raise StoreError(f"graph <{iri}>: N-Triples must end with ' .' and a newline")
        # In N-Triples a line break only ends a statement (literals escape theirs), so
        # each " .\n" is the end of one statement: put the graph name before it.
        batch += [ntriples.replace(b" .\n", f" <{iri}> .\n".encode()), ntriples]
        size += 2 * len(ntriples)
        if size >= LOAD_BATCH:
            store.bulk_load(b"".join(batch), ox.RdfFormat.N_QUADS)
            batch, size = [], 0
    if batch:
        store.bulk_load(b"".join(batch), ox.RdfFormat.N_QUADS)
    store.flush()


def update_store(
    store_dir: Path,
    replacements: dict[str, set[ox.Triple]],
    finish: Callable[[ox.Store, Path, Changes], None],
    scopes: dict[str, set[ox.NamedNode]] | None = None,
) -> Path:
    """A new build from the current one with some named graphs replaced (an empty set
    removes a graph), made current atomically. A graph with a scope (``scopes``) has only
    the statements about the subjects in its scope replaced; the rest stay.

    The new build starts as an Oxigraph checkpoint of the current one (hard links), then
    gets only each graph's difference; a triple leaves the merged default graph when no
    named graph states it any more. ``finish(store, build_dir, changes)`` gets the IRIs of
    every subject whose statements changed (to update the search index) and the change in
    the number of quads and triples."""
    previous = current_path(store_dir).resolve()

    def fill(store: ox.Store, staging: Path) -> None:
        changes = _apply(store, replacements, scopes or {})
        store.flush()
        finish(store, staging, changes)

    return _staged(Path(store_dir), fill, start_from=previous / GRAPH)


def _staged(
    store_dir: Path, fill: Callable[[ox.Store, Path], None], start_from: Path | None = None
) -> Path:
    """Write a build in a staging folder (empty, or a checkpoint of ``start_from``), let
    ``fill`` complete it, then make it current; on any failure remove every trace of it."""
    builds = store_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    build_id = uuid.uuid4().hex[:12]
    staging = builds / f".staging-{build_id}"
    final = builds / build_id
    emptying = threading.Thread(target=_empty_trash, args=(builds,), daemon=True)
    emptying.start()
    try:
        staging.mkdir()
        if start_from is not None:
            ox.Store.read_only(str(start_from)).backup(str(staging / GRAPH))
        (staging / DUMPS).mkdir()
        store = ox.Store(str(staging / GRAPH))
        fill(store, staging)
        del store
        staging.rename(final)
        _point_current(store_dir, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        raise
    finally:
        emptying.join()
    _prune(builds, keep=final)
    return final


@dataclass
class Changes:
    """What applying replacements did: subjects whose statements changed, and how the
    number of quads in named graphs and of triples in the merged default graph moved."""

    touched: set[str] = field(default_factory=set)
    named: int = 0
    merged: int = 0
    graphs: int = 0  # named graphs added less those removed
    # class IRI -> change in the number of its rdf:type triples in the merged default graph
    types: Counter[str] = field(default_factory=Counter)


def statements(
    store: ox.Store, graph: ox.NamedNode, scope: set[ox.NamedNode] | None = None
) -> set[ox.Triple]:
    """The triples of a named graph, or (``scope``) only those about these subjects."""
    if scope is None:
        return {q.triple for q in store.quads_for_pattern(None, None, None, graph)}
    return {q.triple for s in scope for q in store.quads_for_pattern(s, None, None, graph)}


def _holds(store: ox.Store, graph: ox.NamedNode) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None


def _apply(
    store: ox.Store,
    replacements: dict[str, set[ox.Triple]],
    scopes: dict[str, set[ox.NamedNode]],
) -> Changes:
    gone: set[ox.Triple] = set()
    changes = Changes()
    for graph_iri, new in replacements.items():
        graph = ox.NamedNode(graph_iri)
        scope = scopes.get(graph_iri)
        if scope is not None and any(t.subject not in scope for t in new):
            raise ValueError(f"statements outside the scope given for <{graph_iri}>")
        old = statements(store, graph, scope)
        held = bool(old) if scope is None else _holds(store, graph)
        for t in old - new:
            store.remove(ox.Quad(t.subject, t.predicate, t.object, graph))
            gone.add(t)
        for t in new - old:
            store.add(ox.Quad(t.subject, t.predicate, t.object, graph))
            default = ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
            if default not in store:
                store.add(default)
                changes.merged += 1
                if t.predicate == RDF_TYPE:
                    changes.types[t.object.value] += 1
        changes.named += len(new) - len(old)
        holds = bool(new) if scope is None else _holds(store, graph)
        changes.graphs += holds - held
        changes.touched |= {
            t.subject.value for t in old ^ new if isinstance(t.subject, ox.NamedNode)
        }
        if not holds:
            with contextlib.suppress(Exception):
                store.remove_graph(graph)
    for t in gone:
        still = any(
            isinstance(q.graph_name, ox.NamedNode)
            for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)
        )
        if not still:
            store.remove(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()))
            changes.merged -= 1
            if t.predicate == RDF_TYPE:
                changes.types[t.object.value] -= 1
    return changes


def write_json(build_dir: Path, name: str, data: dict) -> None:
    """Write one JSON file of a build so that a reader finds either the old or the new."""
    tmp = Path(build_dir) / (name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, Path(build_dir) / name)


def read_json(build_dir: Path, name: str, version: int) -> dict | None:
    """One JSON file of a build; None if it is missing, unreadable or of another version."""
    try:
        data = json.loads((Path(build_dir) / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == version else None


def _point_current(store_dir: Path, target: Path) -> None:
    link = current_path(store_dir)
    tmp = store_dir / f".{CURRENT}-{uuid.uuid4().hex[:8]}"
    os.symlink(os.path.relpath(target, store_dir), tmp)
    os.replace(tmp, link)  # atomic on POSIX


def _prune(builds: Path, keep: Path) -> None:
    """Move the builds before the previous one, and what killed builds left, to the trash
    (renamed, which is instant; ``_empty_trash`` removes them during the next build)."""
    others = sorted(
        (p for p in builds.iterdir() if p != keep and not p.name.startswith(".")),
        key=_mtime,
        reverse=True,
    )
    stale = [f for f in builds.glob(".staging-*") if _mtime(f) < _mtime(keep)]
    for old in [*others[KEEP_BUILDS - 1 :], *stale]:
        with contextlib.suppress(OSError):
            old.rename(builds / f"{TRASH}{uuid.uuid4().hex[:12]}")


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # gone meanwhile
        return float("inf")


def _empty_trash(builds: Path) -> None:
    for folder in builds.glob(f"{TRASH}*"):
        shutil.rmtree(folder, ignore_errors=True)


def text_path(store_dir: Path, sha256: str) -> Path | None:
    """Where the store keeps the text of the source file with this sha256 (None if
    ``sha256`` is not one: it may come from a remote store)."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        return None
    return Path(store_dir) / TEXTS / f"{sha256}.txt"


@contextlib.contextmanager
def keeping_texts(
    store_dir: Path, rewrite: bool = False
) -> Iterator[Callable[[str, Iterable[str]], bool]]:
    """``keep(sha256, lines)`` within the block writes a source's text unless the store has
    it (``rewrite``: also then, for a full build, whose decoding may have changed), and
    returns whether the text is new to the store. If the block fails before a new build
    became current, the texts new to the store are removed again."""
    folder = Path(store_dir) / TEXTS
    folder.mkdir(parents=True, exist_ok=True)
    current = current_path(store_dir).resolve()
    created: list[Path] = []

    def keep(sha256: str, lines: Iterable[str]) -> bool:
        path = text_path(store_dir, sha256)
        if path is None:
            raise ValueError(f"not a sha256: {sha256!r}")
        new = not path.is_file()
        if new or rewrite:
            tmp = folder / f".{sha256}.{uuid.uuid4().hex[:8]}.tmp"
            tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
            os.replace(tmp, path)
        if new:
            created.append(path)
        return new

    try:
        yield keep
    except BaseException:
        # a failure after the new build became current (while pruning) keeps its texts
        if current_path(store_dir).resolve() == current:
            for path in created:
                with contextlib.suppress(OSError):
                    path.unlink()
        raise


def sweep_texts(store_dir: Path, used: set[str]) -> int:
    """Remove the texts whose sha256 is not in ``used`` (the sources of the builds kept);
    returns how many were removed."""
    removed = 0
    for path in (Path(store_dir) / TEXTS).iterdir():
        if path.name.startswith(".") or path.name.removesuffix(".txt") not in used:
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed


# --- reading -----------------------------------------------------------------------------
EXPORT_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    # name: (format, keeps named graphs)
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "trig": (ox.RdfFormat.TRIG, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "rdfxml": (ox.RdfFormat.RDF_XML, False),
}


def export(store: ox.Store, fmt: str, graph: str | None = None) -> bytes:
    """The whole dataset (or one named graph) in ``fmt``, as bytes (see ``export_to``)."""
    buffer = io.BytesIO()
    export_to(store, fmt, buffer, graph)
    return buffer.getvalue()


def export_to(
    store: ox.Store,
    fmt: str,
    output: BinaryIO,
    graph: str | None = None,
    work_dir: Path | None = None,
) -> None:
    """Write the whole dataset (or one named graph) in ``fmt`` to ``output``.

    Formats with named graphs get every named graph (the default graph is derived from
    them); the others get the merged default graph. One named graph keeps its name in
    formats that carry names. Named graphs come one after another in the order of their
    names, and N-Quads sorted within each, so the same sources always give the same bytes.
    The whole dataset is written as it is read, one graph at a time: a national graph's
    N-Quads (1.8 GB) never stand in memory at once. A remote store's merged default graph
    is put together in a temporary store on disk, in ``work_dir`` (see ``_dump_merge``).
    """
    rdf_format, quads = EXPORT_FORMATS[fmt]
    prefixes = _prefixes(rdf_format)
    if not quads:
        if graph is None and not isinstance(store, ox.Store):
            _dump_merge(store, output, rdf_format, prefixes, work_dir)
        else:
            from_graph = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
            store.dump(output, format=rdf_format, from_graph=from_graph, prefixes=prefixes)
        return
    names = [ox.NamedNode(graph)] if graph is not None else [
        ox.NamedNode(name) for name in graph_names(store)]
    if fmt == "nquads":
        for name in names:
            # the graph's N-Triples with its name put before each " .": the store writes
            # them (a quarter faster than serialising quads made in Python), the same bytes
            triples = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
            end = b" <" + name.value.encode("utf-8") + b"> .\n"
            output.write(b"".join(sorted(line[:-2] + end for line in triples.splitlines())))
        return
    ox.serialize(
        (q for name in names for q in store.quads_for_pattern(None, None, None, name)),
        output, format=rdf_format, prefixes=prefixes,
    )


def _dump_merge(
    store, output: BinaryIO, rdf_format: ox.RdfFormat, prefixes: dict[str, str] | None,
    work_dir: Path | None,
) -> None:
    """Write the merge of a remote store's named graphs as an embedded store writes its
    default graph, the same bytes: each graph is read from the server in turn and added to
    a temporary on-disk store in ``work_dir`` (None: the system's temporary folder), which
    then writes its default graph. Asked for as one graph, a national merge (5.5 million
    triples at scale 2,422) stood in the server's memory whole, as Python objects. What a
    killed process leaves there goes when the next merge is made (``kinerja.scratch``)."""
    with ScratchFolder("kinerja-merge-", work_dir) as folder:
        merge = ox.Store(str(folder / "store"))
        try:
            for name in graph_names(store):
                # in bulk: merging a scale-500 build in process took about 200 MiB at
                # most, and 696 MiB and a fifth longer with a transaction per graph
                merge.bulk_extend(ox.Quad(t.subject, t.predicate, t.object)
                                  for t in store.graph_triples(ox.NamedNode(name)))
            merge.dump(output, format=rdf_format, from_graph=ox.DefaultGraph(),
                       prefixes=prefixes)
        finally:
            del merge  # closes the store before its folder goes


def _prefixes(rdf_format: ox.RdfFormat) -> dict[str, str] | None:
    if rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES):
        return None
    return dict(PREFIXES)


def graph_names(store: ox.Store) -> list[str]:
    return sorted(g.value for g in store.named_graphs())


def default_graph_size(store) -> int:
    """Triples in the default graph (the merge), counted by ``store``: an Oxigraph store
    or a :class:`kinerja.remote.RemoteStore`."""
    (row,) = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    return int(row["n"].value)


# How much of an index file its readers map into memory. Pages of the file are then read
# from the operating system's cache, shared by every connection and process, instead of
# being copied into each connection's own small page cache (2 MiB by default): decoding the
# 3,140 terms of a grid on the national benchmark's index took 19.9 ms, and 8.9 ms mapped.
READ_MMAP_BYTES = 1 << 30


def open_sqlite_read_only(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """A read-only connection to the index at ``path``, memory-mapped (``READ_MMAP_BYTES``)."""
    conn = _connect(path, read_only=True, check_same_thread=check_same_thread)
    conn.execute(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")
    return conn


# In one process, SQLite keeps one log index (``-shm``) per file, not per path: two builds'
# paths of one shared file (see ``share_sqlite``) open at once would read, and write, each
# other's log index. ``_connect`` refuses that (``_OPEN``: (device, inode) -> the path open,
# and how many connections have it open).
_OPEN: dict[tuple[int, int], tuple[str, int]] = {}
_OPEN_LOCK = threading.Lock()
_COLLECTED: list[list] = []  # releases of collected connections, done by the next _connect


class _Connection(sqlite3.Connection):
    """A connection whose file ``_OPEN`` counts until it closes (or is collected)."""

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()


class _Writer(_Connection):
    """A connection that closes its cursors before itself: SQLite only marks a connection
    with an unfinished statement for closing, and a writer that closed later, last, would
    write its log into the shared file (see ``log_writer``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cursors: weakref.WeakSet = weakref.WeakSet()

    def cursor(self, *args, **kwargs):
        cursor = super().cursor(*args, **kwargs)
        self._cursors.add(cursor)
        return cursor

    def execute(self, *args):
        return self.cursor().execute(*args)

    def executemany(self, *args):
        return self.cursor().executemany(*args)

    def executescript(self, *args):
        return self.cursor().executescript(*args)

    def close(self) -> None:
        try:
            for cursor in list(self._cursors):
                cursor.close()
        finally:
            super().close()


def _release(token: list, collected: bool = False) -> None:
    if token[1]:
        return
    # a connection collected while ``_connect`` holds the lock (garbage collection can run
    # there) must not wait for it: its release is left to the next ``_connect``
    if not _OPEN_LOCK.acquire(blocking=not collected):
        _COLLECTED.append(token)
        return
    try:
        _released(token)
    finally:
        _OPEN_LOCK.release()


def _released(token: list) -> None:
    """Count one connection less on the token's file (``_OPEN_LOCK`` held)."""
    key, done = token
    if done:
        return
    token[1] = True
    path, count = _OPEN[key]
    if count > 1:
        _OPEN[key] = (path, count - 1)
    else:
        del _OPEN[key]


def _connect(path: Path, *, read_only: bool, **kwargs) -> sqlite3.Connection:
    real = Path(path).resolve()
    st = os.stat(real)
    key = (st.st_dev, st.st_ino)
    with _OPEN_LOCK:
        while _COLLECTED:
            _released(_COLLECTED.pop())
        held, count = _OPEN.get(key, (str(real), 0))
        if held != str(real):
            raise StoreError(f"{real} is the file {held} shares (see store.share_sqlite), "
                             "open in this process: close it first")
        _OPEN[key] = (held, count + 1)
    token = [key, False]
    try:
        uri = real.as_uri() + ("?mode=ro" if read_only else "")
        conn = sqlite3.connect(uri, uri=True, factory=_Connection if read_only else _Writer,
                               **kwargs)
    except BaseException:
        _release(token)
        raise
    conn._release = functools.partial(_release, token)
    weakref.finalize(conn, _release, token, True)
    return conn


@contextlib.contextmanager
def new_sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a new SQLite file that replaces ``path`` once the block is done
    (written beside it, synced, renamed over it: readers see the old file or the new one);
    the old file stays as it was if the block fails. For the indexes of a build."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
            )
            yield conn
            # the file's lasting mode, so that later builds can share it (``share_sqlite``)
            conn.execute("PRAGMA journal_mode=WAL")
        finally:
            conn.close()
        _fsync(tmp)
        # a log left beside the file replaced would be read as the new file's
        for log in (wal_path(path), path.with_name(path.name + "-shm")):
            with contextlib.suppress(FileNotFoundError):
                log.unlink()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write that replaces ``path`` once the block is done (written
    beside it, synced, renamed over it: a reader sees no file or the whole of it); if the
    block fails, nothing is left of it."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(tmp, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


# Index files shared between builds
#
# Copying the previous build's indexes (848 MB at scale 2,422) made a one-document build
# grow with the store. Instead a build hard-links each SQLite file of the previous build and
# copies only its write-ahead log (``-wal``), the pages changed since the file was written,
# and appends its own changes to that log (``log_writer``). The file itself is never written
# again: the builds sharing it each read it through their own log. Once a log is larger than
# ``MERGE_AT`` (or than the file), the next build merges the two into a file of its own.
#
# SQLite writes a log into its file when the last connection to it closes ("checkpoint on
# close"), which here would change the file under the other builds. A read-only connection
# never does; a writer is kept from it by a read-only connection held open while it closes.
# So a build's indexes are only ever opened read-only (``open_sqlite_read_only``), never with
# ``immutable=1``, which would ignore the log.

MERGE_AT = 64 * 2**20  # bytes of log after which the next build merges it


def wal_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + "-wal")


def in_wal_mode(path: Path) -> bool:
    """Whether the SQLite file at ``path`` is in write-ahead-log mode (header bytes 18-19)."""
    with open(path, "rb") as f:
        header = f.read(20)
    return header[18:20] == b"\x02\x02"


def share_sqlite(source: Path, target: Path) -> bool:
    """Make ``target`` (with ``target-wal``) the next build's own copy of the SQLite file
    at ``source``, written to disk: the same file, hard-linked, with a copy of its log;
    or, once the log passes ``MERGE_AT`` (or the file's size), or for a file not in WAL
    mode, a copy of its own with the log merged in. Returns whether it merged."""
    source, target = Path(source), Path(target)
    log = wal_path(source)
    logged = log.stat().st_size if log.exists() else 0
    if in_wal_mode(source) and logged <= min(MERGE_AT, source.stat().st_size):
        os.link(source, target)
        if logged:
            shutil.copyfile(log, wal_path(target))
            _fsync(wal_path(target))
        return False
    shutil.copyfile(source, target)
    if logged:
        shutil.copyfile(log, wal_path(target))
    conn = sqlite3.connect(target, isolation_level=None)
    try:  # the only connection: it writes the log into the file and removes it on closing
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    _fsync(target)
    return True


@contextlib.contextmanager
def log_writer(path: Path, timeout: float = 5.0) -> Iterator[sqlite3.Connection]:
    """A connection that changes the SQLite file at ``path`` only through its log (see
    above): the file stays as it is for the other builds that share it. The log is written
    to disk on leaving the block."""
    path = Path(path)
    if not in_wal_mode(path):
        if path.stat().st_nlink > 1:
            raise StoreError(f"{path}: a file shared with another build that is not in WAL "
                             "mode: writing it would change that build")
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
    guard = _connect(path, read_only=True, isolation_level=None)
    try:
        guard.execute("BEGIN")  # a read transaction: the writer does not close last
        guard.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn = _connect(path, read_only=False, isolation_level=None, timeout=timeout)
        try:
            conn.execute("PRAGMA wal_autocheckpoint=0")
            conn.execute("PRAGMA synchronous=OFF")  # the log is synced once, on leaving
            yield conn
        finally:
            conn.close()
    finally:
        guard.close()
    if not wal_path(path).exists():  # SQLite removes a log only once it wrote it in the file
        raise StoreError(f"{path}: its log was written into the file, which other builds "
                         "may share: run 'kinerja build --full'")
    _fsync(wal_path(path))
