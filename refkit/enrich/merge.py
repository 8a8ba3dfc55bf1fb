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
source the reference had, such as ``record``), ``crossref`` (Crossref's value), ``pubmed``
(PubMed's), or ``merged`` (both had it and agree, or the value joins both).

The same merge completes a reference from PubMed's record of its PMID (``source="pubmed"``).
A reference PubMed completed is then completed by Crossref through the DOI PubMed gave:
PubMed's values stand (NLM curated them from the article), Crossref adds what PubMed lacks
(publisher, another ISSN, full given names, ORCIDs), and a value where the two disagree is
reported as a conflict, never silently replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from rapidfuzz import fuzz

from refkit.enrich.fields import first_page, name_key, normalize_title, titles
from refkit.identifiers import normalize_doi
from refkit.model import (
    CSL_FIELDS,
    ET_AL,
    SOURCE_CROSSREF,
    SOURCE_MERGED,
    SOURCE_PARSED,
    SOURCE_PUBMED,
    Citation,
    Date,
    Name,
)
from refkit.text import expand_pages

# Kept from the reference whatever Crossref says: what identifies this citation and its history.
KEEP_PARSED = frozenset({"id", "pmid", "pmcid", "keyword", "cited_by"})
# Below this title similarity a DOI's record is probably not the cited work.
TITLE_WARNING = 0.5
# Where PubMed and Crossref disagree on these, the conflict is reported (PubMed's value kept).
CONFLICTS = frozenset(
    {"title", "container_title", "issued", "volume", "issue", "page", "doi", "author"}
)

_Resolved = tuple[Any, str, str]  # value, source, warning ("" for none)


def merge_registered(
    parsed: Citation,
    registered: Citation,
    *,
    match_score: float | None = None,
    source: str = SOURCE_CROSSREF,
    label: str = "",
) -> Citation:
    """``parsed`` completed and corrected by ``registered`` (Crossref's record of its work, or
    PubMed's with ``source="pubmed"``); ``label`` names the record in warnings.

    ``match_score`` is the score of the search match that found ``registered`` (None when the
    reference's own DOI found it); it is kept in ``Citation.match_score``.
    """
    values, sources, warnings = _fields(parsed, registered, source)
    warnings = [_title_warning(parsed, registered), *warnings]
    named = label or _doi(parsed, registered)
    kept = parsed.warnings + tuple(f"{w} ({named})" for w in warnings if w)
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
    parsed: Citation, registered: Citation, service: str
) -> tuple[dict[str, Any], list[tuple[str, str]], list[str]]:
    """Each CSL field's value, its source, and the warnings of disagreeing values."""
    values: dict[str, Any] = {}
    sources: list[tuple[str, str]] = []
    warnings: list[str] = []
    from_pubmed = _from_pubmed(parsed) if service != SOURCE_PUBMED else frozenset()
    for name in CSL_FIELDS:
        ours, theirs = getattr(parsed, name), getattr(registered, name)
        warning = ""
        if name in from_pubmed and not _empty(theirs):
            value, source, warning = _keep_pubmed(name, ours, theirs, parsed.source_of(name))
        elif name == "container_title_short":
            value, source = _short_title(parsed, registered, service)
        elif (name in KEEP_PARSED and not (service == SOURCE_PUBMED and _empty(ours))) or _empty(
            theirs
        ):
            value, source = ours, parsed.source_of(name) or SOURCE_PARSED
        elif _empty(ours):
            value, source = theirs, service
        else:
            value, source, warning = _RESOLVERS.get(name, _registered)(name, ours, theirs)
            source = service if source == SOURCE_CROSSREF else source
        values[name] = value
        if not _empty(value) and name != "id":
            sources.append((name, source))
        warnings.append(warning)
    return values, sources, warnings


def _from_pubmed(citation: Citation) -> frozenset[str]:
    """The fields PubMed gave or confirmed, when PubMed completed ``citation``."""
    if not any(source == SOURCE_PUBMED for _, source in citation.sources):
        return frozenset()
    return frozenset(
        name for name, source in citation.sources if source in (SOURCE_PUBMED, SOURCE_MERGED)
    )


def _keep_pubmed(name: str, ours: Any, theirs: Any, source: str) -> _Resolved:
    """PubMed's value against Crossref's: PubMed's stands; Crossref's adds or conflicts."""
    if name == "author":
        return _given_names(ours, theirs, source)
    if name == "issn":
        return ", ".join(dict.fromkeys(f"{ours}, {theirs}".split(", "))), SOURCE_MERGED, ""
    if name == "container_title" and _same(name, ours, theirs):
        return theirs, SOURCE_MERGED, ""  # the same words, in the publisher's capitals
    if name == "page" and expand_pages(ours) == expand_pages(theirs.replace("–", "-")):
        return ours, SOURCE_MERGED, ""
    if name == "issued" and ours.year == theirs.year:
        return ours, SOURCE_MERGED, ""  # PubMed's is the print issue's date, as cited
    if _same(name, ours, theirs):
        return ours, SOURCE_MERGED, ""
    if name not in CONFLICTS:
        return ours, source, ""
    mine, other = (ours.year, theirs.year) if name == "issued" else (ours, theirs)
    return (
        ours,
        source,
        f"{name.replace('_', '-')}: {mine} from PubMed, {other} from Crossref; kept PubMed's",
    )


def _given_names(ours: tuple[Name, ...], theirs: tuple[Name, ...], source: str) -> _Resolved:
    """PubMed's authors, with Crossref's fuller given names (``J`` → ``James``) and ORCIDs
    where the family names agree one by one."""
    if len(ours) != len(theirs) or any(
        name_key(a) != name_key(b) for a, b in zip(ours, theirs, strict=True)
    ):
        if ours and theirs and name_key(ours[0]) != name_key(theirs[0]):
            warning = (
                f"author: {ours[0].display()} first from PubMed, {theirs[0].display()} "
                "from Crossref; kept PubMed's"
            )
            return ours, source, warning
        return ours, source, ""
    names = tuple(
        replace(
            a, given=b.given if _fuller(a.given, b.given) else a.given, orcid=a.orcid or b.orcid
        )
        for a, b in zip(ours, theirs, strict=True)
    )
    return names, SOURCE_MERGED, ""


def _fuller(given: str, other: str) -> bool:
    """``other`` spells out what ``given`` abbreviates: same initials, more letters."""
    mine = [word[0] for word in re.findall(r"[^\W\d_]+", given)]
    theirs = [word[0] for word in re.findall(r"[^\W\d_]+", other)]
    return bool(mine) and mine == theirs and len(other) > len(given)


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


def _short_title(parsed: Citation, registered: Citation, service: str) -> tuple[str, str]:
    """The abbreviation the reference used wins: it is how the citing world wrote it."""
    if parsed.container_title_short:
        return parsed.container_title_short, parsed.source_of("container_title_short") or "parsed"
    full = registered.container_title
    if parsed.container_title and full and not _same("", parsed.container_title, full):
        return parsed.container_title, parsed.source_of("container_title") or SOURCE_PARSED
    return registered.container_title_short, service


def _join_lines(*notes: str) -> str:
    lines = [line for note in notes for line in note.split("\n") if line.strip()]
    return "\n".join(dict.fromkeys(lines))


_RESOLVERS: dict[str, Callable[[str, Any, Any], _Resolved]] = {
    "issued": _issued,
    "volume": _volume,
    "page": _page,
    "url": _url,
}
