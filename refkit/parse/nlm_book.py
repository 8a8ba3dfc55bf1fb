"""NLM/Vancouver works without a journal source: books, chapters, proceedings, reports, preprints.

``Authors. Title. Place: Publisher; Year.``
``Authors. Title. In: Editors, editors. Book. Place: Publisher; Year. p. 133-50.``
``Authors. Title. Conference; 2020 Nov 16-17; Place.``
and the AMA (``Publisher; 2012:499-508``), Lancet (``Place: Publisher, 2012: 499–508``), BMJ
(``Place: Publisher 2012:499–508``) and Vancouver (``Book, Place: Publisher; 2012, p. 499–508``)
forms of the same. The imprint is read from the end of the string, backwards: pages, year,
publisher, place; what is left between the title and the imprint is the book or proceedings.
"""

from __future__ import annotations

import re
from typing import Any

from refkit.model import ET_AL, Citation, Date
from refkit.parse.names import is_nlm_author_list, parse_authors, split_head
from refkit.parse.patterns import (
    CONFERENCE_WORDS,
    DATE,
    MONTH,
    PAGES,
    PREPRINT_SERVERS,
    REPORT_WORDS,
    YEAR,
    expand_pages,
    parse_date,
)

_TAIL = re.compile(
    r"\s(?:doi:|DOI:?\s*10\.|https?://|Available (?:from|at):|\[cited\b|Accessed\b|PMID:|Epub\b)"
)
_PAGES_END = re.compile(rf"(?:[.,;]\s*pp?\.\s*|\s*:\s*)(?P<page>{PAGES})$")
_YEAR_END = re.compile(
    rf"[;,]?\s*(?:(?P<year>{YEAR})[a-z]?(?:\s*[A-Z][a-z]{{2,8}})?|n\.\s?d|\[?no date\]?)\.?$"
)
# An NLM imprint closing a string: "Place: Publisher; 2020." (or "; n.d.", "; no date.").
_IMPRINT_END = re.compile(rf"[^.:;]+\w: [^.:;]+; (?:{YEAR}|n\.\s?d|\[?no date\]?)\.?$")
_CONFERENCE = re.compile(
    rf"^(?!In:)(?P<event>[^;:]+?)\s*;\s*(?P<date>[^;.]{{0,20}}?\b(?P<year>{YEAR})(?!\d)[^;.]{{0,20}}?)"
    r"(?:\s*;\s*(?P<place>[^;]+?))?\.?(?:\s+Abstract\b.*)?$"
)
# A meeting's dates as programmes print them: "July 19-22, 2015".
_MONTH_FIRST = re.compile(
    rf"(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:\s*-\s*\d{{1,2}})?,?\s+(?P<year>{YEAR})"
)
_PREPRINT_AMA = re.compile(r"^(?:(?P<server>.+?)\.\s+)?Preprint posted online (?P<date>.+)$")
_PREPRINT_LANCET = re.compile(rf"^(?P<year>{YEAR});\s*published online\b.*$")
_EDITORS = re.compile(r"^(?P<names>[^.]+?),?\s+(?:eds?|editors?)\.\s+", re.IGNORECASE)
# A sentence stop, not an abbreviation's; the stop comes first so that the search skips to it.
_BOUNDARY = re.compile(
    r"\.(?<!\b[A-Z]\.)(?<!\bCo\.)(?<!\bInc\.)(?<!\bLtd\.)(?<!\bPub\.)(?<!\bUniv\.)\s+"
)
_QUOTED_OR_IN = re.compile(r"[\"“].*[\"”] |.* In: ")
_TRAILING_YEAR = re.compile(rf"\s({YEAR})$")
_TWO_DIGITS = re.compile(r"\d\d")
_TITLE_WORD = re.compile(r"[^\W\d_]{3}")
_PLACE_WORD = re.compile(r"[A-Z][\w'’-]*|[A-Z]{2,}")


def _is_place(piece: str) -> bool:
    words = piece.split()
    return 0 < len(words) <= 3 and all(_PLACE_WORD.fullmatch(w) for w in words)


def _imprint(rest: str) -> tuple[str, str, str]:
    """``[Book, ]Place: Publisher`` → (book part, place, publisher)."""
    boundaries = list(_BOUNDARY.finditer(rest))
    cut = boundaries[-1].end() if boundaries else 0
    book, segment = rest[:cut].strip(), rest[cut:].strip()
    before, colon, publisher = segment.rpartition(":")
    if not colon:
        before, publisher = "", segment
    pieces = [p.strip() for p in before.split(",")] if before else []
    if not colon and "," in segment:
        pieces = [p.strip() for p in segment.split(",")]
        publisher = pieces.pop()
    place: list[str] = []
    while pieces and _is_place(pieces[-1]) and (colon or len(pieces) == 1):
        place.insert(0, pieces.pop())
    leftover = ", ".join(pieces)
    book = f"{book} {leftover}".strip() if leftover else book
    return book.rstrip("., "), ", ".join(place), publisher.strip().rstrip(".,;").strip()


def _book_type(book: str, publisher: str, has_in: bool) -> str:
    if book and CONFERENCE_WORDS.search(book):
        return "paper-conference"
    if has_in:
        return "chapter"
    if PREPRINT_SERVERS.search(publisher):
        return "article"
    if REPORT_WORDS.search(publisher):
        return "report"
    return "book"


def _conference(rest: str) -> dict[str, Any] | None:
    match = _CONFERENCE.match(rest) if ";" in rest else None
    if match is None or not CONFERENCE_WORDS.search(match["event"]):
        return None
    date = _MONTH_FIRST.search(match["date"]) or re.search(DATE, match["date"])
    issued = parse_date(date["year"], date["month"], date["day"]) if date else None
    if issued is None or issued.year != int(match["year"]):
        issued = Date(int(match["year"]))
    return {
        "type": "paper-conference",
        "container_title": match["event"],
        "issued": issued,
        "publisher_place": (match["place"] or "").strip(),  # where it was held: BibTeX address
    }


def _preprint(rest: str) -> dict[str, Any] | None:
    if "published online" not in rest and "Preprint posted online" not in rest:
        return None  # the words both patterns need: a cheap test first
    ama = _PREPRINT_AMA.match(rest)
    if ama is not None:
        year = re.search(YEAR, ama["date"])
        return {
            "type": "article",
            "publisher": ama["server"] or "",
            "issued": Date(int(year.group(0))) if year else None,
        }
    lancet = _PREPRINT_LANCET.match(rest)
    if lancet is not None:
        return {"type": "article", "issued": Date(int(lancet["year"]))}
    return None


def _published(rest: str) -> dict[str, Any]:
    """Pages, year, publisher, place and book from the end of ``rest``, backwards."""
    fields: dict[str, Any] = {}
    pages = _PAGES_END.search(rest)
    if pages is not None:
        fields["page"] = expand_pages(pages["page"])
        rest = rest[: pages.start()].rstrip()
    year = _YEAR_END.search(rest)
    if year is not None:
        if year["year"]:
            fields["issued"] = Date(int(year["year"]))
        rest = rest[: year.start()].rstrip(" ,;")
    has_in = rest.startswith("In:")
    rest = rest[3:].strip() if has_in else rest
    editors = _EDITORS.match(rest)
    if editors is not None:
        fields["editor"] = parse_authors(editors["names"]).names
        rest = rest[editors.end() :]
    book, place, publisher = _imprint(rest) if rest else ("", "", "")
    book_type = _book_type(book, publisher, has_in or bool(book and "page" in fields))
    key = "container_title" if book_type in ("chapter", "paper-conference") else "collection_title"
    if book_type == "book" and not publisher and not rest and "issued" in fields:
        book_type = "article"  # "Authors. Title. 2020." (a preprint or posted content)
    fields.update(type=book_type, publisher=publisher, publisher_place=place)
    fields[key] = book
    return fields


def parse_nlm_book(text: str) -> Citation | None:
    """A book, chapter, proceedings paper, report or preprint in NLM form, else None."""
    fields = book_fields(text)
    return Citation(**fields) if fields is not None else None


def book_fields(text: str) -> dict[str, Any] | None:
    """``parse_nlm_book``'s fields as ``Citation`` keyword arguments."""
    tail = _TAIL.search(text)
    body = (text[: tail.start()] if tail else text).strip().rstrip(".,; ")
    authors_text, after = split_head(body + ".")
    title, _, rest = after.partition(". ")
    trailing_year = _TRAILING_YEAR.search(title)
    if not rest and trailing_year:  # Vancouver: "Title 2020." with nothing else
        title, rest = title[: trailing_year.start()], trailing_year.group(1)
    nlm_authors = is_nlm_author_list(authors_text)
    fields = _conference(rest)
    if fields is None and nlm_authors:
        fields = _preprint(rest) or _published(rest)
    if fields is None and not nlm_authors:
        return _without_authors(body)
    if not fields or not _plausible(fields) or not _TITLE_WORD.search(title):
        return None
    authors, truncated, _ = parse_authors(authors_text)
    if len(authors) == 1 and len(title.split()) < 3 and not _QUOTED_OR_IN.match(f"{title} {rest}"):
        return None  # "Russell A. Berman. Fiction…": a given name and initial, not NLM
    confidence = 0.85 if fields.get("issued") and fields.get("publisher") else 0.75
    fields.update(
        title=title.strip(),
        author=authors,
        warnings=(ET_AL,) if truncated else (),
        confidence=confidence if nlm_authors else 0.6,
    )
    return fields


def _without_authors(body: str) -> dict[str, Any] | None:
    """``Title. Place: Publisher; Year.``: a book or report that names no author (the
    publisher stands for one); only with the whole NLM imprint right after the title.
    ``Org. Title. Place: ...`` (an organisation as author) is left to the model: a title
    and a series read the same."""
    title, _, rest = body.partition(". ")
    if not rest or _IMPRINT_END.match(rest + ".") is None or not _TITLE_WORD.search(title):
        return None
    fields = _published(rest)
    if not (fields.get("publisher") and fields.get("publisher_place")):
        return None
    fields.update(title=title.strip(), author=(), warnings=(), confidence=0.75)
    return fields


def _plausible(fields: dict[str, Any]) -> bool:
    """Something placed, and no publisher made of numbers (a journal source read wrongly)."""
    if not (fields.get("issued") or fields.get("publisher") or fields.get("container_title")):
        return False
    return not _TWO_DIGITS.search(str(fields.get("publisher", "")))
