"""The ``kinerja`` command, in process (``kinerja.cli.main``) and as a real subprocess.

Read-only commands run against the session's seed store (``built_settings``). Commands that
build get their own store folder. Every RDF output is parsed back and checked for content.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from contextlib import redirect_stderr, redirect_stdout
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF

from kinerja.cli import COMMANDS, main
from kinerja.namespaces import KIN
from kinerja.publish import PublishInterrupted
from kinerja.settings import documented_fields
from kinerja.store import export, open_store
from tests.conftest import SOURCES, write_manifest

DECREE = "002_9c54d10a95a91ac4.txt"
SEED_COUNTS = {"documents": 2, "goals": 43, "indicators": 115, "targets": 115}

REMISI = """
SELECT ?province ?year ?value ?unit WHERE {
  ?t a kin:Target ; kin:indicator ?i ; kin:year ?year ; kin:targetValue ?value ;
     kin:unit/skos:notation ?unit ; kin:office/kin:province ?p .
  ?p rdfs:label ?province FILTER(lang(?province) = "id")
  ?i rdfs:label ?label
  FILTER(lcase(str(?label)) = "persentase narapidana yang mendapatkan hak remisi")
} ORDER BY ?year
"""
# (province, year, value, unit) as the two documents print them
REMISI_ROWS = [
    ("Kepulauan Bangka Belitung", "2023", Decimal("99.0"), "persen"),
    ("Kalimantan Barat", "2024", Decimal("100.0"), "persen"),
]
TARGETS = """
CONSTRUCT { ?t a kin:Target ; kin:targetValue ?v }
WHERE { ?t a kin:Target ; kin:targetValue ?v }
"""
ASK_TARGETS = "ASK { ?t a kin:Target }"

RDFLIB_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}
QUAD_FORMATS = {"nquads", "trig", "jsonld"}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def summary_counts(text: str) -> dict[str, int]:
    counts = {}
    for line in text.strip().splitlines():
        name, value = re.split(r"\s{2,}", line.strip())
        counts[name] = int(value.replace(",", ""))
    return counts


def parse_rdf(data: bytes | str, fmt: str) -> Graph | Dataset:
    g = Dataset() if fmt in QUAD_FORMATS else Graph()
    g.parse(data=data, format=RDFLIB_FORMATS[fmt])
    return g


def n_statements(g: Graph | Dataset) -> int:
    if isinstance(g, Dataset):
        return sum(1 for _ in g.quads((None, None, None, None)))
    return len(g)


def count_targets(g: Graph | Dataset) -> int:
    if isinstance(g, Dataset):  # a Dataset's subjects() sees its default graph only
        return len({q[0] for q in g.quads((None, RDF.type, KIN.Target, None))})
    return len(set(g.subjects(RDF.type, KIN.Target)))


def store_counts(store_dir: Path) -> tuple[int, int]:
    """(quads in the named graphs, distinct triples over them) of a store, asked of the store.

    Quad formats export the named graphs; the default graph is derived from them."""
    store = open_store(store_dir)
    named = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    distinct = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    return int(next(iter(named))["n"].value), int(next(iter(distinct))["n"].value)


def shape_violating_sources(folder: Path) -> tuple[int, str]:
    """Only the decree, with a count target that is not a whole number ("2,5 Orang").

    It passes extraction (a number and a known unit) but breaks the rule that counted units
    take whole numbers. Returns the line of the target and its target text.
    """
    (folder / "000_0724a4aaa7b32400.txt").unlink()
    path = folder / DECREE
    lines = path.read_bytes().decode("utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.endswith("\t20 Orang"))
    lines[index] = lines[index].replace("\t20 Orang", "\t2,5 Orang")
    path.write_bytes("\n".join(lines).encode("utf-8"))
    write_manifest(folder)
    return index + 1, "2,5 Orang"


# --- help ----------------------------------------------------------------------------------
def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("build", "validate", "query", "export", "serve"):
        assert re.search(rf"^\s+{command}\s+\S", out, re.MULTILINE), command
    assert set(COMMANDS) == {"build", "validate", "query", "export", "serve"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command_help_lists_every_setting(capsys, command):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for f in documented_fields():
        assert f.metadata["flag"] in out
        assert f.metadata["env"] in out


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert re.fullmatch(r"kinerja \d+\.\d+\.\d+\n", capsys.readouterr().out)


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


# --- build -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cli_build(tmp_path_factory) -> tuple[int, str, str, Path]:
    """``kinerja build`` of the seeds into a fresh store, once for this module."""
    store_dir = tmp_path_factory.mktemp("cli") / "store"
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["build", "--data-dir", str(SOURCES), "--store-dir", str(store_dir)])
    return code, out.getvalue(), err.getvalue(), store_dir


def test_build_prints_the_summary(cli_build):
    code, out, err, store_dir = cli_build
    assert code == 0, err
    counts = summary_counts(out)
    assert {k: counts[k] for k in SEED_COUNTS} == SEED_COUNTS
    assert counts["named graphs"] == 4  # model, concepts, one per source
    assert counts["named graphs"] == sum(1 for _ in open_store(store_dir).named_graphs())
    # progress goes to stderr, so stdout stays the summary alone
    assert "read 2 source file(s)" in err
    assert f"built {store_dir}" in err


def test_build_that_violates_the_shapes_exits_1_and_keeps_the_store(
    capsys, cli_build, sources_copy
):
    _code, _out, _err, store_dir = cli_build
    before = export(open_store(store_dir), "nquads")
    line, text = shape_violating_sources(sources_copy)
    code, out, err = run(capsys, "build", "--data-dir", sources_copy, "--store-dir", store_dir)
    assert code == 1
    assert out == ""
    assert f"{DECREE}:{line}: Violation: " in err
    assert text in err
    assert "the store was left as it was" in err
    assert export(open_store(store_dir), "nquads") == before


def test_build_of_a_bad_source_exits_2_naming_file_and_line(capsys, sources_copy, tmp_path):
    path = sources_copy / DECREE
    lines = path.read_bytes().decode("utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.endswith("\t83 Indeks"))
    lines[index] = lines[index].replace("\t83 Indeks", "\ttinggi")
    path.write_bytes("\n".join(lines).encode("utf-8"))
    write_manifest(sources_copy)
    store_dir = tmp_path / "store"
    code, out, err = run(capsys, "build", "--data-dir", sources_copy, "--store-dir", store_dir)
    assert code == 2
    assert f"kinerja: error: {path}:{index + 1}: target 'tinggi' is not a number" in err
    assert "Traceback" not in err
    assert not store_dir.exists() or not (store_dir / "current").exists()


# --- validate ------------------------------------------------------------------------------
def test_validate_seeds_exits_0(capsys):
    code, out, err = run(capsys, "validate", "--data-dir", SOURCES)
    assert code == 0, out
    assert out == "conforms: no violations\n"


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_validate_reports_violations_readably_and_exits_1(capsys, sources_copy, tmp_path,
                                                          engine):
    line, text = shape_violating_sources(sources_copy)
    store_dir = tmp_path / "store"
    code, out, err = run(capsys, "validate", "--data-dir", sources_copy, "--store-dir", store_dir,
                         "--engine", engine)
    assert code == 1
    report = out.strip().splitlines()
    ours = [r for r in report if r.startswith(f"{DECREE}:{line}: Violation: ")]
    assert len(ours) == 1, out
    # which resource, its label, which rule, the source line
    assert (
        '"Target 2024: Jumlah peningkatan kapasitas pembinaan tenaga perancang peraturan '
        f'perundang-undangan: {text}"' in ours[0]
    )
    assert re.search(r"<https://w3id\.org/kinerja/id/\S+/target>", ours[0])
    assert "whole number" in ours[0]
    assert re.search(r"\[\w+ConstraintComponent\]$", ours[0])
    assert report[-1] == f"{len(report) - 1} violation(s)"
    assert not store_dir.exists(), "validate never writes a store"


# --- query ---------------------------------------------------------------------------------
def _store(built_settings) -> tuple[str, str]:
    return "--store-dir", str(built_settings.store_dir)


def test_query_json_gives_the_remisi_targets(capsys, built_settings):
    code, out, err = run(capsys, "query", *_store(built_settings), REMISI, "--format", "json")
    assert code == 0, err
    rows = [
        (
            b["province"]["value"],
            b["year"]["value"],
            Decimal(b["value"]["value"]),
            b["unit"]["value"],
        )
        for b in json.loads(out)["results"]["bindings"]
    ]
    assert rows == REMISI_ROWS
    assert json.loads(out)["head"]["vars"] == ["province", "year", "value", "unit"]


def test_query_table_is_the_default_for_select(capsys, built_settings):
    code, out, _ = run(capsys, "query", *_store(built_settings), REMISI)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["province", "year", "value", "unit"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].startswith("Kepulauan Bangka Belitung")
    assert lines[3].startswith("Kalimantan Barat")
    assert lines[-1] == "(2 rows)"


def test_query_csv(capsys, built_settings):
    code, out, _ = run(capsys, "query", *_store(built_settings), REMISI, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["province"], r["year"], Decimal(r["value"]), r["unit"]) for r in rows] == REMISI_ROWS


def test_query_tsv(capsys, built_settings):
    code, out, _ = run(capsys, "query", *_store(built_settings), REMISI, "--format", "tsv")
    assert code == 0
    header, *rows = out.strip("\n").split("\n")
    assert header.split("\t") == ["?province", "?year", "?value", "?unit"]
    assert len(rows) == 2
    assert rows[1].split("\t")[0] == '"Kalimantan Barat"@id'


def test_query_xml(capsys, built_settings):
    code, out, _ = run(capsys, "query", *_store(built_settings), REMISI, "--format", "xml")
    assert code == 0
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    results = ET.fromstring(out).findall("r:results/r:result", ns)
    values = [Decimal(r.find("r:binding[@name='value']/r:literal", ns).text) for r in results]
    assert values == [row[2] for row in REMISI_ROWS]


@pytest.mark.parametrize(("fmt", "expected"), [(None, "true\n"), ("table", "true\n")])
def test_query_ask_table(capsys, built_settings, fmt, expected):
    argv = ["query", *_store(built_settings), ASK_TARGETS]
    code, out, _ = run(capsys, *argv, *(["--format", fmt] if fmt else []))
    assert (code, out) == (0, expected)


def test_query_ask_json(capsys, built_settings):
    code, out, _ = run(capsys, "query", *_store(built_settings), ASK_TARGETS, "--format", "json")
    assert code == 0
    assert json.loads(out)["boolean"] is True
    code, out, _ = run(
        capsys,
        "query",
        *_store(built_settings),
        "ASK { ?t kin:targetText 'tinggi' }",
        "--format",
        "json",
    )
    assert json.loads(out)["boolean"] is False


@pytest.mark.parametrize("fmt", [None, "turtle", "ntriples", "nquads", "jsonld", "rdfxml"])
def test_query_construct_in_every_rdf_format(capsys, built_settings, fmt):
    argv = ["query", *_store(built_settings), TARGETS, *(["--format", fmt] if fmt else [])]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    g = parse_rdf(out, fmt or "turtle")
    assert count_targets(g) == 115
    assert n_statements(g) == 230  # a type and a value for each


def test_query_describe_shows_zero_targets_kept(capsys, built_settings):
    query = "DESCRIBE ?t WHERE { ?t a kin:Target ; kin:targetText '0 UPT' }"
    code, out, _ = run(capsys, "query", *_store(built_settings), query, "--format", "ntriples")
    assert code == 0
    g = parse_rdf(out, "ntriples")
    targets = set(g.subjects(RDF.type, KIN.Target))
    assert len(targets) == 5  # five prisons not to be built in Kalimantan Barat in 2024
    assert {Decimal(str(g.value(t, KIN.targetValue))) for t in targets} == {Decimal(0)}


def test_query_from_file(capsys, built_settings, tmp_path):
    path = tmp_path / "remisi.rq"
    path.write_text(REMISI, encoding="utf-8")
    code, out, _ = run(capsys, "query", *_store(built_settings), "--file", path, "--format", "csv")
    assert code == 0
    assert len(list(csv.DictReader(io.StringIO(out)))) == 2


def test_query_from_stdin(capsys, built_settings, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(ASK_TARGETS))
    code, out, _ = run(capsys, "query", *_store(built_settings), "--file", "-")
    assert (code, out) == (0, "true\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["SELEC ?x WHERE {}"], "kinerja: error: SPARQL syntax error"),
        ([REMISI, "--format", "turtle"], "format 'turtle' is not for SELECT/ASK results"),
        ([TARGETS, "--format", "csv"], "format 'csv' is not for CONSTRUCT/DESCRIBE results"),
        ([], "give a query as an argument or with --file"),
    ],
    ids=["syntax-error", "rdf-format-for-select", "table-format-for-construct", "no-query"],
)
def test_query_errors_exit_2(capsys, built_settings, argv, message):
    code, out, err = run(capsys, "query", *_store(built_settings), *argv)
    assert code == 2
    assert message in err
    assert out == ""


def test_query_without_a_store_says_to_build(capsys, tmp_path):
    code, out, err = run(capsys, "query", "--store-dir", tmp_path / "none", ASK_TARGETS)
    assert code == 2
    assert "run 'kinerja build' first" in err
    assert str(tmp_path / "none") in err


# --- export --------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_export_every_format_parses_back_whole(capsys, built_settings, fmt):
    code, out, err = run(capsys, "export", *_store(built_settings), "--format", fmt)
    assert code == 0, err
    g = parse_rdf(out, fmt)
    quads, triples = store_counts(built_settings.store_dir)
    assert n_statements(g) == (quads if fmt in QUAD_FORMATS else triples)
    assert count_targets(g) == 115
    if fmt in QUAD_FORMATS:
        graphs = {getattr(q[3], "identifier", q[3]) for q in g.quads((None, None, None, None))}
        assert len(graphs - {DATASET_DEFAULT_GRAPH_ID}) == 4


def test_export_nquads_to_stdout_is_the_export(capsys, built_settings):
    code, out, _ = run(capsys, "export", *_store(built_settings), "--format", "nquads")
    assert code == 0
    assert out.encode("utf-8") == export(open_store(built_settings.store_dir), "nquads")


def test_export_to_a_file(capsys, built_settings, tmp_path):
    target = tmp_path / "kinerja.ttl"
    code, out, err = run(capsys, "export", *_store(built_settings), "-o", target)
    assert code == 0
    assert out == ""
    assert f"wrote {target.stat().st_size:,} bytes to {target}" in err
    assert count_targets(parse_rdf(target.read_bytes(), "turtle")) == 115


def test_export_one_named_graph(capsys, built_settings):
    store = open_store(built_settings.store_dir)
    graph = next(g for g in store.named_graphs() if g.value.endswith("002-9c54d10a95a91ac4"))
    expected = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
    graph = graph.value
    code, out, _ = run(
        capsys, "export", *_store(built_settings), "--format", "ntriples", "--graph", graph
    )
    assert code == 0
    g = parse_rdf(out, "ntriples")
    assert len(g) == expected
    assert count_targets(g) == 59  # the Kalimantan Barat decree's targets only


def test_export_rejects_an_unknown_format(capsys, built_settings):
    with pytest.raises(SystemExit) as info:
        main(["export", *_store(built_settings), "--format", "yaml"])
    assert info.value.code == 2
    assert "invalid choice: 'yaml'" in capsys.readouterr().err


# --- settings through the command line ---------------------------------------------------
def test_bad_setting_flag_exits_2_naming_the_setting(capsys, built_settings):
    code, out, err = run(capsys, "export", *_store(built_settings), "--port", "abc")
    assert code == 2
    assert "KINERJA_PORT" in err and "'abc'" in err
    assert out == ""


# --- as a real process -------------------------------------------------------------------
def clean_env(**extra: str) -> dict[str, str]:
    """The environment of this process without KINERJA_* variables, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.update(extra)
    return env


def kinerja_script() -> str:
    script = Path(sys.executable).with_name("kinerja")
    assert script.is_file(), "the console script is not installed (pip install -e .)"
    return str(script)


def test_console_script_query_exits_0_and_reads_store_dir_from_the_environment(built_settings):
    proc = subprocess.run(
        [kinerja_script(), "query", ASK_TARGETS],
        env=clean_env(KINERJA_STORE_DIR=str(built_settings.store_dir)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "true\n", "")


def test_console_script_query_from_stdin(built_settings):
    proc = subprocess.run(
        [kinerja_script(), "query", *_store(built_settings), "-f", "-", "--format", "csv"],
        input=REMISI,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert [r["value"] for r in csv.DictReader(io.StringIO(proc.stdout))] == ["99", "100"]


def test_process_syntax_error_exits_2_with_one_line(built_settings):
    proc = subprocess.run(
        [sys.executable, "-m", "kinerja.cli", "query", *_store(built_settings), "SELEC x"],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("kinerja: error: SPARQL syntax error")
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr


def test_process_bad_source_exits_2_naming_file_and_line(sources_copy, tmp_path):
    (sources_copy / "003_resep.txt").write_text("Resep Nasi Goreng\n", encoding="utf-8")
    write_manifest(sources_copy)
    proc = subprocess.run(
        [kinerja_script(), "build", "--store-dir", str(tmp_path / "store")],
        env=clean_env(KINERJA_DATA_DIR=str(sources_copy)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert (
        f"kinerja: error: {sources_copy / '003_resep.txt'}: unknown document layout" in proc.stderr
    )
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "store" / "current").exists()


def test_process_without_a_store_exits_2(tmp_path):
    proc = subprocess.run(
        [kinerja_script(), "export", "--store-dir", str(tmp_path / "none")],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "run 'kinerja build' first" in proc.stderr


@pytest.mark.parametrize(
    ("interrupt", "said"),
    [
        (KeyboardInterrupt(), "kinerja: interrupted; the store was left as it was"),
        (PublishInterrupted("http://127.0.0.1:7878/query"),
         "kinerja: interrupted while publishing to http://127.0.0.1:7878/query: the new local "
         "build is current, but the remote store may hold only part of it"),
    ],
)
def test_ctrl_c_says_what_it_left_behind(monkeypatch, interrupt, said):
    def interrupted(settings, args):
        raise interrupt

    monkeypatch.setitem(COMMANDS, "build", interrupted)
    err = io.StringIO()
    with redirect_stderr(err):
        assert main(["build"]) == 130
    assert err.getvalue().startswith(said)
