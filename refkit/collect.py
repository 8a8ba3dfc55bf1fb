"""The citations a build holds until deduplication, each reference string once.

Trials cite the same works in the same words (a reporting guideline, a landmark trial, the
sponsor's earlier papers), so most reference strings of a large folder are copies. A copy is
parsed and held once: the citation of its first sighting stands for all of them, and each
later copy costs one small tuple (its number, its trial, its place). Deduplication sees every
copy through the count of each citation; after it, ``restore`` gives a merged citation the
trials and places of all its copies, in the order they were read, as if each had been held.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

from refkit.compare import DEFAULT_THRESHOLD, compare, profile
from refkit.dedupe import merge
from refkit.model import Citation, Provenance, RawReference, replaced
from refkit.spool import Spool
from refkit.views import CitationView

Sighting = tuple[int, tuple[str, ...], Provenance]  # a copy's number, its trial, its place
_APART = -1  # copies of this string are kept apart (see ``Collected.same_as``)


@dataclass
class Collected:
    """Citations in output order: each trial, then the references it cites (first copies).

    The citations wait in a ``Spool`` (on disk); what stays in memory is a few numbers per
    citation and a 16-byte digest per distinct reference string.
    """

    fold: bool = True  # False: every reference held on its own (no deduplication follows)
    citations: Spool = field(default_factory=Spool)
    is_trial: list[bool] = field(default_factory=list)
    trials: dict[str, str] = field(default_factory=dict)  # NCT id → where it was first read
    copies: dict[int, list[Sighting]] = field(default_factory=dict)  # later copies, by index
    _first: dict[bytes, int] = field(default_factory=dict)  # a string's digest → its index
    _by_pmid: dict[str, int] = field(default_factory=dict)  # PMID-only references, first index
    # The sighting number of each citation (8 bytes each; a list of ints costs 40).
    _number: array[int] = field(default_factory=lambda: array("q"))
    _sightings: int = 0

    def add(
        self, citation: Citation, *, trial: bool = False, raw: RawReference | None = None
    ) -> None:
        if raw is not None and self.fold:
            self._first.setdefault(_key(raw), len(self.citations))
        self.citations.append(citation)
        self.is_trial.append(trial)
        self._number.append(self._next())

    def same_as(self, raw: RawReference) -> int | None:
        """The index of an earlier reference with the same string that this one may join.

        Two copies are joined only when deduplication would merge them: a string such as
        "Editorial." alone names no one work, and its copies stay apart, as they would.
        """
        index = self._first.get(_key(raw)) if self.fold else None
        if index is None or index == _APART:
            return None
        if index not in self.copies:
            if not _one_work(self.citations[index]):
                self._first[_key(raw)] = _APART
                return None
            self.copies[index] = []
        return index

    def add_pmid_only(self, citation: Citation, raw: RawReference) -> None:
        """A reference known by its PMID alone (no usable text): the same PMID names the same
        work, so its later copies are held as copies of the first."""
        index = self._by_pmid.get(citation.pmid) if self.fold else None
        if index is None:
            self._by_pmid[citation.pmid] = len(self.citations)
            self.add(citation)
            return
        self.copies.setdefault(index, [])
        self.add_copy(index, raw, citation.cited_by)

    def add_copy(self, index: int, raw: RawReference, cited_by: tuple[str, ...]) -> None:
        self.copies[index].append((self._next(), cited_by, raw.provenance))

    def count(self, index: int) -> int:
        """How many references ``citations[index]`` stands for."""
        return 1 + len(self.copies.get(index, ()))

    def counts(self) -> list[int]:
        return [self.count(index) for index in range(len(self.citations))]

    def restore(self, members: Sequence[int], merged: Citation) -> Citation:
        """``merged`` (of ``members``) with the citing trials and places of all their copies."""
        if not any(index in self.copies for index in members):
            return merged
        sightings: list[tuple[int, tuple[str, ...], tuple[Provenance, ...]]] = [
            (self._number[i], self.citations[i].cited_by, self.citations[i].provenance)
            for i in members
        ]
        sightings += [(n, k, (p,)) for i in members for n, k, p in self.copies.get(i, ())]
        sightings.sort(key=lambda sighting: sighting[0])
        cited_by = tuple(dict.fromkeys(t for _, trials, _ in sightings for t in trials))
        places = tuple(dict.fromkeys(p for _, _, where in sightings for p in where))
        return replaced(merged, cited_by=cited_by, provenance=places)

    def _next(self) -> int:
        self._sightings += 1
        return self._sightings


def _key(raw: RawReference) -> bytes:
    """What parsing a reference reads (its text, PMID and notices), as a digest: the strings
    themselves would be most of what a build holds per reference."""
    notices = (f"{notice.pmid}\x1f{notice.source}" for notice in raw.retractions)
    text = "\x1e".join((raw.text, raw.pmid, *notices))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _one_work(citation: Citation) -> bool:
    found = profile(citation)
    return compare(found, found).same_work(DEFAULT_THRESHOLD)


class Written(CitationView):
    """One citation per cluster of ``citations`` (``collected``'s): merged, with the citing
    trials and places of all its copies. Made when asked for, so that a build never holds
    them all."""

    def __init__(
        self,
        citations: Sequence[Citation],
        collected: Collected,
        clusters: Sequence[Sequence[int]],
    ) -> None:
        self._citations = citations  # as collected, or as enriched since
        self._collected = collected
        self._clusters = clusters

    def __len__(self) -> int:
        return len(self._clusters)

    def _make(self, index: int) -> Citation:
        members = self._clusters[index]
        merged = merge([self._citations[i] for i in members])
        return self._collected.restore(members, merged)
