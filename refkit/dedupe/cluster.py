"""Clusters of the same work (union-find), and one merged citation per cluster.

Pairs that score as the same work are joined strongest first. Two clusters are joined only
when no identity guard (other DOI, a notice, another part) stands between any of their members
and field guards (years, volumes, pages) between fewer than half of them, so a chain of near
matches (A ~ B ~ C) cannot put an erratum or another volume's paper into the cluster through a
middle record.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from refkit.compare import (
    DEFAULT_THRESHOLD,
    RULES,
    Profile,
    Rules,
    Verdict,
    compare,
    field_guard,
    identity_guard,
    titles_alike,
)
from refkit.dedupe.keys import Pairing
from refkit.dedupe.profiled import profiled
from refkit.identifiers import normalize_doi, normalize_pmid
from refkit.model import Citation, Date
from refkit.spread import forked_batches
from refkit.text import clean_title


@dataclass(frozen=True, slots=True)
class Link:
    """Why two input citations (positions) were put into one cluster."""

    a: int
    b: int
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class Clustering:
    """Which inputs are one work, and why; the merged citations are left to the caller."""

    clusters: tuple[tuple[int, ...], ...]  # input positions, in order of first appearance
    links: tuple[tuple[Link, ...], ...]  # the evidence that joined each cluster
    # Look-alike pairs (titles alike) that a veto kept apart, with the veto in ``verdict.guard``.
    kept_apart: tuple[Link, ...] = ()

    @property
    def merged(self) -> int:
        return sum(len(c) - 1 for c in self.clusters)


@dataclass(frozen=True, slots=True)
class DedupeResult(Clustering):
    citations: tuple[Citation, ...] = ()  # one per cluster


class Clusters:
    """Union-find that refuses a union when a guard separates the two sides.

    Each cluster keeps its distinct profiles (the fields guards read) with their counts, so
    that a work cited a thousand times is checked against a few variants, not a thousand.
    Members and variants are held only for clusters of two or more: most citations stay alone.
    """

    def __init__(
        self,
        profiles: Sequence[Profile],
        counts: Sequence[int] | None = None,
        rules: Rules = RULES,
    ) -> None:
        self.rules = rules
        self.profiles = profiles
        self.counts = counts
        self.parent = array("l", range(len(profiles)))
        self.members: dict[int, list[int]] = {}  # root → members, for clusters of two or more
        self.variants: dict[int, Counter[Profile]] = {}

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def join(self, a: int, b: int) -> bool:
        """Join the clusters of a and b; False when they are one already or must stay apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or not may_join(self._variants(ra), self._variants(rb), self.rules):
            return False
        if len(self._members(ra)) < len(self._members(rb)):
            ra, rb = rb, ra  # the smaller cluster moves into the larger
        self.parent[rb] = ra
        moved = self.members.pop(rb, None) or [rb]
        self.members.setdefault(ra, [ra]).extend(moved)
        variants = self.variants.pop(rb, None) or self._variants(rb)
        self.variants.setdefault(ra, self._variants(ra)).update(variants)
        return True

    def groups(self) -> list[tuple[int, ...]]:
        """Every cluster's members, in order of its first member."""
        found: list[tuple[int, ...]] = []
        listed: set[int] = set()
        for item in range(len(self.parent)):
            root = self.find(item)
            members = self.members.get(root)
            if members is None:
                found.append((item,))
            elif root not in listed:
                listed.add(root)  # met first at its smallest member
                found.append(tuple(sorted(members)))
        return found

    def _members(self, root: int) -> list[int]:
        return self.members.get(root) or [root]

    def _variants(self, root: int) -> Counter[Profile]:
        held = self.variants.get(root)
        if held is not None:
            return held
        weight = self.counts[root] if self.counts else 1
        return Counter({guard_view(self.profiles[root]): weight})


def guard_view(item: Profile) -> Profile:
    """The profile with only what the guards read: titles and names blanked."""
    return replace(item, title="", main_title="", names=frozenset(), first_author=frozenset())


def may_join(left: Counter[Profile], right: Counter[Profile], rules: Rules = RULES) -> bool:
    """No identity guard between the sides, and field guards between fewer than half.

    One record with a wrong volume or year does not keep a large cluster apart; a chain
    through a record that lacks the field (29 ~ none ~ 30) does not join either. Variants
    with one DOI do not count: their titles (not kept here) decided when they were compared.
    """
    conflicts = 0
    for a, count_a in left.items():
        for b, count_b in right.items():
            if identity_guard(a, b):
                return False
            if field_guard(a, b, rules) and not (a.doi and a.doi == b.doi):
                conflicts += count_a * count_b
    return 2 * conflicts < left.total() * right.total()


def dedupe(
    citations: Sequence[Citation],
    threshold: float = DEFAULT_THRESHOLD,
    counts: Sequence[int] | None = None,
    rules: Rules = RULES,
    *,
    look_alikes: bool = False,
) -> DedupeResult:
    """Cluster the citations that are the same work (``cluster``); merge each cluster into one
    citation."""
    found = cluster(citations, threshold, counts, rules, look_alikes=look_alikes)
    return DedupeResult(
        clusters=found.clusters,
        links=found.links,
        kept_apart=found.kept_apart,
        citations=tuple(merge([citations[i] for i in members]) for members in found.clusters),
    )


def cluster(
    citations: Sequence[Citation],
    threshold: float = DEFAULT_THRESHOLD,
    counts: Sequence[int] | None = None,
    rules: Rules = RULES,
    *,
    look_alikes: bool = False,
    jobs: int = 1,
    on_disk: bool = False,
) -> Clustering:
    """Which citations are the same work. ``citations`` is gone through once, in order.

    ``counts`` says how many identical citations each one stands for (1 when not given): the
    guards weigh each by it, as if all the copies were there. ``look_alikes``: also list the
    pairs with alike titles that a veto kept apart (``--explain``); in a large collection of
    papers that differ in year or volume there can be more of them than citations. ``jobs``:
    processes that make the profiles and score the pairs. ``on_disk``: the profiles wait on
    disk (for citations that do too: a build's), not in memory.
    """
    made = profiled(citations, jobs, on_disk=on_disk)
    pairing = Pairing(made.blocks, made.by_title, made.by_reversed)
    profiles = made.profiles
    judging = _Judging(profiles, made.rank, pairing, threshold, rules, look_alikes)
    scored, kept_apart = judging.judge_all(jobs)
    del made, pairing, judging  # blocks and title orders are not needed to join
    scored.sort(key=lambda item: item[:3])
    sets = Clusters(profiles, counts, rules)
    evidence: dict[int, list[Link]] = {}
    joined = [
        Link(a, b, compare(profiles[a], profiles[b], rules))
        for *_, a, b in scored
        if sets.join(a, b)
    ]
    for link in joined:
        evidence.setdefault(sets.find(link.a), []).append(link)
    groups = sets.groups()
    return Clustering(
        clusters=tuple(groups),
        links=tuple(tuple(evidence.get(sets.find(members[0]), ())) for members in groups),
        kept_apart=tuple(link for *_, link in sorted(kept_apart, key=lambda item: item[:2])),
    )


Scored = tuple[float, int, int, int, int]  # (-score, ranks of the two, the two positions)


@dataclass(frozen=True)
class _Judging:
    """What scoring the candidate pairs needs (forked workers inherit it)."""

    profiles: Sequence[Profile]
    rank: array[int]
    pairing: Pairing
    threshold: float
    rules: Rules
    look_alikes: bool

    def judge_all(self, jobs: int) -> tuple[list[Scored], list[tuple[int, int, Link]]]:
        """``judge`` over every item, by ``jobs`` processes a batch of items at a time."""
        scored: list[Scored] = []
        kept_apart: list[tuple[int, int, Link]] = []
        for found, apart in forked_batches(self, _Judging.judge, len(self.profiles), jobs):
            scored += found
            kept_apart += apart
        return scored, kept_apart

    def judge(self, places: range) -> tuple[list[Scored], list[tuple[int, int, Link]]]:
        """The pairs of the items at ``places`` in title order (with the items after each)
        that are the same work, and with ``look_alikes`` the alike ones a veto kept apart.
        Neighbours in title order share most of their partners: a batch of them reads few
        profiles from disk that it has not read already."""
        rank, rules = self.rank, self.rules
        read: dict[int, Profile] = {}
        scored, kept_apart = [], []
        for a in self.pairing.by_title.ordered[places.start : places.stop]:
            item = read.get(a) or read.setdefault(a, self.profiles[a])
            for b in self.pairing.partners(a, item):
                other = read.get(b) or read.setdefault(b, self.profiles[b])
                verdict = compare(item, other, rules)
                first, second = (a, b) if rank[a] < rank[b] else (b, a)
                if verdict.same_work(self.threshold):
                    # Not the verdict (~400 bytes): asked for again for the pairs that join.
                    scored.append((-verdict.score, rank[first], rank[second], first, second))
                elif self.look_alikes and verdict.guard and titles_alike(item, other):
                    kept_apart.append((rank[first], rank[second], Link(first, second, verdict)))
        return scored, kept_apart


# Fields taken from the first member as they are: who it is, not what is known about it.
_KEEP_FIRST = frozenset({"id", "type", "raw", "confidence"})
_COLLECT = frozenset({"provenance", "warnings", "keyword", "cited_by", "extra", "sources"})
IDENTIFIERS = {"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID", "isbn": "ISBN", "issn": "ISSN"}


def merge(members: Sequence[Citation]) -> Citation:
    """One citation: the most complete value of each field, every identifier and provenance.

    Keywords are all kept, and so are the trials that cite the work.
    An identifier that differs between members (a print and an electronic ISSN) is kept as an
    extra line.
    """
    if len(members) == 1:
        return members[0]
    values: dict[str, Any] = {}
    for field in fields(Citation):
        name = field.name
        if name in _KEEP_FIRST:
            continue
        candidates = [getattr(m, name) for m in members]
        if name in _COLLECT:
            values[name] = tuple(dict.fromkeys(x for c in candidates for x in c))
        else:
            values[name] = max(candidates, key=lambda v: _completeness(name, v))
    extra = list(values["extra"])
    for name, label in IDENTIFIERS.items():
        found = [
            v for v in dict.fromkeys(_identifier(name, getattr(m, name)) for m in members) if v
        ]
        chosen = _identifier(name, values[name])
        if name == "doi" and chosen:
            values[name] = chosen  # the bare lower-case DOI, not a resolver URL
        extra.extend((label, other) for other in found if other != chosen)
    values["extra"] = tuple(extra)
    return replace(members[0], **values)


def _identifier(name: str, value: str) -> str:
    """An identifier in the one form two members' values are compared in."""
    if name == "doi":
        return normalize_doi(value) if value else ""
    if name == "pmid":
        return normalize_pmid(value)
    return value.strip().upper()


def _completeness(name: str, value: object) -> tuple[int, int]:
    """How much a value says; ties go to the first member (``max`` keeps the first)."""
    if value is None:
        return 0, 0
    if isinstance(value, Date):
        return sum(part is not None for part in (value.month, value.day, value.season)) + 1, 0
    if name == "title" and isinstance(value, str):
        # The title without database tags; of equal ones the plainest (fewest tags left).
        return len(clean_title(value)), -len(value)
    if isinstance(value, tuple):
        return len(value), len(str(value))
    return len(str(value)), 0
