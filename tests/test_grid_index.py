"""Comparison grids read from the listing index (the ``target`` listing) are the grids
that SPARQL gives (``grid`` without an index, kept as the reference), for every indicator
concept, program and sasaran of the seeds and of generated documents."""

from __future__ import annotations

import re

import pytest

from kinerja.catalogue.grid import TARGETS, Grid, grid
from kinerja.catalogue.listing_pages import ListingIndex
from kinerja.catalogue.reader import Reader
from kinerja.store import LISTING, current_path, open_store
from tests.conftest import generated_build

# The variables of the SPARQL grid's rows: what a grid from the index must hold alike.
VARIABLES = re.findall(r"\?(\w+)", TARGETS[: TARGETS.index("WHERE")])
KINDS = {
    "concept": "kin:IndicatorConcept",
    "program": "kin:Program",
    "goal": "kin:Goal",
}


def _comparable(g: Grid) -> tuple:
    targets = [{k: t[k] for k in VARIABLES if k in t} for t in g.targets]
    return g.kind, g.rows, g.columns, targets


def _assert_same_grids(reader: Reader, index: ListingIndex) -> int:
    compared = 0
    for kind, cls in KINDS.items():
        resources = [r["r"].text for r in reader.select(f"SELECT ?r WHERE {{ ?r a {cls} }}")]
        assert resources, kind
        for resource in resources:
            expected = grid(reader, resource, kind)
            found = grid(reader, resource, kind, index)
            assert _comparable(found) == _comparable(expected), (kind, resource)
            compared += len(expected.targets)
    return compared


def test_the_seed_grids_from_the_index_are_those_of_sparql(built_settings):
    reader = Reader(open_store(built_settings.store_dir), built_settings.base_iri)
    path = current_path(built_settings.store_dir) / LISTING
    with ListingIndex(path, built_settings.base_iri) as index:
        assert _assert_same_grids(reader, index) > 0


@pytest.mark.slow
def test_generated_grids_from_the_index_are_those_of_sparql(tmp_path):
    s, reader = generated_build(tmp_path, 2, seed=3)
    with ListingIndex(current_path(s.store_dir) / LISTING, s.base_iri) as index:
        assert _assert_same_grids(reader, index) > 0


def test_a_grid_without_targets_is_empty_either_way(built_settings):
    reader = Reader(open_store(built_settings.store_dir), built_settings.base_iri)
    path = current_path(built_settings.store_dir) / LISTING
    missing = built_settings.base_iri + "id/konsep/tidak-ada"
    with ListingIndex(path, built_settings.base_iri) as index:
        assert grid(reader, missing, "concept", index).targets == []
        assert grid(reader, missing, "concept").targets == []
