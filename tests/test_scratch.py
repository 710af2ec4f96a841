"""Temporary folders: what a killed process leaves goes when the next folder of its kind is
made there; a folder still in use, in this process or another, stays."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kinerja import scratch
from kinerja.dumps import Dumps
from kinerja.scratch import LOCK, ScratchFolder, remove_left_behind
from kinerja.settings import PROJECT_ROOT

pytestmark = pytest.mark.skipif(scratch.fcntl is None, reason="no flock here")

HOLD = textwrap.dedent("""\
    import sys, time
    from pathlib import Path
    {make}
    print(folder, flush=True)
    time.sleep(600)
""")


def hold(
    near: Path,
    make: str = "held = ScratchFolder('kinerja-test-', Path(sys.argv[1])); folder = held.path",
    imports: str = "from kinerja.scratch import ScratchFolder",
) -> tuple[subprocess.Popen, Path]:
    """A process that makes a folder in ``near`` and keeps it (``held``); and the folder."""
    code = imports + "\n" + HOLD.format(make=make)
    process = subprocess.Popen([sys.executable, "-c", code, str(near)], cwd=PROJECT_ROOT,
                               stdout=subprocess.PIPE, text=True)
    folder = Path(process.stdout.readline().strip())
    process.stdout.close()
    assert folder.parent == near and folder.is_dir(), "the process made no folder"
    return process, folder


def aged(folder: Path) -> None:
    """Past the settling time, as a folder left long ago would be."""
    past = time.time() - scratch.SETTLING - 5
    os.utime(folder, (past, past))


def test_a_killed_process_leaves_a_folder_the_next_one_removes(tmp_path):
    process, left = hold(tmp_path)
    (left / "merge.nt").write_bytes(b"x" * 1000)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert left.is_dir()
    aged(left)
    with ScratchFolder("kinerja-test-", tmp_path) as made:
        assert not left.exists()
        assert made.is_dir() and (made / LOCK).is_file()
    assert not made.exists()
    assert list(tmp_path.iterdir()) == []


def test_folders_in_use_stay(tmp_path):
    process, elsewhere = hold(tmp_path)  # another process's
    try:
        mine = ScratchFolder("kinerja-test-", tmp_path)  # this process's, a second one
        for folder in (elsewhere, mine.path):
            aged(folder)
        with ScratchFolder("kinerja-test-", tmp_path):
            assert elsewhere.is_dir() and mine.path.is_dir()
        assert remove_left_behind("kinerja-test-", tmp_path) == []
        mine.remove()
        assert sorted(tmp_path.iterdir()) == [elsewhere]
    finally:
        process.kill()
        process.wait()
    aged(elsewhere)
    assert remove_left_behind("kinerja-test-", tmp_path) == [elsewhere]
    assert list(tmp_path.iterdir()) == []


def test_without_locks_a_folder_is_never_taken_for_one_left_behind(tmp_path, monkeypatch):
    """On a file system without locks the folder is made all the same, with no lock file,
    and no later sweep removes it."""
    def refused(_file, _operation):
        raise OSError(37, "No locks available")

    with monkeypatch.context() as m:
        m.setattr(scratch.fcntl, "flock", refused)
        unlocked = ScratchFolder("kinerja-test-", tmp_path)
    assert unlocked.path.is_dir() and not (unlocked.path / LOCK).exists()
    aged(unlocked.path)
    assert remove_left_behind("kinerja-test-", tmp_path) == []
    unlocked.remove()
    assert list(tmp_path.iterdir()) == []


def test_a_free_folder_is_left_while_it_may_be_being_made_or_is_not_ours(tmp_path):
    process, young = hold(tmp_path)
    process.kill()
    process.wait()
    foreign = tmp_path / "kinerja-test-foreign"  # no lock file: not made here
    foreign.mkdir()
    aged(foreign)
    other = tmp_path / "other-kind"
    other.mkdir()
    aged(other)
    assert remove_left_behind("kinerja-test-", tmp_path) == []  # young: may be being made
    aged(young)
    assert remove_left_behind("kinerja-test-", tmp_path) == [young]
    assert sorted(tmp_path.iterdir()) == [foreign, other]


def test_the_downloads_folder_of_a_killed_server_goes_at_the_next_start(tmp_path):
    """A remote store's downloads are written in a temporary folder beside the store; a
    server killed while it ran leaves that folder, and the next server removes it."""
    process, left = hold(
        tmp_path,
        make="held = Dumps(ox.Store(), keep=False, near=Path(sys.argv[1])); folder = held.folder",
        imports="import pyoxigraph as ox\nfrom kinerja.dumps import Dumps",
    )
    assert left.parent == tmp_path and left.name.startswith("kinerja-dumps-")
    process.send_signal(signal.SIGKILL)
    process.wait()
    aged(left)
    dumps = Dumps(ox.Store(), keep=False, near=tmp_path)
    try:
        assert sorted(tmp_path.iterdir()) == [dumps.folder]
    finally:
        dumps.close()
    assert list(tmp_path.iterdir()) == []
