"""Records -> triples. Pure: no I/O, the same records always give the same triples.

Each source becomes one named graph holding everything that source states. Programs and
indicator concepts are shared by all sources; their labels are chosen across sources
(first wording by file name and line, the other wordings as ``skos:altLabel``) and kept in
one derived graph, so that no concept ever carries two preferred labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, PROV, QB, RDF, RDFS, SKOS, XSD

from kinerja.errors import SourceError
from kinerja.ingest.legal import Citation, Issuer, ministry_from_name
from kinerja.ingest.records import Document, Goal
from kinerja.ingest.sources import Source
from kinerja.ingest.targets import canonical_decimal
from kinerja.ingest.text import slug
from kinerja.namespaces import ELI, KIN, PREFIXES, VCARD
from kinerja.vocabulary import Vocabulary

COMPARATORS = {"=": KIN.Exactly, ">=": KIN.AtLeast, "<=": KIN.AtMost}
MEDIA_TYPE_TEXT = URIRef("https://www.iana.org/assignments/media-types/text/plain")


def lit(text: str) -> Literal:
    return Literal(text, lang="id")


MentionRow = tuple[str, str, int, str]  # (concept IRI, source, line, text)


@dataclass(frozen=True, order=True)
class Mention:
    """One wording of a shared concept (program or indicator concept) in one source."""

    iri: URIRef
    source: str
    line: int
    text: str

    @property
    def row(self) -> MentionRow:
        return (str(self.iri), self.source, self.line, self.text)


@dataclass
class MappedSource:
    graph_iri: URIRef
    graph: Graph
    programs: list[Mention] = field(default_factory=list)
    concepts: list[Mention] = field(default_factory=list)


def new_graph(identifier: URIRef) -> Graph:
    graph = Graph(identifier=identifier)
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


class _Mapper:
    def __init__(self, doc: Document, source: Source, layout: str, vocab: Vocabulary, minter):
        self.doc, self.source, self.vocab, self.m = doc, source, vocab, minter
        self.out = MappedSource(
            minter.source_graph(source.name), new_graph(minter.source_graph(source.name))
        )
        self.g = self.out.graph
        self.src = minter.source(source.name)
        self.layout = layout

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def provenance(self, s: URIRef, line: int) -> None:
        self.add(s, PROV.wasDerivedFrom, self.src)
        self.add(s, KIN.sourceLine, Literal(line, datatype=XSD.integer))

    def year(self, year: int) -> Literal:
        return Literal(str(year), datatype=XSD.gYear)

    # --- the whole document ------------------------------------------------------------
    def run(self) -> MappedSource:
        self.source_file()
        office = self.office()
        doc = self.doc
        decree = doc.decree
        if decree:
            iri = self.m.legal(decree.type, self.office_key, doc.year, decree.number.text)
        else:
            iri = self.m.document(office, doc.year, doc.document_type)
        self.add(iri, RDF.type, KIN.PerformanceDocument)
        self.add(iri, RDFS.label, lit(decree.name.text if decree else doc.title.text))
        self.add(iri, DCTERMS.title, lit(doc.title.text))
        self.add(iri, KIN.documentType, self.m.document_type(doc.document_type))
        self.add(iri, KIN.year, self.year(doc.year))
        self.add(iri, KIN.issuedBy, office)
        self.provenance(iri, doc.title.line)
        if doc.signature:
            self.signature(iri, office)
        if decree:
            self.decree(iri, office)
        for goal in doc.goals:
            self.goal(iri, office, goal)
        return self.out

    def source_file(self) -> None:
        s, src = self.src, self.source
        self.add(s, RDF.type, KIN.SourceFile)
        self.add(s, RDF.type, DCAT.Distribution)
        self.add(s, RDFS.label, lit(src.name))
        self.add(s, DCTERMS.title, Literal(src.name))
        self.add(s, KIN.sha256, Literal(src.sha256))
        self.add(s, KIN.layout, Literal(self.layout))
        self.add(s, DCAT.byteSize, Literal(src.size, datatype=XSD.nonNegativeInteger))
        self.add(s, DCAT.mediaType, MEDIA_TYPE_TEXT)
        if src.origin:
            self.add(s, DCTERMS.source, Literal(src.origin))
        if src.description:
            self.add(s, DCTERMS.description, lit(src.description))

    # --- organisations -----------------------------------------------------------------
    def office(self) -> URIRef:
        o = self.doc.office
        province = self.vocab.province(o.province.text)
        if province is None:
            raise SourceError(
                self.source.path,
                o.province.line,
                f"unknown province {o.province.text!r}; expected one of the "
                "provinces of ontology/codelists.ttl",
            )
        province_slug = province.rsplit("/", 1)[1]
        if o.unit is None:  # a ministry's regional office
            parent = ministry_from_name(o.ministry.text)
            office = self.m.office(parent.key, province_slug)
            self.office_key = self.m.office_key(parent.key, province_slug)
            label = f"Kantor Wilayah {parent.name} {self.vocab.label(province)}"
        else:  # a unit of a provincial government
            parent = Issuer(
                f"pemprov-{province_slug}", f"Pemerintah Provinsi {self.vocab.label(province)}"
            )
            unit = slug(o.unit.text)
            office = self.m.organisation_unit(parent.key, unit)
            self.office_key = self.m.organisation_unit_key(parent.key, unit)
            # the unit as "2. Satuan Kerja" writes it (the extractor checked that it starts
            # there), then the province as the code list writes it: one label per office
            label = f"{o.name.text[: len(o.unit.text)]} Provinsi {self.vocab.label(province)}"
        parent_iri = self.m.organisation(parent.key)
        self.organisation(parent_iri, parent.name, ORG.FormalOrganization)
        self.add(office, RDF.type, ORG.OrganizationalUnit)
        self.add(office, RDFS.label, lit(label))
        self.add(office, ORG.unitOf, parent_iri)
        self.add(parent_iri, ORG.hasUnit, office)
        self.add(office, KIN.province, province)
        if o.main_task:
            self.add(office, KIN.mainTask, lit(o.main_task.text))
        for letter, text in o.functions:
            f = URIRef(
                f"{self.m.document(office, self.doc.year, self.doc.document_type)}/fungsi/{letter}"
            )
            self.add(office, KIN.function, f)
            self.add(f, RDF.type, KIN.Function)
            self.add(f, RDFS.label, lit(text.text))
            self.add(f, SKOS.notation, Literal(letter))
            self.provenance(f, text.line)
        self.contacts(office)
        return office

    def organisation(self, iri: URIRef, name: str, cls: URIRef) -> None:
        self.add(iri, RDF.type, cls)
        self.add(iri, RDFS.label, lit(name))
        self.add(iri, SKOS.prefLabel, lit(name))

    def contacts(self, office: URIRef) -> None:
        o = self.doc.office
        if o.address:
            a = URIRef(f"{office}/alamat")
            self.add(office, VCARD.hasAddress, a)
            self.add(a, RDF.type, VCARD.Address)
            self.add(a, RDFS.label, lit(", ".join(line.text for line in o.address)))
            self.add(a, VCARD["street-address"], lit(", ".join(line.text for line in o.address)))
            self.add(a, VCARD["country-name"], lit("Indonesia"))
            self.provenance(a, o.address[0].line)
        if o.telephone:
            t = URIRef(f"{office}/telepon")
            self.add(office, VCARD.hasTelephone, t)
            self.add(t, RDF.type, VCARD.Voice)
            self.add(t, RDFS.label, Literal(o.telephone.text))
            digits = "".join(ch for ch in o.telephone.text if ch.isdigit())
            if digits.startswith("0"):
                self.add(t, VCARD.hasValue, URIRef(f"tel:+62{digits[1:]}"))
            self.provenance(t, o.telephone.line)
        if o.website:
            self.add(office, VCARD.hasURL, URIRef(o.website.text))
            self.add(office, FOAF.homepage, URIRef(o.website.text))
        if o.email:
            self.add(office, VCARD.hasEmail, URIRef(f"mailto:{o.email.text}"))

    def signature(self, doc: URIRef, office: URIRef) -> None:
        sig = self.doc.signature
        person = self.m.person(sig.nip.text)
        self.add(person, RDF.type, FOAF.Person)
        self.add(person, RDFS.label, lit(sig.name.text))
        self.add(person, FOAF.name, Literal(sig.name.text))
        self.add(person, KIN.nip, Literal(sig.nip.text))
        post = URIRef(f"{office}/jabatan/{slug(sig.post.text)}")
        self.add(post, RDF.type, ORG.Post)
        self.add(post, RDFS.label, lit(sig.post.text))
        self.add(post, ORG.postIn, office)
        self.add(doc, KIN.signatory, person)
        self.add(doc, KIN.signatoryPost, post)
        self.add(doc, KIN.placeOfIssue, Literal(sig.place.text))
        self.add(doc, DCTERMS.issued, Literal(sig.date.isoformat(), datatype=XSD.date))

    # --- decrees and legal instruments -------------------------------------------------
    def decree(self, doc: URIRef, office: URIRef) -> None:
        d = self.doc.decree
        self.add(doc, RDF.type, ELI.LegalResource)
        self.add(doc, ELI.type_document, self.m.legal_type(d.type))
        self.add(doc, ELI.number, Literal(d.number.text))
        self.add(doc, ELI.title, lit(d.title.text))
        self.add(doc, ELI.passed_by, office)
        self.add(
            doc, ELI.date_document, Literal(self.doc.signature.date.isoformat(), datatype=XSD.date)
        )
        if d.valid_until:
            self.add(
                doc,
                ELI.date_no_longer_in_force,
                Literal(d.valid_until.isoformat(), datatype=XSD.date),
            )
        for letter, text in d.considerations:
            self.add(doc, KIN.consideration, lit(f"{letter}. {text.text}"))
        for basis in d.implements:
            instrument = self.instrument(basis.citation, basis.line)
            for notation in basis.articles:
                article = self.m.article(instrument, notation)
                self.add(article, RDF.type, ELI.LegalResourceSubdivision)
                self.add(article, ELI.is_part_of, instrument)
                self.add(instrument, ELI.has_part, article)
                self.add(article, SKOS.notation, Literal(notation))
                self.add(
                    article, RDFS.label, lit(f"{notation} {self.instrument_label(basis.citation)}")
                )
                self.provenance(article, basis.line)
                self.add(doc, ELI.based_on, article)
        for basis in d.bases:
            self.add(doc, ELI.based_on, self.instrument(basis.citation, basis.line))
        for provision in d.provisions:
            p = URIRef(f"{doc}/diktum/{provision.notation.lower()}")
            self.add(p, RDF.type, ELI.LegalResourceSubdivision)
            self.add(p, ELI.is_part_of, doc)
            self.add(doc, ELI.has_part, p)
            self.add(p, SKOS.notation, Literal(provision.notation))
            self.add(p, RDFS.label, lit(provision.notation))
            self.add(p, KIN.text, lit(provision.text))
            self.provenance(p, provision.line)
        for copy in d.copies:
            self.add(doc, KIN.copyTo, lit(copy.text))

    def instrument_label(self, c: Citation) -> str:
        type_label = self.vocab.label(self.m.legal_type(c.type))
        if c.issuer.key != "presiden":
            type_label += " " + c.issuer.name.removeprefix("Kementerian ")
        return f"{type_label} Nomor {c.number} Tahun {c.year}"

    def instrument(self, c: Citation, line: int) -> URIRef:
        iri = self.m.legal(c.type, c.issuer.key, c.year, c.number)
        issuer = self.m.organisation(c.issuer.key)
        cls = ORG.Organization if c.issuer.key == "presiden" else ORG.FormalOrganization
        self.organisation(issuer, c.issuer.name, cls)
        self.add(iri, RDF.type, ELI.LegalResource)
        self.add(iri, RDFS.label, lit(self.instrument_label(c)))
        self.add(iri, ELI.type_document, self.m.legal_type(c.type))
        self.add(iri, ELI.number, Literal(c.number))
        self.add(iri, KIN.year, self.year(c.year))
        self.add(iri, ELI.passed_by, issuer)
        if c.title:
            self.add(iri, ELI.title, lit(c.title))
        self.add(iri, KIN.citationText, lit(c.text))
        self.provenance(iri, line)
        if c.amended_by is not None:
            self.add(self.instrument(c.amended_by, line), ELI.amends, iri)
        return iri

    # --- goals, indicators, targets ----------------------------------------------------
    def goal(self, doc: URIRef, office: URIRef, goal: Goal) -> None:
        program_text = goal.program.text if goal.program else None
        g = self.m.goal(doc, goal.notation, program_text)
        self.add(g, RDF.type, KIN.Goal)
        self.add(g, RDFS.label, lit(goal.text))
        self.add(g, SKOS.notation, Literal(goal.notation))
        self.add(g, KIN.inDocument, doc)
        self.provenance(g, goal.line)
        if goal.program:
            program = self.m.program(goal.program.text)
            self.add(g, KIN.program, program)
            self.out.programs.append(
                Mention(program, self.source.name, goal.program.line, goal.program.text)
            )
        for ind in goal.indicators:
            i = URIRef(f"{g}/indikator/{ind.notation}")
            concept = self.m.concept(ind.text)
            self.add(i, RDF.type, KIN.Indicator)
            self.add(i, RDFS.label, lit(ind.text))
            self.add(i, SKOS.notation, Literal(ind.notation))
            self.add(i, KIN.goal, g)
            self.add(i, KIN.concept, concept)
            self.provenance(i, ind.line)
            self.out.concepts.append(Mention(concept, self.source.name, ind.line, ind.text))
            self.target(i, office, ind.target, ind.text)

    def target(self, indicator: URIRef, office: URIRef, target, text: str) -> None:
        t = URIRef(f"{indicator}/target")
        parsed = target.parsed
        self.add(t, RDF.type, KIN.Target)
        self.add(t, RDF.type, QB.Observation)
        self.add(t, RDFS.label, lit(f"Target {self.doc.year}: {text}: {parsed.text}"))
        self.add(t, QB.dataSet, self.m.dataset)
        self.add(t, KIN.indicator, indicator)
        self.add(t, KIN.office, office)
        self.add(t, KIN.year, self.year(self.doc.year))
        self.add(t, KIN.targetValue, Literal(canonical_decimal(parsed.value), datatype=XSD.decimal))
        self.add(t, KIN.unit, self.m.unit(parsed.unit))
        self.add(t, KIN.targetText, Literal(parsed.text))
        self.add(t, KIN.comparator, COMPARATORS[parsed.comparator])
        self.provenance(t, target.line)


def map_document(
    doc: Document, source: Source, layout: str, vocab: Vocabulary, minter
) -> MappedSource:
    return _Mapper(doc, source, layout, vocab, minter).run()


def map_shared(mapped: list[MappedSource], minter) -> Graph:
    """Programs and indicator concepts, labelled across all sources, as an rdflib graph."""
    triples = shared_triples(
        (m.row for ms in mapped for m in ms.programs),
        (m.row for ms in mapped for m in ms.concepts),
    )
    graph = new_graph(minter.concepts_graph)
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def shared_triples(
    programs: Iterable[MentionRow], concepts: Iterable[MentionRow]
) -> list[ox.Triple]:
    """The statements of the shared concept graph, made from every source's mentions given
    as plain rows (an incremental build reads those of unchanged sources from its state as
    they are), as store terms: at national scale there are tens of thousands."""
    triples: list[ox.Triple] = []
    _concepts(triples, programs, _PROGRAM)
    _concepts(triples, concepts, _INDICATOR_CONCEPT)
    return triples


_TYPE, _LABEL, _PREF, _ALT = (
    ox.NamedNode(str(p)) for p in (RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel)
)
_CONCEPT = ox.NamedNode(str(SKOS.Concept))
_PROGRAM = ox.NamedNode(str(KIN.Program))
_INDICATOR_CONCEPT = ox.NamedNode(str(KIN.IndicatorConcept))


def _concepts(out: list[ox.Triple], mentions: Iterable[MentionRow], cls: ox.NamedNode) -> None:
    # The first wording in (source, line) order is preferred, whatever the order the
    # mentions come in; the other wordings are alternative labels.
    first: dict[str, tuple[str, int, str]] = {}
    wordings: dict[str, set[str]] = {}
    for iri, source, line, text in mentions:
        key = (source, line, text)
        best = first.get(iri)
        if best is None:
            first[iri] = key
            wordings[iri] = {text}
        else:
            if key < best:
                first[iri] = key
            wordings[iri].add(text)
    for iri, (_, _, preferred) in first.items():
        node = ox.NamedNode(iri)
        label = ox.Literal(preferred, language="id")
        out += [
            ox.Triple(node, _TYPE, cls),
            ox.Triple(node, _TYPE, _CONCEPT),
            ox.Triple(node, _LABEL, label),
            ox.Triple(node, _PREF, label),
        ]
        for other in sorted(wordings[iri] - {preferred}):
            out.append(ox.Triple(node, _ALT, ox.Literal(other, language="id")))
