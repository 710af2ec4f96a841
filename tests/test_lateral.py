"""The catalogue's LATERAL groups, and the same queries inlined for stores without LATERAL.

The catalogue writes ``LATERAL { ... }`` where a plain group would make Oxigraph join the
whole graph; for stores that only know SPARQL 1.1 the groups are inlined. Both must give
the same pages: checked on every resource of the seeds, on the trace of every indicator and
on every comparison grid.
"""

from __future__ import annotations

import re

import pytest

from kinerja.catalogue import grid, resources, trace
from kinerja.catalogue.reader import Reader, inline_lateral
from kinerja.store import open_store


def test_inline_lateral_keeps_the_group_contents():
    query = "SELECT * WHERE { ?a ?b ?c LATERAL { OPTIONAL { ?c ?d ?e LATERAL { ?e ?f ?g } } } }"
    assert inline_lateral(query) == (
        "SELECT * WHERE { ?a ?b ?c  OPTIONAL { ?c ?d ?e  ?e ?f ?g  }  }"
    )
    assert inline_lateral("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"


def test_inline_lateral_refuses_an_unclosed_group():
    with pytest.raises(ValueError, match="closing brace"):
        inline_lateral("SELECT * WHERE { ?s ?p ?o LATERAL { OPTIONAL { ?o ?q ?r }")


class WithoutLateral:
    """The store as one without LATERAL (Virtuoso) sees it: such a query is a syntax
    error, so every query a ``lateral=False`` reader sends must have it inlined."""

    def __init__(self, store):
        self.store = store

    def query(self, query: str, **kwargs):
        if re.search(r"\bLATERAL\b", query, re.IGNORECASE):
            raise SyntaxError(f"LATERAL is not SPARQL this store reads:\n{query}")
        return self.store.query(query, **kwargs)

    def __getattr__(self, name):
        return getattr(self.store, name)


@pytest.fixture(scope="module")
def readers(built_settings):
    store = open_store(built_settings.store_dir)
    base = built_settings.base_iri
    return Reader(store, base, lateral=True), Reader(WithoutLateral(store), base, lateral=False)


def _resources(reader: Reader, cls: str) -> list[str]:
    rows = reader.select(f"SELECT DISTINCT ?r WHERE {{ ?r a <{cls}> }} ORDER BY ?r")
    return [row["r"].text for row in rows]


@pytest.mark.parametrize("cls", [cls for cls, _kind in resources.KINDS])
def test_pages_are_the_same_without_lateral(readers, cls):
    lateral, plain = readers
    found = _resources(lateral, cls)
    assert found, f"the seeds hold no {cls}"
    for resource in found:
        assert resources.describe(lateral, resource) == resources.describe(plain, resource)


def test_traces_and_grids_are_the_same_without_lateral(readers):
    lateral, plain = readers
    indicators = _resources(lateral, resources.KIN + "Indicator")
    for indicator in indicators:
        assert trace.trace(lateral, indicator) == trace.trace(plain, indicator)
    for kind, cls in (("concept", "IndicatorConcept"), ("program", "Program"), ("goal", "Goal")):
        for resource in _resources(lateral, resources.KIN + cls):
            assert grid.grid(lateral, resource, kind) == grid.grid(plain, resource, kind)
