"""Ontology terms as Python names.

``KIN`` lists every term of ``ontology/kinerja.ttl``; a test checks the two agree, and a
misspelt term raises ``AttributeError`` instead of minting a silent new IRI.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
)

KIN_IRI = "https://w3id.org/kinerja/def#"
ELI = Namespace("http://data.europa.eu/eli/ontology#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


class KIN(DefinedNamespace):
    _NS = Namespace(KIN_IRI)
    _fail = True

    # classes
    PerformanceDocument: URIRef
    SourceFile: URIRef
    Program: URIRef
    Goal: URIRef
    Indicator: URIRef
    IndicatorConcept: URIRef
    Target: URIRef
    Function: URIRef
    Province: URIRef
    DocumentType: URIRef
    LegalType: URIRef
    Unit: URIRef
    QuantityKind: URIRef
    Comparator: URIRef
    # object properties
    documentType: URIRef
    issuedBy: URIRef
    inDocument: URIRef
    program: URIRef
    goal: URIRef
    concept: URIRef
    indicator: URIRef
    office: URIRef
    unit: URIRef
    comparator: URIRef
    province: URIRef
    function: URIRef
    signatory: URIRef
    signatoryPost: URIRef
    quantityKind: URIRef
    # datatype properties
    year: URIRef
    targetValue: URIRef
    targetText: URIRef
    sha256: URIRef
    sourceLine: URIRef
    mainTask: URIRef
    text: URIRef
    consideration: URIRef
    placeOfIssue: URIRef
    copyTo: URIRef
    nip: URIRef
    layout: URIRef
    citationText: URIRef
    # individuals and structure
    Percentage: URIRef
    IndexScore: URIRef
    Count: URIRef
    Exactly: URIRef
    AtLeast: URIRef
    AtMost: URIRef
    quantityKinds: URIRef
    comparators: URIRef
    targetStructure: URIRef


PREFIXES: dict[str, str] = {
    "kin": KIN_IRI,
    "eli": str(ELI),
    "org": str(ORG),
    "skos": str(SKOS),
    "qb": str(QB),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "vcard": str(VCARD),
    "foaf": str(FOAF),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "void": str(VOID),
    "unit": str(UNIT),
}

__all__ = [
    "DCAT",
    "DCTERMS",
    "ELI",
    "FOAF",
    "KIN",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SD",
    "SKOS",
    "UNIT",
    "VCARD",
    "VOID",
    "XSD",
]
