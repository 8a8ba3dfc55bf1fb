from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refkit.readers import jsonstream
from refkit.readers.jsonstream import ARRAY, PAGE, TOP, JsonSyntaxError, values


def decoded(text: str) -> list[tuple[str, int, Any]]:
    return list(values(io.StringIO(text)))


@pytest.fixture(params=[3, 1 << 16], ids=["tiny chunks", "default chunks"])
def chunk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    size: int = request.param
    monkeypatch.setattr(jsonstream, "_CHUNK", size)
    return size


def test_shapes(chunk: int) -> None:
    assert decoded('[{"a": 1}, 23456789, "x"]') == [
        (ARRAY, 1, {"a": 1}),
        (ARRAY, 2, 23456789),
        (ARRAY, 3, "x"),
    ]
    assert decoded('{"studies": [{"a": 1}, {"b": 2}], "nextPageToken": "t"}') == [
        (PAGE, 1, {"a": 1}),
        (PAGE, 2, {"b": 2}),
    ]
    assert decoded('{"a": 1}\n{"a": 2}\n') == [(TOP, 1, {"a": 1}), (TOP, 2, {"a": 2})]
    assert decoded("  []  ") == []
    assert decoded('{"studies": 5}') == [(TOP, 1, {"studies": 5})]


def test_a_value_ending_the_stream_is_decoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A study file is one object that ends the stream: decoded once, not again to learn
    that nothing follows; a number there may go on and is read to the end."""
    calls = []
    real = json.JSONDecoder.raw_decode

    def counted(self: json.JSONDecoder, text: str, pos: int = 0) -> tuple[Any, int]:
        calls.append(pos)
        return real(self, text, pos)

    monkeypatch.setattr(json.JSONDecoder, "raw_decode", counted)
    assert decoded('{"protocolSection": {"a": [1, 2]}}') == [
        (TOP, 1, {"protocolSection": {"a": [1, 2]}})
    ]
    assert len(calls) == 1
    monkeypatch.setattr(jsonstream, "_CHUNK", 3)
    assert decoded("1234567") == [(TOP, 1, 1234567)]
    assert decoded("[1, 2] 345") == [(ARRAY, 1, 1), (ARRAY, 2, 2), (TOP, 2, 345)]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@settings(deadline=None, max_examples=60)
@given(st.lists(json_values, max_size=5), st.integers(min_value=1, max_value=9))
def test_an_array_gives_back_what_json_reads(items: list[Any], size: int) -> None:
    text = json.dumps(items, indent=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonstream, "_CHUNK", size)
        assert [v for _, _, v in decoded(text)] == items


@pytest.mark.parametrize(
    "text",
    [
        '[\n  {"a": 1},\n  {"b": 2 "c": 3}\n]',
        '{"studies": [\n {"a": 1},\n {"a": 1,,}\n]}',
        "[1, 2\n\n, oops]",
    ],
)
def test_errors_give_the_line_and_column_json_would(chunk: int, text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as whole:
        json.loads(text)
    with pytest.raises(JsonSyntaxError) as streamed:
        decoded(text)
    assert (streamed.value.line, streamed.value.column) == (whole.value.lineno, whole.value.colno)
    assert not streamed.value.truncated


@pytest.mark.parametrize(
    "text", ['[{"a": 1}, {"b": "unfinished', '{"studies": [{"a": 1}', "[1, 2,"]
)
def test_truncation_is_told_apart(chunk: int, text: str) -> None:
    with pytest.raises(JsonSyntaxError) as streamed:
        decoded(text)
    assert streamed.value.truncated


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(JsonSyntaxError, match="nested too deeply"):
        decoded("[" * 200_000 + "]" * 200_000)
