"""Merge a parsed reference with the record Crossref holds for its DOI.

Crossref fills what the reference lacks. Where both have a value and they disagree, the
DOI-registered value is kept for bibliographic fields (the publisher deposited it; a reference
string is a copy), with three exceptions that keep what only the reference knows: the journal
abbreviation it used becomes ``container-title-short``, a more precise date of the same year and
a full page range of the same first page are kept, and a URL other than the DOI link is kept.
A year, volume or page range that disagrees adds a warning, and so does a title that does not
look like the reference's at all (a mistyped DOI). Identity and history stay the reference's:
id, raw string, provenance, PMID/PMCID (the record states them), keywords.

Every field records where its value came from in ``Citation.sources``: ``parsed`` (or the
source the reference had, such as ``record``), ``crossref`` (Crossref's value), or ``merged``
(both had it and agree, or the value joins both).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from rapidfuzz import fuzz

from refkit.enrich.fields import first_page, normalize_title, titles
from refkit.identifiers import normalize_doi
from refkit.model import (
    CSL_FIELDS,
    ET_AL,
    SOURCE_CROSSREF,
    SOURCE_MERGED,
    SOURCE_PARSED,
    Citation,
    Date,
)
from refkit.text import expand_pages

# Kept from the reference whatever Crossref says: what identifies this citation and its history.
KEEP_PARSED = frozenset({"id", "pmid", "pmcid", "keyword", "cited_by"})
# Below this title similarity a DOI's record is probably not the cited work.
TITLE_WARNING = 0.5

_Resolved = tuple[Any, str, str]  # value, source, warning ("" for none)


def merge_registered(
    parsed: Citation, registered: Citation, *, match_score: float | None = None
) -> Citation:
    """``parsed`` completed and corrected by ``registered`` (Crossref's record of its work).

    ``match_score`` is the score of the search match that found ``registered`` (None when the
    reference's own DOI found it); it is kept in ``Citation.match_score``.
    """
    values, sources, warnings = _fields(parsed, registered)
    warnings = [_title_warning(parsed, registered), *warnings]
    kept = parsed.warnings + tuple(f"{w} ({_doi(parsed, registered)})" for w in warnings if w)
    if registered.author and values["author"] is registered.author:  # a complete list
        kept = tuple(w for w in kept if w != ET_AL)
    return replace(
        parsed,
        **values,
        note=_join_lines(parsed.note, registered.note),
        extra=tuple(dict.fromkeys(parsed.extra + registered.extra)),
        sources=tuple(sources),
        warnings=tuple(dict.fromkeys(kept)),
        match_score=match_score,
    )


def _fields(
    parsed: Citation, registered: Citation
) -> tuple[dict[str, Any], list[tuple[str, str]], list[str]]:
    """Each CSL field's value, its source, and the warnings of disagreeing values."""
    values: dict[str, Any] = {}
    sources: list[tuple[str, str]] = []
    warnings: list[str] = []
    for name in CSL_FIELDS:
        ours, theirs = getattr(parsed, name), getattr(registered, name)
        warning = ""
        if name == "container_title_short":
            value, source = _short_title(parsed, registered)
        elif name in KEEP_PARSED or _empty(theirs):
            value, source = ours, parsed.source_of(name) or SOURCE_PARSED
        elif _empty(ours):
            value, source = theirs, SOURCE_CROSSREF
        else:
            value, source, warning = _RESOLVERS.get(name, _registered)(name, ours, theirs)
        values[name] = value
        if not _empty(value) and name != "id":
            sources.append((name, source))
        warnings.append(warning)
    return values, sources, warnings


def _empty(value: Any) -> bool:
    return value in ("", (), None)


def _doi(parsed: Citation, registered: Citation) -> str:
    return f"Crossref record {registered.doi or parsed.doi}".strip()


def _registered(name: str, ours: Any, theirs: Any) -> _Resolved:
    """Crossref's value; ``merged`` when the reference said the same."""
    return theirs, SOURCE_MERGED if _same(name, ours, theirs) else SOURCE_CROSSREF, ""


def _same(name: str, ours: Any, theirs: Any) -> bool:
    if name in ("author", "editor"):
        return bool(ours and theirs) and ours[0].family.casefold() == theirs[0].family.casefold()
    if name == "doi":
        return normalize_doi(ours) == normalize_doi(theirs)
    if isinstance(ours, str) and isinstance(theirs, str):
        return normalize_title(ours) == normalize_title(theirs)
    return bool(ours == theirs)


def _title_warning(parsed: Citation, registered: Citation) -> str:
    """A warning when no title of the record (translations included) resembles the
    reference's: the DOI in the reference is probably not the cited work's."""
    ours, theirs = titles(parsed), titles(registered)
    if not ours or not theirs:
        return ""
    similarity = max(fuzz.partial_ratio(a, b) / 100 for a in ours for b in theirs)
    if similarity >= TITLE_WARNING:
        return ""
    return f"title: {parsed.title!r} in the reference, {registered.title!r} registered"


def _issued(name: str, ours: Date, theirs: Date) -> _Resolved:
    if ours.year != theirs.year:
        warning = (
            f"year: {ours.year} in the reference, {theirs.year} registered; kept {theirs.year}"
        )
        return theirs, SOURCE_CROSSREF, warning
    if _precision(ours) > _precision(theirs) and _agrees(ours, theirs):
        return ours, SOURCE_MERGED, ""
    return theirs, SOURCE_MERGED, ""


def _precision(date: Date) -> int:
    return sum(part is not None for part in (date.month, date.day, date.season))


def _agrees(ours: Date, theirs: Date) -> bool:
    """The more precise date does not contradict the other (same month where both say one)."""
    return theirs.month is None or ours.month == theirs.month


def _volume(name: str, ours: str, theirs: str) -> _Resolved:
    if _same(name, ours, theirs):
        return theirs, SOURCE_MERGED, ""
    return theirs, SOURCE_CROSSREF, f"volume: {ours} in the reference, {theirs} registered"


def _page(name: str, ours: str, theirs: str) -> _Resolved:
    mine, registered = expand_pages(ours), expand_pages(theirs.replace("–", "-"))
    if mine == registered:
        return registered, SOURCE_MERGED, ""
    if first_page(mine) == first_page(registered):
        if registered == first_page(registered):  # Crossref has only the first page
            return mine, SOURCE_MERGED, ""
        if mine == first_page(mine):
            return registered, SOURCE_MERGED, ""
    return registered, SOURCE_CROSSREF, f"pages: {ours} in the reference, {theirs} registered"


def _url(name: str, ours: str, theirs: str) -> _Resolved:
    """Crossref's URL only restates the DOI; a reference's own link says more."""
    if "doi.org/" in ours.lower():
        return theirs, SOURCE_MERGED, ""
    return ours, SOURCE_PARSED, ""


def _short_title(parsed: Citation, registered: Citation) -> tuple[str, str]:
    """The abbreviation the reference used wins: it is how the citing world wrote it."""
    if parsed.container_title_short:
        return parsed.container_title_short, parsed.source_of("container_title_short") or "parsed"
    full = registered.container_title
    if parsed.container_title and full and not _same("", parsed.container_title, full):
        return parsed.container_title, parsed.source_of("container_title") or SOURCE_PARSED
    return registered.container_title_short, SOURCE_CROSSREF


def _join_lines(*notes: str) -> str:
    lines = [line for note in notes for line in note.split("\n") if line.strip()]
    return "\n".join(dict.fromkeys(lines))


_RESOLVERS: dict[str, Callable[[str, Any, Any], _Resolved]] = {
    "issued": _issued,
    "volume": _volume,
    "page": _page,
    "url": _url,
}
