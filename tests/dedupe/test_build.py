"""Deduplication inside ``refkit build``: one entry per work, every citing trial kept."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import SEED

from refkit.commands import build

SUN = (
    "Sun L, Akiyama K, Zhang H, Yamaza T, Hou Y, Zhao S, Xu T, Le A, Shi S. MESENCHYMAL STEM "
    "CELL TRANSPLANTATION REVERSES MULTIORGAN DYSFUNCTION IN SYSTEMIC LUPUS ERYTHEMATOSUS MICE "
    "AND HUMANS. Stem Cells. 2009;27(6):1421-1432."
)
LIANG = (
    "Liang J, Zhang H, Hua B, Wang H, Wang J, Han Z, Sun L. Allogeneic mesenchymal stem cells "
    "transplantation in treatment of multiple sclerosis. Mult Scler. 2009 May;15(5):644-6. "
    "https://doi.org/10.1177/1352458509104590"
)


def second_trial(folder: Path) -> None:
    """A trial citing two of the seed's references, written another way."""
    lines = SEED.read_text().split("\n")
    lines[0] = "Mesenchymal Stem Cells for Lupus Nephritis"
    lines[1] = "NCT ID: NCT09999999"
    start = lines.index("References") + 2
    end = lines.index("Other Identifiers")
    lines[start:end] = [SUN, LIANG]
    (folder / "NCT09999999.txt").write_text("\n".join(lines))


def test_build_merges_the_same_work_cited_by_two_trials(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "NCT00962923.txt").write_text(SEED.read_text())
    second_trial(folder)
    out = tmp_path / "refs.json"
    report = build([folder], str(out), offline=True)
    assert report.balanced
    assert (report.references_found, report.references_written) == (9, 7)
    assert (report.references_merged, report.trials_written) == (2, 2)
    cited = sorted(tuple(d["cited_by"]) for d in report.duplicates)
    assert cited == [("NCT00962923", "NCT09999999")] * 2
    items = json.loads(out.read_text())
    sun = next(i for i in items if i.get("DOI") == "10.1002/stem.68")
    assert "Cited by: NCT00962923, NCT09999999" in sun["note"]
    assert sum(i["type"] == "report" for i in items) == 2
    for item in items:
        if item["type"] != "report":
            trials = item["keyword"]
            assert trials in ("NCT00962923", "NCT00962923, NCT09999999")
            assert f"Cited by: {trials}" in item["note"].split("\n")


def test_no_dedupe_keeps_every_reference(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "NCT00962923.txt").write_text(SEED.read_text())
    second_trial(folder)
    out = tmp_path / "refs.bib"
    report = build([folder], str(out), offline=True, dedupe_references=False)
    assert report.balanced
    assert (report.references_written, report.references_merged) == (9, 0)
    text = out.read_text()
    assert text.count("Cited by: NCT") == text.count("keywords = {NCT") == 9


def test_a_librarys_keywords_are_not_citing_trials(tmp_path: Path) -> None:
    library = tmp_path / "mine.bib"
    library.write_text(
        "@article{sun2009, title = {Mesenchymal stem cell transplantation reverses multiorgan "
        "dysfunction in systemic lupus erythematosus mice and humans}, author = {Sun, L.}, "
        "journal = {Stem Cells}, year = 2009, volume = 27, pages = {1421--1432}, "
        "doi = {10.1002/stem.68}, keywords = {lupus, to-read}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "refs.json"
    report = build([SEED, library], str(out), offline=True)
    (sun,) = [d for d in report.duplicates if "Mesenchymal stem cell" in d["title"]]
    assert sun["cited_by"] == ["NCT00962923"]
    (item,) = [i for i in json.loads(out.read_text()) if i.get("DOI") == "10.1002/stem.68"]
    assert item["keyword"] == "lupus, to-read, NCT00962923"
    assert "Cited by: NCT00962923" in item["note"]
