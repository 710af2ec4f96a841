"""SHACL validation with a report a person can read.

Shapes are loaded once from ``shapes/*.ttl``; loading fails loudly when no shapes are found
(a misspelt ``sh:`` namespace would otherwise make pySHACL answer "conforms" for anything).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH

from kinerja.errors import KinerjaError
from kinerja.namespaces import KIN

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

    def text(self) -> str:
        if self.conforms:
            return "conforms: no violations"
        lines = [str(v) for v in self.violations]
        lines.append(f"{len(self.violations)} violation(s)")
        return "\n".join(lines)


def validate(data: Graph, shapes: Graph) -> Report:
    with _LOCK:
        conforms, results, _text = shacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
    violations = sorted(
        (_violation(data, results, r) for r in results.subjects(RDF.type, SH.ValidationResult)),
        key=lambda v: (v.source, v.line, v.focus, v.path, v.message),
    )
    errors = [v for v in violations if v.severity == "Violation"]
    return Report(conforms=not errors, violations=violations)


def _short(term) -> str:
    if term is None:
        return ""
    text = str(term)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _violation(data: Graph, results: Graph, r) -> Violation:
    focus = results.value(r, SH.focusNode)
    path = results.value(r, SH.resultPath)
    message = results.value(r, SH.resultMessage) or ""
    severity = _short(results.value(r, SH.resultSeverity))
    component = _short(results.value(r, SH.sourceConstraintComponent))
    label = data.value(focus, RDFS.label) if focus is not None else None
    source, line = _provenance(data, focus)
    return Violation(
        focus=str(focus),
        label=str(label or ""),
        path=_short(path) if path else "",
        message=str(message),
        severity=severity,
        component=component,
        source=source,
        line=line,
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
            return str(name or src), int(line) if isinstance(line, Literal) else 0
    return "", 0


def _parents(data: Graph, focus):
    for prop in (KIN.indicator, KIN.goal, KIN.inDocument):
        parent = data.value(focus, prop)
        if parent is not None:
            yield parent
