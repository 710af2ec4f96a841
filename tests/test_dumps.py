"""The whole dataset's downloads: written once per build into its ``dumps`` folder, then
sent from that file (kinerja.dumps)."""

from __future__ import annotations

import shutil
import threading

import pytest
from fastapi.testclient import TestClient

from kinerja.build import build
from kinerja.settings import Settings
from kinerja.store import DUMPS, current_path, export, open_store, replacing
from server.app import create_app
from tests.conftest import SOURCES, edit_source

BANGKA = "000_0724a4aaa7b32400.txt"


@pytest.fixture
def settings(tmp_path) -> Settings:
    data = tmp_path / "sources"
    shutil.copytree(SOURCES, data)
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    return s


def _folder(settings: Settings):
    return current_path(settings.store_dir).resolve() / DUMPS


def test_a_build_starts_with_an_empty_dumps_folder(settings):
    assert _folder(settings).is_dir()
    assert list(_folder(settings).iterdir()) == []


def test_the_whole_dump_is_written_once_then_sent_from_its_file(settings):
    expected = export(open_store(settings.store_dir), "nquads")
    with TestClient(create_app(settings)) as client:
        first = client.get("/data/kinerja.nq")
        assert first.status_code == 200
        assert first.content == expected
        written = _folder(settings) / "kinerja.nquads"
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
    assert [p.name for p in _folder(settings).iterdir()] == ["kinerja.nquads"]


def test_a_download_can_be_resumed_by_range(settings):
    expected = export(open_store(settings.store_dir), "turtle")
    with TestClient(create_app(settings)) as client:
        r = client.get("/data/kinerja.ttl", headers={"Range": "bytes=1000-1999"})
    assert r.status_code == 206
    assert r.content == expected[1000:2000]
    assert r.headers["content-range"] == f"bytes 1000-1999/{len(expected)}"
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"


def test_requests_at_once_all_get_the_whole_file(settings):
    bodies: list[bytes] = []
    with TestClient(create_app(settings)) as client:
        def fetch():
            bodies.append(client.get("/data/kinerja.jsonld").content)

        threads = [threading.Thread(target=fetch) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(bodies) == 4 and len(set(bodies)) == 1
    assert bodies[0] == export(open_store(settings.store_dir), "jsonld")
    assert [p.name for p in _folder(settings).iterdir()] == ["kinerja.jsonld"]


def test_a_new_build_serves_its_own_dump(settings):
    with TestClient(create_app(settings)) as client:
        old = client.get("/data/kinerja.nq").content
    edit_source(settings.data_dir, BANGKA, "hak remisi\t99%", "hak remisi\t98%")
    build(settings)
    assert list(_folder(settings).iterdir()) == []  # nothing carried over
    with TestClient(create_app(settings)) as client:
        new = client.get("/data/kinerja.nq").content
    assert new == export(open_store(settings.store_dir), "nquads")
    assert b'"99%"' in old and b'"99%"' not in new
    assert b'"98%"' in new and b'"98%"' not in old


def test_without_the_builds_folder_the_files_go_to_a_temporary_one(settings):
    build_dir = current_path(settings.store_dir).resolve()
    shutil.rmtree(build_dir / DUMPS)  # as a build made before builds had the folder
    with TestClient(create_app(settings)) as client:
        r = client.get("/data/kinerja.nq")
        temporary = client.app.state.dumps.folder
        assert (temporary / "kinerja.nquads").is_file()
    assert r.content == export(open_store(settings.store_dir), "nquads")
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
