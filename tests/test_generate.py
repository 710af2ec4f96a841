"""bench/generate.py: synthetic source documents that the real ingestion path accepts.

Same (scale, seed) -> same bytes; the manifest's checksums are those of the files; a smaller
scale is a prefix of a larger one; every document goes through the extractors; a small
scale builds into a valid store.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import re
from pathlib import Path

import pytest

from bench.generate import (
    LOCAL_UNITS,
    MANIFEST,
    ORIGIN,
    PROVINCES,
    Stats,
    generate,
    main,
    max_scale,
    plan,
    write,
)
from kinerja.build import build
from kinerja.errors import SourceError
from kinerja.ingest.extractors import extractor_for
from kinerja.ingest.pipeline import ingest
from kinerja.ingest.sources import load_sources
from kinerja.ingest.text import slug
from kinerja.settings import Settings
from kinerja.store import open_store


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def manifest_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / MANIFEST).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_bytes_of_a_small_scale_stay_as_measured(tmp_path):
    """The benchmark figures were measured on these documents: a change to the generator
    that alters them (rather than adding documents after them) must be deliberate."""
    generate(tmp_path, 3, seed=0)
    assert hashlib.sha256((tmp_path / MANIFEST).read_bytes()).hexdigest() == (
        "781ad40e9e591460f163a12d42b0025d060f67114a9aad20139df3363f6a2eb2"
    )


def test_same_scale_and_seed_give_byte_identical_files(tmp_path):
    generate(tmp_path / "a", 3, seed=7)
    generate(tmp_path / "b", 3, seed=7)
    generate(tmp_path / "c", 3, seed=8)
    a, b, c = files(tmp_path / "a"), files(tmp_path / "b"), files(tmp_path / "c")
    assert len(a) == 7  # 6 documents and the manifest
    assert a == b
    assert a != c


def test_manifest_lists_every_file_with_its_sha256(tmp_path):
    stats = generate(tmp_path, 4, seed=3)
    rows = manifest_rows(tmp_path)
    assert [r["file"] for r in rows] == sorted(p.name for p in tmp_path.glob("*.txt"))
    assert len(rows) == stats.documents == 8
    for row in rows:
        data = (tmp_path / row["file"]).read_bytes()
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
        assert row["origin"] == ORIGIN.format(seed=3) == "synthetic (bench/generate.py, seed 3)"
        assert row["description"].endswith("(synthetic)")
    assert stats.bytes == sum(p.stat().st_size for p in tmp_path.glob("*.txt"))
    assert len(load_sources(tmp_path)) == 8  # the build's own reader accepts the folder


def test_a_smaller_scale_is_a_prefix_of_a_larger_one(tmp_path):
    generate(tmp_path / "small", 2, seed=5)
    generate(tmp_path / "large", 5, seed=5)
    small, large = files(tmp_path / "small"), files(tmp_path / "large")
    small.pop(MANIFEST)
    assert small.items() <= large.items()
    assert manifest_rows(tmp_path / "large")[:4] == manifest_rows(tmp_path / "small")
    assert plan(5, 5)[:4] == plan(2, 5)


def test_scale_counts_documents(tmp_path):
    assert len(plan(1, 0)) == 2
    assert len(plan(37, 0)) == 74
    assert len(plan(max_scale(), 0)) == 2 * max_scale()
    for bad in (0, max_scale() + 1):
        with pytest.raises(ValueError):
            plan(bad, 0)


def test_a_rerun_replaces_its_own_output_and_refuses_a_foreign_folder(tmp_path):
    generate(tmp_path, 3, seed=1)
    generate(tmp_path, 1, seed=1)
    assert len(list(tmp_path.glob("*.txt"))) == 2
    assert len(manifest_rows(tmp_path)) == 2
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="did not write"):
        generate(tmp_path, 1, seed=1)
    assert (tmp_path / "notes.txt").exists()


def test_scale_1_is_one_document_of_each_seed_layout(tmp_path):
    generate(tmp_path, 1, seed=0)
    layouts = sorted(extractor_for(s).name for s in load_sources(tmp_path))
    assert layouts == ["kanwil-decree", "kanwil-iku-list"]


def test_every_document_goes_through_the_extractors_with_the_layout_quirks(tmp_path):
    stats = generate(tmp_path, 40, seed=11)
    s = Settings()
    ingested = ingest(tmp_path, s.ontology_dir, s.base_iri)
    assert len(ingested.documents) == 80
    assert sum(len(g.indicators) for d in ingested.documents for g in d.goals) == (
        stats.indicators
    )
    assert {d.office.ministry.text.casefold() for d in ingested.documents} >= {
        "kementerian hukum dan hak asasi manusia",
        "kementerian hukum dan hak asasi manusia republik indonesia",
        "kementerian agama",
    }
    assert {d.document_type for d in ingested.documents} == {"IKU", "IKK"}
    assert any(d.decree and d.decree.bases for d in ingested.documents)
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.txt")))
    quirks = {
        "indicator continued after a page break": r"\n\n(No\.\t.*\n\(1\).*\n)?\t\t[a-z][^\t]*\t\n",
        "sasaran continued after a page break": r"\n\(1\)\t\(2\)\t\(3\)\t\(4\)\n\t[a-z]",
        "repeated header inside a program": r"\t\S[^\n]*\n\nNo\.\tSasaran",
        "column-number row": r"\n\(1\)\t\(2\)\t\(3\)\t\(4\)\n",
        "comma decimal index": r"\t\d,\d+ \(?[Ii]ndeks\)?\n",
        "dot decimal index": r"\t\d+\.\d+ \(?[Ii]ndeks\)?\n",
        "zero count": r"\t0 UPT\n",
        "thousands separator": r"\t\d{1,3}\.\d{3} Orang\n",
        "two-line program heading": r"\nPROGRAM [^\t\n]+\n[A-Z][^\t\n]+\n\nNo\.",
        "e-signature note": r"Ditandatangani secara elektronik oleh :",
        "amended statute": r"sebagaimana telah diubah",
    }
    missing = [name for name, rx in quirks.items() if not re.search(rx, text)]
    assert not missing


def test_scale_2_builds_a_valid_store(tmp_path):
    stats = generate(tmp_path / "sources", 2, seed=0)
    summary = build(Settings(data_dir=tmp_path / "sources", store_dir=tmp_path / "store"))
    assert summary.counts["documents"] == 4
    assert summary.counts["indicators"] == summary.counts["targets"] == stats.indicators
    assert summary.counts["goals"] == stats.goals
    assert summary.counts["legal instruments"] > 10  # the decree, its bases and the cited


def test_command_line(tmp_path, capsys):
    assert main(["--out", str(tmp_path / "out"), "--scale", "1", "--seed", "4"]) == 0
    assert re.search(r"scale 1, seed 4: 2 documents .* indicators", capsys.readouterr().out)
    assert main(["--out", str(tmp_path / "bad"), "--scale", "0"]) == 2


# --- provincial governments' units ------------------------------------------------------
def local_slots():
    return [s for s in plan(max_scale(), 0) if s.layout == "daerah-iku-list"]


def test_provincial_units_come_after_every_ministry_document():
    order = plan(max_scale(), 0)
    first = next(i for i, s in enumerate(order) if s.layout == "daerah-iku-list")
    assert all(s.layout == "daerah-iku-list" for s in order[first:])
    # the ministries' 3,623 documents come first, so scales up to 1,811 are as they were
    assert first == 3623
    units = {(s.ministry, s.province) for s in order[first:]}
    assert len(units) == len(LOCAL_UNITS) * len(PROVINCES)
    assert {s.year for s in order[first:]} == set(range(2020, 2026))


def test_provincial_unit_lists_build_under_their_government(tmp_path):
    jabar = next(i for i, p in enumerate(PROVINCES) if p.label == "Jawa Barat")
    slots = [s for s in local_slots() if s.province == jabar][:4]
    assert len({s.ministry for s in slots}) > 1
    stats = write(tmp_path / "sources", slots, 0, Stats(0, 0))
    summary = build(Settings(data_dir=tmp_path / "sources", store_dir=tmp_path / "store"))
    assert summary.counts["documents"] == 4
    assert summary.counts["targets"] == stats.indicators
    rows = list(open_store(tmp_path / "store").query(
        """PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX kin: <https://w3id.org/kinerja/def#>
        SELECT DISTINCT ?office ?label ?parent ?parentLabel ?province ?layout WHERE {
          ?doc kin:issuedBy ?office ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?src .
          ?src kin:layout ?layout .
          ?office rdfs:label ?label ; org:unitOf ?parent ; kin:province ?province .
          ?parent a org:FormalOrganization ; rdfs:label ?parentLabel ; org:hasUnit ?office .
        } ORDER BY ?office""",
        use_default_graph_as_union=False,
    ))
    found = {r["office"].value.rsplit("/id/", 1)[1]: r for r in rows}
    units = {u.key: u for u in LOCAL_UNITS}
    assert len(found) == len(rows) == len({s.ministry for s in slots})  # one label, one parent
    for slot in slots:
        unit = units[slot.ministry]
        iri = "organisasi/pemprov-jawa-barat/" + unit.name.lower().replace(" ", "-")
        r = found[iri]
        assert r["label"].value == f"{unit.name} Provinsi Jawa Barat"
        assert r["parentLabel"].value == "Pemerintah Provinsi Jawa Barat"
        assert r["parent"].value.endswith("/id/organisasi/pemprov-jawa-barat")
        assert r["province"].value.endswith("/id/provinsi/jawa-barat")
        assert r["layout"].value == "daerah-iku-list"


def rewrite(folder: Path, change) -> tuple[Path, list[str]]:
    """Apply ``change`` to the lines of the one document in ``folder``, and sign it again."""
    (path,) = folder.glob("*.txt")
    lines = path.read_text(encoding="utf-8").split("\n")
    change(lines)
    data = "\n".join(lines).encode("utf-8")
    old_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_bytes(data)
    manifest = (folder / MANIFEST).read_text(encoding="utf-8")
    (folder / MANIFEST).write_text(
        manifest.replace(old_sha, hashlib.sha256(data).hexdigest()), encoding="utf-8"
    )
    return path, lines


def at(lines: list[str], prefix: str) -> int:
    return next(i for i, x in enumerate(lines) if x.startswith(prefix))


def unit_list(folder: Path):
    slot = local_slots()[0]
    write(folder, [slot], 0, Stats(0, 0))
    return slot


def unit_name(slot) -> str:
    return next(u.name for u in LOCAL_UNITS if u.key == slot.ministry)


def wrong_unit(slot):
    def change(lines):
        lines[at(lines, "2. Satuan Kerja")] = "2. Satuan Kerja : Dinas Pariwisata Provinsi Aceh"
    return change, "2. Satuan Kerja", "'2. Satuan Kerja' names 'Dinas Pariwisata Provinsi Aceh'"


def wrong_government(slot):
    def change(lines):
        lines[at(lines, "1. Unit Organisasi")] = "1. Unit Organisasi : Pemerintah Provinsi Atlantis"
    return change, "1. Unit Organisasi", "names 'Pemerintah Provinsi Atlantis'; expected"


def address_for_unit(slot):
    def change(lines):
        government = at(lines, "PEMERINTAH PROVINSI")
        assert lines[government + 1].strip() == unit_name(slot).upper()
        lines[government + 1] = "JALAN PASTEUR NOMOR 25"  # an address in capitals instead
    return change, "2. Satuan Kerja", "expected the unit of the letterhead, 'Jalan Pasteur"


def no_unit(slot):
    def change(lines):
        government = at(lines, "PEMERINTAH PROVINSI")
        del lines[government + 1]  # the address (not in capitals) follows the government's
    return change, "PEMERINTAH PROVINSI", "expected the unit's name in capitals"


@pytest.mark.parametrize("case", [wrong_unit, wrong_government, address_for_unit, no_unit])
def test_a_provincial_unit_list_that_contradicts_itself_names_the_line(case, tmp_path):
    slot = unit_list(tmp_path)
    change, anchor, words = case(slot)
    path, lines = rewrite(tmp_path, change)
    line = at(lines, anchor) + 1 + (1 if case is no_unit else 0)  # 1-based
    (source,) = load_sources(tmp_path)
    assert extractor_for(source).name == "daerah-iku-list"
    with pytest.raises(SourceError) as info:
        build(Settings(data_dir=tmp_path, store_dir=tmp_path / "store"))
    assert Path(info.value.file) == path
    assert info.value.line == line, info.value.reason
    assert words in info.value.reason


def test_only_the_first_line_makes_a_list_a_provincial_units(tmp_path):
    generate(tmp_path, 1, seed=0)
    regional = next(
        s for s in load_sources(tmp_path) if extractor_for(s).name == "kanwil-iku-list"
    )
    lines = list(regional.lines)
    lines.insert(at(lines, "1. Unit Organisasi"), "Pemerintah Provinsi Jawa Barat")
    moved = dataclasses.replace(regional, lines=tuple(lines))
    assert extractor_for(moved).name == "kanwil-iku-list"
    local = dataclasses.replace(regional, lines=("PEMERINTAH DAERAH PROVINSI JAWA BARAT", *lines))
    assert extractor_for(local).name == "daerah-iku-list"



def test_an_office_page_shows_each_function_once_whatever_its_documents(tmp_path):
    """Every list states its office's functions again; the page shows each wording once."""
    from fastapi.testclient import TestClient

    from server.app import create_app

    first = local_slots()[0]
    same_office = [s for s in local_slots()
                   if (s.ministry, s.province) == (first.ministry, first.province)]
    assert len(same_office) >= 3  # one list a year
    write(tmp_path / "sources", same_office[:3], 0, Stats(0, 0))
    settings = Settings(data_dir=tmp_path / "sources", store_dir=tmp_path / "store")
    build(settings)
    unit = next(u for u in LOCAL_UNITS if u.key == first.ministry)
    path = f"/id/organisasi/pemprov-{slug(PROVINCES[first.province].label)}/" + slug(unit.name)
    with TestClient(create_app(settings)) as client:
        page = client.get(path, headers={"accept": "text/html"})
    assert page.status_code == 200
    section = page.text.split('id="fungsi-h"', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    expected = [f"{chr(97 + i)}. {f}" for i, f in enumerate(unit.functions)]
    assert [" ".join(x.split()) for x in items] == expected
