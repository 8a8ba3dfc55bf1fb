"""Identifiers found and normalised: tests/data/parse/identifiers.jsonl, string and expected."""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import DATA

from refkit.identifiers import find_identifiers, only_identifiers
from refkit.parse import parse_reference

CASES = [json.loads(line) for line in (DATA / "parse" / "identifiers.jsonl").open()]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_identifiers(case: dict[str, Any]) -> None:
    found = {
        key: value for key, value in find_identifiers(case["string"])._asdict().items() if value
    }
    expected = {key: tuple(v) if isinstance(v, list) else v for key, v in case["expected"].items()}
    assert found == expected


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("PMID: 12345678", True),
        ("doi:10.1056/NEJMoa1234567.", True),
        ("https://doi.org/10.1000/abc PMID 123456", True),
        ("PMC1234567", True),
        ("Sun L. Title. Stem Cells. 2009;27(6):1421-32. PMID: 19489103", False),
        ("Guidelines for care. https://example.org/guide", False),
        ("No identifiers at all", False),
    ],
)
def test_only_identifiers(text: str, alone: bool) -> None:
    assert only_identifiers(text) is alone


def test_identifiers_alone_are_no_author_or_title() -> None:
    citation = parse_reference("PMID: 12345678")
    assert citation.pmid == "12345678"
    assert not citation.author and not citation.title
    assert citation.raw == "PMID: 12345678"
    assert any("identifiers only" in warning for warning in citation.warnings)
