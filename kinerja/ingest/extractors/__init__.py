"""One module per document layout, registered by name.

An extractor has a ``name``, a ``detect(source) -> bool`` that recognises its layout, and an
``extract(source) -> Document``. A new layout is one new module here that calls
:func:`register`; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Protocol

from kinerja.errors import SourceError
from kinerja.ingest.records import Document
from kinerja.ingest.sources import Source


class Extractor(Protocol):
    name: str
    description: str

    def detect(self, source: Source) -> bool: ...

    def extract(self, source: Source) -> Document: ...


REGISTRY: dict[str, Extractor] = {}


def register(extractor: Extractor) -> Extractor:
    if extractor.name in REGISTRY:
        raise ValueError(f"two extractors named {extractor.name!r}")
    REGISTRY[extractor.name] = extractor
    return extractor


def _load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def extractor_for(source: Source) -> Extractor:
    """The one extractor whose layout the source is in."""
    matches = [e for e in REGISTRY.values() if e.detect(source)]
    if len(matches) == 1:
        return matches[0]
    known = "; ".join(f"{e.name} ({e.description})" for e in REGISTRY.values())
    if not matches:
        raise SourceError(source.path, 0, f"unknown document layout; known layouts: {known}")
    names = ", ".join(e.name for e in matches)
    raise SourceError(source.path, 0, f"ambiguous document layout: matches {names}")


_load_all()
