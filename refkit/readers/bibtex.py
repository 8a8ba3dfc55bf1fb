"""A user's BibTeX or BibLaTeX library (``.bib``) → Citations, keys kept as ids.

bibtexparser v2 splits the file; LaTeX in values is decoded to Unicode; a block bibtexparser
cannot parse is reported with its line, and the entries around it are still read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from refkit.errors import ReadError
from refkit.exporters.latex import to_text
from refkit.exporters.types import NUMBERED, from_bibtex
from refkit.model import ET_AL, Citation, Date, Name, split_note
from refkit.readers.decode import decode

_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# BibTeX/BibLaTeX field → Citation attribute, for fields that are LaTeX text.
TEXT_FIELDS = {
    "title": "title",
    "shorttitle": "title_short",
    "journal": "container_title",
    "journaltitle": "container_title",
    "booktitle": "container_title",
    "howpublished": "container_title",
    "shortjournal": "container_title_short",
    "series": "collection_title",
    "volume": "volume",
    "edition": "edition",
    "type": "genre",
    "publisher": "publisher",
    "institution": "publisher",
    "school": "publisher",
    "organization": "publisher",
    "address": "publisher_place",
    "location": "publisher_place",
    "language": "language",
    "abstract": "abstract",
}
# Fields written raw (identifiers, URLs): only the escapes other tools add are undone.
VERBATIM_FIELDS = {f: f for f in ("doi", "pmid", "pmcid", "url", "isbn", "issn")}
# Every field read; any other is named in the citation's warnings ("fields not kept: ...").
HANDLED = {
    *TEXT_FIELDS,
    *VERBATIM_FIELDS,
    *("author", "editor", "year", "month", "day", "date", "number", "issue", "pages"),
    *("keywords", "note", "eprint", "eprinttype", "archiveprefix"),
}
_ESCAPED = re.compile(r"\\([_%&#$])")


class BibtexLibraryReader:
    """BibTeX and BibLaTeX files, recognised by an ``@type{`` entry start."""

    name = "bibtex"

    def sniff(self, head: bytes, path: Path) -> bool:
        return bool(_ENTRY_START.search(head.decode("utf-8", "replace")))

    def read(self, path: Path) -> Iterator[Citation | ReadError]:
        text, warning = decode(path.read_bytes(), str(path))
        library = parse_string(text)
        for block in library.blocks:
            if isinstance(block, ParsingFailedBlock):
                yield _failure(block, path)
            elif isinstance(block, Entry):
                citation = entry_citation(block)
                if warning:
                    citation = replace(citation, warnings=(*citation.warnings, warning))
                yield citation


def _failure(block: ParsingFailedBlock, path: Path) -> ReadError:
    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        message = f"duplicate key {block.key!r}: this entry was not read"
        return ReadError(message, where=f"{path}:line {line}", hint="give each entry its own key")
    reason = str(block.error).split("\n")[-1].strip() or type(block.error).__name__
    return ReadError(
        f"cannot parse this block ({reason})",
        where=f"{path}:line {line}",
        hint="check its braces and commas",
    )


def entry_citation(entry: Entry) -> Citation:
    """One parsed entry as a Citation; its key becomes the id."""
    fields = {f.key.lower(): str(f.value) for f in entry.fields}
    csl_type = from_bibtex(entry.entry_type)
    values: dict[str, Any] = {"type": csl_type, "id": entry.key}
    for key, attr in TEXT_FIELDS.items():
        if fields.get(key) and not values.get(attr):
            values[attr] = to_text(fields[key]).strip()
    authors, truncated = names(fields.get("author", ""))
    number = to_text(fields.get("number") or fields.get("issue") or "").strip()
    keywords = re.split(r"[,;]", to_text(fields.get("keywords", "")))
    values.update(
        author=authors,
        editor=names(fields.get("editor", ""))[0],
        issued=issued(fields),
        page=re.sub(r"\s*(--?|–|—)\s*", "-", fields.get("pages", "")).strip(),
        keyword=tuple(k.strip() for k in keywords if k.strip()),
        **{"number" if csl_type in NUMBERED else "issue": number},
        **_identifiers_and_note(fields),
    )
    warnings = [ET_AL] if truncated else []
    unread = sorted(set(fields) - HANDLED)
    if unread:
        warnings.append(f"fields not kept: {', '.join(unread)}")
    return Citation(warnings=tuple(warnings), **{k: v for k, v in values.items() if v})


def _identifiers_and_note(fields: dict[str, str]) -> dict[str, Any]:
    """Identifiers (raw fields, BibLaTeX ``eprint``, ``Key: value`` note lines) and the note."""
    out: dict[str, Any] = {
        attr: _ESCAPED.sub(r"\1", fields[key]).strip()
        for key, attr in VERBATIM_FIELDS.items()
        if fields.get(key)
    }
    note, extra = split_note(to_text(fields.get("note", "")))
    eprint = fields.get("eprint", "").strip()
    kind = (fields.get("eprinttype") or fields.get("archiveprefix") or "").strip().lower()
    if eprint and kind == "pubmed":
        out.setdefault("pmid", eprint)
    elif eprint and kind == "arxiv":
        extra = (*extra, ("arXiv", eprint))
    for key, value in extra:
        if key in ("PMID", "PMCID"):
            out.setdefault(key.lower(), value)
    out["note"] = note
    out["extra"] = tuple((k, v) for k, v in extra if k not in ("PMID", "PMCID"))
    return out


def names(value: str) -> tuple[tuple[Name, ...], bool]:
    """A BibTeX name list → Names, and whether it ended with ``and others``."""
    people = split_multiple_persons_names(value) if value.strip() else []
    truncated = bool(people) and people[-1].strip().lower() == "others"
    return tuple(_name(p) for p in people[: -1 if truncated else None] if p.strip()), truncated


def _name(text: str) -> Name:
    text = text.strip()
    if _wholly_braced(text):
        return Name(literal=to_text(text[1:-1]).strip())
    parts = parse_single_name_into_parts(text, strict=False)

    def joined(words: list[str]) -> str:
        return to_text(" ".join(words)).strip()

    return Name(
        family=joined(parts.last),
        given=joined(parts.first),
        particle=joined(parts.von),
        suffix=joined(parts.jr),
    )


def _wholly_braced(text: str) -> bool:
    """``{World Health Organization}``: one brace group around the whole name."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += (char == "{") - (char == "}")
        if depth == 0 and index < len(text) - 1:
            return False
    return True


def issued(fields: dict[str, str]) -> Date | None:
    """``date`` (BibLaTeX, ISO; a range gives its start) or ``year`` + ``month`` + ``day``."""
    if fields.get("date"):
        found = Date.from_iso(re.split(r"/", fields["date"].strip())[0])
        if found:
            return found
    year = re.search(r"\d{4}", fields.get("year", ""))
    if not year:
        return None
    month = month_number(fields.get("month", ""))
    day = fields.get("day", "").strip()
    return Date(int(year.group()), month, int(day) if month and day.isdigit() else None)


def month_number(value: str) -> int | None:
    """``mar``, ``March``, ``3`` or ``03`` → 3."""
    text = to_text(value).strip().lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    for index, name in enumerate(_MONTHS, start=1):
        if text.startswith(name):
            return index
    return None
