"""One example query against rewrites of it, on a built store: is a rewrite faster, and
does it give the same rows in the same order?

    .venv/bin/python -m bench.variants --store-dir DIR EXAMPLE [VARIANT.rq ...]
        [--runs 3] [--in-memory] [--out FILE]

Without VARIANT files it takes those of ``bench/variants/<EXAMPLE>/``. A variant is a
query body written like ``kinerja/queries/*.rq`` (the model's prefixes are added, the
example's parameters are bound to their defaults). Each query runs ``--runs`` times on the
store, every row read; the table gives the median, the rows, and how they compare with
the example's: ``same order``, ``same rows, other order`` or ``different``. Rows that tie
on every key of an ORDER BY come in the order the store meets them, which another store (or
another plan) may change.
``--in-memory`` also copies the store's default graph (the merge every example reads; not
the named graphs) into an in-memory Oxigraph store and runs the example there. Writes
``bench/out/variants-<EXAMPLE>.json`` (or ``--out``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from kinerja.examples import examples
from kinerja.settings import DEFAULT_BASE_IRI
from kinerja.store import exists, open_store

HERE = Path(__file__).parent
VARIANTS = HERE / "variants"
OUT = HERE / "out"

Row = tuple[str | None, ...]


def run(store: ox.Store, text: str, subs: dict, runs: int) -> tuple[list[float], list[Row]]:
    """Seconds of each run (every row read and turned into strings) and the last rows.
    Raises TypeError for a query that is not a SELECT."""
    times, rows = [], []
    for _ in range(runs):
        start = time.perf_counter()
        result = store.query(text, substitutions=subs)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError(f"expected a SELECT query, got one that answers "
                            f"{type(result).__name__}")
        rows = [tuple(None if v is None else str(v) for v in s) for s in result]
        times.append(time.perf_counter() - start)
    return times, rows


def compare(rows: list[Row], reference: list[Row]) -> str:
    if rows == reference:
        return "same order"
    if Counter(rows) == Counter(reference):
        return "same rows, other order"
    return "different"


def in_memory_copy(store: ox.Store) -> tuple[ox.Store, float]:
    """The default graph of ``store`` in an in-memory store, and the seconds the copy took."""
    start = time.perf_counter()
    memory = ox.Store()
    memory.bulk_extend(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return memory, time.perf_counter() - start


def measure(store_dir: Path, name: str, variants: list[Path], runs: int = 3,
            in_memory: bool = False, progress=print) -> dict:
    """Run the example ``name`` and each variant on the store in ``store_dir``."""
    every = examples()
    if name not in every:
        raise SystemExit(f"no example query named {name!r}; there are: {', '.join(every)}")
    if not exists(store_dir):
        raise SystemExit(f"{store_dir}: no built store (run kinerja build first)")
    if runs < 1:
        raise SystemExit(f"--runs must be at least 1, got {runs}")
    example = every[name]
    subs = example.substitutions(example.defaults(DEFAULT_BASE_IRI))
    store = open_store(store_dir)
    queries, paths = {"example": example.text}, {"example": f"example {name!r}"}
    for path in variants:
        if path.name in queries:
            raise SystemExit(f"{path}: a second variant named {path.name} (the first: "
                             f"{paths[path.name]}); give each a name of its own")
        try:
            body = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise SystemExit(f"{path}: cannot read the variant: {e}") from None
        queries[path.name] = dataclasses.replace(example, body=body, plain_body=None).text
        paths[path.name] = str(path)
    report: dict = {"example": name, "store": str(store_dir), "runs": runs, "queries": {}}
    reference: list[Row] = []
    for label, text in queries.items():
        try:
            times, rows = run(store, text, subs, runs)
        except SyntaxError as e:
            raise SystemExit(f"{paths[label]}: expected a SPARQL SELECT query: {e}") from None
        except TypeError as e:
            raise SystemExit(f"{paths[label]}: {e}") from None
        if label == "example":
            reference = rows
        report["queries"][label] = entry = {
            "median_s": statistics.median(times), "seconds": times, "rows": len(rows),
            "compared": "reference" if label == "example" else compare(rows, reference),
        }
        progress(f"{label:<32} {entry['median_s']:>8.2f} s {len(rows):>9,} rows  "
                 f"{entry['compared']}")
    if in_memory:
        memory, seconds = in_memory_copy(store)
        times, rows = run(memory, queries["example"], subs, runs)
        report["in memory"] = entry = {
            "copy_s": seconds, "triples": len(memory), "median_s": statistics.median(times),
            "seconds": times, "rows": len(rows), "compared": compare(rows, reference),
        }
        progress(f"{'example, in-memory store':<32} {entry['median_s']:>8.2f} s "
                 f"{len(rows):>9,} rows  {entry['compared']} "
                 f"(copied {len(memory):,} triples in {seconds:.1f} s)")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("example")
    parser.add_argument("variants", nargs="*", type=Path)
    parser.add_argument("--store-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--in-memory", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_intermixed_args()
    variants = args.variants or sorted((VARIANTS / args.example).glob("*.rq"))
    if not variants:
        print(f"no variants given and none in {VARIANTS / args.example}: the example alone")
    report = measure(args.store_dir, args.example, variants, args.runs,
                     args.in_memory)
    out = args.out or OUT / f"variants-{args.example}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"\nwritten {out}")


if __name__ == "__main__":
    main()
