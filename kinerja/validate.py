"""SHACL validation with a report a person can read.

Shapes are loaded once from ``shapes/*.ttl``; loading fails loudly when no shapes are found
(a misspelt ``sh:`` namespace would otherwise make a validator answer "conforms" for
anything).

Two engines give the same results (the tests hold them to it):

- ``oxigraph`` (the default): the shapes compiled to SPARQL (:mod:`kinerja.shacl`) and run
  on an Oxigraph store, the build's own staging store or an in-memory one; fast at any size;
- ``pyshacl``: pySHACL on an rdflib graph, the reference implementation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH

from kinerja import shacl
from kinerja.errors import KinerjaError
from kinerja.namespaces import KIN

ENGINES = ("oxigraph", "pyshacl")

_LOCK = threading.Lock()  # pySHACL shape graphs are not safe to share between threads


@cache
def load_shapes(shapes_dir: Path) -> Graph:
    shapes = Graph()
    files = sorted(Path(shapes_dir).glob("*.ttl"))
    for path in files:
        shapes.parse(path, format="turtle")
    count = shape_count(shapes)
    if count == 0:
        raise KinerjaError(f"no SHACL shapes found in {shapes_dir} ({len(files)} file(s) read)")
    return shapes


def shape_count(shapes: Graph) -> int:
    node = set(shapes.subjects(RDF.type, SH.NodeShape))
    prop = set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(shapes.objects(None, SH.property))
    return len(node | prop)


@dataclass(frozen=True)
class Violation:
    focus: str
    label: str
    path: str
    message: str
    severity: str
    component: str
    source: str  # file name, or "" when the focus node has no provenance
    line: int  # 0 when unknown
    shape: str = ""  # the property shape or SPARQL constraint (else node shape) that failed
    value: str = ""  # the value node at fault, for constraints on values

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.source else "(no source line)"
        path = f" {self.path}" if self.path else ""
        label = f'"{self.label}" ' if self.label else ""
        return (
            f"{where}: {self.severity}: {label}<{self.focus}>{path}: {self.message} "
            f"[{self.component}]"
        )


@dataclass
class Report:
    conforms: bool
    violations: list[Violation]

    @classmethod
    def of(cls, violations: Iterable[Violation]) -> Report:
        """Results in source order; only severity Violation breaks conformance."""
        ordered = sorted(violations, key=lambda v: (v.source, v.line, v.focus, v.path, v.message))
        return cls(not any(v.severity == "Violation" for v in ordered), ordered)

    def text(self) -> str:
        if self.conforms:
            return "conforms: no violations"
        lines = [str(v) for v in self.violations]
        lines.append(f"{len(self.violations)} violation(s)")
        return "\n".join(lines)


def validate(data: Graph, shapes: Graph, engine: str = "oxigraph") -> Report:
    """Validate an rdflib graph."""
    if engine == "pyshacl":
        return validate_pyshacl(data, shapes)
    if engine != "oxigraph":
        raise KinerjaError(f"unknown validation engine {engine!r}: expected one of {ENGINES}")
    store = ox.Store()
    store.bulk_load(data.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return validate_store(store, shapes)


_COMPILED: dict[int, tuple[Graph, list[shacl.Check]]] = {}


def checks_for(shapes: Graph) -> list[shacl.Check]:
    """The shapes compiled to SPARQL, once per shapes graph."""
    with _LOCK:
        kept = _COMPILED.get(id(shapes))
        if kept is None or kept[0] is not shapes:
            kept = _COMPILED[id(shapes)] = (shapes, shacl.compile_shapes(shapes))
        return kept[1]


def validate_store(store: ox.Store, shapes: Graph, threads: int = 2) -> Report:
    """Validate the default graph of an Oxigraph store (in a kinerja store: the merge of
    every named graph) with the shapes compiled to SPARQL."""
    results = shacl.run(store, checks_for(shapes), threads=threads)
    looked = _StoreLookup(store)
    return Report.of(
        Violation(
            focus=_text(r.focus),
            label=looked.label(r.focus),
            path=r.path,
            message=r.message,
            severity=r.severity,
            component=r.component,
            source=(where := looked.provenance(r.focus))[0],
            line=where[1],
            shape=r.shape,
            value=_text(r.value),
        )
        for r in results
    )


def _text(term) -> str:
    """The IRI, blank node id or lexical form of a term of either library."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode | BNode):
        return "_:" + (term.value if isinstance(term, ox.BlankNode) else str(term))
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


class _StoreLookup:
    """Labels and source lines of focus nodes, read from the store."""

    def __init__(self, store: ox.Store):
        self.store = store

    def _value(self, node, prop: URIRef):
        if not isinstance(node, ox.NamedNode | ox.BlankNode):
            return None
        for q in self.store.quads_for_pattern(node, ox.NamedNode(str(prop)), None,
                                              ox.DefaultGraph()):
            return q.object
        return None

    def label(self, node) -> str:
        value = self._value(node, RDFS.label)
        return value.value if isinstance(value, ox.Literal) else ""

    def provenance(self, focus) -> tuple[str, int]:
        parents = [self._value(focus, p) for p in (KIN.indicator, KIN.goal, KIN.inDocument)]
        for node in (focus, *parents):
            if not isinstance(node, ox.NamedNode):
                continue
            src = self._value(node, PROV.wasDerivedFrom)
            if src is None:
                continue
            line = self._value(node, KIN.sourceLine)
            name = self._value(src, RDFS.label)
            return (name.value if name is not None else src.value), _line_number(line)
        return "", 0


def validate_pyshacl(data: Graph, shapes: Graph) -> Report:
    """Validate with pySHACL (the reference engine)."""
    with _LOCK:
        conforms, results, _text = shacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
    return Report.of(_violation(data, results, r) for r in results.objects(None, SH.result))


def _short(term) -> str:
    return "" if term is None else shacl.local_name(term)


def _violation(data: Graph, results: Graph, r) -> Violation:
    focus = results.value(r, SH.focusNode)
    path = results.value(r, SH.resultPath)
    message = results.value(r, SH.resultMessage) or ""
    severity = _short(results.value(r, SH.resultSeverity))
    component = _short(results.value(r, SH.sourceConstraintComponent))
    label = data.value(focus, RDFS.label) if focus is not None else None
    source, line = _provenance(data, focus)
    shape = results.value(r, SH.sourceConstraint) or results.value(r, SH.sourceShape)
    return Violation(
        focus=_text(focus),
        label=str(label or ""),
        path=_short(path) if path else "",
        message=str(message),
        severity=severity,
        component=component,
        source=source,
        line=line,
        shape=str(shape or ""),
        value=_text(results.value(r, SH.value)),
    )


def _provenance(data: Graph, focus) -> tuple[str, int]:
    """The source file and line a node came from (or the nearest node it hangs from)."""
    for node in (focus, *_parents(data, focus)):
        if not isinstance(node, URIRef):
            continue
        src = data.value(node, PROV.wasDerivedFrom)
        line = data.value(node, KIN.sourceLine)
        if src is not None:
            name = data.value(src, RDFS.label)
            return str(name or src), _line_number(line)
    return "", 0


def _line_number(line) -> int:
    """A kin:sourceLine as a number; 0 when absent or not a number (the shapes report it)."""
    text = str(line.value if isinstance(line, ox.Literal) else line or "")
    return int(text) if text.isdigit() else 0


def _parents(data: Graph, focus):
    for prop in (KIN.indicator, KIN.goal, KIN.inDocument):
        parent = data.value(focus, prop)
        if parent is not None:
            yield parent
