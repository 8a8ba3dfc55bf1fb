"""Round trips: write citations in a format, read them back, compare with what the format holds.

``held(citation, fmt)`` is the citation as the format can carry it (see README "Formats"):
a type that shares an entry type with another reads back as the first of them, BibTeX keeps
year and month only, RIS values are single lines, and so on. Everything else must come back
exactly.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields, replace
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree  # the shared records are trusted test data

from helpers import DATA
from hypothesis import strategies as st

from refkit import plugins
from refkit.dedupe import dedupe
from refkit.exporters.keys import assign_keys
from refkit.exporters.ris import ARTICLE_TYPES, split_pages
from refkit.extract import references, trial_citation
from refkit.formats.types import NUMBERED, TYPES, from_bibtex, from_ris, row, writable
from refkit.model import Citation, Date, Name
from refkit.parse import parse_raw, parse_reference
from refkit.readers import read_records
from refkit.readers.library import read_library

FORMATS = ("csl-json", "bibtex", "biblatex", "ris")
SUFFIX = {"csl-json": ".json", "bibtex": ".bib", "biblatex": ".bib", "ris": ".ris"}
NOT_BIBLIOGRAPHIC = {"raw": "", "provenance": (), "sources": (), "warnings": (), "confidence": 1.0}


def write(citations: Sequence[Citation], fmt: str) -> str:
    stream = io.StringIO()
    plugins.exporter(fmt).write(citations, stream)
    return stream.getvalue()


def read_back(text: str, fmt: str, folder: Path) -> list[Citation]:
    path = folder / f"out{SUFFIX[fmt]}"
    path.write_text(text, encoding="utf-8")
    items = list(read_library([path]))
    errors = [i for i in items if not isinstance(i, Citation)]
    assert not errors, errors
    return [replace(c, warnings=()) for c in items if isinstance(c, Citation)]


def held(citation: Citation, fmt: str) -> Citation:
    """``citation`` as ``fmt`` can carry it."""
    base = replace(citation, **NOT_BIBLIOGRAPHIC)  # type: ignore[arg-type]
    csl_type = writable(citation.type)
    if fmt == "csl-json":
        return replace(base, type=csl_type)
    numbered = csl_type in NUMBERED
    base = replace(
        base,
        submitted=None,
        number=base.number if numbered else "",  # BibTeX `number`, RIS `SN`
        issued=_date(base.issued, fmt),
    )
    if fmt != "ris":
        base = replace(base, issue="" if numbered else base.issue)  # `number` is the issue
    if fmt == "ris":
        start, end = split_pages(base.page)
        page = f"{start}-{end}" if end else start
        return _ris_held(replace(base, type=from_ris(row(csl_type).ris), page=page), csl_type)
    base = composed(replace(base, page=re.sub(r"\s*[-–—]+\s*", "-", base.page)))
    if fmt == "bibtex":
        return replace(base, type=from_bibtex(row(csl_type).bibtex))
    return replace(base, type=from_bibtex(row(csl_type).biblatex))


RAW_FIELDS = ("id", "doi", "pmid", "pmcid", "url", "isbn", "issn", "page")


def composed(citation: Citation) -> Citation:
    """Text as BibTeX holds it: composed (Unicode NFC), stripped; raw fields as they are."""

    def nfc(value: Any) -> Any:
        if isinstance(value, str):  # and no space around a value: BibTeX readers strip it
            return unicodedata.normalize("NFC", value).strip()
        if isinstance(value, Name):
            return Name(*(nfc(getattr(value, f.name)) for f in fields(Name)))
        if isinstance(value, tuple):
            return tuple(nfc(v) for v in value)
        return value

    changed = {
        f.name: nfc(getattr(citation, f.name)) for f in fields(Citation) if f.name not in RAW_FIELDS
    }
    # BibTeX reads every run of spaces and line breaks as one space, but in long text (an
    # abstract, a note) whose lines refkit keeps.
    for name in ("title", "container_title", "publisher", "publisher_place", "collection_title"):
        changed[name] = " ".join(changed[name].split())
    return replace(citation, **changed)


def _date(date: Date | None, fmt: str) -> Date | None:
    if date is None:
        return None
    return Date(date.year, date.month, date.day if date.month else None)


ONE_LINE_FIELDS = (
    *("title", "title_short", "container_title", "container_title_short", "collection_title"),
    *("volume", "issue", "edition", "genre", "publisher", "publisher_place", "doi", "url"),
    *("language", "abstract", "id", "number"),
)


def _ris_held(citation: Citation, csl_type: str) -> Citation:
    def line(text: str) -> str:
        return " ".join(text.split())

    def name(n: Name) -> Name:
        if n.literal:
            return Name(literal=line(n.literal.replace(",", " ")))
        family = line(f"{n.particle} {n.family}")  # RIS has no particle of its own
        return Name(family, line(n.given), "", line(n.suffix))

    values = {attr: line(getattr(citation, attr)) for attr in ONE_LINE_FIELDS}
    notes = [line(n) for n in citation.note.split("\n")]
    return replace(
        citation,
        **values,
        author=tuple(name(n) for n in citation.author),
        editor=tuple(name(n) for n in citation.editor),
        keyword=tuple(k for k in (line(k) for k in citation.keyword) if k),
        note="\n".join(n for n in notes if n),
        isbn="" if csl_type in NUMBERED | ARTICLE_TYPES else line(citation.isbn),
        issn=line(citation.issn) if csl_type in ARTICLE_TYPES else "",
    )


# --- citations refkit produces ------------------------------------------------------------


def produced(paths: Iterable[Path]) -> list[Citation]:
    """What ``refkit build`` writes for ``paths`` (offline): trials and references, deduplicated."""
    return list(_produced(tuple(paths)))


@cache
def _produced(paths: tuple[Path, ...]) -> tuple[Citation, ...]:
    found: list[Citation] = []
    for record in read_records(paths):
        if hasattr(record, "references"):
            if record.nct_id:  # type: ignore[union-attr]  # a fragment makes no trial entry
                found.append(trial_citation(record))  # type: ignore[arg-type]
            found.extend(parse_raw(raw) for raw in references(record))  # type: ignore[arg-type]
    return tuple(assign_keys(dedupe(found).citations))


def record_references(folder: Path) -> list[Citation]:
    """Every reference string of the JSON and XML records, parsed (whichever readers exist)."""
    strings: list[str] = []
    for path in sorted(folder.rglob("*.json")):
        strings.extend(_citation_strings(json.loads(path.read_text(encoding="utf-8"))))
    for path in sorted(folder.rglob("*.xml")):
        strings.extend(e.text or "" for e in ElementTree.parse(path).iter("citation"))
    return assign_keys(parse_reference(s) for s in strings if s.strip())


def _citation_strings(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("citation", "ReferenceCitation") and isinstance(value, str):
                yield value
            else:
                yield from _citation_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _citation_strings(value)


def gold(folder: Path) -> list[Citation]:
    """The labelled strings of ``gold/refs``, parsed, and their labels as citations."""
    return list(_gold(folder))


@cache
def _gold(folder: Path) -> tuple[Citation, ...]:
    out: list[Citation] = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            out.append(parse_reference(case["string"]))
            out.append(_labelled(case["fields"]))
    return tuple(assign_keys(out))


def _labelled(fields: dict[str, object]) -> Citation:
    data = dict(fields)
    for key in ("author", "editor"):
        if not isinstance(data.get(key), list):
            data.pop(key, None)
    issued = Date.from_iso(str(data.pop("issued", "")))
    return replace(Citation.from_csl(data), issued=issued)


# --- generated citations -----------------------------------------------------------------


def hostile_strings() -> list[str]:
    """What LaTeX would run and BibTeX would miscount, one case a line (tests/data/hostile)."""
    lines = (DATA / "hostile" / "strings.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


HOSTILE = hostile_strings()
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüøßŁçñÅ東α"
_TEXT = _LETTERS + "0123456789 {}%&_$#~^\\\"'<>@-–—,.:;()/“”"
words = st.text(_LETTERS, min_size=1, max_size=10)
text = st.one_of(
    st.sampled_from([h.strip() for h in HOSTILE]),  # no value keeps white space at its ends
    st.text(_TEXT, max_size=40).map(lambda s: " ".join(s.split())),
)
people = st.builds(
    Name,
    family=st.one_of(words, words.map(lambda w: w.capitalize() + "-Smith")),
    given=st.one_of(words, st.just("J. R.")),
    suffix=st.sampled_from(["", "Jr", "III"]),
    particle=st.sampled_from(["", "van der", "de la", "von", "d'"]),
)
organisations = st.builds(
    Name, literal=st.sampled_from(["World Health Organization", "Müller & Söhne {Ltd}", "ECOG"])
)
dates = st.builds(
    lambda y, m, d: Date(y, m, d if m else None),
    st.integers(1800, 2100),
    st.one_of(st.none(), st.integers(1, 12)),
    st.one_of(st.none(), st.integers(1, 28)),
)
identifier = st.sampled_from(["", "10.1002/stem.68", "10.1000/a_b%20c#d<e>"])
citations = st.builds(
    Citation,
    type=st.sampled_from(sorted(TYPES)),
    id=st.from_regex(r"[a-z][a-z0-9]{2,12}", fullmatch=True),
    title=text,
    title_short=st.sampled_from(["", "Short"]),
    author=st.lists(st.one_of(people, organisations), max_size=4).map(tuple),
    editor=st.lists(people, max_size=2).map(tuple),
    container_title=text,
    container_title_short=st.sampled_from(["", "Stem Cells"]),
    collection_title=st.sampled_from(["", "Methods in Molecular Biology"]),
    issued=st.one_of(st.none(), dates),
    volume=st.sampled_from(["", "27", "3 Suppl 1"]),
    issue=st.sampled_from(["", "6", "S2"]),
    page=st.sampled_from(["", "1421-1432", "e1234", "S1–S20"]),
    number=st.sampled_from(["", "NCT00962923"]),
    edition=st.sampled_from(["", "2nd"]),
    genre=st.sampled_from(["", "Clinical trial registration"]),
    publisher=st.sampled_from(["", "Wiley & Sons", "ClinicalTrials.gov"]),
    publisher_place=st.sampled_from(["", "New York"]),
    doi=identifier,
    pmid=st.sampled_from(["", "19544473"]),
    pmcid=st.sampled_from(["", "PMC3456789"]),
    url=st.sampled_from(["", "https://example.org/a_b?x=1&y=50%25#frag"]),
    isbn=st.sampled_from(["", "978-3-16-148410-0"]),
    issn=st.sampled_from(["", "1066-5099"]),
    language=st.sampled_from(["", "en"]),
    abstract=text,
    note=st.one_of(st.sampled_from(["", "Epub 2012 Apr 26", "Review.\nSecond line"]), text),
    keyword=st.lists(st.sampled_from(["NCT00962923", "lupus", "Müller"]), unique=True).map(tuple),
    extra=st.sampled_from([(), (("arXiv", "2101.00001"),), (("Retracted", "yes"),)]),
)
