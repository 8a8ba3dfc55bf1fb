"""Blocking: which pairs of citations are worth comparing.

Each citation's ``Profile`` (``refkit.compare``) yields exact keys; citations that share a key,
or sit near each other in title order, are compared. Work grows with the number of
citations, not its square.
"""

from __future__ import annotations

from array import array
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

    def __init__(
        self, blocks: dict[int, Block], by_title: Sequence[int], by_reversed: Sequence[int]
    ) -> None:
        self.blocks = blocks
        self.by_title = Neighbours(by_title, whole=True)
        self.by_reversed = Neighbours(by_reversed, whole=True)

    def partners(self, a: int, item: Profile) -> list[int]:
        """The items after ``a`` (whose profile is ``item``) that it is paired with, in order."""
        partners: set[int] = set()
        for key in blocking_keys(item):
            block = self.blocks.get(hash(key))
            if isinstance(block, Neighbours):
                partners.update(block.around(a))
            elif block is not None:
                partners.update(block)
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


def blocks_of(items: Sequence[Profile], ranks: Sequence[int], codes: Codes) -> dict[int, Block]:
    """The blocks of two items or more, by key hash. Blocks larger than BLOCK_LIMIT are kept
    in title order, to be paired within a window.

    Most keys make no block. So that a table of every key is never held, two bit tables
    first mark the hashes met once and met again (a shared bit only lets a lone key through,
    to be dropped below); only the keys met again are then gathered.
    """
    bits = 1 << max(10, (16 * len(codes.codes)).bit_length())
    seen, again = bytearray(bits >> 3), bytearray(bits >> 3)
    for code in codes.codes:
        place, mask = (code & (bits - 1)) >> 3, 1 << (code & 7)
        if seen[place] & mask:
            again[place] |= mask
        else:
            seen[place] |= mask
    del seen
    found: dict[int, list[int]] = {}
    for index in range(len(items)):
        for code in codes.of(index):
            if again[(code & (bits - 1)) >> 3] & (1 << (code & 7)):
                held = found.setdefault(code, [])
                if not held or held[-1] != index:  # one key twice for one item
                    held.append(index)
    blocks: dict[int, Block] = {}
    for code, members in found.items():
        if len(members) > BLOCK_LIMIT:
            blocks[code] = Neighbours(sorted(members, key=lambda i: (items[i].title, ranks[i])))
        elif len(members) > 1:
            blocks[code] = members
    return blocks


class Neighbours:
    """Items in one order; an item's neighbours are the WINDOW on each side of it.

    ``whole``: the order holds every item 0..n-1, so places are an array (8 bytes an item)
    rather than a dictionary (~100).
    """

    def __init__(self, ordered: Sequence[int], *, whole: bool = False) -> None:
        self.ordered = array("l", ordered)
        self.place: dict[int, int] | array[int]
        if whole:
            self.place = array("l", bytes(8 * len(ordered)))
            for position, item in enumerate(ordered):
                self.place[item] = position
        else:
            self.place = {item: position for position, item in enumerate(ordered)}

    def around(self, item: int) -> Sequence[int]:
        if isinstance(self.place, dict) and item not in self.place:
            return ()
        position = self.place[item]
        return self.ordered[max(0, position - WINDOW) : position + WINDOW + 1]


Block = list[int] | Neighbours
