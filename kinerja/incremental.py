"""Incremental builds: only the sources whose checksum changed are read again.

Each build leaves its state beside its graph (``kinerja.state``): a fingerprint of what
the graph depends on besides the sources (base IRI, ontology, shapes, the ingestion code),
and for every source its sha256, its named graph and its mentions of shared concepts
(programs and indicator concepts). The next build compares the manifest with it:

- a different fingerprint, or no state: a full build;
- nothing added, changed or removed: nothing to do;
- otherwise only the added and changed sources are ingested; the statements of the shared
  concept graph about the concepts a changed or removed source mentions (before or now)
  are made again from every mention of those concepts (new ones plus those the state
  keeps); the validation covers the changed graphs plus what they reference; and the new
  build starts as a checkpoint of the previous one (hard links, instant) to which only the
  difference of each replaced named graph is applied, the merged default graph kept equal
  to the RDF merge of the named graphs. Its indexes and state are the previous build's
  files, hard-linked, each with a copy of its log to which the build adds what changed
  (``store.share_sqlite``); the texts of the new sources are added to the store's.

``kinerja build --full`` ignores the state; both ways give the same quads.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

import kinerja
from kinerja import search
from kinerja import state as state_file
from kinerja.build import COUNTED
from kinerja.catalogue import listing_index, listing_update
from kinerja.errors import ValidationFailed
from kinerja.ingest.iris import Minter
from kinerja.ingest.mapping import MappedSource, Mention, MentionRow, shared_triples
from kinerja.ingest.pipeline import Progress, ingest_source, model_graph
from kinerja.ingest.sources import (
    Source,
    Unread,
    load_sources,
    read_source,
    status_if_settled,
)
from kinerja.search import update_index
from kinerja.settings import Settings
from kinerja.state import KINDS, STATE, State
from kinerja.store import (
    GRAPH,
    LISTING,
    SEARCH,
    Changes,
    keeping_texts,
    share_sqlite,
    statements,
    sweep_texts,
    update_store,
    wal_path,
)
from kinerja.validate import load_shapes, validate
from kinerja.vocabulary import vocabulary

GRAPHS = "named graphs"
NAMED = "quads in named graphs"
MERGED = "triples (merged default graph)"


def fingerprint(settings: Settings) -> str:
    """What a build depends on besides its sources: when it changes, build everything.
    With the layouts of the index files and the listings' definitions, so that a build
    whose indexes this code cannot read is made again, also when no source changed."""
    indexes = f"search {search.SCHEMA_VERSION}\nlisting {listing_index.layout()}\n"
    digest = hashlib.sha256(
        f"v{state_file.VERSION}\n{settings.base_iri}\n{indexes}".encode()
    )
    ingest_code = Path(kinerja.__file__).parent / "ingest"
    for folder, pattern in (
        (settings.ontology_dir, "*.ttl"),
        (settings.shapes_dir, "*.ttl"),
        (ingest_code, "*.py"),
    ):
        for path in sorted(Path(folder).rglob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _key(source: Source | Unread) -> str:
    """What a source's graph depends on: its bytes and its manifest row (origin and
    description become statements about the source file)."""
    row = "\0".join((source.sha256, source.origin, source.description))
    return hashlib.sha256(row.encode()).hexdigest()


def _mentions(ms: list[Mention]) -> list[list]:
    return [[str(m.iri), m.line, m.text] for m in ms]


def source_entry(
    source: Source, mapped: MappedSource, triples: int, reading_began_ns: int
) -> dict:
    """What the state keeps of one source: its checksums, the status of its file (see
    ``kinerja.ingest.sources``; None if it changed too close to the reading, which began
    at ``reading_began_ns``), its graph, the ``triples`` in it and its mentions."""
    return {
        "sha256": source.sha256,
        "key": _key(source),
        "status": status_if_settled(source.path, reading_began_ns),
        "graph": str(mapped.graph_iri),
        "triples": triples,
        "programs": _mentions(mapped.programs),
        "concepts": _mentions(mapped.concepts),
    }


def texts_to_sweep(unswept: int, sources: int) -> bool:
    """Whether the texts written since the last sweep (``unswept``, each a source new to
    the store) are enough to look for those no build uses any more: a sweep lists every
    text, so it runs once in a number of builds that grows with the store."""
    return unswept > max(SWEEP_AT_LEAST, sources // 4)


SWEEP_AT_LEAST = 16


def _read(source: Source | Unread) -> Source:
    if isinstance(source, Source):
        return source
    row = {"sha256": source.sha256, "origin": source.origin,
           "description": source.description}
    return read_source(source.path, row)


@dataclass
class Plan:
    changed: list[Source]
    removed: list[str]
    totals: dict[str, int] = field(default_factory=dict)  # of the store once up to date

    @property
    def empty(self) -> bool:
        return not self.changed and not self.removed


def plan(old: dict[str, dict], totals: dict[str, int], sources: list[Source | Unread]) -> Plan:
    """``old``: the previous build's entries (``State.sources``)."""
    names = {s.name for s in sources}
    changed = [s for s in sources if old.get(s.name, {}).get("key") != _key(s)]
    return Plan(changed, sorted(n for n in old if n not in names), totals)


def _triples(graph: Graph) -> set[ox.Triple]:
    data = graph.serialize(format="nt", encoding="utf-8")
    # ox.parse gives quads (in the default graph), which never equal the store's triples:
    # compared as such, every statement of a replaced graph would count as changed.
    return {q.triple for q in ox.parse(data, ox.RdfFormat.N_TRIPLES)}


def update(settings: Settings, build_dir: Path, progress: Progress = lambda _m: None):
    """Bring the store up to date with the sources, or return None if only a full build can
    (no state, or the model, shapes or ingestion code changed). Returns the plan applied."""
    state = State.open(build_dir)
    if state is None:
        return None
    with contextlib.closing(state):
        if state.fingerprint != fingerprint(settings):
            return None
        began = time.time_ns()
        old = state.sources()
        known = {name: (e["sha256"], e["status"]) for name, e in old.items() if e["status"]}
        sources = load_sources(settings.data_dir, known)
        todo = plan(old, state.totals, sources)
        # a file taken as it was whose manifest row changed (origin, description) is read now
        read = {s.name: _read(s) for s in todo.changed}
        sources = [read.get(s.name, s) for s in sources]
        todo.changed = list(read.values())
        if todo.empty:
            progress("no source added, changed or removed: the store is up to date")
            return todo
        progress(
            f"incremental: {len(todo.changed)} source(s) to read, {len(todo.removed)} "
            f"removed, {len(sources) - len(todo.changed)} unchanged"
        )
        with Copies(build_dir, (SEARCH, LISTING, STATE)) as copies:
            _update(settings, build_dir, progress, state, old, sources, todo, copies, began)
    return todo


class Copies:
    """The previous build's index files as the next build's own (``store.share_sqlite``:
    hard links with a copy of each log, or now and then a merged copy), made in threads
    while the changed sources are read and validated. ``take`` moves a finished one into
    place; those not taken are removed on leaving."""

    def __init__(self, build_dir: Path, names: Iterable[str]):
        self.source = Path(build_dir)
        # named so that ``store._prune`` moves it to the trash if a killed build leaves it
        # behind (the build's own prune may move it before ``__exit__``: every copy is
        # taken by then, and what is left is removed either way)
        self.folder = self.source.parent / f".staging-copies-{uuid.uuid4().hex[:12]}"
        self.folder.mkdir()
        self.errors: dict[str, BaseException] = {}
        self.threads = {}
        for name in names:
            thread = threading.Thread(target=self._copy, args=(name,), daemon=True)
            thread.start()
            self.threads[name] = thread

    def _copy(self, name: str) -> None:
        try:
            share_sqlite(self.source / name, self.folder / name)
        except BaseException as e:  # raised again by ``take``
            self.errors[name] = e

    def take(self, source: Path, target: Path) -> None:
        name = Path(source).name
        if Path(source).parent != self.source or name not in self.threads:
            share_sqlite(source, target)
            return
        self.threads[name].join()
        if name in self.errors:
            raise self.errors[name]
        if wal_path(self.folder / name).exists():
            os.replace(wal_path(self.folder / name), wal_path(target))
        os.replace(self.folder / name, target)

    def __enter__(self) -> Copies:
        return self

    def __exit__(self, *exc) -> None:
        for thread in self.threads.values():
            thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)


def _update(
    settings: Settings,
    build_dir: Path,
    progress: Progress,
    state: State,
    old: dict[str, dict],
    sources: list[Source | Unread],
    todo: Plan,
    copies: Copies,
    began: int,
) -> None:
    vocab = vocabulary(settings.ontology_dir, settings.base_iri)
    minter = Minter(settings.base_iri)
    fresh = {s.name: ingest_source(s, vocab, minter, progress)[1] for s in todo.changed}
    entries = {s.name: source_entry(s, fresh[s.name], len(fresh[s.name].graph), began)
               for s in todo.changed}
    # files read again (their status changed) and found the same: their status is taken anew
    statuses = {s.name: status_if_settled(s.path, began) for s in sources
                if isinstance(s, Source) and s.name not in fresh}
    # Only the concepts and programs that a changed or removed source mentions, before or
    # now, can have other statements in the shared graph: only theirs are made again and
    # replaced (reading and comparing the whole graph took a second at national scale).
    gone = {*todo.removed, *fresh}
    mentioned = state.mentioned_by(n for n in gone if n in old) | {
        iri for entry in entries.values() for kind in KINDS for iri, _line, _text in entry[kind]
    }

    def rows(kind: str) -> Iterator[MentionRow]:
        yield from (row for row in state.rows(kind, mentioned) if row[1] not in gone)
        for name, entry in entries.items():
            yield from ((iri, name, line, text) for iri, line, text in entry[kind])

    shared = shared_triples(rows("programs"), rows("concepts"))
    concepts = str(minter.concepts_graph)
    scopes = {concepts: {ox.NamedNode(iri) for iri in mentioned}}

    replacements: dict[str, set[ox.Triple]] = {concepts: set(shared)}
    for name in todo.removed:
        replacements[old[name]["graph"]] = set()
    for m in fresh.values():
        replacements[str(m.graph_iri)] = _triples(m.graph)

    old_store = ox.Store.read_only(str(build_dir / GRAPH))
    scope = _scope(old_store, replacements, scopes, model_graph(vocab, minter), fresh.values())
    progress(f"validating {len(scope):,} triples (the changed sources and what they reference)")
    report = validate(scope, load_shapes(settings.shapes_dir))
    if not report.conforms:
        errors = [v for v in report.violations if v.severity == "Violation"]
        raise ValidationFailed(report.text(), len(errors))
    del old_store
    unswept, sweep = state.unswept, False

    def finish(store: ox.Store, staging: Path, changes: Changes) -> None:
        nonlocal unswept, sweep
        unswept += sum(keep(s.sha256, s.lines) for s in todo.changed)
        sweep = texts_to_sweep(unswept, len(sources))
        if sweep:
            unswept = 0
        copies.take(build_dir / SEARCH, staging / SEARCH)
        update_index(store, staging / SEARCH, settings.base_iri, changes.touched)
        listing_update.update_index(
            store, staging / LISTING, settings.base_iri, changes.touched, previous=build_dir,
            copy=copies.take,
        )
        todo.totals = _moved(state.totals, changes)
        # the new state shares the file of the old (see ``store._connect``)
        state.close()
        copies.take(build_dir / STATE, staging / STATE)
        with State.writable(staging / STATE) as new:
            new.change(entries, todo.removed, statuses, todo.totals, unswept, tidy=sweep)

    progress(f"applying the changes of {len(replacements)} named graph(s)")
    with keeping_texts(settings.store_dir) as keep:
        update_store(settings.store_dir, replacements, finish, scopes)
    if sweep:  # the texts of the sources of neither this build nor the previous one
        used = {e["sha256"] for e in old.values()} | {s.sha256 for s in sources}
        removed = sweep_texts(settings.store_dir, used)
        progress(f"removed {removed} text(s) of sources no build uses")


def _moved(totals: dict[str, int], changes: Changes) -> dict[str, int]:
    """The totals after ``changes``. An instance of a counted class is one ``rdf:type``
    triple in the merged default graph, so the change in its count is the change in those
    triples."""
    moved = {NAMED: totals[NAMED] + changes.named, MERGED: totals[MERGED] + changes.merged,
             GRAPHS: totals[GRAPHS] + changes.graphs}
    for name, cls in COUNTED.items():
        moved[name] = totals[name] + changes.types.get(cls, 0)
    return moved


def _scope(store: ox.Store, replacements, scopes, model: Graph, fresh) -> Graph:
    """The changed graphs, the model, and what the changed graphs reference: the statements
    about each referenced resource in the graphs that stay, and in the new concept graph;
    plus every concept whose statements the change alters. ``scopes``: the subjects whose
    statements a replacement covers, for a graph it replaces in part."""
    fresh = list(fresh)
    fresh_graphs = {str(m.graph_iri) for m in fresh}
    scope = Graph()
    scope += model
    for m in fresh:
        scope += m.graph
    shared: dict[ox.NamedNode, list[ox.Triple]] = {}
    changed_shared: set = set()
    for graph, triples in replacements.items():
        if graph in fresh_graphs or not triples:
            continue
        for t in triples:
            shared.setdefault(t.subject, []).append(t)
        old = statements(store, ox.NamedNode(graph), scopes.get(graph))
        changed_shared |= {t.subject for t in old ^ triples}
    referenced = {
        node
        for graph in fresh_graphs
        for t in replacements[graph]
        for node in (t.subject, t.object)
        if isinstance(node, ox.NamedNode)
    }
    subjects_in_fresh = {t.subject for graph in fresh_graphs for t in replacements[graph]}
    neighbourhood: list[ox.Triple] = []
    for node in (referenced - subjects_in_fresh) | changed_shared:
        neighbourhood.extend(shared.get(node, ()))
        for q in store.quads_for_pattern(node, None, None, None):
            graph = q.graph_name
            if not isinstance(graph, ox.NamedNode):
                continue
            # a graph that stays, or the statements a partial replacement leaves as they are
            kept = graph.value not in replacements or (
                graph.value in scopes and node not in scopes[graph.value]
            )
            if kept:
                neighbourhood.append(q.triple)
    if neighbourhood:
        data = ox.serialize(neighbourhood, format=ox.RdfFormat.N_TRIPLES)
        scope.parse(data=data, format="nt")
    return scope
