"""The W3C SPARQL 1.1 query syntax tests, sent to ``/sparql`` on the seed build.

Every ``mf:NegativeSyntaxTest11`` query must get 400; no ``mf:PositiveSyntaxTest11`` query
may: it is answered (2xx), or stopped at the time limit (503). The one exception is the
query policy refusing what this endpoint never runs (SERVICE; FROM naming a graph that is
not in the store): that refusal is a 400 that names the reason, listed in ``POLICY``.
Skips when ``../shared/w3c`` is absent.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from tests.endpoint import SPARQL_QUERY, W3C, app_client, assert_short_error, require_w3c

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SYNTAX = W3C / "sparql11-syntax-query"
# Positive tests the query policy refuses on purpose, and the word its message names.
POLICY = {"syntax-construct-where-02.rq": "FROM"}  # FROM <file>: not a graph of this store
KNOWN: dict[str, str] = {}  # W3C tests this endpoint is known to fail, with the reason


def load(kind: str) -> list:
    if not (SYNTAX / "manifest.ttl").is_file():
        return [pytest.param(None, id="w3c-data-missing")]
    graph = Graph().parse(SYNTAX / "manifest.ttl", format="turtle")
    files = sorted(
        Path(str(graph.value(t, MF.action)).removeprefix("file://"))
        for t in graph.subjects(RDF.type, MF[kind])
    )
    return [
        pytest.param(
            f,
            id=f.name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[f.name])] if f.name in KNOWN else [],
        )
        for f in files
    ]


POSITIVE = load("PositiveSyntaxTest11")
NEGATIVE = load("NegativeSyntaxTest11")


@pytest.fixture(scope="module")
def client(built_settings):
    require_w3c("sparql11-syntax-query")
    with app_client(replace(built_settings, query_timeout=2.0)) as c:
        yield c


def send(client, path: Path):
    return client.post("/sparql", content=path.read_bytes(), headers={"Content-Type": SPARQL_QUERY})


def test_manifest_was_read():
    require_w3c("sparql11-syntax-query")
    assert len(NEGATIVE) == 31
    assert len(POSITIVE) == 63
    assert all(p.values[0].is_file() for p in POSITIVE + NEGATIVE)


@pytest.mark.parametrize("path", NEGATIVE)
def test_negative_syntax_is_400(client, path):
    if path is None:
        require_w3c("sparql11-syntax-query")
    r = send(client, path)
    assert_short_error(r, 400)


@pytest.mark.parametrize("path", POSITIVE)
def test_positive_syntax_is_not_400(client, path):
    if path is None:
        require_w3c("sparql11-syntax-query")
    r = send(client, path)
    if path.name in POLICY:
        message = assert_short_error(r, 400)
        assert POLICY[path.name] in message, message
        return
    assert r.status_code < 300 or r.status_code == 503, (r.status_code, r.text[:300])
