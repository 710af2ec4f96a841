"""The whole dataset's downloads: written once per build into its ``dumps`` folder, then
sent from that file (kinerja.dumps)."""

from __future__ import annotations

import errno
import os
import shutil
import threading
import time

import pytest
from fastapi.testclient import TestClient

from kinerja import dumps
from kinerja.build import build
from kinerja.settings import Settings
from kinerja.store import DUMPS, current_path, export, export_to, open_store, replacing
from server.app import create_app
from tests.conftest import edit_source
from tests.test_incremental import BANGKA


@pytest.fixture
def built(tmp_path, sources_copy) -> Settings:
    """Settings of a store of the seeds of its own, built with its sources' copy."""
    s = Settings(data_dir=sources_copy, store_dir=tmp_path / "store")
    build(s)
    return s


def _folder(settings: Settings):
    return current_path(settings.store_dir).resolve() / DUMPS


def _expected(settings: Settings, fmt: str) -> bytes:
    """The export of the store's current build in ``fmt``."""
    return export(open_store(settings.store_dir), fmt)


def test_a_build_starts_with_an_empty_dumps_folder(built):
    assert _folder(built).is_dir()
    assert list(_folder(built).iterdir()) == []


def test_the_whole_dump_is_written_once_then_sent_from_its_file(built):
    expected = _expected(built, "nquads")
    with TestClient(create_app(built)) as client:
        first = client.get("/data/kinerja.nq")
        assert first.status_code == 200
        assert first.content == expected
        written = _folder(built) / "kinerja.nquads"
        assert written.read_bytes() == expected
        before = written.stat()
        second = client.get("/data/kinerja.nq")
        assert second.content == expected
        after = written.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert first.headers["content-type"] == "application/n-quads"
    assert first.headers["content-length"] == str(len(expected))
    assert first.headers["content-disposition"] == 'attachment; filename="kinerja.nq"'
    assert first.headers["etag"] == second.headers["etag"]
    assert [p.name for p in _folder(built).iterdir()] == ["kinerja.nquads"]


def test_a_download_can_be_resumed_by_range(built):
    expected = _expected(built, "turtle")
    with TestClient(create_app(built)) as client:
        r = client.get("/data/kinerja.ttl", headers={"Range": "bytes=1000-1999"})
        same = client.get("/data/kinerja.ttl", headers={
            "Range": "bytes=1000-1999", "If-Range": r.headers["etag"]})
        other = client.get("/data/kinerja.ttl", headers={
            "Range": "bytes=1000-1999", "If-Range": '"of-another-build"'})
    assert same.status_code == 206 and same.content == r.content
    assert other.status_code == 200 and other.content == expected  # the whole file again
    assert r.status_code == 206
    assert r.content == expected[1000:2000]
    assert r.headers["content-range"] == f"bytes 1000-1999/{len(expected)}"
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"


def test_requests_at_once_wait_for_one_write(built, monkeypatch):
    calls = []

    def slow_export(*args, **kwargs):  # the real export, slowed so that requests overlap
        calls.append(args[1])
        time.sleep(0.5)
        export_to(*args, **kwargs)

    monkeypatch.setattr(dumps, "export_to", slow_export)
    bodies: list[bytes] = []
    with TestClient(create_app(built)) as client:
        def fetch():
            bodies.append(client.get("/data/kinerja.jsonld").content)

        threads = [threading.Thread(target=fetch) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert calls == ["jsonld"]
    assert len(bodies) == 4 and len(set(bodies)) == 1
    assert bodies[0] == _expected(built, "jsonld")
    assert [p.name for p in _folder(built).iterdir()] == ["kinerja.jsonld"]


def test_head_answers_with_the_size_and_no_body(built):
    with TestClient(create_app(built)) as client:
        r = client.head("/data/kinerja.nq")
    assert r.status_code == 200 and r.content == b""
    size = len(_expected(built, "nquads"))
    assert r.headers["content-length"] == str(size)


def test_a_failed_write_answers_500_leaves_nothing_and_is_tried_again(built, monkeypatch,
                                                                       caplog):
    def full_disk(store, fmt, output, graph=None, work_dir=None):
        output.write(b"<a> <b> <c> <d> .\n")
        raise OSError(errno.ENOSPC, "No space left on device")

    with TestClient(create_app(built), raise_server_exceptions=False) as client:
        monkeypatch.setattr(dumps, "export_to", full_disk)
        r = client.get("/data/kinerja.nq")
        assert r.status_code == 500
        assert list(_folder(built).iterdir()) == []
        assert f"to {_folder(built) / 'kinerja.nquads'}: No space left" in caplog.text
        monkeypatch.setattr(dumps, "export_to", export_to)
        again = client.get("/data/kinerja.nq")
    assert again.status_code == 200
    assert again.content == _expected(built, "nquads")


def test_files_not_kept_are_written_for_each_request(built):
    store = open_store(built.store_dir)
    files = dumps.Dumps(store, keep=False, near=built.store_dir)
    try:
        assert files.folder.parent == built.store_dir
        first, second = files.path("turtle"), files.path("turtle")
        assert first != second
        assert first.read_bytes() == second.read_bytes() == export(store, "turtle")
    finally:
        files.close()
    assert not files.folder.exists()


def test_what_a_stopped_write_left_is_removed_once_old(tmp_path):
    old, fresh = tmp_path / ".kinerja.nquads.0123.tmp", tmp_path / ".kinerja.trig.4567.tmp"
    for left in (old, fresh):
        left.write_bytes(b"part of it")
    hours_ago = time.time() - 2 * dumps.ABANDONED_AFTER
    os.utime(old, (hours_ago, hours_ago))
    dumps.Dumps(None, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [fresh.name]


def test_a_new_build_serves_its_own_dump(built):
    with TestClient(create_app(built)) as client:
        old = client.get("/data/kinerja.nq").content
    edit_source(built.data_dir, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
    build(built)
    assert list(_folder(built).iterdir()) == []  # nothing carried over
    with TestClient(create_app(built)) as client:
        new = client.get("/data/kinerja.nq").content
    assert new == _expected(built, "nquads")
    assert b'"99%"' in old and b'"99%"' not in new
    assert b'"98%"' in new and b'"98%"' not in old


def test_without_the_builds_folder_the_files_go_to_a_temporary_one(built):
    build_dir = current_path(built.store_dir).resolve()
    shutil.rmtree(build_dir / DUMPS)  # as a build made before builds had the folder
    with TestClient(create_app(built)) as client:
        r = client.get("/data/kinerja.nq")
        temporary = client.app.state.dumps.folder
        assert (temporary / "kinerja.nquads").is_file()
    assert r.content == _expected(built, "nquads")
    assert not (build_dir / DUMPS).exists()  # the server adds nothing to a build
    assert not temporary.exists()  # removed when the server stopped


def test_a_failed_write_leaves_no_file(tmp_path):
    target = tmp_path / "kinerja.nquads"
    target.write_bytes(b"old\n")
    with pytest.raises(RuntimeError), replacing(target) as f:
        f.write(b"half of it")
        raise RuntimeError("the export failed")
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kinerja.nquads"]
