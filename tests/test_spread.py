from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refkit import spread


def slow_square(n: int) -> int:
    time.sleep(0.02 if n % 3 == 0 else 0.0)  # early pieces finish late: order must hold
    return n * n


def test_results_come_in_the_order_of_the_pieces() -> None:
    with spread.processes(2) as pool:
        assert list(spread.in_order(pool, slow_square, range(30), ahead=4)) == [
            n * n for n in range(30)
        ]


def test_only_a_few_pieces_are_handed_out_ahead() -> None:
    drawn = []

    def pieces() -> Iterator[int]:
        for n in range(40):
            drawn.append(n)
            yield n

    with spread.processes(2) as pool:
        for got, result in enumerate(spread.in_order(pool, slow_square, pieces(), ahead=3)):
            assert result == got * got
            assert len(drawn) <= got + 1 + 3  # the one given, and three ahead at most


@given(st.lists(st.integers(), max_size=50), st.integers(1, 9))
def test_batches_cut_the_items_in_order(items: list[int], size: int) -> None:
    found = list(spread.batches(items, size))
    assert [n for batch in found for n in batch] == items
    assert all(len(batch) == size for batch in found[:-1])
    assert all(0 < len(batch) <= size for batch in found)


def test_no_more_forked_workers_than_the_free_memory_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    if not Path("/proc/self/statm").exists():
        pytest.skip("Linux's /proc tells a process's size")
    page = os.sysconf("SC_PAGE_SIZE")
    own = int(Path("/proc/self/statm").read_text().split()[1]) * page
    sysconf = os.sysconf

    def free_for(copies: float) -> Callable[[str], int]:
        return lambda name: (
            int(copies * own) // page if name == "SC_AVPHYS_PAGES" else sysconf(name)
        )

    monkeypatch.setattr(os, "sysconf", free_for(2.5))
    assert spread._affordable(8) == 2
    monkeypatch.setattr(os, "sysconf", free_for(0.1))
    assert spread._affordable(8) == 1
    monkeypatch.setattr(os, "sysconf", free_for(100))
    assert spread._affordable(8) == 8
