"""The ingestion pipeline: every source of the data folder -> named graphs."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kinerja.errors import KinerjaError
from kinerja.ingest.extractors import extractor_for
from kinerja.ingest.iris import Minter
from kinerja.ingest.mapping import MappedSource, map_document, map_shared, new_graph
from kinerja.ingest.records import Document
from kinerja.ingest.sources import Source, load_sources
from kinerja.vocabulary import vocabulary

Progress = Callable[[str], None]


@dataclass
class Ingested:
    """The named graphs of one build, model graph first."""

    graphs: list[Graph]
    documents: list[Document]
    sources: list[Source] = field(default_factory=list)
    mapped: list[MappedSource] = field(default_factory=list)  # one per source, same order

    def dataset_size(self) -> int:
        return sum(len(g) for g in self.graphs)


def ingest(
    data_dir: Path, ontology_dir: Path, base: str, progress: Progress = lambda _msg: None
) -> Ingested:
    minter = Minter(base)
    vocab = vocabulary(ontology_dir, base)
    sources = load_sources(data_dir)
    progress(f"read {len(sources)} source file(s) from {data_dir}")
    mapped: list[MappedSource] = []
    documents: list[Document] = []
    for source in sources:
        doc, one = ingest_source(source, vocab, minter, progress)
        documents.append(doc)
        mapped.append(one)
    model = model_graph(vocab, minter)
    graphs = [model, map_shared(mapped, minter), *(m.graph for m in mapped)]
    return Ingested(graphs, documents, sources, mapped)


def ingest_source(
    source: Source, vocab, minter: Minter, progress: Progress = lambda _msg: None
) -> tuple[Document, MappedSource]:
    """One source -> its document records and its named graph."""
    extractor = extractor_for(source)
    doc = extractor.extract(source)
    n_ind = sum(len(g.indicators) for g in doc.goals)
    progress(
        f"  {source.name}: layout {extractor.name}, {doc.document_type} "
        f"{doc.year}, {len(doc.goals)} sasaran, {n_ind} indicators"
    )
    return doc, map_document(doc, source, extractor.name, vocab, minter)


def model_graph(vocab, minter: Minter) -> Graph:
    model = new_graph(minter.model_graph)
    for triple in vocab.graph:
        model.add(triple)
    return model


# --- ingestion for the store: one source -> N-Triples, in worker processes -------------------
@dataclass
class Piece:
    """One source ingested for the store: its named graph as N-Triples, and its mentions of
    shared concepts (the concept graph is made from the mentions of every source)."""

    source: str
    mapped: MappedSource  # with an empty rdflib graph: the statements are in ``ntriples``
    ntriples: bytes
    triples: int
    note: str


_WORKER: dict = {}
PARALLEL_FROM = 8  # sources; below this, worker start-up costs more than it saves


def _start_worker(ontology_dir: Path, base: str) -> None:
    _WORKER["vocab"] = vocabulary(ontology_dir, base)
    _WORKER["minter"] = Minter(base)


def _piece(source: Source) -> Piece:
    notes: list[str] = []
    _doc, mapped = ingest_source(source, _WORKER["vocab"], _WORKER["minter"], notes.append)
    data = mapped.graph.serialize(format="nt", encoding="utf-8")
    count = len(mapped.graph)
    empty = MappedSource(mapped.graph_iri, Graph(), mapped.programs, mapped.concepts)
    return Piece(source.name, empty, data, count, "\n".join(notes))


def ingest_pieces(
    sources: list[Source], ontology_dir: Path, base: str, workers: int | None = None,
    progress: Progress = lambda _msg: None,
) -> Iterator[Piece]:
    """Each source's named graph as N-Triples, in the order of ``sources``, ingested by
    ``workers`` processes (default: one per core) when there are enough sources to pay for
    starting them. An error in any source stops the whole run and names it."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(sources) < PARALLEL_FROM:
        _start_worker(ontology_dir, base)
        for source in sources:
            piece = _piece(source)
            progress(piece.note)
            yield piece
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(ontology_dir, base)
    ) as pool:
        try:
            for piece in pool.map(_piece, sources, chunksize=4):
                progress(piece.note)
                yield piece
        except BrokenProcessPool as e:
            raise KinerjaError(
                "a source-reading worker process stopped abruptly (out of memory? or, when "
                "kinerja.build is called from a script, a missing "
                "'if __name__ == \"__main__\":' guard); KINERJA_BUILD_WORKERS=1 reads "
                "the sources in this process"
            ) from e
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def named_ntriples(graphs: Iterable[Graph]) -> Iterator[tuple[str, bytes]]:
    """rdflib named graphs as ``store.write_store`` and ``store.load`` take them."""
    for graph in graphs:
        yield str(graph.identifier), graph.serialize(format="nt", encoding="utf-8")
