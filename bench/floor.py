"""The least time the store could take on an aggregate example, against rdflib's time for
it: is 100 x ruled out on this engine, whatever the query's form?

    .venv/bin/python -m bench.floor --store-dir DIR --rdflib-from FILE [--runs 5]
        [--out FILE]

Each aggregate example below counts or compares every triple of some properties of the
graph (every target's unit and value, for ``target-per-satuan``), which no index of the
store answers without reading them. For each such property this runs
``SELECT (COUNT(*) AS ?n) WHERE { ?s <property> ?o }`` ``--runs`` times on the store: one
scan of the property in the store's index, nothing joined, sorted or returned to Python.
An example's floor is the sum of the medians of its properties. ``indikator-per-program``
needs only the indicators of the sasaran that have a program (45 % of the indicators at
scale 2,422); the store's one other way to reach them, a lookup of each such sasaran's
indicators, is timed too (``LOOKUPS``), and its floor is the faster of the two.

``--rdflib-from`` is the JSON that ``bench.national`` wrote for the same data (the store
must hold the report's number of triples): rdflib's time for the example, the faster of
the example as written and its plain form as in the national report's ratios, over 100 is
what the target allows. A floor above it rules 100 x out on this engine and machine; one
below it does not mean 100 x is reachable, only that reading alone does not forbid it.
Writes ``bench/out/floor.json`` (or ``--out``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import pyoxigraph as ox

from kinerja.namespaces import KIN_IRI
from kinerja.store import default_graph_size, exists, open_store

OUT = Path(__file__).parent / "out"

# The properties an example's answer depends on every triple of (on the generated data:
# every target has a unit and a value; every goal is in a document and every indicator has
# a goal); tests/test_bench_floor.py checks that the counts add up to them. Not
# target-nol: its values are canonical decimals, so `?t kin:targetValue 0.0` finds its
# targets by one lookup, without reading the others.
FLOORS: dict[str, tuple[str, ...]] = {
    "target-per-satuan": ("unit", "targetValue"),  # a count, min and max per unit
    "dokumen-ringkasan": ("inDocument", "goal"),  # sasaran and indicators per document
    # every sasaran's program, and kin:goal whole or looked up (LOOKUPS)
    "indikator-per-program": ("program", "goal"),
}
# The other way to read only what an example needs: one lookup per row of the first pattern.
LOOKUPS: dict[str, str] = {
    "indikator-per-program":
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?g <{KIN_IRI}program> ?p . ?i <{KIN_IRI}goal> ?g }}",
}


def scan(store: ox.Store, prop: str, runs: int) -> tuple[list[float], int]:
    """Seconds of each count of the triples of ``kin:<prop>``, and the count."""
    return counted(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{KIN_IRI}{prop}> ?o }}", runs)


def counted(store: ox.Store, query: str, runs: int) -> tuple[list[float], int]:
    """Seconds of each run of a query that counts, and its count."""
    times, n = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        n = int(next(iter(store.query(query)))["n"].value)
        times.append(time.perf_counter() - start)
    return times, n


def rdflib_best(report: dict, name: str) -> float | None:
    """rdflib's faster time for the example in a bench.national report, None if neither
    form finished (over the cap) or rdflib did not run."""
    rd = report.get("rdflib")
    if not isinstance(rd, dict) or "error" in rd:
        return None
    plain = rd.get("plain") or {}
    times = [t for t in (rd.get(name), plain.get(name))
             if isinstance(t, (int, float)) and not isinstance(t, bool)]
    return float(min(times)) if times else None


def national_report(path: Path) -> dict:
    """The report of a bench.national run, with the rdflib times and direct times this
    needs; SystemExit naming the file and what is missing otherwise."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"{path}: expected the JSON of a bench.national run: {e}") from None
    if not isinstance(report, dict):
        raise SystemExit(f"{path}: expected the JSON object of a bench.national run, "
                         f"found {type(report).__name__}")
    for key in ("rdflib", "queries"):
        if not isinstance(report.get(key), dict):
            raise SystemExit(f"{path}: expected a {key!r} object in the report (a "
                             f"bench.national run without --no-rdflib and --no-queries)")
    for name in FLOORS:
        if not isinstance(report["queries"].get(name), dict):
            raise SystemExit(f"{path}: expected the direct time of {name!r} under 'queries'")
    return report


def measure(store_dir: Path, national: dict, runs: int = 5, progress=print) -> dict:
    if not exists(store_dir):
        raise SystemExit(f"{store_dir}: no built store (run kinerja build first)")
    if runs < 1:
        raise SystemExit(f"--runs must be at least 1, got {runs}")
    store = open_store(store_dir)
    if "triples" in national and national["triples"] != (n := default_graph_size(store)):
        raise SystemExit(f"{store_dir}: holds {n:,} triples, and the national report "
                         f"{national['triples']:,}: expected the store it measured")
    scans: dict[str, dict] = {}
    for prop in dict.fromkeys(p for props in FLOORS.values() for p in props):
        times, n = scan(store, prop, runs)
        scans[prop] = {"median_s": statistics.median(times), "seconds": times, "triples": n}
        progress(f"kin:{prop:<24} {n:>9,} triples {scans[prop]['median_s'] * 1000:8.1f} ms")
    report: dict = {"store": str(store_dir), "runs": runs, "scans": scans, "examples": {}}
    lookups: dict[str, dict] = {}
    for name, query in LOOKUPS.items():
        times, n = counted(store, query, runs)
        lookups[name] = {"median_s": statistics.median(times), "seconds": times, "rows": n}
        progress(f"{name + ', by lookups':<28} {n:>9,} rows    "
                 f"{lookups[name]['median_s'] * 1000:8.1f} ms")
    report["lookups"] = lookups
    progress(f"\n{'example':<24} {'floor':>9} {'direct':>9} {'rdflib':>9} "
             f"{'rdflib/100':>10}  100 x ruled out")
    for name, props in FLOORS.items():
        floor = sum(scans[p]["median_s"] for p in props)
        if name in lookups:
            floor = min(floor, lookups[name]["median_s"])
        direct = (national.get("queries", {}).get(name) or {}).get("direct", {}).get("median_ms")
        rdflib = rdflib_best(national, name)
        allowed = None if rdflib is None else rdflib / 100
        report["examples"][name] = entry = {
            "properties": [f"kin:{p}" for p in props], "floor_s": floor,
            "direct_s": None if direct is None else direct / 1000, "rdflib_s": rdflib,
            "allowed_s": allowed,
            "ruled_out": None if allowed is None else floor > allowed,
        }
        cells = [entry[k] for k in ("floor_s", "direct_s", "rdflib_s", "allowed_s")]
        shown = ["n/a" if c is None else f"{c:.3f} s" for c in cells]
        verdict = {None: "n/a", True: "yes", False: "no"}[entry["ruled_out"]]
        progress(f"{name:<24} {shown[0]:>9} {shown[1]:>9} {shown[2]:>9} {shown[3]:>10}  "
                 f"{verdict}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store-dir", type=Path, required=True)
    parser.add_argument("--rdflib-from", type=Path, required=True,
                        help="the JSON of a bench.national run on the same data")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=OUT / "floor.json")
    args = parser.parse_args()
    report = measure(args.store_dir, national_report(args.rdflib_from), args.runs)
    report["rdflib_from"] = str(args.rdflib_from)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
