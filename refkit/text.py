"""The one text normalisation every stage uses: folding, months, name particles, pages, tags.

Two values written differently compare equal only if every stage folds them the same way, so
there is one ``fold``, one month table, one particle list and one page expansion, here.
Exports are messy in ways that do not change the work: case, accents, LaTeX and HTML markup,
Greek letters spelled out or not, ``[Review]`` or ``[Spanish]`` tags, a translated title in
brackets, ``1030-7`` page ranges.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- folding ----------------------------------------------------------------------------------

# Letters NFKD does not decompose into an ASCII base letter.
_ASCII = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l"}
    | {"Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i"}
)
_TAG = re.compile(r"</?[a-z][a-z0-9]*\b[^<>]*>", re.IGNORECASE)
_LATEX = re.compile(r"\\[a-zA-Z]+\*?|\\.|[{}$]")


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


def _greek(char: str) -> str:
    """``γ`` → `` gamma ``: databases write Greek letters either way."""
    name = unicodedata.name(char, "")
    if name.startswith("GREEK SMALL LETTER ") or name.startswith("GREEK CAPITAL LETTER "):
        return f" {name.rsplit(' ', 1)[-1].lower()} "
    return char


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Markup, case, accents, punctuation and spacing folded away: for comparing text.

    ``Søren`` → ``soren``, ``β-blocker`` → ``beta blocker``, ``{\\"u}ber`` → ``uber``.
    """
    letters = _without_accents(strip_markup(text).casefold())
    if not letters.isascii():
        letters = "".join(_greek(c) if "\u0370" <= c <= "\u03ff" else c for c in letters)
    return " ".join(re.sub(r"[^\w\s]|_", " ", letters).split())


def ascii_fold(text: str) -> str:
    """``Müller-Łukasz`` → ``Muller-Lukasz``: case and punctuation kept, other letters dropped."""
    return _without_accents(text).encode("ascii", "ignore").decode("ascii")


# --- months -----------------------------------------------------------------------------------

MONTH_ABBREVIATIONS: tuple[str, ...] = tuple(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
)
MONTHS = {name: number for number, name in enumerate(MONTH_ABBREVIATIONS, 1)}
SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}  # CSL's season numbers
_MONTH_WORD = re.compile(
    r"^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$"
)


def month_number(word: str) -> int | None:
    """``March``, ``mar``, ``Sept.`` → 3, 3, 9; None for a word that names no month."""
    text = word.strip().lower()
    return MONTHS[text[:3]] if _MONTH_WORD.match(text) else None


# --- names ------------------------------------------------------------------------------------

# Lower-case words that begin a family name (``van der Berg``, ``Le Gall``, ``al Hashimi``).
PARTICLES = word_set("van von der den de del della di da do du la le dos das ten ter el al bin")
PARTICLES |= word_set("mac st")


# --- pages, volumes, issues -------------------------------------------------------------------

_RANGE = re.compile(r"([A-Za-z]*)(\d+)\s*[-–—]\s*([A-Za-z]*)(\d+)")


def expand_pages(pages: str) -> str:
    """``1421-32`` → ``1421-1432``; ``S12-8`` → ``S12-S18``; ``e1234`` and ``60–`` → as is/60."""
    pages = pages.strip().rstrip("-–—").strip()
    match = _RANGE.fullmatch(pages)
    if match is None:
        return pages.replace("–", "-").replace("—", "-")
    prefix, first, _, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{prefix}{first}-{prefix}{last}"


def first_page(page: str) -> str:
    """``1421-1432`` → ``1421``; ``e0214986`` → ``e0214986``; ``S12-S18`` → ``S12``."""
    return re.split(r"\s*[-–—,]\s*", page.strip(), maxsplit=1)[0] if page.strip() else ""


_DIGITS = re.compile(r"\d+")
# A first page may carry a short prefix (S12, e24, pp. 12, pp 12, pages 12); "Suppl-6" has no
# first page.
_PAGE_RANGE = re.compile(
    r"^\(?(?:pp?\.?\s*(?=\d)|pages?)?\s*[A-Za-z]{0,2}(\d+)\s*(?:[-–—]+\s*[A-Za-z]{0,2}(\d+))?"
)
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
    if month and month.group(2).lower() in MONTHS:
        text = f"{month.group(1)}-{MONTHS[month.group(2).lower()]}"
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


def volume_numbers(volume: str) -> frozenset[str]:
    """The numbers in a volume field (``44 (2 Supplement 1)`` → 44, 2, 1), leading zeros off."""
    return frozenset(n.lstrip("0") or "0" for n in _DIGITS.findall(volume))


def normalize_issue(issue: str) -> str:
    """``May`` → ``5``: a monthly's issue may be named by its month."""
    text = issue.strip().lower()
    return str(MONTHS[text[:3]]) if text[:3] in MONTHS and text.isalpha() else text


# --- titles -----------------------------------------------------------------------------------

# The languages databases name after a translated title: "[Spanish]", "[Article in Chinese]",
# " LA: Chi".
LANGUAGES = word_set(
    "afrikaans arabic bulgarian catalan chinese croatian czech danish dutch english estonian "
    "finnish french german greek hebrew hungarian icelandic indonesian italian japanese korean "
    "latvian lithuanian norwegian persian polish portuguese romanian russian serbian slovak "
    "slovenian spanish swedish thai turkish ukrainian vietnamese"
)
LANGUAGE_TAG = re.compile(
    r"\s*\[(?:article\s+in\s+)?(?:" + "|".join(sorted(LANGUAGES)) + r")"
    r"(?:\s*(?:,|and|&)\s*(?:" + "|".join(sorted(LANGUAGES)) + r"))*"
    r"(?:\s+abstract)?\]\s*\.?\s*$"
    r"|\s+LA:\s*\w+\s*$",
    re.IGNORECASE,
)
# "<ORIGINAL> TITLE IN THE ORIGINAL LANGUAGE", after the English one.
_ORIGINAL = re.compile(r"\s*<ORIGINAL>.*$", re.IGNORECASE | re.DOTALL)
# A retracted or withdrawn article marked as such is still the article.
_MARKED = re.compile(r"^(?:retracted(?:\s+article)?|withdrawn)\s*:\s*", re.IGNORECASE)
# A tag in brackets ("[Review] [42 refs]", "[Erratum appears in ...]"), or one of the
# databases' notes in parentheses: "(Structured abstract)" (DARE), "(author's transl)"
# (MEDLINE's translated titles). Other parentheses are the title's.
_TRAILING_TAG = re.compile(
    r"\s*(?:\[[^\[\]]*\]|\((?:structured\s+abstract|author'?s?'?\s*transl\.?)\))\s*\.?\s*$",
    re.IGNORECASE,
)


def strip_language_tag(title: str) -> str:
    """``Donaciones de sangre. [Spanish]`` → ``Donaciones de sangre.``"""
    return LANGUAGE_TAG.sub("", title)


def clean_title(title: str) -> str:
    """The title without database annotations; a title wholly in brackets (a translation) is
    unwrapped."""
    text = strip_markup(_ORIGINAL.sub("", title)).strip()
    text = strip_language_tag(_MARKED.sub("", text))
    while True:
        trimmed = _TRAILING_TAG.sub("", text)
        if trimmed == text or not trimmed.strip(" .[]"):
            break
        text = trimmed
    text = text.strip().rstrip(".").strip()
    if text.startswith("[") and text.endswith("]") and text.count("[") == 1:
        text = text[1:-1].strip().rstrip(".").strip()
    return text


# Titles that many different works carry; equal titles of this kind say nothing about identity.
GENERIC_TITLES = frozenset(
    """editorial|guest editorial|editorial introduction|introduction|preface|foreword|
    editor s note|editors note|editor s comments|editors comments|editor s comment|
    from the editor|from the editors|letter from the editor|
    letter to the editor|commentary|comment|reply|response|erratum|correction|corrigendum|
    book review|book reviews|review|in this issue|index|author index|subject index|
    reviewers|acknowledgement|acknowledgements|acknowledgment|acknowledgments|announcement|
    announcements|news|abstracts|contents|table of contents|front matter|back matter|
    call for papers|editorial board|issue information|masthead|obituary|conclusion|
    conclusions|overview|notes on contributors|about the authors|discussion|letter|
    letters|summary|abstract|introduction to the special issue|special issue introduction|
    editorial comment|invited commentary|retraction|retraction notice|untitled|opinion|
    poster abstracts|oral abstracts|meeting abstracts|editorial statement|errata""".replace(
        "\n", ""
    )
    .replace("    ", "")
    .split("|")
)


def is_generic_title(folded: str) -> bool:
    """True for a folded title that many different works carry (``editorial``)."""
    return folded in GENERIC_TITLES
