"""Source files as received: the manifest, checksums and decoding (kinerja.ingest.sources).

These test the module on small folders made here; tests/test_bad_input.py drives the same
rules through a whole build.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from kinerja.errors import SourceError
from kinerja.ingest.sources import MANIFEST, decode, load_sources, read_manifest, sha256_of
from tests.conftest import SOURCES, write_manifest

SEEDS = ("000_0724a4aaa7b32400.txt", "002_9c54d10a95a91ac4.txt")


def test_seed_manifest_lists_every_seed_with_its_checksum():
    sources = load_sources(SOURCES)
    assert [s.name for s in sources] == list(SEEDS)
    for s in sources:
        data = s.path.read_bytes()
        assert s.sha256 == hashlib.sha256(data).hexdigest()
        assert s.size == len(data)
        assert s.origin, f"{s.name} has no origin in {MANIFEST}"
        assert s.lines == tuple(data.decode("utf-8").split("\n"))


def test_seed_lines_are_numbered_from_one():
    decree = next(s for s in load_sources(SOURCES) if s.name == SEEDS[1])
    # line 11 of the decree, as an editor shows it
    assert decree.lines[11 - 1] == "**NOMOR: W.16.PR.01.01-2524 TAHUN 2024"


def test_sha256_of():
    assert sha256_of(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


# --- decode ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b"satu\ndua\n", ("satu", "dua", "")),
        (b"satu\r\ndua\r\n", ("satu", "dua", "")),
        (b"satu\rdua", ("satu", "dua")),
        (b"\xef\xbb\xbfsatu\ndua", ("satu", "dua")),  # a byte-order mark is not text
        ("≥ 80 %\n".encode(), ("≥ 80 %", "")),
    ],
)
def test_decode(data, lines):
    assert decode(Path("x.txt"), data) == lines


# (bytes, line of the error, words of the reason)
BAD_BYTES = [
    (b"", 0, "the file is empty"),
    (b"\n \n\t\n", 0, "the file is empty"),
    (b"satu\ndua\x00tiga\n", 2, "binary data (NUL byte); expected UTF-8 text"),
    (b"\x00\x01\x02", 1, "binary data (NUL byte)"),
    (b"satu\ndua\ntiga \xff empat\n", 3, "not UTF-8 text (byte 6 of the line)"),
    ("satu\nLatin-1 café\n".encode("latin-1"), 2, "not UTF-8 text"),
]


@pytest.mark.parametrize(("data", "line", "reason"), BAD_BYTES)
def test_decode_rejects_what_is_not_text(data, line, reason):
    with pytest.raises(SourceError) as info:
        decode(Path("doc.txt"), data)
    e = info.value
    assert (e.file, e.line) == ("doc.txt", line)
    assert reason in e.reason
    assert str(e).startswith(f"doc.txt:{line}: " if line else "doc.txt: ")


# --- the manifest ------------------------------------------------------------------------
def _folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_missing_manifest(tmp_path):
    folder = _folder(tmp_path, {"a.txt": b"teks\n"})
    with pytest.raises(SourceError) as info:
        load_sources(folder)
    assert info.value.file == str(folder / MANIFEST)
    assert info.value.line == 0
    assert "file, sha256, origin, description" in info.value.reason


def test_missing_data_folder(tmp_path):
    with pytest.raises(SourceError) as info:
        load_sources(tmp_path / "nowhere")
    assert info.value.file == str(tmp_path / "nowhere")
    assert "does not exist" in info.value.reason


def test_manifest_header_without_sha256(tmp_path):
    folder = _folder(tmp_path, {MANIFEST: b"file,origin,description\na.txt,x,y\n"})
    with pytest.raises(SourceError) as info:
        read_manifest(folder)
    assert (info.value.line, info.value.reason) == (1, "header lacks column(s) sha256")


def test_manifest_row_without_checksum_names_its_line(tmp_path):
    text = "file,sha256,origin,description\na.txt,abc,x,y\nb.txt,,x,y\n"
    folder = _folder(tmp_path, {MANIFEST: text.encode()})
    with pytest.raises(SourceError) as info:
        read_manifest(folder)
    assert info.value.line == text.splitlines().index("b.txt,,x,y") + 1
    assert "expected a file name and its sha256" in info.value.reason


def test_file_not_in_manifest(tmp_path):
    folder = _folder(tmp_path, {"a.txt": b"teks\n"})
    write_manifest(folder)
    (folder / "b.txt").write_bytes(b"lain\n")
    with pytest.raises(SourceError) as info:
        load_sources(folder)
    assert (info.value.file, info.value.line) == (str(folder / "b.txt"), 0)
    assert f"not listed in {MANIFEST}" in info.value.reason


def test_listed_file_that_is_missing_names_the_manifest_row(tmp_path):
    folder = _folder(tmp_path, {"a.txt": b"teks\n", "b.txt": b"lain\n"})
    write_manifest(folder)
    (folder / "b.txt").unlink()
    rows = (folder / MANIFEST).read_text(encoding="utf-8").splitlines()
    row_line = next(i for i, r in enumerate(rows, start=1) if r.startswith("b.txt,"))
    with pytest.raises(SourceError) as info:
        load_sources(folder)
    assert (info.value.file, info.value.line) == (str(folder / MANIFEST), row_line)
    assert "'b.txt'" in info.value.reason


def test_changed_file_fails_its_checksum(tmp_path):
    folder = _folder(tmp_path, {"a.txt": b"teks\n"})
    write_manifest(folder)
    changed = b"teks yang diubah\n"
    (folder / "a.txt").write_bytes(changed)
    with pytest.raises(SourceError) as info:
        load_sources(folder)
    e = info.value
    assert (e.file, e.line) == (str(folder / "a.txt"), 0)
    assert f"sha256 is {hashlib.sha256(changed).hexdigest()}" in e.reason
    assert "never edited by hand" in e.reason


def test_checksum_is_compared_without_case_or_padding(tmp_path):
    folder = _folder(tmp_path, {"a.txt": b"teks\n"})
    digest = hashlib.sha256(b"teks\n").hexdigest().upper()
    with (folder / MANIFEST).open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(
            [["file", "sha256", "origin", "description"], ["a.txt", f" {digest} ", "o", "d"]]
        )
    assert [s.name for s in load_sources(folder)] == ["a.txt"]


def test_hidden_files_and_readme_are_not_sources(tmp_path):
    folder = _folder(tmp_path, {"a.txt": b"teks\n"})
    write_manifest(folder)
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / "README.md").write_text("# sumber\n", encoding="utf-8")
    assert [s.name for s in load_sources(folder)] == ["a.txt"]


def test_sources_come_sorted_by_file_name(tmp_path):
    folder = _folder(tmp_path, {"b.txt": b"dua\n", "a.txt": b"satu\n", "c.txt": b"tiga\n"})
    write_manifest(folder)
    rows = (folder / MANIFEST).read_text(encoding="utf-8").splitlines()
    (folder / MANIFEST).write_text("\n".join([rows[0], *reversed(rows[1:])]) + "\n", "utf-8")
    assert [s.name for s in load_sources(folder)] == ["a.txt", "b.txt", "c.txt"]
