"""Blocking: the pairs worth comparing."""

from __future__ import annotations

import random

import pytest

from refkit import spread
from refkit.compare import Profile, profile
from refkit.dedupe import cluster, dedupe, keys
from refkit.dedupe.keys import BLOCK_LIMIT, WINDOW, blocking_keys
from refkit.dedupe.profiled import candidate_pairs, profiled, sort_key
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
    pairs = set(candidate_pairs(profiled(items)))
    assert (0, len(items) - 1) in pairs
    clusters = dedupe(items).clusters
    assert (0, len(items) - 1) in clusters


def test_each_pair_comes_once_in_order() -> None:
    """Pairs are found item by item: none twice, the smaller position first, in order."""
    crowd = [_book(n, f"Author{n % 7}", 1950 + n % 3) for n in range(BLOCK_LIMIT * 3)]
    pairs = list(candidate_pairs(profiled(crowd)))
    assert pairs == sorted(set(pairs))
    assert all(a < b for a, b in pairs)
    # Every book shares its author and year key with ~BLOCK_LIMIT * 3 / 21 others: all paired.
    same_key = [(a, b) for a in range(len(crowd)) for b in range(a + 1, len(crowd))]
    same_key = [(a, b) for a, b in same_key if a % 7 == b % 7 and a % 3 == b % 3]
    assert set(same_key) <= set(pairs)


def test_ranks_follow_the_ids_whatever_the_input_order() -> None:
    books = [_book(n, "Tulving", 1972) for n in (5, 1, 3)]
    assert list(profiled(books).rank) == [2, 0, 1]


def _pairs_by_definition(items: list[Profile], rank: list[int]) -> set[tuple[int, int]]:
    """Blocking as written down: all pairs of a block, a window in a large block's title order,
    a window in title order and in reversed-title order; keys as strings."""
    blocks: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        for key in blocking_keys(item):
            blocks.setdefault(key, []).append(index)
    found: set[tuple[int, int]] = set()

    def window(ordered: list[int]) -> None:
        for position, a in enumerate(ordered):
            for b in ordered[position + 1 : position + 1 + keys.WINDOW]:
                found.add((min(a, b), max(a, b)))

    for members in blocks.values():
        if len(members) > keys.BLOCK_LIMIT:
            window(sorted(members, key=lambda i: (items[i].title, rank[i])))
        else:
            found.update((a, b) for a in members for b in members if a < b)
    every = range(len(items))
    window(sorted(every, key=lambda i: (items[i].title, rank[i])))
    window(sorted(every, key=lambda i: (items[i].title[::-1], rank[i])))
    return found


def crowd(seed: int, size: int = 150) -> list[Citation]:
    """Citations of few words, authors, years and DOIs: many blocks, many look-alikes."""
    draw = random.Random(seed)
    words = ["memory", "organization", "trial", "stroke", "aspirin", "sepsis", "cohort"]
    return [
        Citation(
            id=f"{draw.randrange(10**6):06d}",
            title=" ".join(draw.choices(words, k=draw.randint(0, 5))),
            author=(Name(draw.choice(["Ng", "Tulving", "Smith", "Lee"]), "A."),),
            issued=Date(draw.randint(2000, 2003)),
            doi=draw.choice(["", "", "10.1/a", "10.1/b"]),
        )
        for _ in range(size)
    ]


@pytest.mark.parametrize("seed", range(8))
def test_the_pairs_are_those_of_the_definition(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hashed keys, bit tables and item-by-item pairing find exactly the pairs of the plain
    definition, small and large blocks alike (limits made small so that both occur)."""
    monkeypatch.setattr(keys, "BLOCK_LIMIT", 6)
    monkeypatch.setattr(keys, "WINDOW", 2)
    items = crowd(seed)
    made = profiled(items, on_disk=seed % 2 == 0)
    profiles, rank = [profile(c) for c in items], list(made.rank)
    assert list(made.profiles) == profiles
    assert [made.profiles[i] for i in range(len(items))] == profiles
    pairs = list(candidate_pairs(made))
    assert pairs == sorted(set(pairs))
    assert set(pairs) == _pairs_by_definition(profiles, rank)


@pytest.mark.parametrize("seed", range(4))
def test_ranks_are_the_order_of_whole_sort_keys(seed: int) -> None:
    """Keys alike in their first characters (one id, titles alike) and equal keys alike are
    ranked as whole keys rank them, equal ones in input order."""
    draw = random.Random(seed)
    long = "A study of memory organization in the elderly: "
    items = [
        Citation(
            id=draw.choice(["ref-1", "ref-2", "ref-10"]),
            title=long + draw.choice(["", "a", "b", "part two"]),
            raw=draw.choice(["", "x", "y"]),
            doi=draw.choice(["", "10.1/a"]),
        )
        for _ in range(60)
    ]
    by_keys = sorted(range(len(items)), key=lambda i: (sort_key(items[i]), i))
    rank = profiled(items).rank
    assert sorted(range(len(items)), key=rank.__getitem__) == by_keys


@pytest.mark.parametrize("seed", range(3))
def test_two_processes_cluster_as_one_does(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Profiles made and pairs scored by forked workers, a few citations each, profiles held
    in memory or on disk: the same clusters, the same evidence, the same look-alikes kept
    apart."""
    monkeypatch.setattr(spread, "BATCH", 7)
    items = crowd(seed, 120)
    one = cluster(items, look_alikes=True, jobs=1)
    for on_disk in (False, True):
        assert cluster(items, look_alikes=True, jobs=2, on_disk=on_disk) == one
    assert cluster(items, look_alikes=True, on_disk=True) == one
    assert len(one.clusters) < len(items) and one.kept_apart  # some joined, some kept apart
