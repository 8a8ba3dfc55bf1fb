"""A user's RIS library (``.ris``: Zotero, EndNote, Mendeley, PubMed) → Citations.

Records run from ``TY`` to ``ER``; a line without a tag continues the value before it. The
``ID`` tag, when present, becomes the citation's id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from refkit.errors import ReadError
from refkit.formats.types import ARTICLE_TYPES, NUMBERED, from_ris
from refkit.model import Citation, Date, Name, carried_fields, split_note
from refkit.readers.decode import decode

_TAG = re.compile(r"^([A-Z][A-Z0-9])\s{1,2}-(?: (.*))?$")
_SNIFF = re.compile(rb"^\s*TY\s{1,2}- ", re.MULTILINE)
SIMPLE = {
    "TI": "title",
    "T1": "title",
    "ST": "title_short",
    "T2": "container_title",
    "JF": "container_title",
    "JO": "container_title",
    "BT": "container_title",
    "J2": "container_title_short",
    "JA": "container_title_short",
    "T3": "collection_title",
    "VL": "volume",
    "IS": "issue",
    "ET": "edition",
    "M3": "genre",
    "PB": "publisher",
    "CY": "publisher_place",
    "DO": "doi",
    "UR": "url",
    "LA": "language",
    "AB": "abstract",
    "N2": "abstract",
    "SE": "chapter_number",
    "OP": "original_title",
}
HANDLED = {*SIMPLE, "TY", "ID", "AU", "A1", "ED", "A2", "PY", "Y1", "DA", "SP", "EP", "SN"}
HANDLED |= {"KW", "N1", "ER", "A4", "Y2"}
Record = list[tuple[str, str, int]]  # (tag, value, line number)


class RisLibraryReader:
    """RIS, recognised by a ``TY  - `` line."""

    name = "ris"

    def sniff(self, head: bytes, path: Path) -> bool:
        return bool(_SNIFF.search(head))

    def read(self, path: Path) -> Iterator[Citation | ReadError]:
        text, _ = decode(path.read_bytes(), str(path))
        for record in records(text.split("\n"), str(path)):
            yield record if isinstance(record, ReadError) else record_citation(record)


def records(lines: list[str], where: str) -> Iterator[Record | ReadError]:
    """Group tagged lines into records; lines outside a record are reported."""
    current: Record | None = None
    for number, line in enumerate(lines, start=1):
        match = _TAG.match(line.rstrip())
        if match is None:
            if current and line.strip():  # a continuation line
                tag, value, start = current[-1]
                current[-1] = (tag, f"{value} {line.strip()}", start)
            elif line.strip():
                yield ReadError("text outside a record", where=f"{where}:line {number}")
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if current:
                yield ReadError("record without ER line", where=f"{where}:line {current[0][2]}")
            current = [(tag, value, number)]
        elif current is None:
            yield ReadError(f"{tag} line before any TY line", where=f"{where}:line {number}")
        elif tag == "ER":
            yield current
            current = None
        else:
            current.append((tag, value, number))
    if current:
        yield ReadError("record without ER line", where=f"{where}:line {current[0][2]}")


def record_citation(record: Record) -> Citation:
    csl_type = from_ris(record[0][1])
    values: dict[str, Any] = {"type": csl_type}
    tags: dict[str, list[str]] = {}
    for tag, value, _ in record:
        tags.setdefault(tag, []).append(value)
    used = set(HANDLED) - set(SIMPLE)
    for tag, attr in SIMPLE.items():
        if tags.get(tag) and not values.get(attr):
            values[attr] = tags[tag][0]
            used.add(tag)
    first = (tags.get("SP") or [""])[0]
    last = (tags.get("EP") or [""])[0]
    note, extra = split_note("\n".join(tags.get("N1", [])))
    values.update(
        id=(tags.get("ID") or [""])[0],
        author=tuple(ris_person(v) for v in tags.get("AU", []) + tags.get("A1", [])),
        editor=tuple(ris_person(v) for v in tags.get("ED", []) + tags.get("A2", [])),
        translator=tuple(ris_person(v) for v in tags.get("A4", [])),
        accessed=_ris_date((tags.get("Y2") or [""])[0]),
        issued=ris_issued(tags),
        page=f"{first}-{last}" if first and last else first or last,
        keyword=tuple(k for k in tags.get("KW", []) if k),
        note=note,
        extra=tuple((k, v) for k, v in extra if k not in ("PMID", "PMCID")),
        **{k.lower(): v for k, v in extra if k in ("PMID", "PMCID")},
        **_serial(csl_type, (tags.get("SN") or [""])[0]),
    )
    values["extra"], carried = carried_fields(values["extra"])
    values["extra_fields"] = (*carried, *_extra_tags(record, used))
    return Citation(**{k: v for k, v in values.items() if v})


def _extra_tags(record: Record, used: set[str]) -> tuple[tuple[str, str], ...]:
    """Tags refkit has no field for, and the tags of a field another tag (or an earlier line
    of the same tag) filled, as ``("ris.M1", value)``: written back to RIS, carried as note
    lines elsewhere."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for tag, value, _ in record[1:]:
        repeat = tag in seen and tag in SIMPLE
        seen.add(tag)
        if value and (tag not in used or repeat):
            out.append((f"ris.{tag}", " ".join(value.split())))
    return tuple(out)


def _serial(csl_type: str, value: str) -> dict[str, str]:
    if csl_type in NUMBERED:
        return {"number": value}
    return {"issn": value} if csl_type in ARTICLE_TYPES else {"isbn": value}


def ris_person(value: str) -> Name:
    """``van der Berg, J, Jr`` → Name; a value without a comma is an organisation.

    RIS has no particle of its own: ``van der`` stays part of the family name, as in Zotero.
    """
    if "," not in value:
        return Name(literal=value.strip())
    family, _, rest = (p.strip() for p in value.partition(","))
    given, _, suffix = (p.strip() for p in rest.partition(","))
    return Name(family=family, given=given, suffix=suffix)


def ris_issued(tags: dict[str, list[str]]) -> Date | None:
    """``DA``/``PY``/``Y1`` as ``YYYY/MM/DD/other`` (or just ``YYYY``); the most precise wins."""
    found = [_ris_date(v) for tag in ("DA", "PY", "Y1") for v in tags.get(tag, [])]
    dates = [d for d in found if d is not None]
    return max(dates, key=lambda d: (d.month is not None, d.day is not None), default=None)


def _ris_date(value: str) -> Date | None:
    parts = [p.strip() for p in value.replace("-", "/").split("/")]
    if not parts or not re.fullmatch(r"\d{4}", parts[0]):
        return None
    month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    day = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
    valid_month = month if 1 <= month <= 12 else None
    return Date(int(parts[0]), valid_month, day if valid_month and 1 <= day <= 31 else None)
