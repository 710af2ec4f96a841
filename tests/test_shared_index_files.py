"""Builds share their SQLite index files: each build hard-links the previous build's file
and keeps the pages it changes in its own write-ahead log (``store.share_sqlite`` and
``store.log_writer``). The shared file must never change, whatever reads or writes it."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3

import pytest

from kinerja import store
from kinerja.build import build
from kinerja.errors import StoreError
from kinerja.search import Index
from kinerja.settings import Settings
from kinerja.state import STATE
from kinerja.store import (
    LISTING,
    SEARCH,
    current_path,
    in_wal_mode,
    log_writer,
    new_sqlite,
    open_sqlite_read_only,
    share_sqlite,
    wal_path,
)
from tests.conftest import SOURCES, edit_source

BANGKA = "000_0724a4aaa7b32400.txt"
INDEXES = (SEARCH, LISTING, STATE)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _file(path, rows: int = 50_000) -> None:
    with new_sqlite(path) as conn:
        conn.execute("CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT NOT NULL)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"v{i}") for i in range(rows)])


def _set(path, value: str) -> None:
    with log_writer(path) as conn:
        conn.execute("UPDATE t SET y = ? WHERE x % 1000 = 0", (value,))


def _read(path) -> tuple[int, str]:
    with contextlib.closing(open_sqlite_read_only(path)) as conn:
        return conn.execute("SELECT count(*), max(CASE WHEN x = 0 THEN y END) FROM t").fetchone()


def test_a_new_index_file_is_in_wal_mode_without_a_log(tmp_path):
    _file(tmp_path / "a.sqlite")
    assert in_wal_mode(tmp_path / "a.sqlite")
    assert not wal_path(tmp_path / "a.sqlite").exists()


def test_a_chain_of_builds_shares_one_file_each_reading_its_own_log(tmp_path):
    _file(tmp_path / "0.sqlite")
    base = _digest(tmp_path / "0.sqlite")
    for n in range(1, 5):
        previous, path = tmp_path / f"{n - 1}.sqlite", tmp_path / f"{n}.sqlite"
        assert share_sqlite(previous, path) is False
        _set(path, f"build {n}")
        assert path.samefile(tmp_path / "0.sqlite")
    assert _digest(tmp_path / "0.sqlite") == base  # never written
    assert _read(tmp_path / "0.sqlite") == (50_000, "v0")
    for n in range(1, 5):  # each build reads what it wrote, none what came after
        assert _read(tmp_path / f"{n}.sqlite") == (50_000, f"build {n}")
    assert _digest(tmp_path / "0.sqlite") == base  # nor by reading it


def test_a_write_that_fails_leaves_the_shared_file_and_the_log_as_they_were(tmp_path):
    _file(tmp_path / "0.sqlite")
    share_sqlite(tmp_path / "0.sqlite", tmp_path / "1.sqlite")
    _set(tmp_path / "1.sqlite", "first")
    base, log = _digest(tmp_path / "0.sqlite"), wal_path(tmp_path / "1.sqlite").stat().st_size
    with pytest.raises(sqlite3.IntegrityError), log_writer(tmp_path / "1.sqlite") as conn:
        conn.execute("BEGIN")
        conn.execute("UPDATE t SET y = 'second'")
        conn.execute("INSERT INTO t VALUES (1, 'twice')")
    assert _digest(tmp_path / "0.sqlite") == base
    assert _read(tmp_path / "1.sqlite") == (50_000, "first")
    assert wal_path(tmp_path / "1.sqlite").stat().st_size >= log


def test_a_writer_failing_with_a_statement_unfinished_leaves_the_shared_file(tmp_path):
    """A cursor read in part and kept alive by the traceback would leave SQLite to close the
    writer last, later, writing its log into the shared file; it is closed first."""
    _file(tmp_path / "0.sqlite")
    share_sqlite(tmp_path / "0.sqlite", tmp_path / "1.sqlite")
    _set(tmp_path / "1.sqlite", "first")
    share_sqlite(tmp_path / "1.sqlite", tmp_path / "2.sqlite")
    base = _digest(tmp_path / "0.sqlite")
    log = _digest(wal_path(tmp_path / "1.sqlite"))
    caught = None
    try:
        with log_writer(tmp_path / "2.sqlite") as conn:
            conn.execute("UPDATE t SET y = 'failed' WHERE x % 1000 = 0")
            rows = conn.execute("SELECT x FROM t")
            rows.fetchone()
            raise RuntimeError("the build failed")
    except RuntimeError as e:
        caught = e  # keeps the frame, and ``rows`` in it, alive
    assert caught is not None
    assert _digest(tmp_path / "0.sqlite") == base
    assert _digest(wal_path(tmp_path / "1.sqlite")) == log
    assert _read(tmp_path / "0.sqlite") == (50_000, "v0")
    assert _read(tmp_path / "1.sqlite") == (50_000, "first")
    del caught, rows


def test_a_log_written_into_the_file_after_all_stops_the_build(tmp_path, monkeypatch):
    """If SQLite wrote the log into the file all the same, the writer says so."""
    _file(tmp_path / "0.sqlite")
    share_sqlite(tmp_path / "0.sqlite", tmp_path / "1.sqlite")

    def remove_log(*_args):  # as SQLite does once it has written the log into the file
        wal_path(tmp_path / "1.sqlite").unlink()

    with pytest.raises(StoreError, match="its log was written into the file"), \
            log_writer(tmp_path / "1.sqlite") as conn:
        conn.execute("UPDATE t SET y = 'x' WHERE x = 0")
        monkeypatch.setattr(store._Writer, "close", remove_log)


def test_a_log_past_the_limit_is_merged_into_a_file_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "MERGE_AT", 500_000)
    _file(tmp_path / "0.sqlite")
    base = _digest(tmp_path / "0.sqlite")
    n, merged = 0, False
    while not merged:
        n += 1
        previous, path = tmp_path / f"{n - 1}.sqlite", tmp_path / f"{n}.sqlite"
        merged = share_sqlite(previous, path)
        assert merged == (wal_path(previous).exists()
                          and wal_path(previous).stat().st_size > 500_000)
        _set(path, f"build {n}")
    assert n > 2
    assert not path.samefile(tmp_path / "0.sqlite")
    assert _read(path) == (50_000, f"build {n}")
    assert _read(tmp_path / f"{n - 1}.sqlite") == (50_000, f"build {n - 1}")
    assert _digest(tmp_path / "0.sqlite") == base
    # the merged file has only this build's changes in its log
    assert wal_path(path).stat().st_size < wal_path(previous).stat().st_size


def test_a_file_not_in_wal_mode_is_copied_and_written_in_wal_mode(tmp_path):
    """An index made before builds shared them: the next build gets a copy of its own."""
    with contextlib.closing(sqlite3.connect(tmp_path / "0.sqlite")) as conn:
        conn.execute("CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT NOT NULL)")
        conn.executemany("INSERT INTO t VALUES (?, 'v')", [(i,) for i in range(6000)])
        conn.commit()
    old = _digest(tmp_path / "0.sqlite")
    assert share_sqlite(tmp_path / "0.sqlite", tmp_path / "1.sqlite") is True
    assert in_wal_mode(tmp_path / "1.sqlite")
    _set(tmp_path / "1.sqlite", "new")
    assert _digest(tmp_path / "0.sqlite") == old
    assert _read(tmp_path / "1.sqlite") == (6000, "new")


def test_a_shared_file_not_in_wal_mode_is_never_written(tmp_path):
    with contextlib.closing(sqlite3.connect(tmp_path / "0.sqlite")) as conn:
        conn.execute("CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT NOT NULL)")
    (tmp_path / "1.sqlite").hardlink_to(tmp_path / "0.sqlite")
    with pytest.raises(StoreError, match="shared with another build"), \
            log_writer(tmp_path / "1.sqlite"):
        pass
    assert not in_wal_mode(tmp_path / "0.sqlite")
    # a file of its own is put in WAL mode and written
    with contextlib.closing(sqlite3.connect(tmp_path / "2.sqlite")) as conn:
        conn.execute("CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT NOT NULL)")
    with log_writer(tmp_path / "2.sqlite") as conn:
        conn.execute("INSERT INTO t VALUES (0, 'written')")
    assert in_wal_mode(tmp_path / "2.sqlite")
    assert _read(tmp_path / "2.sqlite") == (1, "written")


def test_a_file_made_again_does_not_read_the_log_of_the_one_it_replaces(tmp_path):
    path = tmp_path / "a.sqlite"
    _file(path)
    _set(path, "logged")
    assert wal_path(path).stat().st_size > 0
    with new_sqlite(path) as conn:
        conn.execute("CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT NOT NULL)")
        conn.execute("INSERT INTO t VALUES (0, 'new')")
    assert _read(path) == (1, "new")


# --- builds ---------------------------------------------------------------------------------
@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES, folder)
    return folder


def _files(build_dir) -> dict[str, tuple[int, str, str | None]]:
    """Each index file of a build: its inode, its digest and its log's digest (None for no
    log, or an empty one, as a reader leaves)."""
    out = {}
    for name in INDEXES:
        log = wal_path(build_dir / name)
        out[name] = ((build_dir / name).stat().st_ino, _digest(build_dir / name),
                     _digest(log) if log.exists() and log.stat().st_size else None)
    return out


def test_incremental_builds_share_the_index_files_and_leave_the_previous_build_whole(
    tmp_path, data, monkeypatch
):
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    first = current_path(s.store_dir).resolve()
    before = _files(first)
    assert all(log is None for _ino, _digest, log in before.values())
    with Index(first / SEARCH) as index:
        remisi = index.search("remisi").total
        assert index.search("cuti").total == 0
    edit_source(data, BANGKA, "mendapatkan hak remisi\t", "mendapatkan hak cuti\t")
    build(s)
    second = current_path(s.store_dir).resolve()
    assert _files(first) == before  # the previous build's files are as they were
    after = _files(second)
    for name in INDEXES:
        assert after[name][0] == before[name][0]  # the same file...
        assert after[name][2] is not None  # ...read through a log of its own
    with Index(first / SEARCH) as old:
        assert (old.search("remisi").total, old.search("cuti").total) == (remisi, 0)
        # in one process, one build's copy of a shared file at a time (``store._connect``)
        with pytest.raises(StoreError, match="open in this process"):
            Index(second / SEARCH)
    with Index(second / SEARCH) as new:
        assert new.search("cuti").total > 0
    # a log past the limit: the next build merges it into a file of its own
    monkeypatch.setattr(store, "MERGE_AT", 0)
    edit_source(data, BANGKA, "mendapatkan hak cuti\t", "mendapatkan hak remisi\t")
    build(s)
    third = current_path(s.store_dir).resolve()
    assert _files(second) == after
    for name in INDEXES:
        assert (third / name).stat().st_ino != before[name][0]
    with Index(third / SEARCH) as index:
        assert (index.search("remisi").total, index.search("cuti").total) == (remisi, 0)


def test_a_failed_incremental_build_leaves_the_previous_build_whole(tmp_path, data, monkeypatch):
    """A build that fails after it wrote the search and listing logs (here: in the state)
    leaves every file of the current build as it was, and the store at that build."""
    from kinerja import state as state_module

    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    edit_source(data, BANGKA, "mendapatkan hak remisi\t", "mendapatkan hak cuti\t")
    build(s)  # the current build then has logs of its own
    current = current_path(s.store_dir).resolve()
    before = _files(current)
    assert all(log is not None for _ino, _digest, log in before.values())

    def broken(self, *_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(state_module.State, "change", broken)
    edit_source(data, BANGKA, "mendapatkan hak cuti\t", "mendapatkan hak remisi\t")
    with pytest.raises(OSError, match="disk full"):
        build(s)
    assert current_path(s.store_dir).resolve() == current
    assert _files(current) == before
    with Index(current / SEARCH) as index:
        assert index.search("cuti").total > 0
