"""Temporary folders that a stopped process does not leave behind for good.

A server's temporary folders (the downloads of a remote store, the merge of its graphs
while a download is written) are large: a national merge is a few hundred megabytes, a
national N-Quads file 1.8 GB. ``tempfile`` removes them when the process ends normally,
not when it is killed. So each folder made here holds a lock file, locked (``flock``) for
as long as the folder is in use; the operating system lets go of the lock when its
process ends, however it ends. Before making a folder, the folders of the same kind in
the same place whose lock is free are removed: they were left by a process that stopped.
A folder whose lock is free but that changed in the last ``SETTLING`` seconds is left
alone, as it may be one being made, not yet locked; so is one without a lock file (made
by something else, by a version of kinerja that did not lock, or where the file system
has no locks), and one whose lock cannot be tried. Where ``flock`` does not exist
(Windows) nothing is locked and nothing is removed.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

LOCK = ".in-use"
SETTLING = 60.0  # seconds: a free folder younger than this may be one still being made


class ScratchFolder:
    """A new temporary folder ``<prefix>*`` in ``near`` (None: the system's temporary
    folder), locked while it is in use; ``remove`` (or leaving a ``with`` block) removes
    it. Folders ``<prefix>*`` in ``near`` that a stopped process left are removed first."""

    def __init__(self, prefix: str, near: Path | None = None):
        remove_left_behind(prefix, near)
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=near))
        self._lock = None
        if fcntl is None:
            return
        lock = self.path / LOCK
        try:
            self._lock = lock.open("a")
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        except OSError:  # no locks on this file system: a folder without a lock file is
            if self._lock is not None:  # never taken for one left behind
                self._lock.close()
                self._lock = None
            lock.unlink(missing_ok=True)

    def remove(self) -> None:
        if self._lock is not None:
            self._lock.close()  # first: an open file cannot be removed everywhere
            self._lock = None
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *_exc) -> None:
        self.remove()


def remove_left_behind(prefix: str, near: Path | None = None) -> list[Path]:
    """Remove the folders ``<prefix>*`` in ``near`` that no running process holds; return
    them."""
    if fcntl is None:
        return []
    folder = Path(near) if near is not None else Path(tempfile.gettempdir())
    removed = []
    for candidate in folder.glob(f"{prefix}*"):
        with contextlib.suppress(OSError):
            if candidate.is_dir() and not _in_use(candidate):
                shutil.rmtree(candidate)
                removed.append(candidate)
    return removed


def _in_use(folder: Path) -> bool:
    if time.time() - folder.stat().st_mtime < SETTLING:
        return True
    lock = folder / LOCK
    if not lock.is_file():  # not made here: whether it is in use cannot be told
        return True
    with lock.open("a") as f:  # writable: where flock is made of fcntl locks (NFS)
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False
