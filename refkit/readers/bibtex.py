"""A user's BibTeX or BibLaTeX library (``.bib``) → Citations, keys kept as ids.

``bibtex_blocks`` splits the file and reads on past every problem (each named with its line);
``crossref`` and ``xdata`` are resolved as biber does; LaTeX in every value and name is decoded
to Unicode the same way (``formats/latex.to_text``). Every field is kept: as the CSL variable
it maps to, or as an extra field (``tex.<name>``) written back to .bib files and carried in the
note of other formats.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from refkit.errors import ReadError
from refkit.formats.latex import decode_letters, to_text
from refkit.formats.types import NUMBERED, from_bibtex
from refkit.model import ET_AL, Citation, Date, Name, carried_fields, split_note
from refkit.readers.bibtex_blocks import Problem, RawEntry, Scanner
from refkit.readers.decode import decode
from refkit.text import MONTHS

_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
# Citation attribute → the fields that may hold it, the first present wins; another of them,
# or a repeat of the same field, is kept as an extra field.
TEXT_SOURCES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "title_short": ("shorttitle",),
    "container_title": ("journal", "journaltitle", "booktitle", "howpublished"),
    "container_title_short": ("shortjournal",),
    "collection_title": ("series",),
    "volume": ("volume",),
    "edition": ("edition",),
    "genre": ("type",),
    "publisher": ("publisher", "institution", "school", "organization"),
    "publisher_place": ("address", "location"),
    "language": ("language",),
    "chapter_number": ("chapter",),
    "original_title": ("origtitle",),
    "version": ("version",),
    "source": ("source",),
    "event_title": ("eventtitle",),
    "event_place": ("venue",),
}
# Long text whose line breaks mean something (refkit's ``Key: value`` note lines).
PROSE_SOURCES = {"abstract": ("abstract",), "annote": ("annote", "annotation")}
NAME_SOURCES = {"author": "author", "editor": "editor", "translator": "translator"}
# Fields written raw (identifiers, URLs): only the escapes other tools add are undone.
VERBATIM_FIELDS = {f: f for f in ("doi", "pmid", "pmcid", "url", "isbn", "issn")}
PUBSTATES = {"inpress": "in press", "forthcoming": "forthcoming", "submitted": "submitted"}
STATUS_WORDS = re.compile(
    r"^(in press|in-press|forthcoming|submitted|accepted|to appear|in preparation)$", re.I
)
# biber: what a child never inherits, and what a book's fields become in its parts.
NOT_INHERITED = frozenset(
    {"ids", "crossref", "xref", "xdata", "entryset", "label", "shorthand", "sortkey", "options"}
)
AS_PART = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
_ESCAPED = re.compile(r"\\([_%&#$~])")
_URL_MACRO = re.compile(r"^\s*\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{.*\})?\s*$", re.S)
_SPACES = re.compile(r"\s+")


class BibtexLibraryReader:
    """BibTeX and BibLaTeX files, recognised by an ``@type{`` entry start."""

    name = "bibtex"

    def sniff(self, head: bytes, path: Path) -> bool:
        return bool(_ENTRY_START.search(head.decode("utf-8", "replace")))

    def read(self, path: Path) -> Iterator[Citation | ReadError]:
        entries, problems, warning = scan(path)
        yield from problems
        first = True
        for entry in resolve_references(entries):
            citation = entry_citation(entry)
            if warning and first:  # the guessed encoding, named once
                citation = replace(citation, warnings=(*citation.warnings, warning))
            first = False
            yield citation


def scan(path: Path) -> tuple[list[RawEntry], list[ReadError], str]:
    """The file's entries and problems, and the warning about its encoding (the file's text is
    let go once it is split)."""
    text, warning = decode(path.read_bytes(), str(path))
    entries: list[RawEntry] = []
    problems: list[ReadError] = []
    for block in Scanner(text).blocks():
        if isinstance(block, Problem):
            where = f"{path}:line {block.line}"
            problems.append(ReadError(block.message, where=where, hint=block.hint))
        else:
            entries.append(block)
    return entries, problems, warning


def resolve_references(entries: list[RawEntry]) -> Iterator[RawEntry]:
    """Entries with what ``crossref`` and ``xdata`` point to filled in; ``@xdata`` entries
    themselves are no works and are left out. ``entries`` is emptied as they are given out
    (a large library is held once, not twice); only the entries pointed to are kept aside."""
    wanted = {
        key.strip().lower()
        for entry in entries
        for name, value in entry.fields
        if name in ("crossref", "xdata")
        for key in value.split(",")
    }
    by_key: dict[str, RawEntry] = {}
    for entry in entries:
        if entry.key.lower() in wanted:
            by_key.setdefault(entry.key.lower(), entry)
    entries.reverse()
    while entries:
        entry = entries.pop()
        if entry.entry_type == "xdata":
            continue
        yield _inherit(entry, by_key) if _has_reference(entry) else entry


def _has_reference(entry: RawEntry) -> bool:
    return any(name in ("crossref", "xdata") for name, _ in entry.fields)


def _inherit(entry: RawEntry, by_key: dict[str, RawEntry], depth: int = 0) -> RawEntry:
    own = {name for name, _ in entry.fields}
    added: list[tuple[str, str]] = []
    for name, value in entry.fields:
        if name not in ("crossref", "xdata") or depth > 8:
            continue
        for key in (k.strip().lower() for k in value.split(",") if k.strip()):
            parent = by_key.get(key)
            if parent is None or parent is entry:
                continue
            if _has_reference(parent):
                parent = _inherit(parent, by_key, depth + 1)
            part = name == "crossref" and parent.entry_type != "xdata"
            for field_name, field_value in parent.fields:
                target = AS_PART.get(field_name, field_name) if part else field_name
                if target in NOT_INHERITED or target in own:
                    continue
                own.add(target)
                added.append((target, field_value))
    return RawEntry(entry.entry_type, entry.key, entry.line, [*entry.fields, *added])


def entry_citation(entry: RawEntry) -> Citation:
    """One entry as a Citation; its key becomes the id, every field is kept."""
    fields: dict[str, str] = {}
    for name, value in entry.fields:
        fields.setdefault(name, value)
    used: set[str] = set()

    def take(*names: str) -> str:
        for name in names:
            if fields.get(name, "").strip():
                used.add(name)
                return fields[name]
        return ""

    csl_type = from_bibtex(entry.entry_type)
    values: dict[str, Any] = {"type": csl_type, "id": entry.key}
    for attr, sources in TEXT_SOURCES.items():
        values[attr] = _one_line(to_text(take(*sources)))
    for attr, sources in PROSE_SOURCES.items():
        values[attr] = to_text(take(*sources)).strip()
    truncated = False
    for attr, source in NAME_SOURCES.items():
        people, cut = names(take(source))
        values[attr] = people
        truncated = truncated or (cut and attr == "author")
    if entry.entry_type == "mastersthesis" and not values["genre"]:
        values["genre"] = "Master's thesis"
    number = _one_line(to_text(take("number", "issue")))
    values["number" if csl_type in NUMBERED else "issue"] = number
    keywords = re.split(r"[,;]", to_text(take("keywords")))
    values["keyword"] = tuple(k.strip() for k in keywords if k.strip())
    values["page"] = re.sub(r"\s*(--?|–|—)\s*", "-", take("pages")).strip()
    values["accessed"] = parse_date(take("urldate"))
    values.update(_dates(fields, take))
    values.update(_identifiers_and_note(fields, take))
    values["extra_fields"] = (*values.pop("carried"), *_extra_fields(entry.fields, used))
    warnings = (ET_AL,) if truncated else ()
    return Citation(warnings=warnings, **{k: v for k, v in values.items() if v})


def _extra_fields(pairs: list[tuple[str, str]], used: set[str]) -> tuple[tuple[str, str], ...]:
    """Fields no attribute took (and repeats of ones that did), as ``("tex.name", value)``."""
    seen: set[str] = set()
    out = []
    for name, value in pairs:
        if name in used and name not in seen:
            seen.add(name)
            continue
        seen.add(name)
        if value.strip():
            out.append((f"tex.{name}", _SPACES.sub(" ", value).strip()))
    return tuple(out)


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _verbatim(value: str) -> str:
    found = _URL_MACRO.match(value)
    value = found.group(1) if found else value
    return _ESCAPED.sub(r"\1", value).strip()


def _identifiers_and_note(fields: dict[str, str], take: Any) -> dict[str, Any]:
    """Identifiers (raw fields, BibLaTeX ``eprint`` of PubMed, ``Key: value`` note lines)."""
    out: dict[str, Any] = {attr: _verbatim(take(key)) for key, attr in VERBATIM_FIELDS.items()}
    note, extra = split_note(to_text(take("note")))
    kind = fields.get("eprinttype", "").strip().lower()
    if kind == "pubmed" and fields.get("eprint", "").strip() and not out["pmid"]:
        out["pmid"] = take("eprint").strip()
        take("eprinttype")
    for key, value in extra:
        if key in ("PMID", "PMCID") and not out[key.lower()]:
            out[key.lower()] = value
    out["note"] = note
    out["extra"], out["carried"] = carried_fields(
        tuple((k, v) for k, v in extra if k not in ("PMID", "PMCID"))
    )
    return out


def names(value: str) -> tuple[tuple[Name, ...], bool]:
    """A BibTeX name list → Names, and whether it ended with ``and others``."""
    if not value.strip():
        return (), False
    people = split_multiple_persons_names(_NAME_BOX.sub(r"{\1}", decode_letters(value)))
    truncated = bool(people) and people[-1].strip().lower() == "others"
    return tuple(_name(p) for p in people[: -1 if truncated else None] if p.strip()), truncated


# ``\mbox{World Health Organization}`` keeps its words together as a brace group does.
_NAME_BOX = re.compile(r"\\(?:mbox|hbox|textsc|textrm|textnormal)\s*\{([^{}]*)\}")


@lru_cache(maxsize=1 << 15)
def _name(text: str) -> Name:
    text = text.strip()
    if _wholly_braced(text):
        return Name(literal=_one_line(to_text(text[1:-1])))
    parts = parse_single_name_into_parts(text, strict=False)

    def joined(words: list[str]) -> str:
        return _one_line(to_text(" ".join(words)))

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


def _dates(fields: dict[str, str], take: Any) -> dict[str, Any]:
    """``issued`` from ``date`` (BibLaTeX) or ``year``/``month``/``day``, and ``status`` from
    a year such as ``in press`` or from ``pubstate``."""
    out: dict[str, Any] = {"issued": None, "status": ""}
    if fields.get("date", "").strip():
        out["issued"] = issued = parse_date(take("date"))
        if issued and issued.year and str(abs(issued.year)) in fields.get("year", ""):
            take("year")  # the same year, as BibTeX-only tools read it
    elif fields.get("year", "").strip():
        year = _one_line(to_text(fields["year"]))
        if STATUS_WORDS.match(year):
            out["status"] = year
            take("year")
        else:
            out["issued"] = _year_date(take("year"), fields, take)
    if not out["status"] and fields.get("pubstate", "").strip():
        state = _one_line(to_text(take("pubstate")))
        out["status"] = PUBSTATES.get(state.lower(), state)
    return out


_ISO = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_CIRCA = re.compile(r"^(?:c\.|ca\.|circa|approx\.?)\s*(\d{4})$", re.I)
_BCE = re.compile(r"^(\d{1,4})\s*(?:BCE|BC|B\.C\.(?:E\.)?)$", re.I)
_RANGE = re.compile(r"^(\d{4})\s*(?:--?|–|—|/)\s*(\d{4})$")


def parse_date(value: str) -> Date | None:
    """A BibLaTeX date: ``2009-08-20``, ``1998/1999``, ``1998~`` (circa), ``-0534``; anything
    else is kept as a literal date."""
    text = _one_line(_ESCAPED.sub(r"\1", value))  # EDTF, not LaTeX: `~` says "circa"
    if not text:
        return None
    circa = text.endswith(("~", "?", "%"))
    core = text.rstrip("~?%")
    start, _, end = core.partition("/")
    first = _iso(start)
    if first is not None and (not end or end == ".." or _iso(end) is not None):
        last = _iso(end) if end and end != ".." else None
        return replace(first, end=last, circa=circa)
    return _literal(text)


def _iso(text: str) -> Date | None:
    found = _ISO.match(text.strip())
    if not found:
        return None
    year, month, day = (int(g) if g else None for g in found.groups())
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    return Date(year or 0, month, day if month else None)


def _literal(text: str) -> Date:
    year = re.search(r"\d{4}", text)
    return Date(int(year.group()) if year else 0, literal=text)


def _year_date(value: str, fields: dict[str, str], take: Any) -> Date:
    """``year`` (with ``month`` and ``day``): ``2009``, ``1998--1999``, ``c. 1850``,
    ``535 BCE``, ``2019a`` or any other text, kept as written."""
    text = _one_line(to_text(value))
    if re.fullmatch(r"\d{4}", text):
        month = month_number(fields.get("month", ""))
        day = fields.get("day", "").strip()
        if month:
            take("month")
        if month and day.isdigit():
            take("day")
        return Date(int(text), month, int(day) if month and day.isdigit() else None)
    if found := _RANGE.match(text):
        return Date(int(found.group(1)), end=Date(int(found.group(2))))
    if found := _CIRCA.match(text):
        return Date(int(found.group(1)), circa=True, literal=text)
    if found := _BCE.match(text):
        return Date(-int(found.group(1)), literal=text)
    return _literal(text)


def month_number(value: str) -> int | None:
    """``mar``, ``March``, ``3`` or ``03`` → 3."""
    text = to_text(value).strip().lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return MONTHS.get(text[:3])


_OTHER_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    **{name: ("number", "issue") for name in ("number", "issue")},
    **{name: ("issued", "status") for name in ("year", "month", "day", "date", "pubstate")},
    **{name: (attr,) for name, attr in VERBATIM_FIELDS.items()},
    **{name: (attr,) for attr, name in NAME_SOURCES.items()},
    "keywords": ("keyword",),
    "pages": ("page",),
    "urldate": ("accessed",),
    "note": ("note", "extra"),
    "eprint": ("pmid",),
    "eprinttype": ("pmid",),
}


def field_attributes(name: str) -> tuple[str, ...]:
    """The Citation attributes a field of this name may fill (none: an extra field)."""
    for attr, sources in (*TEXT_SOURCES.items(), *PROSE_SOURCES.items()):
        if name in sources:
            return (attr,)
    return _OTHER_ATTRIBUTES.get(name, ())
