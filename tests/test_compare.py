"""Each guard has a pair that must stay apart; each normalisation a pair that must merge."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from helpers import DATA

from refkit.compare import (
    compare,
    container_similarity,
    profile,
)
from refkit.dedupe import dedupe
from refkit.dedupe.against import find_known
from refkit.model import Citation, Date, Name

CASES = [json.loads(line) for line in (DATA / "compare" / "pairs.jsonl").open(encoding="utf-8")]


def pair(case: dict[str, Any]) -> tuple[Citation, Citation]:
    a = Citation.from_csl({"id": "a", **case["a"]})
    b = Citation.from_csl({"id": "b", **case["b"]})
    return a, b


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["expect"] == "apart"], ids=lambda c: c["case"]
)
def test_guarded_pairs_stay_apart(case: dict[str, Any]) -> None:
    a, b = pair(case)
    verdict = compare(profile(a), profile(b))
    assert not verdict.same_work(), case["why"]
    if "guard" in case:
        assert case["guard"] in verdict.guard
    assert len(dedupe([a, b]).clusters) == 2


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["expect"] == "merge"], ids=lambda c: c["case"]
)
def test_normalised_pairs_merge(case: dict[str, Any]) -> None:
    a, b = pair(case)
    pa, pb = profile(a), profile(b)
    for name in case["same"]:
        if name == "container":
            assert container_similarity(pa, pb) == 1.0
        elif name == "first_author":
            assert pa.first_author & pb.first_author
        else:
            assert getattr(pa, name) == getattr(pb, name), name
    assert compare(pa, pb).same_work(), case["why"]
    assert dedupe([a, b]).clusters == ((0, 1),)


def test_every_case_is_used() -> None:
    assert {c["expect"] for c in CASES} == {"apart", "merge"}
    assert all("same" in c for c in CASES if c["expect"] == "merge")


def test_threshold_decides_borderline_pairs() -> None:
    case = next(c for c in CASES if c["case"] == "norm-authors-structured")
    a, b = pair(case)
    verdict = compare(profile(a), profile(b))
    assert 0.5 < verdict.score < 1.0
    assert len(dedupe([a, b], threshold=verdict.score).clusters) == 1
    assert len(dedupe([a, b], threshold=min(1.0, verdict.score + 0.01)).clusters) == 2


def test_a_dropped_subtitle_merges_only_with_the_other_fields_agreeing() -> None:
    full = Citation(
        title="Unilateral neglect in stroke: a comparative study",
        author=(Name("Chan", "D Y W"), Name("Man", "D W K")),
        container_title="Topics in Geriatric Rehabilitation",
        issued=Date(2013),
        volume="29",
        page="126-134",
    )
    short = replace(full, title="Unilateral Neglect in Stroke")
    assert compare(profile(full), profile(short)).same_work()
    bare = replace(short, container_title="", volume="", page="")
    assert not compare(profile(full), profile(bare)).same_work()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["case"])
def test_against_a_library_judges_as_dedupe_does(case: dict[str, Any]) -> None:
    """``--against`` asks the same judge: a pair that must stay apart is not "already held"."""
    a, b = pair(case)
    assert bool(find_known([a], [b])) == (case["expect"] == "merge"), case["why"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["case"])
def test_the_judge_is_symmetric(case: dict[str, Any]) -> None:
    a, b = (profile(c) for c in pair(case))
    forward, backward = compare(a, b), compare(b, a)
    assert (forward.guard, forward.score) == (backward.guard, backward.score)
