"""Sequences of citations that make each citation when it is asked for.

A large build never holds all its citations as objects: the spool reads them back from disk,
the merged works are merged one at a time, the keyed ones get their key as they are written.
Each of these is a ``CitationView``: a length and a way to make item ``index``; deduplication's
profiles, held on disk too, are a ``LazyView`` of profiles.
"""

from __future__ import annotations

from abc import abstractmethod
from array import array
from collections.abc import Iterable, Sequence
from typing import TypeVar, overload

from refkit.model import Citation

T = TypeVar("T")


class LazyView(Sequence[T]):
    """Indexing (negative indices and slices too) and iteration over ``_make``."""

    @abstractmethod
    def _make(self, index: int) -> T:
        """Item ``index``, with 0 <= index < len(self)."""

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"index {index} out of range ({len(self)} items)")
        return self._make(index)


CitationView = LazyView[Citation]


class Picked(CitationView):
    """The citations of ``citations`` at ``positions``, in that order."""

    def __init__(self, citations: Sequence[Citation], positions: Iterable[int]) -> None:
        self._citations = citations
        self._positions = array("q", positions)

    def __len__(self) -> int:
        return len(self._positions)

    def _make(self, index: int) -> Citation:
        return self._citations[self._positions[index]]

    def position(self, index: int) -> int:
        """Where item ``index`` is in the citations picked from."""
        return self._positions[index]


class Joined(CitationView):
    """``first``, then ``second``."""

    def __init__(self, first: Sequence[Citation], second: Sequence[Citation]) -> None:
        self._first = first
        self._second = second

    def __len__(self) -> int:
        return len(self._first) + len(self._second)

    def _make(self, index: int) -> Citation:
        if index < len(self._first):
            return self._first[index]
        return self._second[index - len(self._first)]
