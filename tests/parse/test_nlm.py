from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import DATA

import refkit.parse as parse_module
from refkit.model import ET_AL, Name
from refkit.parse import parse_reference
from refkit.parse.nlm import expand_pages, parse_nlm

SEED_CASES = [json.loads(line) for line in (DATA / "parse" / "nlm-seed.jsonl").open()]
FORM_CASES = [json.loads(line) for line in (DATA / "parse" / "nlm-forms.jsonl").open()]


def expected_names(fields: dict[str, Any]) -> tuple[Name, ...]:
    return tuple(Name(family=a["family"], given=a["given"]) for a in fields["author"])


@pytest.mark.parametrize("case", SEED_CASES, ids=[c["id"] for c in SEED_CASES])
def test_seed_reference_every_field(case: dict[str, Any]) -> None:
    fields = case["fields"]
    citation = parse_reference(case["string"])
    assert citation.author == expected_names(fields)
    assert citation.title == fields["title"]
    assert citation.container_title == fields["container-title"]
    assert citation.issued is not None and citation.issued.iso() == fields["issued"]
    assert citation.volume == fields["volume"]
    assert citation.issue == fields["issue"]
    assert citation.page == fields["page"]
    assert citation.doi == fields["DOI"]
    assert citation.type == fields["type"]
    assert citation.note == fields.get("note", "")
    assert citation.raw == case["string"]


@pytest.mark.parametrize("case", FORM_CASES, ids=[c["id"] for c in FORM_CASES])
def test_nlm_form(case: dict[str, Any]) -> None:
    citation = parse_reference(case["string"])
    csl = citation.to_csl()
    assert {key: csl.get(key) for key in case["expected"]} == case["expected"]
    assert citation.confidence >= 0.75


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("1421-32", "1421-1432"),
        ("644-6", "644-646"),
        ("1073-1082", "1073-1082"),
        ("165", "165"),
        ("e1234", "e1234"),
        ("S12-8", "S12-S18"),
        ("99-101", "99-101"),
    ],
)
def test_page_ranges_are_expanded(given: str, expected: str) -> None:
    assert expand_pages(given) == expected


def test_not_nlm_gives_none_and_general_fallback_keeps_raw() -> None:
    text = "Some words without any structure at all"
    assert parse_nlm(text) is None
    citation = parse_reference(text)
    assert citation.raw == text
    assert citation.confidence < 0.5
    assert citation.warnings


def test_identifiers_found_anywhere() -> None:
    text = (
        "Doe J. A title. J Test. 2020;1(2):3-4. doi: 10.1000/XYZ.1. "
        "PMID: 12345678; PMCID: PMC7654321. NCT01234567."
    )
    citation = parse_reference(text)
    assert (citation.doi, citation.pmid, citation.pmcid) == (
        "10.1000/xyz.1",
        "12345678",
        "PMC7654321",
    )
    assert ("Trial registration", "NCT01234567") in citation.extra


@pytest.mark.parametrize(
    ("text", "families", "truncated"),
    [
        ("Ostergaard L, Silfverdal SA...", ["Ostergaard", "Silfverdal"], False),
        ("Ostergaard L et al...", ["Ostergaard"], True),
        ("Zhao S, Fan N, Li H…", ["Zhao", "Fan", "Li"], False),
    ],
)
def test_a_string_cut_off_after_its_names(text: str, families: list[str], truncated: bool) -> None:
    """Real registry strings: the names are read exactly, and the warning says what is missing."""
    citation = parse_reference(text)
    assert [name.family for name in citation.author] == families
    assert not citation.title and citation.issued is None
    assert citation.warnings[0] == "cut off after the author list: no title or year"
    assert (ET_AL in citation.warnings) is truncated


def test_names_with_a_title_are_no_cut_off_list() -> None:
    citation = parse_reference("Zhao S, Fan N, Li H. Outcomes after surgery…")
    assert "cut off after the author list: no title or year" not in citation.warnings


def test_initials_first_names_are_not_checked_by_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """``M. Smith, G. Jones``: no given name to take for a family, so no model run."""
    asked: list[str] = []
    real = parse_module.general_fields
    monkeypatch.setattr(parse_module, "general_fields", lambda t: asked.append(t) or real(t))
    text = (
        "M. Smith, G. Jones, et al. Outcomes of early therapy. Program and abstracts of the 9th "
        "Conference on Testing; July 19-22, 2015; Boston, USA."
    )
    citation = parse_reference(text)
    assert asked == []
    assert [(n.family, n.given) for n in citation.author[:2]] == [("Smith", "M."), ("Jones", "G.")]
    assert citation.type == "paper-conference" and citation.issued is not None
    middle = parse_reference(text.replace("M. Smith, G. Jones", "Mary J. Smith, Gwen Jones"))
    assert asked == []
    assert [(n.family, n.given) for n in middle.author[:2]] == [
        ("Smith", "Mary J."),
        ("Jones", "Gwen"),
    ]
    parse_reference("David R. Cheriton, Hendrik A. Goosen, and Philip Machanick. A title. 1990.")
    assert len(asked) == 1  # the names were cut at "R.": the model is asked
