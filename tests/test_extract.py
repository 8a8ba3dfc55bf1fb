from __future__ import annotations

import pytest

from refkit.extract import person_name, trial_citation
from refkit.model import Date, Name, Record


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
