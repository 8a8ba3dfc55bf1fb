"""The one judge of "the same work?": evidence and vetoes, used by dedupe, by the Crossref
candidate check and by ``--against``.

A false merge silently loses a study, so the decision is built to fail safe:

* **Vetoes** (guards) forbid a merge outright, whatever else agrees: conflicting DOIs or
  PMIDs; an erratum, correction, reply or retraction notice against the article; ``Part I``
  against ``Part II``; years more than one apart; volumes or page ranges that cannot be the
  same; a conference abstract against a journal article in another venue; titles that do not
  agree (unless an identifier, or the same pages of one issue by the same authors, says they
  are one work: a translated title); a generic title (``Editorial``, ``Editor's comments``)
  without the same volume, issue and first page; a part (chapter, paper) against the whole
  (book); a technical report against the paper it became. Pages are not the print pagination
  when an article ahead of print has its own (no volume, pages from 1), an export moved the
  fields up one, or a range lost its dash (``4348`` for 43-48); a volume that repeats the year
  is no volume; one DOI with one title outweighs a page or volume typo.
* Otherwise each field adds or removes **points** (log-odds, as in record linkage): an equal
  title counts for much, an equal year for little, a missing field for nothing. A generic title
  counts for nothing. The points become a score in (0, 1), and a pair is the same work when the
  score reaches the threshold (``DEFAULT_THRESHOLD``: 8 points).
* A shared DOI or PMID is strong evidence, not proof: supplements put many abstracts under one
  DOI, so the titles must still agree.
* Variants that are the same: case, accents, markup, Greek letters, language tags
  (``[Spanish]``), bracketed translated titles, name order and particles (``Le Gall, M.``,
  ``Le, Gall M.``, ``Gall, M.``), abbreviated journals, short page ranges.

Which switchable vetoes are on, and the threshold, were chosen leave-one-dataset-out on the
labelled duplicate sets (``Rules``; ``benchmarks/dedupe_accuracy.py``). A veto on other issue
numbers of one volume is off: in several biomedical exports the issue field holds other numbers
(record numbers, pages), and held out it cost recall without gaining precision.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import fuzz

from refkit.identifiers import normalize_doi, normalize_pmid
from refkit.model import Citation, Name
from refkit.text import (
    PARTICLES,
    clean_title,
    fold,
    is_generic_title,
    normalize_issue,
    page_range,
    strip_markup,
    volume_numbers,
    word_set,
)

_T = TypeVar("_T")

# --- titles: notices, parts, a reference in the title field -----------------------------------

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


# --- names ---------------------------------------------------------------------------------------

_NOT_NAMES = word_set("and et al others jr sr ii iii")


def _words(text: str) -> list[str]:
    return [w for w in fold(text).split() if len(w) > 1 and w not in _NOT_NAMES]


_PERSON_END = re.compile(r",|;|&|\band\b", re.IGNORECASE)


def _given_first_surname(text: str) -> list[str]:
    """``John Ross Quinlan, ...`` → [quinlan]; nothing when the first person ends in an initial
    (``Quinlan J. R.``, EndNote's ``Arakawa M.Mita T.``) or is one word (``Zhai, Q.``)."""
    words = fold(_PERSON_END.split(text, maxsplit=1)[0]).split()
    if len(words) < 2 or len(words[-1]) < 2 or words[-1] in _NOT_NAMES:
        return []
    return [words[-1]]


def name_tokens(names: Sequence[Name]) -> tuple[frozenset[str], frozenset[str]]:
    """(every surname-like word, the words that may be the first author's surname).

    For structured names the surname is known; for a raw string the first author's surname is
    one of its first two words (``Zhai, Q.`` or ``B. Abrahao``, ``Abrahao, Bruno``), or the
    last word of a first name written given names first (``John Ross Quinlan and ...``).
    """
    if not names:
        return frozenset(), frozenset()
    words: list[str] = []
    first: list[str] = []
    for position, name in enumerate(names):
        if name.literal:
            found = _words(name.literal)
            surnames = [w for w in found if w not in PARTICLES] or found
            words.extend(surnames)
            if position == 0:
                first = [*surnames[:2], *_given_first_surname(name.literal)]
        else:
            found = _words(name.family) or _words(name.given)
            if found and all(w in PARTICLES for w in found):
                # ``Le, Gall M.``: the particle was taken for the whole family name.
                found = [*found, *_words(name.given)[:1]]
            surnames = [w for w in found if w not in PARTICLES] or found
            words.extend(surnames)
            if position == 0:
                first = surnames[:1]
    return frozenset(words), frozenset(first)


# --- the profile ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Profile:
    """Everything dedupe compares, normalised once per citation."""

    title: str  # folded, annotations and notice prefix removed
    main_title: str  # the title before a colon (its subtitle dropped), folded; "" if none
    notice: str
    part: str
    generic: bool
    names: frozenset[str]  # surname-like tokens of every author
    first_author: frozenset[str]  # tokens that may be the first author's surname
    year: int | None
    volume: frozenset[str]
    issue_numbers: frozenset[str]
    pages: tuple[int, int] | None
    issue: str
    container: tuple[str, ...]
    publisher: str
    conference: bool
    doi: str
    pmid: str
    registration: str  # the NCT id of a trial registration entry
    kind: str  # "part" (chapter, paper), "book", "report", "thesis" or "" (any other)


def profile(citation: Citation) -> Profile:
    """What dedupe compares of ``citation``."""
    title, authors, year = _title_and_authors(citation)
    title = clean_title(title)
    notice = notice_kind(title)
    if notice:
        title = NOTICE.sub("", title, count=1)
    folded = fold(title)
    names, first = name_tokens(authors)
    venue = " ".join((citation.container_title, citation.volume, citation.issue, citation.genre))
    return Profile(
        title=folded,
        main_title=fold(title.split(":", 1)[0]) if ":" in title else "",
        notice=notice,
        part=part_number(title),
        generic=is_generic_title(folded),
        names=names,
        first_author=first,
        year=citation.issued.year if citation.issued else year,
        volume=volume_numbers(citation.volume),
        issue_numbers=volume_numbers(citation.issue),
        pages=page_range(citation.page) if citation.page else None,
        issue=normalize_issue(citation.issue),
        container=container_tokens(citation.container_title or citation.collection_title),
        publisher=publisher_key(citation.publisher),
        conference=citation.type == "paper-conference" or bool(CONFERENCE.search(venue)),
        doi=normalize_doi(citation.doi) if citation.doi else "",
        pmid=normalize_pmid(citation.pmid),
        registration=citation.number.upper() if citation.type == "report" else "",
        kind=_kind(citation, venue),
    )


_PARTS = frozenset({"chapter", "paper-conference", "entry", "entry-dictionary"})
_PARTS |= {"entry-encyclopedia"}
_REPORT = re.compile(r"\btech(?:nical|\.)?[\s-]*rep(?:ort|\.)?|\bworking\s+paper\b", re.I)
_THESIS = re.compile(r"\b(?:ph\.?\s*d|thesis|dissertation)\b", re.I)


def _kind(citation: Citation, venue: str) -> str:
    """What sort of work: a part of a book or proceedings, a book, a report or a thesis."""
    if citation.type in _PARTS:
        return "part"
    if citation.type == "book":
        return "book"
    if citation.type == "thesis" or _THESIS.search(citation.genre):
        return "thesis"
    notes = " ".join((citation.genre, citation.note, citation.container_title))
    if citation.type == "report" or _REPORT.search(notes):
        return "report"
    return ""


def _title_and_authors(citation: Citation) -> tuple[str, Sequence[Name], int | None]:
    """The title, authors and year, where a citation string was split into the wrong fields.

    A title field holding ``Quinlan (1993) "Title"`` gives its title, and its names lead the
    authors; a title-less record whose author field reads ``Title. By Names`` gives both.
    """
    authors: Sequence[Name] = citation.author or citation.editor
    title, names, year = title_with_citation(citation.title)
    if names:
        return title, (Name(literal=names), *authors), year
    if not title and len(authors) == 1 and authors[0].literal:
        title, names = title_before_authors(authors[0].literal)
        if title:
            return title, (Name(literal=names),), None
    return title, authors, None


# --- the verdict -----------------------------------------------------------------------------

DEFAULT_THRESHOLD = 0.5
POINTS_AT_HALF = 8.0  # the points at which the score is 0.5
SAME_TITLE = 97  # rapidfuzz ratio at which two folded titles are the same
PLACE_POINTS = 4.0  # the same pages of the same volume of one journal, by the same authors


@dataclass(frozen=True, slots=True)
class Rules:
    """The vetoes that can be switched, and the threshold; the defaults are the ones chosen on
    held-out data (``benchmarks/dedupe_accuracy.py``, leave-one-dataset-out)."""

    threshold: float = DEFAULT_THRESHOLD
    title_veto: float = 0.5  # titles less similar than this are other works (0: no veto)
    issue_veto: bool = False  # other issue numbers of one volume (off: see below)
    generic_needs_place: bool = True  # "Editorial" needs the same volume, issue and pages
    kind_veto: bool = True  # a part against its whole, a report against a paper

    def variants(self) -> list[Rules]:
        """Every setting of the switches at three thresholds: what held-out tuning picks from."""
        found = []
        for threshold in (0.3, 0.5, 0.7):
            for title_veto in (0.0, 0.5, 0.6, 0.7):
                for issue_veto in (False, True):
                    for generic in (False, True):
                        for kind in (False, True):
                            found.append(Rules(threshold, title_veto, issue_veto, generic, kind))
        return found


RULES = Rules()


@dataclass(frozen=True, slots=True)
class Verdict:
    """How a pair compares: the score, the rule that decided, and each field's part."""

    score: float
    rule: str  # "doi" | "pmid" | "fuzzy"
    guard: str  # why a merge is vetoed; "" when none is
    fields: dict[str, float]

    def same_work(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        return not self.guard and self.score >= threshold


def guard(a: Profile, b: Profile, rules: Rules = RULES) -> str:
    """Why these two can never be the same work; "" when nothing forbids it.

    One DOI and one title outweigh a page or volume that disagrees: that is a typo
    (``1428`` for ``i428``), where a shared DOI with another title is a supplement's.
    """
    if veto := identity_guard(a, b):
        return veto
    if a.doi and a.doi == b.doi and a.title and fuzz.ratio(a.title, b.title) >= SAME_TITLE:
        return ""
    return field_guard(a, b, rules) or title_guard(a, b, rules)


def title_guard(a: Profile, b: Profile, rules: Rules = RULES) -> str:
    """Titles that disagree are other works, unless a PMID or the same place (the same pages of
    one issue, by the same authors: a translated title) says they are one."""
    if not rules.title_veto or not a.title or not b.title or a.generic or b.generic:
        return ""
    if a.pmid and a.pmid == b.pmid:
        return ""  # a PMID names one article; a DOI may be a whole supplement's
    similarity, _ = title_points(a, b)
    if similarity >= rules.title_veto or _title_contained(a, b):
        return ""
    if same_place(a, b) and author_points(a, b)[1] >= 1.5:
        return ""
    return "different titles"


def _title_contained(a: Profile, b: Profile) -> bool:
    """One title cut short, or carrying a translation or a subtitle the other lacks."""
    if min(len(a.title), len(b.title)) >= 30 and fuzz.partial_ratio(a.title, b.title) >= 97:
        return True
    return _subtitle_dropped(a, b) or _subtitle_dropped(b, a)


def identity_guard(a: Profile, b: Profile) -> str:
    """Different identifiers, or a notice or another part of a series: never the same work."""
    if a.doi and b.doi and a.doi != b.doi:
        return "different DOIs"
    if a.pmid and b.pmid and a.pmid != b.pmid:
        return "different PMIDs"
    if a.registration != b.registration and (a.registration or b.registration):
        return "a trial registration against another item"
    if a.notice != b.notice:
        return "a notice (erratum, reply, retraction...) against another item"
    if a.part != b.part and a.part and b.part:
        return "different parts"
    return ""


def field_guard(a: Profile, b: Profile, rules: Rules = RULES) -> str:
    """Years, volumes, pages or venues that cannot belong to one work (unless one is a typo)."""
    if a.year is not None and b.year is not None and abs(a.year - b.year) > 1:
        return "years apart"
    if a.volume and b.volume and not _volumes_may_agree(a, b):
        return "different volumes"
    if _pages_conflict(a, b):
        return "different pages"
    if _conference_against_journal(a, b) or _conference_against_journal(b, a):
        return "a conference abstract against a journal article"
    if rules.issue_veto and _issues_conflict(a, b):
        return "different issues"
    if rules.generic_needs_place and (a.generic or b.generic) and not _same_issue_and_pages(a, b):
        return "a generic title (Editorial...) without the same volume, issue and pages"
    if rules.kind_veto and (veto := _kind_guard(a, b)):
        return veto
    return ""


def _issues_conflict(a: Profile, b: Profile) -> bool:
    """Other issue numbers of the same volume (an export that moved the fields is no conflict)."""
    if not _plain_issue(a) or not _plain_issue(b) or a.issue_numbers == b.issue_numbers:
        return False
    if not a.volume or not b.volume or not a.volume & b.volume or not a.pages or not b.pages:
        return False
    return not (_shifted(a, b) or _shifted(b, a))


def _plain_issue(item: Profile) -> bool:
    """One issue number of one or two digits: exports often put a page or a run-together range
    (``1113`` for 11-13) in the issue field, and those say nothing."""
    return len(item.issue_numbers) == 1 and all(len(n) <= 2 for n in item.issue_numbers)


def _same_issue_and_pages(a: Profile, b: Profile) -> bool:
    """The same first page, and the same volume and issue where both give them."""
    if not a.pages or not b.pages or a.pages[0] != b.pages[0]:
        return False
    if a.volume and b.volume and not a.volume & b.volume:
        return False
    return not (a.issue and b.issue and a.issue != b.issue)


def _kind_guard(a: Profile, b: Profile) -> str:
    """A chapter or paper is not the book it is in; a report is not the paper it became."""
    kinds = {a.kind, b.kind}
    if kinds == {"part", "book"}:
        return "a part (chapter, paper) against the whole (book)"
    if "report" in kinds and len(kinds) == 2 and "thesis" not in kinds:
        other = b if a.kind == "report" else a
        if other.kind == "part" or other.conference or other.volume:
            return "a report against a published paper"
    return ""


def _conference_against_journal(meeting: Profile, article: Profile) -> bool:
    """A meeting item against a journal article (it has a volume) in another venue."""
    if not meeting.conference or article.conference or not article.volume:
        return False
    return 0 <= container_similarity(meeting, article) < 0.5


def _volumes_may_agree(a: Profile, b: Profile) -> bool:
    """Exports split ``55 (Suppl. 1)`` badly (volume ``1)``), so an issue number may stand in;
    and some put the year in the volume field, where the other has the volume."""
    if _volume_is_year(a) != _volume_is_year(b):
        return True
    return bool(a.volume & (b.volume | b.issue_numbers) or b.volume & (a.volume | a.issue_numbers))


def _volume_is_year(item: Profile) -> bool:
    return len(item.volume) == 1 and item.year is not None and str(item.year) in item.volume


def _pages_conflict(a: Profile, b: Profile) -> bool:
    """Page ranges that cannot hold one work, unless one is not the print pagination."""
    if not a.pages or not b.pages:
        return False
    if a.pages[1] >= b.pages[0] and b.pages[1] >= a.pages[0]:
        return False  # the ranges overlap
    if _run_together(a, b) or _run_together(b, a):
        return False
    return not (_online_first(a) or _online_first(b) or _shifted(a, b) or _shifted(b, a))


def _run_together(single: Profile, span: Profile) -> bool:
    """A range that lost its dash: ``pages 4348`` for 43-48."""
    first, last = single.pages or (0, -1)
    start, end = span.pages or (0, 0)
    return first == last and start < end and str(first) == f"{start}{end}"


def _online_first(item: Profile) -> bool:
    """A journal article ahead of print: no volume yet, its own pages from 1."""
    return not item.volume and not item.conference and item.pages is not None and item.pages[0] == 1


def _shifted(short: Profile, full: Profile) -> bool:
    """An export that lost the volume and moved the next fields up: issue 26, page 9 for
    volume 26, issue 9."""
    if short.volume or not short.issue_numbers or short.issue_numbers != full.volume:
        return False
    first, last = short.pages or (0, -1)
    return first == last and {str(first)} == full.issue_numbers


def container_similarity(a: Profile, b: Profile) -> float:
    """1.0 for the same journal, abbreviated or not; 0.9 for a venue and its acronym; -1.0 when
    either is unknown."""
    if not a.container or not b.container:
        return -1.0
    if a.container == b.container or abbreviates(a.container, b.container):
        return 1.0
    if acronym_of(a.container, b.container) or acronym_of(b.container, a.container):
        return 0.9  # one venue named by its acronym in one, in full in the other
    return float(fuzz.token_set_ratio(" ".join(a.container), " ".join(b.container))) / 100


def title_points(a: Profile, b: Profile) -> tuple[float, float]:
    """(similarity, points). Containment counts for truncated or translated-suffix titles."""
    # A book cited without a title often has its name in the container field instead.
    if not a.title and not b.title and a.container and container_similarity(a, b) >= 0.9:
        return 1.0, 4.0
    if _named_in_container(a, b) or _named_in_container(b, a):
        return 1.0, 4.0
    if not a.title or not b.title:
        return -1.0, 0.0
    similarity = fuzz.ratio(a.title, b.title) / 100
    shorter = min(len(a.title), len(b.title))
    if a.generic or b.generic:
        return similarity, 0.0 if similarity >= 0.97 else -6.0
    if a.title == b.title and shorter < 25:
        return similarity, 4.5  # a short title, letter for letter
    if similarity >= 0.97:
        return similarity, 7.0 if shorter >= 50 else 6.0 if shorter >= 25 else 4.0
    if similarity >= 0.92:
        return similarity, 4.5
    if shorter >= 30 and fuzz.partial_ratio(a.title, b.title) >= 97:
        return similarity, 3.5  # one is cut short, or carries a translation
    if _subtitle_dropped(a, b) or _subtitle_dropped(b, a):
        return similarity, 3.5
    if similarity >= 0.85:
        return similarity, 2.5
    return similarity, -2.0 if similarity >= 0.7 else -6.0 if similarity >= 0.5 else -10.0


def titles_alike(a: Profile, b: Profile) -> bool:
    """Two titles a reader would take for one (for showing which look-alikes a veto kept
    apart, not for deciding)."""
    return bool(a.title and b.title) and fuzz.ratio(a.title, b.title) >= 90


def _named_in_container(untitled: Profile, titled: Profile) -> bool:
    """``Machine Learning of Inductive Bias. Hingham,`` as the container of a title-less
    record, against the book of that title."""
    if untitled.title or not untitled.container or len(titled.title) < 20:
        return False
    words = " ".join(container_tokens(titled.title))
    return fuzz.partial_ratio(words, " ".join(untitled.container)) >= SAME_TITLE


def _subtitle_dropped(full: Profile, short: Profile) -> bool:
    """``Unilateral neglect in stroke: a comparative study`` cited as its main title."""
    return full.main_title == short.title and short.title.count(" ") >= 2


def author_points(a: Profile, b: Profile) -> tuple[float, float]:
    if not a.names or not b.names:
        return -1.0, 0.0
    overlap = len(a.names & b.names) / min(len(a.names), len(b.names))
    first = bool(a.first_author & b.first_author)
    if a.names == b.names and len(a.names) >= 2 and first:
        return overlap, 3.0  # the same list of several authors
    if overlap >= 0.75 and first:
        return overlap, 2.5
    if overlap >= 0.5:
        return overlap, 1.5
    if overlap < 0.25 and not first:
        return overlap, -4.0
    return overlap, 0.0


def same_place(a: Profile, b: Profile) -> bool:
    """The same multi-page range of the same volume and year of one journal or book.

    Not for meeting abstracts: a supplement's page range is often given for all of them.
    """
    if not a.pages or a.pages != b.pages or a.pages[0] == a.pages[1]:
        return False
    if a.conference or b.conference or a.year != b.year:
        return False
    if (a.volume or b.volume) and not a.volume & b.volume:
        return False
    if _plain_issue(a) and _plain_issue(b) and a.issue_numbers != b.issue_numbers:
        return False  # other issues: the pages are another issue's
    return container_similarity(a, b) >= 0.9


def compare(a: Profile, b: Profile, rules: Rules = RULES) -> Verdict:
    """Score a pair; ``Verdict.same_work()`` says whether to merge it."""
    veto = guard(a, b, rules)
    if veto:
        return Verdict(0.0, "fuzzy", veto, {})
    fields: dict[str, float] = {}
    fields["title"], title = title_points(a, b)
    fields["authors"], authors = author_points(a, b)
    points = title + authors
    if authors >= 1.5 and same_place(a, b):
        # A translated or retitled work in its own place: the title may differ.
        fields["place"] = 1.0
        points += PLACE_POINTS - min(title, 0.0)
    points += _bibliographic_points(a, b, fields)
    rule = "fuzzy"
    if a.doi and a.doi == b.doi:
        rule, points = "doi", points + 6.0
    elif a.pmid and a.pmid == b.pmid:
        rule, points = "pmid", points + 6.0
    fields["points"] = points
    score = 1.0 / (1.0 + math.exp(POINTS_AT_HALF - points))
    return Verdict(round(score, 4), rule, "", fields)


def _bibliographic_points(a: Profile, b: Profile, fields: dict[str, float]) -> float:
    points = 0.0
    if a.year is not None and b.year is not None:
        fields["year"] = float(a.year == b.year)
        points += 1.0 if a.year == b.year else -1.5
    if a.volume and b.volume:
        fields["volume"] = float(bool(a.volume & b.volume))
        points += 1.5 if a.volume & b.volume else 0.0
    if a.pages and b.pages:
        fields["page"] = float(a.pages[0] == b.pages[0])
        points += 2.0 if a.pages[0] == b.pages[0] else 0.0
    if a.issue and b.issue:
        fields["issue"] = float(a.issue == b.issue)
        points += 0.5 if a.issue == b.issue else -0.5
    if a.publisher and a.publisher == b.publisher:
        fields["publisher"] = 1.0
        points += 1.0
    container = container_similarity(a, b)
    if container >= 0:
        fields["container"] = round(container, 3)
        points += 1.0 if container >= 0.9 else -1.5 if container < 0.5 else 0.0
    return points
