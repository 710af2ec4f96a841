"""What making the merged default graph costs a remote store, by each way of making it.

    .venv/bin/python -m bench.merge --store-dir var/bench/scale-500-seed-0/store \
        [--ways whole 25 100 400] [--servers oxigraph virtuoso] [--virtuoso-buffers 170000]

For each server and each way, on a server started afresh on 127.0.0.1 (tests/servers.py):
every named graph of the store's current build is PUT (timed), then the merge is made,
timed, with the server's peak memory (VmHWM) before and after it. ``whole``: the merge's
N-Triples PUT in one request (by the Graph Store Protocol); a number: the server makes
the merge itself, that many graphs added (``ADD``) per request
(``RemoteStore.merge_graphs``, as a full publish does with
``kinerja.publish.MERGE_BATCH``). Each way is checked to leave the
triples of the local merge. Prints a table and writes bench/out/merge.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from bench.national import peak_memory_mib
from kinerja.publish import PUBLISH_TIMEOUT, remote_store
from kinerja.settings import Settings
from kinerja.store import current_path, default_graph_size, graph_names
from tests import servers

OUT = Path(__file__).parent / "out"


def measure(server_name: str, build_dir: Path, way: str, buffers: int) -> dict[str, float]:
    local = ox.Store.read_only(str(build_dir / "graph"))
    names = graph_names(local)
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-merge-") as work:
        start = {"oxigraph": lambda: servers.start_oxigraph(Path(work) / "server"),
                 "virtuoso": lambda: servers.start_virtuoso(Path(work) / "server",
                                                            buffers=buffers)}[server_name]
        with start() as server:
            user, password = server.auth or ("", "")
            settings = Settings(store_url=server.query_url, store_update_url=server.update_url,
                                store_graph_store_url=server.graph_store_url,
                                store_user=user, store_password=password)
            with remote_store(settings, timeout=PUBLISH_TIMEOUT) as store:
                target = store.merged_graph if store.default_graph_is_union else None
                begin = time.perf_counter()
                for name in names:
                    store.put_graph(name, local.dump(format=ox.RdfFormat.N_TRIPLES,
                                                     from_graph=ox.NamedNode(name)))
                named = time.perf_counter() - begin
                before = peak_memory_mib(server.process.pid)
                begin = time.perf_counter()
                if way == "whole":
                    store.put_graph(target, local.dump(format=ox.RdfFormat.N_TRIPLES,
                                                       from_graph=ox.DefaultGraph()))
                else:
                    store.merge_graphs(target, names, batch=int(way))
                merge = time.perf_counter() - begin
                after = peak_memory_mib(server.process.pid)
                triples = default_graph_size(store)
    expected = default_graph_size(local)
    if triples != expected:
        raise SystemExit(f"{server_name}, {way}: {triples:,} triples in the merge, "
                         f"{expected:,} expected")
    return {"named graphs PUT s": round(named, 1), "merge s": round(merge, 1),
            "server peak MiB before the merge": round(before),
            "server peak MiB after it": round(after)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store-dir", type=Path, required=True)
    parser.add_argument("--ways", nargs="+", default=["whole", "25", "100", "400"],
                        help="'whole', or graphs per ADD request")
    parser.add_argument("--servers", nargs="+", default=["oxigraph", "virtuoso"],
                        choices=["oxigraph", "virtuoso"])
    parser.add_argument("--virtuoso-buffers", type=int, default=170_000)
    args = parser.parse_args()
    for way in args.ways:
        if way != "whole" and not (way.isdigit() and int(way) > 0):
            parser.error(f"--ways: 'whole' or a positive number of graphs, got {way!r}")
    build_dir = current_path(args.store_dir).resolve()
    results = {"store": str(args.store_dir), "build": build_dir.name,
               "named graphs": sum(1 for _ in ox.Store.read_only(
                   str(build_dir / "graph")).named_graphs()),
               "virtuoso buffers": args.virtuoso_buffers, "ways": {}}
    for server_name in args.servers:
        for way in args.ways:
            print(f"{server_name}, {way}", flush=True)
            figures = measure(server_name, build_dir, way, args.virtuoso_buffers)
            results["ways"][f"{server_name}, {way}"] = figures
    columns = list(next(iter(results["ways"].values())))
    print(f"\n{results['named graphs']:,} named graphs of {build_dir}")
    print("| server, way | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for key, figures in results["ways"].items():
        print(f"| {key} | " + " | ".join(f"{figures[c]:,}" for c in columns) + " |")
    OUT.mkdir(exist_ok=True)
    (OUT / "merge.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
