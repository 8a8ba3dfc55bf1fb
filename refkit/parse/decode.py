"""From token labels back to citation fields: spans, cleaned values, names, date, pages, type.

A field is the longest run of tokens with its label (the first run for names and dates),
sliced from the original string, so its spacing is kept; then each field is cleaned the way
it is printed around: quotes and trailing stops off a title, ``vol.`` off a volume, ``pp.``
off pages (which are expanded as the NLM grammar expands them), ``In:`` off a book title,
``(eds.)`` off editors. The CSL type is guessed from which fields were found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from refkit.identifiers import normalize_doi
from refkit.model import Date, Name
from refkit.parse.names import parse_name_list
from refkit.parse.patterns import (
    CONFERENCE_WORDS,
    MONTHS,
    PREPRINT_SERVERS,
    REPORT_WORDS,
    SEASONS,
    expand_pages,
)
from refkit.parse.tokens import Token

_FIRST_RUN = frozenset({"author", "editor", "date"})
_QUOTES = "\"'“”‘’«»„"
_OPENING = '"“«„'  # not ' or ’: O'Brien, N’Goné
_EDGE = " \t.,;:/"
_PREFIX = {
    "container": re.compile(r"^(?:in\s*:|in\s+(?=\S))\s*", re.IGNORECASE),
    "volume": re.compile(r"^(?:vol(?:ume)?s?\.?|v\.|bd\.?|t\.|tome)\s*", re.IGNORECASE),
    "issue": re.compile(r"^(?:no\.?|nos\.?|n°|nr\.?|issue|num\.?|h\.|#)\s*", re.IGNORECASE),
    "pages": re.compile(r"^(?:pp?\.?|pages?|pgs?\.?|s\.)\s*", re.IGNORECASE),
    "doi": re.compile(r"^doi\s*:?\s*", re.IGNORECASE),
}
_YEAR = re.compile(r"(?<!\d)((?:1[5-9]|20)\d\d)(?!\d)")
_DAY = re.compile(r"(?<![\d.])([0-3]?\d)(?![\d.])")
_CONFERENCE = re.compile(rf"{CONFERENCE_WORDS.pattern}|\bProc\b|\bConf\b", re.IGNORECASE)
_THESIS = re.compile(r"\b(?:thesis|dissertation|ph\.?\s?d\b|doctoral|master'?s?)", re.IGNORECASE)
_REPORT = re.compile(r"\b(?:report|technical|working paper|white paper)\b", re.IGNORECASE)
_PREPRINT = re.compile(r"\bpreprint\b", re.IGNORECASE)


def field_of(label: str) -> str:
    """``B-title`` and ``I-title`` → ``title``; ``other`` and plain labels as they are."""
    return label[2:] if label[:2] in ("B-", "I-") else label


def runs(labels: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Each field's runs of consecutive tokens, as (first, last) index pairs.

    A ``B-`` label starts a new run even right after a run of the same field.
    """
    found: dict[str, list[tuple[int, int]]] = {}
    fields = [field_of(label) for label in labels]
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i][:2] == "B-" or fields[i] != fields[start]:
            found.setdefault(fields[start], []).append((start, i - 1))
            start = i
    return found


def _choose(found: dict[str, list[tuple[int, int]]]) -> dict[str, tuple[int, int]]:
    """One run per label: the first for names and dates, else the longest.

    Two title runs and no container: the model has labelled a chapter's book as a title too
    (``Title. In Editors (Eds.), Book (pp. 1-9).``); the later run is the container.
    """
    chosen = {}
    for label, spans in found.items():
        chosen[label] = spans[0] if label in _FIRST_RUN else max(spans, key=_length)
    titles = found.get("title", [])
    if len(titles) > 1 and "container" not in found:
        chosen["title"] = titles[0]
        chosen["container"] = max(titles[1:], key=_length)
    return chosen


def _length(span: tuple[int, int]) -> int:
    return span[1] - span[0]


def field_texts(text: str, tokens: Sequence[Token], labels: Sequence[str]) -> dict[str, str]:
    """The printed text of each labelled field (``other`` left out).

    Names never hold quotes: a name run that reaches a quoted phrase ends before it, and the
    quoted phrase is the title when no title was found (``Hartlep ND. "Racial Epithet".``).
    """
    out: dict[str, str] = {}
    for label, (first, last) in _choose(runs(labels)).items():
        if label == "other":
            continue
        if label in ("author", "editor"):
            quote = next((i for i in range(first, last + 1) if tokens[i].text in _OPENING), None)
            if quote is not None and quote > first:
                out.setdefault("title", text[tokens[quote].start : tokens[last].end])
                last = quote - 1
            elif last + 1 < len(tokens) and tokens[last + 1].text == "." and _initial(tokens[last]):
                last += 1  # "Hickey, G. J." keeps the stop of its last initial
        out[label] = text[tokens[first].start : tokens[last].end]
    return out


def _initial(token: Token) -> bool:
    return len(token.text) == 1 and token.text.isupper()


def clean(label: str, value: str) -> str:
    """A field's value without the marks and words printed around it."""
    value = value.strip(" ,;:") if label in ("author", "editor") else value.strip(_EDGE)
    prefix = _PREFIX.get(label)
    if prefix is not None:
        value = prefix.sub("", value).strip(_EDGE)
    if label in ("title", "container", "publisher", "place", "collection", "genre"):
        value = _unquote(value)
    if label in ("volume", "issue"):
        value = value.strip("()[] ").strip(_EDGE)
    return value


def _unquote(value: str) -> str:
    """Quotes and brackets that wrap the whole value, or that are left open at one end."""
    for _ in range(3):
        stripped = value.strip(_EDGE)
        if stripped[:1] in _QUOTES or stripped[-1:] in _QUOTES:
            stripped = stripped.strip(_QUOTES).strip(_EDGE)
        if stripped[:1] in "([" and stripped.count("(") + stripped.count("[") > stripped.count(
            ")"
        ) + stripped.count("]"):
            stripped = stripped[1:]
        if stripped[-1:] in ")]" and stripped.count(")") + stripped.count("]") > stripped.count(
            "("
        ) + stripped.count("["):
            stripped = stripped[:-1]
        if stripped == value:
            break
        value = stripped
    return value.strip()


def parse_date_text(value: str) -> Date | None:
    """``Jul. 1997``, ``5 June 2015``, ``2017 Jul 19``, ``(1997)``, ``2015a`` → Date."""
    year = _YEAR.search(value)
    if year is None:
        return None
    month = day = season = None
    for word in re.findall(r"[^\W\d_]+", value.lower()):
        if word[:3] in MONTHS and month is None and len(word) >= 3:
            month = MONTHS[word[:3]]
        elif word in SEASONS:
            season = SEASONS[word]
    if month is not None:
        days = [int(d) for d in _DAY.findall(value[: year.start()] + " " + value[year.end() :])]
        day = next((d for d in days if 1 <= d <= 31), None)
    return Date(int(year.group(1)), month, day if month else None, season)


def guess_type(fields: dict[str, str], text: str, in_book: bool) -> str:
    """The CSL type from the fields found and the words that name a kind of work.

    ``in_book``: the container (or its editors) follows ``In``, as a book's title does.
    """
    container, publisher = fields.get("container", ""), fields.get("publisher", "")
    genre = fields.get("genre", "")
    numbered = bool(fields.get("volume") or fields.get("issue"))
    if _THESIS.search(genre) or (not container and _THESIS.search(text)):
        return "thesis"
    if not numbered and (_PREPRINT.search(text) or PREPRINT_SERVERS.search(publisher + container)):
        return "article"
    if container and _CONFERENCE.search(container) and not fields.get("issue"):
        return "paper-conference"
    issuer = publisher or (container if not in_book else "")
    if _REPORT.search(genre) or (not numbered and REPORT_WORDS.search(issuer)):
        return "report"
    if container and (fields.get("editor") or in_book or publisher) and (publisher or not numbered):
        return "chapter"
    if container or numbered:
        return "article-journal"
    if publisher or fields.get("place") or fields.get("edition"):
        return "chapter" if re.search(r"\d\s*[-–—]\s*\d", fields.get("pages", "")) else "book"
    if fields.get("url"):
        return "webpage"
    return "article-journal" if fields.get("pages") else "document"


def _in_book(tokens: Sequence[Token], labels: Sequence[str]) -> bool:
    """Whether the editors or the container follow ``In`` (``In: Editors, eds. Book``)."""
    for label in ("editor", "container"):
        if label not in labels:
            continue
        first = labels.index(label)
        near = [t.text.lower() for t in tokens[max(0, first - 2) : first + 1] if t.kind == "word"]
        return "in" in near
    return False


def names(value: str) -> tuple[tuple[Name, ...], bool]:
    """Names and whether the list was cut short (``et al.``)."""
    found = parse_name_list(value)
    return found.names, found.truncated


def _unplaced_year(tokens: Sequence[Token], labels: Sequence[str]) -> Date | None:
    """A year the model left out of every field, when it placed no date: the last such one
    (``... Proceedings of DISCS '15. 2015.``)."""
    for token, label in zip(reversed(tokens), reversed(labels), strict=True):
        if label == "other" and _YEAR.fullmatch(token.text):
            return Date(int(token.text))
    return None


def to_fields(
    text: str, tokens: Sequence[Token], labels: Sequence[str]
) -> tuple[dict[str, Any], bool]:
    """``Citation`` keyword arguments from labelled tokens (without confidence or warnings),
    and whether the author list was cut short (``et al.``)."""
    raw = field_texts(text, tokens, labels)
    labels = [field_of(label) for label in labels]
    values = {label: clean(label, value) for label, value in raw.items()}
    numbered = values.get("volume") or values.get("issue") or values.get("pages")
    if not values.get("title") and not numbered:
        values["title"] = values.pop("container", "")  # a book's title, read as a container
    authors, cut = names(values.get("author", ""))
    editors, _ = names(values.get("editor", ""))
    fields = {
        "type": guess_type(values, text, _in_book(tokens, labels)),
        "title": values.get("title", ""),
        "author": authors,
        "editor": editors,
        "container_title": values.get("container", ""),
        "collection_title": values.get("collection", ""),
        "issued": parse_date_text(values.get("date", "")) or _unplaced_year(tokens, labels),
        "volume": values.get("volume", ""),
        "issue": values.get("issue", ""),
        "page": expand_pages(values["pages"]) if values.get("pages") else "",
        "edition": values.get("edition", ""),
        "genre": values.get("genre", ""),
        "publisher": values.get("publisher", ""),
        "publisher_place": values.get("place", ""),
        "doi": normalize_doi(values.get("doi", "")),
        "note": values.get("note", ""),
    }
    return fields, cut
