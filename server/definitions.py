"""The ontology as documentation: ``/def``, the document whose hash IRIs are the terms.

Every term of ``https://w3id.org/kinerja/def#`` has an anchor named after its local name,
so ``/def#Indicator`` lands on ``kin:Indicator``. The page lists classes, properties, the
code lists with their concepts (each linked to its ``/id/...`` page) and the Data Cube
structure of the targets, with labels in Indonesian and English. The same triples the build
puts in the model graph (``kinerja.vocabulary.load_model``) are served as Turtle, JSON-LD,
RDF/XML and N-Triples by Accept or ``?format=``, and as ``/def.ttl``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, QB, RDF, RDFS, SKOS

from kinerja.namespaces import KIN_IRI
from kinerja.vocabulary import load_model
from server import negotiation
from server.pages import RDF_FORMATS, rdf_format

router = APIRouter()
ONTOLOGY_IRI = KIN_IRI.rstrip("#")
VANN = "http://purl.org/vocab/vann/"
LABELS = (RDFS.label, SKOS.prefLabel)
CONCEPT_LABELS = (SKOS.prefLabel, RDFS.label)
DEFINITIONS = (SKOS.definition, RDFS.comment, DCTERMS.description)
COMPONENT_KINDS = {QB.dimension: "dimension", QB.measure: "measure", QB.attribute: "attribute"}


@dataclass(frozen=True)
class Shown:
    text: str
    lang: str  # "" for a literal without a language


@dataclass(frozen=True)
class Text:
    """A text in Indonesian and English, either possibly missing."""

    id: str | None = None
    en: str | None = None
    plain: str | None = None

    def pick(self, lang: str) -> Shown | None:
        """The text in ``lang`` if there is one, else in the other language, else plain."""
        order = ("en", "id") if lang == "en" else ("id", "en")
        for code in order:
            if value := getattr(self, code):
                return Shown(value, code)
        return Shown(self.plain, "") if self.plain else None

    def __bool__(self) -> bool:
        return bool(self.id or self.en or self.plain)


@dataclass(frozen=True)
class Ref:
    """A link to a term: its prefixed name, and a label for code-list resources."""

    iri: str
    href: str | None
    short: str
    label: Text | None = None


@dataclass(frozen=True)
class Lit:
    text: str
    lang: str | None
    datatype: str | None  # prefixed name, None for xsd:string and language strings


@dataclass(frozen=True)
class Term:
    anchor: str | None  # set for every term of this namespace
    iri: str
    short: str
    label: Text
    definition: Text
    types: tuple[Ref, ...] = ()
    parents: tuple[Ref, ...] = ()  # rdfs:subClassOf / rdfs:subPropertyOf
    children: tuple[Ref, ...] = ()
    domain: tuple[Ref, ...] = ()
    range: tuple[Ref, ...] = ()
    domain_of: tuple[Ref, ...] = ()
    range_of: tuple[Ref, ...] = ()
    code_lists: tuple[Ref, ...] = ()
    components: tuple[Ref, ...] = ()
    examples: tuple[Lit, ...] = ()
    statements: tuple[tuple[Ref, Ref | Lit], ...] = ()


@dataclass(frozen=True)
class Concept:
    anchor: str | None  # only concepts of this namespace have an anchor on /def
    ref: Ref
    notation: str
    label: Text
    definition: Text


@dataclass(frozen=True)
class CodeList:
    term: Term
    ref: Ref
    concepts: tuple[Concept, ...]


@dataclass(frozen=True)
class Component:
    term: Term
    kind: str
    property: Ref | None
    order: str
    required: bool | None


@dataclass(frozen=True)
class Structure:
    term: Term
    components: tuple[Component, ...]
    datasets: tuple[Ref, ...]


@dataclass(frozen=True)
class Ontology:
    """The parsed model, ready for the page and the RDF twins (read only once built)."""

    iri: str
    title: Text
    description: Text
    version: str | None
    licenses: tuple[Ref, ...]
    prefix: str | None
    classes: tuple[Term, ...]
    object_properties: tuple[Term, ...]
    datatype_properties: tuple[Term, ...]
    code_lists: tuple[CodeList, ...]
    structures: tuple[Structure, ...]
    others: tuple[Term, ...]
    rdf: MappingProxyType  # format name -> serialised bytes


class _Reader:
    """Turns the model graph into page data; used once per (ontology_dir, base)."""

    def __init__(self, graph: Graph, base: str):
        self.g = graph
        self.base = base
        self.ntriples = graph.serialize(format="nt", encoding="utf-8")
        text = self.ntriples.decode()
        # rdflib binds dozens of prefixes by default: keep those the model uses
        self.prefixes = {
            p: str(ns) for p, ns in sorted(graph.namespaces()) if p and f"<{ns}" in text
        }
        by_length = sorted(self.prefixes.items(), key=lambda kv: -len(kv[1]))
        self.namespaces = [(ns, p) for p, ns in by_length]
        self.done: set[URIRef] = set()

    def short(self, iri: str) -> str:
        for ns, prefix in self.namespaces:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    def href(self, iri: str) -> str | None:
        if iri.startswith(KIN_IRI):
            return "#" + iri[len(KIN_IRI) :]
        if iri == ONTOLOGY_IRI:
            return "/def"
        if iri.startswith(self.base + "id/"):
            return "/" + iri[len(self.base) :]
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    def text(self, node, predicates) -> Text:
        for p in predicates:
            found: dict[str, str] = {}
            for value in sorted(self.g.objects(node, p), key=str):
                if isinstance(value, Literal):
                    found.setdefault(value.language or "", str(value))
            if found:
                return Text(found.get("id"), found.get("en"), found.get(""))
        return Text()

    def ref(self, node) -> Ref:
        iri = str(node)
        label = None
        if iri.startswith(self.base + "id/"):
            label = self.text(node, CONCEPT_LABELS) or None
        return Ref(iri, self.href(iri), self.short(iri), label)

    def refs(self, nodes) -> tuple[Ref, ...]:
        return tuple(
            sorted(
                {self.ref(n) for n in nodes if isinstance(n, URIRef)},
                key=lambda r: r.short.casefold(),
            )
        )

    def value(self, node) -> Ref | Lit:
        if isinstance(node, Literal):
            dt = None if node.language or node.datatype is None else self.short(str(node.datatype))
            return Lit(str(node), node.language, None if dt == "xsd:string" else dt)
        return self.ref(node)

    def ours(self, cls) -> list[URIRef]:
        """Subjects typed ``cls`` in this namespace, by local name."""
        found = {s for s in self.g.subjects(RDF.type, cls) if str(s).startswith(KIN_IRI)}
        return sorted(found, key=lambda s: str(s)[len(KIN_IRI) :].casefold())

    def term(self, node: URIRef, anchor: str | None = None, **extra) -> Term:
        self.done.add(node)
        iri = str(node)
        if anchor is None and iri.startswith(KIN_IRI):
            anchor = iri[len(KIN_IRI) :]
        return Term(
            anchor=anchor,
            iri=iri,
            short=self.short(iri),
            label=self.text(node, LABELS),
            definition=self.text(node, DEFINITIONS),
            types=self.refs(self.g.objects(node, RDF.type)),
            examples=tuple(
                self.value(v) for v in sorted(self.g.objects(node, SKOS.example), key=str)
            ),
            **extra,
        )

    def klass(self, node: URIRef) -> Term:
        g = self.g
        schemes = {s for c in g.subjects(RDF.type, node) for s in g.objects(c, SKOS.inScheme)}
        return self.term(
            node,
            parents=self.refs(g.objects(node, RDFS.subClassOf)),
            children=self.refs(g.subjects(RDFS.subClassOf, node)),
            domain_of=self.refs(g.subjects(RDFS.domain, node)),
            range_of=self.refs(g.subjects(RDFS.range, node)),
            code_lists=tuple(
                Ref(str(s), "#" + self.scheme_anchor(s), self.short(str(s)), self.text(s, LABELS))
                for s in sorted(schemes)
            ),
        )

    def prop(self, node: URIRef) -> Term:
        g = self.g
        components = {c for k in COMPONENT_KINDS for c in g.subjects(k, node)}
        return self.term(
            node,
            parents=self.refs(g.objects(node, RDFS.subPropertyOf)),
            children=self.refs(g.subjects(RDFS.subPropertyOf, node)),
            domain=self.refs(g.objects(node, RDFS.domain)),
            range=self.refs(g.objects(node, RDFS.range)),
            components=self.refs(components),
        )

    def scheme_anchor(self, scheme) -> str:
        iri = str(scheme)
        if iri.startswith(KIN_IRI):
            return iri[len(KIN_IRI) :]
        if iri.startswith(self.base):
            iri = iri[len(self.base) :].removeprefix("id/")
        return "list-" + iri.strip("/").replace("/", "-")

    def code_list(self, scheme: URIRef) -> CodeList:
        g = self.g
        members = {*g.subjects(SKOS.inScheme, scheme), *g.objects(scheme, SKOS.hasTopConcept)}
        concepts = []
        for c in members:
            ours = str(c).startswith(KIN_IRI)
            if ours:
                self.done.add(c)
            notation = g.value(c, SKOS.notation)
            concepts.append(
                Concept(
                    anchor=str(c)[len(KIN_IRI) :] if ours else None,
                    ref=self.ref(c),
                    notation=str(notation) if notation is not None else "",
                    label=self.text(c, CONCEPT_LABELS),
                    definition=self.text(c, DEFINITIONS),
                )
            )
        concepts.sort(key=lambda c: (c.notation.casefold(), c.ref.iri))
        term = self.term(scheme, anchor=self.scheme_anchor(scheme))
        return CodeList(term, self.ref(scheme), tuple(concepts))

    def structure(self, dsd: URIRef) -> Structure:
        g = self.g
        components = []
        for c in g.objects(dsd, QB.component):
            kind, prop = "", None
            for predicate, name in COMPONENT_KINDS.items():
                if (value := g.value(c, predicate)) is not None:
                    kind, prop = name, value
                    break
            required = g.value(c, QB.componentRequired)
            components.append(
                Component(
                    term=self.term(c),
                    kind=kind,
                    property=self.ref(prop) if prop is not None else None,
                    order=str(g.value(c, QB.order) or ""),
                    required=None if required is None else bool(required.toPython()),
                )
            )
        order = {"dimension": 0, "measure": 1, "attribute": 2}
        components.sort(key=lambda c: (order.get(c.kind, 3), c.order, c.term.iri))
        return Structure(
            self.term(dsd), tuple(components), self.refs(g.subjects(QB.structure, dsd))
        )

    def other(self, node: URIRef) -> Term:
        statements = sorted(
            (
                (self.ref(p), self.value(o))
                for p, o in self.g.predicate_objects(node)
                if p not in (RDF.type, *LABELS, *DEFINITIONS, SKOS.example)
            ),
            key=lambda s: (s[0].short, str(s[1])),
        )
        return self.term(node, statements=tuple(statements))


def read(graph: Graph, base: str) -> Ontology:
    r = _Reader(graph, base)
    onto = URIRef(ONTOLOGY_IRI)
    classes = tuple(r.klass(c) for c in r.ours(OWL.Class))
    object_properties = tuple(r.prop(p) for p in r.ours(OWL.ObjectProperty))
    datatype_properties = tuple(r.prop(p) for p in r.ours(OWL.DatatypeProperty))
    schemes = sorted(
        set(graph.subjects(RDF.type, SKOS.ConceptScheme)),
        key=lambda s: r.scheme_anchor(s).casefold(),
    )
    code_lists = tuple(r.code_list(s) for s in schemes if isinstance(s, URIRef))
    structures = tuple(r.structure(s) for s in r.ours(QB.DataStructureDefinition))
    rest = {s for s in graph.subjects() if str(s).startswith(KIN_IRI)} - r.done
    others = tuple(r.other(s) for s in sorted(rest))
    version = graph.value(onto, OWL.versionInfo)
    prefix = graph.value(onto, URIRef(VANN + "preferredNamespacePrefix"))
    return Ontology(
        iri=ONTOLOGY_IRI,
        title=r.text(onto, (DCTERMS.title, RDFS.label)),
        description=r.text(onto, (DCTERMS.description, RDFS.comment)),
        version=str(version) if version is not None else None,
        licenses=r.refs(graph.objects(onto, DCTERMS.license)),
        prefix=str(prefix) if prefix is not None else None,
        classes=classes,
        object_properties=object_properties,
        datatype_properties=datatype_properties,
        code_lists=code_lists,
        structures=structures,
        others=others,
        rdf=MappingProxyType(_serialise(r.ntriples, r.prefixes)),
    )


def _serialise(ntriples: bytes, prefixes: dict[str, str]) -> dict[str, bytes]:
    """Each RDF format of the model, its triples sorted so that Turtle groups them by
    subject (the ontology header first) and every build serves the same bytes."""
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    ]
    triples.sort(
        key=lambda t: (
            t.subject.value != ONTOLOGY_IRI,
            str(t.subject),
            t.predicate.value != str(RDF.type),
            str(t.predicate),
            str(t.object),
        )
    )
    return {
        name: ox.serialize(
            triples,
            format=fmt,
            prefixes=prefixes if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None,
        )
        for name, fmt in RDF_FORMATS.items()
    }


_lock = threading.Lock()


@cache
def _ontology(ontology_dir: Path, base: str) -> Ontology:
    return read(load_model(ontology_dir, base), base)


def ontology(ontology_dir: Path, base: str) -> Ontology:
    """The ontology and code lists as the build loads them, parsed once per (dir, base)."""
    with _lock:  # rdflib graphs are not safe to build from several threads at once
        return _ontology(Path(ontology_dir), base)


def _rdf(onto: Ontology, name: str, vary: bool = True) -> Response:
    headers = {"Vary": "Accept"} if vary else {}
    return Response(onto.rdf[name], media_type=negotiation.media_type(name), headers=headers)


@router.get("/def")
def definitions(request: Request) -> Response:
    state = request.app.state
    onto = ontology(state.settings.ontology_dir, state.settings.base_iri)
    name = rdf_format(request, "the ontology")
    if name is not None:
        return _rdf(onto, name)
    context = {
        "onto": onto,
        "formats": [(f, negotiation.GRAPH_TYPES[f]) for f in RDF_FORMATS],
    }
    return state.templates.TemplateResponse(
        request, "def.html", context, headers={"Vary": "Accept"}
    )


@router.get("/def.ttl")
def definitions_turtle(request: Request) -> Response:
    settings = request.app.state.settings
    return _rdf(ontology(settings.ontology_dir, settings.base_iri), "turtle", vary=False)
