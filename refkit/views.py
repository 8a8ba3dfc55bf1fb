"""Sequences of citations that make each citation when it is asked for.

A large build never holds all its citations as objects: the spool reads them back from disk,
the merged works are merged one at a time, the keyed ones get their key as they are written.
Each of these is a ``CitationView``: a length and a way to make item ``index``.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import overload

from refkit.model import Citation


class CitationView(Sequence[Citation]):
    """Indexing (negative indices and slices too) and iteration over ``_make``."""

    @abstractmethod
    def _make(self, index: int) -> Citation:
        """Item ``index``, with 0 <= index < len(self)."""

    @overload
    def __getitem__(self, index: int) -> Citation: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Citation]: ...

    def __getitem__(self, index: int | slice) -> Citation | Sequence[Citation]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"index {index} out of range ({len(self)} citations)")
        return self._make(index)
