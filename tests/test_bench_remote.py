"""``bench.remote --store-dir``: an existing build published to a real Oxigraph server and a
real Virtuoso, the example queries timed on the three stores and set against rdflib's
times. Run on a copy of the seed build, one run per figure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.merge import measure
from bench.remote import measure_existing, ratio_text
from kinerja.publish import PUBLISHED
from kinerja.settings import Settings
from kinerja.store import current_path, open_store
from tests import servers
from tests.conftest import unavailable

pytestmark = pytest.mark.slow

STORES = ("embedded", "oxigraph", "virtuoso")
RECORD = b'{"store": "https://store.example.org/sparql", "note": "a deployment\'s record"}\n'


@pytest.fixture(scope="module")
def measured(built_settings: Settings, tmp_path_factory) -> tuple[dict, Path]:
    store_dir = tmp_path_factory.mktemp("bench-remote") / "store"
    shutil.copytree(built_settings.store_dir, store_dir, symlinks=True)
    (current_path(store_dir) / PUBLISHED).write_bytes(RECORD)  # a deployment's record
    rdflib = {  # as bench.national writes them: seconds; None past the cap
        "target-per-satuan": 2.0,
        "plain": {"target-per-satuan": 1.0, "dokumen-ringkasan": None},
        "dokumen-ringkasan": None,
    }
    names = ["target-per-satuan", "dokumen-ringkasan", "jejak-dasar-hukum"]
    try:
        results = measure_existing(store_dir, 1, names, 10_000, rdflib)
    except servers.ServerMissing as e:
        unavailable(str(e))
        raise
    return results, store_dir


def test_the_triples_counted_are_those_of_the_default_graph(measured) -> None:
    results, store_dir = measured
    store = open_store(store_dir)
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert results["triples"] == default
    assert default < len(store)  # the named graphs hold them again


def test_the_build_is_published_to_each_server(measured) -> None:
    results, _ = measured
    assert set(results["publish s"]) == {"oxigraph", "virtuoso"}
    assert all(seconds > 0 for seconds in results["publish s"].values())
    # each server's peak memory by then: more than the few MiB of a process just started
    assert set(results["publish server peak MiB"]) == {"oxigraph", "virtuoso"}
    assert all(mib > 10 for mib in results["publish server peak MiB"].values())


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
@pytest.mark.parametrize("way", ["whole", "2"])
def test_bench_merge_makes_the_merge_each_way(built_settings: Settings, server, way) -> None:
    """``bench.merge``: the seed build's merge made on a fresh server, sent whole or by
    the server in requests of 2 graphs; ``measure`` stops (SystemExit) when the merge on
    the server has another size than the local one."""
    try:
        figures = measure(server, current_path(built_settings.store_dir).resolve(), way,
                          10_000)
    except servers.ServerMissing as e:
        unavailable(str(e))
        raise
    assert set(figures) == {"named graphs PUT s", "merge s", "server peak MiB before the merge",
                            "server peak MiB after it"}


def test_the_builds_publish_records_are_left_as_they_were(measured) -> None:
    _, store_dir = measured
    assert (current_path(store_dir) / PUBLISHED).read_bytes() == RECORD


def test_every_store_gives_the_same_rows(measured) -> None:
    rows = measured[0]["rows"]
    assert set(rows) == {"target-per-satuan", "dokumen-ringkasan", "jejak-dasar-hukum"}
    for name, counts in rows.items():
        assert len(set(counts.values())) == 1, (name, counts)
        assert next(iter(counts.values())) > 0, name


def test_every_store_times_each_form_an_example_has(measured) -> None:
    queries = measured[0]["queries ms"]
    assert list(queries) == ["target-per-satuan", "dokumen-ringkasan", "jejak-dasar-hukum"]
    with_plain = {f"{s} {form}" for s in STORES for form in ("as written", "plain")}
    written_only = {f"{s} as written" for s in STORES}
    times = {name: {k: v for k, v in figures.items() if isinstance(v, float)
                    and not k.startswith("rdflib")} for name, figures in queries.items()}
    assert set(times["target-per-satuan"]) == with_plain
    assert set(times["dokumen-ringkasan"]) == with_plain
    assert set(times["jejak-dasar-hukum"]) == written_only
    assert all(v > 0 for figures in times.values() for v in figures.values())


def test_the_ratio_sets_each_stores_better_form_against_rdflibs(measured) -> None:
    figures = measured[0]["queries ms"]["target-per-satuan"]
    assert figures["rdflib, better form"] == 1000.0  # the plain form's 1.0 s
    for store in STORES:
        mine = min(figures[f"{store} as written"], figures[f"{store} plain"])
        ratio = 1000.0 / mine
        assert figures[f"{store} x rdflib"] == ratio_text(ratio)


@pytest.mark.parametrize(("ratio", "text"), [(286.4, "286 x"), (10.0, "10 x"),
                                              (9.96, "10 x"), (9.94, "9.9 x"),
                                              (5.23, "5.2 x"), (1.0, "1.0 x"),
                                              (0.397, "0.40 x"), (0.2815, "0.28 x")])
def test_a_ratio_keeps_two_significant_digits_below_ten(ratio: float, text: str) -> None:
    assert ratio_text(ratio) == text


def test_no_ratio_where_rdflib_passed_its_cap_or_was_not_run(measured) -> None:
    queries = measured[0]["queries ms"]
    for name in ("dokumen-ringkasan", "jejak-dasar-hukum"):
        assert not [k for k in queries[name] if "rdflib" in k], name


def test_embedded_only_starts_no_server_and_publishes_nothing(built_settings, tmp_path) -> None:
    store_dir = tmp_path / "store"
    shutil.copytree(built_settings.store_dir, store_dir, symlinks=True)
    results = measure_existing(store_dir, 1, ["asal-target"], 10_000, None, servers_too=False)
    assert results["publish s"] == {}
    assert set(results["queries ms"]["asal-target"]) == {"embedded as written", "embedded plain"}
    assert results["rows"]["asal-target"]["embedded as written"] > 0
    assert not list(store_dir.glob("builds/*/published.json"))
