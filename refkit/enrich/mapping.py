"""Crossref's work JSON → refkit's ``Citation``: a pure, total function and its tables.

``citation_from_crossref`` never raises: whatever shape a field has (arrays or strings, empty,
``null``, markup in titles), it keeps what it can read and leaves the rest empty. It reads the
REST API's work message (``/works/{doi}`` and each item of a ``/works?query…`` list) and the
CSL-JSON that content negotiation returns, which has the same field names with strings in place
of arrays. The CSL ``type`` of that CSL-JSON is not trusted: since about 2021 it is the Crossref
type verbatim, so every type goes through refkit's own table (``crossref_types``). Notices of
retraction and correction become note lines (``notices``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from refkit.enrich.crossref_types import (
    CROSSREF_TO_CSL,
    FALLBACK_TYPE,
    POSTED_CONTENT_SUBTYPES,
    csl_type,
)
from refkit.enrich.notices import notice_lines, retraction_notice, strip_retracted
from refkit.enrich.values import clean_text, crossref_date, first, strings, text
from refkit.identifiers import normalize_doi
from refkit.model import CSL_TYPES, SOURCE_CROSSREF, Citation, Date, Name

__all__ = [
    "CROSSREF_TO_CSL",
    "CSL_TYPES",
    "POSTED_CONTENT_SUBTYPES",
    "SELECT",
    "SELECT_FIELDS",
    "citation_from_crossref",
    "clean_text",
    "crossref_date",
    "csl_type",
    "issued",
    "retraction_notice",
]

# What a bibliographic search asks Crossref to return (``select``): what the mapping and the
# match read, nothing more, so that each list stays a few kilobytes. Only fields the API
# accepts in ``select`` (``language`` and ``subtype`` are not selectable; an unknown name
# makes the whole request fail with 400).
SELECT_FIELDS: tuple[str, ...] = (
    "DOI",
    "URL",
    "type",
    "title",
    "subtitle",
    "short-title",
    "original-title",
    "author",
    "editor",
    "container-title",
    "short-container-title",
    "issued",
    "published-print",
    "published-online",
    "posted",
    "volume",
    "issue",
    "page",
    "article-number",
    "ISSN",
    "issn-type",
    "ISBN",
    "publisher",
    "publisher-location",
    "update-to",
    "updated-by",
    "relation",
    "score",
)
SELECT = ",".join(SELECT_FIELDS)

_SERIES = re.compile(
    r"\blecture notes\b|\bseries\b|briefs\b|\bstudies in\b|\bnotes in\b|\bmethods in molecular"
    r"|\badvances in experimental\b|\bcommunications in\b|\bprogress in\b|\bhandbooks? online\b",
    re.IGNORECASE,
)
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.IGNORECASE)
# The order the date of a citation is taken from; see ``issued``.
DATE_ORDER = ("published-print", "issued", "published", "published-online", "posted", "approved")


def citation_from_crossref(message: Mapping[str, Any]) -> Citation:
    """The citation a Crossref work message (or Crossref CSL-JSON) describes.

    Every filled field is marked with the source ``crossref``. A retracted work carries a
    ``Retracted: …`` extra line (``retraction_notice`` reads it), a corrected one ``Updated by:
    …``, and a notice itself ``Updates: …``; the export writes them into ``note``.
    """
    given: object = message  # callers pass whatever JSON they decoded
    if not isinstance(given, Mapping):
        return Citation(type=FALLBACK_TYPE).with_sources(SOURCE_CROSSREF)
    doi = normalize_doi(text(message.get("DOI")))
    titles = _titles(message)
    title, retracted_by_title = strip_retracted(titles[0] if titles else "")
    container, series = _containers(message)
    citation = Citation(
        type=csl_type(message),
        title=title,
        title_short=first(message.get("short-title")),
        author=_names(message.get("author")),
        editor=_names(message.get("editor")),
        container_title=container,
        container_title_short=first(message.get("short-container-title"))
        or first(message.get("container-title-short")),
        collection_title=series,
        issued=issued(message),
        volume=text(message.get("volume")),
        issue=text(message.get("issue")) or _journal_issue(message.get("journal-issue")),
        page=_page(message),
        edition=text(message.get("edition-number")),
        publisher=text(message.get("publisher")),
        publisher_place=text(message.get("publisher-location") or message.get("publisher-place")),
        doi=doi,
        url=_url(message.get("URL")),
        isbn=_identifiers(message, "ISBN", "isbn-type"),
        issn=_identifiers(message, "ISSN", "issn-type"),
        language=text(message.get("language")),
        extra=_extra(message, doi, titles, retracted_by_title),
    )
    return citation.with_sources(SOURCE_CROSSREF)


def issued(message: Mapping[str, Any]) -> Date | None:
    """The date a reference cites: the print date first, then the earliest publication date.

    Crossref's ``issued`` is the earliest of print and online publication. A reference that
    cites volume, issue and pages cites the print issue (PubMed's own citations give the print
    date and add "Epub" for the earlier online one), so ``published-print`` comes first; works
    never printed fall back to ``issued``, ``published``, ``published-online``, then ``posted``
    (preprints) and ``approved`` (theses). ``created`` is the deposit date, not a publication
    date, and is never used.
    """
    for key in DATE_ORDER:
        date = crossref_date(message.get(key))
        if date is not None:
            return date
    return None


def _titles(message: Mapping[str, Any]) -> list[str]:
    """Each title joined to its subtitle (same position): ``Title: Subtitle``.

    Several titles are the same title in several languages; the first is the main one. A work
    registered with only an ``original-title`` (in its own language) is cited by that.
    """
    titles = strings(message.get("title")) or strings(message.get("original-title"))
    subtitles = strings(message.get("subtitle"))
    joined = []
    for index, title in enumerate(titles):
        subtitle = subtitles[index] if index < len(subtitles) else ""
        joined.append(_with_subtitle(title, subtitle))
    return joined


def _with_subtitle(title: str, subtitle: str) -> str:
    if not subtitle or subtitle.casefold() in title.casefold():
        return title
    separator = " " if title.endswith((":", "?", "!", ".")) else ": "
    return title + separator + subtitle


def _containers(message: Mapping[str, Any]) -> tuple[str, str]:
    """(container title, series title). A chapter's container-title lists the book and its
    series in either order; the one that reads like a series goes to ``collection-title``."""
    titles = list(dict.fromkeys(strings(message.get("container-title"))))
    if len(titles) < 2:
        return (titles[0] if titles else ""), ""
    one, two = titles[0], titles[1]
    if _SERIES.search(one) and not _SERIES.search(two):
        return two, one
    return one, two


def _names(value: Any) -> tuple[Name, ...]:
    if not isinstance(value, list):
        return ()
    names = (_name(item) for item in value if isinstance(item, Mapping))
    return tuple(name for name in names if name is not None)


def _name(item: Mapping[str, Any]) -> Name | None:
    """A person (family, given, suffix, ORCID) or an organisation (``name`` → literal)."""
    family, given = text(item.get("family")), text(item.get("given"))
    suffix, literal = text(item.get("suffix")), text(item.get("name") or item.get("literal"))
    orcid = _orcid(item.get("ORCID"))
    if not family and given:  # a mononym deposited as given name only
        family, given = given, ""
    if not family:
        return Name(literal=literal, orcid=orcid) if literal else None
    particle = text(item.get("non-dropping-particle"))
    return Name(family=family, given=given, suffix=suffix, particle=particle, orcid=orcid)


def _orcid(value: Any) -> str:
    match = _ORCID.search(value) if isinstance(value, str) else None
    return match.group(1).upper() if match else ""


def _journal_issue(value: Any) -> str:
    return text(value.get("issue")) if isinstance(value, Mapping) else ""


def _page(message: Mapping[str, Any]) -> str:
    """Pages as ``319-322``; an article number stands in for pages, as PubMed cites it."""
    page = text(message.get("page")).replace("–", "-").replace("—", "-")
    return page or text(message.get("article-number"))


def _url(value: Any) -> str:
    url = text(value)
    return re.sub(r"^https?://(?:dx\.)?doi\.org/", "https://doi.org/", url, flags=re.I)


def _identifiers(message: Mapping[str, Any], key: str, typed_key: str) -> str:
    """ISSNs or ISBNs, print before electronic, each once, joined with ``, ``."""
    typed = message.get(typed_key)
    ordered: list[str] = []
    if isinstance(typed, list):
        kinds = {"print": 0, "electronic": 1}
        entries = [e for e in typed if isinstance(e, Mapping)]
        entries.sort(key=lambda e: kinds.get(text(e.get("type")), 2))
        ordered = [text(e.get("value")) for e in entries]
    ordered += strings(message.get(key))
    return ", ".join(dict.fromkeys(value for value in ordered if value))


def _extra(
    message: Mapping[str, Any], doi: str, titles: list[str], retracted_by_title: bool
) -> tuple[tuple[str, str], ...]:
    lines: list[tuple[str, str]] = []
    lines += [("Translated title", title) for title in titles[1:]]
    known = {t.casefold() for t in [*titles, *strings(message.get("title"))]}
    originals = strings(message.get("original-title"))
    lines += [("Original title", t) for t in originals if t.casefold() not in known]
    lines += notice_lines(message, doi)
    if retracted_by_title and not any(key == "Retracted" for key, _ in lines):
        lines.append(("Retracted", "the registered title says so"))
    return tuple(dict.fromkeys(lines))
