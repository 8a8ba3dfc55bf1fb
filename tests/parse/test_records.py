"""Every reference string of the real records in ../shared/records parses usefully.

The strings are read straight from the files (JSON, XML, the text rendering), independently of
refkit's readers, so that this test checks the parser alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as ElementTree

from refkit.parse import parse_reference

_DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _json_citations(data: Any) -> list[str]:
    if isinstance(data, dict):
        found = [
            v
            for k, v in data.items()
            if k in ("citation", "ReferenceCitation") and isinstance(v, str)
        ]
        return found + [s for v in data.values() for s in _json_citations(v)]
    if isinstance(data, list):
        return [s for v in data for s in _json_citations(v)]
    return []


def _text_citations(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if "References" not in lines:
        return []
    start = lines.index("References") + 2  # the header, then its one-line blurb
    section = []
    for line in lines[start:]:
        if not line.strip() or line.startswith("Other Identifiers"):
            break
        section.append(line.strip())
    return section


def record_citations(records: Path) -> list[str]:
    strings: list[str] = []
    for path in sorted(records.rglob("*.json")):
        strings += _json_citations(json.loads(path.read_text(encoding="utf-8")))
    for path in sorted(records.rglob("*.xml")):
        root = ElementTree.parse(path).getroot()
        strings += [el.text or "" for el in root.iter("citation")]
    for path in sorted(records.rglob("*.txt")):
        strings += _text_citations(path)
    return list(dict.fromkeys(s for s in strings if s.strip()))


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
