"""Files of the whole dataset, one per export format, written once per build.

Made in the request, the whole national benchmark graph's N-Quads (scale 2,422: 1.8 GB)
took 81 s and raised the server to 6.0 GiB, for every download. Now the first request for
a format writes its file, one graph at a time (``store.export_to``), and every later one is
sent from it. A build is never changed once it is current, so its files stay right for as
long as it is served: they are kept in the build's own ``dumps`` folder, which every build
has from the start (the server adds no folder to a build: the age of a build's folder
decides which builds are kept), and go when the build goes.

Where that folder cannot be used (a build made before it existed, a store the server may
not write) the files go to a temporary folder of the process, removed when it stops. A
remote store may change under the server: there each request has a file of its own,
written for it and removed once sent.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from pathlib import Path

import pyoxigraph as ox

from kinerja.errors import StoreError
from kinerja.scratch import ScratchFolder
from kinerja.store import DUMPS, EXPORT_FORMATS, export_to, replacing


class Dumps:
    """The whole dataset of ``store`` in each export format, as files.

    ``folder``: where the files go; None: a temporary folder of their own, made in ``near``
    if that is a folder this process may write (a national graph's N-Quads are 1.8 GB,
    too much for a ``/tmp`` held in memory), removed by ``close``, or else, if the process
    is killed, by the next one that makes such a folder there (``kinerja.scratch``).
    ``keep``: a file, once written, is sent for every later request; else (a remote
    store, whose data may change under the server) each request has a file of its own,
    which the caller removes once sent."""

    def __init__(self, store: ox.Store, folder: Path | None = None, *, keep: bool = True,
                 near: Path | None = None):
        self.store = store
        self.keep = keep
        self._scratch = None
        if folder is None:
            near = near if near is not None and _writable(near) else None
            self._scratch = ScratchFolder("kinerja-dumps-", near)
            folder = self._scratch.path
        self.folder = folder
        self._locks = {fmt: threading.Lock() for fmt in EXPORT_FORMATS}
        _remove_abandoned(folder)

    def path(self, fmt: str) -> Path:
        """The file of the whole dataset in ``fmt`` (a key of ``EXPORT_FORMATS``), written
        now if it is not there yet (or, not kept, always); a second request for a kept
        file waits for the first to write it."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"no export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
        if not self.keep:
            target = self.folder / f"kinerja.{fmt}.{uuid.uuid4().hex[:12]}"
            self._write(fmt, target)
            return target
        target = self.folder / f"kinerja.{fmt}"
        with self._locks[fmt]:
            if not target.is_file():
                self._write(fmt, target)
        return target

    def _write(self, fmt: str, target: Path) -> None:
        try:
            with replacing(target) as f:
                export_to(self.store, fmt, f, work_dir=self.folder)
        except OSError as e:
            raise StoreError(f"cannot write the {fmt} file of the dataset to {target}: "
                             f"{e.strerror or e}") from None

    def close(self) -> None:
        if self._scratch is not None:
            self._scratch.remove()


def build_folder(build_dir: Path) -> Path | None:
    """The ``dumps`` folder of the build in ``build_dir``, if this process may write it."""
    folder = Path(build_dir) / DUMPS
    return folder if folder.is_dir() and _writable(folder) else None


def _writable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


ABANDONED_AFTER = 3600.0  # seconds; writing the national benchmark's N-Quads takes 43


def _remove_abandoned(folder: Path) -> None:
    """Remove what a server stopped while writing left (``replacing`` names it
    ``.<name>.<id>.tmp``), once old enough not to be another server's file in progress."""
    now = time.time()
    for left in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if now - left.stat().st_mtime > ABANDONED_AFTER:
                left.unlink()
