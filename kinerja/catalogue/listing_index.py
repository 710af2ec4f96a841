"""The listing index: every listing of ``LISTINGS`` materialised in one SQLite file
(``listing.sqlite`` beside the store), so that a page, its total and its facet counts are
a few indexed SQL queries instead of SPARQL over the whole graph (see ``listing_pages``).

It holds what the SPARQL listing (``kinerja.catalogue.listing.run`` without an index)
computes, derived from the same declarations (see ``listing_plan``): the same items, rows,
facet values and order. :func:`build_index` writes it from a store with whole-graph
queries; :func:`update_index` brings a copy of the previous build's index up to date with
the subjects an incremental build touched, recomputing only what they can affect, to the
same contents as a full build.

Items are counted by *signature*: the values an item has in every facet. Items with the
same signature count alike under any choice of facet values, and there are far fewer
signatures than items (26,737 for 126,290 indicators at national scale).

Layout (``L`` a listing; facets by their position ``i`` in its declaration):

``meta``
    schema version, base IRI, a fingerprint of the listings, what parsing them gave.
``term``
    every RDF term a row or a facet value shows: id (a 64-bit hash of its N-Triples form,
    so that every build gives a term the same id), kind, text, language, datatype, and the
    number of references to it (row cells and ``L_count`` rows); unreferenced terms go.
``label``
    the ``rdfs:label`` literals of every IRI term (facet values are shown by label).
``L_item``
    the items (the class pattern) with their signature; ids are their IRI's term id.
``L_sig``, ``L_sv``
    each signature with its number of items; its values (facet, value) with that number.
``L_count``, ``L_pair``
    the number of items per facet value, and per pair of values of two facets: the
    counts with no choice or one chosen value, read without counting.
``L_f_i``
    for a facet anchored elsewhere than at ``?item`` (see ``listing_plan``): each
    (value, item) pair with the number of anchors giving it, so that a change to one
    anchor can tell whether its item keeps the value.
``L_row``
    one row per solution of the row pattern: item, its IRI and signature, the term id of
    each column, the key of each sort; ``ORDER BY bound, key, iri`` is ``ORDER BY expr
    ?item``. Indexed by each sort's key and the signature, and for a year (``SAME_KEY``)
    by the key, IRI and signature (see ``_indexes``).
``L_k_<sort>``
    the distinct sort keys (the lowercased text for ``LCASE``, numbers for numeric
    literals, else the text) with their number of rows: ``bound`` 0 and ``key`` 0 for
    unbound, else 1 and the key. Unique and never NULL, so that SQLite can read a page
    in the order of ``(bound, key)`` then of the rows' index ``(s_<sort>, iri, n, sig)``
    without sorting; keys equal to SQLite are one key (``_number``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kinerja.catalogue.listing import LISTINGS
from kinerja.catalogue.listing_plan import (
    ITEM,
    Part,
    Plan,
    fingerprint,
    parsed,
    plan,
)
from kinerja.namespaces import PREFIXES, RDFS
from kinerja.store import new_sqlite, open_sqlite_read_only

SCHEMA_VERSION = "2"
BATCH = 200  # anchors per query when recomputing
_LABEL = ox.NamedNode(str(RDFS.label))
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = {_XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
    "unsignedByte",
)}
_DECIMAL = {_XSD + t for t in ("decimal", "double", "float")}
_STRING = _XSD + "string"

Sets = tuple[frozenset[int], ...]  # an item's values, per facet

# Sort keys that are the value of the facet of the same name: the year, which a document,
# target or legal instrument has at most once (sh:maxCount 1). With one value of that
# facet chosen, every chosen row has the same key, and a read in the keys' order passes
# every row before or after them: at scale 2,422, /daftar/indikator?tahun=2024&urut=tahun
# spent 15 of its 52 ms in it before reading the chosen rows. A year has many rows (a
# sixteenth of the indicators there), so the rows are indexed in their IRIs' order
# within it (see ``_indexes``): a change here is a change of layout, of SCHEMA_VERSION.
SAME_KEY = frozenset({"tahun"})


def hash_id(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big",
                          signed=True)


def term_id(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> int:
    return hash_id(str(term))


def sig_id(sets: Sets) -> int:
    return hash_id("|".join(",".join(map(str, sorted(s))) for s in sets))


def key_id(key) -> int:
    return hash_id(f"{type(key).__name__}:{key}")


def key_of(term, lower: bool) -> int:
    """The id of the sort key of a term (for ``LCASE`` of it with ``lower``)."""
    return key_id(_sort_key(term, lower))


def table(*parts: str | int) -> str:
    """A table or index name, quoted."""
    return '"' + "_".join(map(str, parts)) + '"'


def plans(saved: dict | None = None) -> list[Plan]:
    return [plan(x, saved[x.name] if saved else None) for x in LISTINGS.values()]


def layout() -> str:
    """What an index's contents depend on besides the store and the base IRI: the
    schema and the listings' definitions (see ``incremental.fingerprint``)."""
    return f"{SCHEMA_VERSION} {fingerprint(LISTINGS.values())}"


def problem(path: Path, base: str) -> str | None:
    """Why ``path`` is no listing index this code can use for ``base``, or None."""
    if not Path(path).is_file():
        return f"no listing index at {path}"
    try:
        conn = open_sqlite_read_only(path)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error as e:
        return f"{path} is not a listing index: {e}"
    expected = {
        "schema": SCHEMA_VERSION,
        "base": base,
        "listings": fingerprint(LISTINGS.values()),
    }
    for key, value in expected.items():
        if meta.get(key) != value:
            return f"{path} was made for another {key} ({meta.get(key)!r}, not {value!r})"
    return None


# --- schema ------------------------------------------------------------------------------
_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE term(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, text TEXT NOT NULL,
                  lang TEXT, datatype TEXT, refs INTEGER NOT NULL);
CREATE TABLE label(term INTEGER NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL,
                   PRIMARY KEY(term, lang, text)) WITHOUT ROWID;
"""


def _tables(p: Plan) -> list[str]:
    n = p.listing.name
    cells = "".join(f', "c_{v}" INTEGER' for v in p.columns)
    keys = "".join(f', "s_{k}" INTEGER NOT NULL' for k in p.sorts)
    out = [
        f"CREATE TABLE {table(n, 'item')}(id INTEGER PRIMARY KEY, sig INTEGER NOT NULL)",
        f"CREATE TABLE {table(n, 'sig')}(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
        f"CREATE TABLE {table(n, 'sv')}(facet INTEGER NOT NULL, value INTEGER NOT NULL,"
        " sig INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(facet, value, sig))"
        " WITHOUT ROWID",
        f"CREATE TABLE {table(n, 'count')}(facet INTEGER NOT NULL, value INTEGER NOT NULL,"
        " n INTEGER NOT NULL, PRIMARY KEY(facet, value)) WITHOUT ROWID",
        f"CREATE TABLE {table(n, 'pair')}(facet INTEGER NOT NULL, value INTEGER NOT NULL,"
        " other INTEGER NOT NULL, other_value INTEGER NOT NULL, n INTEGER NOT NULL,"
        " PRIMARY KEY(facet, value, other, other_value)) WITHOUT ROWID",
        f"CREATE TABLE {table(n, 'row')}(item INTEGER NOT NULL, n INTEGER NOT NULL,"
        f" iri TEXT NOT NULL, sig INTEGER{cells}{keys}, PRIMARY KEY(item, n)) WITHOUT ROWID",
    ]
    out += [
        f"CREATE TABLE {table(n, 'k', k)}(id INTEGER PRIMARY KEY, bound INTEGER NOT NULL,"
        " key NOT NULL, refs INTEGER NOT NULL)"
        for k in p.sorts
    ]
    out += [
        f"CREATE TABLE {table(n, 'f', i)}(value INTEGER NOT NULL, item INTEGER NOT NULL,"
        " n INTEGER NOT NULL, PRIMARY KEY(value, item)) WITHOUT ROWID"
        for i, part in enumerate(p.facets)
        if part.anchor != ITEM
    ]
    return out


def _indexes(p: Plan) -> list[str]:
    n = p.listing.name
    out = [
        f"CREATE INDEX {table(n, 'sv', 'sig')} ON {table(n, 'sv')}(sig, n)",
        f"CREATE INDEX {table(n, 'row', 'sig')} ON {table(n, 'row')}(sig)",
    ]
    # The rows by sort key, with the signature (to pass over rows of other signatures
    # without reading them). Those of a year (``SAME_KEY``) also in their IRIs' order,
    # so that a page in a year's order is read without sorting: the keys in the order
    # of their unique index, the rows of each key in this one's (see ``L_k_<sort>``
    # above). Other keys (a label, an office) have few rows each, cheap to sort, and
    # the IRIs would make each of their indexes six times as large (docs/listing-index.md).
    for k in p.sorts:
        within = "iri, n, sig" if k in SAME_KEY else "sig"
        out.append(f'CREATE INDEX {table(n, "row", "s", k)}'
                   f' ON {table(n, "row")}("s_{k}", {within})')
        out.append(f"CREATE UNIQUE INDEX {table(n, 'k', k, 'key')}"
                   f" ON {table(n, 'k', k)}(bound, key)")
    return out


# --- values ------------------------------------------------------------------------------
def _sort_key(term, lower: bool):
    """What ``ORDER BY ?x`` or ``ORDER BY LCASE(?x)`` compares, as SQLite compares it:
    numbers as numbers, other literals and IRIs by their text (the order SPARQL gives
    values of one kind), unbound (or LCASE of what is no string) first. ``lower`` is
    Unicode lowercasing, as SPARQL's (SQLite's ``lower`` knows ASCII only)."""
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if lower:
            return term.value.lower() if term.language or dt == _STRING else None
        with contextlib.suppress(ValueError):
            if dt in _INTEGER:
                return _number(int(term.value))
            if dt in _DECIMAL:
                return _number(float(term.value))
        return term.value
    if term is None or lower:
        return None
    return term.value


def _number(x: int | float) -> int | float | None:
    """A numeric key as SQLite keeps it, one per value SQLite holds equal: a whole number
    as an integer (2024.0 is 2024), one too large for 64 bits as a float (infinite beyond
    floats), NaN (which SQLite stores as NULL) as unbound."""
    if isinstance(x, float):
        if x != x:
            return None
        if x.is_integer() and -(2**63) <= x < 2**63:
            return int(x)
        return x
    if -(2**63) <= x < 2**63:
        return x
    try:
        return float(x)
    except OverflowError:  # beyond floats too (about 1.8e308)
        return math.inf if x > 0 else -math.inf


def _term_row(tid: int, term) -> tuple:
    if isinstance(term, ox.NamedNode):
        return (tid, "i", term.value, None, None)
    if isinstance(term, ox.Literal):
        if term.language:
            return (tid, "l", term.value, term.language, None)
        return (tid, "t", term.value, None, term.datatype.value)
    return (tid, "b", str(term), None, None)


class _Refs:
    """Things met while filling the index (terms, sort keys), and the change in the number
    of references to each."""

    def __init__(self):
        self.seen: dict[int, object] = {}
        self.delta: Counter[int] = Counter()

    def add(self, tid: int, thing, n: int = 1) -> int:
        self.seen.setdefault(tid, thing)
        self.delta[tid] += n
        return tid


class _Ids:
    """Term ids of pyoxigraph terms, remembered (a build meets the same terms often)."""

    def __init__(self):
        self.memo: dict = {}

    def __call__(self, term) -> int:
        tid = self.memo.get(term)
        if tid is None:
            tid = self.memo[term] = term_id(term)
        return tid


# --- reading the store -------------------------------------------------------------------
def solutions(store: ox.Store, query: str) -> list[tuple]:
    """The solutions of a SELECT query, as tuples of terms (None where unbound)."""
    found = store.query(query, prefixes=PREFIXES)
    width = range(len(found.variables))
    return [tuple(s[i] for i in width) for s in found]


def solutions_for(store: ox.Store, part: Part, anchors_: Iterable, distinct: bool) -> list[tuple]:
    """The part's solutions for some anchors (a blank node cannot be named in a query; no
    anchor is one in the data)."""
    named = sorted(str(a) for a in anchors_ if not isinstance(a, ox.BlankNode))
    out: list[tuple] = []
    for i in range(0, len(named), BATCH):
        out += solutions(store, part.select_for(named[i : i + BATCH], distinct))
    return out


# --- the writer --------------------------------------------------------------------------
class Writer:
    """Writes one listing's tables, in a full build or an update; the changes to terms and
    sort keys are applied at the end (:meth:`finish`)."""

    def __init__(self, conn: sqlite3.Connection, store: ox.Store):
        self.conn = conn
        self.store = store
        self.ids = _Ids()
        self.terms = _Refs()
        self.keys: dict[tuple[str, str], _Refs] = defaultdict(_Refs)

    def sql(self, statement: str, args: Iterable = ()) -> sqlite3.Cursor:
        return self.conn.execute(statement, tuple(args))

    def rows(self, p: Plan, solutions: list[tuple], sigs: dict[int, int]) -> list[tuple]:
        """Index rows from the row part's solutions: one per solution, numbered within
        their item in the order of their terms (so that every build numbers them alike)."""
        by_item: dict = defaultdict(list)
        for s in solutions:
            if isinstance(s[0], ox.NamedNode):
                by_item[s[0]].append(s[1:])
        position = {v: i for i, v in enumerate(p.columns)}
        sorts = [(k, position[s.variable], s.lower) for k, s in p.sorts.items()]
        out = []
        for item, found in by_item.items():
            found.sort(key=lambda cells: ["" if c is None else str(c) for c in cells])
            item_id = self.ids(item)
            for n, cells in enumerate(found):
                ids = tuple(
                    None if c is None else self.terms.add(self.ids(c), c) for c in cells
                )
                keys = []
                for name, i, lower in sorts:
                    key = _sort_key(cells[i], lower)
                    keys.append(self.keys[p.listing.name, name].add(key_id(key), key))
                out.append((item_id, n, item.value, sigs.get(item_id), *ids, *keys))
        return out

    def insert_rows(self, p: Plan, rows: list[tuple]) -> None:
        width = 4 + len(p.columns) + len(p.sorts)
        self.conn.executemany(
            f"INSERT INTO {table(p.listing.name, 'row')} VALUES ({', '.join('?' * width)})",
            rows,
        )

    def sigs(self, p: Plan, changes: dict[int, tuple[Sets | None, Sets | None]]) -> None:
        """Move items between signatures: ``changes`` maps an item to its (old, new)
        values, None where it is not an item of the listing."""
        n = p.listing.name
        counts: Counter[int] = Counter()
        values: dict[int, Sets] = {}
        for item, (old, new) in changes.items():
            for sets, delta in ((old, -1), (new, 1)):
                if sets is not None:
                    sid = sig_id(sets)
                    counts[sid] += delta
                    values[sid] = sets
            if old is None:
                self.sql(f"INSERT INTO {table(n, 'item')} VALUES (?, ?)", (item, sig_id(new)))
            elif new is None:
                self.sql(f"DELETE FROM {table(n, 'item')} WHERE id = ?", (item,))
            else:
                self.sql(f"UPDATE {table(n, 'item')} SET sig = ? WHERE id = ?",
                         (sig_id(new), item))
        facet_counts: Counter[tuple[int, int]] = Counter()
        pair_counts: Counter[tuple[int, int, int, int]] = Counter()
        for sid, delta in sorted(counts.items()):
            if delta == 0:
                continue
            sets = values[sid]
            _spread(sets, delta, facet_counts, pair_counts)
            found = self.sql(f"SELECT n FROM {table(n, 'sig')} WHERE id = ?", (sid,)).fetchone()
            total = (found[0] if found else 0) + delta
            if total == 0:
                self.sql(f"DELETE FROM {table(n, 'sig')} WHERE id = ?", (sid,))
                self.sql(f"DELETE FROM {table(n, 'sv')} WHERE sig = ?", (sid,))
            elif found is None:
                self.sql(f"INSERT INTO {table(n, 'sig')} VALUES (?, ?)", (sid, total))
                self.conn.executemany(
                    f"INSERT INTO {table(n, 'sv')} VALUES (?, ?, ?, ?)",
                    [(i, v, sid, total) for i, s in enumerate(sets) for v in sorted(s)],
                )
            else:
                self.sql(f"UPDATE {table(n, 'sig')} SET n = ? WHERE id = ?", (total, sid))
                self.sql(f"UPDATE {table(n, 'sv')} SET n = ? WHERE sig = ?", (total, sid))
        for (i, v), delta in sorted(facet_counts.items()):
            self._count(table(n, "count"), ("facet", "value"), (i, v), delta, v)
        for key, delta in sorted(pair_counts.items()):
            self._count(table(n, "pair"), ("facet", "value", "other", "other_value"), key,
                        delta, None)

    def _count(self, name: str, columns: tuple, key: tuple, delta: int, value) -> None:
        if delta == 0:
            return
        where = " AND ".join(f"{c} = ?" for c in columns)
        found = self.sql(f"SELECT n FROM {name} WHERE {where}", key).fetchone()
        total = (found[0] if found else 0) + delta
        if total == 0:
            self.sql(f"DELETE FROM {name} WHERE {where}", key)
        elif found is None:
            self.sql(f"INSERT INTO {name} VALUES ({', '.join('?' * (len(key) + 1))})",
                     (*key, total))
        else:
            self.sql(f"UPDATE {name} SET n = ? WHERE {where}", (total, *key))
        if value is not None and (found is None or total == 0):  # a value appears or goes
            self.terms.delta[value] += 1 if found is None else -1

    def finish(self, touched: Iterable[str] = ()) -> None:
        """Apply the changes in references: new terms come with their labels and new sort
        keys are added, what nothing refers to goes; labels of touched IRIs are read
        again."""
        inserted = set()
        for tid, delta in sorted(self.terms.delta.items()):
            found = self.sql("SELECT refs FROM term WHERE id = ?", (tid,)).fetchone()
            total = (found[0] if found else 0) + delta
            if found is None and total:
                row = _term_row(tid, self.terms.seen[tid])
                self.sql("INSERT INTO term VALUES (?, ?, ?, ?, ?, ?)", (*row, total))
                self._label(tid, row)
                inserted.add(tid)
            elif found is not None and total == 0:
                self.sql("DELETE FROM term WHERE id = ?", (tid,))
                self.sql("DELETE FROM label WHERE term = ?", (tid,))
            elif found is not None and delta:
                self.sql("UPDATE term SET refs = ? WHERE id = ?", (total, tid))
        for iri in sorted(set(touched)):
            tid = term_id(ox.NamedNode(iri))
            row = self.sql("SELECT id, kind, text FROM term WHERE id = ?", (tid,)).fetchone()
            if row and tid not in inserted:
                self.sql("DELETE FROM label WHERE term = ?", (tid,))
                self._label(tid, row)
        for (name, sort), refs in sorted(self.keys.items()):
            keys = table(name, "k", sort)
            for kid, delta in sorted(refs.delta.items()):
                found = self.sql(f"SELECT refs FROM {keys} WHERE id = ?", (kid,)).fetchone()
                total = (found[0] if found else 0) + delta
                if found is None and total:
                    key = refs.seen[kid]
                    self.sql(f"INSERT INTO {keys} VALUES (?, ?, ?, ?)",
                             (kid, int(key is not None), 0 if key is None else key, total))
                elif found is not None and total == 0:
                    self.sql(f"DELETE FROM {keys} WHERE id = ?", (kid,))
                elif found is not None and delta:
                    self.sql(f"UPDATE {keys} SET refs = ? WHERE id = ?", (total, kid))

    def _label(self, tid: int, row: tuple) -> None:
        if row[1] == "i":
            iri = ox.NamedNode(row[2])
            labels = {
                (tid, q.object.language or "", q.object.value)
                for q in self.store.quads_for_pattern(iri, _LABEL, None, ox.DefaultGraph())
                if isinstance(q.object, ox.Literal)
            }
            self.conn.executemany("INSERT INTO label VALUES (?, ?, ?)", sorted(labels))


def _spread(sets: Sets, delta: int, counts: Counter, pairs: Counter) -> None:
    """Add ``delta`` items of these values to the per-value and per-pair counts."""
    for i, si in enumerate(sets):
        for v in si:
            counts[i, v] += delta
            for j, sj in enumerate(sets):
                if j != i:
                    for w in sj:
                        pairs[i, v, j, w] += delta


# --- full build --------------------------------------------------------------------------
def build_index(store: ox.Store, path: Path, base: str) -> int:
    """Write the listing index of ``store`` to ``path``; returns its number of rows."""
    with new_sqlite(Path(path)) as conn:
        conn.executescript(_SCHEMA)
        conn.execute("BEGIN")
        writer = Writer(conn, store)
        every = plans()
        rows = sum(_fill(writer, p) for p in every)
        writer.finish()
        parsed_ = json.dumps({p.listing.name: parsed(p) for p in every}, sort_keys=True)
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("schema", SCHEMA_VERSION),
                ("base", base),
                ("listings", fingerprint(LISTINGS.values())),
                ("parsed", parsed_),
            ],
        )
        conn.execute("COMMIT")
    return rows


def _fill(w: Writer, p: Plan) -> int:
    """One listing's tables from whole-graph queries."""
    n = p.listing.name
    for statement in _tables(p):
        w.sql(statement)
    classes = solutions(w.store, p.parts["class"].select(distinct=True))
    members = {w.ids(s[0]) for s in classes if isinstance(s[0], ox.NamedNode)}
    values: dict[int, list[set[int]]] = {m: [set() for _ in p.facets] for m in members}
    for i, part in enumerate(p.facets):
        found = solutions(w.store, part.select(distinct=True))
        if part.anchor == ITEM:
            pairs = Counter((s[1], w.ids(s[0])) for s in found if s[1] is not None)
        else:
            pairs = Counter((s[2], w.ids(s[1])) for s in found if s[2] is not None)
            w.conn.executemany(
                f"INSERT INTO {table(n, 'f', i)} VALUES (?, ?, ?)",
                sorted((w.ids(v), item, k) for (v, item), k in pairs.items()),
            )
        for value, item in pairs:
            if item in values:
                values[item][i].add(w.terms.add(w.ids(value), value, 0))
    sets = {m: tuple(frozenset(s) for s in vs) for m, vs in values.items()}
    w.sigs(p, {m: (None, s) for m, s in sorted(sets.items())})
    sigs = {m: sig_id(s) for m, s in sets.items()}
    rows = w.rows(p, solutions(w.store, p.parts["row"].select(distinct=False)), sigs)
    w.insert_rows(p, sorted(rows))
    for statement in _indexes(p):
        w.sql(statement)
    return len(rows)
