"""Normalise citation fields so that the same value written differently compares equal.

Exports are messy in ways that do not change the work: case, accents, LaTeX and HTML markup,
``[Review]`` or ``[Chinese]`` tags, a translated title in brackets, ``1030-7`` page ranges, DOIs
as URLs, journal names abbreviated or in full. These functions fold all of that away.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Letters NFKD does not decompose into an ASCII base letter.
_ASCII = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "đ": "d"})
_ASCII.update({ord("ı"): "i", ord("ß"): "ss"})
_TAG = re.compile(r"</?[a-z][a-z0-9]*\b[^<>]*>", re.IGNORECASE)
_LATEX = re.compile(r"\\[a-zA-Z]+\*?|\\.|[{}$]")


def _greek(char: str) -> str:
    """``γ`` → `` gamma ``: databases write Greek letters either way."""
    name = unicodedata.name(char, "")
    if name.startswith("GREEK SMALL LETTER ") or name.startswith("GREEK CAPITAL LETTER "):
        return f" {name.rsplit(' ', 1)[-1].lower()} "
    return char


def strip_markup(text: str) -> str:
    """HTML entities and tags, and LaTeX commands and braces, removed; their text kept."""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub("", text)
    if "\\" in text or "{" in text or "$" in text:
        text = latex_to_text(text)
    return text


def latex_to_text(text: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        return str(LatexNodes2Text().latex_to_text(text))
    except Exception:  # noqa: BLE001 - malformed LaTeX is common in exports; strip it plainly
        return _LATEX.sub("", text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Markup, case, accents, punctuation and spacing folded away: for comparing text."""
    text = strip_markup(text).casefold().translate(_ASCII)
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(
        _greek(c) if "\u0370" <= c <= "\u03ff" else c
        for c in decomposed
        if not unicodedata.combining(c)
    )
    return " ".join(re.sub(r"[^\w\s]|_", " ", letters).split())


# --- titles -----------------------------------------------------------------------------------

# Database annotations after a title: "[Review] [42 refs]", "[Chinese]", " LA: Chi",
# "<ORIGINAL> TITLE IN THE ORIGINAL LANGUAGE", "[Erratum appears in ...]".
_ORIGINAL = re.compile(r"\s*<ORIGINAL>.*$", re.IGNORECASE | re.DOTALL)
_LANGUAGE = re.compile(r"\s+LA:\s*\w+\s*$")
# A retracted or withdrawn article marked as such is still the article.
_MARKED = re.compile(r"^(?:retracted(?:\s+article)?|withdrawn)\s*:\s*", re.IGNORECASE)
# A tag in brackets, or one of the databases' notes in parentheses: "(Structured abstract)"
# (DARE), "(author's transl)" (MEDLINE's translated titles). Other parentheses are the title's.
_TRAILING_TAG = re.compile(
    r"\s*(?:\[[^\[\]]*\]|\((?:structured\s+abstract|author'?s?'?\s*transl\.?)\))\s*\.?\s*$",
    re.IGNORECASE,
)
NOTICE = re.compile(
    r"^\W*(?:(erratum|errata|corrigendum|correction)(?:\s+(?:to|for|on|in)\b|\s*:)"
    r"|(erratum|errata|corrigendum)\b"
    r"|(retraction|withdrawal)(?:\s+(?:of|note|notice|statement)\b|\s*:)"
    r"|notice\s+of\s+(retraction|correction)\b"
    r"|expression\s+of\s+(concern)\b"
    r"|(reply)(?:\s+(?:to|from)\b|\s*:)|in\s+(reply)\b|authors?'?\s*(reply|response)\b"
    r"|(response)\s+to\s+(?:the\s+)?(?:letter|comment|editor|commentary)"
    r"|(comment)(?:ary)?\s+on\b|(re)\s*:)",
    re.IGNORECASE,
)
_NOTICE_KIND = {"errata": "erratum", "corrigendum": "erratum", "correction": "erratum"}
_PART = re.compile(r"\bpart\s+([ivx]+|\d+|one|two|three|four|[a-d])\b", re.IGNORECASE)
_PART_NUMBER = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "one": "1"}
_PART_NUMBER |= {"two": "2", "three": "3", "four": "4", "a": "1", "b": "2", "c": "3", "d": "4"}
# Titles that many different works carry; equal titles of this kind say nothing.
GENERIC_TITLES = frozenset(
    """editorial|guest editorial|editorial introduction|introduction|preface|foreword|
    editor s note|editors note|from the editor|from the editors|letter from the editor|
    letter to the editor|commentary|comment|reply|response|erratum|correction|corrigendum|
    book review|book reviews|review|in this issue|index|author index|subject index|
    reviewers|acknowledgement|acknowledgements|acknowledgment|acknowledgments|announcement|
    announcements|news|abstracts|contents|table of contents|front matter|back matter|
    call for papers|editorial board|issue information|masthead|obituary|conclusion|
    conclusions|overview|notes on contributors|about the authors|discussion|letter|
    letters|summary|abstract|introduction to the special issue|special issue introduction|
    editorial comment|invited commentary|retraction|retraction notice|untitled|opinion""".replace(
        "\n", ""
    ).split("|")
)


def clean_title(title: str) -> str:
    """The title without database annotations; a title wholly in brackets is unwrapped."""
    text = strip_markup(_ORIGINAL.sub("", title)).strip()
    text = _LANGUAGE.sub("", _MARKED.sub("", text))
    while True:
        trimmed = _TRAILING_TAG.sub("", text)
        if trimmed == text or not trimmed.strip(" .[]"):
            break
        text = trimmed
    text = text.strip().rstrip(".").strip()
    if text.startswith("[") and text.endswith("]") and text.count("[") == 1:
        text = text[1:-1]
    return text


# A whole reference in the title field: ``Quinlan (1993) "Combining instance-based ..."``.
_CITED_IN_TITLE = re.compile(
    r'^(?P<who>[^"“”()]{2,60}?)\s*\((?P<year>\d{4})[a-z]?\)[\s.,:]*["“](?P<title>[^"“”]{8,})["”]\W*$'
)
# A title-less record whose author field begins with the title: ``Common Lisp: The Language.
# By Guy L. Steele Jr., Scott E. Fahlman, ...``.
_TITLE_BY = re.compile(r"^(?P<title>\S+\s.{6,}?)\.\s+By\s+(?P<names>\S.*)$")


def title_with_citation(title: str) -> tuple[str, str, int | None]:
    """(title, the authors' names, year) of a title field that holds ``Names (Year) "Title"``;
    the title as it is, no names and no year otherwise."""
    match = _CITED_IN_TITLE.match(strip_markup(title).strip()) if "(" in title else None
    if match is None:
        return title, "", None
    return match.group("title"), match.group("who"), int(match.group("year"))


def title_before_authors(authors: str) -> tuple[str, str]:
    """(title, names) of an author field that begins with the work's title and then ``By``;
    ("", the field) when it does not."""
    match = _TITLE_BY.match(authors.strip())
    if match is None:
        return "", authors
    return match.group("title"), match.group("names")


def notice_kind(title: str) -> str:
    """``erratum``, ``retraction``, ``reply``, ``comment``... when the title is a notice."""
    match = NOTICE.match(title)
    if match is None:
        return ""
    word = next(group for group in match.groups() if group).lower()
    return _NOTICE_KIND.get(word, "comment" if word == "re" else word)


def part_number(title: str) -> str:
    match = _PART.search(title)
    return _PART_NUMBER.get(match.group(1).lower(), match.group(1)) if match else ""


# --- numbers: volumes, pages, years -----------------------------------------------------------

_DIGITS = re.compile(r"\d+")
# A first page may carry a short prefix (S12, e24, pp. 12, pp 12, pages 12); "Suppl-6" has no
# first page.
_PAGE_RANGE = re.compile(
    r"^\(?(?:pp?\.?\s*(?=\d)|pages?)?\s*[A-Za-z]{0,2}(\d+)\s*(?:[-–—]+\s*[A-Za-z]{0,2}(\d+))?"
)
_SHORT_RANGE = re.compile(r"^([A-Za-z]*)(\d+)\s*[-–—]+\s*(?:\1)?(\d+)$")
_MONTH_NAMES = "jan feb mar apr may jun jul aug sep oct nov dec"
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES.split(), 1)}


def volume_numbers(volume: str) -> frozenset[str]:
    """The numbers in a volume field (``44 (2 Supplement 1)`` → 44, 2, 1), leading zeros off."""
    return frozenset(n.lstrip("0") or "0" for n in _DIGITS.findall(volume))


# A book's or thesis' number of pages, not where a work is: "215 p", "xv, 1055".
_PAGE_COUNT = re.compile(
    r"^(?:[ivxlc]+\s*,\s*)?\d+\s*(?:p|pp|pages)\.?$|^[ivxlc]+\s*,\s*\d+$", re.I
)


def page_range(page: str) -> tuple[int, int] | None:
    """``1030-7`` → (1030, 1037); ``S67`` → (67, 67); ``pages 183-187,`` → (183, 187).

    A spreadsheet's month for a range (``01-Oct`` for 1-10) is read back as the number; a
    count of pages (``215 p``) is no range.
    """
    text = page.strip()
    if _PAGE_COUNT.match(text):
        return None
    month = re.match(r"^(\d+)-([A-Za-z]{3})$", text)
    if month and month.group(2).lower() in _MONTHS:
        text = f"{month.group(1)}-{_MONTHS[month.group(2).lower()]}"
    match = _PAGE_RANGE.match(text)
    if match is None:
        return None
    first = int(match.group(1))
    if not match.group(2):
        return first, first
    last_text = match.group(2)
    last = int(last_text)
    if last < first and len(last_text) < len(match.group(1)):
        head = match.group(1)[: len(match.group(1)) - len(last_text)]
        last = int(head + last_text)
    # A range that ends before it starts has a typo in one end: either may be right.
    return min(first, last), max(first, last)


def expand_pages(page: str) -> str:
    """``1030-7`` → ``1030-1037``, ``S30-1`` → ``S30-S31``: the range written out in full."""
    match = _SHORT_RANGE.match(page.strip())
    if match is None:
        return page.strip()
    prefix, first, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{prefix}{first}-{prefix}{last}"


def normalize_issue(issue: str) -> str:
    """``May`` → ``5``: a monthly's issue may be named by its month."""
    text = issue.strip().lower()
    return str(_MONTHS[text[:3]]) if text[:3] in _MONTHS and text.isalpha() else text


def normalize_pmid(pmid: str) -> str:
    digits = "".join(_DIGITS.findall(pmid))
    return digits.lstrip("0")


# --- containers (journals, proceedings) -------------------------------------------------------

_CONTAINER_STOP = word_set("the of and for in on de des du la le i et und fur")
CONFERENCE = re.compile(
    r"\b(conference|congress|meeting|symposium|proceedings|workshop|abstracts?|suppl\w*)\b",
    re.IGNORECASE,
)


def container_tokens(container: str) -> tuple[str, ...]:
    """Journal words for an abbreviation-aware comparison; parentheses and stopwords dropped.

    ``BMJ (Clinical research ed.)`` → (bmj,); ``Circulation. Conference: AHA`` → (circulation,).
    """
    text = re.split(r"\.\s*Conference\s*:|\s=\s", strip_markup(container), maxsplit=1)[0]
    text = re.sub(r"\([^()]*\)", " ", text)
    return tuple(t for t in fold(text).split() if t not in _CONTAINER_STOP)


def abbreviates(short: Sequence[str], full: Sequence[str]) -> bool:
    """True when each word of one name starts the matching word of the other, in order.

    ``Pediatr Nephrol`` ~ ``Pediatric Nephrology``; ``New Engl J Med`` ~ ``New England Journal
    of Medicine``; but not ``Cancer`` ~ ``Clinical Cancer Research`` (words left over).
    """
    if not short or len(short) != len(full):
        return False
    return all(a.startswith(b) or b.startswith(a) for a, b in zip(short, full, strict=True))


_ORDINAL = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|eleventh|twelfth|\w+teenth|\w+tieth|annual)$"
)


def acronym_of(short: Sequence[str], full: Sequence[str]) -> bool:
    """True when a word of one name is the initials of words in a row of the other, and the
    names agree otherwise (apart from numbers and ordinals: ``IJCAI-81``, ``Seventh``).

    ``Proceedings of IJCAI-81`` ~ ``Proceedings of the Seventh International Joint Conference
    on Artificial Intelligence``; ``JAMA`` ~ ``Journal of the American Medical Association``;
    but not ``MIS Quarterly`` ~ ``Journal of Management Information Systems``, nor ``BMJ`` ~
    ``British Medical Journal Case Reports`` (words left over). Acronyms of three letters or more.
    """
    initials = "".join(word[0] for word in full)
    for word in short:
        if len(word) < 3 or not word.isalpha() or word in full:
            continue
        rest = [w for w in short if w != word]
        start = initials.find(word)
        while start >= 0:
            outside = (*full[:start], *full[start + len(word) :])
            if all(w in full or _ORDINAL.match(w) for w in rest) and all(
                w in short or _ORDINAL.match(w) for w in outside
            ):
                return True
            start = initials.find(word, start + 1)
    return False


# --- publishers -------------------------------------------------------------------------------

_PUBLISHER_STOP = word_set("the press inc publishers publishing publisher verlag academic co ltd")
_PUBLISHER_STOP |= word_set("and of university univ company corporation corp")


def publisher_key(publisher: str) -> str:
    """The publisher's first own word: ``MA: Kluwer.`` and ``Kluwer Academic`` → ``kluwer``."""
    words = fold(publisher.rsplit(":", 1)[-1]).split()
    return next((w for w in words if w not in _PUBLISHER_STOP and not w.isdigit()), "")
