"""Build: ingest every source into a new store, validate it against the shapes, then make
it current."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph

from kinerja import state as state_file
from kinerja.catalogue import listing_index
from kinerja.errors import ValidationFailed
from kinerja.ingest.iris import Minter
from kinerja.ingest.mapping import MappedSource, shared_triples
from kinerja.ingest.pipeline import (
    Ingested,
    Progress,
    ingest_pieces,
    model_graph,
    named_ntriples,
)
from kinerja.ingest.sources import load_sources
from kinerja.namespaces import ELI, KIN, PREFIXES
from kinerja.search import build_index
from kinerja.settings import Settings
from kinerja.store import (
    LISTING,
    SEARCH,
    current_path,
    exists,
    keeping_texts,
    load,
    open_store,
    sweep_texts,
    write_store,
)
from kinerja.validate import Report, load_shapes, validate, validate_store
from kinerja.vocabulary import vocabulary

if TYPE_CHECKING:
    from kinerja.publish import PublishReport

# What a summary counts: the instances of these classes (in the merged default graph).
COUNTED = {
    "documents": str(KIN.PerformanceDocument),
    "goals": str(KIN.Goal),
    "indicators": str(KIN.Indicator),
    "targets": str(KIN.Target),
    "indicator concepts": str(KIN.IndicatorConcept),
    "programs": str(KIN.Program),
    "legal instruments": str(ELI.LegalResource),
}


@dataclass
class Summary:
    counts: dict[str, int]
    published: PublishReport | None = None  # what the build sent to a remote store

    def text(self) -> str:
        width = max(len(k) for k in self.counts)
        return "\n".join(f"{k:<{width}}  {v:>8,}" for k, v in self.counts.items())


def union(ingested: Ingested) -> Graph:
    data = Graph()
    for graph in ingested.graphs:
        data += graph
    return data


class _Reading:
    """The named graphs of every source, read as the store fills (see ``store.load``): the
    model graph, one graph per source (ingested in worker processes), then the concept
    graph made from every source's mentions."""

    def __init__(self, settings: Settings, progress: Progress):
        self.settings = settings
        self.progress = progress
        self.began = time.time_ns()  # before any source is read (see ``source_entry``)
        self.sources = load_sources(settings.data_dir)
        self.mapped: list[MappedSource] = []
        self.triples: list[int] = []  # in each source's graph, in the order of ``mapped``
        self.quads = 0

    def __iter__(self):
        s = self.settings
        self.progress(f"read {len(self.sources)} source file(s) from {s.data_dir}")
        vocab = vocabulary(s.ontology_dir, s.base_iri)
        minter = Minter(s.base_iri)
        model = model_graph(vocab, minter)
        self.quads += len(model)
        yield from named_ntriples([model])
        pieces = ingest_pieces(
            self.sources, s.ontology_dir, s.base_iri, s.build_workers, self.progress
        )
        for piece in pieces:
            self.mapped.append(piece.mapped)
            self.triples.append(piece.triples)
            self.quads += piece.triples
            yield str(piece.mapped.graph_iri), piece.ntriples
        shared = shared_triples(
            (m.row for ms in self.mapped for m in ms.programs),
            (m.row for ms in self.mapped for m in ms.concepts),
        )
        self.quads += len(shared)
        yield str(minter.concepts_graph), ox.serialize(shared, format=ox.RdfFormat.N_TRIPLES)


def _validated(store: ox.Store, settings: Settings, progress: Progress) -> Report:
    start = time.perf_counter()
    report = validate_store(store, load_shapes(settings.shapes_dir))
    progress(f"validated against {settings.shapes_dir} in {time.perf_counter() - start:.1f} s")
    return report


def check(
    settings: Settings, progress: Progress = lambda _m: None, engine: str = "oxigraph"
) -> Report:
    """Ingest and validate without touching the store (in an in-memory one; with the
    ``pyshacl`` engine, in an rdflib graph)."""
    store = ox.Store()
    reading = _Reading(settings, progress)
    load(store, reading)
    progress(f"validating {reading.quads:,} statements against {settings.shapes_dir}")
    if engine == "oxigraph":
        return _validated(store, settings, progress)
    data = Graph()
    data.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()),
               format="nt")
    return validate(data, load_shapes(settings.shapes_dir), engine=engine)


def build(
    settings: Settings, progress: Progress = lambda _m: None, full: bool = False
) -> Summary:
    """Bring the store up to date with the sources: incrementally when a previous build's
    state allows it (see ``kinerja.incremental``), else (or with ``full``) from scratch.

    With a remote store configured, the current build is then published to it (see
    ``kinerja.publish``), also when nothing changed, so that a new or emptied server gets
    filled. A publish that fails raises ``PublishFailed`` (naming the store and the step)
    after the new build has become current, complete; it is not recorded as published,
    so the next build publishes it again."""
    summary = _build_locally(settings, progress, full)
    if settings.remote:
        from kinerja.publish import publish

        summary.published = publish(
            settings, current_path(settings.store_dir).resolve(), progress
        )
    return summary


def _build_locally(settings: Settings, progress: Progress, full: bool) -> Summary:
    if not full and exists(settings.store_dir):
        from kinerja import incremental

        done = incremental.update(settings, current_path(settings.store_dir).resolve(), progress)
        if done:
            return summarize(open_store(settings.store_dir), done.totals)
        progress("full build: no previous state, or the model, shapes, ingestion or the"
                 " indexes' layout changed")
    return full_build(settings, progress)


def full_build(settings: Settings, progress: Progress = lambda _m: None) -> Summary:
    """Every source ingested into a new store, which is validated there (the shapes compiled
    to SPARQL) and made current only if it conforms."""
    reading = _Reading(settings, progress)

    def finish(store: ox.Store, build_dir: Path) -> None:
        progress(f"validating {reading.quads:,} quads against {settings.shapes_dir}")
        report = _validated(store, settings, progress)
        if not report.conforms:
            errors = [v for v in report.violations if v.severity == "Violation"]
            raise ValidationFailed(report.text(), len(errors))
        for source in reading.sources:
            keep(source.sha256, source.lines)
        progress("indexing labels and texts for search")
        build_index(store, build_dir / SEARCH, settings.base_iri)
        progress("indexing the listings (/daftar) with their facets")
        listing_index.build_index(store, build_dir / LISTING, settings.base_iri)
        from kinerja import incremental

        entries = {
            source.name: incremental.source_entry(source, mapped, triples, reading.began)
            for source, mapped, triples in zip(
                reading.sources, reading.mapped, reading.triples, strict=True)
        }
        state_file.write(build_dir / state_file.STATE, incremental.fingerprint(settings), entries,
                    totals(store))

    previous = state_file.used_texts(current_path(settings.store_dir).resolve())
    with keeping_texts(settings.store_dir, rewrite=True) as keep:
        write_store(settings.store_dir, reading, finish=finish)
    if previous is not None:  # the texts of the sources of neither this build nor the last
        sweep_texts(settings.store_dir, previous | {s.sha256 for s in reading.sources})
    return current_summary(settings)


def _count(store: ox.Store, where: str, **dataset) -> int:
    result = store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", prefixes=PREFIXES, **dataset
    )
    return int(next(iter(result))["n"].value)


def totals(store: ox.Store) -> dict[str, int]:
    """What a summary counts, counted by the store (in time linear in its size): the
    instances of each counted class, the quads of the named graphs it lists, and the
    triples of the merged default graph, which are the rest of ``len(store)``. A remote
    store lists neither the server's own graphs nor the merge standing in for its default
    graph (see ``kinerja.remote.RemoteStore``), so a server's own graphs are never
    counted."""
    from kinerja.incremental import GRAPHS, MERGED, NAMED

    counts = {
        name: _count(store, f"SELECT DISTINCT ?s WHERE {{ ?s a <{cls}> }}")
        for name, cls in COUNTED.items()
    }
    graphs = list(store.named_graphs())
    named = _count(store, "GRAPH ?g { ?s ?p ?o }", named_graphs=graphs)
    return counts | {GRAPHS: len(graphs), NAMED: named, MERGED: len(store) - named}


def summarize(store: ox.Store, recorded: dict[str, int] | None = None) -> Summary:
    """What the store holds; ``recorded``: its ``totals`` as a build's state records them,
    else they are counted."""
    from kinerja.incremental import GRAPHS

    counts = recorded or totals(store)
    summary = {name: counts[name] for name in COUNTED}
    summary[GRAPHS] = counts[GRAPHS]
    summary.update((k, v) for k, v in counts.items() if k not in COUNTED)
    return Summary(summary)


def recorded_totals(build_dir: Path) -> dict[str, int] | None:
    """The build's ``totals`` as its state records them (None for a build without)."""
    recorded = state_file.State.open(build_dir)
    if recorded is None:
        return None
    recorded.close()
    return recorded.totals


def current_summary(settings: Settings) -> Summary:
    """The summary of the current build, its totals read from its state."""
    recorded = recorded_totals(current_path(settings.store_dir).resolve())
    return summarize(open_store(settings.store_dir), recorded)
