"""Bad sources stop the build, say where and what was expected, and never touch the store.

Each case changes a private copy of the seeds (fixture ``sources_copy``), re-signs it with
``write_manifest`` (unless the case is about the manifest) and runs the real
:func:`kinerja.build.build`. The expected line is computed from the text the case changed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kinerja.build import build
from kinerja.errors import SourceError, ValidationFailed
from kinerja.ingest.pipeline import ingest, named_ntriples
from kinerja.settings import Settings
from kinerja.store import BUILDS, current_path, export, open_store, write_store
from tests.conftest import SOURCES, write_manifest

BABEL = "000_0724a4aaa7b32400.txt"  # kanwil-iku-list, Bangka Belitung 2023
DECREE = "002_9c54d10a95a91ac4.txt"  # kanwil-decree, Kalimantan Barat 2024


# --- making bad sources ------------------------------------------------------------------
def lines_of(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").split("\n")


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_bytes("\n".join(lines).encode("utf-8"))


def edit(folder: Path, name: str, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` on the first line holding ``old``; that line's number."""
    path = folder / name
    lines = lines_of(path)
    index = next((i for i, line in enumerate(lines) if old in line), None)
    assert index is not None, f"{old!r} is not in {name}"
    lines[index] = lines[index].replace(old, new, 1)
    write_lines(path, lines)
    return index + 1


def edit_bytes(folder: Path, name: str, anchor: bytes, insert: bytes) -> int:
    """Insert raw bytes after ``anchor``; the number of the line that now holds them."""
    path = folder / name
    data = path.read_bytes()
    at = data.index(anchor) + len(anchor)
    path.write_bytes(data[:at] + insert + data[at:])
    return data[:at].count(b"\n") + 1


def line_holding(folder: Path, name: str, text: str) -> int:
    return next(i for i, line in enumerate(lines_of(folder / name), start=1) if text in line)


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Path], tuple[str, int]]  # changes the folder; (file, expected line)
    reason: tuple[str, ...]  # words the reason must contain: what was expected
    sign: bool = True  # re-write MANIFEST.csv after the change


def _blank_target(folder):
    return BABEL, edit(folder, BABEL, "\t3,1 Indeks", "\t")


def _target_tinggi(folder):
    return BABEL, edit(folder, BABEL, "\t88 %", "\ttinggi")


def _target_tinggi_decree(folder):
    return DECREE, edit(folder, DECREE, "\t83 Indeks", "\ttinggi")


def _target_unknown_unit(folder):
    return DECREE, edit(folder, DECREE, "\t20 Orang", "\t20 kg")


def _three_cells(folder):
    # drop the indicator cell of sasaran 2: No | Sasaran | Target
    old = "\tPersentase penyelesaian permohonan layanan administrasi hukum umum yang tepat waktu "
    old += "dan berkepastian hukum"
    return BABEL, edit(folder, BABEL, old, "")


def _missing_target_decree(folder):
    return DECREE, edit(folder, DECREE, "sesuai dengan standar\t85 %", "sesuai dengan standar\t")


def _indicator_without_target(folder):
    # a second indicator of sasaran 5 that is not a continuation: it needs its own target
    return BABEL, edit(folder, BABEL, "Hak Asasi Manusia\t20 %", "Hak Asasi Manusia\t")


def _sasaran_twice(folder):
    return BABEL, edit(
        folder, BABEL, "3\tTerwujudnya Otoritas Pusat", "2\tTerwujudnya Otoritas Pusat"
    )


def _decree_without_number_line(folder):
    path = folder / DECREE
    lines = [line for line in lines_of(path) if not line.startswith("**NOMOR:")]
    write_lines(path, lines)
    return DECREE, line_holding(folder, DECREE, "TENTANG**")


def _decree_number_blank(folder):
    return DECREE, edit(folder, DECREE, "**NOMOR: W.16.PR.01.01-2524 TAHUN", "**NOMOR: TAHUN")


def _legal_basis_without_number(folder):
    return DECREE, edit(
        folder, DECREE, "Peraturan Presiden Nomor 18 Tahun 2020", "Peraturan Presiden"
    )


def _impossible_date(folder):
    return DECREE, edit(
        folder, DECREE, "Pada tanggal 05 Maret 2024", "Pada tanggal 31 Februari 2024"
    )


def _unknown_province(folder):
    return BABEL, edit(
        folder, BABEL, "KANTOR WILAYAH KEPULAUAN BANGKA BELITUNG  ", "KANTOR WILAYAH ATLANTIS"
    )


def _no_title(folder):
    """The title moved to the end: the items follow the contacts."""
    path = folder / BABEL
    lines = lines_of(path)
    first = next(i for i, x in enumerate(lines) if x.startswith("**INDIKATOR KINERJA"))
    items = next(i for i, x in enumerate(lines) if x.startswith("1. Unit Organisasi"))
    write_lines(path, lines[:first] + lines[items:] + lines[first:items])
    return BABEL, first + 1  # the items now start where the title did


def _stray_text(folder):
    path = folder / BABEL
    lines = [*lines_of(path), "", "Catatan: angka target dapat berubah"]
    write_lines(path, lines)
    return BABEL, len(lines)


def _nul_bytes(folder):
    return BABEL, edit_bytes(folder, BABEL, b"Telepon : ", b"\x00\x00")


def _binary_file(folder):
    # a PDF given where its text layer was expected: ASCII header lines, then binary
    data = b"%PDF-1.7\n1 0 obj\n<< /Length 6 >>\nstream\nx\x9c\x00\x01\x02\x03\nendstream\n"
    (folder / "003_lampiran.txt").write_bytes(data)
    return "003_lampiran.txt", _first_line_with(data, b"\x00")


def _image_file(folder):
    # a PNG: its very first byte is not UTF-8
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00"
    (folder / "003_lampiran.txt").write_bytes(data)
    return "003_lampiran.txt", _first_line_with(data, b"\x89")


def _first_line_with(data: bytes, needle: bytes) -> int:
    return next(i for i, raw in enumerate(data.split(b"\n"), start=1) if needle in raw)


def _invalid_utf8(folder):
    return BABEL, edit_bytes(folder, BABEL, b"Jalan Pulau Bangka", b" \xe9\xe9")


def _empty_file(folder):
    (folder / DECREE).write_bytes(b"")
    return DECREE, 0


def _blank_file(folder):
    (folder / DECREE).write_bytes(b"\n\n   \n\t\n")
    return DECREE, 0


def _unknown_layout(folder):
    text = "Resep Nasi Goreng\n\nBahan:\n- 2 piring nasi\n- 1 butir telur\n"
    (folder / "003_resep.txt").write_text(text, encoding="utf-8")
    return "003_resep.txt", 0


def _not_in_manifest(folder):
    shutil.copy(folder / BABEL, folder / "001_salinan.txt")
    return "001_salinan.txt", 0


def _checksum_mismatch(folder):
    edit(folder, DECREE, "Pada tanggal 05 Maret 2024", "Pada tanggal 06 Maret 2024")
    return DECREE, 0


def _listed_but_missing(folder):
    (folder / BABEL).unlink()
    return "MANIFEST.csv", line_holding(folder, "MANIFEST.csv", BABEL + ",")


CASES = [
    Case("blank-target-cell", _blank_target, ("sasaran 1 has no target cell", "expected")),
    Case(
        "target-tinggi",
        _target_tinggi,
        ("target 'tinggi' is not a number followed by a unit", "'88 %'"),
    ),
    Case("target-tinggi-decree", _target_tinggi_decree, ("'tinggi'", "a number followed by")),
    Case("target-unknown-unit", _target_unknown_unit, ("unknown unit 'kg'", "known: ")),
    Case(
        "row-with-three-cells",
        _three_cells,
        ("table row has 3 cell(s); expected 4", "Sasaran Kegiatan", "separated by tabs"),
    ),
    Case("missing-target-decree", _missing_target_decree, ("sasaran 2. has no target cell",)),
    Case(
        "indicator-without-target",
        _indicator_without_target,
        ("has no target cell; expected a target such as '88 %'",),
    ),
    Case("sasaran-number-twice", _sasaran_twice, ("sasaran number 2 appears twice",)),
    Case(
        "decree-without-number-line",
        _decree_without_number_line,
        ("expected 'NOMOR: <number> TAHUN <year>'", "found 'TENTANG'"),
    ),
    Case(
        "decree-number-blank",
        _decree_number_blank,
        ("expected 'NOMOR: <number> TAHUN <year>'", "found 'NOMOR: TAHUN 2024'"),
    ),
    Case(
        "legal-basis-without-number",
        _legal_basis_without_number,
        ("legal basis", "expected 'Nomor <number> Tahun <year>'"),
    ),
    Case("impossible-date", _impossible_date, ("'31 Februari 2024' is not a calendar date",)),
    Case("unknown-province", _unknown_province, ("unknown province 'ATLANTIS'", "expected one of")),
    Case("no-title", _no_title, ("expected the title", "before '1. Unit Organisasi'")),
    Case("stray-text", _stray_text, ("text the layout does not account for", "Catatan")),
    Case("nul-bytes", _nul_bytes, ("binary data (NUL byte); expected UTF-8 text",)),
    Case("binary-file", _binary_file, ("binary data (NUL byte); expected UTF-8 text",)),
    Case("image-file", _image_file, ("not UTF-8 text (byte 1 of the line)",)),
    Case("invalid-utf8", _invalid_utf8, ("not UTF-8 text", "expected UTF-8")),
    Case("empty-file", _empty_file, ("the file is empty; expected the text of a document",)),
    Case("blank-file", _blank_file, ("the file is empty",)),
    Case(
        "unknown-layout",
        _unknown_layout,
        ("unknown document layout; known layouts:", "kanwil-decree (", "kanwil-iku-list ("),
    ),
    Case("not-in-manifest", _not_in_manifest, ("not listed in MANIFEST.csv",), sign=False),
    Case(
        "checksum-mismatch",
        _checksum_mismatch,
        ("sha256 is ", "but MANIFEST.csv says", "never edited by hand"),
        sign=False,
    ),
    Case("listed-but-missing", _listed_but_missing, (f"lists '{BABEL}'",), sign=False),
]


def make_bad(case: Case, folder: Path) -> tuple[Path, int]:
    name, line = case.make(folder)
    if case.sign:
        write_manifest(folder)
    return folder / name, line


# --- the error ---------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_source_stops_the_build(case, sources_copy, tmp_path):
    file, line = make_bad(case, sources_copy)
    store_dir = tmp_path / "store"
    with pytest.raises(SourceError) as info:
        build(Settings(data_dir=sources_copy, store_dir=store_dir))
    e = info.value
    assert Path(e.file) == file
    assert e.line == line, f"{e.file}:{e.line}: {e.reason}"
    for words in case.reason:
        assert words in e.reason
    assert str(e) == (f"{file}:{line}: {e.reason}" if line else f"{file}: {e.reason}")
    # nothing was written: no store, not even a staging folder
    assert not current_path(store_dir).exists()
    assert not (store_dir / BUILDS).exists() or not any((store_dir / BUILDS).iterdir())


def test_every_bad_case_changed_a_file_the_seeds_build_from(tmp_path):
    """Guard for the table: each case must really change the folder it is given."""
    seed_bytes = {p.name: p.read_bytes() for p in SOURCES.iterdir()}
    for case in CASES:
        folder = tmp_path / case.id
        shutil.copytree(SOURCES, folder)
        make_bad(case, folder)
        now = {p.name: p.read_bytes() for p in folder.iterdir()}
        assert now != seed_bytes, case.id


# --- the store rule ----------------------------------------------------------------------
def snapshot(store_dir: Path) -> tuple[bytes, str, list[str]]:
    """What the store answers, which build is current, and every entry of builds/."""
    store = open_store(store_dir)
    data = export(store, "nquads")
    del store
    return data, os.readlink(current_path(store_dir)), sorted(os.listdir(store_dir / BUILDS))


@pytest.fixture(scope="module")
def previous_store(tmp_path_factory) -> Path:
    """A store holding the seed build, that the bad builds below all try to replace."""
    store_dir = tmp_path_factory.mktemp("previous") / "store"
    build(Settings(data_dir=SOURCES, store_dir=store_dir))
    return store_dir


@pytest.fixture(scope="module")
def previous_snapshot(previous_store) -> tuple[bytes, str, list[str]]:
    snap = snapshot(previous_store)
    assert snap[0].count(b"\n") > 4000
    assert [n for n in snap[2] if n.startswith(".")] == []
    return snap


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_failed_build_leaves_the_previous_store(
    case, sources_copy, previous_store, previous_snapshot
):
    make_bad(case, sources_copy)
    with pytest.raises(SourceError):
        build(Settings(data_dir=sources_copy, store_dir=previous_store))
    assert snapshot(previous_store) == previous_snapshot


EXTRA_SHAPE = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kin: <https://w3id.org/kinerja/def#> .
@prefix test: <https://example.org/kinerja-test#> .

test:TargetApprovedShape a sh:NodeShape ;
    sh:targetClass kin:Target ;
    sh:property [
        sh:path test:approvedBy ;
        sh:minCount 1 ;
        sh:message "test shape: every target needs test:approvedBy" ;
    ] .
"""


def test_build_that_fails_validation_leaves_the_previous_store(
    tmp_path, previous_store, previous_snapshot
):
    shapes_dir = tmp_path / "shapes"
    shutil.copytree(Settings().shapes_dir, shapes_dir)
    (shapes_dir / "zz_test_extra.ttl").write_text(EXTRA_SHAPE, encoding="utf-8")
    settings = Settings(data_dir=SOURCES, store_dir=previous_store, shapes_dir=shapes_dir)
    with pytest.raises(ValidationFailed) as info:
        build(settings)
    ours = [line for line in info.value.report.splitlines() if "test shape:" in line]
    assert len(ours) == 115  # one per target, and every target has one
    assert info.value.violations == 115
    # the report points into the sources: the first target of Bangka Belitung is on line 34
    assert any(line.startswith(f"{BABEL}:34: Violation: ") for line in ours)
    assert snapshot(previous_store) == previous_snapshot


def test_interrupted_write_leaves_the_previous_store(previous_store, previous_snapshot):
    """A write that fails half-way (disk full, Ctrl-C) removes its staging folder and keeps
    the current store."""
    s = Settings()
    graphs = ingest(SOURCES, s.ontology_dir, s.base_iri).graphs

    def some_then_fail():
        yield from named_ntriples(graphs[:1])
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_store(previous_store, some_then_fail())
    assert snapshot(previous_store) == previous_snapshot


def test_rebuild_replaces_the_store_and_keeps_one_previous_build(tmp_path):
    s = Settings()
    graphs = ingest(SOURCES, s.ontology_dir, s.base_iri).graphs
    store_dir = tmp_path / "store"
    first = write_store(store_dir, named_ntriples(graphs))
    small = Graph(identifier=graphs[-1].identifier)
    small += graphs[-1]
    second = write_store(store_dir, named_ntriples([small]))
    assert current_path(store_dir).resolve() == second.resolve()
    store = open_store(store_dir)
    name = ox.NamedNode(str(small.identifier))
    assert list(store.named_graphs()) == [name]
    assert sum(1 for _ in store.quads_for_pattern(None, None, None, name)) == len(small)
    del store
    third = write_store(store_dir, named_ntriples(graphs))
    builds = [p.name for p in (store_dir / BUILDS).iterdir() if not p.name.startswith(".")]
    assert sorted(builds) == sorted([second.name, third.name])
    assert not first.exists()  # moved to the trash, which the next build empties
    fourth = write_store(store_dir, named_ntriples(graphs))
    names = {p.name for p in (store_dir / BUILDS).iterdir()}
    trash = {n for n in names if n.startswith(".trash-")}
    assert len(trash) == 1  # the second build; the first, in the trash before, is gone
    assert names - trash == {third.name, fourth.name}
