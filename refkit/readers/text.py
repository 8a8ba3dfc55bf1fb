"""The ClinicalTrials.gov text rendering: title, ``NCT ID:``, ``Last Updated:``, then sections.

Each section is a header line followed by a one-line blurb, then its content up to the next
header. References are one citation per line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from refkit.errors import ReadError
from refkit.model import Date, Provenance, RawReference, Record
from refkit.readers.decode import clean_block, clean_text, decode

HEADERS = frozenset(
    {
        "Study Results",
        "Basic Information",
        "Brief Summary",
        "Related Clinical Trials",
        "Detailed Description",
        "Official Title",
        "Conditions",
        "Keywords",
        "Study Design",
        "Interventions",
        "Arms and Interventions",
        "Outcome Measures",
        "Eligibility Criteria",
        "Sponsors",
        "Collaborators",
        "Responsible Party",
        "Investigators",
        "Locations",
        "Countries",
        "Central Contacts",
        "Facility Contacts",
        "References",
        "Publications",
        "Links",
        "Other Identifiers",
        "More Related Trials",
    }
)
_NCT_LINE = re.compile(r"^NCT ID:\s*(NCT\d{8})\s*$", re.MULTILINE)
_UPDATED_LINE = re.compile(r"^Last Updated:\s*(\S+)\s*$", re.MULTILINE)
_NCT = re.compile(r"^NCT\d{8}$")


class TextReader:
    """Reads the plain-text rendering of one study (the seed layout)."""

    name = "ctgov-text"

    def sniff(self, head: bytes, path: Path) -> bool:
        """An ``NCT ID:`` line near the top; or, so that a rendering which lost that line is
        named rather than skipped, a ``Last Updated:`` line and two section headers."""
        try:
            text, _ = decode(head, str(path))
        except ReadError:
            return False
        top = "\n".join(text.split("\n", 6)[:6])
        if _NCT_LINE.search(top):
            return True
        headers = sum(line.strip() in HEADERS for line in text.split("\n"))
        return _UPDATED_LINE.search(top) is not None and headers >= 2

    def read(self, path: Path) -> Iterator[Record | ReadError]:
        text, warning = decode(path.read_bytes(), str(path))
        record = parse_text_record(text, str(path))
        yield replace(record, warnings=(f"{path}: {warning}",)) if warning else record


def split_sections(lines: list[str]) -> dict[str, list[str]]:
    """Header → content lines (the blurb after each header left out).

    A header counts the first time it appears; the line after it is its blurb, whatever it
    says; a header seen again is content. Only the header lines are visited one by one (a
    record has a few dozen among its hundreds of lines).
    """
    stripped = [line.strip() for line in lines]
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    start = 0  # the first line not yet given to a section
    for index in [i for i, line in enumerate(stripped) if line in HEADERS]:
        if index < start or stripped[index] in sections:
            continue  # a blurb that looks like a header, or a header seen before: not a split
        if current is not None:
            current.extend(line for line in stripped[start:index] if line)
        current = sections[stripped[index]] = []
        start = index + 2
    if current is not None:
        current.extend(line for line in stripped[start:] if line)
    return sections


def parse_text_record(text: str, path: str) -> Record:
    match = _NCT_LINE.search(text)
    if match is None:
        raise ReadError(
            "no 'NCT ID:' line: a text rendering without its study's id",
            where=path,
            hint="download the record again",
        )
    nct_id = match.group(1)
    lines = text.split("\n")
    sections = split_sections(lines)
    updated = _UPDATED_LINE.search(text)
    sponsors = sections.get("Sponsors", [])
    references = tuple(
        RawReference(
            text=clean_text(line, markdown=True),
            provenance=Provenance(path=path, record=nct_id, section="References", position=number),
        )
        for number, line in enumerate(sections.get("References", []), start=1)
    )
    return Record(
        nct_id=nct_id,
        path=path,
        brief_title=clean_text(lines[0], markdown=True),
        official_title=clean_text(" ".join(sections.get("Official Title", [])), markdown=True),
        summary=clean_block("\n".join(sections.get("Brief Summary", [])), markdown=True),
        status=next(iter(sections.get("Basic Information", [])), ""),
        lead_sponsor=sponsors[0] if sponsors else "",
        collaborators=tuple(sections.get("Collaborators", [])),
        last_updated=Date.from_iso(updated.group(1)) if updated else None,
        conditions=tuple(sections.get("Conditions", [])),
        other_ids=_other_ids(sections.get("Other Identifiers", [])),
        related_nct_ids=tuple(
            line for line in sections.get("Related Clinical Trials", []) if _NCT.match(line)
        ),
        references=references,
        format="ctgov-text",
    )


def _other_ids(lines: list[str]) -> tuple[str, ...]:
    return tuple(line for line in lines if not line.startswith("Identifier "))
