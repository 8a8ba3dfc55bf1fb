"""Blocking: which pairs of citations are worth comparing.

Each citation's ``Profile`` (``refkit.compare``) yields exact keys; citations that share a key,
or sit near each other in title order, are compared. Work grows with the number of
citations, not its square.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from refkit.compare import Profile

# --- blocking ---------------------------------------------------------------------------------

BLOCK_LIMIT = 40  # larger blocks are compared as a sorted neighbourhood, not all pairs
WINDOW = 8
SHORT_TITLE = 4  # words


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
        if 0 < len(words) <= SHORT_TITLE:
            # Short titles are common, so their head key may make a block too large to pair
            # all; with the year and the first author they are few.
            yield f"short:{item.title}|{item.year or ''}|{name}"


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
