"""Crossref's work JSON → refkit's ``Citation``: a pure, total function and its tables.

``citation_from_crossref`` never raises: whatever shape a field has (arrays or strings, empty,
``null``, markup in titles), it keeps what it can read and leaves the rest empty. It reads the
REST API's work message (``/works/{doi}`` and each item of a ``/works?query…`` list) and the
CSL-JSON that content negotiation returns, which has the same field names with strings in place
of arrays. The CSL ``type`` of that CSL-JSON is not trusted: since about 2021 it is the Crossref
type verbatim, so every type goes through refkit's own table, ``CROSSREF_TO_CSL``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from refkit.model import SOURCE_CROSSREF, Citation, Date, Name
from refkit.parse.identifiers import normalize_doi

# Every work type of Crossref's ``/types`` (30 in 2026) → the CSL 1.0.2 type refkit writes.
CROSSREF_TO_CSL: dict[str, str] = {
    "journal-article": "article-journal",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "book-track": "chapter",
    "proceedings-article": "paper-conference",
    "posted-content": "manuscript",  # refined by subtype, see POSTED_CONTENT_SUBTYPES
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "proceedings": "book",
    "reference-entry": "entry-encyclopedia",
    "report": "report",
    "report-component": "report",
    "dissertation": "thesis",
    "dataset": "dataset",
    "database": "dataset",
    "standard": "standard",
    "peer-review": "review",
    "journal": "periodical",
    "journal-volume": "periodical",
    "journal-issue": "periodical",
    "component": "document",
    "grant": "document",
    "other": "document",
    "book-series": "document",
    "report-series": "document",
    "proceedings-series": "document",
}
# posted-content's ``subtype`` says what it is; Zotero reads CSL ``article`` as a preprint.
POSTED_CONTENT_SUBTYPES: dict[str, str] = {
    "preprint": "article",
    "blog": "post-weblog",
    "working_paper": "report",
    "report": "report",
    "dissertation": "thesis",
}
# The CSL 1.0.2 types (csl-data.json); a CSL-JSON body that already says one keeps it.
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
FALLBACK_TYPE = "document"

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

# Update types that withdraw a work; any other update (correction, erratum, new version,
# expression of concern, …) is reported as "Updated by".
RETRACTING = frozenset({"retraction", "withdrawal", "removal", "partial_retraction"})
RETRACTED_TITLE = re.compile(r"^\s*(?:retracted(?:\s+article)?|withdrawn)\s*:\s*", re.I)

_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s+[\w.:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))*\s*/?>")
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
    doi = normalize_doi(_text(message.get("DOI")))
    titles = _titles(message)
    title, retracted_by_title = _strip_retracted(titles[0] if titles else "")
    container, series = _containers(message)
    citation = Citation(
        type=csl_type(message),
        title=title,
        title_short=_first(message.get("short-title")),
        author=_names(message.get("author")),
        editor=_names(message.get("editor")),
        container_title=container,
        container_title_short=_first(message.get("short-container-title"))
        or _first(message.get("container-title-short")),
        collection_title=series,
        issued=issued(message),
        volume=_text(message.get("volume")),
        issue=_text(message.get("issue")) or _journal_issue(message.get("journal-issue")),
        page=_page(message),
        edition=_text(message.get("edition-number")),
        publisher=_text(message.get("publisher")),
        publisher_place=_text(message.get("publisher-location") or message.get("publisher-place")),
        doi=doi,
        url=_url(message.get("URL")),
        isbn=_identifiers(message, "ISBN", "isbn-type"),
        issn=_identifiers(message, "ISSN", "issn-type"),
        language=_text(message.get("language")),
        extra=_extra(message, doi, titles, retracted_by_title),
    )
    return citation.with_sources(SOURCE_CROSSREF)


def retraction_notice(citation: Citation) -> str:
    """What says ``citation`` was retracted ("" when nothing does): for notes and reports."""
    return "; ".join(value for key, value in citation.extra if key == "Retracted")


def csl_type(message: Mapping[str, Any]) -> str:
    """The CSL type for a Crossref type (and posted-content subtype); never an invalid one."""
    crossref = _text(message.get("type")).lower()
    if crossref == "posted-content":
        subtype = _text(message.get("subtype")).lower()
        return POSTED_CONTENT_SUBTYPES.get(subtype, CROSSREF_TO_CSL[crossref])
    if crossref in CROSSREF_TO_CSL:
        return CROSSREF_TO_CSL[crossref]
    return crossref if crossref in CSL_TYPES else FALLBACK_TYPE


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


def crossref_date(value: Any) -> Date | None:
    """``{"date-parts": [[2009, 6, 20]]}`` → Date; ``[[null]]``, junk or out of range → None.

    Without date-parts, the ISO ``date-time`` is read (Retraction Watch's update entries carry
    only that)."""
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
        iso = re.match(r"(\d{4})-(\d{2})-(\d{2})", _text(value.get("date-time")))
        parts = [[int(group) for group in iso.groups()]] if iso else [[None]]
    numbers = [_int(p) for p in parts[0][:3]]
    if not numbers or numbers[0] is None or not 1000 <= numbers[0] <= 2999:
        return None
    month = numbers[1] if len(numbers) > 1 else None
    day = numbers[2] if len(numbers) > 2 else None
    if month is None or not 1 <= month <= 12:
        return Date(numbers[0])
    if day is None or not 1 <= day <= 31:
        return Date(numbers[0], month)
    return Date(numbers[0], month, day)


def clean_text(value: Any) -> str:
    """Plain text: markup (HTML, JATS, MathML) dropped, entities decoded, even when double
    escaped (``&amp;lt;sup&amp;gt;``), whitespace collapsed."""
    text = value if isinstance(value, str) else _scalar(value)
    for _ in range(3):  # each round undoes one level of escaping
        stripped = html.unescape(_TAG.sub("", text))
        stripped = _TAG.sub("", stripped)
        if stripped == text:
            break
        text = stripped
    return " ".join(text.split())


def _scalar(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    return ""


def _text(value: Any) -> str:
    """A field that should be one string; a list gives its first usable entry."""
    if isinstance(value, list):
        return _first(value)
    return clean_text(value)


def _strings(value: Any) -> list[str]:
    """A field that should be an array of strings; a lone string counts as one entry."""
    items = value if isinstance(value, list) else [value]
    return [text for text in (clean_text(item) for item in items) if text]


def _first(value: Any) -> str:
    strings = _strings(value)
    return strings[0] if strings else ""


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _titles(message: Mapping[str, Any]) -> list[str]:
    """Each title joined to its subtitle (same position): ``Title: Subtitle``.

    Several titles are the same title in several languages; the first is the main one. A work
    registered with only an ``original-title`` (in its own language) is cited by that.
    """
    titles = _strings(message.get("title")) or _strings(message.get("original-title"))
    subtitles = _strings(message.get("subtitle"))
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


def _strip_retracted(title: str) -> tuple[str, bool]:
    """Publishers mark withdrawn works in the title (``RETRACTED: …``); the mark is not the
    title, but it is a retraction notice."""
    stripped = RETRACTED_TITLE.sub("", title)
    return stripped, stripped != title


def _containers(message: Mapping[str, Any]) -> tuple[str, str]:
    """(container title, series title). A chapter's container-title lists the book and its
    series in either order; the one that reads like a series goes to ``collection-title``."""
    titles = list(dict.fromkeys(_strings(message.get("container-title"))))
    if len(titles) < 2:
        return (titles[0] if titles else ""), ""
    first, second = titles[0], titles[1]
    if _SERIES.search(first) and not _SERIES.search(second):
        return second, first
    return first, second


def _names(value: Any) -> tuple[Name, ...]:
    if not isinstance(value, list):
        return ()
    names = (_name(item) for item in value if isinstance(item, Mapping))
    return tuple(name for name in names if name is not None)


def _name(item: Mapping[str, Any]) -> Name | None:
    """A person (family, given, suffix, ORCID) or an organisation (``name`` → literal)."""
    family, given = _text(item.get("family")), _text(item.get("given"))
    suffix, literal = _text(item.get("suffix")), _text(item.get("name") or item.get("literal"))
    orcid = _orcid(item.get("ORCID"))
    if not family and given:  # a mononym deposited as given name only
        family, given = given, ""
    if not family:
        return Name(literal=literal, orcid=orcid) if literal else None
    particle = _text(item.get("non-dropping-particle"))
    return Name(family=family, given=given, suffix=suffix, particle=particle, orcid=orcid)


def _orcid(value: Any) -> str:
    match = _ORCID.search(value) if isinstance(value, str) else None
    return match.group(1).upper() if match else ""


def _journal_issue(value: Any) -> str:
    return _text(value.get("issue")) if isinstance(value, Mapping) else ""


def _page(message: Mapping[str, Any]) -> str:
    """Pages as ``319-322``; an article number stands in for pages, as PubMed cites it."""
    page = _text(message.get("page")).replace("–", "-").replace("—", "-")
    return page or _text(message.get("article-number"))


def _url(value: Any) -> str:
    url = _text(value)
    return re.sub(r"^https?://(?:dx\.)?doi\.org/", "https://doi.org/", url, flags=re.I)


def _identifiers(message: Mapping[str, Any], key: str, typed_key: str) -> str:
    """ISSNs or ISBNs, print before electronic, each once, joined with ``, ``."""
    typed = message.get(typed_key)
    ordered: list[str] = []
    if isinstance(typed, list):
        kinds = {"print": 0, "electronic": 1}
        entries = [e for e in typed if isinstance(e, Mapping)]
        entries.sort(key=lambda e: kinds.get(_text(e.get("type")), 2))
        ordered = [_text(e.get("value")) for e in entries]
    ordered += _strings(message.get(key))
    return ", ".join(dict.fromkeys(value for value in ordered if value))


def _extra(
    message: Mapping[str, Any], doi: str, titles: list[str], retracted_by_title: bool
) -> tuple[tuple[str, str], ...]:
    lines: list[tuple[str, str]] = []
    lines += [("Translated title", title) for title in titles[1:]]
    known = {t.casefold() for t in [*titles, *_strings(message.get("title"))]}
    originals = _strings(message.get("original-title"))
    lines += [("Original title", t) for t in originals if t.casefold() not in known]
    lines += _notices(message, doi)
    if retracted_by_title and not any(key == "Retracted" for key, _ in lines):
        lines.append(("Retracted", "the registered title says so"))
    return tuple(dict.fromkeys(lines))


def _notices(message: Mapping[str, Any], doi: str) -> Iterator[tuple[str, str]]:
    """``Retracted`` / ``Updated by`` lines for notices about this work, ``Updates`` lines when
    this work is itself a notice. Entries pointing at the work itself are no notice."""
    for update in _updates(message.get("updated-by"), doi):
        kind = "Retracted" if update[0] in RETRACTING else "Updated by"
        yield kind, _describe(*update)
    for update in _updates(message.get("update-to"), doi):
        yield "Updates", _describe(*update)
    relation = message.get("relation")
    if isinstance(relation, Mapping):
        for name, targets in relation.items():
            kind = _text(name).lower().replace("-", "_")
            if kind in RETRACTING or kind in ("is_retracted_by", "is_withdrawn_by"):
                for target in _relation_ids(targets, doi):
                    yield "Retracted", _describe("retraction", "", target, None)


def _updates(value: Any, doi: str) -> Iterable[tuple[str, str, str, Date | None]]:
    if not isinstance(value, list):
        return []
    found = []
    for entry in value:
        if not isinstance(entry, Mapping):
            continue
        target = normalize_doi(_text(entry.get("DOI")))
        if target and target == doi:
            continue
        kind = _text(entry.get("type")).lower().replace("-", "_")
        label = _text(entry.get("label"))
        found.append((kind, label, target, crossref_date(entry.get("updated"))))
    return found


def _relation_ids(targets: Any, doi: str) -> list[str]:
    if not isinstance(targets, list):
        return []
    ids = [normalize_doi(_text(t.get("id"))) for t in targets if isinstance(t, Mapping)]
    return [i for i in ids if i and i != doi]


def _describe(kind: str, label: str, target: str, date: Date | None) -> str:
    """``10.1371/annotation/c76d… (Correction, 2012-05-08)``."""
    name = label or kind.replace("_", " ").capitalize() or "Update"
    details = ", ".join(part for part in (name, date.iso() if date else "") if part)
    return f"{target} ({details})" if target else details
