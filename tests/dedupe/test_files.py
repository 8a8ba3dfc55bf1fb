"""``refkit dedupe``: libraries in, one deduplicated library and the evidence out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner
from helpers import DATA

from refkit.cli import main
from refkit.exporters.keys import ensure_keys
from refkit.model import Citation

LIBRARY = DATA / "dedupe" / "library"
INPUT_IDS = {
    "arakawa2010inhibition",
    "zipfel2006complement",
    "dejorge2007erratum",
    "endnote-10",
    "endnote-11",
    "ris-1",
    "ris-2",
}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


def test_dedupe_writes_merged_library_and_explains_each_merge(tmp_path: Path) -> None:
    out, explain = tmp_path / "merged.bib", tmp_path / "explain.json"
    status, err = run("dedupe", str(LIBRARY), "-o", str(out), "--explain", str(explain))
    assert status == 0, err
    assert "7 entries read, 0 problems, 0 files skipped; 5 written, 2 merged" in err
    library = bibtexparser.parse_string(out.read_text())
    assert not library.failed_blocks
    keys = {entry.key for entry in library.entries}
    assert keys == {
        "arakawa2010inhibition",
        "zipfel2006complement",
        "dejorge2007erratum",
        "endnote-11",
        "ris-2",
    }
    arakawa = library.entries_dict["arakawa2010inhibition"]
    assert arakawa["doi"] == "10.2337/db09-1694"
    clusters = json.loads(explain.read_text())
    assert [c["id"] for c in clusters] == [e.key for e in library.entries]
    members = [m for c in clusters for m in c["members"]]
    assert sorted(members) == sorted(INPUT_IDS)
    merged = {c["id"]: c for c in clusters if len(c["members"]) > 1}
    assert set(merged) == {"arakawa2010inhibition", "zipfel2006complement"}
    doi_link = merged["arakawa2010inhibition"]["evidence"][0]
    assert {doi_link["a"], doi_link["b"]} == {"arakawa2010inhibition", "endnote-10"}
    assert doi_link["rule"] == "doi" and 0.5 <= doi_link["score"] <= 1.0
    fuzzy_link = merged["zipfel2006complement"]["evidence"][0]
    assert fuzzy_link["rule"] == "fuzzy" and fuzzy_link["fields"]["title"] == 1.0


def test_an_erratum_and_its_article_stay_apart(tmp_path: Path) -> None:
    out, explain = tmp_path / "merged.json", tmp_path / "explain.json"
    status, _ = run("dedupe", str(LIBRARY), "-o", str(out), "--explain", str(explain))
    assert status == 0
    clusters = json.loads(explain.read_text())
    singles = {c["id"] for c in clusters if len(c["members"]) == 1}
    assert {"dejorge2007erratum", "endnote-11"} <= singles
    erratum = next(c for c in clusters if c["id"] == "dejorge2007erratum")
    assert any("notice" in pair["veto"] for pair in erratum["kept_apart"])


def test_csl_json_output_is_valid(tmp_path: Path, shared: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    out = tmp_path / "merged.json"
    status, _ = run("dedupe", str(LIBRARY), "-o", str(out), "--quiet")
    assert status == 0
    items = json.loads(out.read_text())
    jsonschema.validate(items, json.loads((shared / "csl" / "csl-data.json").read_text()))
    assert len({item["id"] for item in items}) == len(items) == 5


def test_a_broken_file_is_named_and_the_rest_written(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(LIBRARY, folder)
    (folder / "broken.json").write_text('[{"id": "x", "title": ')
    out = tmp_path / "merged.bib"
    status, err = run("dedupe", str(folder), "-o", str(out))
    assert status == 1
    assert "broken.json" in err
    assert len(bibtexparser.parse_string(out.read_text()).entries) == 5


def test_threshold_must_be_a_score(tmp_path: Path) -> None:
    status, err = run("dedupe", str(LIBRARY), "-o", str(tmp_path / "x.bib"), "--threshold", "0")
    assert status == 2
    assert "threshold" in err.lower()
    assert not (tmp_path / "x.bib").exists()


def test_written_keys_keep_given_ids_and_fill_the_rest() -> None:
    citations = [
        Citation(id="smith2010", title="A"),
        Citation(id="smith2010", title="B"),
        Citation(title="Cancer screening", issued=None),
    ]
    ids = [c.id for c in ensure_keys(citations)]
    assert ids[0] == "smith2010" and ids[1] != "smith2010"
    assert ids[2] and len(set(ids)) == 3
