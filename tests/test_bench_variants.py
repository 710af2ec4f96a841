"""bench/variants.py: it tells a rewrite that keeps the example's rows and order from one
that reorders them or changes them, and names a variant it cannot run."""

from __future__ import annotations

import json
import sys

import pyoxigraph as ox
import pytest

from bench import variants
from bench.variants import VARIANTS, compare, measure
from kinerja.examples import examples
from kinerja.store import open_store


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    from tests.conftest import generated_build

    s, _ = generated_build(tmp_path_factory.mktemp("variants"), 2, seed=11)
    return s.store_dir


def test_rows_are_compared_in_order_then_as_a_bag():
    a, b, c = ("x", "1"), ("y", None), ("z", "3")
    assert compare([a, b, c], [a, b, c]) == "same order"
    assert compare([c, a, b], [a, b, c]) == "same rows, other order"
    assert compare([a, a, b], [a, b, b]) == "different"  # a duplicate counts
    assert compare([a, b], [a, b, c]) == "different"


@pytest.mark.parametrize("example, names", [
    ("indikator-per-program", ["per-goal-first.rq"]),
    ("target-per-satuan", ["plain-grouped-by-unit.rq", "values-first.rq"]),
])
def test_the_committed_rewrites_of_aggregates_give_the_same_rows(store_dir, example, names):
    """The rewrites timed against the aggregates (docs/queries.md) answer as the example,
    row for row, in the same order."""
    found = sorted(VARIANTS.glob(f"{example}/*.rq"))
    assert [p.name for p in found] == names
    queries = measure(store_dir, example, found, runs=1, in_memory=False,
                      progress=lambda _line: None)["queries"]
    assert queries["example"]["rows"] > 1
    assert all(queries[n]["compared"] == "same order" for n in names)
    assert all(q["rows"] == queries["example"]["rows"] for q in queries.values())


def test_the_committed_variants_of_konsep_lintas_kantor(store_dir):
    found = sorted(VARIANTS.glob("konsep-lintas-kantor/*.rq"))
    assert [p.name for p in found] == ["keys-bound.rq", "keys-prefix.rq", "keys-stored.rq",
                                       "unsorted.rq"]
    lines = []
    report = measure(store_dir, "konsep-lintas-kantor", found, runs=1, in_memory=True,
                     progress=lines.append)
    queries = report["queries"]
    rows = queries["example"]["rows"]
    assert rows > 1 and queries["example"]["compared"] == "reference"
    # the rewrites of the sort key keep the order
    assert queries["keys-bound.rq"]["compared"] == "same order"
    assert queries["keys-prefix.rq"]["compared"] == "same order"
    # sorted by the stored labels, or not at all: the same rows, in whatever order results
    # (on this small graph it may happen to be the example's)
    kept = ("same order", "same rows, other order")
    assert queries["keys-stored.rq"]["compared"] in kept
    assert queries["unsorted.rq"]["compared"] in kept
    assert all(q["rows"] == rows and len(q["seconds"]) == 1 for q in queries.values())
    # rows that tie on every key of the ORDER BY come in the order the store meets them
    memory = report["in memory"]
    assert memory["compared"] in kept and memory["rows"] == rows
    assert memory["triples"] == len(list(open_store(store_dir).quads_for_pattern(
        None, None, None, ox.DefaultGraph())))
    assert len(lines) == 6 and lines[1].startswith("keys-bound.rq")


def test_a_variant_with_other_rows_or_order_is_told_apart(store_dir, tmp_path):
    body = examples()["konsep-lintas-kantor"].body
    assert "ORDER BY LCASE(?label)" in body
    reversed_ = tmp_path / "reversed.rq"
    reversed_.write_text(body.replace("ORDER BY LCASE(?label)", "ORDER BY DESC(LCASE(?label))"))
    fewer = tmp_path / "fewer.rq"
    fewer.write_text("SELECT ?konsep ?label ?kantor ?tahun ?nilai ?satuan WHERE {\n"
                     "  ?konsep skos:prefLabel ?label\n} LIMIT 1\n")
    report = measure(store_dir, "konsep-lintas-kantor", [reversed_, fewer], runs=2,
                     progress=print)
    assert report["queries"]["reversed.rq"]["compared"] == "same rows, other order"
    assert report["queries"]["fewer.rq"] | {"median_s": 0, "seconds": []} == {
        "median_s": 0, "seconds": [], "rows": 1, "compared": "different"}


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT ?x WHERE { ?x ?y }\n", "broken.rq: expected a SPARQL SELECT query: "),
    ("ASK { ?s ?p ?o }\n", "broken.rq: expected a SELECT query, got one that answers "
                           "QueryBoolean"),
    (b"\xff\xfe", "broken.rq: cannot read the variant"),
])
def test_a_variant_it_cannot_run_is_named(store_dir, tmp_path, text, expected):
    path = tmp_path / "broken.rq"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(SystemExit) as raised:
        measure(store_dir, "konsep-lintas-kantor", [path], runs=1, progress=print)
    assert str(raised.value).startswith(f"{tmp_path}/{expected}")


def test_two_variants_of_one_name_are_refused(store_dir, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.rq").write_text(examples()["konsep-lintas-kantor"].body)
    with pytest.raises(SystemExit, match=f"^{tmp_path}/b/x.rq: a second variant named x.rq "
                                         f"\\(the first: {tmp_path}/a/x.rq\\)"):
        measure(store_dir, "konsep-lintas-kantor", [tmp_path / "a" / "x.rq",
                                                    tmp_path / "b" / "x.rq"], progress=print)


def test_an_unknown_example_or_a_missing_store_is_refused(store_dir, tmp_path):
    with pytest.raises(SystemExit, match="no example query named 'nope'; there are: "):
        measure(store_dir, "nope", [], progress=print)
    with pytest.raises(SystemExit, match="no built store"):
        measure(tmp_path / "none", "konsep-lintas-kantor", [], progress=print)
    with pytest.raises(SystemExit, match="--runs must be at least 1, got 0"):
        measure(store_dir, "konsep-lintas-kantor", [], runs=0, progress=print)


def test_the_command_takes_the_committed_variants_by_default(store_dir, tmp_path, monkeypatch,
                                                             capsys):
    monkeypatch.setattr(variants, "OUT", tmp_path / "out")
    monkeypatch.setattr(sys, "argv", ["variants", "--store-dir", str(store_dir), "--runs",
                                      "1", "konsep-lintas-kantor"])
    variants.main()
    out = tmp_path / "out" / "variants-konsep-lintas-kantor.json"
    report = json.loads(out.read_text())
    assert list(report["queries"]) == ["example", "keys-bound.rq", "keys-prefix.rq",
                                       "keys-stored.rq", "unsorted.rq"]
    assert f"written {out}" in capsys.readouterr().out


def test_the_command_takes_options_between_its_files(store_dir, tmp_path, monkeypatch,
                                                     capsys):
    variant = tmp_path / "same.rq"
    variant.write_text(examples()["target-per-satuan"].body)
    out = tmp_path / "report.json"
    monkeypatch.setattr(sys, "argv", ["variants", "--store-dir", str(store_dir),
                                      "target-per-satuan", "--runs", "2", str(variant),
                                      "--out", str(out)])
    variants.main()
    report = json.loads(out.read_text())
    assert report["example"] == "target-per-satuan" and report["runs"] == 2
    assert report["queries"]["same.rq"]["compared"] == "same order"


def test_the_command_says_when_an_example_has_no_variants(store_dir, tmp_path, monkeypatch,
                                                          capsys):
    out = tmp_path / "report.json"
    monkeypatch.setattr(sys, "argv", ["variants", "--store-dir", str(store_dir), "--runs",
                                      "1", "--out", str(out), "dokumen-ringkasan"])
    assert not (VARIANTS / "dokumen-ringkasan").exists()
    variants.main()
    assert list(json.loads(out.read_text())["queries"]) == ["example"]
    printed = capsys.readouterr().out
    assert f"none in {VARIANTS / 'dokumen-ringkasan'}: the example alone" in printed
