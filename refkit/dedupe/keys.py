"""Blocking: which pairs of citations are worth comparing.

Each citation's ``Profile`` (``refkit.compare``) yields exact keys; citations that share a key,
or sit near each other in title order, are compared. Work grows with the number of
citations, not its square.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence

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


class Pairing:
    """Which items each item is paired with: those sharing a blocking key, or near it in
    title order (forwards and backwards).

    Work grows with the number of items, not its square: blocks larger than BLOCK_LIMIT are
    compared only within a window of WINDOW neighbours. The pairs are found item by item, never
    all held at once: a registry's worth of references makes tens of millions of them. The
    title orders break ties by a rank that does not depend on the order of the input, so the
    pairs do not either.
    """

    def __init__(self, blocks: Blocks, by_title: Neighbours, by_reversed: Neighbours) -> None:
        self.blocks = blocks
        self.by_title = by_title
        self.by_reversed = by_reversed

    def partners(self, a: int, item: Profile) -> list[int]:
        """The items after ``a`` (whose profile is ``item``) that it is paired with, in order."""
        partners: set[int] = set()
        for key in blocking_keys(item):
            partners.update(self.blocks.around(hash(key), a))
        partners.update(self.by_title.around(a))
        partners.update(self.by_reversed.around(a))
        return sorted(b for b in partners if b > a)


class Codes:
    """Each item's blocking keys as hashes (8 bytes each instead of a ~70-byte string; a hash
    that two keys share only adds pairs to score), item after item."""

    def __init__(self) -> None:
        self.codes = array("q")
        self.ends = array("q")

    def extend(self, codes: Iterable[int], counts: Iterable[int]) -> None:
        """More items: ``codes`` one after another, ``counts`` of them for each."""
        end = len(self.codes)
        self.codes.extend(codes)
        for count in counts:
            end += count
            self.ends.append(end)

    def of(self, item: int) -> array[int]:
        return self.codes[self.ends[item - 1] if item else 0 : self.ends[item]]


class Blocks:
    """The blocks of two items or more, by key hash, in a few arrays: each block's members one
    after another (8 bytes a member) and where each block starts; a block larger than
    BLOCK_LIMIT, paired within a window, is kept in title order (equal titles by rank), with
    its members by number and their places. Lists and dictionaries of numbers would take ~50
    bytes a member, and items share ~4 blocks each.

    Most keys make no block. So that a table of every key is never held, two bit tables
    first mark the hashes met once and met again (a shared bit only lets a lone key through,
    to be dropped below); only the keys met again are then counted, then gathered.
    """

    def __init__(self, codes: Codes, by_title: Neighbours) -> None:
        again, bits = _met_again(codes.codes)
        counts: dict[int, int] = {}
        for index in range(len(codes.ends)):
            for code in dict.fromkeys(codes.of(index)):  # one key twice for one item: once
                if again[(code & (bits - 1)) >> 3] & (1 << (code & 7)):
                    counts[code] = counts.get(code, 0) + 1
        self.number = {code: n for n, code in enumerate(c for c, k in counts.items() if k > 1)}
        self.starts = array("q", [0])
        for code in self.number:
            self.starts.append(self.starts[-1] + counts[code])
        del counts
        self.members = array("q", bytes(8 * self.starts[-1]))
        filled = array("q", self.starts[:-1])
        for index in range(len(codes.ends)):
            for code in dict.fromkeys(codes.of(index)):
                number = self.number.get(code)
                if number is not None:
                    self.members[filled[number]] = index
                    filled[number] += 1
        self.large: dict[int, tuple[array[int], array[int]]] = {}
        for number, start in enumerate(self.starts[:-1]):
            end = self.starts[number + 1]
            if end - start > BLOCK_LIMIT:
                ordered = sorted(self.members[start:end], key=by_title.place.__getitem__)
                self.members[start:end] = array("q", ordered)
                by_number = sorted(range(len(ordered)), key=ordered.__getitem__)
                self.large[number] = (
                    array("q", (ordered[p] for p in by_number)),
                    array("q", by_number),
                )

    def __len__(self) -> int:
        return len(self.number)

    def around(self, code: int, item: int) -> Sequence[int]:
        """The members of ``code``'s block that ``item`` is paired with: all of them, or in a
        large block the WINDOW on each side of it."""
        number = self.number.get(code)
        if number is None:
            return ()
        start, end = self.starts[number], self.starts[number + 1]
        large = self.large.get(number)
        if large is None:
            return self.members[start:end]
        by_number, places = large
        at = bisect_left(by_number, item)
        if at == len(by_number) or by_number[at] != item:
            return ()
        place = start + places[at]
        return self.members[max(start, place - WINDOW) : min(end, place + WINDOW + 1)]


def _met_again(codes: Sequence[int]) -> tuple[bytearray, int]:
    """A bit table of the hashes met more than once (and a few met once, sharing a bit)."""
    bits = 1 << max(10, (16 * len(codes)).bit_length())
    seen, again = bytearray(bits >> 3), bytearray(bits >> 3)
    for code in codes:
        place, mask = (code & (bits - 1)) >> 3, 1 << (code & 7)
        if seen[place] & mask:
            again[place] |= mask
        else:
            seen[place] |= mask
    return again, bits


class Neighbours:
    """Every item 0..n-1 in one order; an item's neighbours are the WINDOW on each side of it
    (its place is held in an array: 8 bytes an item)."""

    def __init__(self, ordered: Sequence[int]) -> None:
        self.ordered = array("q", ordered)
        self.place = places(ordered)

    def around(self, item: int) -> Sequence[int]:
        position = self.place[item]
        return self.ordered[max(0, position - WINDOW) : position + WINDOW + 1]


def places(ordered: Sequence[int]) -> array[int]:
    """Each item's place in ``ordered`` (which holds every item 0..n-1 once)."""
    place = array("q", bytes(8 * len(ordered)))
    for position, item in enumerate(ordered):
        place[item] = position
    return place
