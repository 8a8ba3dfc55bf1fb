"""The matching benchmark's decoys: look-alikes that only the right checks tell apart."""

from __future__ import annotations

import pytest
from helpers import load_benchmark

bench = load_benchmark("match_accuracy")


@pytest.fixture(scope="module")
def works() -> dict[str, dict[str, object]]:
    if not bench.WORKS.is_dir():
        pytest.skip("../shared/crossref is absent")
    return bench.messages()


def test_decoys_look_like_the_work(works: dict[str, dict[str, object]]) -> None:
    order = sorted(works)
    doi = next(d for d in order if works[d].get("author") and works[d].get("issued"))
    real = bench.citation_from_crossref(works[doi])
    later, other = bench.decoys(doi, works, order)
    assert later.title == real.title and later.author == real.author
    assert later.issued is not None and real.issued is not None
    assert 2 <= later.issued.year - real.issued.year <= 4
    assert later.page != real.page and later.doi != real.doi
    assert other.title != real.title and other.author[0] == real.author[0]
    assert other.container_title == real.container_title and other.doi != real.doi


def test_a_third_of_the_works_are_left_out(works: dict[str, dict[str, object]]) -> None:
    left_out = sum(bench.absent(d) for d in works)
    assert 0.2 < left_out / len(works) < 0.45


def test_precision_counts_any_match_of_an_absent_work_as_wrong() -> None:
    from collections import Counter

    assert bench.figures(Counter(right=9, wrong=1, answerable=10)) == (0.9, 0.9)
