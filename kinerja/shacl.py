"""SHACL validation compiled to SPARQL and run inside Oxigraph.

pySHACL walks the data graph in Python, focus node by focus node; at national scale
(millions of triples) that takes far longer than a build can afford. This module reads the
shapes graph once and turns every constraint into one SPARQL SELECT that returns the
violating focus nodes (and value nodes) of *all* focus nodes at once, which Oxigraph
answers with its indexes and hash joins. The data graph is the default graph of the store
(in a kinerja store: the merge of every named graph, model graph included).

It implements the part of SHACL Core and SHACL-SPARQL that kinerja's shapes use, and refuses
anything else with an error that names the shape and the feature, so a shape is never
silently ignored:

- targets: ``sh:targetClass`` (instances of the class and of its subclasses),
  ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:SPARQLTarget``;
- paths: predicates, ``sh:inversePath``, sequences, ``sh:alternativePath``,
  ``sh:zeroOrMorePath``, ``sh:oneOrMorePath``, ``sh:zeroOrOnePath``;
- constraints: ``sh:class``, ``sh:datatype`` (with the lexical form checked for the XSD types
  kinerja uses), ``sh:nodeKind``, ``sh:languageIn``, ``sh:pattern``, ``sh:minInclusive``,
  ``sh:maxInclusive``, ``sh:minExclusive``, ``sh:maxExclusive``, ``sh:minLength``,
  ``sh:maxLength``, ``sh:in``, ``sh:hasValue``, ``sh:minCount``, ``sh:maxCount``,
  ``sh:uniqueLang``, ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` /
  ``sh:qualifiedMaxCount``, ``sh:or``, ``sh:and``, ``sh:not``, ``sh:node`` (of shapes made
  of value constraints), and ``sh:sparql`` (SPARQL-based constraints);
- ``sh:severity``, ``sh:message``, ``sh:deactivated``.

SPARQL-based constraints refuse sub-queries, ``MINUS``, ``VALUES`` and ``SERVICE``. A
shape whose focus nodes come from SPARQL targets alone has them written to select the
nodes that may break its rules: they are found first, and its SPARQL constraints run for
those nodes only, bound first in the constraint's group (``VALUES ?this``) as pre-binding
binds them; so on valid data not at all. Otherwise ``$this`` becomes a variable: the
constraint runs once over every node and its rows are kept for the focus nodes. That is
the same as pre-binding when ``$this`` is bound by a triple pattern of the constraint's
group, but not when it first appears in an ``OPTIONAL`` or a ``FILTER`` (nor for a
blank focus node of a targeted shape): write such a constraint with a pattern that binds
``$this`` first. A SPARQL target may hold sub-selects (to count, say, the targets of each
indicator and year once).

pySHACL stays the reference: the tests run both on every example of ``tests/shapes`` and on
generated data and require the same results.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from kinerja.errors import KinerjaError

RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
PROLOGUE = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
# Lexical forms of the XSD types whose well-formedness a sh:datatype check includes.
_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD.gYear: r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.date: r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.boolean: r"^(true|false|1|0)$",
}
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
_COMPARISONS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
# The SHACL predicates a shape may use here. A shape with any other sh: predicate (sh:closed,
# sh:xone, sh:equals, ...) is refused, so a constraint is never skipped without a word.
_VALUE_PARAMETERS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.languageIn, SH.pattern, SH.flags,
    SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength,
    SH.maxLength, SH["in"], SH["or"], SH["and"], SH["not"], SH.node, SH.hasValue,
}
_SHAPE_PARAMETERS = _VALUE_PARAMETERS | {
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
    SH.property, SH.path, SH.sparql, SH.minCount, SH.maxCount, SH.uniqueLang,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.severity,
    SH.message, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
    SH.defaultValue, SH.prefixes, SH.declare,
}
_NESTED_PARAMETERS = _VALUE_PARAMETERS | {SH.message, SH.name, SH.description}
_OTHER_CLAUSES = re.compile(r"\b(MINUS|VALUES|SERVICE)\b", re.IGNORECASE)
_SUBQUERY = re.compile(_OTHER_CLAUSES.pattern + r"|\bSELECT\b[\s\S]*\bSELECT\b", re.IGNORECASE)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)


class ShapesError(KinerjaError):
    """The shapes graph uses SHACL this module does not implement, or is malformed."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, as one SPARQL query returning its violations."""

    shape: str  # the property shape, or the SPARQL constraint, or the node shape
    component: str  # local name of the constraint component, e.g. MinCountConstraintComponent
    severity: str  # Violation, Warning or Info
    path: str  # the path as written in the result ("" for node shapes)
    message: str  # a template: {?var} and {$var} take the bindings of the query
    query: str
    # For SPARQL-based constraints: the query above is the constraint alone, over every node;
    # its rows count only for focus nodes, which this group pattern (of ?this) selects.
    focus: str | None = None
    # The shape's focus nodes are those of SPARQL targets alone, written to select the nodes
    # that may break its rules: they are found first, and the constraint runs for them only.
    targeted: bool = False

    @property
    def sparql(self) -> bool:
        return self.focus is not None


@dataclass(frozen=True)
class Result:
    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    path: str
    shape: str
    component: str
    severity: str
    message: str


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every active constraint of every shape, as SPARQL."""
    return _Compiler(shapes).compile()


def run(store: ox.Store, checks: Iterable[Check], threads: int = 2) -> list[Result]:
    """Run the checks on the default graph of ``store``; all their results."""
    checks = list(checks)
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        parts = pool.map(lambda c: _results(store, c), checks)
        return [r for part in parts for r in part]


def _query(store: ox.Store, check: Check, query: str):
    try:
        return store.query(query)
    except (SyntaxError, OSError, ValueError) as e:
        raise ShapesError(f"shape {check.shape}: its SPARQL cannot run: {e}") from None


def _rows(store: ox.Store, check: Check, query: str) -> list[dict]:
    solutions = _query(store, check, query)
    variables = [v.value for v in solutions.variables]
    return [{v: row[v] for v in variables if row[v] is not None} for row in solutions]


def _results(store: ox.Store, check: Check) -> list[Result]:
    if check.targeted:
        rows = _targeted_rows(store, check)
    else:
        rows = _rows(store, check, check.query)
        if check.sparql and rows:
            focus = _focus_nodes(store, check, {r["this"] for r in rows})
            rows = [r for r in rows if r["this"] in focus]
    out = []
    for bindings in rows:
        path = bindings.get("path")
        out.append(
            Result(
                focus=bindings["this"],
                # SHACL-SPARQL: the value is ?value when the query binds it, else $this
                value=bindings.get("value", bindings["this"] if check.sparql else None),
                path=local_name(path) if path is not None else check.path,
                shape=check.shape,
                component=check.component,
                severity=check.severity,
                message=_fill(check.message, bindings),
            )
        )
    return out


def _focus_nodes(store: ox.Store, check: Check, candidates: set) -> set:
    """Which candidates are focus nodes of the check's shape. Each is put in place of ?this
    (pre-bound, as SHACL-SPARQL binds $this), which spares evaluating the targets over the
    whole graph; a blank node cannot be written in a query, so then the whole focus set is
    computed once; so too when a target has a sub-select, which ?this may not be put in."""
    if any(isinstance(c, ox.BlankNode) for c in candidates) or _SELECT.search(
        _blank_literals(check.focus)
    ):
        return _every_focus_node(store, check) & candidates
    found = set()
    for node in candidates:
        bound = _THIS.sub(lambda _m, n=node: str(n), check.focus)
        if _query(store, check, PROLOGUE + f"ASK {{ {bound} }}"):
            found.add(node)
    return found


def _every_focus_node(store: ox.Store, check: Check) -> set:
    found = _query(store, check, PROLOGUE + f"SELECT DISTINCT ?this WHERE {{ {check.focus} }}")
    return {row["this"] for row in found}


_THIS = re.compile(r"[?$]this\b")
# At most this many focus nodes are written into one query of a constraint; more are
# asked in batches of this size.
_BOUND_FOCUS = 500
_EMPTY = ox.Store()  # a shape's SPARQL is parsed on it when the shape is compiled


def _targeted_rows(store: ox.Store, check: Check) -> list[dict]:
    """The rows of a SPARQL constraint for the focus nodes of its shape's SPARQL targets,
    found first: on valid data there are none, and the constraint does not run at all.
    The nodes are bound first in the constraint's group (``VALUES``), as pre-binding binds
    them; blank nodes, which cannot be written in a query, are joined with its rows."""
    focus = _every_focus_node(store, check)
    blank = {n for n in focus if isinstance(n, ox.BlankNode)}
    written = sorted(focus - blank, key=str)
    rows = []
    for i in range(0, len(written), _BOUND_FOCUS):
        values = "VALUES ?this { " + " ".join(map(str, written[i : i + _BOUND_FOCUS])) + " }"
        rows += _rows(store, check, _first_in_group(check.query, values))
    if blank:
        rows += [r for r in _rows(store, check, check.query) if r["this"] in blank]
    return rows


# Strings, IRIs and comments, which may hold braces, or a brace.
_BRACES = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\s]*>|#[^\n]*|([{}])"
)


def _first_in_group(query: str, pattern: str) -> str:
    """The query with ``pattern`` put first in its WHERE group (its first brace)."""
    for m in _BRACES.finditer(query):
        if m.group(1) == "{":
            return query[: m.end()] + f" {pattern} " + query[m.end():]
    raise ValueError(f"no group pattern in {query!r}")


def _blank_literals(query: str) -> str:
    """The query with its strings, IRIs and comments blanked out, offsets kept."""
    return _BRACES.sub(lambda m: m.group(0) if m.group(1) else " " * len(m.group(0)), query)


def _fill(template: str, bindings: dict) -> str:
    def term(m: re.Match) -> str:
        value = bindings.get(m.group(1))
        if value is None:
            return m.group(0)
        return value.value

    return re.sub(r"\{[?$](\w+)\}", term, template)


def local_name(term) -> str:
    """The part of an IRI after its last '#' or '/' (of a term of either library)."""
    text = term.value if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else str(term)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _iri(term) -> str:
    if not isinstance(term, URIRef):
        raise ShapesError(f"expected an IRI, found {term!r}")
    return f"<{term}>"


def _instances(var: str, cls) -> str:
    """The triple pattern binding ``?var`` to the SHACL instances of ``cls``: nodes typed
    with it or with one of its subclasses."""
    return f"?{var} rdf:type/rdfs:subClassOf* {_iri(cls)}"


def _term(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise ShapesError(f"expected an IRI or a literal, found {term!r}")


def _string(text: str) -> str:
    return Literal(str(text)).n3()


class _Compiler:
    def __init__(self, shapes: Graph):
        self.g = shapes

    # --- the shapes ----------------------------------------------------------------------
    def compile(self) -> list[Check]:
        checks: list[Check] = []
        for shape in sorted(self._shapes_with_targets(), key=str):
            if self._deactivated(shape):
                continue
            group = self._focus(shape)
            focus = f"{{ SELECT DISTINCT ?this WHERE {{ {group} }} }}"
            checks += self._node_checks(shape, focus, group, self._targeted(shape))
            for prop in sorted(self.g.objects(shape, SH.property), key=str):
                if not self._deactivated(prop):
                    checks += self._property_checks(prop, focus, self._severity(prop))
            if (shape, SH.path, None) in self.g:
                checks += self._property_checks(shape, focus, self._severity(shape))
        return checks

    def _shapes_with_targets(self) -> set:
        found = set()
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                  SH.target):
            found |= set(self.g.subjects(p, None))
        implicit = set(self.g.subjects(RDF.type, SH.NodeShape)) & (
            set(self.g.subjects(RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")))
        )
        if implicit:
            raise ShapesError(f"implicit class targets are not supported: {sorted(implicit)}")
        return found

    def _deactivated(self, shape) -> bool:
        return any(bool(v.toPython()) for v in self.g.objects(shape, SH.deactivated)
                   if isinstance(v, Literal))

    def _severity(self, shape) -> str:
        """A shape's own sh:severity (a property shape does not inherit its node shape's)."""
        value = self.g.value(shape, SH.severity)
        return local_name(value) if value is not None else "Violation"

    def _message(self, shape, default: str) -> str:
        messages = list(self.g.objects(shape, SH.message))
        if not messages:
            return default
        english = [m for m in messages if getattr(m, "language", None) in (None, "en")]
        return str((english or messages)[0])

    def _refuse_unknown(self, shape, allowed: set = _SHAPE_PARAMETERS) -> None:
        for p in set(self.g.predicates(shape, None)):
            if str(p).startswith(str(SH)) and p not in allowed:
                raise ShapesError(
                    f"shape {shape}: sh:{p.removeprefix(str(SH))} is not supported by "
                    "kinerja.shacl (here: SHACL Core value, count and language constraints, "
                    "and SPARQL constraints)"
                )

    # --- focus nodes ---------------------------------------------------------------------
    def _focus(self, shape) -> str:
        """A group pattern whose solutions bind ?this to the focus nodes of ``shape``."""
        parts = []
        for c in self.g.objects(shape, SH.targetClass):
            parts.append(f"{_instances('this', c)} .")
        for n in self.g.objects(shape, SH.targetNode):
            parts.append(f"VALUES ?this {{ {_term(n)} }}")
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this {_iri(p)} ?target_object .")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"?target_subject {_iri(p)} ?this .")
        for t in self.g.objects(shape, SH.target):
            select = self.g.value(t, SH.select)
            if select is None:
                raise ShapesError(f"shape {shape}: only SPARQL targets (sh:select) are supported")
            parts.append(self._where(shape, self._prefixed(t, str(select), shape, target=True)))
        return " UNION ".join("{ " + p + " }" for p in parts)

    def _targeted(self, shape) -> bool:
        """Whether the shape's focus nodes come from SPARQL targets alone."""
        return (shape, SH.target, None) in self.g and not any(
            (shape, p, None) in self.g
            for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
        )

    def _where(self, shape, select: str) -> str:
        """The group pattern of a SPARQL target's ``SELECT ?this WHERE { ... }``."""
        m = re.match(r"\s*SELECT\s+(DISTINCT\s+)?[?$]this\s+WHERE\s*\{", select, re.IGNORECASE)
        if m is None or not select.rstrip().endswith("}"):
            raise ShapesError(
                f"shape {shape}: a SPARQL target must read SELECT ?this WHERE {{ ... }}"
            )
        return select[m.end() - 1 : select.rstrip().rindex("}") + 1]

    def _prefixes(self, node) -> str:
        lines = []
        for source in self.g.objects(node, SH.prefixes):
            for decl in self.g.objects(source, SH.declare):
                prefix = self.g.value(decl, SH.prefix)
                namespace = self.g.value(decl, SH.namespace)
                lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(sorted(set(lines)))

    def _prefixed(self, node, select: str, shape, target: bool = False) -> str:
        """A SELECT of the shapes graph, its prefixes expanded so it can be nested. A
        target may have sub-selects (no ?this is pre-bound in it)."""
        refused, what = (_OTHER_CLAUSES, "MINUS, VALUES or SERVICE") if target else (
            _SUBQUERY, "a sub-query, MINUS, VALUES or SERVICE")
        if refused.search(_blank_literals(select)):
            raise ShapesError(f"shape {shape}: the SPARQL of {node} has {what}, which "
                              "kinerja.shacl does not support")
        prefixes = {}
        for line in self._prefixes(node).splitlines():
            m = re.match(r"PREFIX (\w*): <(.*)>", line)
            prefixes[m.group(1)] = m.group(2)
        expanded = expand_prefixes(select, prefixes)
        try:  # now, not when (or only if) the data gives it rows to find
            _EMPTY.query(PROLOGUE + expanded)
        except SyntaxError as e:
            raise ShapesError(f"shape {shape}: the SPARQL of {node} cannot be read: {e}") from None
        return expanded

    # --- node shapes ---------------------------------------------------------------------
    def _node_checks(self, shape, focus: str, group: str, targeted: bool) -> list[Check]:
        self._refuse_unknown(shape)
        checks = []
        tests = self._value_tests(shape)
        severity = self._severity(shape)
        for component, test in tests:
            checks.append(Check(
                str(shape), component, severity, "",
                self._message(shape, f"Value does not satisfy {component}"),
                PROLOGUE + f"SELECT ?this ?value WHERE {{ {focus} BIND (?this AS ?value) "
                f"FILTER (!({test})) }}",
            ))
        for constraint in sorted(self.g.objects(shape, SH.sparql), key=str):
            if self._deactivated(constraint):
                continue
            select = self.g.value(constraint, SH.select)
            if select is None:
                raise ShapesError(f"SPARQL constraint {constraint} has no sh:select")
            body = self._prefixed(constraint, str(select), shape).replace("$this", "?this")
            message = self._message(
                constraint, self._message(shape, "SPARQL constraint violated")
            )
            checks.append(Check(
                str(constraint), "SPARQLConstraintComponent",
                self._severity(constraint) if (constraint, SH.severity, None) in self.g
                else severity, "", message,
                PROLOGUE + body, focus=group, targeted=targeted,
            ))
        return checks

    # --- property shapes -----------------------------------------------------------------
    def _property_checks(self, prop, focus: str, severity: str) -> list[Check]:
        self._refuse_unknown(prop)
        path_node = self.g.value(prop, SH.path)
        if path_node is None:
            raise ShapesError(f"property shape {prop} has no sh:path")
        path = self._path(path_node)
        shown = self._path_text(path_node)
        checks = []

        def add(component: str, where: str, default: str, select: str = "?this") -> None:
            checks.append(Check(
                str(prop), component, severity, shown, self._message(prop, default),
                PROLOGUE + f"SELECT {select} WHERE {{ {focus} {where} }}",
            ))

        # Each value's class is looked up in the set of the class's instances, made once
        # (a hash anti-join), instead of following rdf:type/rdfs:subClassOf* per value:
        # 10 times faster on the national graph. A literal or an untyped node is never
        # among the instances, so it is reported, as before.
        for c in self.g.objects(prop, SH["class"]):
            add("ClassConstraintComponent",
                f"?this {path} ?value . MINUS {{ SELECT DISTINCT ?value WHERE {{ "
                f"{_instances('value', c)} }} }}",
                "Value does not satisfy ClassConstraintComponent", "DISTINCT ?this ?value")
        for component, test in self._value_tests(prop, classes=False):
            add(component, f"?this {path} ?value . FILTER (!({test}))",
                f"Value does not satisfy {component}", "DISTINCT ?this ?value")
        enumerable = self._enumerable(path_node)
        min_count = self._int(prop, SH.minCount)
        if min_count:
            add("MinCountConstraintComponent",
                self._count(path, "<", min_count, enumerable=enumerable),
                f"Less than {min_count} values on {shown}")
        max_count = self._int(prop, SH.maxCount)
        if max_count is not None:
            add("MaxCountConstraintComponent",
                self._count(path, ">", max_count, enumerable=enumerable),
                f"More than {max_count} values on {shown}")
        for value in self.g.objects(prop, SH.hasValue):
            add("HasValueConstraintComponent",
                f"FILTER NOT EXISTS {{ ?this {path} {_term(value)} }}",
                f"Missing expected value {value} on {shown}")
        if any(v.toPython() is True for v in self.g.objects(prop, SH.uniqueLang)):
            add("UniqueLangConstraintComponent",
                f"?this {path} ?a , ?b . FILTER (!sameTerm(?a, ?b) && lang(?a) != \"\" "
                f"&& LCASE(lang(?a)) = LCASE(lang(?b)))",
                f"More than one value with the same language on {shown}",
                "DISTINCT ?this (LCASE(lang(?a)) AS ?lang)")
        qualified = self.g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            test = " && ".join(t for _c, t in self._value_tests(qualified, nested=True)) or "true"
            for p, op, name in ((SH.qualifiedMinCount, "<", "QualifiedMinCount"),
                                (SH.qualifiedMaxCount, ">", "QualifiedMaxCount")):
                n = self._int(prop, p)
                if n is not None and (n > 0 or op == ">"):
                    add(f"{name}ConstraintComponent",
                        self._count(path, op, n, test, enumerable=enumerable),
                        f"{name} {n} not met on {shown}")
        return checks

    def _count(self, path: str, op: str, n: int, test: str = "true",
               enumerable: bool = False) -> str:
        """A group pattern after the focus nodes that keeps those whose count of values on
        ``path`` (those passing ``test``) is ``op n``. On a path whose pairs can be listed
        (no ``*``, ``+`` or ``?``), the nodes with values (unqualified ``sh:minCount 1``),
        or with too many, are found once for all and joined with the focus nodes by
        hashing, instead of looked up one focus node at a time: 2 to 3 times faster on the
        national graph. A node with no value never has too many, so the nodes with too many
        alone are enough. A qualified minimum keeps the lookups: its shapes (labels of
        code-list concepts) have few focus nodes on a predicate every node has."""
        values = f"?this {path} ?value . FILTER ({test})"
        if op == "<" and n == 1:
            if enumerable and test == "true":
                return f"MINUS {{ SELECT DISTINCT ?this WHERE {{ {values} }} }}"
            return f"FILTER NOT EXISTS {{ {values} }}"
        if op == ">" and enumerable:
            return (f"{{ SELECT ?this WHERE {{ {values} }} GROUP BY ?this "
                    f"HAVING (COUNT(DISTINCT ?value) > {n}) }}")
        return (
            f"OPTIONAL {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?count) WHERE {{ "
            f"{values} }} GROUP BY ?this }} "
            f"FILTER (COALESCE(?count, 0) {op} {n})"
        )

    def _int(self, shape, p) -> int | None:
        value = self.g.value(shape, p)
        if value is None:
            return None
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise ShapesError(f"shape {shape}: {p} must be an integer, found {value!r}")
        return value.toPython()

    # --- value tests (SPARQL expressions on ?value) --------------------------------------
    def _value_tests(
        self, shape, nested: bool = False, classes: bool = True
    ) -> list[tuple[str, str]]:
        """Each value constraint of ``shape`` as a SPARQL expression on ?value (``classes``
        False: without sh:class, which the caller checks another way)."""
        g = self.g
        tests: list[tuple[str, str]] = []
        if nested:  # in sh:or, sh:and, sh:not, sh:node, sh:qualifiedValueShape
            self._refuse_unknown(shape, _NESTED_PARAMETERS)
        if nested or (shape, SH.path, None) not in g:  # of a property shape: a count
            for v in g.objects(shape, SH.hasValue):
                tests.append(("HasValueConstraintComponent", f"sameTerm(?value, {_term(v)})"))
        for c in g.objects(shape, SH["class"]) if classes else ():
            tests.append(("ClassConstraintComponent",
                          f"EXISTS {{ {_instances('value', c)} }}"))
        for d in g.objects(shape, SH.datatype):
            tests.append(("DatatypeConstraintComponent", self._datatype(d)))
        for k in g.objects(shape, SH.nodeKind):
            if k not in _NODE_KINDS:
                raise ShapesError(f"shape {shape}: unknown sh:nodeKind {k}")
            tests.append(("NodeKindConstraintComponent", _NODE_KINDS[k]))
        for lst in g.objects(shape, SH.languageIn):
            tags = [str(t) for t in Collection(g, lst)]
            any_tag = " || ".join(f"langMatches(lang(?value), {_string(t)})" for t in tags)
            tests.append(("LanguageInConstraintComponent",
                          f"(isLiteral(?value) && ({any_tag or 'false'}))"))
        for pattern in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            flag_arg = f", {_string(flags)}" if flags is not None else ""
            tests.append(("PatternConstraintComponent",
                          f"(!isBlank(?value) && REGEX(STR(?value), {_string(pattern)}"
                          f"{flag_arg}))"))
        for p, op in _COMPARISONS.items():
            for bound in g.objects(shape, p):
                name = local_name(p)
                tests.append((f"{name[0].upper()}{name[1:]}ConstraintComponent",
                              f"COALESCE(?value {op} {_term(bound)}, false)"))
        for p, op in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            n = self._int(shape, p)
            if n is not None:
                name = local_name(p)
                tests.append((f"{name[0].upper()}{name[1:]}ConstraintComponent",
                              f"(!isBlank(?value) && STRLEN(STR(?value)) {op} {n})"))
        for lst in g.objects(shape, SH["in"]):
            members = " || ".join(f"sameTerm(?value, {_term(t)})" for t in Collection(g, lst))
            tests.append(("InConstraintComponent", f"({members or 'false'})"))
        for lst in g.objects(shape, SH["or"]):
            tests.append(("OrConstraintComponent", "(" + " || ".join(
                self._all(s) for s in Collection(g, lst)) + ")"))
        for lst in g.objects(shape, SH["and"]):
            tests.append(("AndConstraintComponent", "(" + " && ".join(
                self._all(s) for s in Collection(g, lst)) + ")"))
        for s in g.objects(shape, SH["not"]):
            tests.append(("NotConstraintComponent", f"!({self._all(s)})"))
        for s in g.objects(shape, SH.node):
            tests.append(("NodeConstraintComponent", self._all(s)))
        return tests

    def _all(self, shape) -> str:
        if not isinstance(shape, BNode | URIRef):
            raise ShapesError(f"expected a shape, found {shape!r}")
        tests = self._value_tests(shape, nested=True)
        return "(" + " && ".join(t for _c, t in tests) + ")" if tests else "true"

    def _datatype(self, d) -> str:
        if str(d) == RDF_LANG_STRING:
            return '(isLiteral(?value) && lang(?value) != "")'
        test = f"(isLiteral(?value) && datatype(?value) = {_iri(d)}"
        if d in _LEXICAL:
            test += f" && REGEX(STR(?value), {_string(_LEXICAL[d])})"
        return test + ")"

    # --- paths ---------------------------------------------------------------------------
    def _path(self, node) -> str:
        g = self.g
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in g:
            return "(" + "/".join(self._path(p) for p in Collection(g, node)) + ")"
        for p, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                       (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
            inner = g.value(node, p)
            if inner is not None:
                return "(" + fmt.format(self._path(inner)) + ")"
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self._path(p) for p in Collection(g, alternatives)) + ")"
        raise ShapesError(f"unsupported sh:path {node!r}")

    def _enumerable(self, node) -> bool:
        """Whether every (node, value) pair of the path can be listed from the data: a
        predicate, an inverse, a sequence or alternatives of such paths. A path with ``*``
        or ``?`` also pairs every node with itself, so it is not; one with ``+`` could be,
        but listing its closure from every node costs more than following it from each
        focus node."""
        g = self.g
        if isinstance(node, URIRef):
            return True
        if (node, RDF.first, None) in g:
            return all(self._enumerable(p) for p in Collection(g, node))
        inverse = g.value(node, SH.inversePath)
        if inverse is not None:
            return self._enumerable(inverse)
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return all(self._enumerable(p) for p in Collection(g, alternatives))
        return False

    def _path_text(self, node) -> str:
        g = self.g
        if isinstance(node, URIRef):
            return local_name(node)
        inverse = g.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + self._path_text(inverse)
        if (node, RDF.first, None) in g:
            return "/".join(self._path_text(p) for p in Collection(g, node))
        return self._path(node)


def expand_prefixes(select: str, prefixes: dict[str, str]) -> str:
    """The query with its prefixed names written out in full, so it can be nested into a
    query of another prologue. Prefixed names inside strings and IRIs are left alone."""
    names = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    if not names:
        return select
    token = re.compile(
        r'("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|<[^<>\s]*>)'
        rf"|(?<![\w:?$])({names}):([A-Za-z_][\w\-.]*[\w\-]|[A-Za-z_])?"
    )

    def replace(m: re.Match) -> str:
        if m.group(1):
            return m.group(1)
        return f"<{prefixes[m.group(2)]}{m.group(3) or ''}>"

    return token.sub(replace, select)
