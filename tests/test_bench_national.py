"""bench/national.py: its document moves for the incremental steps (what it removes and
puts back leaves the folder as it was, and the build's reader accepts the folder in
between), and the catalogue pages and example queries it measures, with what it picks
from the data."""

from __future__ import annotations

import signal

import pytest

from bench import national
from bench.generate import MANIFEST, generate
from bench.national import put_back, remove_last
from kinerja.ingest.sources import load_sources
from tests.conftest import generated_build


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_removing_the_last_document_and_putting_it_back_restores_the_folder(tmp_path):
    generate(tmp_path, 2, seed=0)
    before = snapshot(tmp_path)
    last = sorted(n for n in before if n.endswith(".txt"))[-1]
    removed = remove_last(tmp_path)
    assert removed[0] == last
    assert not (tmp_path / last).exists()
    assert [s.name for s in load_sources(tmp_path)] == sorted(
        n for n in before if n.endswith(".txt") and n != last
    )
    assert last not in (tmp_path / MANIFEST).read_text(encoding="utf-8")
    put_back(tmp_path, removed)
    assert snapshot(tmp_path) == before


@pytest.mark.slow
def test_the_pages_and_queries_it_measures_answer_on_a_served_build(tmp_path):
    s, reader = generated_build(tmp_path, 1, seed=1)
    picked = national.picks(s.store_dir)
    chosen = national.example_values(picked)
    proc, base, _cold = national.serve(s.data_dir, s.store_dir)
    try:
        measured = national.pages(base, picked, runs=1)  # exits unless each is a 200
        answered = national.queries(base, s.store_dir, 1, chosen)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert {"grid (most stated concept)", "grid (largest program)",
            "listing of a concept's targets", "listing sorted by its facet"} <= set(measured)
    assert all(m["median_ms"] > 0 for m in measured.values())
    [top] = reader.select(
        "SELECT ?c (COUNT(?t) AS ?n) WHERE { ?t kin:indicator/kin:concept ?c } "
        "GROUP BY ?c ORDER BY DESC(?n) ?c LIMIT 1"
    )
    assert measured["grid (most stated concept)"]["url"] == (
        "/banding/" + top["c"].text[len(s.base_iri + "id/"):])

    # the trace query runs on the picked indicator, which is in the data and has legal
    # bases: the default of the example (an indicator of the seeds) is not in generated data
    trace = answered["jejak-dasar-hukum"]
    assert trace["params"]["indikator"] == s.base_iri + "id/" + picked["indicator"]
    assert trace["rows"] > 0
    [(bases,)] = [(r["n"].text,) for r in reader.select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ <{trace['params']['indikator']}> "
        "kin:goal/kin:inDocument/eli:based_on ?b }")]
    assert trace["rows"] >= int(bases) > 0
    assert measured["trace"]["url"] == "/jejak/" + picked["indicator"]
    # and the office's indicators for a year, on the office and year of that decree
    assert answered["indikator-kantor-tahun"]["params"] == {
        "kantor": picked["office"], "tahun": picked["year"]}
    assert answered["indikator-kantor-tahun"]["rows"] > 0
    assert set(answered) == set(chosen)
    assert all(isinstance(q["rows"], int) and q["endpoint"]["median_ms"] > 0
               for q in answered.values())
