"""refkit's one data model: frozen dataclasses whose fields carry CSL-JSON names.

Python attributes use underscores and lower case (``container_title``, ``doi``); the table
``CSL_FIELDS`` maps them to the CSL-JSON keys that ``to_csl`` / ``from_csl`` read and write.
Values are immutable: stages build new values with ``dataclasses.replace``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields, replace
from functools import cache
from operator import attrgetter
from typing import Any, TypeVar

# Where a field's value came from; kept per field in ``Citation.sources``.
SOURCE_RECORD = "record"
SOURCE_PARSED = "parsed"
SOURCE_CROSSREF = "crossref"
SOURCE_MERGED = "merged"
SOURCE_PUBMED = "pubmed"

# The parser's warning when a list of names ended with "et al."; the exporters write
# ``and others`` only for a citation that carries it.
ET_AL = "author list cut short (et al.)"

# The CSL 1.0.2 types (csl-data.json); the only values ``Citation.type`` takes
# (one item of any other type makes Zotero reject a whole CSL-JSON file).
CSL_TYPES = frozenset(
    {
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    }
)
SEASON_MONTHS = {**{13 + i: i + 1 for i in range(4)}, **{21 + i: i + 1 for i in range(4)}}


_Value = TypeVar("_Value")


def _quick_init(cls: type[_Value]) -> type[_Value]:
    """Give a frozen, slotted dataclass an ``__init__`` that fills each slot through the slot's
    own setter. The one ``dataclass`` writes calls ``object.__setattr__`` per field, which is
    twice as slow and cost parsing a tenth of its time (a reference builds ten model values).
    Same signature, same defaults; the instance stays frozen, and a class's
    ``__post_init__`` (its rules) runs as under the ``dataclass`` one."""
    scope: dict[str, Any] = {}
    params, body = [], ""
    for f in fields(cls):  # type: ignore[arg-type]
        scope[f"_set_{f.name}"] = getattr(cls, f.name).__set__
        body += f"\n    _set_{f.name}(self, {f.name})"
        if f.default is MISSING:
            params.append(f.name)
        else:
            scope[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    if hasattr(cls, "__post_init__"):
        body += "\n    self.__post_init__()"
    made: dict[str, Any] = {}
    # Generated source, as ``dataclass`` makes its own __init__: a loop over the setters
    # would cost what the generated one saves.
    exec(f"def __init__(self, {', '.join(params)}):{body}", scope, made)
    made["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = made["__init__"]  # type: ignore[method-assign]
    return cls


@_quick_init
@dataclass(frozen=True, slots=True)
class Name:
    """A person (family/given) or an organisation (literal)."""

    family: str = ""
    given: str = ""
    literal: str = ""
    suffix: str = ""
    particle: str = ""  # CSL "non-dropping-particle": "van der", "de la"
    orcid: str = ""  # bare ORCID iD (0000-0002-1825-0097); CSL has no field for it

    def __post_init__(self) -> None:
        if not (self.family or self.given or self.literal):
            raise ValueError("a name needs a family, given or literal name")

    def to_csl(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        out = {"family": self.family, "given": self.given}
        if self.particle:
            out["non-dropping-particle"] = self.particle
        if self.suffix:
            out["suffix"] = self.suffix
        return {k: v for k, v in out.items() if v}

    @classmethod
    def from_csl(cls, data: Mapping[str, Any]) -> Name | None:
        """The name, or None for an item that holds none (``{}``, only a suffix)."""
        if not any(str(data.get(key) or "").strip() for key in ("family", "given", "literal")):
            return None
        if data.get("literal"):
            return cls(literal=str(data["literal"]))
        particle = data.get("non-dropping-particle") or data.get("dropping-particle") or ""
        return cls(
            family=str(data.get("family", "")),
            given=str(data.get("given", "")),
            suffix=str(data.get("suffix", "")),
            particle=str(particle),
        )

    def display(self) -> str:
        """The name as a reader would write it: ``Sun L``, ``van der Berg J``, ``WHO``."""
        if self.literal:
            return self.literal
        family = f"{self.particle} {self.family}".strip()
        return " ".join(part for part in (family, self.given, self.suffix) if part)


@_quick_init
@dataclass(frozen=True, slots=True)
class Date:
    """A possibly partial date; ``season`` is CSL's 1-4 (spring..winter)."""

    year: int  # 0 only for a literal date without a year ("n.d.", "Michaelmas term")
    month: int | None = None
    day: int | None = None
    season: int | None = None
    end: Date | None = None  # the end of a range (1998/1999)
    circa: bool = False
    literal: str = ""  # the date as the source wrote it, when its parts do not say it all

    def parts(self) -> list[int]:
        out: list[int] = [self.year]
        if self.month is not None:
            out.append(self.month)
            if self.day is not None:
                out.append(self.day)
        return out

    def __post_init__(self) -> None:
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")
        if self.day is not None and (self.month is None or not 1 <= self.day <= 31):
            raise ValueError(f"day {self.day} needs a month and must be 1-31")
        if self.season is not None and not 1 <= self.season <= 4:
            raise ValueError(f"season {self.season} is not 1-4")

    def to_csl(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.year:
            ranges = [self.parts(), self.end.parts()] if self.end else [self.parts()]
            out["date-parts"] = ranges
        if self.season is not None:
            out["season"] = self.season
        if self.circa:
            out["circa"] = True
        if self.literal:
            out["literal"] = self.literal
        return out

    @classmethod
    def from_csl(cls, data: Mapping[str, Any]) -> Date | None:
        """The date a CSL date object gives, keeping what is a date: a month 13-16 or 21-24 is
        a season (citeproc's reading), another month out of range is left out with its day."""
        parts = data.get("date-parts") or [[]]
        parts = parts if isinstance(parts, list) and parts else [[]]
        first = _date_parts(parts[0])
        literal = str(data.get("literal") or "")
        if not first:
            raw = str(data.get("raw") or literal)
            found = cls.from_iso(raw)
            return cls(0, literal=literal) if found is None and literal else found
        given_season = str(data.get("season"))
        season = int(given_season) if given_season in ("1", "2", "3", "4") else None
        if len(first) > 1 and first[1] in SEASON_MONTHS:
            season = season or SEASON_MONTHS[first[1]]
        ending = _date_parts(parts[1]) if len(parts) > 1 else []
        start = _date_from_parts(first)
        return cls(
            year=start.year,
            month=start.month,
            day=start.day,
            season=season,
            end=_date_from_parts(ending) if ending else None,
            circa=bool(data.get("circa")),
            literal=literal,
        )

    @classmethod
    def from_iso(cls, text: str) -> Date | None:
        """``2009``, ``2009-08`` or ``2009-08-20`` → Date; anything else → None."""
        pieces = text.strip().split("-")
        if not pieces or not all(p.isdigit() for p in pieces) or len(pieces) > 3:
            return None
        numbers = [int(p) for p in pieces] + [0, 0]
        year, month, day = numbers[:3]
        if len(pieces[0]) != 4 or month > 12 or day > 31:
            return None
        return cls(year, month or None, day or None)

    def iso(self) -> str:
        sign = "-" if self.year < 0 else ""
        text = f"{sign}{abs(self.year):04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


def _date_from_parts(parts: list[int]) -> Date:
    """Year, month and day as far as they are a date: a month out of 1-12 is left out with its
    day, a day out of 1-31 alone."""
    month = parts[1] if len(parts) > 1 else None
    day = parts[2] if len(parts) > 2 else None
    if month is None or not 1 <= month <= 12:
        month = day = None
    if day is not None and not 1 <= day <= 31:
        day = None
    return Date(parts[0], month, day)


def _date_parts(values: object) -> list[int]:
    if not isinstance(values, list):
        return []
    return [int(p) for p in values if str(p).strip().lstrip("-").isdigit()]


@_quick_init
@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a reference was found: which file, which trial, which section and position."""

    path: str
    record: str = ""  # the trial's NCT id
    section: str = ""  # e.g. "References"
    position: int = 0  # 1-based line or index within the section
    ref_type: str = ""  # BACKGROUND / RESULT / DERIVED where the record says so

    def where(self) -> str:
        """``records/NCT00962923.txt:References line 3`` — the form used in messages."""
        place = f"{self.section} {self.position}" if self.section else self.record
        return f"{self.path}:{place}".rstrip(":")


@_quick_init
@dataclass(frozen=True, slots=True)
class Retraction:
    """A retraction notice the registry lists for a reference: its PMID and where it appeared."""

    pmid: str
    source: str = ""  # e.g. "Br J Anaesth. 2020 Sep;125(3):412-413"


@_quick_init
@dataclass(frozen=True, slots=True)
class RawReference:
    """A reference string as a record gives it, with the identifiers the record states."""

    text: str
    provenance: Provenance
    pmid: str = ""
    retractions: tuple[Retraction, ...] = ()


@_quick_init
@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@_quick_init
@dataclass(frozen=True, slots=True)
class Record:
    """One clinical-trial record, whatever format it was read from."""

    nct_id: str  # "" only for a fragment whose references are kept without a trial entry
    path: str
    brief_title: str = ""
    official_title: str = ""
    acronym: str = ""
    summary: str = ""
    status: str = ""
    lead_sponsor: str = ""
    collaborators: tuple[str, ...] = ()
    investigator: str = ""  # the responsible party when it is a person
    first_submitted: Date | None = None
    first_posted: Date | None = None
    last_updated: Date | None = None  # last update submitted
    last_posted: Date | None = None  # last update posted
    conditions: tuple[str, ...] = ()
    other_ids: tuple[str, ...] = ()
    related_nct_ids: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # obsolete NCT ids of this same study
    links: tuple[Link, ...] = ()
    references: tuple[RawReference, ...] = ()
    warnings: tuple[str, ...] = ()  # what was read with doubts (a guessed encoding, ...)
    format: str = ""  # the reader that read it ("ctgov-json", "ctgov-xml", ...)


@_quick_init
@dataclass(frozen=True, slots=True)
class Citation:
    """A citable work with CSL-JSON fields, plus what refkit knows of how it was made."""

    type: str = "article-journal"
    id: str = ""
    title: str = ""
    title_short: str = ""
    author: tuple[Name, ...] = ()
    editor: tuple[Name, ...] = ()
    container_title: str = ""
    container_title_short: str = ""
    collection_title: str = ""
    issued: Date | None = None
    submitted: Date | None = None
    volume: str = ""
    issue: str = ""
    page: str = ""
    number: str = ""
    edition: str = ""
    genre: str = ""
    publisher: str = ""
    publisher_place: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    url: str = ""
    isbn: str = ""
    issn: str = ""
    language: str = ""
    abstract: str = ""
    note: str = ""
    keyword: tuple[str, ...] = ()  # the user's keywords (tags)
    # The trials (NCT ids) that cite this work: refkit's own, not a CSL variable; exported as
    # tags beside the keywords (a user filters by trial) and as a ``Cited by:`` note line.
    cited_by: tuple[str, ...] = ()
    chapter_number: str = ""
    original_title: str = ""
    translator: tuple[Name, ...] = ()
    annote: str = ""
    accessed: Date | None = None
    version: str = ""
    source: str = ""
    status: str = ""  # "in press", "forthcoming", ...
    event_title: str = ""
    event_place: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # identifiers without a CSL field ("arXiv", ...)
    # Fields of a user's library without a CSL variable, as ("tex.file", value) or
    # ("ris.M1", value): written back as fields of that format, as ``tex.file: value`` note
    # lines (the form Zotero's Better BibTeX reads from Extra) in the others.
    extra_fields: tuple[tuple[str, str], ...] = ()
    # What refkit knows of how it was made; not CSL fields, exported only through `note`.
    raw: str = ""
    provenance: tuple[Provenance, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()  # (field, SOURCE_*) per filled field
    warnings: tuple[str, ...] = ()
    confidence: float = 1.0
    match_score: float | None = None  # how well the Crossref record found by search matched

    def __post_init__(self) -> None:
        if self.type not in CSL_TYPES:
            raise ValueError(f"type {self.type!r} is not a CSL type")

    def source_of(self, name: str) -> str:
        return dict(self.sources).get(name, "")

    def with_sources(self, source: str) -> Citation:
        """Mark every filled bibliographic field as coming from ``source``."""
        filled = [n for n in CSL_FIELDS if n != "id" and getattr(self, n) not in ("", (), None)]
        return replace(self, sources=tuple(_source_pair(n, source) for n in filled))

    def to_csl(self) -> dict[str, Any]:
        """The CSL-JSON item. Only CSL keys; empty values left out."""
        out: dict[str, Any] = {}
        for attr, key in CSL_FIELDS.items():
            value: Any = self.tags if attr == "keyword" else getattr(self, attr)
            if value in ("", (), None):
                continue
            if isinstance(value, Date):
                out[key] = value.to_csl()
            elif attr in NAME_FIELDS:
                out[key] = [n.to_csl() for n in value]
            elif attr == "keyword":
                out[key] = ", ".join(value)
            else:
                out[key] = value
        note = "\n".join(
            part
            for part in (self.note, *self.note_lines())
            if part and not (part.startswith("csl.") and part[4:].split(":")[0] in CSL_VARIABLES)
        )
        if note:
            out["note"] = note
        for name, value in self.extra_fields:  # CSL variables refkit has no attribute for
            if name[4:] in CSL_VARIABLES and name.startswith("csl.") and name[4:] not in out:
                out[name[4:]] = _json_value(value)
        return out

    @property
    def tags(self) -> tuple[str, ...]:
        """The keywords and the citing trials, as the exports' tags (``keywords``, ``KW``)."""
        if not self.cited_by:
            return self.keyword
        return tuple(dict.fromkeys((*self.keyword, *self.cited_by)))

    @property
    def extra_lines(self) -> tuple[tuple[str, str], ...]:
        """``extra`` and, last, the ``Cited by`` line naming the citing trials."""
        if not self.cited_by:
            return self.extra
        kept = tuple(pair for pair in self.extra if pair[0] != CITED_BY)
        return (*kept, (CITED_BY, ", ".join(self.cited_by)))

    def note_lines(self, keep_prefix: str = "") -> list[str]:
        """``Key: value`` lines for what has no field everywhere (Zotero keeps them in Extra);
        extra fields starting with ``keep_prefix`` are left out (the format writes them)."""
        pairs = [("PMID", self.pmid), ("PMCID", self.pmcid), *self.extra_lines]
        pairs += [
            p for p in self.extra_fields if not keep_prefix or not p[0].startswith(keep_prefix)
        ]
        return [f"{key}: {value}" for key, value in pairs if value]

    def note_with_extra(self, keep_prefix: str = "") -> str:
        lines = self.note_lines(keep_prefix)
        return "\n".join(part for part in (self.note, *lines) if part)

    @classmethod
    def from_csl(cls, data: Mapping[str, Any]) -> Citation:
        values: dict[str, Any] = {}
        for attr, key in CSL_FIELDS.items():
            if key not in data or data[key] in (None, "", []):
                continue
            value = data[key]
            if attr in DATE_FIELDS:
                values[attr] = Date.from_csl(value) if isinstance(value, Mapping) else None
            elif attr in NAME_FIELDS:
                names = (Name.from_csl(n) for n in value if isinstance(n, Mapping))
                values[attr] = tuple(n for n in names if n is not None)
            elif attr == "keyword":
                values[attr] = tuple(k.strip() for k in str(value).split(",") if k.strip())
            else:
                values[attr] = str(value)
        note, extra = split_note(str(data.get("note") or ""))
        for key, value in extra:
            attr = key.lower()
            if attr in ("pmid", "pmcid") and not values.get(attr):
                values[attr] = value
        carried = tuple((k, v) for k, v in extra if _FIELD_KEY.match(k))
        extra = tuple(
            (k, v) for k, v in extra if k not in ("PMID", "PMCID") and not _FIELD_KEY.match(k)
        )
        extra, values["keyword"], values["cited_by"] = citing_trials(
            extra, values.get("keyword", ())
        )
        warnings = _unusable_values(data, values)
        if values.get("type") not in CSL_TYPES:
            values["type"] = "document"
        return cls(note=note, extra=extra, extra_fields=carried, warnings=warnings, **values)


def citing_trials(
    extra: tuple[tuple[str, str], ...], keyword: tuple[str, ...]
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]]:
    """(extra, keywords, citing trials) of an entry read back: the trials that refkit's
    ``Cited by:`` line names leave the extra lines and the keywords, where exports put them."""
    named = [v for k, v in extra if k == CITED_BY]
    if not named:
        return extra, keyword, ()
    trials = tuple(dict.fromkeys(t.strip() for line in named for t in line.split(",") if t.strip()))
    kept = tuple(k for k in keyword if k not in trials)
    return tuple(p for p in extra if p[0] != CITED_BY), kept, trials


_CITATION_FIELDS = tuple(f.name for f in fields(Citation))
_citation_values = attrgetter(*_CITATION_FIELDS)
_PLACE = {name: index for index, name in enumerate(_CITATION_FIELDS)}


def replaced(citation: Citation, **changes: Any) -> Citation:
    """``dataclasses.replace(citation, **changes)`` (the rules run as they do there) at less
    than half its cost: a large build makes a few million changed citations."""
    values = list(_citation_values(citation))
    for name, value in changes.items():
        values[_PLACE[name]] = value
    return Citation(*values)


def with_citing_trials(citation: Citation) -> Citation:
    """An entry read back from a bibliography with its ``Cited by`` line as ``cited_by``."""
    extra, keyword, trials = citing_trials(citation.extra, citation.keyword)
    if not trials:
        return citation
    return replace(citation, extra=extra, keyword=keyword, cited_by=trials)


def _unusable_values(data: Mapping[str, Any], values: dict[str, Any]) -> tuple[str, ...]:
    """What ``from_csl`` could not keep as given: a type CSL does not know, impossible dates."""
    warnings = []
    given_type = data.get("type")
    if given_type not in CSL_TYPES:
        warnings.append(f"type {given_type!r} is not a CSL type: read as document")
    for attr in DATE_FIELDS:
        kept = values.get(attr)
        given = _given_parts(data, attr)
        if kept is not None and given and kept.parts() != given:
            warnings.append(f"{CSL_FIELDS[attr]} is not a date as given: kept {kept.iso()}")
    return tuple(warnings)


def _given_parts(data: Mapping[str, Any], attr: str) -> list[int]:
    """The numbers a CSL date gives, a season month read as the season it stands for."""
    given = data.get(CSL_FIELDS[attr])
    parts = given.get("date-parts") if isinstance(given, Mapping) else None
    first = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
    numbers = [int(p) for p in first[:3] if str(p).strip().lstrip("-").isdigit()]
    return numbers[:1] if len(numbers) > 1 and numbers[1] in SEASON_MONTHS else numbers


# Keys of the ``Key: value`` lines refkit writes into `note`; read back into `extra`.
NOTE_KEYS = (
    "PMID",
    "PMCID",
    "arXiv",
    "Trial registration",
    "Cited by",  # CITED_BY
    "Retracted",
    "Updated by",
    "Updates",
    "Translated title",
    "Original title",
)
CITED_BY = "Cited by"
# Extra fields of a library format: ``tex.file``, ``ris.M1``.
_FIELD_KEY = re.compile(r"^(?:tex|ris|csl)\.[^\s:]+$")
_NOTE_LINE = re.compile(
    r"^({}|(?:tex|ris|csl)\.[^\s:]+): (.+)$".format("|".join(re.escape(k) for k in NOTE_KEYS))
)


def carried_fields(
    extra: tuple[tuple[str, str], ...],
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """Note lines split in two: identifiers (``arXiv: …``) and extra fields (``tex.file: …``)."""
    fields_ = tuple(pair for pair in extra if _FIELD_KEY.match(pair[0]))
    return tuple(pair for pair in extra if not _FIELD_KEY.match(pair[0])), fields_


def _json_value(text: str) -> Any:
    """An extra CSL variable's value: kept as text, or as the JSON it was (a date, names)."""
    if text[:1] in "[{":
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def split_note(note: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Separate refkit's ``Key: value`` lines from the free text of a note."""
    free: list[str] = []
    extra: list[tuple[str, str]] = []
    for line in note.split("\n"):
        match = _NOTE_LINE.match(line.strip())
        if match:
            extra.append((match.group(1), match.group(2).strip()))
        else:
            free.append(line)
    return "\n".join(free).strip(), tuple(extra)


# attribute → CSL-JSON key, in the order items are written.
CSL_FIELDS: dict[str, str] = {
    "id": "id",
    "type": "type",
    "title": "title",
    "title_short": "title-short",
    "author": "author",
    "editor": "editor",
    "container_title": "container-title",
    "container_title_short": "container-title-short",
    "collection_title": "collection-title",
    "issued": "issued",
    "submitted": "submitted",
    "volume": "volume",
    "issue": "issue",
    "page": "page",
    "number": "number",
    "edition": "edition",
    "genre": "genre",
    "publisher": "publisher",
    "publisher_place": "publisher-place",
    "doi": "DOI",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "language": "language",
    "abstract": "abstract",
    "keyword": "keyword",
    "chapter_number": "chapter-number",
    "original_title": "original-title",
    "translator": "translator",
    "annote": "annote",
    "accessed": "accessed",
    "version": "version",
    "source": "source",
    "status": "status",
    "event_title": "event-title",
    "event_place": "event-place",
}
# The other variables of CSL-JSON 1.0.2's schema: one a library holds is written back as it is
# (any other key would make the item invalid, and Zotero reject the whole file).
CSL_VARIABLES = frozenset(
    (
        *("archive", "archive-place", "archive_collection", "archive_location", "authority"),
        *("available-date", "call-number", "categories", "chair", "citation-key"),
        *("citation-label", "collection-editor", "collection-number", "compiler", "composer"),
        *("container-author", "contributor", "curator", "custom", "dimensions", "director"),
        *("division", "editorial-director", "event", "event-date", "executive-producer"),
        *("guest", "host", "illustrator", "interviewer", "journalAbbreviation", "jurisdiction"),
        *("medium", "narrator", "number-of-pages", "number-of-volumes", "organizer"),
        *("original-author", "original-date", "original-publisher", "original-publisher-place"),
        *("page-first", "part", "part-title", "performer", "printing", "producer", "recipient"),
        *("references", "reviewed-author", "reviewed-genre", "reviewed-title", "scale"),
        *("script-writer", "section", "series-creator", "shortTitle", "supplement"),
        *("volume-title", "volume-title-short", "year-suffix"),
    )
)
NAME_FIELDS = frozenset({"author", "editor", "translator"})
DATE_FIELDS = frozenset({"issued", "submitted", "accessed"})
_CITATION_ATTRS = frozenset(f.name for f in fields(Citation))
assert set(CSL_FIELDS) <= _CITATION_ATTRS


def stable_id(citation: Citation) -> str:
    """A deterministic id from the work's identity: same work → same id, in every run."""
    if citation.doi:
        basis = "doi:" + citation.doi.lower()
    elif citation.pmid:
        basis = "pmid:" + citation.pmid
    elif citation.type == "report" and citation.number.startswith("NCT"):
        basis = "nct:" + citation.number
    else:
        basis = "raw:" + (citation.raw or citation.title).casefold()
    return "ref-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


@cache
def _source_pair(name: str, source: str) -> tuple[str, str]:
    """One shared pair per field and source: a build holds one per filled field of each of
    its citations."""
    return name, source
