"""Each reference string held once: the build's result is the same as with every copy held."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from helpers import DATA, EXAMPLES, SEED

from refkit.collect import Collected
from refkit.commands import _collect, _dedupe
from refkit.model import Citation, Provenance, RawReference
from refkit.parse import parse_raw
from refkit.report import Report


def seed_copies(folder: Path, count: int) -> None:
    """The seed record under ``count`` new NCT ids; every other copy cites "Editorial." too
    and gives its references in the reverse order, so that copies interleave."""
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    first = lines.index("References") + 2
    for index in range(count):
        copy = [line.replace("NCT00962923", f"NCT9100000{index}") for line in lines]
        if index % 2:
            copy[first : first + 7] = [*reversed(copy[first : first + 7]), "Editorial."]
        (folder / f"NCT9100000{index}.txt").write_text("\n".join(copy), encoding="utf-8")


def built(paths: list[Path], *, fold: bool) -> tuple[list[Citation], Report, Collected]:
    report = Report()
    collected = _collect(paths, report, None, fold=fold)
    citations = list(_dedupe(collected.citations, collected, report, enabled=True))
    report.timings = {}
    return citations, report, collected


def test_folding_copies_changes_nothing_but_what_is_held(tmp_path: Path) -> None:
    seed_copies(tmp_path, 6)
    paths = [tmp_path, EXAMPLES, DATA / "readers" / "same-study", DATA / "dedupe" / "library"]
    folded, folded_report, held = built(paths, fold=True)
    every, every_report, all_held = built(paths, fold=False)
    assert folded == every
    assert folded_report == every_report
    assert len(held.citations) < len(all_held.citations)  # copies were folded...
    assert sum(held.counts()) == len(all_held.citations)  # ...and every one is counted
    assert folded_report.references_merged > 0


def reference(text: str, trial: str, position: int) -> RawReference:
    return RawReference(text, Provenance(f"{trial}.txt", trial, "References", position))


def cited(raw: RawReference) -> Citation:
    return replace(parse_raw(raw), cited_by=(raw.provenance.record,))


def test_a_copy_is_held_as_its_trial_and_place() -> None:
    collected = Collected()
    first = reference(
        "Sun L, Shi S. Stem cells in lupus. Stem Cells. 2009;27:1421-32.", "NCT00000001", 1
    )
    collected.add(cited(first), raw=first)
    other = reference("Liang J. Another work. Mult Scler. 2009;15:644-6.", "NCT00000002", 1)
    collected.add(cited(other), raw=other)
    again = reference(first.text, "NCT00000003", 4)
    assert collected.same_as(again) == 0
    collected.add_copy(0, again, ("NCT00000003",))
    assert collected.counts() == [2, 1]
    merged = collected.restore([0, 1], collected.citations[0])  # as if dedupe joined them
    assert merged.cited_by == (
        "NCT00000001",
        "NCT00000002",
        "NCT00000003",
    )  # in the order they were read
    assert merged.provenance == (first.provenance, other.provenance, again.provenance)
    assert ("Cited by", "NCT00000001, NCT00000002, NCT00000003") in merged.extra_lines


def test_a_string_that_names_no_one_work_is_not_folded() -> None:
    collected = Collected()
    first = reference("Editorial.", "NCT00000001", 1)
    collected.add(cited(first), raw=first)
    assert collected.same_as(reference("Editorial.", "NCT00000002", 1)) is None
    assert collected.copies == {}


def test_without_folding_nothing_is_folded() -> None:
    collected = Collected(fold=False)
    first = reference(
        "Sun L, Shi S. Stem cells in lupus. Stem Cells. 2009;27:1421-32.", "NCT00000001", 1
    )
    collected.add(cited(first), raw=first)
    assert collected.same_as(reference(first.text, "NCT00000002", 1)) is None


def test_a_pmid_without_text_is_kept_once_per_pmid(tmp_path: Path) -> None:
    """No reference with a PMID is lost for want of text; copies of one PMID are one work."""
    for number, pmids in (("NCT09999991", ["111", "111", "222"]), ("NCT09999992", ["111"])):
        references = [{"pmid": pmid, "type": "BACKGROUND", "citation": "--"} for pmid in pmids]
        references.append({"citation": "42"})  # no PMID, no text: still left out
        study = {
            "protocolSection": {
                "identificationModule": {"nctId": number, "briefTitle": "A study"},
                "referencesModule": {"references": references},
            }
        }
        (tmp_path / f"{number}.json").write_text(json.dumps(study), encoding="utf-8")
    citations, report, _ = built([tmp_path], fold=True)
    kept = [c for c in citations if c.pmid]
    assert sorted(c.pmid for c in kept) == ["111", "222"]
    assert next(c for c in kept if c.pmid == "111").cited_by == ("NCT09999991", "NCT09999992")
    assert all(c.type == "document" and not c.title for c in kept)
    assert report.references_pmid_only == 4 and report.references_merged == 2
    assert report.references_rejected == 2 and report.balanced
    _, unfolded, _ = built([tmp_path], fold=False)
    assert unfolded.references_pmid_only == 4 and unfolded.balanced
