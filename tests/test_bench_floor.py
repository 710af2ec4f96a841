"""bench/floor.py: the properties it scans are those whose every triple the aggregate
examples count, its scans count them, and it compares the floor with rdflib's time / 100."""

from __future__ import annotations

import json
import sys

import pyoxigraph as ox
import pytest

from bench import floor
from bench.floor import FLOORS, LOOKUPS, measure, rdflib_best
from kinerja.examples import examples
from kinerja.namespaces import KIN_IRI
from kinerja.settings import DEFAULT_BASE_IRI
from kinerja.store import open_store


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    from tests.conftest import generated_build

    s, _ = generated_build(tmp_path_factory.mktemp("floor"), 2, seed=11)
    return s.store_dir


def _triples(store: ox.Store, prop: str) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, ox.NamedNode(KIN_IRI + prop), None,
                                                  ox.DefaultGraph()))


def _answer(store: ox.Store, name: str) -> list[dict[str, str]]:
    ex = examples()[name]
    result = store.query(ex.text, substitutions=ex.substitutions(ex.defaults(DEFAULT_BASE_IRI)))
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def test_each_floor_names_properties_its_example_reads():
    for name, props in FLOORS.items():
        assert props
        body = examples()[name].body
        for prop in props:
            assert f"kin:{prop} " in body, f"{name} does not read kin:{prop}"


def test_the_aggregates_count_every_triple_of_their_floor_properties(store_dir):
    """What makes the floor a floor: each count adds up to the triples of its property, so
    no plan can leave one of them unread."""
    store = open_store(store_dir)
    total = {prop: _triples(store, prop) for props in FLOORS.values() for prop in props}
    assert all(n > 10 for n in total.values()), total

    def summed(name: str, column: str) -> int:
        return sum(int(row[column]) for row in _answer(store, name))

    assert summed("target-per-satuan", "target_n") == total["unit"] == total["targetValue"]
    assert summed("dokumen-ringkasan", "sasaran_n") == total["inDocument"]
    assert summed("dokumen-ringkasan", "indikator_n") == total["goal"]
    assert summed("indikator-per-program", "sasaran_n") == total["program"]
    # the indicators of the sasaran with a program: what the lookups count, not every goal
    looked_up = int(next(iter(store.query(LOOKUPS["indikator-per-program"])))["n"].value)
    assert summed("indikator-per-program", "indikator_n") == looked_up < total["goal"]
    assert FLOORS["target-nol"] == ("targetValue",)  # a filter on every value: nothing summed


def test_the_scans_count_the_triples_of_each_property(store_dir):
    store = open_store(store_dir)
    national = {"queries": {"target-nol": {"direct": {"median_ms": 12.0}}},
                "rdflib": {"target-per-satuan": 9.0, "plain": {"target-per-satuan": 3.0},
                           "target-nol": None, "dokumen-ringkasan": 5.0}}
    report = measure(store_dir, national, runs=2, progress=lambda _line: None)
    for prop, entry in report["scans"].items():
        assert entry["triples"] == _triples(store, prop)
        assert len(entry["seconds"]) == 2
    tps = report["examples"]["target-per-satuan"]
    assert tps["floor_s"] == pytest.approx(report["scans"]["unit"]["median_s"]
                                           + report["scans"]["targetValue"]["median_s"])
    assert tps["rdflib_s"] == 3.0  # the faster form
    assert tps["allowed_s"] == pytest.approx(0.03)
    assert tps["within_reach"] == (tps["floor_s"] <= 0.03)
    ipp, looked_up = report["examples"]["indikator-per-program"], report["lookups"]
    assert looked_up["indikator-per-program"]["rows"] > 10
    assert ipp["floor_s"] == pytest.approx(min(
        report["scans"]["program"]["median_s"] + report["scans"]["goal"]["median_s"],
        looked_up["indikator-per-program"]["median_s"]))
    nol = report["examples"]["target-nol"]
    assert nol["direct_s"] == pytest.approx(0.012)
    assert (nol["rdflib_s"], nol["allowed_s"], nol["within_reach"]) == (None, None, None)
    assert report["examples"]["indikator-per-program"]["rdflib_s"] is None


def test_rdflib_times_over_the_cap_or_missing_give_none():
    assert rdflib_best({}, "target-nol") is None
    assert rdflib_best({"rdflib": {"error": "killed"}}, "target-nol") is None
    assert rdflib_best({"rdflib": {"target-nol": None, "plain": {}}}, "target-nol") is None
    assert rdflib_best({"rdflib": {"target-nol": 4.0, "plain": {"target-nol": 5.0}}},
                       "target-nol") == 4.0


def test_bad_input_is_named(store_dir, tmp_path, monkeypatch):
    with pytest.raises(SystemExit, match="no built store"):
        measure(tmp_path / "none", {}, progress=print)
    with pytest.raises(SystemExit, match="--runs must be at least 1, got 0"):
        measure(store_dir, {}, runs=0, progress=print)
    bad = tmp_path / "national.json"
    bad.write_text("{not json")
    monkeypatch.setattr(sys, "argv", ["floor", "--store-dir", str(store_dir),
                                      "--rdflib-from", str(bad)])
    with pytest.raises(SystemExit, match=f"{bad}: expected the JSON of a bench.national run"):
        floor.main()


def test_the_command_writes_its_report(store_dir, tmp_path, monkeypatch, capsys):
    national = tmp_path / "national.json"
    national.write_text(json.dumps({"rdflib": {"target-nol": 2.0}}))
    out = tmp_path / "out" / "floor.json"
    monkeypatch.setattr(sys, "argv", ["floor", "--store-dir", str(store_dir), "--rdflib-from",
                                      str(national), "--runs", "1", "--out", str(out)])
    floor.main()
    report = json.loads(out.read_text())
    assert report["rdflib_from"] == str(national)
    assert set(report["examples"]) == set(FLOORS)
    assert report["examples"]["target-nol"]["allowed_s"] == pytest.approx(0.02)
    printed = capsys.readouterr().out
    assert "target-nol" in printed and f"written {out}" in printed
