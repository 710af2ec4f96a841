"""The SHACL shapes of shapes/*.ttl, tested with data.

tests/shapes/valid.ttl is a small graph that uses every class of MODEL.md and conforms. Each
file in tests/shapes/invalid/ is a SPARQL Update that breaks one rule of it; its header says
which violation must come out::

    # focus:     <id/contoh/target>                  the focus node (relative to the base)
    # shape:     kin-sh:Target-targetValue           sh:sourceShape or sh:sourceConstraint
    # component: sh:MinCountConstraintComponent      sh:sourceConstraintComponent
    # message:   exactly one kin:targetValue         a fragment of sh:resultMessage

Each file in tests/shapes/valid/ is an update that must keep the graph conforming (what the
shapes must allow). Validation goes through kinerja.validate, as the build runs it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH

import kinerja.validate as kv
from kinerja.errors import KinerjaError
from kinerja.namespaces import KIN_IRI, PREFIXES
from kinerja.vocabulary import load_model

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY_DIR = ROOT / "ontology"
CASES = Path(__file__).resolve().parent / "shapes"
BASE = "https://w3id.org/kinerja/"
OTHER_BASE = "https://data.example.org/kinerja/"
KIN_SH = "https://w3id.org/kinerja/shapes#"
NAMESPACES = {**PREFIXES, "kin-sh": KIN_SH, "sh": str(SH)}

INVALID = sorted((CASES / "invalid").glob("*.ru"))
VALID_VARIANTS = sorted((CASES / "valid").glob("*.ru"))
EXPECTATION_KEYS = ("focus", "shape", "component", "message")


# --- helpers -----------------------------------------------------------------------------


def shapes() -> Graph:
    return kv.load_shapes(SHAPES_DIR)


def fixture_graph(base: str = BASE) -> Graph:
    """valid.ttl plus the model graph (ontology + code lists), as the build unions them."""
    graph = load_model(ONTOLOGY_DIR, base)
    graph.parse(CASES / "valid.ttl", format="turtle", publicID=base)
    return graph


def apply_update(graph: Graph, path: Path, base: str = BASE) -> Graph:
    prologue = f"BASE <{base}>\n" + "".join(
        f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in NAMESPACES.items()
    )
    graph.update(prologue + path.read_text(encoding="utf-8"))
    return graph


def expand(term: str, base: str = BASE) -> URIRef:
    if term.startswith("<") and term.endswith(">"):
        return URIRef(base + term[1:-1]) if "://" not in term else URIRef(term[1:-1])
    prefix, local = term.split(":", 1)
    return URIRef(NAMESPACES[prefix] + local)


def expectation(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"#\s*(focus|shape|component|message):\s*(.+?)\s*$", line)
        if m:
            found[m.group(1)] = m.group(2)
    missing = [k for k in EXPECTATION_KEYS if k not in found]
    assert not missing, f"{path.name}: header lacks {', '.join(missing)}"
    return found


def run(data: Graph, monkeypatch) -> tuple[kv.Report, Graph]:
    """Both engines on the same data: the build's (the shapes compiled to SPARQL, on
    Oxigraph) and pySHACL, the reference, whose results graph is kept for exact matching.
    The two must report the same violations."""
    captured: dict[str, Graph] = {}

    def spy(*args, **kwargs):
        conforms, results, text = pyshacl_validate(*args, **kwargs)
        captured["results"] = results
        return conforms, results, text

    monkeypatch.setattr(kv, "shacl_validate", spy)
    reference = kv.validate(data, shapes(), engine="pyshacl")
    report = kv.validate(data, shapes())
    assert signature(report) == signature(reference), (
        "the engines disagree:\n  oxigraph only: "
        f"{sorted(signature(report) - signature(reference))}\n  pyshacl only: "
        f"{sorted(signature(reference) - signature(report))}"
    )
    assert report.conforms == reference.conforms
    return report, captured["results"]


def signature(report: kv.Report) -> set[tuple]:
    return {(v.focus, v.shape, v.component, v.severity, number(v.value))
            for v in report.violations}


def numbers(text: str) -> str:
    return re.sub(r"-?\d+\.\d+", lambda m: number(m.group(0)), text)


def number(text: str) -> str:
    """Oxigraph writes xsd:decimal values in canonical form ("-2" for "-2.0")."""
    try:
        return str(Decimal(text).normalize())
    except InvalidOperation:
        return text


def results_of(results: Graph) -> list[dict]:
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        out.append({
            "focus": results.value(r, SH.focusNode),
            "shapes": {results.value(r, SH.sourceShape), results.value(r, SH.sourceConstraint)},
            "component": results.value(r, SH.sourceConstraintComponent),
            "message": " ".join(str(m) for m in results.objects(r, SH.resultMessage)),
        })
    return out


def describe(results: list[dict]) -> str:
    return "\n".join(
        f"  focus={r['focus']} shapes={sorted(str(s) for s in r['shapes'] if s)} "
        f"component={r['component']} message={r['message']!r}"
        for r in results
    ) or "  (no results)"


def all_rule_shapes(graph: Graph) -> set[URIRef]:
    """Every property shape and every SPARQL constraint: each needs a failing example."""
    rules = set(graph.subjects(RDF.type, SH.PropertyShape)) | set(graph.objects(None, SH.property))
    rules |= set(graph.objects(None, SH.sparql))
    return rules


# --- the shapes graph --------------------------------------------------------------------


def test_shapes_graph_loads_shapes():
    graph = shapes()
    assert kv.shape_count(graph) >= 50
    node_shapes = set(graph.subjects(RDF.type, SH.NodeShape))
    for name in ("PerformanceDocumentShape", "DecreeShape", "OrganizationalUnitShape",
                 "ProgramShape", "GoalShape", "IndicatorShape", "IndicatorConceptShape",
                 "TargetShape", "LegalResourceShape", "LegalResourceSubdivisionShape",
                 "SourceFileShape", "IndonesianLabelShape", "ObservationShape", "DataSetShape"):
        assert URIRef(KIN_SH + name) in node_shapes, name


def test_every_rule_shape_has_an_iri_and_a_message():
    graph = shapes()
    for rule in all_rule_shapes(graph):
        assert isinstance(rule, URIRef), f"anonymous shape {rule}: give it an IRI"
        message = graph.value(rule, SH.message)
        assert isinstance(message, Literal) and len(str(message)) > 30, rule


def test_misspelt_sh_namespace_is_refused(tmp_path):
    (tmp_path / "typo.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl/> .\n"  # the real one ends in '#'
        "@prefix kin: <https://w3id.org/kinerja/def#> .\n"
        "<https://example.org/s> a sh:NodeShape ; sh:targetClass kin:Target ;\n"
        "    sh:property [ sh:path kin:targetValue ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    with pytest.raises(KinerjaError, match="no SHACL shapes found"):
        kv.load_shapes(tmp_path)


def test_empty_shapes_folder_is_refused(tmp_path):
    with pytest.raises(KinerjaError, match="no SHACL shapes found"):
        kv.load_shapes(tmp_path)


def test_every_rule_shape_has_a_failing_example():
    covered = {expand(expectation(path)["shape"]) for path in INVALID}
    missing = all_rule_shapes(shapes()) - covered
    assert not missing, "shapes without a case in tests/shapes/invalid/: " + ", ".join(
        sorted(str(m).removeprefix(KIN_SH) for m in missing)
    )


def test_every_class_of_the_ontology_needs_an_indonesian_label():
    """A class added to ontology/kinerja.ttl must be added to one of the label shapes."""
    model = load_model(ONTOLOGY_DIR, BASE)
    classes = {c for c in model.subjects(RDF.type, OWL.Class) if str(c).startswith(KIN_IRI)}
    graph = shapes()
    targeted = set()
    for shape in (URIRef(KIN_SH + "IndonesianLabelShape"), URIRef(KIN_SH + "CodeListConceptShape")):
        targeted |= set(graph.objects(shape, SH.targetClass))
    assert classes - targeted == set()


def test_shapes_name_no_code_list_iri():
    """Code-list IRIs follow the configurable base; shapes must use classes instead."""
    text = (SHAPES_DIR / "kinerja.ttl").read_text(encoding="utf-8")
    assert "/id/" not in text


# --- data: the valid fixture and its variants --------------------------------------------


@pytest.mark.parametrize("base", [BASE, OTHER_BASE])
def test_valid_fixture_conforms(base, monkeypatch):
    report, results = run(fixture_graph(base), monkeypatch)
    assert report.conforms, report.text()
    assert not results_of(results), describe(results_of(results))


@pytest.mark.parametrize("case", VALID_VARIANTS, ids=lambda p: p.stem)
def test_valid_variant_conforms(case, monkeypatch):
    report, results = run(apply_update(fixture_graph(), case), monkeypatch)
    assert report.conforms, f"{case.name} should conform:\n{report.text()}"


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_invalid_case_gives_the_expected_violation(case, monkeypatch):
    expected = expectation(case)
    data = apply_update(fixture_graph(), case)
    report, results = run(data, monkeypatch)
    assert not report.conforms, f"{case.name} should not conform"

    focus = expand(expected["focus"])
    shape = expand(expected["shape"])
    component = expand(expected["component"])
    found = results_of(results)
    matching = [
        r for r in found
        if r["focus"] == focus and shape in r["shapes"] and r["component"] == component
        and expected["message"] in r["message"]
    ]
    assert matching, (
        f"{case.name}: expected {expected}, got:\n{describe(found)}"
    )
    # the readable report carries the same message, with the focus node (numbers compared as
    # values: Oxigraph writes xsd:decimal in canonical form, "-2" for "-2.0")
    assert any(v.focus == str(focus) and numbers(expected["message"]) in numbers(v.message)
               for v in report.violations), report.text()


def test_invalid_cases_also_fail_under_another_base(monkeypatch):
    """Shapes do not depend on where the code lists live."""
    case = CASES / "invalid" / "target-unit-not-a-unit.ru"
    expected = expectation(case)
    data = apply_update(fixture_graph(OTHER_BASE), case, OTHER_BASE)
    report, results = run(data, monkeypatch)
    assert not report.conforms
    focus = expand(expected["focus"], OTHER_BASE)
    assert any(r["focus"] == focus and expand(expected["shape"]) in r["shapes"]
               for r in results_of(results)), describe(results_of(results))


# --- the real seed build -----------------------------------------------------------------

@pytest.fixture(scope="module")
def real_build() -> Graph:
    from kinerja.ingest.pipeline import ingest

    ingested = ingest(ROOT / "data" / "sources", ONTOLOGY_DIR, BASE)
    graph = Graph()
    for named in ingested.graphs:
        graph += named
    return graph


def test_real_seed_build_conforms(real_build, monkeypatch):
    report, results = run(real_build, monkeypatch)
    assert report.conforms, report.text()
    assert not results_of(results), describe(results_of(results))


def test_real_seed_build_is_checked_by_every_node_shape_that_has_data(real_build):
    """Guards against shapes that silently target nothing (a misspelt class, say)."""
    graph = shapes()
    for cls in ("PerformanceDocument", "Goal", "Indicator", "IndicatorConcept", "Target",
                "Program", "SourceFile", "Unit", "DocumentType", "LegalType", "Province"):
        iri = URIRef(KIN_IRI + cls)
        assert any(real_build.subjects(RDF.type, iri)), f"the seed build has no {cls}"
        assert any(graph.subjects(SH.targetClass, iri)), f"no shape targets kin:{cls}"
