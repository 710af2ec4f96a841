"""bench/validation.py: it validates a built store as a build does, and times each check."""

from __future__ import annotations

import pytest

from bench import validation
from kinerja.store import open_store
from kinerja.validate import checks_for, load_shapes


def test_it_validates_the_seed_build_and_times_every_check(built_settings):
    out = validation.measure(built_settings.store_dir, runs=2)
    assert len(out["runs"]) == 2 and out["median_seconds"] > 0
    assert out["results"] == 0  # the seeds conform
    compiled = checks_for(load_shapes(validation.ROOT / "shapes"))
    assert len(out["checks"]) == len(compiled)
    assert {(c["shape"], c["component"]) for c in out["checks"]} == {
        (c.shape, c.component) for c in compiled}
    seconds = [c["seconds"] for c in out["checks"]]
    assert seconds == sorted(seconds, reverse=True)
    assert out["quads"] == len(open_store(built_settings.store_dir))


def test_a_folder_without_a_build_is_named(tmp_path):
    with pytest.raises(SystemExit, match=f"{tmp_path}: no built store there"):
        validation.measure(tmp_path, runs=1)
