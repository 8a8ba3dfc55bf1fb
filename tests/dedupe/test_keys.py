"""Blocking: the pairs worth comparing."""

from __future__ import annotations

from refkit.compare import profile
from refkit.dedupe import dedupe
from refkit.dedupe.cluster import ranks
from refkit.dedupe.keys import BLOCK_LIMIT, WINDOW, candidate_pairs
from refkit.model import Citation, Date, Name


def _book(number: int, family: str, year: int) -> Citation:
    return Citation(
        id=f"{number:03d}",
        type="book",
        title="Organization of memory",
        author=(Name(family, "E."),),
        issued=Date(year),
    )


def test_two_copies_of_a_short_title_are_compared_in_a_crowd() -> None:
    """Many works share a short title; two copies of one far apart in its block still meet."""
    crowd = [_book(n, f"Author{n}", 1950 + n % 40) for n in range(1, BLOCK_LIMIT * 2)]
    first, second = _book(0, "Tulving", 1972), _book(999, "Tulving", 1972)
    items = [first, *crowd, second]
    assert len(items) - 1 > WINDOW  # the title window alone would not pair them
    pairs = set(candidate_pairs([profile(c) for c in items], ranks(items)))
    assert (0, len(items) - 1) in pairs
    clusters = dedupe(items).clusters
    assert (0, len(items) - 1) in clusters


def test_each_pair_comes_once_in_order() -> None:
    """Pairs are found item by item: none twice, the smaller position first, in order."""
    crowd = [_book(n, f"Author{n % 7}", 1950 + n % 3) for n in range(BLOCK_LIMIT * 3)]
    pairs = list(candidate_pairs([profile(c) for c in crowd], ranks(crowd)))
    assert pairs == sorted(set(pairs))
    assert all(a < b for a, b in pairs)
    # Every book shares its author and year key with ~BLOCK_LIMIT * 3 / 21 others: all paired.
    same_key = [(a, b) for a in range(len(crowd)) for b in range(a + 1, len(crowd))]
    same_key = [(a, b) for a, b in same_key if a % 7 == b % 7 and a % 3 == b % 3]
    assert set(same_key) <= set(pairs)


def test_ranks_follow_the_ids_whatever_the_input_order() -> None:
    books = [_book(n, "Tulving", 1972) for n in (5, 1, 3)]
    assert list(ranks(books)) == [2, 0, 1]
