"""The ingestion pipeline: every source of the data folder -> named graphs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

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
