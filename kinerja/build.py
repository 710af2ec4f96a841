"""Build: ingest every source, validate against the shapes, then replace the store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kinerja.errors import ValidationFailed
from kinerja.ingest.pipeline import Ingested, Progress, ingest
from kinerja.namespaces import PREFIXES
from kinerja.search import build_index
from kinerja.settings import Settings
from kinerja.store import SEARCH, SOURCES, current_path, exists, open_store, write_store
from kinerja.validate import Report, load_shapes, validate

COUNTS = {
    "documents": "kin:PerformanceDocument",
    "goals": "kin:Goal",
    "indicators": "kin:Indicator",
    "targets": "kin:Target",
    "indicator concepts": "kin:IndicatorConcept",
    "programs": "kin:Program",
    "legal instruments": "eli:LegalResource",
}


@dataclass
class Summary:
    counts: dict[str, int]

    def text(self) -> str:
        width = max(len(k) for k in self.counts)
        return "\n".join(f"{k:<{width}}  {v:>8,}" for k, v in self.counts.items())


def union(ingested: Ingested) -> Graph:
    data = Graph()
    for graph in ingested.graphs:
        data += graph
    return data


def check(settings: Settings, progress: Progress = lambda _m: None) -> tuple[Ingested, Report]:
    """Ingest and validate without touching the store."""
    ingested = ingest(settings.data_dir, settings.ontology_dir, settings.base_iri, progress)
    data = union(ingested)
    progress(f"validating {len(data):,} triples against {settings.shapes_dir}")
    return ingested, validate(data, load_shapes(settings.shapes_dir))


def build(
    settings: Settings, progress: Progress = lambda _m: None, full: bool = False
) -> Summary:
    """Bring the store up to date with the sources: incrementally when a previous build's
    state allows it (see ``kinerja.incremental``), else (or with ``full``) from scratch."""
    if not full and exists(settings.store_dir):
        from kinerja import incremental

        if incremental.update(settings, current_path(settings.store_dir).resolve(), progress):
            return summarize(open_store(settings.store_dir))
        progress("full build: no previous state, or the model, shapes or ingestion changed")
    return full_build(settings, progress)


def full_build(settings: Settings, progress: Progress = lambda _m: None) -> Summary:
    ingested, report = check(settings, progress)
    if not report.conforms:
        errors = [v for v in report.violations if v.severity == "Violation"]
        raise ValidationFailed(report.text(), len(errors))
    progress(f"writing {ingested.dataset_size():,} quads to {settings.store_dir}")
    write_store(settings.store_dir, ingested.graphs, finish=_with_build(ingested, settings))
    return summarize(open_store(settings.store_dir))


def _with_build(ingested: Ingested, settings: Settings):
    """What is written beside the graph in a build: the source texts, as read, and the
    search index over the labels and texts of the graph."""

    def finish(store: ox.Store, build_dir: Path) -> None:
        folder = build_dir / SOURCES
        folder.mkdir()
        for source in ingested.sources:
            (folder / source.name).write_text("\n".join(source.lines) + "\n", encoding="utf-8")
        build_index(store, build_dir / SEARCH, settings.base_iri)
        from kinerja import incremental

        incremental.write_state(
            build_dir, incremental.state_for(settings, ingested.sources, ingested.mapped)
        )

    return finish


def summarize(store: ox.Store) -> Summary:
    counts = {}
    for name, cls in COUNTS.items():
        result = store.query(
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a {cls} }} }}",
            prefixes=PREFIXES,
        )
        counts[name] = int(next(iter(result))["n"].value)
    named = list(store.named_graphs())
    counts["named graphs"] = len(named)
    counts["quads in named graphs"] = sum(
        sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in named
    )
    counts["triples (merged default graph)"] = sum(
        1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    )
    return Summary(counts)
