"""The model graph: ontology, code lists and the target data set, loaded once.

``ontology/codelists.ttl`` uses IRIs relative to the configured base, so the code lists
follow ``KINERJA_BASE_IRI`` while the ontology namespace stays fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kinerja.ingest.text import fold
from kinerja.namespaces import KIN, PREFIXES

ONTOLOGY_FILES = ("kinerja.ttl",)
CODELIST_FILES = ("codelists.ttl",)


def load_model(ontology_dir: Path, base: str) -> Graph:
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    for name in ONTOLOGY_FILES:
        graph.parse(ontology_dir / name, format="turtle")
    for name in CODELIST_FILES:
        graph.parse(ontology_dir / name, format="turtle", publicID=base)
    return graph


@dataclass(frozen=True)
class Vocabulary:
    """Lookups the mapping needs: which codes and provinces exist."""

    graph: Graph
    provinces: dict[str, URIRef]  # folded label or alt label -> province
    units: frozenset[str]
    legal_types: frozenset[str]
    document_types: frozenset[str]

    def province(self, name: str) -> URIRef | None:
        return self.provinces.get(fold(name))

    def label(self, iri: URIRef, lang: str = "id") -> str:
        for value in self.graph.objects(iri, SKOS.prefLabel):
            if getattr(value, "language", None) == lang:
                return str(value)
        raise KeyError(iri)


@cache
def vocabulary(ontology_dir: Path, base: str) -> Vocabulary:
    graph = load_model(ontology_dir, base)

    def notations(cls) -> frozenset[str]:
        return frozenset(
            str(n) for c in graph.subjects(RDF.type, cls) for n in graph.objects(c, SKOS.notation)
        )

    provinces = {}
    for province in graph.subjects(RDF.type, KIN.Province):
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(province, prop):
                provinces[fold(str(label))] = province
    return Vocabulary(
        graph=graph,
        provinces=provinces,
        units=notations(KIN.Unit),
        legal_types=notations(KIN.LegalType),
        document_types=notations(KIN.DocumentType),
    )
