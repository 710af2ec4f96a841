"""Deterministic IRI minting.

IRIs come from what identifies a thing (office + year + document type, program wording,
legal type + issuer + year + number), never from row order or a counter, so rebuilding
gives the same IRIs. Everything lives under ``{base}id/``; named graphs under
``{base}graph/``.
"""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from kinerja.ingest.text import fold, slug


class Minter:
    def __init__(self, base: str):
        self.base = base
        self.id = base + "id/"

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.id + "/".join(parts))

    # --- graphs --------------------------------------------------------------------------
    def source_graph(self, file_name: str) -> URIRef:
        return URIRef(f"{self.base}graph/sumber/{_file_slug(file_name)}")

    @property
    def model_graph(self) -> URIRef:
        return URIRef(self.base + "graph/model")

    @property
    def concepts_graph(self) -> URIRef:
        return URIRef(self.base + "graph/konsep")

    # --- things --------------------------------------------------------------------------
    def source(self, file_name: str) -> URIRef:
        return self._iri("sumber", _file_slug(file_name))

    def organisation(self, key: str) -> URIRef:
        return self._iri("organisasi", key)

    def office(self, ministry_key: str, province_slug: str) -> URIRef:
        return self._iri("organisasi", ministry_key, f"kanwil-{province_slug}")

    def organisation_unit(self, organisation_key: str, unit_slug: str) -> URIRef:
        """A unit of an organisation other than a ministry's regional office (a Dinas of a
        provincial government): ``id/organisasi/pemprov-jawa-barat/dinas-kesehatan``."""
        return self._iri("organisasi", organisation_key, unit_slug)

    def office_key(self, ministry_key: str, province_slug: str) -> str:
        return f"{ministry_key}-kanwil-{province_slug}"

    def organisation_unit_key(self, organisation_key: str, unit_slug: str) -> str:
        return f"{organisation_key}-{unit_slug}"

    def province(self, province_slug: str) -> URIRef:
        return self._iri("provinsi", province_slug)

    def document(self, office: URIRef, year: int, doc_type: str) -> URIRef:
        office_path = office.removeprefix(self.id + "organisasi/")
        return self._iri("dokumen", office_path, str(year), doc_type.lower())

    def legal(self, type_code: str, issuer_key: str, year: int, number: str) -> URIRef:
        """``id/peraturan/{type}[/{issuer}]/{year}/{number}``; the issuer is left out for
        acts of the President, whose numbers are unique per type and year."""
        parts = ["peraturan", type_code]
        if issuer_key != "presiden":
            parts.append(issuer_key)
        return self._iri(*parts, str(year), slug(number))

    def article(self, instrument: URIRef, notation: str) -> URIRef:
        return URIRef(f"{instrument}/pasal/{slug(notation.removeprefix('Pasal '))}")

    def goal(self, document: URIRef, notation: str, program_text: str | None) -> URIRef:
        if program_text:
            return URIRef(f"{document}/sasaran/{program_slug(program_text)}/{notation}")
        return URIRef(f"{document}/sasaran/{notation}")

    def program(self, text: str) -> URIRef:
        return self._iri("program", program_slug(text))

    def concept(self, wording: str) -> URIRef:
        key = fold(wording)
        digest = hashlib.sha256(key.encode()).hexdigest()[:8]
        return self._iri("konsep", f"{slug(key, 60)}-{digest}")

    def unit(self, code: str) -> URIRef:
        return self._iri("satuan", code)

    def document_type(self, code: str) -> URIRef:
        return self._iri("jenis-dokumen", code.lower())

    def legal_type(self, code: str) -> URIRef:
        return self._iri("jenis-peraturan", code)

    def person(self, nip: str) -> URIRef:
        return self._iri("orang", "".join(ch for ch in nip if ch.isdigit()))

    @property
    def dataset(self) -> URIRef:
        return self._iri("dataset", "target")


def program_slug(text: str) -> str:
    return slug(text).removeprefix("program-")


def _file_slug(file_name: str) -> str:
    stem = file_name.rsplit(".", 1)[0]
    return slug(stem) or hashlib.sha256(file_name.encode()).hexdigest()[:12]
