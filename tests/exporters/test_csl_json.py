"""Every CSL-JSON file refkit writes validates against the CSL schema, with unique ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from roundtrip import citations, gold, produced, write

from refkit.exporters.keys import assign_keys
from refkit.formats.types import ALIASES, TYPES, writable
from refkit.model import Citation

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture
def schema(shared: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((shared / "csl" / "csl-data.json").read_text())
    return loaded


def validate(items: list[Citation], schema: dict[str, Any]) -> list[dict[str, Any]]:
    written: list[dict[str, Any]] = json.loads(write(items, "csl-json"))
    jsonschema.validate(written, schema)
    assert len({item["id"] for item in written}) == len(written)
    assert all(item["type"] in TYPES for item in written)
    return written


def test_records_and_gold_validate(shared: Path, schema: dict[str, Any]) -> None:
    items = assign_keys(
        [*produced([shared / "records", EXAMPLES]), *gold(shared / "gold" / "refs")]
    )
    written = validate(items, schema)
    with_pmid = [i for i in written if "PMID" in i]
    assert all(f"PMID: {i['PMID']}" in i["note"].split("\n") for i in with_pmid)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(items=st.lists(citations, min_size=1, max_size=5))
def test_generated_citations_validate(items: list[Citation], schema: dict[str, Any]) -> None:
    validate(assign_keys(items), schema)


def test_every_written_type_is_a_csl_type(schema: dict[str, Any]) -> None:
    known = set(schema["items"]["properties"]["type"]["enum"])
    assert set(TYPES) <= known
    assert set(ALIASES) <= known
    for csl_type in [*known, "", "software", "no-such-type"]:
        assert writable(csl_type) in TYPES
