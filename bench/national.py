"""National scale, side by side in one run: generated sources in the seeds' layouts, built
and served by the real commands, measured from outside.

    .venv/bin/python -m bench.national --scale 1100 [--runs 20] [--rdflib-cap 60]

Steps, each on the same data:

1. generate the sources (``bench/generate.py``; cached per scale and seed);
2. full build (``kinerja build --full``: ingest, SHACL validation, store, search index) and
   full SHACL validation alone (``kinerja validate``), with their peak memory;
3. replacing one document, then adding one (``kinerja build``, incremental);
4. cold start of ``kinerja serve`` on the built store, to its first answer on /health;
5. catalogue pages and search over HTTP (median, p95, and the first request): the pages an
   analyst opens, picked from the data, and the costliest ones (the grids of the concept
   and the program with the most targets, that concept's target listing, a listing sorted
   by its chosen facet),
   and the VoID description open-data portals read;
6. the example queries through /sparql, directly on the store, and on rdflib's in-memory
   store (capped per query; "> cap" when it did not finish);
7. downloading the whole dataset (N-Quads, Turtle) twice: the first request writes the
   file, the second is sent from it; then the server's peak memory.

Prints a table and writes ``bench/out/national-<scale>.json``.

``--served-only`` measures steps 4 to 7 alone on the store a previous run left in
``var/bench/scale-<scale>-seed-<seed>`` (to see a change to the catalogue without building
again); ``--no-queries`` leaves out step 6, ``--no-downloads`` step 7.
``--incremental-only`` repeats step 3 alone on that store, ``--runs`` times: replace one
document, remove the last one, add it back, each followed by ``kinerja build`` (medians in
``national-<scale>-incremental.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.endpoint import free_port

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).parent / "out"
VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
BASE = "https://w3id.org/kinerja/"


# The server's time limit per query while benchmarking: the endpoint's overhead is measured
# on every example query, including those a national graph makes slower than the default
# limit of 10 s (they would be answered 503 there).
QUERY_TIMEOUT = 300


def _env(data: Path, store: Path, port: int | None = None) -> dict:
    env = dict(os.environ, KINERJA_DATA_DIR=str(data), KINERJA_STORE_DIR=str(store))
    if port:
        env["KINERJA_PORT"] = str(port)
        env["KINERJA_QUERY_TIMEOUT"] = str(QUERY_TIMEOUT)
    return env


def timed(args: list[str], env: dict) -> dict:
    """Run a command to its end: wall time and peak resident memory (MiB) of the child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    # ru_maxrss of children is the largest child so far: exact for the largest run, a bound
    # for the others (reported as such).
    return {"seconds": elapsed, "peak_mib_at_most": max(peak, before) / 1024,
            "stderr": done.stderr[-2000:]}


def kinerja(*args: str) -> list[str]:
    return [PYTHON, "-m", "kinerja.cli", *args]


def stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000,
            "runs": len(ordered)}


def replace_one(data: Path) -> str:
    """Change one target of the last document and its manifest checksum."""
    import hashlib

    files = sorted(p for p in data.iterdir() if p.suffix == ".txt")
    path = files[-1]
    text = path.read_text(encoding="utf-8")
    match = re.search(r"\t(\d+)( ?%)\n", text)
    if not match:
        raise SystemExit(f"no percentage target to change in {path}")
    new = f"\t{int(match.group(1)) % 99 + 1}{match.group(2)}\n"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(text[: match.start()] + new + text[match.end():], encoding="utf-8")
    after = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = data / "MANIFEST.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(before, after), "utf-8")
    return path.name


def add_one(data: Path, scale: int, seed: int) -> str:
    """Add one document of the next scale (a larger scale's sources start with a smaller
    one's, so it is new and consistent with the rest) with its manifest row."""
    import csv
    import tempfile

    from bench.generate import MANIFEST, generate

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), scale + 1, seed)
        with (Path(tmp) / MANIFEST).open(encoding="utf-8", newline="") as f:
            rows = [r for r in csv.DictReader(f) if not (data / r["file"]).exists()]
        row = rows[0]
        shutil.copy(Path(tmp) / row["file"], data / row["file"])
    with (data / MANIFEST).open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=list(row)).writerow(row)
    return row["file"]


def remove_last(data: Path) -> tuple[str, bytes, str]:
    """Take the last document out of the folder and its manifest; what ``put_back`` needs."""
    files = sorted(p for p in data.iterdir() if p.suffix == ".txt")
    path = files[-1]
    manifest = data / "MANIFEST.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    (index,) = [i for i, line in enumerate(lines) if line.startswith(path.name + ",")]
    row = lines.pop(index)
    content = path.read_bytes()
    manifest.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    path.unlink()
    return path.name, content, row


def put_back(data: Path, removed: tuple[str, bytes, str]) -> None:
    name, content, row = removed
    (data / name).write_bytes(content)
    with (data / "MANIFEST.csv").open("a", encoding="utf-8") as f:
        f.write(row + "\n")


def incremental_runs(data: Path, env: dict, runs: int) -> dict:
    """Step 3 alone, ``runs`` times, on a built store: the medians of incremental builds."""
    times: dict[str, list[float]] = {"replace one document": [], "remove one document": [],
                                     "add one document": []}
    for _ in range(runs):
        replace_one(data)
        times["replace one document"].append(timed(kinerja("build"), env)["seconds"])
        removed = remove_last(data)
        times["remove one document"].append(timed(kinerja("build"), env)["seconds"])
        put_back(data, removed)
        times["add one document"].append(timed(kinerja("build"), env)["seconds"])
    return {key: stats(samples) for key, samples in times.items()}


def serve(data: Path, store: Path) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen(kinerja("serve"), env=_env(data, store, port),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    while True:
        if proc.poll() is not None:
            raise SystemExit("kinerja serve stopped:\n" + proc.stderr.read().decode()[-2000:])
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return proc, base, time.perf_counter() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.02)


def peak_memory_mib(pid: int) -> float:
    """VmHWM (peak resident set) of the server and of its worker processes."""
    total = 0.0
    pids = [pid] + [int(p) for p in _children(pid)]
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        m = re.search(r"VmHWM:\s+(\d+) kB", status)
        total += int(m.group(1)) / 1024 if m else 0
    return total


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


PAGE_LIMIT = 60.0  # seconds; a slower page is recorded as "> limit" and not repeated


KIN = ("PREFIX kin: <https://w3id.org/kinerja/def#> "
       "PREFIX eli: <http://data.europa.eu/eli/ontology#> ")


def picks(store: Path) -> dict[str, str]:
    """What the pages and the parametrised example queries are measured on, picked from the
    data (IRIs without the ``{base}id/`` prefix): an indicator of a decree that names legal
    bases (so that its trace has something to follow), its concept, the office and year of
    its decree, and the concept and the program with the most targets (the worst cases)."""
    from kinerja.store import open_store

    s = open_store(store)
    where = """WHERE { ?i a kin:Indicator ; kin:concept ?c ; kin:goal/kin:inDocument ?d .
        ?d eli:based_on [] ; kin:issuedBy ?o ; kin:year ?y }"""
    # in the order of the indicators' IRIs, so that runs on the same data measure the same
    picked = KIN + f"SELECT ?i ?c ?o ?y {where} ORDER BY ?i LIMIT 1"
    row = next(iter(s.query(picked + " OFFSET 1000")), None) or next(iter(s.query(picked)), None)
    if row is None:
        raise SystemExit(f"{store}: no indicator of a document with legal bases to measure on")
    cut = len(BASE + "id/")
    out = {"indicator": row["i"].value[cut:], "concept": row["c"].value[cut:],
           "office": row["o"].value, "year": row["y"].value}
    for key, path in (("most stated concept", "kin:indicator/kin:concept"),
                      ("largest program", "kin:indicator/kin:goal/kin:program")):
        top = next(iter(s.query(
            KIN + f"""SELECT ?r (COUNT(?t) AS ?n) WHERE {{ ?t {path} ?r }}
                GROUP BY ?r ORDER BY DESC(?n) ?r LIMIT 1""")))
        out[key] = top["r"].value[cut:]
    return out


def example_values(picked: dict[str, str]) -> dict[str, dict[str, str]]:
    """The parameters each example query runs with: its defaults, except where a default
    names a resource of the seeds, which generated data may not have: the picked indicator,
    and its office and year."""
    from kinerja.examples import examples

    values = {name: example.defaults(BASE) for name, example in examples().items()}
    values["jejak-dasar-hukum"]["indikator"] = BASE + "id/" + picked["indicator"]
    values["indikator-kantor-tahun"].update(kantor=picked["office"], tahun=picked["year"])
    return values


def pages(base: str, picked: dict[str, str], runs: int) -> dict:
    """The catalogue pages an analyst opens, picked from the data, timed over HTTP."""
    indicator, concept = picked["indicator"], picked["concept"]
    most = {"concept": picked["most stated concept"], "program": picked["largest program"]}
    urls = {
        "home": "/",
        "indicator": f"/id/{indicator}",
        "trace": f"/jejak/{indicator}",
        "grid": f"/banding/{concept}",
        "grid (most stated concept)": f"/banding/{most['concept']}",
        "grid (largest program)": f"/banding/{most['program']}",
        "listing with facets": "/daftar/indikator?tahun=2024",
        "listing sorted by its facet": "/daftar/indikator?tahun=2024&urut=tahun",
        "listing sorted by year": "/daftar/indikator?urut=tahun",
        "listing of a concept's targets": f"/daftar/target?konsep={most['concept']}",
        "search": "/cari?q=pemasyarakatan",
        "search (misspelt)": "/cari?q=disiplin",
        "VoID description": "/.well-known/void?format=ttl",
    }
    out = {}
    with httpx.Client(base_url=base, headers={"Accept": "text/html"},
                      timeout=PAGE_LIMIT) as client:
        for name, url in urls.items():
            samples = []
            try:
                start = time.perf_counter()
                client.get(url)  # the first request, which warms what the page reads
                first = time.perf_counter() - start
                for _ in range(runs):
                    start = time.perf_counter()
                    r = client.get(url)
                    samples.append(time.perf_counter() - start)
                    if r.status_code != 200:
                        raise SystemExit(f"{url} -> {r.status_code}: {r.text[:300]}")
            except httpx.TimeoutException:
                out[name] = {"url": url, "over_seconds": PAGE_LIMIT, "runs_within": len(samples)}
                print(f"  {name}: over {PAGE_LIMIT:.0f} s", flush=True)
                continue
            out[name] = stats(samples) | {"url": url, "first_ms": first * 1000}
            print(f"  {name}: median {out[name]['median_ms']:.1f} ms "
                  f"(first {first * 1000:.1f} ms)", flush=True)
    return out


DOWNLOAD_LIMIT = 1800.0  # seconds for one download of the whole dataset


def downloads(base: str) -> dict:
    """The whole dataset's N-Quads and Turtle, each fetched twice: the first request writes
    the file into the build's ``dumps`` folder, the second is sent from it."""
    out = {}
    with httpx.Client(base_url=base, timeout=DOWNLOAD_LIMIT) as client:
        for ext in ("nq", "ttl"):
            seconds = []
            for _ in range(2):
                size, start = 0, time.perf_counter()
                with client.stream("GET", f"/data/kinerja.{ext}") as r:
                    if r.status_code != 200:
                        raise SystemExit(f"/data/kinerja.{ext} -> {r.status_code}")
                    for chunk in r.iter_bytes(1 << 20):
                        size += len(chunk)
                seconds.append(time.perf_counter() - start)
            out[ext] = {"first seconds": seconds[0], "again seconds": seconds[1], "bytes": size}
            print(f"  /data/kinerja.{ext}: {size / 1e6:,.0f} MB, first {seconds[0]:.1f} s, "
                  f"again {seconds[1]:.1f} s", flush=True)
    return out


def queries(base: str, store: Path, runs: int, chosen: dict[str, dict[str, str]]) -> dict:
    from bench.endpoint import direct
    from kinerja.examples import examples
    from kinerja.store import open_store

    s = open_store(store)
    out = {}
    with httpx.Client(base_url=base, timeout=300) as client:
        for name, example in examples().items():
            values = chosen[name]
            text, subs = example.text, example.substitutions(values)
            params = values
            first = client.get("/sparql/contoh/" + name + ".json", params=values)
            if first.status_code != 200:  # past the endpoint's time limit, say
                out[name] = {"error": f"{first.status_code} {first.text[:300]}",
                             "direct": stats([direct(s, text, subs)]), "params": params}
                print(f"  {name}: endpoint answered {first.status_code}", flush=True)
                continue
            endpoint, straight = [], []
            for _ in range(runs):
                start = time.perf_counter()
                r = client.get(f"/sparql/contoh/{name}.json", params=values)
                endpoint.append(time.perf_counter() - start)
                if r.status_code != 200:
                    raise SystemExit(f"{name}: {r.status_code} {r.text[:300]}")
                straight.append(direct(s, text, subs))
            rows = len(r.json()["results"]["bindings"])
            out[name] = {"endpoint": stats(endpoint), "direct": stats(straight),
                         "params": params, "rows": rows}
            print(f"  {name}: endpoint {out[name]['endpoint']['median_ms']:.1f} ms, "
                  f"direct {out[name]['direct']['median_ms']:.1f} ms, {rows:,} rows"
                  + ("" if rows else " (measured on an empty answer)"), flush=True)
    return out


def rdflib_times(dump: Path, cap: float, chosen: dict[str, dict[str, str]]) -> dict:
    """The example queries on rdflib's in-memory store, in a child process (so that its
    memory is not ours), each stopped after ``cap`` seconds, with the parameters ``chosen``
    for the store."""
    values = dump.with_suffix(".values.json")
    values.write_text(json.dumps(chosen))
    done = subprocess.run([PYTHON, "-m", "bench.national", "--rdflib-child", str(dump),
                           "--rdflib-values", str(values), "--rdflib-cap", str(cap)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr[-2000:]}
    return json.loads(done.stdout)


def _rdflib_child(dump: Path, cap: float, values: Path) -> None:
    import pyoxigraph as ox
    from rdflib import Dataset, Literal, URIRef

    from kinerja.examples import examples
    from kinerja.namespaces import PREFIXES

    start = time.perf_counter()
    data = Dataset(default_union=True)
    data.parse(dump, format="nquads")
    out = {"_load_seconds": time.perf_counter() - start, "plain": {}}

    def stop(_signum, _frame):
        raise TimeoutError

    def timed(text: str, bindings: dict) -> float | None:
        signal.setitimer(signal.ITIMER_REAL, cap)
        start = time.perf_counter()
        try:
            list(data.query(text, initNs=PREFIXES, initBindings=bindings))
            return time.perf_counter() - start
        except TimeoutError:
            return None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    signal.signal(signal.SIGALRM, stop)
    chosen = json.loads(values.read_text())
    for name, example in examples().items():
        bindings = {
            var.value: URIRef(term.value) if isinstance(term, ox.NamedNode)
            else Literal(term.value, datatype=URIRef(term.datatype.value))
            for var, term in example.substitutions(chosen[name]).items()
        }
        out[name] = timed(example.text, bindings)
        if example.plain_text:  # rdflib may do better on the plain form: measure it too
            out["plain"][name] = timed(example.plain_text, bindings)
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rdflib-cap", type=float, default=60.0)
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--no-queries", action="store_true",
                        help="leave out the example queries (endpoint, store, rdflib)")
    parser.add_argument("--no-downloads", action="store_true",
                        help="leave out downloading the whole dataset's files")
    parser.add_argument("--served-only", action="store_true",
                        help="cold start and pages on the store of a previous run, no build")
    parser.add_argument("--incremental-only", action="store_true",
                        help="repeat replacing, removing and adding one document on the store "
                        "of a previous run, no other step")
    parser.add_argument("--rdflib-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rdflib-values", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rdflib_child:
        _rdflib_child(args.rdflib_child, args.rdflib_cap, args.rdflib_values)
        return
    from bench.generate import generate, max_scale

    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    previous = args.served_only or args.incremental_only
    if not previous and not 1 <= args.scale < max_scale():
        # the step that adds a document takes it from the next scale
        parser.error(f"--scale must be from 1 to {max_scale() - 1}, got {args.scale}")
    work = VAR / f"scale-{args.scale}-seed-{args.seed}"
    data, store = work / "sources", work / "store"
    report: dict = {"scale": args.scale, "seed": args.seed, "runs": args.runs}
    if previous:
        if not (store / "current").exists():
            raise SystemExit(f"no store at {store}: run once without --served-only or "
                             "--incremental-only first")
        report["served only" if args.served_only else "incremental only"] = True
    else:
        shutil.rmtree(work, ignore_errors=True)
        start = time.perf_counter()
        generate(data, args.scale, args.seed)
        report["generate_seconds"] = time.perf_counter() - start
    env = _env(data, store)
    print(f"scale {args.scale}: {len(list(data.glob('*.txt')))} documents", flush=True)
    OUT.mkdir(exist_ok=True)
    suffix = "-served" if args.served_only else "-incremental" if args.incremental_only else ""
    path = OUT / f"national-{args.scale}{suffix}.json"

    def step(key: str, value) -> None:
        report[key] = value
        path.write_text(json.dumps(report, indent=2, default=str))  # what is measured so far
        if isinstance(value, dict) and "seconds" in value:
            print(f"  {key}: {value['seconds']:.1f} s", flush=True)

    if args.incremental_only:
        # bring the store up to date first
        report["catch-up build seconds"] = timed(kinerja("build"), env)["seconds"]
        step("incremental", incremental_runs(data, env, args.runs))
        for key, s in report["incremental"].items():
            print(f"  {key}: median {s['median_ms'] / 1000:.2f} s, p95 {s['p95_ms'] / 1000:.2f} s")
        print(f"\nwritten {path}")
        return
    if not args.served_only:
        step("full build", timed(kinerja("build", "--full"), env))
        step("full validation", timed(kinerja("validate"), env))
        name = replace_one(data)
        step("replace one document", timed(kinerja("build"), env) | {"file": name})
        name = add_one(data, args.scale, args.seed)
        step("add one document", timed(kinerja("build"), env) | {"file": name})
    from kinerja.store import DUMPS, default_graph_size, export_to, open_store

    report["triples"] = default_graph_size(open_store(store))
    for old in (store / "current" / DUMPS).glob("*"):  # so that the first download writes
        old.unlink()
    picked = picks(store)
    chosen = example_values(picked)
    proc, base, cold = serve(data, store)
    step("cold start seconds", cold)
    try:
        step("pages", pages(base, picked, args.runs))
        if not args.no_queries:
            step("queries", queries(base, store, args.runs, chosen))
        if not args.no_downloads:
            step("downloads", downloads(base))
        step("server peak MiB", peak_memory_mib(proc.pid))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still answering a slow page: stop it hard
            proc.kill()
            proc.wait()
    if not (args.no_rdflib or args.no_queries):
        dump = work / "kinerja.nq"
        with dump.open("wb") as f:
            export_to(open_store(store), "nquads", f)
        step("rdflib", rdflib_times(dump, args.rdflib_cap, chosen))
    print_table(report, args.rdflib_cap)
    print(f"\nwritten {path}")


def print_table(r: dict, cap: float) -> None:
    print(f"\ntriples (default graph): {r['triples']:,}")
    for key in ("full build", "full validation", "replace one document", "add one document"):
        if key not in r:  # --served-only
            continue
        peak = r[key]["peak_mib_at_most"]
        print(f"{key:<24} {r[key]['seconds']:8.2f} s   peak <= {peak:.0f} MiB")
    print(f"{'cold start (serve)':<24} {r['cold start seconds']:8.2f} s")
    print(f"{'server peak memory':<24} {r['server peak MiB']:8.0f} MiB (server + workers)")
    for ext, d in r.get("downloads", {}).items():
        print(f"{'/data/kinerja.' + ext:<24} {d['first seconds']:8.2f} s first, "
              f"{d['again seconds']:.2f} s again, {d['bytes'] / 1e6:,.0f} MB")
    print("\npage                       median ms    p95 ms   first ms")
    for name, s in r["pages"].items():
        if "over_seconds" in s:
            print(f"{name:<26} {'> ' + str(int(s['over_seconds'])) + ' s':>9}")
        else:
            print(f"{name:<26} {s['median_ms']:9.1f} {s['p95_ms']:9.1f} "
                  f"{s.get('first_ms', float('nan')):10.1f}")
    if "queries" not in r:  # --no-queries
        return
    print("\nquery                        endpoint   direct  limit(1.2x+5)  "
          "rdflib  (plain form)     ratio      rows")
    rd = r.get("rdflib", {})
    rd = rd if isinstance(rd, dict) and "error" not in rd else {}
    for name, q in r["queries"].items():
        if "error" in q:
            print(f"{name:<28} {'error':>8} {q['direct']['median_ms']:8.1f}  {q['error'][:40]}")
            continue
        e, d = q["endpoint"]["median_ms"], q["direct"]["median_ms"]
        times = [rd.get(name, "n/a"), rd.get("plain", {}).get(name, "n/a")]
        shown = [_rdflib_cell(t, cap) for t in times]
        ratio = rdflib_ratio(times, d, cap)
        ok = "ok" if e <= 1.2 * d + 5 else "OVER"
        rows = f"{q['rows']:,}" if "rows" in q else ""
        print(f"{name:<28} {e:8.1f} {d:8.1f} {1.2 * d + 5:9.1f} {ok:<4} "
              f"{shown[0]:>10} {shown[1]:>12} {ratio:>9} {rows:>9}")


def _rdflib_cell(t, cap: float) -> str:
    if t is None:
        return f"> {cap:.0f} s"
    return f"{t * 1000:.0f} ms" if isinstance(t, float) else ""


def rdflib_ratio(times: list, direct_ms: float, cap: float) -> str:
    """rdflib's time over the store's, taking rdflib's better form: the example as written
    or its plain form. "> n x" when rdflib passed its cap on every form it ran."""
    ran = [t for t in times if t is None or isinstance(t, float)]
    if not ran:
        return ""
    finished = [t for t in ran if t is not None]
    best = min(finished) if finished else cap
    over = "" if finished else "> "
    ratio = best * 1000 / max(direct_ms, 0.001)
    return f"{over}{ratio:.0f}x" if ratio >= 10 else f"{over}{ratio:.2g}x"


if __name__ == "__main__":
    main()
