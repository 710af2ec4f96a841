"""bench/national.py's document moves for the incremental steps: what it removes and puts
back leaves the folder as it was, and the build's reader accepts the folder in between."""

from __future__ import annotations

from bench.generate import MANIFEST, generate
from bench.national import put_back, remove_last
from kinerja.ingest.sources import load_sources


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
