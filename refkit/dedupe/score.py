"""Is this pair the same work? Guards first, then weighed field agreement.

A false merge silently loses a study, so the decision is built to fail safe:

* **Guards** veto a merge outright, whatever else agrees: conflicting DOIs or PMIDs; an erratum,
  correction, reply or retraction notice against the article; ``Part I`` against ``Part II``;
  years more than one apart; volumes or page ranges that cannot be the same; a conference
  abstract against a journal article in another venue. Pages are not the print pagination
  when an article ahead of print has its own (no volume, pages from 1), an export moved the
  fields up one, or a range lost its dash (``4348`` for 43-48); a volume that repeats the year
  is no volume; one DOI with one title outweighs a page or volume typo.
* Otherwise each field adds or removes **points** (log-odds, as in record linkage): an equal
  title counts for much, an equal year for little, a missing field for nothing. A generic title
  (``Editorial``) counts for nothing. The points become a score in (0, 1), and a pair is the
  same work when the score reaches the threshold (``DEFAULT_THRESHOLD``: 8 points).
* A shared DOI or PMID is strong evidence, not proof: supplements put many abstracts under one
  DOI, so the titles must still agree.
* The same page range of the same volume of one journal or book is nearly as strong: two works
  cannot fill the same pages, so by the same authors there a translated or retitled title does
  not count against the pair (``same_place``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz import fuzz

from refkit.dedupe.keys import Profile
from refkit.dedupe.normalize import abbreviates, acronym_of, container_tokens

DEFAULT_THRESHOLD = 0.5
POINTS_AT_HALF = 8.0  # the points at which the score is 0.5
SAME_TITLE = 97  # rapidfuzz ratio at which two folded titles are the same
PLACE_POINTS = 4.0  # the same pages of the same volume of one journal, by the same authors


@dataclass(frozen=True, slots=True)
class Verdict:
    """How a pair compares: the score, the rule that decided, and each field's part."""

    score: float
    rule: str  # "doi" | "pmid" | "fuzzy"
    guard: str  # why a merge is vetoed; "" when none is
    fields: dict[str, float]

    def same_work(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        return not self.guard and self.score >= threshold


def guard(a: Profile, b: Profile) -> str:
    """Why these two can never be the same work; "" when nothing forbids it.

    One DOI and one title outweigh a page or volume that disagrees: that is a typo
    (``1428`` for ``i428``), where a shared DOI with another title is a supplement's.
    """
    if veto := identity_guard(a, b):
        return veto
    if a.doi and a.doi == b.doi and a.title and fuzz.ratio(a.title, b.title) >= SAME_TITLE:
        return ""
    return field_guard(a, b)


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


def field_guard(a: Profile, b: Profile) -> str:
    """Years, volumes, pages or venues that cannot belong to one work (unless one is a typo)."""
    if a.year is not None and b.year is not None and abs(a.year - b.year) > 1:
        return "years apart"
    if a.volume and b.volume and not _volumes_may_agree(a, b):
        return "different volumes"
    if _pages_conflict(a, b):
        return "different pages"
    if _conference_against_journal(a, b) or _conference_against_journal(b, a):
        return "a conference abstract against a journal article"
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
    return container_similarity(a, b) >= 0.9


def compare(a: Profile, b: Profile) -> Verdict:
    """Score a pair; ``Verdict.same_work()`` says whether to merge it."""
    veto = guard(a, b)
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
