"""Export → read back → the same citations, for every format (what each format can hold)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES
from hypothesis import HealthCheck, given, settings
from roundtrip import (
    FORMATS,
    citations,
    gold,
    held,
    produced,
    read_back,
    record_references,
    write,
)

from refkit.model import Citation


def assert_round_trip(items: list[Citation], fmt: str, folder: Path) -> None:
    back = read_back(write(items, fmt), fmt, folder)
    assert len(back) == len(items)
    for original, again in zip(items, back, strict=True):
        assert again == held(original, fmt), original.id


@pytest.mark.parametrize("fmt", FORMATS)
def test_records_round_trip(fmt: str, shared: Path, tmp_path: Path) -> None:
    items = produced([shared / "records", EXAMPLES])
    assert len(items) >= 8  # grows as trial readers land: every record they read is included
    assert_round_trip(items, fmt, tmp_path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_reference_string_of_the_records_round_trips(
    fmt: str, shared: Path, tmp_path: Path
) -> None:
    items = record_references(shared / "records")
    assert len(items) > 100
    assert_round_trip(items, fmt, tmp_path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_gold_strings_round_trip(fmt: str, shared: Path, tmp_path: Path) -> None:
    items = gold(shared / "gold" / "refs")
    assert len(items) > 3000
    assert_round_trip(items, fmt, tmp_path)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(items=citations.map(lambda c: [c]))
def test_generated_citations_round_trip(fmt: str, items: list[Citation], tmp_path: Path) -> None:
    assert_round_trip(items, fmt, tmp_path)
