"""A grammar for NLM / Vancouver (PubMed) citations and the AMA, Lancet and BMJ variants.

``Authors. Title. Journal. Date;Volume(Issue):Pages. doi: … Epub … PMID: … PMCID: …``

The anchor is the source block ``Date;Volume(Issue):Pages``: it is searched first (one
compiled pattern, cheap to reject), then the journal is the sentence before it and the head
before that splits into authors and title. Strings without a journal source go to the book,
chapter and conference grammar (``refkit.parse.nlm_book``). ``parse_nlm`` returns None when
the string has none of these shapes, and a confidence below ``CONFIDENT`` when it has the
shape but something in it looks like another style.
"""

from __future__ import annotations

import re
from typing import Any

from refkit.model import ET_AL, Citation
from refkit.parse.names import is_nlm_author_list, parse_authors, split_head
from refkit.parse.nlm_book import book_fields
from refkit.parse.patterns import DATE, MONTH, PAGES, YEAR, expand_pages, parse_date

__all__ = ["CONFIDENT", "cut_author_list", "expand_pages", "parse_date", "parse_nlm"]

CONFIDENT = 0.8
_SUPPL = r"(?:Suppl|Spec No|Pt|Part)\.?(?:\s*[\w-]+)?"
# Date;Volume(Issue):Pages, ending where a sentence, a ";" (quiz, erratum) or the string ends.
_SOURCE = re.compile(
    rf"{DATE}\s*;\s*"
    rf"(?P<volume>[A-Za-z]{{0,4}}\d(?:[\w/-]|\.\w)*(?:\s+{_SUPPL})?|{_SUPPL})?"
    r"\s*(?:\((?P<issue>[^()]{1,40})\))?"
    rf"(?:\s*:\s*(?P<page>{PAGES}))?"
    r"(?=\s*[.;,]|\s*$|\s+(?:doi|DOI|https?:|\[))"
)
# The same parts in other orders: "Biometrika, 1986, 73:13-22.", "Journal. 2013. 5(7): 25-8" and
# the meeting-abstract "J Clin Oncol 23 (Suppl 16): A-7063, 636s, 2005."; tried only when the
# usual order is absent. Each starts with the stop before the journal (matched, not looked
# behind at: a pattern that starts with a character class lets the search skip ahead to the
# next stop), and comes with text it cannot match without (the year after ", " or ". ", an
# issue's "("), tested first.
_OTHER_SOURCES = (
    (
        re.compile(
            rf"[.?!] (?P<journal>[^.,;]+), {DATE}, (?P<volume>\d[\w-]*)"
            rf"(?:\s*\((?P<issue>[^()]+)\))?\s*:\s*(?P<page>{PAGES})(?=\s*\.|\s*$)"
        ),
        (", 1", ", 2"),
    ),
    (
        re.compile(
            rf"[.?!] (?P<journal>[^.;]+)\. {DATE}\. (?P<volume>\d[\w-]*)"
            rf"(?:\s*\((?P<issue>[^()]+)\))?\s*:\s*(?P<page>{PAGES})(?=\s*\.|\s*$)"
        ),
        (". 1", ". 2"),
    ),
    (
        re.compile(
            rf"[.?!\]] (?P<journal>[^.,;\[\]]+?) (?P<volume>\d+)(?:\s*\((?P<issue>[^()]+)\))?"
            rf"\s*:\s*(?P<page>[\w-]+(?:, [\w-]+)*), {DATE}\.?$"
        ),
        (": ", "):"),
    ),
)
_QUOTED_ENDS = ('." ', ".” ", '?" ', "?” ", '!" ', "!” ")
_CUT_OFF = re.compile(r"\s*(?:\.{3}|…)$")
_MARKER_END = re.compile(r"(?<=\.)\s*\[[^\]]*\]\s*$")
_NUMBERING = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}[.)])\s+(?=\S)")
_EPUB = re.compile(rf"\bEpub(?: ahead of print)?(?: {YEAR}(?: {MONTH}(?: \d{{1,2}})?)?)?")
_ECOLLECTION = re.compile(rf"\beCollection {YEAR}(?: {MONTH}(?: \d{{1,2}})?)?")
_LINKED = re.compile(
    r"\b(?:Erratum|Comment|Retraction|Retracted|Update|Corrected and republished|Republished"
    r"|Expression of concern|Summary for patients)\s+(?:in|for|of|from)\s*:\s*",
    re.IGNORECASE,
)
# What every _LINKED phrase holds, case aside: a cheap test before the full pattern.
_LINKED_HINT = re.compile("rratum|omment|etract|pdate|epublished|oncern|ummary")
_DOTTED_END = re.compile(r"\b[A-Z][a-z]{0,3}\. [A-Z][a-z]{0,4}$")
_REVIEW = re.compile(r"(?:^|\.\s)Review\.?(?=\s|$)")
_TAIL_END = re.compile(r"(?:\s+(?:PMID|PMCID|doi)\s*:|\s+Epub\b|$)")
LANGUAGES = {
    "Chinese": "zh",
    "French": "fr",
    "German": "de",
    "Spanish": "es",
    "Italian": "it",
    "Japanese": "ja",
    "Russian": "ru",
    "Portuguese": "pt",
    "Polish": "pl",
    "Dutch": "nl",
    "Korean": "ko",
    "Turkish": "tr",
    "Czech": "cs",
    "Hungarian": "hu",
    "Danish": "da",
    "Swedish": "sv",
    "Norwegian": "no",
    "Finnish": "fi",
    "Hebrew": "he",
    "Persian": "fa",
    "Greek": "el",
}


def _tail_notes(tail: str) -> tuple[list[str], str]:
    """Notes (``Epub …``, ``Erratum in: …``, ``Review``) and the language code of the tail."""
    notes: list[str] = []
    if "Epub" in tail:
        epub = _EPUB.search(tail)
        if epub is not None:
            notes.append(epub.group(0))
    if "eCollection" in tail:
        ecollection = _ECOLLECTION.search(tail)
        if ecollection is not None:
            notes.append(ecollection.group(0))
    for linked in _LINKED.finditer(tail) if _LINKED_HINT.search(tail) else ():
        end = _TAIL_END.search(tail, linked.end())
        stop = end.start() if end is not None else len(tail)
        following = _LINKED.search(tail, linked.end())
        if following is not None:
            stop = min(stop, following.start())
        notes.append(tail[linked.start() : stop].strip().rstrip(".;").strip())
    if "Review" in tail and _REVIEW.search(tail):
        notes.append("Review")
    language = LANGUAGES.get(tail.rstrip(". ").rpartition(" ")[2], "")  # "… 2041-4. Chinese."
    return [note.rstrip(".;: ") for note in notes], language


def _first_digit(text: str) -> int:
    """Where a year can first start (its ``1`` or ``2``): ``str.find`` gets there faster than
    the pattern's own scan."""
    ones, twos = text.find("1"), text.find("2")
    return max(0, min(ones, twos) if ones >= 0 and twos >= 0 else max(ones, twos))


def _find_source(text: str) -> tuple[re.Match[str], int, int] | None:
    """The source block, where its journal starts and where the journal ends."""
    for source in _SOURCE.finditer(text, _first_digit(text)) if ";" in text else ():
        before = text[: source.start()].rstrip()
        end = len(before) - 1 if before.endswith(".") else len(before)
        start = max(before.rfind(". ", 0, end), before.rfind("? ", 0, end))
        start = max(start, before.rfind("! ", 0, end)) + 1
        if " ." in before:  # OCR spacing: "Title .J Neurophysiol. 2004;"
            start = max(start, before.rfind(" .", 0, end) + 2)
        if '" ' in before or "” " in before:  # "Title." Journal 1998;9:73-8
            start = max(start, *(before.rfind(q, 0, end) + 2 for q in _QUOTED_ENDS))
        journal = before[start:end].strip()
        if journal and len(journal) <= 160 and not journal.endswith((",", ";", ":")):
            return source, start, end
    for pattern, needed in _OTHER_SOURCES:
        other = pattern.search(text) if any(part in text for part in needed) else None
        if other is not None:
            return other, other.start("journal"), other.end("journal")
    return None


def _confidence(nlm_authors: bool, title: str, journal: str, source: re.Match[str]) -> float:
    score = 0.95
    if not nlm_authors:
        score -= 0.15
    if not title:
        score -= 0.2
    if not (source["volume"] or source["page"]):
        score -= 0.15
    if "." in journal or _DOTTED_END.search(title[-12:]):
        score -= 0.3  # "J. Clin. Oncol." split at an abbreviation's dot: another style
    return round(score, 2)


def parse_nlm(text: str) -> Citation | None:
    """The citation if ``text`` is an NLM/Vancouver citation (journal, book, chapter), else None."""
    fields = nlm_fields(text)
    return Citation(**fields) if fields is not None else None


def nlm_fields(text: str) -> dict[str, Any] | None:
    """``parse_nlm``'s fields as ``Citation`` keyword arguments (built once by the caller)."""
    text = _NUMBERING.sub("", text, count=1)
    found = _find_source(text)
    if found is None:
        return book_fields(text)
    source, start, end = found
    head = text[:start]
    authors_text, title = split_head(_MARKER_END.sub("", head) if "] " in head else head)
    authors = parse_authors(authors_text)
    if title[:1] in '"“' and title[-1:] in '"”':
        title = title[1:-1].strip().removesuffix(".").strip()  # "Title." as some print it
    volume, issue = (source["volume"] or "").strip(), (source["issue"] or "").strip()
    if (not issue and " " in volume) or volume.startswith(("Suppl", "Spec")):
        volume, _, supplement = volume.partition(" ") if volume[0].isdigit() else ("", "", volume)
        issue = supplement.strip()
    notes, language = _tail_notes(text[source.end() :]) if source.end() < len(text) else ([], "")
    journal = text[start:end].strip()
    return {
        "type": "article-journal",
        "title": title,
        "author": authors.names,
        "container_title": journal,
        "issued": parse_date(source["year"], source["month"], source["day"]),
        "volume": volume,
        "issue": issue,
        "page": expand_pages(source["page"]) if source["page"] else "",
        "language": language,
        "note": "\n".join(notes),
        "warnings": (ET_AL,) if authors.truncated else (),
        "confidence": _confidence(authors.nlm, title, journal, source),
    }


def cut_author_list(text: str) -> dict[str, Any] | None:
    """``Ostergaard L, Silfverdal SA...``: a registry string cut off after its NLM names.

    The names are read exactly; there is nothing else to read, so the model is not asked.
    """
    cut = _CUT_OFF.search(text) if text.endswith((".", "…")) else None
    if cut is None or not is_nlm_author_list(text[: cut.start()]):
        return None
    authors = parse_authors(text[: cut.start()])
    warnings = ["cut off after the author list: no title or year"]
    if authors.truncated:
        warnings.append(ET_AL)
    return {
        "type": "document",
        "author": authors.names,
        "confidence": 0.25,
        "warnings": tuple(warnings),
    }
