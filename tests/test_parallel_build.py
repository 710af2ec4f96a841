"""Full builds read sources in worker processes: same store as one process, same errors."""

from __future__ import annotations

import hashlib

import pytest

from bench.generate import generate
from kinerja.build import build
from kinerja.errors import SourceError, ValidationFailed
from kinerja.ingest.pipeline import PARALLEL_FROM
from kinerja.settings import Settings
from kinerja.store import BUILDS, export, open_store


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    stats = generate(folder, scale=5, seed=11)
    assert stats.documents >= PARALLEL_FROM  # enough to start the workers
    return folder


def _built(tmp_path, sources, name: str, workers: int) -> Settings:
    s = Settings(data_dir=sources, store_dir=tmp_path / name, build_workers=workers)
    build(s, full=True)
    return s


def _corrupt(folder, old: str, new: str) -> str:
    """Break one source (the last one that holds ``old``), keeping the manifest right."""
    path = sorted(p for p in folder.glob("*.txt") if old in p.read_text(encoding="utf-8"))[-1]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    after = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = folder / "MANIFEST.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(before, after), "utf-8")
    return path.name


def test_workers_build_the_same_store_as_one_process(tmp_path, sources):
    one = _built(tmp_path, sources, "one", 1)
    two = _built(tmp_path, sources, "two", 2)
    first = export(open_store(one.store_dir), "nquads")
    assert first == export(open_store(two.store_dir), "nquads")
    assert len(first.splitlines()) > 10_000


def test_a_source_error_in_a_worker_names_the_file_and_line(tmp_path, sources):
    import shutil

    folder = tmp_path / "broken"
    shutil.copytree(sources, folder)
    name = _corrupt(folder, "\t90%", "\tsembilan puluh")
    s = Settings(data_dir=folder, store_dir=tmp_path / "store", build_workers=2)
    with pytest.raises(SourceError) as caught:
        build(s, full=True)
    assert caught.value.file.endswith(name)
    assert caught.value.line > 0
    assert "'sembilan puluh' is not a number followed by a unit" in str(caught.value)
    assert not (tmp_path / "store" / BUILDS).exists() or not any(
        p for p in (tmp_path / "store" / BUILDS).iterdir()
    ), "a failed build leaves nothing behind"


def test_a_violation_found_in_the_staging_store_leaves_no_build(tmp_path, sources):
    import shutil

    good = _built(tmp_path, sources, "store", 2)
    before = export(open_store(good.store_dir), "nquads")
    folder = tmp_path / "invalid"
    shutil.copytree(sources, folder)
    # a count of offices that is not whole: read fine, refused by kin-sh:Target-wholeCount
    name = _corrupt(folder, "\t2 UPT", "\t2,5 UPT")
    s = Settings(data_dir=folder, store_dir=good.store_dir, build_workers=2)
    with pytest.raises(ValidationFailed) as caught:
        build(s, full=True)
    assert name in caught.value.report
    assert "must be a whole number, but it is 2.5" in caught.value.report
    assert export(open_store(good.store_dir), "nquads") == before
    assert not [p for p in (good.store_dir / BUILDS).iterdir() if p.name.startswith(".")]
