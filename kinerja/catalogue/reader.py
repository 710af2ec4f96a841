"""Read access for the catalogue: SPARQL SELECT over the merged default graph.

Queries are templates with ``$name`` slots (``string.Template``); values are written into
them only as checked IRIs (``<...>``) or typed literals, never as raw text, so a request
parameter can never change a query's shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from string import Template

import pyoxigraph as ox

from kinerja.namespaces import PREFIXES

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_YEAR = re.compile(r"^[0-9]{4}$")


def iri(value: str) -> str:
    """``value`` as a SPARQL IRI term; ValueError if it could not be one."""
    if not value or _IRI_FORBIDDEN.search(value) or ":" not in value:
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def year(value: str) -> str:
    if not _YEAR.match(value or ""):
        raise ValueError(f"not a year (four digits): {value!r}")
    return f'"{value}"^^<http://www.w3.org/2001/XMLSchema#gYear>'


_LATERAL = re.compile(r"\bLATERAL\s*\{")


def inline_lateral(query: str) -> str:
    """``query`` in plain SPARQL 1.1: each ``LATERAL { ... }`` replaced by its contents.

    The catalogue's queries use LATERAL (an Oxigraph extension) only where every variable
    the group shares with what precedes it is already bound, so that Oxigraph looks the
    group up per row instead of joining the whole graph; there the inlined group means the
    same. For stores that do not know LATERAL. (The templates hold no braces inside
    literals; IRIs cannot.)"""
    while match := _LATERAL.search(query):
        depth, end = 1, match.end()
        while depth:
            if end == len(query):
                raise ValueError(f"LATERAL group without its closing brace: {query!r}")
            depth += {"{": 1, "}": -1}.get(query[end], 0)
            end += 1
        query = query[: match.start()] + query[match.end() : end - 1] + query[end:]
    return query


def values(var: str, terms: Iterable[str]) -> str:
    """A VALUES block from already-checked terms."""
    return f"VALUES ?{var} {{ {' '.join(terms)} }}"


@dataclass(frozen=True)
class Value:
    """One bound value: ``iri`` for resources, ``text`` (with ``lang``/``datatype``) else."""

    text: str
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None

    def __str__(self) -> str:
        return self.text

    @property
    def number(self) -> float | None:
        try:
            return float(self.text)
        except ValueError:
            return None


def _value(term) -> Value:
    if isinstance(term, ox.NamedNode):
        return Value(term.value, iri=term.value)
    if isinstance(term, ox.Literal):
        return Value(
            term.value,
            lang=term.language,
            datatype=None if term.language else term.datatype.value,
        )
    return Value(str(term))


Row = dict[str, Value]


class Reader:
    """SELECT queries over an embedded Oxigraph store, rows as ``{var: Value}``."""

    def __init__(self, store: ox.Store, base: str, lateral: bool = True):
        self.store = store
        self.base = base
        self.lateral = lateral  # the store knows LATERAL (Oxigraph, embedded or server)

    def _run(self, template: str, slots: dict[str, str]):
        query = Template(template).substitute(slots) if slots else template
        if not self.lateral:
            query = inline_lateral(query)
        return self.store.query(query, prefixes=PREFIXES)

    def select(self, template: str, **slots: str) -> list[Row]:
        solutions = self._run(template, slots)
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = _value(term)
            rows.append(row)
        return rows

    def values(self, template: str, **slots: str) -> list[str]:
        """The lexical values of the first variable of a one-variable query, unbound ones
        left out: half the time of ``select`` on long lists of IRIs."""
        return [s[0].value for s in self._run(template, slots) if s[0] is not None]

    def exists(self, resource: str) -> bool:
        node = ox.NamedNode(resource)
        return any(True for _ in self.store.quads_for_pattern(node, None, None, ox.DefaultGraph()))

    def types(self, resource: str) -> set[str]:
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        return {
            q.object.value
            for q in self.store.quads_for_pattern(
                ox.NamedNode(resource), rdf_type, None, ox.DefaultGraph()
            )
        }

    def labels(self, resources: Iterable[str], lang: str = "id") -> dict[str, str]:
        """The label of each resource in ``lang``, else Indonesian, else any."""
        wanted = sorted({r for r in resources if r})
        out: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self.select(
                "SELECT ?r ?l WHERE { $v ?r rdfs:label ?l }",
                v=values("r", (iri(r) for r in chunk)),
            )
            ranked: dict[str, tuple[int, str]] = {}
            for row in rows:
                rank = {lang: 0, "id": 1}.get(row["l"].lang or "", 2)
                r = row["r"].text
                if r not in ranked or rank < ranked[r][0]:
                    ranked[r] = (rank, row["l"].text)
            out.update({r: label for r, (_rank, label) in ranked.items()})
        return out
