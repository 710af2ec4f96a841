"""SHACL validation of a built store, as a full build runs it, and where its time goes.

    .venv/bin/python -m bench.validation --store-dir DIR [--runs 1] [--checks 10]
        [--out FILE]

Runs ``kinerja.validate.validate_store`` (every shape of ``shapes/``, compiled to SPARQL,
on the store's default graph, two checks at a time) ``--runs`` times on the current build
of DIR, then each compiled check alone, once, and prints the median and the ``--checks``
slowest checks. Writes ``bench/out/validation.json`` (or ``--out``). The store is opened
read-only; a national one is left by ``bench.national`` in ``var/bench/``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from kinerja import shacl
from kinerja.store import exists, open_store
from kinerja.validate import checks_for, load_shapes, validate_store

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).parent / "out"


def measure(store_dir: Path, runs: int, shapes_dir: Path = ROOT / "shapes") -> dict:
    if not exists(store_dir):
        raise SystemExit(f"{store_dir}: no built store there (expected a 'current' build)")
    store = open_store(store_dir)
    shapes = load_shapes(shapes_dir.resolve())
    totals, results = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        report = validate_store(store, shapes)
        totals.append(time.perf_counter() - start)
        results = len(report.violations)
    checks = []
    for check in checks_for(shapes):
        start = time.perf_counter()
        found = shacl.run(store, [check], threads=1)
        checks.append({"shape": check.shape, "component": check.component, "path": check.path,
                       "seconds": time.perf_counter() - start, "results": len(found)})
    checks.sort(key=lambda c: -c["seconds"])
    return {"store": str(store_dir), "quads": len(store), "runs": totals,
            "median_seconds": statistics.median(totals), "results": results,
            "checks_alone_seconds": sum(c["seconds"] for c in checks), "checks": checks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--checks", type=int, default=10, help="how many slowest checks to show")
    parser.add_argument("--out", type=Path, default=OUT / "validation.json")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    out = measure(args.store_dir, args.runs)
    print(f"validate_store: median {out['median_seconds']:.1f} s of {args.runs} run(s), "
          f"{out['results']} result(s); quads in the store: {out['quads']:,}")
    print(f"{len(out['checks'])} checks, one at a time: {out['checks_alone_seconds']:.1f} s")
    for c in out["checks"][: args.checks]:
        name = c["shape"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        print(f"  {c['seconds']:7.2f} s  {c['component']:<38} {name} {c['path']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2))
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
