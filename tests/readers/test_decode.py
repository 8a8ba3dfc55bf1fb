"""Bytes to text: what is binary, what is damaged, and where a file stops being UTF-8."""

from __future__ import annotations

from pathlib import Path

import pytest

from refkit.errors import ReadError
from refkit.readers.decode import _CHUNK, binary_kind, decode, open_text


def first_bad(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return -1


@pytest.mark.parametrize(
    "data",
    [
        b"abc\xff",
        "é".encode() * 700_000 + b"\xe9x",  # past the first chunk
        b"a" * (_CHUNK - 1) + "é".encode() + b"\xff",  # a sequence across a chunk's end
        b"a" * (_CHUNK - 1) + b"\xc3",  # cut inside a sequence at the very end
        b"a" * (2 * _CHUNK) + b"\x80",
    ],
)
def test_the_first_byte_that_is_not_utf8_is_named(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(data)
    stream, warning = open_text(path)
    stream.close()
    assert f"not valid UTF-8 (from byte {first_bad(data)})" in warning
    assert f"(from byte {first_bad(data)})" in decode(data, "a.txt")[1]


def test_utf8_gives_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes("é".encode() * (_CHUNK // 2 + 1))
    stream, warning = open_text(path)
    stream.close()
    assert warning == ""


def test_text_then_zeros_is_damaged_not_binary() -> None:
    text = b"Title of a study\nNCT ID: NCT00000001\n" * 10
    assert binary_kind(text + b"\x00" * 100) == f"text, then NUL bytes from byte {len(text)}"
    assert binary_kind(b"\x00\x01\x02" * 40) == "binary data"
    with pytest.raises(
        ReadError, match=rf"a\.txt: text, then NUL bytes from byte {len(text)}: the"
    ):
        decode(text + b"\x00", "a.txt")


def test_a_nul_far_into_a_text_file_is_found() -> None:
    data = b"x" * 100_000 + b"\x00" * 10
    assert binary_kind(data[:8192]) == ""  # not in the first bytes...
    with pytest.raises(ReadError, match="NUL bytes from byte 100000"):
        decode(data, "a.txt")  # ...but in the whole file
