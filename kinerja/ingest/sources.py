"""Source files as received: the manifest, checksums, and decoding to lines.

``data/sources/MANIFEST.csv`` lists every source with its sha256 and origin. A file that
is not listed, a listed file that is missing, or a file whose bytes no longer match its
checksum stops the build: sources are never edited by hand.

An incremental build need not read every file again: given what a previous build saw of a
file (its checksum and its status: size, modification and change times, inode), a file
whose status is the same and whose manifest row gives the same checksum is taken as it was
(``Unread``). The change time is set by the system on every write and cannot be set back,
so a file that changed has another status; a status is only recorded when the file did
not change in the second before the build began reading (``status_if_settled``), so a
write during that build is never mistaken for the state that was read.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kinerja.errors import SourceError

MANIFEST = "MANIFEST.csv"
MANIFEST_COLUMNS = ("file", "sha256", "origin", "description")


@dataclass(frozen=True)
class Source:
    path: Path
    sha256: str
    origin: str
    description: str
    lines: tuple[str, ...]  # decoded text, without line ends; index 0 is line 1
    size: int = 0  # bytes

    @property
    def name(self) -> str:
        return self.path.name

    def error(self, line: int, reason: str) -> SourceError:
        return SourceError(self.path, line, reason)


@dataclass(frozen=True)
class Unread:
    """A source whose file is as a previous build read it: its text is not read again."""

    path: Path
    sha256: str
    origin: str
    description: str

    @property
    def name(self) -> str:
        return self.path.name


SETTLED_NS = 1_000_000_000  # a file changed this close before a reading is read again


def file_status(path: Path) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def status_if_settled(path: Path, reading_began_ns: int) -> list[int] | None:
    """The file's status, to recognise it by later, if it last changed well before the
    build began reading (else None: it may have changed while being read)."""
    status = file_status(path)
    return status if status[2] < reading_began_ns - SETTLED_NS else None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(data_dir: Path) -> list[dict[str, str]]:
    path = data_dir / MANIFEST
    if not path.is_file():
        raise SourceError(
            path,
            0,
            f"no {MANIFEST}: expected one row per source file with "
            f"columns {', '.join(MANIFEST_COLUMNS)}",
        )
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in MANIFEST_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SourceError(path, 1, f"header lacks column(s) {', '.join(missing)}")
        rows = []
        for row in reader:
            line = reader.line_num
            if not row.get("file") or not row.get("sha256"):
                raise SourceError(path, line, "expected a file name and its sha256")
            row["_line"] = str(line)
            rows.append(row)
    return rows


def load_sources(
    data_dir: Path, known: Mapping[str, tuple[str, list[int]]] | None = None
) -> list[Source | Unread]:
    """Every source of the manifest, checked and decoded, sorted by file name. ``known``:
    for some files, the checksum and status (``status_if_settled``) a previous build saw;
    those found the same are not read (``Unread``)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise SourceError(data_dir, 0, "the data folder does not exist")
    rows = read_manifest(data_dir)
    listed = {row["file"]: row for row in rows}
    on_disk = {
        p.name
        for p in data_dir.iterdir()
        if p.is_file()
        and p.name != MANIFEST
        and not p.name.startswith(".")
        and p.name.lower() != "readme.md"
    }
    for name in sorted(on_disk - set(listed)):
        raise SourceError(
            data_dir / name,
            0,
            f"not listed in {MANIFEST}; add a row with its sha256 and origin (kinerja add)",
        )
    sources: list[Source | Unread] = []
    for name in sorted(listed):
        row = listed[name]
        path = data_dir / name
        if not path.is_file():
            raise SourceError(
                data_dir / MANIFEST,
                int(row["_line"]),
                f"lists {name!r}, which is not in {data_dir}",
            )
        seen = (known or {}).get(name)
        if (
            seen is not None
            and seen[0] == row["sha256"].strip().lower()
            and file_status(path) == seen[1]
        ):
            origin, description = row.get("origin", ""), row.get("description", "")
            sources.append(Unread(path, seen[0], origin, description))
            continue
        sources.append(read_source(path, row))
    return sources


def read_source(path: Path, row: Mapping[str, str]) -> Source:
    """One source file, checked against its manifest row and decoded."""
    data = path.read_bytes()
    digest = sha256_of(data)
    if digest != row["sha256"].strip().lower():
        raise SourceError(
            path,
            0,
            f"sha256 is {digest}, but {MANIFEST} says "
            f"{row['sha256']}: sources are never edited by hand",
        )
    return Source(
        path,
        digest,
        row.get("origin", ""),
        row.get("description", ""),
        decode(path, data),
        len(data),
    )


def decode(path: Path, data: bytes) -> tuple[str, ...]:
    """UTF-8 text lines, or a SourceError naming the first line that is not text."""
    if not data.strip():
        raise SourceError(path, 0, "the file is empty; expected the text of a document")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        if b"\x00" not in data:
            return _lines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    # Not text: find the first line that is not, to name it.
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if b"\x00" in raw:
            raise SourceError(
                path,
                number,
                "binary data (NUL byte); expected UTF-8 text "
                "(extract the text layer of a PDF first)",
            )
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise SourceError(
                path, number, f"not UTF-8 text (byte {e.start + 1} of the line); expected UTF-8"
            ) from None
    raise AssertionError("unreachable: the whole is not UTF-8 text, so one line is not")


def _lines(text: str) -> tuple[str, ...]:
    return tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
