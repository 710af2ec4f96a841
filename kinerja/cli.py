"""The ``kinerja`` command: build | validate | query | export | serve.

Flags mirror the settings (``kinerja --help``); each can also be set with its ``KINERJA_*``
environment variable. Errors print one line naming the file and line (or the setting) and
exit with status 2; ``validate`` exits with 1 when the graph violates the shapes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kinerja import __version__
from kinerja.errors import KinerjaError, ValidationFailed
from kinerja.settings import Settings, documented_fields

EXIT_VIOLATIONS = 1
EXIT_ERROR = 2


def _settings_parser() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("settings (flag, or environment variable)")
    for f in documented_fields():
        group.add_argument(
            f.metadata["flag"],
            dest=f.name,
            default=None,
            metavar=f.name.upper(),
            help=f"{f.metadata['help']} [{f.metadata['env']}; default: {_default(f)}]",
        )
    return parent


def _default(f) -> str:
    value = f.default
    if isinstance(value, Path):
        from kinerja.settings import PROJECT_ROOT

        try:
            return str(value.relative_to(PROJECT_ROOT))
        except ValueError:
            return str(value)
    return str(value)


def make_parser() -> argparse.ArgumentParser:
    parent = _settings_parser()
    parser = argparse.ArgumentParser(
        prog="kinerja",
        description="Knowledge graph of Indonesian government performance indicators.",
    )
    parser.add_argument("--version", action="version", version=f"kinerja {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_parser = sub.add_parser(
        "build",
        parents=[parent],
        help="build the graph from the sources, validate it, and replace the store (only if "
        "valid); only added or changed sources are read again, unless --full",
    )
    build_parser.add_argument(
        "--full",
        action="store_true",
        help="read every source again and rebuild the store from scratch",
    )
    v = sub.add_parser(
        "validate",
        parents=[parent],
        help="build the graph in memory and report shape violations (exit 1 if any)",
    )
    v.add_argument(
        "--engine",
        choices=["oxigraph", "pyshacl"],
        default="oxigraph",
        help="oxigraph: the shapes compiled to SPARQL, as builds run them (default); "
        "pyshacl: the reference implementation, slow on large graphs",
    )

    q = sub.add_parser("query", parents=[parent], help="run a SPARQL query on the store")
    q.add_argument("query", nargs="?", help="the query text (or use --file)")
    q.add_argument("-f", "--file", type=Path, help="read the query from a file ('-' for stdin)")
    q.add_argument(
        "--format",
        default=None,
        help="table (default), csv, tsv, json, xml for SELECT/ASK; turtle (default), "
        "ntriples, nquads, jsonld, rdfxml for CONSTRUCT/DESCRIBE",
    )

    e = sub.add_parser(
        "export",
        parents=[parent],
        help="write the whole graph (or one named graph) in an RDF format",
    )
    e.add_argument(
        "--format",
        default="turtle",
        choices=["turtle", "nquads", "trig", "jsonld", "rdfxml", "ntriples"],
    )
    e.add_argument("--graph", help="IRI of one named graph (default: all)")
    e.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    sub.add_parser(
        "serve",
        parents=[parent],
        help="serve the catalogue and the SPARQL "
        "endpoint (builds the graph first if there is no store)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        settings = Settings.from_env(**{f.name: getattr(args, f.name) for f in documented_fields()})
        return COMMANDS[args.command](settings, args)
    except ValidationFailed as e:
        print(e.report, file=sys.stderr)
        print(f"kinerja: {e}; the store was left as it was", file=sys.stderr)
        return EXIT_VIOLATIONS
    except (KinerjaError, ValueError) as e:
        print(f"kinerja: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt as e:  # a publish says what it leaves behind
        print(f"kinerja: {str(e) or 'interrupted; the store was left as it was'}", file=sys.stderr)
        return 130


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_build(settings: Settings, args) -> int:
    from kinerja.build import build

    start = time.perf_counter()
    summary = build(settings, _progress, full=args.full)
    print(summary.text())
    _progress(f"built {settings.store_dir} in {time.perf_counter() - start:.1f} s")
    return 0


def cmd_validate(settings: Settings, args) -> int:
    from kinerja.build import check

    report = check(settings, _progress, engine=args.engine)
    print(report.text())
    return 0 if report.conforms else EXIT_VIOLATIONS


def _store(settings: Settings):
    """The store queries read: the remote one when configured, else the embedded one."""
    from kinerja.publish import remote_store
    from kinerja.store import open_store

    return remote_store(settings) or open_store(settings.store_dir)


def cmd_query(settings: Settings, args) -> int:
    from kinerja import query
    from kinerja.namespaces import PREFIXES

    if args.file is not None:
        text = sys.stdin.read() if str(args.file) == "-" else args.file.read_text("utf-8")
    elif args.query:
        text = args.query
    else:
        raise ValueError("give a query as an argument or with --file")
    result = query.run(_store(settings), text, prefixes=PREFIXES)
    fmt = args.format or ("turtle" if query.kind(result) == "graph" else "table")
    sys.stdout.buffer.write(query.serialize(result, fmt))
    return 0


def cmd_export(settings: Settings, args) -> int:
    from kinerja.store import export_to, replacing

    store = _store(settings)
    if args.output:
        with replacing(args.output) as f:
            export_to(store, args.format, f, args.graph,
                      work_dir=Path(args.output).resolve().parent)
            size = f.tell()
        _progress(f"wrote {size:,} bytes to {args.output}")
    else:
        export_to(store, args.format, sys.stdout.buffer, args.graph,
                  work_dir=settings.store_dir if settings.store_dir.is_dir() else None)
    return 0


def cmd_serve(settings: Settings, args) -> int:
    from kinerja.build import build
    from kinerja.store import exists

    if not exists(settings.store_dir):
        _progress(f"no store at {settings.store_dir}: building it first")
        print(build(settings, _progress).text(), file=sys.stderr)
    from server.app import run

    run(settings)
    return 0


COMMANDS = {
    "build": cmd_build,
    "validate": cmd_validate,
    "query": cmd_query,
    "export": cmd_export,
    "serve": cmd_serve,
}

if __name__ == "__main__":
    sys.exit(main())
