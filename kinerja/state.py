"""The state a build leaves for the next one: ``state.sqlite`` beside its graph.

It holds what an incremental build needs to know of the sources it does not read again
(see ``kinerja.incremental``):

- ``meta``: the version of this layout, the build's fingerprint (what the graph depends
  on besides the sources) and its totals (instances of each counted class, quads and
  triples), so that a summary of a large store needs no count over it;
- ``sources``: for every source, its sha256, its key (checksum and manifest row), the
  status of its file (to recognise it unread; NULL if not vouched for), its named graph
  and the number of triples in it (for the dataset's VoID description);
- ``mentions``: every mention of a shared concept (program or indicator concept) by a
  source, with its line and wording; the shared concept graph is made from them;
- ``strings``: the IRIs and wordings of the mentions, each stored once (a national graph
  has hundreds of thousands of mentions of a few thousand concepts).

A one-document build shares the file with the previous build (``store.share_sqlite``) and
changes the rows of that document through its own log: reading and
writing the whole state as JSON took about 1.4 s of such a build at 5.5 million triples,
and grows with the store. Reading the rows of the concepts a change mentions is a lookup
in an index on the mentioned IRI.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from kinerja.ingest.mapping import MentionRow
from kinerja.store import log_writer, new_sqlite, open_sqlite_read_only

STATE = "state.sqlite"
VERSION = 5  # 5: triples per source; 4: rows in SQLite (3 and before: state.json)
KINDS = ("programs", "concepts")  # the kinds of mention, numbered 0 and 1 in the file

SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE strings (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL,
    key TEXT NOT NULL, status TEXT, graph TEXT NOT NULL, triples INTEGER NOT NULL
);
CREATE TABLE mentions (
    source INTEGER NOT NULL, kind INTEGER NOT NULL, iri INTEGER NOT NULL,
    line INTEGER NOT NULL, text INTEGER NOT NULL
);
CREATE INDEX mentions_by_iri ON mentions (iri, kind);
CREATE INDEX mentions_by_source ON mentions (source);
"""
CHUNK = 500  # parameters per IN (...) list, under SQLite's limit


class State:
    """The state of one build, read from its ``state.sqlite`` (``open``), or the next
    build's own copy of it being changed (``writable``)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        meta = dict(conn.execute("SELECT name, value FROM meta"))
        self.fingerprint: str = meta["fingerprint"]
        self.totals: dict[str, int] = json.loads(meta["totals"])
        # texts the builds since the last sweep wrote (see ``incremental.texts_to_sweep``)
        self.unswept = int(meta.get("unswept", 0))

    @classmethod
    def open(cls, build_dir: Path) -> State | None:
        """The state of the build in ``build_dir``; None if it has none, or one of another
        version or unreadable (the next build is then a full one)."""
        path = Path(build_dir) / STATE
        if not path.is_file():
            return None
        conn = open_sqlite_read_only(path)
        try:
            version = conn.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
            if version is not None and version[0] == str(VERSION):
                return cls(conn)
        except (sqlite3.DatabaseError, KeyError, ValueError):
            pass
        conn.close()
        return None

    @classmethod
    @contextlib.contextmanager
    def writable(cls, path: Path) -> Iterator[State]:
        """The state at ``path``, a staging build's own (see ``store.share_sqlite``), to be
        changed for that build; a change that fails is rolled back."""
        with log_writer(path) as conn:
            yield cls(conn)

    def close(self) -> None:
        self.conn.close()

    def sources(self) -> dict[str, dict]:
        """Every source's entry without its mentions: sha256, key, status, graph, triples."""
        return {
            name: {"sha256": sha, "key": key, "graph": graph, "triples": triples,
                   "status": json.loads(status) if status else None}
            for name, sha, key, status, graph, triples in self.conn.execute(
                "SELECT name, sha256, key, status, graph, triples FROM sources ORDER BY name")
        }

    def graph_triples(self) -> dict[str, int]:
        """The number of triples in each source's named graph, by the graph's IRI."""
        return dict(self.conn.execute("SELECT graph, triples FROM sources"))

    def mentioned_by(self, names: Iterable[str]) -> set[str]:
        """The IRIs of the concepts and programs these sources mention."""
        found: set[str] = set()
        for chunk in _chunks(list(names)):
            found.update(iri for (iri,) in self.conn.execute(
                "SELECT DISTINCT i.value FROM sources s JOIN mentions m ON m.source = s.id "
                f"JOIN strings i ON i.id = m.iri WHERE s.name IN ({_marks(chunk)})", chunk))
        return found

    def rows(self, kind: str, iris: Iterable[str]) -> Iterator[MentionRow]:
        """The mentions of kind ``kind`` of these IRIs, as rows for ``shared_triples``."""
        for chunk in _chunks(sorted(iris)):
            yield from self.conn.execute(
                "SELECT i.value, s.name, m.line, t.value FROM strings i "
                "JOIN mentions m ON m.iri = i.id AND m.kind = ? "
                "JOIN sources s ON s.id = m.source JOIN strings t ON t.id = m.text "
                f"WHERE i.value IN ({_marks(chunk)})", [KINDS.index(kind), *chunk])

    def snapshot(self) -> dict:
        """The whole state as one dictionary (for comparing two builds' states)."""
        sources = self.sources()
        for entry in sources.values():
            entry.update({kind: [] for kind in KINDS})
        for name, kind, iri, line, text in self.conn.execute(
            "SELECT s.name, m.kind, i.value, m.line, t.value FROM mentions m "
            "JOIN sources s ON s.id = m.source JOIN strings i ON i.id = m.iri "
            "JOIN strings t ON t.id = m.text ORDER BY m.rowid"
        ):
            sources[name][KINDS[kind]].append([iri, line, text])
        return {"version": VERSION, "fingerprint": self.fingerprint, "totals": self.totals,
                "sources": sources}

    # --- changing a copy -------------------------------------------------------------------
    def change(
        self,
        entries: Mapping[str, dict],
        removed: Iterable[str],
        statuses: Mapping[str, list[int] | None],
        totals: dict[str, int],
        unswept: int,
        tidy: bool = False,
    ) -> None:
        """Replace the entries of some sources (``entries``: name -> entry, as
        ``kinerja.incremental.source_entry`` makes them), remove others, set the status of
        files read again without a change, and record the new totals and count of texts
        not swept; in one transaction. ``tidy``: also remove the strings no mention uses
        any more (a pass over every mention, done when the texts are swept)."""
        c = self.conn
        c.execute("BEGIN")
        try:
            for chunk in _chunks([*removed, *entries]):
                ids = f"SELECT id FROM sources WHERE name IN ({_marks(chunk)})"
                c.execute(f"DELETE FROM mentions WHERE source IN ({ids})", chunk)
                c.execute(f"DELETE FROM sources WHERE name IN ({_marks(chunk)})", chunk)
            _insert(c, entries)
            c.executemany("UPDATE sources SET status = ? WHERE name = ?",
                          [(_status(s), name) for name, s in statuses.items()])
            if tidy:
                c.execute("DELETE FROM strings WHERE id NOT IN (SELECT iri FROM mentions) "
                          "AND id NOT IN (SELECT text FROM mentions)")
            c.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                          [("totals", json.dumps(totals)), ("unswept", str(unswept))])
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        self.totals, self.unswept = totals, unswept


def used_texts(build_dir: Path) -> set[str] | None:
    """The sha256 of every source of the build in ``build_dir``, whatever the version of
    its state: the texts it shows. An empty set for a build without ``state.sqlite`` (those
    kept their texts in the build); None if its state cannot be read."""
    path = Path(build_dir) / STATE
    if not path.is_file():
        return set()
    try:
        conn = open_sqlite_read_only(path)
        try:
            return {sha for (sha,) in conn.execute("SELECT sha256 FROM sources")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def write(path: Path, fingerprint: str, entries: Mapping[str, dict],
          totals: dict[str, int]) -> None:
    """A new state file at ``path`` (replacing it whole, see ``store.new_sqlite``)."""
    with new_sqlite(path) as conn:
        conn.executescript(SCHEMA)
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("version", str(VERSION)), ("fingerprint", fingerprint),
            ("totals", json.dumps(totals)), ("unswept", "0")])
        conn.execute("BEGIN")
        _insert(conn, entries)
        conn.execute("COMMIT")


def _insert(conn: sqlite3.Connection, entries: Mapping[str, dict]) -> None:
    strings = _Strings(conn)
    for name, entry in entries.items():
        cur = conn.execute(
            "INSERT INTO sources (name, sha256, key, status, graph, triples) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (name, entry["sha256"], entry["key"], _status(entry["status"]), entry["graph"],
             entry["triples"]))
        source = cur.lastrowid
        conn.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?)", [
            (source, k, strings.id(iri), line, strings.id(text))
            for k, kind in enumerate(KINDS) for iri, line, text in entry[kind]])


class _Strings:
    """Numbers for strings, added to the ``strings`` table as they are first asked for."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.ids: dict[str, int] = {}

    def id(self, value: str) -> int:
        found = self.ids.get(value)
        if found is None:
            row = self.conn.execute("SELECT id FROM strings WHERE value = ?", (value,)).fetchone()
            found = row[0] if row else self.conn.execute(
                "INSERT INTO strings (value) VALUES (?)", (value,)).lastrowid
            self.ids[value] = found
        return found


def _status(status: list[int] | None) -> str | None:
    return json.dumps(status) if status else None


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))


def _chunks(values: list) -> Iterator[list]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]
