"""Each citation's profile (``refkit.compare``), made once and held on disk, with the orders
and blocks that pairing needs.

Deduplication reads a profile once for each pair it is in, yet a registry's worth of profiles
as objects (~600 bytes each) would be most of what a build holds, and forked workers that read
them would each come to copy them (Python writes a reference count into what it reads). So the
profiles wait in a temporary file (``Profiles``) and are made again from their bytes when
asked for. Workers make them a batch at a time and hand back the batch's bytes, its blocking
keys' hashes and its order keys; this process appends the bytes to the file and gives the
order keys to SQLite to sort (``refkit.spool.DiskOrder``). What stays in memory for each
citation: where its profile lies, its rank, its places in the two title orders (8 bytes
each), and the blocks of two or more citations; its blocking keys' hashes (~6 × 8 bytes) only
until the blocks are made.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter

from refkit.compare import Profile, profile
from refkit.dedupe.keys import Blocks, Codes, Neighbours, Pairing, blocking_keys, places
from refkit.model import Citation
from refkit.spool import DiskOrder, Marshalled, order_of
from refkit.spread import forked_batches
from refkit.views import LazyView

_PROFILE_FIELDS = tuple(f.name for f in fields(Profile))
_profile_values = attrgetter(*_PROFILE_FIELDS)
# The parts of profiles that repeat across a collection, held once in memory.
_SHARED_NAMES = "names first_author year volume issue_numbers pages issue container publisher"
_SHARED_PARTS = tuple(_PROFILE_FIELDS.index(name) for name in _SHARED_NAMES.split())


class Profiles(Marshalled, LazyView[Profile]):
    """Profiles kept in a temporary file, each made again when asked for."""

    def _make(self, index: int) -> Profile:
        return Profile(*marshal.loads(self.marshalled(index)))

    def __iter__(self) -> Iterator[Profile]:
        return (Profile(*marshal.loads(data)) for data in self.all_marshalled())


class HeldProfiles(list[Profile]):
    """Profiles held as objects, for citations that are held in memory themselves (a library
    read whole): reading each again from disk for every pair it is in would cost more than
    the memory it saves there. Equal parts (names, years, volumes, journal words: most
    repeat across a collection) are held once."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: dict[object, object] = {}

    def extend_marshalled(self, data: bytes, sizes: Iterable[int]) -> None:
        start, parts = 0, self._parts
        for size in sizes:
            values = list(marshal.loads(data[start : start + size]))
            for index in _SHARED_PARTS:
                values[index] = parts.setdefault(values[index], values[index])
            self.append(Profile(*values))
            start += size


@dataclass(frozen=True)
class Profiled:
    """What pairing and judging read: every citation's profile and places."""

    profiles: Profiles | HeldProfiles
    rank: array[int]  # each citation's place in ``sort_key`` order (equal keys in input order)
    by_title: Neighbours  # the citations in order of title, equal titles by rank
    by_reversed: Neighbours  # the same, by their titles read backwards
    blocks: Blocks  # citations sharing a blocking key (its hash), two or more


def sort_key(citation: Citation) -> str:
    """What orders citations when scores tie, so that input order never changes the result."""
    return "\x1f".join((citation.id, citation.title, citation.raw, citation.doi))


# A batch made by a worker: its profiles marshalled one after another and their sizes, the
# hashes of each one's blocking keys and their counts, and each one's order keys.
Made = tuple[bytes, list[int], "array[int]", list[int], list[tuple[str, str, str]]]


def profiled(citations: Sequence[Citation], jobs: int = 1, *, on_disk: bool = False) -> Profiled:
    """Profile every citation (by ``jobs`` forked processes, when asked and where possible)
    and order them, going through ``citations`` once. ``on_disk``: the profiles wait on disk
    (a build's citations do too), else in memory."""
    profiles = Profiles() if on_disk else HeldProfiles()
    codes, orders = Codes(), DiskOrder(3)
    try:
        for data, sizes, hashes, counts, keys in forked_batches(
            citations, _made, len(citations), jobs
        ):
            start = len(profiles)
            profiles.extend_marshalled(data, sizes)
            codes.extend(hashes, counts)
            orders.add((start + offset, *key) for offset, key in enumerate(keys))
        rank = places(order_of(orders.ordered(0)))  # equal keys in input order
        by_title = Neighbours(order_of(orders.ordered(1), rank.__getitem__))
        by_reversed = Neighbours(order_of(orders.ordered(2), rank.__getitem__))
    finally:
        orders.close()
    return Profiled(profiles, rank, by_title, by_reversed, Blocks(codes, by_title))


def _made(citations: Sequence[Citation], batch: range) -> Made:
    data, sizes, hashes, counts, keys = bytearray(), [], array("q"), [], []
    for citation in citations[batch.start : batch.stop]:
        found = profile(citation)
        marshalled = marshal.dumps(_profile_values(found))
        data += marshalled
        sizes.append(len(marshalled))
        before = len(hashes)
        hashes.extend(hash(key) for key in blocking_keys(found))
        counts.append(len(hashes) - before)
        keys.append((sort_key(citation), found.title, found.title[::-1]))
    return bytes(data), sizes, hashes, counts, keys


def candidate_pairs(made: Profiled) -> Iterator[tuple[int, int]]:
    """Pairs worth scoring, each once as ``(a, b)`` with ``a < b``, in order of ``a``: sharing a
    blocking key, or neighbours in title order (``Pairing``)."""
    pairing = Pairing(made.blocks, made.by_title, made.by_reversed)
    for a, item in enumerate(made.profiles):
        for b in pairing.partners(a, item):
            yield a, b
