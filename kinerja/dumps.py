"""Files of the whole dataset, one per export format, written once per build.

Made in the request, the whole national benchmark graph's N-Quads (scale 2,422: 1.8 GB)
took 78 s and 6 GiB of the server's memory, for every download. Now the first request for
a format writes its file, one graph at a time (``store.export_to``), and every later one is
sent from it. A build is never changed once it is current, so its files stay right for as
long as it is served: they are kept in the build's own ``dumps`` folder, which every build
has from the start (the server adds no folder to a build: the age of a build's folder
decides which builds are kept), and go when the build goes.

Where that folder cannot be used (a build made before it existed, a store the server may
not write, a remote store, which may change under the server) the files go to a temporary
folder of the process, removed when it stops.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pyoxigraph as ox

from kinerja.errors import StoreError
from kinerja.store import DUMPS, EXPORT_FORMATS, export_to, replacing


class Dumps:
    """The whole dataset of ``store`` in each export format, as files in ``folder`` (None:
    a temporary folder of its own, removed by ``close``)."""

    def __init__(self, store: ox.Store, folder: Path | None = None):
        self.store = store
        self.temporary = folder is None
        self.folder = Path(tempfile.mkdtemp(prefix="kinerja-dumps-")) if folder is None \
            else folder
        self._locks = {fmt: threading.Lock() for fmt in EXPORT_FORMATS}

    def path(self, fmt: str) -> Path:
        """The file of the whole dataset in ``fmt`` (a key of ``EXPORT_FORMATS``), written
        now if it is not there yet; a second request for it waits for the first."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"no export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
        target = self.folder / f"kinerja.{fmt}"
        with self._locks[fmt]:
            if not target.is_file():
                try:
                    with replacing(target) as f:
                        export_to(self.store, fmt, f)
                except OSError as e:
                    raise StoreError(f"cannot write the {fmt} file of the dataset to "
                                     f"{target}: {e.strerror or e}") from None
        return target

    def close(self) -> None:
        if self.temporary:
            shutil.rmtree(self.folder, ignore_errors=True)


def build_folder(build_dir: Path) -> Path | None:
    """The ``dumps`` folder of the build in ``build_dir``, if this process may write it."""
    folder = Path(build_dir) / DUMPS
    return folder if folder.is_dir() and os.access(folder, os.W_OK | os.X_OK) else None
