from __future__ import annotations

import time
from collections.abc import Iterator

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
