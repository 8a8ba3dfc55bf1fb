"""A view makes each citation when asked, and indexes like a sequence."""

from __future__ import annotations

import pytest

from refkit.model import Citation
from refkit.views import CitationView, Joined, Picked


class Numbered(CitationView):
    def __init__(self, count: int) -> None:
        self.count = count
        self.made: list[int] = []

    def __len__(self) -> int:
        return self.count

    def _make(self, index: int) -> Citation:
        self.made.append(index)
        return Citation(title=f"Work {index}")


def test_indexing_slices_and_iteration() -> None:
    view = Numbered(4)
    assert view[-1].title == "Work 3"
    assert [c.title for c in view[1:3]] == ["Work 1", "Work 2"]
    assert [c.title for c in view] == [f"Work {n}" for n in range(4)]
    with pytest.raises(IndexError):
        view[4]
    with pytest.raises(IndexError):
        view[-5]
    assert view.made == [3, 1, 2, 0, 1, 2, 3]  # made each time asked, never all at once


def test_picked_and_joined_make_only_what_is_asked() -> None:
    first, second = Numbered(3), Numbered(2)
    joined = Joined(first, second)
    assert [c.title for c in joined] == ["Work 0", "Work 1", "Work 2", "Work 0", "Work 1"]
    picked = Picked(joined, [4, 0])
    assert [c.title for c in picked] == ["Work 1", "Work 0"]
    assert picked.position(0) == 4
    first.made.clear()
    second.made.clear()
    assert picked[0].title == "Work 1"
    assert (first.made, second.made) == ([], [1])
