"""RIS output (``.ris``): one ``TY`` … ``ER`` record per citation, tags as Zotero reads them.

RIS is line-based: a value's line breaks become spaces, except in notes, which take one ``N1``
line per note line (the ``PMID: …`` lines among them). Pages go to ``SP``/``EP``; ``SN`` holds
the number of a report or patent, the ISSN of an article and the ISBN of anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from refkit.formats.types import ARTICLE_TYPES, NUMBERED, row, writable
from refkit.model import Citation, Date, Name
from refkit.plugins import RunExporter

_RANGE = re.compile(r"^\s*([^\s\-–—]+)\s*[-–—]+\s*([^\s\-–—]+)\s*$")


def ris_name(name: Name) -> str:
    """``Family, Given, Suffix``; an organisation is one value without a comma."""
    if name.literal:
        return name.literal.replace(",", " ")
    family = f"{name.particle} {name.family}".strip()
    parts = [family, name.given, name.suffix] if name.suffix else [family, name.given]
    return ", ".join(parts)


def split_pages(page: str) -> tuple[str, str]:
    """``1421-1432`` → (``1421``, ``1432``); anything else stays whole in SP."""
    match = _RANGE.match(page)
    return (match.group(1), match.group(2)) if match else (page, "")


def ris_date(date: Date) -> str:
    month = f"{date.month:02d}" if date.month else ""
    day = f"{date.day:02d}" if date.month and date.day else ""
    return f"{date.year:04d}/{month}/{day}/"


def serial_number(citation: Citation) -> str:
    csl_type = writable(citation.type)
    if csl_type in NUMBERED:
        return citation.number
    return citation.issn if csl_type in ARTICLE_TYPES else citation.isbn


def record_lines(citation: Citation) -> Iterator[tuple[str, str]]:
    """(tag, value) pairs of one record, in the order Zotero writes them."""
    yield "TY", row(citation.type).ris
    yield "ID", citation.id
    yield "TI", citation.title
    yield "ST", citation.title_short
    yield from (("AU", ris_name(n)) for n in citation.author)
    yield from (("ED", ris_name(n)) for n in citation.editor)
    yield "T2", citation.container_title
    yield "J2", citation.container_title_short
    yield "T3", citation.collection_title
    if citation.issued and citation.issued.year > 0:  # not a literal date without a year
        yield "PY", f"{citation.issued.year:04d}"
        if citation.issued.month:
            yield "DA", ris_date(citation.issued)
    start, end = split_pages(citation.page)
    yield from [("VL", citation.volume), ("IS", citation.issue), ("SP", start), ("EP", end)]
    yield from [("SN", serial_number(citation)), ("ET", citation.edition)]
    yield from [("M3", citation.genre), ("PB", citation.publisher)]
    yield from [("CY", citation.publisher_place), ("DO", citation.doi), ("UR", citation.url)]
    yield from [("LA", citation.language), ("AB", citation.abstract)]
    yield from (("KW", k) for k in citation.tags)
    yield from (("A4", ris_name(n)) for n in citation.translator)
    yield from [("SE", citation.chapter_number), ("OP", citation.original_title)]
    if citation.accessed:
        yield "Y2", ris_date(citation.accessed)
    yield from (("N1", line) for line in citation.note_with_extra("ris.").split("\n"))
    for name, value in citation.extra_fields:
        if name.startswith("ris."):
            yield name.removeprefix("ris."), value


def record_text(citation: Citation) -> str:
    """One record: its lines with text (each on one line), then its end."""
    texts = ((tag, " ".join(value.split())) for tag, value in record_lines(citation))
    return "".join(f"{tag}  - {text}\n" for tag, text in texts if text) + "ER  - \n\n"


class RisExporter(RunExporter):
    """RIS (``.ris``), for Zotero, EndNote, Mendeley and JabRef."""

    name = "ris"

    def render(self, citations: Sequence[Citation]) -> str:
        return "".join(map(record_text, citations))

    def assemble(self, runs: Iterable[str], stream: IO[str]) -> None:
        for run in runs:
            stream.write(run)
