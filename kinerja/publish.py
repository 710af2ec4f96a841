"""Publishing a local build to a remote SPARQL store (Graph Store Protocol).

With ``KINERJA_STORE_URL`` set, a build is still written, validated and made current in
``store_dir`` (the staging copy, which also keeps the indexes and the state, with the
source texts beside it); then ``kinerja.build.build`` calls :func:`publish`, which makes the remote
store hold the same dataset:

- each named graph of the build (one per source, plus the model and the concept graphs)
  that is new or changed since the last publish to that store is sent with a GSP ``PUT``;
  a graph is "changed" when its key differs: for a source, its key in the build's state
  together with the build's fingerprint (base IRI, ontology, shapes, ingestion code,
  index layouts); for the model and concept graphs, a digest of their content;
- the default graph is kept equal to the RDF merge of the named graphs (each triple once),
  as in the embedded store. On a server with a default graph of its own (Oxigraph server,
  Fuseki) that is the default graph; on a server whose default graph is the bag union of
  all its graphs (Virtuoso, GraphDB, Neptune) it is one more named graph,
  ``{base}graph/gabungan``, which the store of :func:`remote_store` gives every query as
  its default graph (see ``merged_graph`` in ``kinerja.remote.RemoteStore``). A full
  publish has the server make the merge anew from the named graphs it now holds (SPARQL
  Update ``ADD``: only their names are sent); an incremental one sends only its difference
  (``DELETE DATA`` / ``INSERT DATA`` of the triples of the changed graphs that leave or
  enter the merge);
- graphs under ``{base}graph/`` that the build no longer has are deleted (graphs of other
  applications in the same store are left alone, and reported).

What was published is recorded in ``published.json`` in the build folder: the store's
URL and, per graph, its key and size. The next publish starts from the newest record for
the same store among the kept builds, after checking that the server still holds exactly
the graph sizes it records (one query); if it does not (the server was reset, or a
publish failed half-way), everything is sent again. A publish whose record matches the
build and the server does nothing. Every step is idempotent, so a failed publish is
simply run again.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kinerja.errors import KinerjaError
from kinerja.remote import RemoteError, RemoteStore, sparql_term
from kinerja.settings import Settings
from kinerja.state import State
from kinerja.store import BUILDS, GRAPH, default_graph_size, graph_names, read_json, write_json

PUBLISHED = "published.json"
RECORD_VERSION = 1
MERGED = "graph/gabungan"  # under the base IRI: the merge, on servers without a default graph
STORE_TIMEOUT = 30.0  # seconds: one request of the catalogue to the store
PUBLISH_TIMEOUT = 600.0  # seconds: one request of a publish (a PUT of a large graph)
UPDATE_BATCH = 5_000  # triples per DELETE DATA / INSERT DATA request
# Named graphs added to the merge per request. Virtuoso refuses a request with 1,002 ADDs
# ("Query too large"). Merging a scale-500 build (1,351,105 triples; bench.merge) took an
# Oxigraph server 29.7 s and +518 MiB in requests of 25 graphs, 34.3 s and +586 MiB of
# 100, 43.6 s and +917 MiB of 400, and 47.2 s and +1,527 MiB PUT whole; Virtuoso 14.0 s,
# 14.9 s, 17.0 s and 12.9 s, and +41 MiB, +49, +173 and +348.
MERGE_BATCH = 25

Progress = Callable[[str], None]


class PublishFailed(KinerjaError):
    """Publishing to the remote store failed; the local build stays current."""

    def __init__(self, url: str, step: str, graph: str | None, reason: str):
        self.url = url
        self.step = step
        self.graph = graph
        self.reason = reason
        where = f" graph <{graph}>" if graph else ""
        super().__init__(
            f"publishing to {url} failed ({step}{where}): {reason}; the local build stays "
            "current, and the next 'kinerja build' publishes again"
        )


class PublishInterrupted(KeyboardInterrupt):
    """Interrupted (Ctrl-C) while writing to the remote store: it may hold part of the
    build. Still a ``KeyboardInterrupt``, so it stops what runs as any interrupt does."""

    def __init__(self, url: str):
        self.url = url
        super().__init__(
            f"interrupted while publishing to {url}: the new local build is current, but "
            "the remote store may hold only part of it; the next 'kinerja build' sends all "
            "of it again"
        )


@dataclass
class PublishReport:
    store: str  # the query URL
    put: list[str] = field(default_factory=list)  # named graphs sent whole
    deleted: list[str] = field(default_factory=list)  # named graphs removed
    # "merged" (made anew on the server), "diff" (difference sent), "unchanged"
    default: str = "unchanged"
    default_graph: str | None = None  # the merged graph's IRI, where it stands in
    removed_triples: int = 0  # triples taken out of the merge by a difference
    added_triples: int = 0  # triples put into the merge by a difference
    foreign: list[str] = field(default_factory=list)  # graphs kinerja did not write
    up_to_date: bool = False  # nothing was sent: the store already held this build
    full: bool = False  # everything was sent (no usable record of the store)
    seconds: float = 0.0

    def text(self) -> str:
        if self.up_to_date:
            return f"published: {self.store} already holds this build"
        merge = {
            "merged": "merged anew on the server",
            "diff": f"-{self.removed_triples} +{self.added_triples} triples",
            "unchanged": "unchanged",
        }[self.default]
        lines = [
            f"published to {self.store} in {self.seconds:.1f} s"
            + (" (everything, no usable record of the store)" if self.full else ""),
            f"  graphs sent: {len(self.put)}, removed: {len(self.deleted)}; merged default "
            f"graph{' <' + self.default_graph + '>' if self.default_graph else ''}: {merge}",
        ]
        if self.foreign:
            lines.append(f"  left alone: {len(self.foreign)} graph(s) kinerja did not write")
        return "\n".join(lines)


def merged_graph_iri(settings: Settings) -> str:
    """The graph holding the merge on servers whose default graph is the union of all."""
    return settings.base_iri + MERGED


def remote_store(settings: Settings, timeout: float = STORE_TIMEOUT) -> RemoteStore | None:
    """The remote store the settings name (None: the embedded store is used), set up to
    answer as the embedded store does (see ``merged_graph`` in ``RemoteStore``)."""
    if not settings.remote:
        return None
    query_url, update_url, graph_store_url = settings.store_urls()
    auth = (settings.store_user, settings.store_password) if settings.store_user else None
    return RemoteStore(
        query_url,
        update_url,
        graph_store_url,
        timeout=timeout,
        auth=auth,
        dialect=settings.store_dialect or None,
        merged_graph=merged_graph_iri(settings),
        embedded_order=True,
    )


def publish(
    settings: Settings,
    build_dir: Path,
    progress: Progress = lambda _m: None,
    *,
    force: bool = False,
) -> PublishReport:
    """Make the remote store hold the dataset of the local build in ``build_dir``.

    The last record of a publish to this store is looked for in this build and the builds
    beside it; ``force`` ignores every record: all graphs are sent. Raises
    :class:`PublishFailed`, naming the step, the graph and the server's message, when the
    server refuses or cannot be reached; the local build is never touched, except for its
    ``published.json``, which is removed before the first write and written again only
    after a publish that succeeded and checked its result."""
    start = time.perf_counter()
    store = remote_store(settings, timeout=PUBLISH_TIMEOUT)
    if store is None:
        raise KinerjaError("no remote store is configured (KINERJA_STORE_URL is empty)")
    build_dir = Path(build_dir).resolve()
    url = store.query_url
    report = PublishReport(url)
    with store:
        union = _step(url, "connecting", None, lambda: store.default_graph_is_union)
        target = store.merged_graph if union else None  # None: the default graph
        report.default_graph = target
        local = ox.Store.read_only(str(build_dir / GRAPH))
        graphs = _graph_keys(local, build_dir)
        sizes = _sizes(local)
        base, base_dir = (None, None) if force else _last_record(url, target, build_dir)
        if base is not None and not _server_matches(store, base, url):
            progress(f"publish: {url} does not hold what {base_dir.name}/{PUBLISHED} "
                     "records; sending everything")
            base, base_dir = None, None
        if base is not None and base_dir == build_dir and _keys(base) == graphs:
            report.up_to_date = True
            report.seconds = time.perf_counter() - start
            progress(report.text())
            return report
        (build_dir / PUBLISHED).unlink(missing_ok=True)  # no record while the store changes
        try:
            remote = _step(url, "listing graphs", None, lambda: [g.value for g in
                                                                 store.named_graphs()])
            ours = settings.base_iri + "graph/"
            old_keys = _keys(base) if base is not None else {}
            report.full = base is None
            report.put = sorted(g for g in graphs if old_keys.get(g) != graphs[g]
                                or g not in remote)
            report.deleted = sorted(
                g for g in set(remote) | set(old_keys)
                if g not in graphs and (g.startswith(ours) or g in old_keys)
            )
            report.foreign = sorted(
                g for g in remote if g not in graphs and g not in report.deleted
            )
            progress(f"publish to {url}: {len(report.put)} graph(s) to send, "
                     f"{len(report.deleted)} to remove"
                     + (f", {len(report.foreign)} foreign graph(s) left alone"
                        if report.foreign else ""))

            for graph in report.put:
                data = local.dump(
                    format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)
                )
                _step(url, "PUT", graph, lambda g=graph, d=data: store.put_graph(g, d))
            _publish_merge(store, url, target, local, _previous_store(base, base_dir),
                           set(report.put) | set(report.deleted), report)
            for graph in report.deleted:
                _step(url, "DELETE", graph, lambda g=graph: store.delete_graph(g))

            record = {
                "version": RECORD_VERSION,
                "store": url,
                "merged_graph": target,
                "build": build_dir.name,
                "published": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "graphs": {g: {"key": graphs[g], "quads": sizes.get(g, 0)} for g in graphs},
                "default": sizes[None],
            }
            if not _server_matches(store, record, url):
                raise PublishFailed(url, "checking", None,
                                    "after publishing, the server's graph sizes differ from "
                                    "the build's (is another process writing to it?)")
            write_json(build_dir, PUBLISHED, record)
        except KeyboardInterrupt:
            raise PublishInterrupted(url) from None
    report.seconds = time.perf_counter() - start
    progress(report.text())
    return report


# --- what the build has ------------------------------------------------------------------
def _graph_keys(local: ox.Store, build_dir: Path) -> dict[str, str]:
    """Each named graph of the build and its key: for a source, from its key in
    the build's state and the build's fingerprint; else a digest of its content."""
    state = State.open(build_dir)
    fingerprint, by_graph = "", {}
    if state is not None:
        with contextlib.closing(state):
            fingerprint = state.fingerprint
            by_graph = {entry["graph"]: entry["key"] for entry in state.sources().values()}
    keys = {}
    for node in local.named_graphs():
        graph = node.value
        if graph in by_graph and fingerprint:
            keys[graph] = _digest(f"{fingerprint}\n{by_graph[graph]}".encode())
        else:
            data = local.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node)
            keys[graph] = _digest(b"".join(sorted(data.splitlines(keepends=True))))
    return keys


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sizes(store: ox.Store | RemoteStore) -> dict[str | None, int]:
    """Quads per named graph, and (key None) triples in the default graph, counted by the
    store: a local build, or the server as kinerja reads it (on a union server the merged
    graph is the default graph and is not listed)."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    sizes: dict[str | None, int] = {
        row["g"].value: int(row["n"].value) for row in store.query(query)
    }
    sizes[None] = default_graph_size(store)
    return sizes


def _keys(record: dict) -> dict[str, str]:
    return {g: entry["key"] for g, entry in record["graphs"].items()}


# --- records -----------------------------------------------------------------------------
def read_record(build_dir: Path) -> dict | None:
    """The ``published.json`` of a build, or None."""
    return read_json(build_dir, PUBLISHED, RECORD_VERSION)


def _last_record(url: str, target: str | None, build_dir: Path) -> tuple[dict | None, Path | None]:
    """The newest record of a publish to this store, in this build or a build beside it."""
    folders = [build_dir]
    if build_dir.parent.name == BUILDS:
        folders += [p for p in build_dir.parent.iterdir()
                    if p.is_dir() and not p.name.startswith(".") and p != build_dir]
    found = []
    for folder in folders:
        record = read_record(folder)
        if record and record.get("store") == url and record.get("merged_graph") == target:
            found.append((record.get("published", ""), folder == build_dir, folder, record))
    if not found:
        return None, None
    _when, _mine, folder, record = max(found, key=lambda item: (item[0], item[1]))
    return record, folder


def _server_matches(store: RemoteStore, record: dict, url: str) -> bool:
    """Whether the server holds exactly the graphs of a record, with the sizes it records
    (graphs kinerja did not write are not looked at)."""
    sizes = _step(url, "reading graph sizes", None, lambda: _sizes(store))
    wanted = {g: entry["quads"] for g, entry in record["graphs"].items()}
    held = {g: n for g, n in sizes.items() if g in wanted or g is None}
    return held == {**wanted, None: record["default"]}


def _previous_store(record: dict | None, folder: Path | None) -> ox.Store | None:
    """The local store of the build a record was published from, if it is still there."""
    if record is None or folder is None:
        return None
    path = folder.parent / record["build"] / GRAPH
    if not path.is_dir():
        return None
    try:
        return ox.Store.read_only(str(path))
    except OSError:
        return None


# --- the merged default graph --------------------------------------------------------------
def _publish_merge(
    store: RemoteStore,
    url: str,
    target: str | None,
    local: ox.Store,
    previous: ox.Store | None,
    changed: set[str],
    report: PublishReport,
) -> None:
    """Bring the merge on the server (the default graph, or ``target``) from what
    ``previous`` holds to what ``local`` holds: by its difference, or, when there is no
    previous build or the difference has blank nodes (which DATA cannot name), made anew
    on the server from the named graphs just published (``RemoteStore.merge_graphs``)."""
    gone, new = _merge_difference(previous, local, changed) if previous else ([], [])
    blank = any(isinstance(term, ox.BlankNode) for t in (*gone, *new) for term in t)
    if previous is None or blank:
        names = graph_names(local)
        _step(url, "merging the named graphs into the default graph", target,
              lambda: store.merge_graphs(target, names, batch=MERGE_BATCH))
        report.default = "merged"
    elif gone or new:
        report.removed_triples, report.added_triples = len(gone), len(new)
        _apply_difference(store, url, target, gone, new)
        report.default = "diff"


def _merge_difference(
    old: ox.Store, new: ox.Store, graphs: Iterable[str]
) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """The triples that leave the merge and those that enter it: only triples of the
    changed graphs (in the old or the new build) can."""
    candidates: set[ox.Triple] = set()
    for graph in graphs:
        node = ox.NamedNode(graph)
        for store in (old, new):
            candidates.update(q.triple for q in store.quads_for_pattern(None, None, None, node))
    gone, added = [], []
    for t in candidates:
        before = ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) in old
        after = ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) in new
        if before and not after:
            gone.append(t)
        elif after and not before:
            added.append(t)
    return sorted(gone, key=str), sorted(added, key=str)


def _apply_difference(
    store: RemoteStore, url: str, target: str | None, gone: list, new: list
) -> None:
    """DELETE DATA then INSERT DATA on the default graph (or the merged graph), in
    batches."""
    for verb, triples in (("DELETE DATA", gone), ("INSERT DATA", new)):
        for start in range(0, len(triples), UPDATE_BATCH):
            lines = "\n".join(
                " ".join(sparql_term(term) for term in t) + " ."
                for t in triples[start:start + UPDATE_BATCH]
            )
            body = lines if target is None else f"GRAPH <{target}> {{\n{lines}\n}}"
            _step(url, verb, target, lambda b=body, v=verb: store.update(f"{v} {{\n{b}\n}}"))


def _step(url: str, step: str, graph: str | None, action):
    try:
        return action()
    except RemoteError as e:
        raise PublishFailed(url, step, graph, e.answer) from None
