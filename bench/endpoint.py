"""Example queries through /sparql (a real uvicorn on 127.0.0.1) against the same queries
directly on the store, in one run.

    .venv/bin/python -m bench.endpoint [--runs 30] [--store-dir DIR]

"Direct" is the work the endpoint itself must do: Oxigraph evaluates the query and the
solutions are written as SPARQL JSON. The endpoint adds HTTP, the policy check and the hop
to a worker process. Target: endpoint median <= 1.2 x direct median + 5 ms, per query.
Prints a table and writes bench/out/endpoint.json.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import uvicorn

from kinerja import results
from kinerja.build import build
from kinerja.examples import examples
from kinerja.settings import Settings
from kinerja.store import exists, open_store
from server.app import create_app

OUT = Path(__file__).parent / "out"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def direct(store: ox.Store, text: str, subs) -> float:
    start = time.perf_counter()
    result = store.query(text, substitutions=subs)
    results.to_json(results.collect(result, 10_000))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--store-dir", type=Path, default=Path("var/bench-store"))
    args = parser.parse_args()
    settings = Settings(store_dir=args.store_dir.resolve(), port=free_port())
    if not exists(settings.store_dir):
        build(settings)
    store = open_store(settings.store_dir)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1",
                                           port=settings.port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{settings.port}"
    with httpx.Client(base_url=url, timeout=30) as client:
        for _ in range(100):
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        rows = []
        for name, ex in examples().items():
            values = ex.defaults(settings.base_iri)
            subs = ex.substitutions(values)
            path = f"/sparql/contoh/{name}.json"
            for _ in range(3):  # warm up both paths
                direct(store, ex.text, subs)
                client.get(path, params=values)
            d, e = [], []
            for _ in range(args.runs):
                d.append(direct(store, ex.text, subs))
                start = time.perf_counter()
                r = client.get(path, params=values)
                e.append(time.perf_counter() - start)
                r.raise_for_status()
            dm, em = statistics.median(d), statistics.median(e)
            limit = 1.2 * dm + 0.005
            rows.append({"query": name, "direct_ms": dm * 1000, "endpoint_ms": em * 1000,
                         "ratio": em / dm if dm else float("inf"), "limit_ms": limit * 1000,
                         "within_target": em <= limit})
    server.should_exit = True
    thread.join(timeout=10)
    print(f"{'query':<26} {'direct ms':>10} {'endpoint ms':>12} {'limit ms':>9}  ok")
    for r in rows:
        print(f"{r['query']:<26} {r['direct_ms']:>10.2f} {r['endpoint_ms']:>12.2f} "
              f"{r['limit_ms']:>9.2f}  {'yes' if r['within_target'] else 'NO'}")
    met = sum(r["within_target"] for r in rows)
    print(f"\n{met}/{len(rows)} queries within 1.2 x direct + 5 ms "
          f"(median of {args.runs} runs each)")
    OUT.mkdir(exist_ok=True)
    (OUT / "endpoint.json").write_text(json.dumps({"runs": args.runs, "queries": rows},
                                                  indent=2))


if __name__ == "__main__":
    main()
