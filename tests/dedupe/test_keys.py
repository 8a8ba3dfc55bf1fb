"""Blocking: the pairs worth comparing."""

from __future__ import annotations

from refkit.compare import profile
from refkit.dedupe import dedupe
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
    order = [c.id for c in items]
    assert len(items) - 1 > WINDOW  # the title window alone would not pair them
    pairs = candidate_pairs([profile(c) for c in items], order)
    assert (0, len(items) - 1) in pairs
    clusters = dedupe(items).clusters
    assert (0, len(items) - 1) in clusters
