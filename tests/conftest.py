"""Shared fixtures. Settings are passed in, never set through the environment."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from kinerja.catalogue.reader import Reader
from kinerja.settings import PROJECT_ROOT, Settings

SOURCES = PROJECT_ROOT / "data" / "sources"
GOLDEN = Path(__file__).parent / "golden"
SHARED = PROJECT_ROOT.parent / "shared"


def unavailable(reason: str) -> None:
    """A program a test needs is missing: a failure when the CI environment variable is set
    (.ci/run installs everything), a skip on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so it must be installed)", pytrace=False)
    pytest.skip(reason)


def write_manifest(folder: Path) -> None:
    """A MANIFEST.csv for every file in ``folder`` (for tests that make their own sources)."""
    rows = [
        (p.name, hashlib.sha256(p.read_bytes()).hexdigest(), "test fixture", "")
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != "MANIFEST.csv"
    ]
    with (folder / "MANIFEST.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file", "sha256", "origin", "description"])
        writer.writerows(rows)


def edit_source(folder: Path, name: str, old: str, new: str) -> None:
    """Change one source (its first ``old`` into ``new``) and its checksum in the manifest,
    nothing else."""
    path = folder / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    after = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = folder / "MANIFEST.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(before, after), "utf-8")


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    """A private copy of data/sources that a test may change."""
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES, folder)
    return folder


def generated_build(tmp_path: Path, scale: int, seed: int) -> tuple[Settings, Reader]:
    """Generated sources (``bench.generate``) built in ``tmp_path``, and a reader of them."""
    from bench.generate import generate
    from kinerja.build import build
    from kinerja.store import open_store

    generate(tmp_path / "sources", scale, seed=seed)
    s = Settings(data_dir=tmp_path / "sources", store_dir=tmp_path / "store")
    build(s)
    return s, Reader(open_store(s.store_dir), s.base_iri)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for the real sources with a private, empty store."""
    return Settings(data_dir=SOURCES, store_dir=tmp_path / "store")


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory) -> Settings:
    """Settings whose store holds the seed build (built once per session; read only)."""
    from kinerja.build import build

    s = Settings(data_dir=SOURCES, store_dir=tmp_path_factory.mktemp("store") / "store")
    build(s)
    return s


@pytest.fixture(scope="session")
def seed_graph() -> Graph:
    """The union of all named graphs of the seed build, in memory."""
    from kinerja.build import union
    from kinerja.ingest.pipeline import ingest

    s = Settings()
    return union(ingest(SOURCES, s.ontology_dir, s.base_iri))
