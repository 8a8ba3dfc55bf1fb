"""Every reference string of the real records in ../shared/records parses usefully.

The strings are read straight from the files (``helpers.record_citations``), independently of
refkit's readers, so that this test checks the parser alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers import record_citations

from refkit.parse import parse_reference

_DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def test_every_record_reference_parses(shared: Path) -> None:
    strings = record_citations(shared / "records")
    assert len(strings) >= 130
    problems = []
    for text in strings:
        citation = parse_reference(text)
        doi = _DOI.search(text)
        if doi and citation.doi != doi.group(0).rstrip(".,;").lower():
            problems.append(f"DOI {doi.group(0)} not found: {text}")
        if not _YEAR.search(text):
            continue  # cut-off strings ("Ostergaard L et al...") hold no title or source
        where = citation.container_title or citation.publisher
        if not (citation.title and where and citation.issued):
            problems.append(f"title/source/year not placed: {text}")
        if citation.issued and str(citation.issued.year) not in text:
            problems.append(f"year {citation.issued.year} not in the string: {text}")
    assert problems == []


def test_truncated_strings_keep_raw_and_warn(shared: Path) -> None:
    cut = [s for s in record_citations(shared / "records") if not _YEAR.search(s)]
    assert cut, "the records hold cut-off references such as 'Ostergaard L et al...'"
    for text in cut:
        citation = parse_reference(text)
        assert citation.raw == text
        assert citation.warnings
