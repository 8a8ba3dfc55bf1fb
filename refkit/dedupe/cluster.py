"""Union-find over shared keys, then one merged citation per cluster."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from refkit.dedupe.keys import exact_keys
from refkit.model import Citation, Date


@dataclass(frozen=True, slots=True)
class DedupeResult:
    citations: tuple[Citation, ...]
    clusters: tuple[tuple[int, ...], ...]  # input positions per output citation

    @property
    def merged(self) -> int:
        return sum(len(c) - 1 for c in self.clusters)


class UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the earliest member stays the root


def dedupe(citations: Sequence[Citation]) -> DedupeResult:
    """Merge citations that share a DOI, PMID, NCT id or strict title key."""
    sets = UnionFind(len(citations))
    first_with: dict[str, int] = {}
    for index, citation in enumerate(citations):
        for key in exact_keys(citation):
            if key in first_with:
                sets.union(first_with[key], index)
            else:
                first_with[key] = index
    groups: dict[int, list[int]] = {}
    for index in range(len(citations)):
        groups.setdefault(sets.find(index), []).append(index)
    clusters = tuple(tuple(members) for _, members in sorted(groups.items()))
    merged = tuple(merge([citations[i] for i in members]) for members in clusters)
    return DedupeResult(merged, clusters)


_KEEP_FIRST = frozenset({"id", "type", "raw", "confidence", "sources"})


def merge(members: Sequence[Citation]) -> Citation:
    """One citation: the most complete value per field, all provenance and warnings."""
    if len(members) == 1:
        return members[0]
    first = members[0]
    values: dict[str, Any] = {}
    for field in fields(Citation):
        if field.name in _KEEP_FIRST:
            continue
        candidates = [getattr(m, field.name) for m in members]
        if field.name in ("provenance", "warnings", "keyword", "extra"):
            values[field.name] = tuple(dict.fromkeys(x for c in candidates for x in c))
        else:
            values[field.name] = max(candidates, key=_completeness)
    return replace(first, **values)


def _completeness(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, Date):
        return sum(part is not None for part in (value.month, value.day, value.season)) + 1
    if isinstance(value, tuple):
        return len(value)
    return len(str(value))
