"""A comparable profile of each citation, and blocking: which pairs are worth scoring.

A ``Profile`` holds every field dedupe compares, normalised once per citation (``normalize``,
``names``), so that scoring a pair is cheap and blocking keys are exact strings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from refkit.dedupe.names import name_tokens
from refkit.dedupe.normalize import (
    CONFERENCE,
    GENERIC_TITLES,
    NOTICE,
    clean_title,
    container_tokens,
    fold,
    normalize_issue,
    normalize_pmid,
    notice_kind,
    page_range,
    part_number,
    publisher_key,
    title_before_authors,
    title_with_citation,
    volume_numbers,
)
from refkit.model import Citation, Name
from refkit.parse.identifiers import normalize_doi

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


def profile(citation: Citation) -> Profile:
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
        generic=folded in GENERIC_TITLES,
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
    )


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


# --- blocking ---------------------------------------------------------------------------------

BLOCK_LIMIT = 40  # larger blocks are compared as a sorted neighbourhood, not all pairs
WINDOW = 8


def blocking_keys(item: Profile) -> Iterator[str]:
    """Exact keys under which a duplicate of this citation is likely to be filed too."""
    if item.doi:
        yield "doi:" + item.doi
    if item.pmid:
        yield "pmid:" + item.pmid
    if item.registration:
        yield "registration:" + item.registration
    words = item.title.split()
    if words:
        squashed = "".join(words)
        yield "head:" + squashed[:24]
        if len(squashed) > 24:
            yield "tail:" + squashed[-24:]
        longest = sorted(set(words), key=lambda w: (-len(w), w))[:3]
        yield "words:" + " ".join(sorted(longest))
    for name in sorted(item.first_author):
        yield f"author:{name}|{item.year or ''}"


def candidate_pairs(items: Sequence[Profile], order: Sequence[str]) -> set[tuple[int, int]]:
    """Pairs worth scoring: sharing a blocking key, or neighbours in title order.

    ``order`` gives each item a tie-breaking sort key (its id), so that the pairs do not depend
    on the order of the input. Work grows with the number of items, not its square: blocks
    larger than BLOCK_LIMIT are compared only within a window of WINDOW neighbours.
    """
    blocks: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        for key in blocking_keys(item):
            blocks.setdefault(key, []).append(index)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > 1:
            _pair_up(members, items, order, pairs)
    by_title = sorted(range(len(items)), key=lambda i: (items[i].title, order[i]))
    _window(by_title, pairs)
    by_reversed = sorted(range(len(items)), key=lambda i: (items[i].title[::-1], order[i]))
    _window(by_reversed, pairs)
    return pairs


def _pair_up(
    members: list[int], items: Sequence[Profile], order: Sequence[str], pairs: set[tuple[int, int]]
) -> None:
    if len(members) <= BLOCK_LIMIT:
        for position, a in enumerate(members):
            for b in members[position + 1 :]:
                pairs.add((a, b) if a < b else (b, a))
        return
    _window(sorted(members, key=lambda i: (items[i].title, order[i])), pairs)


def _window(ordered: Sequence[int], pairs: set[tuple[int, int]]) -> None:
    for position, a in enumerate(ordered):
        for b in ordered[position + 1 : position + 1 + WINDOW]:
            pairs.add((a, b) if a < b else (b, a))
