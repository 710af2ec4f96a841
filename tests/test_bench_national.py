"""bench/national.py: its document moves for the incremental steps (what it removes and
puts back leaves the folder as it was, and the build's reader accepts the folder in
between), and the catalogue pages it measures, which it picks from the data."""

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
def test_the_pages_it_measures_answer_on_a_served_build(tmp_path):
    s, reader = generated_build(tmp_path, 1, seed=1)
    proc, base, _cold = national.serve(s.data_dir, s.store_dir)
    try:
        measured = national.pages(base, s.store_dir, runs=1)  # exits unless each is a 200
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
    picked = measured["grid (most stated concept)"]["url"]
    assert picked == "/banding/" + top["c"].text[len(s.base_iri + "id/"):]
