"""Listing pages from the listing index (``listing_index``): the total, one page of rows
(or all of them, for CSV) and every facet's counts, each a query on indexes.

- Counts with no chosen value are read as they are (``L_count``); under one chosen value,
  or several values of one facet that no item has two of, they are read from (or summed
  over) ``L_pair``; otherwise they are summed over the signatures that have a chosen value
  of every other facet (the facets nobody chose share one query).
- A page of rows is read either in the order of its sort key (the keys' index, then the
  rows of each key, those of other signatures passed over in the index), which is quick
  when the chosen items are many, or from the chosen signatures' rows, then sorted, which
  is quick when they are few; the expected number of rows read decides.
"""

from __future__ import annotations

import heapq
import json
import logging
import sqlite3
import threading
from pathlib import Path

import pyoxigraph as ox

from kinerja.catalogue.listing import (
    Facet,
    FacetCount,
    Listing,
    Result,
    facet_counts,
    kept,
    parse,
)
from kinerja.catalogue.listing_index import SAME_KEY, key_of, plans, problem, table, term_id
from kinerja.catalogue.listing_plan import ITEM
from kinerja.catalogue.reader import Row, Value
from kinerja.store import open_sqlite_read_only

GYEAR = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")


class StaleIndex(ValueError):
    """No listing index, or one this code cannot read."""


class ListingIndex:
    """A listing index opened read-only; one object serves many threads, each with its
    own SQLite connection."""

    def __init__(self, path: Path, base: str):
        self.path = Path(path)
        self.base = base
        found = problem(self.path, base)
        if found:
            raise StaleIndex(f"{found}: run 'kinerja build --full' to make one")
        self._lock = threading.Lock()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        (saved,) = self._connection().execute(
            "SELECT value FROM meta WHERE key = 'parsed'"
        ).fetchone()
        self._plans = {p.listing.name: p for p in plans(json.loads(saved))}

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = open_sqlite_read_only(self.path, check_same_thread=False)
            with self._lock:
                self._connections.append(conn)
            self._local.conn = conn
        return conn

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()

    def __enter__(self) -> ListingIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def result(self, listing: Listing, p: dict, lang: str, everything: bool) -> Result:
        """What ``kinerja.catalogue.listing.run`` gives for the parameters it parsed."""
        conn = self._connection()
        name = listing.name
        chosen = self._chosen(listing, p["chosen"])
        sigs = _signatures(conn, name, chosen)
        total = _total(conn, name, chosen, sigs)
        pl = self._plans[name]
        limit = -1 if everything else p["per_page"]  # -1: no limit
        offset = 0 if everything else (p["page"] - 1) * p["per_page"]
        found = _rows(conn, name, pl.columns, chosen, sigs, p["sort"], p["descending"], total,
                      limit, offset, self._fixed(listing, p))
        rows = _decoded(conn, pl.columns, found, item=True)
        result = Result(listing, total, rows, p["page"], p["per_page"], p["sort"],
                        p["descending"], p["chosen"])
        if not everything:
            result.facets, result.hidden = self._facets(conn, listing, p["chosen"], chosen,
                                                        lang, p["limits"], sigs=sigs)
        return result

    def facet(
        self, listing: Listing, params: list[tuple[str, str]], name: str, lang: str = "id"
    ) -> list[FacetCount]:
        """One facet's counts as ``run`` gives them for these parameters (no rows read)."""
        p = parse(listing, params, self.base)
        conn = self._connection()
        (position,) = [i for i, f in enumerate(listing.facets) if f.name == name]
        chosen = self._chosen(listing, p["chosen"])
        facets, _hidden = self._facets(conn, listing, p["chosen"], chosen, lang,
                                       {name: None}, [position])
        return facets[name]

    def _facets(
        self,
        conn: sqlite3.Connection,
        listing: Listing,
        given: dict[str, list[str]],
        chosen: dict[int, list[int]],
        lang: str,
        limits: dict[str, int | None],
        positions: list[int] | None = None,
        sigs: Signatures | None = None,
    ) -> tuple[dict[str, list[FacetCount]], dict[str, int]]:
        """The counts of the facets at ``positions`` (all, when None), each cut to its
        limit (see ``kept``), and how many values each left out. Only the values kept are
        looked up by label."""
        if positions is None:
            positions = list(range(len(listing.facets)))
        counts = _counts(conn, listing.name, positions, chosen, sigs)
        candidates = {i: _candidates(counts[i], limits[listing.facets[i].name],
                                     chosen.get(i, ()))
                      for i in positions}
        values = _decode(conn, {v for found in candidates.values() for v in found})
        shown, hidden = {}, {}
        for i in positions:
            facet = listing.facets[i]
            found = sorted(  # as ORDER BY DESC(?n) ?value
                ((values[v], k) for v, k in candidates[i].items()),
                key=lambda x: (-x[1], x[0].iri is None, x[0].text),
            )
            shown[facet.name], cut = kept(facet, found, self.base, given, limits[facet.name])
            hidden[facet.name] = cut + len(counts[i]) - len(found)
        labels = _labels(conn, [v.iri for found in shown.values() for v, _n in found if v.iri],
                         lang)
        out = {
            name: facet_counts(listing.facets[i], shown[name], labels, self.base, given)
            for i, name in ((i, listing.facets[i].name) for i in positions)
        }
        return out, hidden

    def column_rows(
        self, listing: Listing, params: list[tuple[str, str]], columns: tuple[str, ...]
    ) -> list[Row]:
        """Only these ``columns`` and the item (under ``ITEM``) of every row the facet
        choice in ``params`` gives, in no particular order: many rows without reading,
        decoding or sorting what is not needed. Raises ``ListingError`` as ``run`` does."""
        conn = self._connection()
        sql, args = self._every_row(conn, listing, params, columns, "r.iri")
        return _decoded(conn, columns, conn.execute(sql, args).fetchall(), item=True)

    def column_counts(
        self, listing: Listing, params: list[tuple[str, str]], columns: tuple[str, ...]
    ) -> list[tuple[Row, int]]:
        """The distinct values of these ``columns`` over every row the facet choice in
        ``params`` gives, each with how many rows have them, in no particular order: a
        summary of many rows (a chart of thousands of targets) counted by SQLite, with no
        row read into Python. Raises ``ListingError`` as ``run`` does."""
        conn = self._connection()
        sql, args = self._every_row(conn, listing, params, columns, "count(*)")
        found = conn.execute(f"{sql} GROUP BY {_cells(columns)}", args).fetchall()
        return list(zip(_decoded(conn, columns, found), (r[0] for r in found), strict=True))

    def _every_row(
        self,
        conn: sqlite3.Connection,
        listing: Listing,
        params: list[tuple[str, str]],
        columns: tuple[str, ...],
        head: str,
    ) -> tuple[str, list]:
        """SQL of ``head`` and the ``columns`` of every row the choice in ``params`` gives
        (with none, of every row), in no order, with its arguments."""
        p = parse(listing, params, self.base)
        chosen = self._chosen(listing, p["chosen"])
        if chosen:
            sigs, args = _signatures(conn, listing.name, chosen)
        else:
            sigs, args = f"SELECT id AS sig FROM {table(listing.name, 'sig')}", []
        return _chosen_sql(listing.name, columns, sigs, head), args

    def _chosen(self, listing: Listing, chosen: dict[str, list[str]]) -> dict[int, list[int]]:
        """Facet position -> the term ids of its chosen values."""
        return {
            i: sorted({term_id(self._term(facet, v)) for v in chosen[facet.name]})
            for i, facet in enumerate(listing.facets)
            if facet.name in chosen
        }

    def _term(self, facet: Facet, value: str) -> ox.Literal | ox.NamedNode:
        """The term a facet's value in a URL stands for."""
        if facet.kind == "year":
            return ox.Literal(value, datatype=GYEAR)
        return ox.NamedNode(self.base + "id/" + value)

    def _fixed(self, listing: Listing, p: dict) -> int | None:
        """The id of the sort key of every chosen row when the choice fixes it: one value
        chosen of the facet sorted on (``SAME_KEY``), whose key is that value's."""
        sort, values = p["sort"], p["chosen"].get(p["sort"], ())
        if sort not in SAME_KEY or len(values) != 1:
            return None
        (facet,) = (f for f in listing.facets if f.name == sort)
        return key_of(self._term(facet, values[0]), self._plans[listing.name].sorts[sort].lower)


def _total(
    conn: sqlite3.Connection, name: str, chosen: dict[int, list[int]], sigs: Signatures
) -> int:
    if not chosen:
        return conn.execute(f"SELECT count(*) FROM {table(name, 'item')}").fetchone()[0]
    if len(chosen) == 1 and _disjoint(conn, name, chosen):
        ((facet, values),) = chosen.items()
        return _items(conn, name, facet, values)
    sigs, args = sigs
    sql = (f"SELECT coalesce(sum(s.n), 0) FROM ({sigs}) m"
           f" CROSS JOIN {table(name, 'sig')} s ON s.id = m.sig")
    return conn.execute(sql, args).fetchone()[0]


def _items(conn: sqlite3.Connection, name: str, facet: int, values: list[int]) -> int:
    """How many items have one of these values of the facet (an item with two, twice)."""
    sql = (f"SELECT coalesce(sum(n), 0) FROM {table(name, 'count')}"
           f" WHERE facet = ? AND value IN ({_marks(values)})")
    return conn.execute(sql, (facet, *values)).fetchone()[0]


def _counts(
    conn: sqlite3.Connection,
    name: str,
    facets: list[int],
    chosen: dict[int, list[int]],
    sigs: Signatures | None = None,
) -> dict[int, dict[int, int]]:
    """facet position (of those in ``facets``) -> value -> items, each facet under the
    other facets' choices: a chosen facet under the others, the rest under all (one query
    for them all). ``sigs``: the chosen signatures (``_signatures``), if already found."""
    out: dict[int, dict[int, int]] = {i: {} for i in facets}
    groups = [({g: v for g, v in chosen.items() if g != i}, [i])
              for i in sorted(chosen) if i in facets]
    groups.append((chosen, [i for i in facets if i not in chosen]))
    for given, wanted in groups:
        if not wanted:
            continue
        marks = _marks(wanted)
        if not given:
            sql = f"SELECT facet, value, n FROM {table(name, 'count')} WHERE facet IN ({marks})"
            args: list[int] = list(wanted)
        elif len(given) == 1 and _disjoint(conn, name, given):
            # no item has two of the chosen values: the counts of pairs add up
            ((facet, values),) = given.items()
            sql = (
                f"SELECT other, other_value, sum(n) FROM {table(name, 'pair')}"
                f" WHERE facet = ? AND value IN ({_marks(values)}) AND other IN ({marks})"
                " GROUP BY other, other_value"
            )
            args = [facet, *values, *wanted]
        else:
            sql, args = sigs if given is chosen and sigs else _signatures(conn, name, given)
            sql = (
                f"SELECT v.facet, v.value, sum(v.n) FROM ({sql}) m"
                f" CROSS JOIN {table(name, 'sv')} v ON v.sig = m.sig"
                f" WHERE v.facet IN ({marks}) GROUP BY v.facet, v.value"
            )
            args = [*args, *wanted]  # not +=: the list may be the caller's
        for facet, value, n in conn.execute(sql, args):
            out[facet][value] = n
    return out


def _candidates(counts: dict[int, int], limit: int | None, chosen) -> dict[int, int]:
    """Of a facet's counts (value -> items), those ``kept`` can show: every value with at
    least as many items as the ``limit``-th most, and the chosen ones (matched by term id:
    ``kept`` matches them by the parameter's text, the same value, since a year is always
    an ``xsd:gYear``; SHACL holds it). The others are
    neither decoded nor sorted: at scale 2,422 the concept facet of the target listing has
    4,174 values, and decoding and sorting them all took 19 of the 21 ms of its facets."""
    if limit is None or len(counts) <= limit:
        return counts
    least = heapq.nlargest(limit, counts.values())[-1]
    return {v: n for v, n in counts.items() if n >= least or v in chosen}


def _disjoint(conn: sqlite3.Connection, name: str, chosen: dict[int, list[int]]) -> bool:
    """Whether no item has two of the chosen values of the one chosen facet."""
    ((facet, values),) = chosen.items()
    if len(values) == 1:
        return True
    sql = (
        f"SELECT 1 FROM {table(name, 'sv')} WHERE facet = ? AND value IN ({_marks(values)})"
        " GROUP BY sig HAVING count(*) > 1 LIMIT 1"
    )
    return conn.execute(sql, (facet, *values)).fetchone() is None


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))


# Up to this many chosen values of a facet, a signature is tested for it as the planner
# chooses (by the primary key: a look-up of each value, about 0.5 us each); with more, by
# reading the signature's own values (about 2 us, whatever their number).
FEW_VALUES = 4

Signatures = tuple[str, list]  # SQL giving a column ``sig``, and its arguments


def _signatures(conn: sqlite3.Connection, name: str, chosen: dict[int, list[int]]) -> Signatures:
    """The signatures with a chosen value of every chosen facet (at least one), as SQL
    giving a column ``sig``. With one facet chosen, a sub-select that the callers embed.
    With several, they are found here, once a page, and given as a list: read for the
    facet with the fewest items, each tested for the others by a look-up, left to the
    planner (the primary key) when that facet has at most ``FEW_VALUES`` chosen values,
    else of the signature's own values (``INDEXED BY`` the index on ``sig``).

    At scale 2,422, the largest program's 23,426 signatures and one office's 4,509 took
    5.3 ms as an INTERSECT of the two, 2.8 ms driven by the office's with a look-up of the
    program; one concept's 2,228 and 35 offices' 12,176, 6.1 ms as an INTERSECT, 35 ms
    with a look-up of each office, 4.1 ms with one of the signature's values."""
    sv = table(name, "sv")
    if not chosen:
        return "", []  # never read: with no choice, every row is
    if len(chosen) == 1:
        ((facet, ids),) = chosen.items()
        return f"SELECT DISTINCT sig FROM {sv} WHERE facet = ? AND value IN ({_marks(ids)})", [
            facet, *ids]
    first, *others = sorted(chosen, key=lambda f: (_items(conn, name, f, chosen[f]), f))
    sql = (f"SELECT DISTINCT a.sig FROM {sv} a"
           f" WHERE a.facet = ? AND a.value IN ({_marks(chosen[first])})")
    args = [first, *chosen[first]]
    for facet in others:
        by = "" if len(chosen[facet]) <= FEW_VALUES else f" INDEXED BY {table(name, 'sv', 'sig')}"
        sql += (f" AND EXISTS (SELECT 1 FROM {sv} b{by} WHERE b.sig = a.sig AND b.facet = ?"
                f" AND b.value IN ({_marks(chosen[facet])}))")
        args += [facet, *chosen[facet]]
    found = [sig for (sig,) in conn.execute(sql, args)]
    return "SELECT value AS sig FROM json_each(?)", [json.dumps(found)]


def _rows(
    conn: sqlite3.Connection,
    name: str,
    columns: tuple[str, ...],
    chosen: dict[int, list[int]],
    sigs: Signatures,
    sort: str,
    descending: bool,
    total: int,
    limit: int,
    offset: int,
    fixed: int | None = None,
) -> list[tuple]:
    """The item IRI and column term ids of the rows in the page (``limit`` -1: all of
    them), in order. ``fixed``: the id of the sort key every chosen row has, if one does
    (``SAME_KEY``).

    With a choice, the rows are read in one of two ways: in the order of the sort keys,
    the rows of other signatures passed over (quick when the chosen rows are many and
    spread over the keys), or the chosen signatures' rows, then sorted (in time linear in
    their number). How far the first way must read is estimated from the share of the rows
    chosen, which fails when the sort key follows the choice (the year, sorted by year; a
    concept, sorted by label): the chosen rows then sit together, perhaps at the end, and
    reading up to them took over 150 ms at national scale. So the first way is given half
    as much again as the work estimated, never more than the second would take (counted
    in SQLite's steps, not in time: the same data always takes the same way), and stopped
    past it for the second. When the sort key is fixed by the choice, the chosen rows are
    those of one key that have a chosen signature, read in the order of that key's index."""
    if chosen and not total:
        return []
    cells = f", {_cells(columns)}"
    down = " DESC" if descending else ""
    order = f"k.bound{down}, k.key{down}, r.iri, r.n"  # the indexes' order: no sorting
    keys, rows = table(name, "k", sort), table(name, "row")
    sort_key = f'r."s_{sort}"'
    in_keys = f"SELECT r.iri{cells} FROM {keys} k CROSS JOIN {rows} r ON {sort_key} = k.id"
    page = f" ORDER BY {order} LIMIT ? OFFSET ?"
    if not chosen:
        return conn.execute(in_keys + page, (limit, offset)).fetchall()
    sigs, args = sigs
    if fixed is not None:  # the rows of that key, in the order of its index
        sql = (f"SELECT r.iri{cells} FROM {rows} r WHERE {sort_key} = ? AND +r.sig IN ({sigs})"
               " ORDER BY r.iri, r.n LIMIT ? OFFSET ?")
        return conn.execute(sql, (fixed, *args, limit, offset)).fetchall()
    everything = conn.execute(f"SELECT count(*) FROM {table(name, 'item')}").fetchone()[0]
    wanted = offset + (limit if limit >= 0 else total)
    passed = wanted * everything / total  # rows read in the keys' order, if spread
    # (there are at most as many chosen signatures as chosen items)
    estimate, other = SET_STEPS * total + KEY_STEPS * passed, SIG_STEPS * total
    if estimate <= other:  # many: in the keys' order
        sql = f"{in_keys} WHERE +r.sig IN ({sigs})"  # "+": test each row, no look-up
        budget = max(MIN_STEPS, min(SLACK * estimate, other))
        found = _bounded(conn, sql + page, (*args, limit, offset), int(budget))
        if found is not None:
            return found
    # few (or too far to read in the keys' order): the signatures' rows, then sorted
    sql = f"{_chosen_sql(name, columns, sigs)} JOIN {keys} k ON k.id = {sort_key}"
    return conn.execute(sql + page, (*args, limit, offset)).fetchall()


def _chosen_sql(name: str, columns: tuple[str, ...], sigs: str, head: str = "r.iri") -> str:
    """SQL of ``head`` (the item IRI) and the column term ids (``r``) of every row of the
    signatures that ``sigs`` selects, in no order."""
    return (f"SELECT {head}, {_cells(columns)} FROM ({sigs}) m"
            f" CROSS JOIN {table(name, 'row')} r ON r.sig = m.sig")


def _cells(columns: tuple[str, ...]) -> str:
    """The columns' term ids in a row ``r``."""
    return ", ".join(f'r."c_{v}"' for v in columns)


# SQLite's steps, measured at scale 1,100: reading in the keys' order, about 5 for each
# chosen signature (put in the set each row is tested against: 70,000 steps for a page of
# the 13,181 targets of one year, 11,971 signatures) and 12 to 15 a row passed; reading
# and sorting the chosen signatures' rows, 16 to 26 a row (35,100 steps for 1,333 rows,
# 311,200 for 13,181).
SET_STEPS = 5
KEY_STEPS = 15
SIG_STEPS = 24
MIN_STEPS = 20_000
SLACK = 1.5  # what a read in the keys' order may take over its estimate (seen: 1.22)
_TICK = 1_000  # steps between two looks at the work done


def _bounded(conn: sqlite3.Connection, sql: str, args: tuple, steps: int) -> list | None:
    """The query's rows, or None if it took more than about ``steps`` steps."""
    spent = 0

    def tick() -> bool:
        nonlocal spent
        spent += _TICK
        return spent > steps

    conn.set_progress_handler(tick, _TICK)
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError:
        if spent > steps:  # interrupted by ``tick``
            return None
        raise
    finally:
        conn.set_progress_handler(None, 0)


def _decoded(
    conn: sqlite3.Connection, columns: tuple[str, ...], found: list[tuple], item: bool = False
) -> list[Row]:
    """Rows as ``_rows`` gives them (the item's IRI, then a term id for each column), their
    terms decoded; ``item``: with the item's IRI (else the first value is not read)."""
    values = _decode(conn, {t for r in found for t in r[1:] if t is not None})
    rows: list[Row] = []
    for r in found:
        row = {ITEM: Value(r[0], iri=r[0])} if item else {}
        row.update({v: values[t] for v, t in zip(columns, r[1:], strict=True) if t})
        rows.append(row)
    return rows


def _decode(conn: sqlite3.Connection, ids: set[int]) -> dict[int, Value]:
    """The terms of these ids as ``kinerja.catalogue.reader`` gives bound values."""
    found = conn.execute(
        "SELECT id, kind, text, lang, datatype FROM term"
        " WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(ids)),),
    )
    out = {}
    for tid, kind, text, lang, datatype in found:
        if kind == "i":
            out[tid] = Value(text, iri=text)
        elif kind in ("l", "t"):
            out[tid] = Value(text, lang=lang, datatype=datatype)
        else:
            out[tid] = Value(text)
    return out


def _labels(conn: sqlite3.Connection, iris: list[str], lang: str) -> dict[str, str]:
    """The label of each IRI in ``lang``, else Indonesian, else any; of several in the
    best language, the smallest (``Reader.labels`` takes whichever comes first)."""
    ids = {term_id(ox.NamedNode(i)): i for i in iris}
    best: dict[str, tuple[int, str]] = {}
    for tid, tag, text in conn.execute(
        "SELECT term, lang, text FROM label WHERE term IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(ids)),),
    ):
        rank = (0 if tag == lang else 1 if tag == "id" else 2, text)
        if ids[tid] not in best or rank < best[ids[tid]]:
            best[ids[tid]] = rank
    return {iri: text for iri, (_rank, text) in best.items()}


def open_index(path: Path, base: str, log: logging.Logger) -> ListingIndex | None:
    """The build's listing index, or None (with a warning: listings then run in SPARQL,
    slowly on a large graph) when it has none this code can read."""
    try:
        return ListingIndex(path, base)
    except StaleIndex as e:
        log.warning("%s; until then listings are computed by SPARQL, slowly", e)
        return None
