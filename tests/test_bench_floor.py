"""bench/floor.py: the properties it scans are those whose every triple the aggregate
examples count, its scans count them, and it compares the floor with rdflib's time / 100."""

from __future__ import annotations

import json
import re
import sys

import pyoxigraph as ox
import pytest

from bench import floor
from bench.floor import FLOORS, LOOKUPS, measure, rdflib_best
from kinerja.examples import examples
from kinerja.namespaces import KIN_IRI
from kinerja.settings import DEFAULT_BASE_IRI
from kinerja.store import default_graph_size, open_store


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
            assert re.search(rf"\?\w+ kin:{prop} \?\w+", body), f"{name} reads no kin:{prop}"


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


def test_the_scans_count_the_triples_of_each_property(store_dir):
    store = open_store(store_dir)
    national = {"queries": {"dokumen-ringkasan": {"direct": {"median_ms": 12.0}}},
                "rdflib": {"target-per-satuan": 9.0, "plain": {"target-per-satuan": 3.0},
                           "dokumen-ringkasan": None}}
    report = measure(store_dir, national, runs=2, progress=lambda _line: None)
    for prop, entry in report["scans"].items():
        assert entry["triples"] == _triples(store, prop)
        assert len(entry["seconds"]) == 2
    looked_up = report["lookups"]["indikator-per-program"]
    assert looked_up["rows"] == int(next(iter(store.query(LOOKUPS["indikator-per-program"])))[
        "n"].value)
    tps = report["examples"]["target-per-satuan"]
    assert tps["rdflib_s"] == 3.0  # the faster form
    assert tps["allowed_s"] == pytest.approx(0.03)
    dok = report["examples"]["dokumen-ringkasan"]
    assert dok["direct_s"] == pytest.approx(0.012)
    assert (dok["rdflib_s"], dok["allowed_s"], dok["ruled_out"]) == (None, None, None)
    assert report["examples"]["indikator-per-program"]["rdflib_s"] is None


def test_the_floor_is_the_sum_of_scans_or_the_lookups_and_rules_out_what_it_exceeds(
        store_dir, monkeypatch):
    seconds = {"unit": 0.2, "targetValue": 0.1, "inDocument": 0.05, "goal": 0.1,
               "program": 0.02}

    def timed(_store, query, runs):
        if query == LOOKUPS["indikator-per-program"]:
            return [0.5] * runs, 7
        (prop,) = re.findall(r"#(\w+)>", query)
        return [seconds[prop]] * runs, 1

    monkeypatch.setattr(floor, "counted", timed)
    national = {"queries": {}, "rdflib": {"target-per-satuan": 29.0,
                                          "indikator-per-program": 10.0,
                                          "dokumen-ringkasan": 16.0}}
    found = measure(store_dir, national, runs=3, progress=lambda _line: None)["examples"]
    assert {name: (round(e["floor_s"], 3), e["ruled_out"]) for name, e in found.items()} == {
        "target-per-satuan": (0.3, True),  # 0.2 + 0.1 > 0.29
        "dokumen-ringkasan": (0.15, False),  # 0.05 + 0.1 <= 0.16
        "indikator-per-program": (0.12, True),  # scans (0.12) beat the lookups (0.5); > 0.10
    }
    seconds["goal"] = 0.9  # now the lookups are the cheaper way
    found = measure(store_dir, national, runs=1, progress=lambda _line: None)["examples"]
    assert found["indikator-per-program"]["floor_s"] == pytest.approx(0.5)


def test_rdflib_times_over_the_cap_or_missing_give_none():
    assert rdflib_best({}, "target-nol") is None
    assert rdflib_best({"rdflib": {"error": "killed"}}, "target-nol") is None
    assert rdflib_best({"rdflib": {"target-nol": None, "plain": {}}}, "target-nol") is None
    assert rdflib_best({"rdflib": {"target-nol": 4.0, "plain": {"target-nol": 5.0}}},
                       "target-nol") == 4.0
    assert rdflib_best({"rdflib": {"target-nol": 7, "plain": None}}, "target-nol") == 7.0
    assert rdflib_best({"rdflib": {"target-nol": True}}, "target-nol") is None


def test_bad_input_is_named(store_dir, tmp_path):
    with pytest.raises(SystemExit, match="no built store"):
        measure(tmp_path / "none", {}, progress=print)
    with pytest.raises(SystemExit, match="--runs must be at least 1, got 0"):
        measure(store_dir, {}, runs=0, progress=print)
    with pytest.raises(SystemExit, match=r"holds [\d,]+ triples, and the national report 7: "
                                         "expected the store it measured"):
        measure(store_dir, {"triples": 7}, progress=print)
    bad = tmp_path / "national.json"
    queries = {name: {"direct": {"median_ms": 1.0}} for name in FLOORS}
    for text, expected in [
        ("{not json", "expected the JSON of a bench.national run"),
        ("[]", "expected the JSON object of a bench.national run, found list"),
        ('{"queries": {}}', "expected a 'rdflib' object in the report"),
        ('{"rdflib": {}, "queries": {}}', "expected the direct time of 'target-per-satuan'"),
        (json.dumps({"rdflib": {}, "queries": queries | {"dokumen-ringkasan": None}}),
         "expected the direct time of 'dokumen-ringkasan'"),
    ]:
        bad.write_text(text)
        with pytest.raises(SystemExit, match=re.escape(f"{bad}: {expected}")):
            floor.national_report(bad)
    bad.write_text(json.dumps({"rdflib": {}, "queries": queries}))
    assert floor.national_report(bad)["queries"] == queries


def test_the_command_writes_its_report(store_dir, tmp_path, monkeypatch, capsys):
    national = tmp_path / "national.json"
    queries = {name: {"direct": {"median_ms": 1.0}} for name in FLOORS}
    national.write_text(json.dumps({"rdflib": {"dokumen-ringkasan": 2.0}, "queries": queries,
                                    "triples": default_graph_size(open_store(store_dir))}))
    out = tmp_path / "out" / "floor.json"
    monkeypatch.setattr(sys, "argv", ["floor", "--store-dir", str(store_dir), "--rdflib-from",
                                      str(national), "--runs", "1", "--out", str(out)])
    floor.main()
    report = json.loads(out.read_text())
    assert report["rdflib_from"] == str(national)
    assert set(report["examples"]) == set(FLOORS)
    assert report["examples"]["dokumen-ringkasan"]["allowed_s"] == pytest.approx(0.02)
    printed = capsys.readouterr().out
    assert "dokumen-ringkasan" in printed and f"written {out}" in printed
