"""Incremental updates of the listing index (``listing_index``): a copy of the previous
build's index with only what the change can affect recomputed, to the tables a full build
of the new store writes (``tests/test_listing_index.py`` checks it on every kind of change).

Which anchors a touched subject can affect is found by following the edges of each
listing's patterns back from it (see ``listing_plan``), in the store before the change for
the solutions that went and in the store after it for those that came. Facets anchored at
``?item`` and rows are read again from the new store for the items found; facets anchored
elsewhere are read for the anchors found in both stores, and the difference is applied to
the number of anchors giving each pair. Items whose values changed move to their new
signature, with the counts that follow from it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from kinerja.catalogue.listing_index import (
    BATCH,
    Sets,
    Writer,
    build_index,
    plans,
    problem,
    sig_id,
    solutions,
    solutions_for,
    table,
)
from kinerja.catalogue.listing_plan import ITEM, RDF_TYPE, Plan, anchors
from kinerja.store import GRAPH, LISTING, log_writer, share_sqlite

# Following a touched subject back costs about a millisecond; past this many, a full
# build of the index (a few minutes at national scale) is as quick.
MAX_TOUCHED = 100_000


class _Neighbours:
    """One step along a predicate in a store's default graph, remembered."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.memo: dict[tuple, set] = {}

    def __call__(self, node, predicate: str, forward: bool) -> set:
        key = (node, predicate, forward)
        found = self.memo.get(key)
        if found is None:
            p, g = ox.NamedNode(predicate), ox.DefaultGraph()
            if not forward:
                found = {q.subject for q in self.store.quads_for_pattern(None, p, node, g)}
            elif isinstance(node, ox.Literal):
                found = set()
            else:
                found = {q.object for q in self.store.quads_for_pattern(node, p, None, g)}
            self.memo[key] = found
        return found

    def types(self, node: ox.NamedNode) -> set[str]:
        return {t.value for t in self(node, RDF_TYPE, True)}


def affected(
    every: list[Plan], old: ox.Store, new: ox.Store, touched: Iterable[str]
) -> dict[tuple[str, str], set]:
    """(listing, part) -> the anchors to recompute. A touched subject is tried at the
    nodes with an edge whose predicate is that of one of its statements that changed (in
    the merged default graph), and followed to the anchors in both stores; of those that
    are items, only what has the listing's class in either store is kept."""
    out: dict[tuple[str, str], set] = defaultdict(set)
    starts = [
        ((p.listing.name, part.key), start)
        for p in every
        for part in p.parts.values()
        for start in part.starts.values()
    ]
    predicates = sorted(frozenset().union(*(p.predicates for p in every)))
    before, after = (_statements(x, touched, predicates) for x in (old, new))
    nears = (_Neighbours(old), _Neighbours(new))
    for iri in sorted(set(before) | set(after)):
        changed = {p for p, _o in before.get(iri, set()) ^ after.get(iri, set())}
        for key, start in starts:
            if not start.predicates.isdisjoint(changed):
                for near in nears:
                    out[key] |= anchors(start, ox.NamedNode(iri), near)
    for p in every:
        classes = set(p.classes)
        for part in p.parts.values():
            key = (p.listing.name, part.key)
            if part.anchor == ITEM and key in out:
                out[key] = {
                    a for a in out[key]
                    if isinstance(a, ox.NamedNode)
                    and not classes.isdisjoint(nears[0].types(a) | nears[1].types(a))
                }
    return out


def _statements(store: ox.Store, subjects: Iterable[str], predicates: list[str]) -> dict:
    """subject IRI -> its (predicate, object) pairs with one of ``predicates``."""
    out: dict[str, set] = defaultdict(set)
    named = sorted(str(ox.NamedNode(s)) for s in set(subjects))
    props = ", ".join(str(ox.NamedNode(p)) for p in predicates)
    for i in range(0, len(named), BATCH):
        query = (
            f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {' '.join(named[i : i + BATCH])} }} "
            f"?s ?p ?o FILTER(?p IN ({props})) }}"
        )
        for s, p, o in solutions(store, query):
            out[s.value].add((p.value, o))
    return out


def update_index(
    store: ox.Store,
    path: Path,
    base: str,
    touched: Iterable[str],
    previous: Path,
    copy: Callable[[Path, Path], object] = share_sqlite,
) -> None:
    """Write to ``path`` the index of ``store``: the store of the build in ``previous``
    with the statements of the ``touched`` subjects changed. The previous index (made the
    build's own by ``copy(source, target)``, see ``store.share_sqlite``) with what they can
    affect recomputed; a full build if there is no usable previous index (none, or made for
    another base IRI, schema or definition of the listings) or too many touched subjects."""
    path, previous = Path(path), Path(previous)
    touched = sorted(set(touched))
    if (
        problem(previous / LISTING, base)
        or not (previous / GRAPH).is_dir()
        or len(touched) > MAX_TOUCHED
    ):
        build_index(store, path, base)
        return
    copy(previous / LISTING, path)
    old = ox.Store.read_only(str(previous / GRAPH))
    with log_writer(path) as conn:
        (saved,) = conn.execute("SELECT value FROM meta WHERE key = 'parsed'").fetchone()
        every = plans(json.loads(saved))
        work = affected(every, old, store, touched)
        conn.execute("BEGIN")
        writer = Writer(conn, store)
        for p in every:
            _refresh(writer, old, p, work)
        writer.finish(touched)
        conn.execute("COMMIT")


Values = dict[int, dict[int, set[int]]]  # item -> facet position -> values


def _refresh(w: Writer, old: ox.Store, p: Plan, work: dict) -> None:
    """Recompute one listing's anchors in ``work``: its items, their values and
    signatures, their rows."""
    n = p.listing.name
    candidates = work.get((n, "class"), set())
    now = {s[0] for s in solutions_for(w.store, p.parts["class"], candidates, True)}
    moved = {  # items that joined or left the listing -> whether they are in it now
        a: a in now
        for a in candidates
        if (w.sql(f"SELECT 1 FROM {table(n, 'item')} WHERE id = ?", (w.ids(a),)).fetchone()
            is None) == (a in now)
    }
    replaced, gained, lost = _facet_changes(w, old, p, work, set(moved))
    member = {w.ids(a): now for a, now in moved.items()}
    changes = {}
    for item in sorted(set(replaced) | set(gained) | set(lost) | set(member)):
        row = w.sql(f"SELECT sig FROM {table(n, 'item')} WHERE id = ?", (item,)).fetchone()
        before = _sets(w, p, row[0]) if row else None
        after = None
        if member.get(item, row is not None):
            start = before or tuple(frozenset() for _ in p.facets)
            after = tuple(
                frozenset((replaced[item].get(i, start[i]) | gained[item][i]) - lost[item][i])
                for i in range(len(p.facets))
            )
        if before != after:
            changes[item] = (before, after)
    w.sigs(p, changes)
    _refresh_rows(w, p, work.get((n, "row"), set()) | set(moved), changes)


def _facet_changes(
    w: Writer, old: ox.Store, p: Plan, work: dict, moved: set
) -> tuple[Values, Values, Values]:
    """The facet values of the items concerned: those read again (facets anchored at
    ?item), and those gained and lost (facets anchored elsewhere, whose pairs' numbers of
    anchors are brought up to date on the way)."""
    n = p.listing.name
    replaced: Values = defaultdict(dict)
    gained: Values = defaultdict(lambda: defaultdict(set))
    lost: Values = defaultdict(lambda: defaultdict(set))
    for i, part in enumerate(p.facets):
        todo = work.get((n, part.key), set())
        if part.anchor == ITEM:
            todo = todo | moved
            found: dict[int, set[int]] = defaultdict(set)
            for item, value in solutions_for(w.store, part, todo, True):
                if value is not None:
                    found[w.ids(item)].add(w.terms.add(w.ids(value), value, 0))
            for a in todo:
                replaced[w.ids(a)][i] = found.get(w.ids(a), set())
            continue
        delta: Counter[tuple[int, int]] = Counter()
        for store, sign in ((old, -1), (w.store, 1)):
            for _anchor, item, value in solutions_for(store, part, todo, True):
                if value is not None:
                    delta[w.terms.add(w.ids(value), value, 0), w.ids(item)] += sign
        f = table(n, "f", i)
        for (value, item), d in sorted(delta.items()):
            if d == 0:
                continue
            found_n = w.sql(f"SELECT n FROM {f} WHERE value = ? AND item = ?",
                            (value, item)).fetchone()
            total = (found_n[0] if found_n else 0) + d
            if total == 0:
                w.sql(f"DELETE FROM {f} WHERE value = ? AND item = ?", (value, item))
                lost[item][i].add(value)
            elif found_n is None:
                w.sql(f"INSERT INTO {f} VALUES (?, ?, ?)", (value, item, total))
                gained[item][i].add(value)
            else:
                w.sql(f"UPDATE {f} SET n = ? WHERE value = ? AND item = ?", (total, value, item))
    return replaced, gained, lost


def _sets(w: Writer, p: Plan, sig: int) -> Sets:
    """The values of a signature."""
    found: list[set[int]] = [set() for _ in p.facets]
    for i, v in w.sql(f"SELECT facet, value FROM {table(p.listing.name, 'sv')} WHERE sig = ?",
                      (sig,)):
        found[i].add(v)
    return tuple(frozenset(s) for s in found)


def _refresh_rows(w: Writer, p: Plan, items: set, changes: dict) -> None:
    """Read the rows of ``items`` again; give the other items whose signature changed
    their new one."""
    n = p.listing.name
    rows = table(n, "row")
    cells = ", ".join([f'"c_{v}"' for v in p.columns] + [f'"s_{k}"' for k in p.sorts])
    ids = sorted(w.ids(a) for a in items)
    for item in ids:
        for found in w.sql(f"SELECT {cells} FROM {rows} WHERE item = ?", (item,)).fetchall():
            for tid in found[: len(p.columns)]:
                if tid is not None:
                    w.terms.delta[tid] -= 1
            for sort, kid in zip(p.sorts, found[len(p.columns) :], strict=True):
                w.keys[n, sort].delta[kid] -= 1
        w.sql(f"DELETE FROM {rows} WHERE item = ?", (item,))
    sigs = {}
    for item in ids:
        found = w.sql(f"SELECT sig FROM {table(n, 'item')} WHERE id = ?", (item,)).fetchone()
        if found:
            sigs[item] = found[0]
    w.insert_rows(p, w.rows(p, solutions_for(w.store, p.parts["row"], items, False), sigs))
    recomputed = set(ids)
    for item, (_before, after) in changes.items():
        if item not in recomputed:
            w.sql(f"UPDATE {rows} SET sig = ? WHERE item = ?",
                  (None if after is None else sig_id(after), item))
