"""Rebuilding from the same sources gives byte-identical N-Quads, sorted graph by graph.

The second build runs in another process with another hash seed (so set and dict orders
differ) and reads a copy of the sources from another folder (so no path leaks into the
graph); its store must still answer with the same bytes as the session's seed build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest

from kinerja.ingest.pipeline import ingest
from kinerja.settings import Settings
from kinerja.store import export, open_store
from tests.conftest import SOURCES


@pytest.fixture(scope="module")
def seed_nquads(built_settings) -> bytes:
    return export(open_store(built_settings.store_dir), "nquads")


@pytest.fixture(scope="module")
def rebuilt_nquads(tmp_path_factory) -> bytes:
    """The seeds built again by ``kinerja build`` in a fresh process, from a copied folder."""
    tmp = tmp_path_factory.mktemp("rebuild")
    sources = tmp / "elsewhere" / "sources"
    shutil.copytree(SOURCES, sources)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env["PYTHONHASHSEED"] = "12345"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kinerja.cli",
            "build",
            "--data-dir",
            str(sources),
            "--store-dir",
            str(tmp / "store"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return export(open_store(tmp / "store"), "nquads")


def test_rebuild_gives_byte_identical_nquads(seed_nquads, rebuilt_nquads):
    assert len(seed_nquads) > 100_000
    if rebuilt_nquads != seed_nquads:
        old = set(seed_nquads.splitlines())
        new = set(rebuilt_nquads.splitlines())
        diff = [b"- " + q for q in sorted(old - new)[:10]] + [
            b"+ " + q for q in sorted(new - old)[:10]
        ]
        pytest.fail("the rebuild differs:\n" + b"\n".join(diff).decode("utf-8", "replace"))


def test_nquads_are_sorted_graph_by_graph_without_duplicates(seed_nquads):
    lines = seed_nquads.splitlines(keepends=True)
    graphs = [next(ox.parse(line, format=ox.RdfFormat.N_QUADS)).graph_name.value
              for line in lines]
    names = list(dict.fromkeys(graphs))  # in the order they come
    assert len(names) > 2 and names == sorted(names)
    assert graphs == sorted(graphs)  # each graph's lines together
    for name in names:
        mine = [line for line, graph in zip(lines, graphs, strict=True) if graph == name]
        assert mine == sorted(mine)
    assert len(lines) == len(set(lines))
    assert seed_nquads.endswith(b" .\n")


def test_nquads_have_no_blank_nodes(seed_nquads):
    # a blank node gets a new label on every load, so it could never give the same bytes
    assert b"_:" not in seed_nquads


def test_nquads_name_no_local_path(seed_nquads):
    text = seed_nquads.decode("utf-8")
    assert str(SOURCES) not in text
    assert "file://" not in text
    assert "/tmp/" not in text


def test_named_graphs_and_the_default_graph(seed_nquads):
    """Statements live in the named graphs of kinerja (one per source, the model, the shared
    concepts); the default graph, when the store keeps one, is exactly their merge."""
    named: dict[str, set] = {}
    default: set = set()
    for q in ox.parse(seed_nquads, format=ox.RdfFormat.N_QUADS):
        triple = (q.subject, q.predicate, q.object)
        if isinstance(q.graph_name, ox.DefaultGraph):
            default.add(triple)
        else:
            named.setdefault(q.graph_name.value, set()).add(triple)
    assert len(named) == 4
    assert all(name.startswith(Settings().base_iri + "graph/") for name in named)
    merge = set().union(*named.values())
    assert default in (set(), merge)


def test_ingesting_twice_gives_the_same_graphs():
    s = Settings()
    first = ingest(SOURCES, s.ontology_dir, s.base_iri).graphs
    second = ingest(SOURCES, s.ontology_dir, s.base_iri).graphs
    assert [g.identifier for g in first] == [g.identifier for g in second]
    for a, b in zip(first, second, strict=True):
        assert set(a) == set(b), a.identifier
