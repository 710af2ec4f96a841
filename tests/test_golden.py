"""The seed build against golden tables written by hand from the two documents.

Every indicator, goal, target, legal basis and the metadata of both documents must come
out as a person reads them: nothing invented (no extra rows), nothing lost (no missing
rows), text verbatim (only layout splits joined), values and units right.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest

from kinerja.namespaces import PREFIXES
from kinerja.store import open_store
from tests.conftest import GOLDEN


def select(settings, query: str) -> list[dict[str, str]]:
    store = open_store(settings.store_dir)
    result = store.query(query, prefixes=PREFIXES)
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in result]


def golden_csv(name: str) -> list[dict[str, str]]:
    with (GOLDEN / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


DOCS = json.loads((GOLDEN / "documents.json").read_text(encoding="utf-8"))

INDICATORS = """
SELECT ?source ?program ?goal_notation ?goal_text ?goal_line ?indicator_notation
       ?indicator_text ?indicator_line ?target_text ?target_value ?unit
WHERE {
  ?i a kin:Indicator ; skos:notation ?indicator_notation ; rdfs:label ?indicator_text ;
     kin:sourceLine ?indicator_line ; kin:goal ?g ; prov:wasDerivedFrom/rdfs:label ?source .
  ?g skos:notation ?goal_notation ; rdfs:label ?goal_text ; kin:sourceLine ?goal_line .
  OPTIONAL { ?g kin:program/skos:prefLabel ?program }
  ?t kin:indicator ?i ; kin:targetText ?target_text ; kin:targetValue ?target_value ;
     kin:unit/skos:notation ?unit .
}"""


def _key(row):
    return (row["source"], row["program"], row["goal_notation"], row["indicator_notation"])


@pytest.fixture(scope="module")
def built_indicators(built_settings):
    rows = select(built_settings, INDICATORS)
    keys = [_key(r) for r in rows]
    assert len(keys) == len(set(keys)), "an indicator is stated twice"
    return {_key(r): r for r in rows}


GOLDEN_INDICATORS = golden_csv("indicators.csv")


def test_nothing_invented_nothing_lost(built_indicators):
    golden = {_key(r) for r in GOLDEN_INDICATORS}
    built = set(built_indicators)
    assert sorted(built - golden) == [], "indicators the documents do not state"
    assert sorted(golden - built) == [], "indicators of the documents that are missing"
    assert len(golden) == 115


@pytest.mark.parametrize(
    "row", GOLDEN_INDICATORS, ids=[f"{r['source'][:3]}-{r['indicator_line']}" for r in
                                   GOLDEN_INDICATORS])
def test_indicator_matches_golden(row, built_indicators):
    built = built_indicators[_key(row)]
    for column in ("goal_text", "goal_line", "indicator_text", "indicator_line", "target_text",
                   "unit"):
        assert built[column] == row[column], column
    assert Decimal(built["target_value"]) == Decimal(row["target_value"])


@pytest.mark.parametrize(
    ("source", "goals", "indicators", "programs"),
    [("000_0724a4aaa7b32400.txt", 19, 56, 0), ("002_9c54d10a95a91ac4.txt", 24, 59, 9)],
)
def test_counts_per_document(built_settings, source, goals, indicators, programs):
    [row] = select(built_settings, f"""
        SELECT (COUNT(DISTINCT ?g) AS ?goals) (COUNT(DISTINCT ?i) AS ?indicators)
               (COUNT(DISTINCT ?t) AS ?targets) (COUNT(DISTINCT ?p) AS ?programs)
        WHERE {{ ?g kin:inDocument/prov:wasDerivedFrom/dct:title "{source}" .
                 ?i kin:goal ?g . ?t kin:indicator ?i . OPTIONAL {{ ?g kin:program ?p }} }}""")
    assert (int(row["goals"]), int(row["indicators"]), int(row["targets"]),
            int(row["programs"])) == (goals, indicators, indicators, programs)
    assert DOCS[source]["goals"] == goals and DOCS[source]["indicators"] == indicators


def test_same_wording_same_concept(built_settings):
    """Bangka Belitung states this indicator twice and Kalimantan Barat once: one concept."""
    rows = select(built_settings, """
        SELECT ?c (COUNT(?i) AS ?n) WHERE {
          ?i kin:concept ?c . ?c skos:prefLabel ?l .
          FILTER(LCASE(STR(?l)) =
                 "persentase pemulihan kondisi keamanan pasca gangguan kamtib secara tuntas")
        } GROUP BY ?c""")
    assert [int(r["n"]) for r in rows] == [3]


def test_remisi_compared_across_offices(built_settings):
    rows = select(built_settings, """
        SELECT ?office ?year ?value ?unit WHERE {
          ?t kin:indicator/kin:concept ?c ; kin:office/kin:province/skos:prefLabel ?office ;
             kin:year ?year ; kin:targetValue ?value ; kin:unit/skos:notation ?unit .
          ?c skos:prefLabel ?l .
          FILTER(LCASE(STR(?l)) = "persentase narapidana yang mendapatkan hak remisi")
          FILTER(LANG(?office) = "id")
        } ORDER BY ?year""")
    assert [(r["office"], r["year"], Decimal(r["value"]), r["unit"]) for r in rows] == [
        ("Kepulauan Bangka Belitung", "2023", Decimal(99), "persen"),
        ("Kalimantan Barat", "2024", Decimal(100), "persen"),
    ]


# --- legal bases -----------------------------------------------------------------------------
LEGAL = golden_csv("legal_bases.csv")
DECREE = "?d a eli:LegalResource, kin:PerformanceDocument"


@pytest.mark.parametrize("row", LEGAL, ids=[f"{r['role']}-{r['item']}" for r in LEGAL])
def test_legal_basis(built_settings, row):
    rows = select(built_settings, f"""
        SELECT ?type ?issuer ?title ?citation ?line WHERE {{
          {DECREE} ; eli:based_on ?x .
          {{ ?x eli:is_part_of ?l }} UNION {{ BIND(?x AS ?l) ?l a eli:LegalResource }}
          ?l eli:number "{row['number']}" ; kin:year "{row['year']}"^^xsd:gYear ;
             eli:type_document/skos:notation ?type ; eli:passed_by ?issuer ;
             kin:citationText ?citation ; kin:sourceLine ?line .
          OPTIONAL {{ ?l eli:title ?title }}
        }}""")
    assert rows, f"no legal basis numbered {row['number']} ({row['year']})"
    got = rows[0]
    assert got["type"] == row["type"]
    assert got["issuer"].endswith(f"/organisasi/{row['issuer']}")
    assert got["title"] == row["title"]
    assert got["citation"] == row["citation"]
    assert got["line"] == row["line"]


def test_menimbang_articles(built_settings):
    [row] = [r for r in LEGAL if r["role"] == "menimbang"]
    rows = select(built_settings, f"""
        SELECT ?notation WHERE {{
          {DECREE} ; eli:based_on ?a . ?a a eli:LegalResourceSubdivision ;
             skos:notation ?notation ; eli:is_part_of/eli:number "{row['number']}" .
        }} ORDER BY ?notation""")
    assert [r["notation"] for r in rows] == row["articles"].split("|")


def test_decree_cites_exactly_the_golden_bases(built_settings):
    rows = select(built_settings, f"""
        SELECT DISTINCT ?number WHERE {{
          {DECREE} ; eli:based_on ?x .
          {{ ?x eli:is_part_of/eli:number ?number }}
          UNION {{ ?x a eli:LegalResource ; eli:number ?number }}
        }}""")
    assert sorted(r["number"] for r in rows) == sorted(r["number"] for r in LEGAL)


# --- document metadata -----------------------------------------------------------------------
def test_decree_metadata(built_settings):
    gold = DOCS["002_9c54d10a95a91ac4.txt"]
    [row] = select(built_settings, f"""
        SELECT ?number ?title ?date ?place ?until ?type ?year ?name ?nip ?post WHERE {{
          {DECREE} ; eli:number ?number ; eli:title ?title ; eli:date_document ?date ;
             kin:placeOfIssue ?place ; eli:date_no_longer_in_force ?until ;
             kin:documentType/skos:notation ?type ; kin:year ?year ;
             kin:signatory ?p ; kin:signatoryPost/rdfs:label ?post .
          ?p foaf:name ?name ; kin:nip ?nip .
        }}""")
    assert row == {
        "number": gold["number"], "title": gold["title"], "date": gold["date"],
        "place": gold["place"], "until": gold["valid_until"], "type": gold["document_type"],
        "year": str(gold["year"]), "name": gold["signatory"]["name"],
        "nip": gold["signatory"]["nip"], "post": gold["signatory"]["post"],
    }


def test_decree_provisions_considerations_copies(built_settings):
    gold = DOCS["002_9c54d10a95a91ac4.txt"]
    provisions = select(built_settings, f"""
        SELECT ?n ?text ?line WHERE {{ {DECREE} ; eli:has_part ?p .
          ?p skos:notation ?n ; kin:text ?text ; kin:sourceLine ?line }}""")
    assert {r["n"]: r["text"] for r in provisions} == gold["provisions"]
    assert {r["n"]: int(r["line"]) for r in provisions} == gold["provisions_lines"]
    considerations = select(built_settings,
                            f"SELECT ?c WHERE {{ {DECREE} ; kin:consideration ?c }}")
    assert sorted(r["c"] for r in considerations) == [
        f"{k}. {v}" for k, v in sorted(gold["considerations"].items())]
    copies = select(built_settings, f"SELECT ?c WHERE {{ {DECREE} ; kin:copyTo ?c }}")
    assert [r["c"] for r in copies] == gold["copies"]


def test_office_of_bangka_belitung(built_settings):
    gold = DOCS["000_0724a4aaa7b32400.txt"]
    [row] = select(built_settings, """
        SELECT ?office ?ministry ?province ?address ?phone ?site ?mail ?task ?date ?place
               ?name ?nip ?post ?type ?year WHERE {
          ?d a kin:PerformanceDocument ; kin:issuedBy ?o ; dct:issued ?date ;
             kin:placeOfIssue ?place ; kin:signatory ?p ; kin:signatoryPost/rdfs:label ?post ;
             kin:documentType/skos:notation ?type ; kin:year ?year ;
             prov:wasDerivedFrom/dct:title "000_0724a4aaa7b32400.txt" .
          ?p foaf:name ?name ; kin:nip ?nip .
          ?o rdfs:label ?office ; org:unitOf/rdfs:label ?ministry ; kin:mainTask ?task ;
             kin:province/skos:prefLabel ?province ;
             vcard:hasAddress/vcard:street-address ?address ;
             vcard:hasTelephone/rdfs:label ?phone ; vcard:hasURL ?site ; vcard:hasEmail ?mail .
          FILTER(LANG(?province) = "id")
        }""")
    assert row == {
        "office": gold["office"],
        "ministry": "Kementerian Hukum dan Hak Asasi Manusia",
        "province": gold["province"],
        "address": ", ".join(gold["address"]),
        "phone": gold["telephone"],
        "site": gold["website"],
        "mail": f"mailto:{gold['email']}",
        "task": gold["main_task"],
        "date": gold["date"],
        "place": gold["place"],
        "name": gold["signatory"]["name"],
        "nip": gold["signatory"]["nip"],
        "post": gold["signatory"]["post"],
        "type": gold["document_type"],
        "year": str(gold["year"]),
    }
    functions = select(built_settings, """
        SELECT ?n ?text ?line WHERE { ?o kin:function ?f . ?f skos:notation ?n ;
          rdfs:label ?text ; kin:sourceLine ?line }""")
    assert {r["n"]: r["text"] for r in functions} == gold["functions"]
    assert {r["n"]: int(r["line"]) for r in functions} == gold["functions_lines"]


def test_every_statement_has_a_source_file_with_checksum(built_settings):
    rows = select(built_settings, """
        SELECT ?cls (COUNT(?x) AS ?missing) WHERE {
          VALUES ?cls { kin:Goal kin:Indicator kin:Target eli:LegalResource }
          ?x a ?cls .
          FILTER NOT EXISTS { ?x prov:wasDerivedFrom/kin:sha256 ?h ; kin:sourceLine ?l }
        } GROUP BY ?cls""")
    assert rows == []
