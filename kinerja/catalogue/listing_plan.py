"""What the listing index needs to know about a listing, derived from its SPARQL.

A listing (``kinerja.catalogue.listing.LISTINGS``) is made of patterns, and each becomes
one part of the index:

``class``
    ``?item a C``: the items, for the totals.
``row``
    the row pattern: one index row per solution, its columns and sort keys.
``<facet>``
    each facet's pattern, ``$v`` bound as ``?value``: the (item, value) pairs counted.

Each part is evaluated per *anchor*: a variable whose bindings the part is recomputed for
when the graph changes. It is ``?item``, except for a facet that reaches ``?item`` from
elsewhere (a concept's office is that of the indicators stating it): it is anchored at
the variable leaving towards ``?item`` (the indicator), whose solutions are kept one by
one, so that a change to one indicator recomputes that indicator, not every concept it
states with all of their indicators.

Which anchors can a change affect? Every solution is a set of triples; if a solution
appears or disappears, or changes a value, one of its triples was added or removed, and
the subject of that triple is a *touched* subject (``kinerja.store.Changes``). So each
touched subject ``s`` is tried at every node of a pattern that is the subject of one of its
edges (when ``s`` has one of those edges' predicates), and the edges are followed from
that node to the anchor: in the store before the change for the solutions that went, in
the store after it for those that came. The result may hold anchors that did not change
(it is recomputed to the same); it misses none.

Patterns are parsed once with rdflib's SPARQL parser into edges (a property path
``p/q`` becomes two edges through a hidden node, ``^p`` an edge the other way, ``p|q``
two parallel edges, ``p?`` an edge that may also be skipped). What the walk cannot follow
(``*`` and ``+`` paths, negated paths, MINUS, EXISTS, GRAPH, SERVICE, patterns not joined
to ``?item``) is refused with the listing and the reason.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from string import Template

from kinerja.catalogue.listing import Listing, class_pattern, variables
from kinerja.namespaces import PREFIXES

ITEM = "item"
VALUE = "value"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SORT = re.compile(r"^(?:LCASE\(\?(\w+)\)|\?(\w+))$")


class PlanError(ValueError):
    """A listing the index cannot be derived from."""


@dataclass(frozen=True)
class Edge:
    subject: str  # variables by name; hidden path nodes and constants with "(" in them
    predicate: str
    object: str
    skippable: bool = False  # p? : the two ends may also be the same node


@dataclass(frozen=True)
class Step:
    predicate: str
    forward: bool  # from the edge's subject to its object
    skippable: bool


@dataclass(frozen=True)
class Start:
    """A node where a touched subject may sit: the predicates it must have there, and the
    steps from it to the anchor."""

    predicates: frozenset[str]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Part:
    key: str  # "class", "row", or the facet's name
    anchor: str
    text: str  # the group pattern, as SPARQL
    projection: tuple[str, ...]  # what one solution gives, anchor first
    edges: tuple[Edge, ...]
    starts: dict[str, Start]  # where a touched subject may sit

    def select(self, distinct: bool) -> str:
        """The part over the whole graph."""
        names = " ".join("?" + v for v in self.projection)
        return f"SELECT {'DISTINCT ' if distinct else ''}{names} WHERE {{ {self.text} }}"

    def select_for(self, anchors: Iterable[str], distinct: bool) -> str:
        """The part for some anchors only (terms in N-Triples form); every OPTIONAL and
        sub-select is made LATERAL, so that Oxigraph evaluates it for each of their rows
        instead of the whole graph."""
        names = " ".join("?" + v for v in self.projection)
        terms = " ".join(anchors)
        return (
            f"SELECT {'DISTINCT ' if distinct else ''}{names} "
            f"WHERE {{ VALUES ?{self.anchor} {{ {terms} }} {lateral(self.text)} }}"
        )


@dataclass(frozen=True)
class Sort:
    variable: str
    lower: bool  # LCASE(?variable)


@dataclass(frozen=True)
class Plan:
    listing: Listing
    columns: tuple[str, ...]  # the row's variables besides ?item, in index column order
    sorts: dict[str, Sort]
    parts: dict[str, Part]

    @property
    def facets(self) -> list[Part]:
        return [self.parts[f.name] for f in self.listing.facets]

    @property
    def classes(self) -> list[str]:
        """The IRIs of the classes an item has (``?item a C``)."""
        return [
            e.object[1 : e.object.index(">")]
            for e in self.parts["class"].edges
            if e.subject == ITEM and e.predicate == RDF_TYPE and e.object.startswith("<")
        ]

    @property
    def predicates(self) -> frozenset[str]:
        """Every predicate a touched subject may have to matter to this listing."""
        return frozenset(
            p for part in self.parts.values() for s in part.starts.values() for p in s.predicates
        )


def fingerprint(listings: Iterable[Listing]) -> str:
    """Changes when any listing's definition does: its index must then be rebuilt."""
    return hashlib.sha256(repr(list(listings)).encode()).hexdigest()[:16]


def plan(listing: Listing, parsed: dict[str, dict] | None = None) -> Plan:
    """The plan of ``listing``; ``parsed`` (from :func:`parsed`) saves parsing again."""
    for name in [listing.name, *(f.name for f in listing.facets)]:
        if not _NAME.match(name):
            raise PlanError(f"listing {listing.name}: {name!r} cannot name an index table")
    if any(f.name in ("class", "row") for f in listing.facets):
        raise PlanError(f"listing {listing.name}: a facet may not be named class or row")
    sorts = {}
    for key, expression in listing.sorts.items():
        m = _SORT.match(expression.strip())
        if not m:
            raise PlanError(
                f"listing {listing.name}: sort {key!r} is {expression!r}; the index knows "
                "?var and LCASE(?var)"
            )
        sorts[key] = Sort(m.group(1) or m.group(2), m.group(1) is not None)
    columns = tuple(v for v in variables(listing) if v != ITEM)
    for s in sorts.values():
        if s.variable not in columns:
            raise PlanError(f"listing {listing.name}: sort on ?{s.variable}, not a column")
    texts = {"class": class_pattern(listing), "row": listing.pattern}
    for facet in listing.facets:
        texts[facet.name] = Template(facet.pattern).substitute(v="?" + VALUE)
    parts = {}
    for key, text in texts.items():
        if parsed is not None:
            anchor = parsed[key]["anchor"]
            edges = [Edge(*e) for e in parsed[key]["edges"]]
        else:
            edges = _parse(listing, key, text)
            anchor = ITEM if key in ("class", "row") else _anchor(edges)
            if key not in ("class", "row"):
                edges += _parse(listing, key, class_pattern(listing))
        if key == "class":
            projection: tuple[str, ...] = (ITEM,)
        elif key == "row":
            projection = (ITEM, *columns)
        else:  # a facet counts the items of the listing's class (tested last: Oxigraph
            # then joins it to the facet's solutions instead of starting from every item)
            text = f"{text} {class_pattern(listing)}"
            projection = (ITEM, VALUE) if anchor == ITEM else (anchor, ITEM, VALUE)
        starts = _starts(f"listing {listing.name}, {key}", anchor, edges)
        parts[key] = Part(key, anchor, text, projection, tuple(edges), starts)
    return Plan(listing, columns, sorts, parts)


def parsed(p: Plan) -> dict[str, dict]:
    """What parsing gave for every part, to keep (as JSON) and give back to :func:`plan`."""
    return {
        k: {
            "anchor": part.anchor,
            "edges": [[e.subject, e.predicate, e.object, e.skippable] for e in part.edges],
        }
        for k, part in p.parts.items()
    }


# --- parsing -----------------------------------------------------------------------------
def _parse(listing: Listing, key: str, text: str) -> list[Edge]:
    from rdflib import BNode, URIRef, Variable
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.plugins.sparql import algebra, parser
    from rdflib.plugins.sparql.parserutils import CompValue

    where = f"listing {listing.name}, {key}"
    prefixes = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    query = algebra.translateQuery(parser.parseQuery(f"{prefixes}SELECT * WHERE {{ {text} }}"))
    out: list[Edge] = []
    counter = iter(range(1_000_000))

    def node(term, names: dict) -> str:
        if isinstance(term, Variable):
            return names.get(str(term), str(term))
        if isinstance(term, BNode):
            return f"({term})"
        return f"{term.n3()}({next(counter)})"  # a constant: never walked through

    def path(s: str, p, o: str) -> None:
        if isinstance(p, URIRef):
            out.append(Edge(s, str(p), o))
        elif isinstance(p, InvPath):
            path(o, p.arg, s)
        elif isinstance(p, SequencePath):
            ends = [s] + [f"({next(counter)})" for _ in p.args[1:]] + [o]
            for a, b, step in zip(ends, ends[1:], p.args, strict=False):
                path(a, step, b)
        elif isinstance(p, AlternativePath):
            for alternative in p.args:
                path(s, alternative, o)
        elif isinstance(p, MulPath) and p.mod == "?" and isinstance(p.path, URIRef):
            out.append(Edge(s, str(p.path), o, skippable=True))
        else:
            raise PlanError(f"{where}: the path {p.n3()} cannot be followed back")

    def expression(e) -> None:
        if isinstance(e, CompValue):
            if e.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                raise PlanError(f"{where}: EXISTS and NOT EXISTS are not supported")
            for v in e.values():
                expression(v)
        elif isinstance(e, list | tuple):
            for v in e:
                expression(v)

    def walk(p, names: dict) -> None:
        kind = p.name
        if kind == "BGP":
            for s, pred, o in p.triples:
                path(node(s, names), pred, node(o, names))
        elif kind in ("Join", "LeftJoin", "Union"):
            walk(p.p1, names)
            walk(p.p2, names)
            expression(p.get("expr"))
        elif kind in ("Filter", "Extend"):
            expression(p.expr)
            walk(p.p, names)
        elif kind in ("ToMultiSet", "Group", "AggregateJoin", "Distinct", "Reduced",
                      "OrderBy", "Slice"):
            walk(p.p, names)
        elif kind == "Project":  # a sub-select: what it does not project is its own
            inner = {str(v) for v in p._vars} - {str(v) for v in p.PV}
            local = dict(names) | {v: f"{v}({next(counter)})" for v in inner}
            walk(p.p, local)
        elif kind != "values":
            raise PlanError(f"{where}: {kind} is not supported")

    walk(query.algebra.p.p, {})
    return out


def _anchor(edges: list[Edge]) -> str:
    """?item if the facet leaves from it, else the nearest variable from which it is
    reached."""
    if any(e.subject == ITEM for e in edges):
        return ITEM
    seen, todo = {ITEM}, deque([ITEM])
    while todo:
        n = todo.popleft()
        for e in edges:
            if e.object == n and e.subject not in seen:
                if "(" not in e.subject:  # a variable of the pattern itself
                    return e.subject
                seen.add(e.subject)
                todo.append(e.subject)
    return ITEM


def _starts(where: str, anchor: str, edges: list[Edge]) -> dict[str, Start]:
    """For each node that is the subject of an edge: its predicates and the steps to the
    anchor (breadth first: the shortest way)."""
    routes: dict[str, tuple[Step, ...]] = {anchor: ()}
    todo = deque([anchor])
    while todo:
        n = todo.popleft()
        for e in edges:
            # (there, forward): the node one step away, and whether going from it to n
            # follows the edge's direction
            for here, there, forward in ((e.object, e.subject, True), (e.subject, e.object, False)):
                if here == n and there not in routes and not _constant(there):
                    routes[there] = (Step(e.predicate, forward, e.skippable), *routes[n])
                    todo.append(there)
    starts = {}
    for e in edges:
        if _constant(e.subject):
            continue
        if e.subject not in routes:
            raise PlanError(f"{where}: ?{e.subject} is not joined to ?{anchor}")
        preds = {x.predicate for x in edges if x.subject == e.subject}
        starts[e.subject] = Start(frozenset(preds), routes[e.subject])
    return starts


def _constant(n: str) -> bool:
    return n.startswith(("<", '"'))


# --- following edges back ----------------------------------------------------------------
Neighbours = Callable[[str, str, bool], set[str]]  # (node, predicate, forward) -> nodes


def anchors(start: Start, subject: str, neighbours: Neighbours) -> set[str]:
    """The anchors reached from ``subject`` sitting at ``start``."""
    here = {subject}
    for step in start.steps:
        there = set(here) if step.skippable else set()
        for n in here:
            there |= neighbours(n, step.predicate, step.forward)
        here = there
        if not here:
            break
    return here


# --- LATERAL -----------------------------------------------------------------------------
_OPENERS = re.compile(r"\bOPTIONAL\s*\{|\{\s*SELECT\b", re.IGNORECASE)


def lateral(text: str) -> str:
    """``text`` with each ``OPTIONAL { P }`` as ``LATERAL { OPTIONAL { P } }`` and each
    ``{ SELECT ... }`` as ``LATERAL { SELECT ... }``, recursively. Same solutions; Oxigraph
    then joins them row by row instead of hashing the whole right side."""
    out, pos = [], 0
    for m in _OPENERS.finditer(text):
        if m.start() < pos:
            continue
        brace = text.index("{", m.start())
        end = _closing(text, brace)
        inner = lateral(text[brace + 1 : end])
        out.append(text[pos : m.start()])
        if m.group(0).upper().startswith("OPTIONAL"):
            out.append(f"LATERAL {{ OPTIONAL {{{inner}}} }}")
        else:
            out.append(f"LATERAL {{{inner}}}")
        pos = end + 1
    out.append(text[pos:])
    return "".join(out)


def _closing(text: str, start: int) -> int:
    depth, i, quote = 0, start, None
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            i = text.index(">", i)
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise PlanError(f"unbalanced braces in {text!r}")
