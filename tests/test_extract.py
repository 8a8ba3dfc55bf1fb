from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import bibtexparser
import pytest

from refkit.extract import person_name, trial_citation, with_retractions
from refkit.model import Date, Name, Provenance, RawReference, Record, Retraction
from refkit.parse import parse_raw
from refkit.readers import read_records


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Neil H White, M.D.", Name(family="White", given="Neil H")),
        ("Jane Doe, MD, PhD", Name(family="Doe", given="Jane")),
        ("Prof. Anna Maria Rossi", Name(family="Rossi", given="Anna Maria")),
        ("Novartis", Name(literal="Novartis")),
    ],
)
def test_person_names_lose_degrees(given: str, expected: Name) -> None:
    assert person_name(given) == expected


def test_trial_citation_like_zoteros_importer() -> None:
    record = Record(
        nct_id="NCT00000001",
        path="x.json",
        brief_title="Short",
        official_title="A Long Official Title",
        lead_sponsor="Acme University",
        collaborators=("NIH",),
        investigator="Jane Doe, MD",
        first_submitted=Date(2008, 1, 2),
        last_updated=Date(2009, 8, 20),
        summary="What it is about.",
    )
    citation = trial_citation(record)
    assert citation.type == "report"
    assert citation.title == "A Long Official Title" and citation.title_short == "Short"
    assert citation.author == (
        Name(family="Doe", given="Jane"),
        Name(literal="Acme University"),
        Name(literal="NIH"),
    )
    assert citation.issued == Date(2009, 8, 20) and citation.submitted == Date(2008, 1, 2)
    assert (citation.publisher, citation.genre, citation.number) == (
        "ClinicalTrials.gov",
        "Clinical trial registration",
        "NCT00000001",
    )
    assert citation.url == "https://clinicaltrials.gov/study/NCT00000001"
    assert citation.abstract == "What it is about."


def test_a_record_with_a_retraction_marks_its_citation() -> None:
    raw = RawReference(
        text="Zhao S, Fan N, Li H. A title. Br J Anaesth. 2020;125(3):1-2.",
        provenance=Provenance("f.json", "", "references", 1, "DERIVED"),
        pmid="33178765",
        retractions=(Retraction("32861403", "Br J Anaesth. 2020 Sep;125(3):412-413"),),
    )
    citation, lines = with_retractions(parse_raw(raw), raw)
    assert ("Retracted", "PMID 32861403 (Br J Anaesth. 2020 Sep;125(3):412-413)") in citation.extra
    assert "Retracted: PMID 32861403" in citation.to_csl()["note"]
    assert lines == [
        "f.json:references 1: A title — retraction notice PMID 32861403 "
        "(Br J Anaesth. 2020 Sep;125(3):412-413)"
    ]
    unchanged = parse_raw(replace(raw, retractions=()))
    assert with_retractions(unchanged, replace(raw, retractions=())) == (unchanged, [])


def test_build_of_the_shared_records_balances(shared: Path, tmp_path: Path) -> None:
    """``refkit build ../shared/records -o all.bib --offline --report r.json`` exits 0."""
    out, report_path = tmp_path / "all.bib", tmp_path / "r.json"
    command = [sys.executable, "-m", "refkit", "build", str(shared / "records"), "-o", str(out)]
    command += ["--offline", "--report", str(report_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(report_path.read_text(encoding="utf-8"))
    records = [r for r in read_records([shared / "records"]) if isinstance(r, Record)]
    assert report["balanced"] and report["records_rejected"] == 0 and not report["problems"]
    assert report["records_read"] == len(records)
    assert report["references_found"] == sum(len(r.references) for r in records)
    ids = [r.nct_id for r in records if r.nct_id]
    assert report["trials_written"] == len(set(ids))
    assert report["records_duplicate"] == len(ids) - len(set(ids))
    assert [s["where"].rsplit("/", 1)[-1] for s in report["skipped"]] == [
        "FORMATS.md",
        "SOURCES.md",
    ]
    fragment = "fragments/aact_study_reference_retraction.json: no NCT id"
    assert any(fragment in w for w in report["warnings"])
    assert any("retraction notice PMID 32861403" in line for line in report["retracted"])
    entries = bibtexparser.parse_string(out.read_text(encoding="utf-8")).entries
    reports = [e for e in entries if e.entry_type == "techreport"]
    assert len(reports) == len(set(ids))
