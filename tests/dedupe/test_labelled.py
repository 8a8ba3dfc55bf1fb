"""On real labelled exports (../shared/dedup): order does not matter, a second pass merges
nothing, and no two labelled-different works are merged."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from helpers import load_benchmark

from refkit.dedupe import dedupe
from refkit.model import Citation

SETS = ("sra_stroke", "cora")


def clusters(citations: list[Citation]) -> set[frozenset[str]]:
    return {frozenset(citations[i].id for i in members) for members in dedupe(citations).clusters}


@pytest.mark.parametrize("name", SETS)
def test_real_exports(name: str, shared: Path) -> None:
    loader = load_benchmark("dedupe_accuracy")
    citations, gold = loader.load(name)
    result = dedupe(citations)
    predicted = [0] * len(citations)
    for number, members in enumerate(result.clusters):
        for index in members:
            predicted[index] = number
    precision, recall, _ = loader.pairwise(gold, predicted)
    assert precision == 1.0
    assert recall > 0.85
    shuffled = citations[:]
    random.Random(1).shuffle(shuffled)
    assert clusters(shuffled) == clusters(citations)
    assert dedupe(result.citations).merged == 0
