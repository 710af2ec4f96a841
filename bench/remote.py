"""The cost of the remote hop: the catalogue and the example queries on the embedded store,
on an Oxigraph server and on Virtuoso (both started on 127.0.0.1 by tests/servers.py),
with the same build; and what publishing costs.

    .venv/bin/python -m bench.remote [--runs 30] [--data-dir DIR]

For each store: medians of ``--runs`` requests of catalogue pages (in process, through
FastAPI's TestClient: the app's own work plus every store round trip it makes) and, on a
remote store, how many requests to the store one page makes; medians of each example
query run directly on the store (``Store.query`` or ``RemoteStore.query``, the answer
read in full), and through the endpoint's pool (``QueryPool`` / ``RemotePool``: the
answer written as SPARQL JSON). Then, per server: a full publish, an incremental one
after one source changed (the merged default graph by its difference), the merge made
anew on the server instead (as a full publish makes it), and a trivial query naming many
named graphs (as a union server's queries name every source graph): as the store sends
them, and as protocol parameters (``named-graph-uri``; up to 84 graphs, as Virtuoso
echoes each one in a response header and Python's HTTP client refuses more than 100
headers). Prints tables and writes bench/out/remote.json.

    .venv/bin/python -m bench.remote --store-dir var/bench/scale-1100-seed-0/store \
        [--runs 3] [--rdflib-from bench/out/national-1100.json] [--queries NAME ...] \
        [--virtuoso-buffers 680000] [--embedded-only]

On an existing build instead (the national benchmark's, say): a first publish of it to
each server, timed, with the server's peak memory (VmHWM) by its end, then each example
query as written and in its plain form directly on the embedded store and on each server
(the answer read in full, after one unmeasured run; both servers run all along), with
the rows of each answer. With ``--rdflib-from`` (the JSON ``bench.national`` writes)
each store's better form is set against rdflib's better form. The build's publish
records are left as they were. No catalogue or republishing measurements: they edit and
rebuild the sources. Writes bench/out/remote-existing.json; with ``--embedded-only`` (no
servers, no publishing) bench/out/remote-existing-embedded.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from bench.national import peak_memory_mib
from kinerja.build import build
from kinerja.examples import examples
from kinerja.executor import QueryPool, QueryRequest
from kinerja.publish import MERGE_BATCH, PUBLISHED, publish, remote_store
from kinerja.remote import RemoteStore
from kinerja.remote_pool import RemotePool
from kinerja.settings import PROJECT_ROOT, Settings
from kinerja.sparql_text import with_values
from kinerja.store import (
    BUILDS,
    current_path,
    default_graph_size,
    graph_names,
    graph_path,
    open_store,
)
from server.app import create_app
from tests import servers
from tests.conftest import edit_source

OUT = Path(__file__).parent / "out"
KIN = "https://w3id.org/kinerja/def#"
EDIT = ("000_0724a4aaa7b32400.txt", "hak remisi\t99%", "hak remisi\t98%")


def median_ms(action, runs: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def page_urls(store: ox.Store, base: str) -> dict[str, str]:
    def one(query: str) -> str:
        return next(iter(store.query(query)))[0].value

    indicator = one(f"""SELECT ?i WHERE {{ ?i a <{KIN}Indicator> ;
        <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(CONTAINS(?l, "remisi")) }}
        ORDER BY ?i LIMIT 1""")
    concept = one(f"SELECT ?c WHERE {{ <{indicator}> <{KIN}concept> ?c }}")
    document = one(f"SELECT ?d WHERE {{ ?d a <{KIN}PerformanceDocument> }} ORDER BY ?d LIMIT 1")
    path = "/" + indicator[len(base):]
    return {
        "home /": "/",
        "indicator /id/...": path,
        "document /id/...": "/" + document[len(base):],
        "trace /jejak/...": path.replace("/id/", "/jejak/", 1),
        "grid /banding/...": "/" + concept[len(base):].replace("id/", "banding/", 1),
        "listing /daftar/indikator": "/daftar/indikator",
        "search /cari?q=remisi": "/cari?q=remisi",
    }


def measure_catalogue(
    settings: Settings, urls: dict[str, str], runs: int
) -> tuple[dict[str, float], dict[str, int]]:
    """Median ms per page; and, on a remote store, the requests to it one page makes."""
    times, requests = {}, {}
    with TestClient(create_app(settings)) as client:
        store = client.app.state.store
        for name, url in urls.items():
            def get(url=url):
                answer = client.get(url, headers={"accept": "text/html"})
                assert answer.status_code == 200, (url, answer.status_code)
            times[name] = median_ms(get, runs)
            if isinstance(store, RemoteStore):
                requests[name] = _requests(store, get)
    return times, requests


def _requests(store: RemoteStore, action) -> int:
    """How many HTTP requests ``action`` makes to the store."""
    http = store._http
    sent = []
    original = http.request
    http.request = lambda *args, **kwargs: sent.append(1) or original(*args, **kwargs)
    try:
        action()
    finally:
        del http.request  # the class's method again
    return len(sent)


def example_runner(store, remote: bool, ex, text: str, values: dict[str, str]):
    """A function that runs ``text`` (a form of the example ``ex``) with ``values`` on
    ``store`` and returns the number of rows: the values bound by substitution on the
    embedded store, by a VALUES block on a remote one (as the endpoint's pools do)."""
    if remote:
        bound = with_values(text, ex.bindings(values))
        return lambda: len(list(store.query(bound)))
    subs = ex.substitutions(values)
    return lambda: len(list(store.query(text, substitutions=subs)))


def measure_queries(settings: Settings, runs: int) -> dict[str, dict[str, float]]:
    """Per example: direct on the store, and through the endpoint's pool."""
    remote = remote_store(settings)
    store = remote or open_store(settings.store_dir)
    if remote is None:
        pool = QueryPool(graph_path(settings.store_dir).resolve(), workers=1,
                         timeout=60, max_rows=settings.max_rows)
    else:
        pool = RemotePool(remote, workers=1, timeout=60, max_rows=settings.max_rows)
    out = {}
    try:
        for name, ex in examples().items():
            values = ex.defaults(settings.base_iri)
            direct = example_runner(store, remote is not None, ex, ex.text, values)
            request = QueryRequest(ex.text, "json", bindings=ex.bindings(values))
            out[name] = {
                "direct": median_ms(direct, runs),
                "endpoint": median_ms(lambda request=request: pool.execute(request), runs),
            }
    finally:
        pool.close()  # a RemotePool closes its store
    return out


def full_publish(settings: Settings) -> float:
    """Seconds of a first publish to an empty store."""
    with remote_store(settings) as store:
        store.clear()
    for record in settings.store_dir.glob(f"{BUILDS}/*/{PUBLISHED}"):
        record.unlink()
    start = time.perf_counter()
    publish(settings, current_path(settings.store_dir).resolve())
    return time.perf_counter() - start


def measure_publish(
    settings: Settings, local: Settings, data: Path, runs: int
) -> dict[str, float]:
    """A publish with nothing changed; an incremental one after EDIT; the merge made anew
    on the server (as a full publish makes it); a trivial query naming many named graphs.
    ``local``: the same settings without the remote store, to build without publishing."""
    build_dir = current_path(settings.store_dir).resolve()
    out = {}
    start = time.perf_counter()
    publish(settings, build_dir)
    out["publish, nothing changed s"] = time.perf_counter() - start
    name, old, new = EDIT
    edit_source(data, name, old, new)
    build(local)
    second = current_path(settings.store_dir).resolve()
    start = time.perf_counter()
    report = publish(settings, second)
    out["incremental publish s"] = time.perf_counter() - start
    out["incremental: graphs sent"] = len(report.put)
    out["incremental: merge -/+ triples"] = f"-{report.removed_triples} +{report.added_triples}"
    names = graph_names(ox.Store.read_only(str(second / "graph")))
    with remote_store(settings) as store:
        target = store.merged_graph if store.default_graph_is_union else None
        out["merge made anew instead ms"] = median_ms(
            lambda: store.merge_graphs(target, names, batch=MERGE_BATCH), max(3, runs // 5),
            warmup=1,
        )
        query = f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s a <{KIN}Indicator> }} }} LIMIT 1"
        graphs = store.listed_graphs()
        cases = [(store, "", 0), (store, "", 1000)]
        if store.dialect.dataset_as_from:  # compared with the protocol's parameters
            plain = RemoteStore(
                store.query_url, auth=(settings.store_user, settings.store_password),
                merged_graph=store.merged_graph,
                dialect=replace(store.dialect, dataset_as_from=False),
            )
            cases += [(plain, ", as parameters", 0), (plain, ", as parameters", 80)]
        for remote, how, extra in cases:
            names = graphs + [ox.NamedNode(f"{settings.base_iri}graph/sumber/x{i}")
                              for i in range(extra)]
            out[f"a query naming {len(names)} named graphs{how} ms"] = median_ms(
                lambda names=names, remote=remote: list(
                    remote.query(query, named_graphs=names)), runs
            )
            if remote is not store:
                remote.close()
    edit_source(data, name, new, old)  # back to the first build's sources, for the next server
    build(settings)  # and publish it
    return out


@contextlib.contextmanager
def records_kept(store_dir: Path) -> Iterator[None]:
    """The publish records of the builds in ``store_dir`` as they were before the block:
    publishing to a benchmark's servers must not make a deployment's next build believe its
    own remote store holds nothing."""
    before = {p: p.read_bytes() for p in store_dir.glob(f"{BUILDS}/*/{PUBLISHED}")}
    try:
        yield
    finally:
        for record in store_dir.glob(f"{BUILDS}/*/{PUBLISHED}"):
            record.unlink()
        for record, data in before.items():
            record.write_bytes(data)


def ratio_text(ratio: float) -> str:
    """``286 x``, ``5.2 x``, ``0.40 x``: two significant digits below 10, a trailing
    zero kept."""
    return f"{ratio:.0f} x" if ratio >= 9.95 else f"{ratio:#.2g} x"


def measure_existing(
    store_dir: Path, runs: int, names: list[str], buffers: int, rdflib: dict | None,
    servers_too: bool = True,
) -> dict:
    """Publish the build in ``store_dir`` to each server and time ``names`` on every store
    (after one unmeasured run), both servers running all along. The build's publish
    records are left as they were."""
    settings = Settings(store_dir=store_dir.resolve())
    work = Path(tempfile.mkdtemp(prefix="kinerja-bench-remote-"))
    results: dict = {"store": str(store_dir), "build": current_path(store_dir).resolve().name,
                     "runs": runs, "warmup runs": 1, "virtuoso buffers": buffers,
                     "triples": default_graph_size(open_store(settings.store_dir)), "publish s": {},
                     "publish server peak MiB": {}, "queries ms": {}, "rows": {}}
    stores: dict[str, Settings] = {"embedded": settings}
    started = []
    with records_kept(settings.store_dir):
        try:
            if servers_too:
                started = [servers.start_oxigraph(work / "oxigraph", timeout_s=900),
                           servers.start_virtuoso(work / "virtuoso", max_rows=1_000_000,
                                                  max_seconds=900, buffers=buffers)]
            for server in started:
                user, password = server.auth or ("", "")
                stores[server.name] = replace(
                    settings, store_url=server.query_url, store_update_url=server.update_url,
                    store_graph_store_url=server.graph_store_url, store_user=user,
                    store_password=password)
                print(f"publishing to {server.name}", flush=True)
                results["publish s"][server.name] = full_publish(stores[server.name])
                results["publish server peak MiB"][server.name] = round(
                    peak_memory_mib(server.process.pid))
            for store_name, target in stores.items():
                print(f"measuring {store_name}", flush=True)
                _time_examples(target, store_name, names, runs, results)
        finally:
            for server in started:
                server.stop()
            shutil.rmtree(work, ignore_errors=True)
    if rdflib is not None:
        for name, figures in results["queries ms"].items():
            best = [rdflib.get(name), rdflib.get("plain", {}).get(name)]
            best = [b for b in best if b is not None]
            if not best:
                continue  # rdflib passed its cap on every form
            for store_name in stores:
                mine = min(v for k, v in figures.items() if k.startswith(f"{store_name} "))
                figures[f"{store_name} x rdflib"] = ratio_text(min(best) * 1000 / mine)
            figures["rdflib, better form"] = min(best) * 1000
    return results


def _time_examples(
    target: Settings, store_name: str, names: list[str], runs: int, results: dict
) -> None:
    """Each of ``names`` as written and in its plain form, on the store ``target`` names:
    the median ms into ``results["queries ms"]``, the rows of the answer into
    ``results["rows"]``."""
    remote = remote_store(target, timeout=900)
    store = remote or open_store(target.store_dir)
    try:
        for name in names:
            ex = examples()[name]
            values = ex.defaults(target.base_iri)
            for form, text in {"as written": ex.text, "plain": ex.plain_text}.items():
                if text is None:
                    continue
                run = example_runner(store, remote is not None, ex, text, values)
                rows: list[int] = []
                key = f"{store_name} {form}"
                results["queries ms"].setdefault(name, {})[key] = median_ms(
                    lambda run=run, rows=rows: rows.append(run()), runs, warmup=1)
                results["rows"].setdefault(name, {})[key] = rows[-1]
    finally:
        if remote is not None:
            remote.close()


def table(title: str, rows: dict[str, dict[str, object]], columns: list[str]) -> str:
    lines = [f"\n{title}\n", "| | " + " | ".join(columns) + " |",
             "|---|" + "---:|" * len(columns)]
    for name, values in rows.items():
        cells = []
        for column in columns:
            value = values.get(column, "")
            cells.append(f"{value:.1f}" if isinstance(value, float) else str(value))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def existing(args: argparse.Namespace) -> None:
    rdflib = None
    if args.rdflib_from is not None:
        rdflib = json.loads(args.rdflib_from.read_text(encoding="utf-8"))["rdflib"]
    names = args.queries or list(examples())
    results = measure_existing(args.store_dir, args.runs, names, args.virtuoso_buffers, rdflib,
                               servers_too=not args.embedded_only)
    print(f"\n{results['triples']:,} triples in the default graph of {args.store_dir}")
    if results["publish s"]:
        print(table("First publish", {
            "full publish, s": results["publish s"],
            "the server's peak memory by its end, MiB": results["publish server peak MiB"],
        }, list(results["publish s"])))
    columns = sorted({c for figures in results["queries ms"].values() for c in figures},
                     key=lambda c: (c.startswith("rdflib"), "x rdflib" in c, c))
    print(table(f"Example queries, median ms of {args.runs}", results["queries ms"], columns))
    print(table("Rows of each answer", results["rows"],
                [c for c in columns if "rdflib" not in c]))
    OUT.mkdir(exist_ok=True)
    name = "remote-existing-embedded.json" if args.embedded_only else "remote-existing.json"
    (OUT / name).write_text(json.dumps(results, indent=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int,
                        help="runs per figure (default: 30; with --store-dir: 3)")
    parser.add_argument("--data-dir", type=Path, default=PROJECT_ROOT / "data" / "sources")
    parser.add_argument("--store-dir", type=Path,
                        help="an existing build: publish it and time the example queries")
    parser.add_argument("--queries", nargs="+", choices=sorted(examples()),
                        help="with --store-dir: these examples only (default: all)")
    parser.add_argument("--virtuoso-buffers", type=int, default=680_000,
                        help="with --store-dir: Virtuoso's NumberOfBuffers (8 KiB pages)")
    parser.add_argument("--embedded-only", action="store_true",
                        help="with --store-dir: no servers, the embedded store only")
    parser.add_argument("--rdflib-from", type=Path,
                        help="with --store-dir: bench.national's JSON, for rdflib's times")
    args = parser.parse_args()
    if args.store_dir is None:
        given = [f"--{n.replace('_', '-')}" for n in ("queries", "rdflib_from", "embedded_only")
                 if getattr(args, n) not in (None, False)]
        if args.virtuoso_buffers != parser.get_default("virtuoso_buffers"):
            given.append("--virtuoso-buffers")
        if given:
            parser.error(f"{', '.join(given)} only apply with --store-dir")
    else:
        args.runs = args.runs or 3
        existing(args)
        return
    args.runs = args.runs or 30
    work = Path(tempfile.mkdtemp(prefix="kinerja-bench-remote-"))
    try:
        data = work / "sources"
        shutil.copytree(args.data_dir, data)
        settings = Settings(data_dir=data, store_dir=work / "store")
        build(settings, full=True)
        embedded = open_store(settings.store_dir)
        urls = page_urls(embedded, settings.base_iri)
        del embedded
        stores = {"embedded": (settings, None)}
        started = [servers.start_oxigraph(work / "oxigraph", timeout_s=60),
                   servers.start_virtuoso(work / "virtuoso", max_rows=100_000)]
        for server in started:
            user, password = server.auth or ("", "")
            remote = replace(settings, store_url=server.query_url,
                             store_update_url=server.update_url,
                             store_graph_store_url=server.graph_store_url,
                             store_user=user, store_password=password)
            stores[server.name] = (remote, server)
        results: dict[str, dict] = {"pages": {}, "queries": {}, "publish": {},
                                    "pages after publishing": {}, "store requests": {}}
        try:
            for name, (target, server) in stores.items():
                print(f"measuring {name}", flush=True)
                if server is not None:
                    first = full_publish(target)
                results["pages"][name], requests = measure_catalogue(target, urls, args.runs)
                if requests:
                    results["store requests"][name] = requests
                results["queries"][name] = measure_queries(target, args.runs)
                if server is not None:
                    results["publish"][name] = {"full publish s": first,
                                                **measure_publish(target, settings, data,
                                                                  args.runs)}
                    results["pages after publishing"][name] = measure_catalogue(
                        target, urls, args.runs)[0]
        finally:
            for server in started:
                server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    names = list(stores)
    pages = {url: {n: results["pages"][n][url] for n in names} for url in urls}
    print(table(f"Catalogue pages, median ms of {args.runs} (TestClient, in process)",
                pages, names))
    requests = {url: {n: results["store requests"][n][url] for n in results["store requests"]}
                for url in urls}
    print(table("Requests to the store per page", requests, list(results["store requests"])))
    later = {url: {n: results["pages after publishing"][n][url]
                   for n in results["pages after publishing"]} for url in urls}
    print(table("The same pages after the publishing measurements (the store rewritten "
                "about ten times)", later, list(results["pages after publishing"])))
    queries = {
        q: {f"{n} {kind}": results["queries"][n][q][kind] for n in names
            for kind in ("direct", "endpoint")}
        for q in examples()
    }
    columns = [f"{n} {kind}" for kind in ("direct", "endpoint") for n in names]
    print(table(f"Example queries, median ms of {args.runs}", queries, columns))
    for kind in ("direct", "endpoint"):
        for n in names:
            values = [results["queries"][n][q][kind] for q in examples()]
            print(f"  {kind} {n}: median over the queries {statistics.median(values):.1f} ms, "
                  f"sum {sum(values):.1f} ms")
    publish_rows: dict[str, dict] = {}
    for n, figures in results["publish"].items():
        for key, value in figures.items():
            publish_rows.setdefault(key, {})[n] = value
    print(table("Publishing", publish_rows, list(results["publish"])))
    OUT.mkdir(exist_ok=True)
    (OUT / "remote.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
