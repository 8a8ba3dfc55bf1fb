"""Whatever bytes a file holds, each reader gives Records (or Citations) and ReadErrors, and
raises nothing but ReadError: a reader's crash would otherwise reach the user as a bug report
("reader failed") instead of a line saying what is wrong with the file."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import pytest
from helpers import DATA, EXAMPLES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from refkit import plugins
from refkit.errors import ReadError
from refkit.model import Citation, Record

READERS = {reader.name: reader for reader in [*plugins.readers(), *plugins.library_readers()]}
SAMPLES = {
    "ctgov-text": EXAMPLES / "NCT00962923.txt",
    "ctgov-json": EXAMPLES / "NCT04251754.json",
    "ctgov-classic": DATA / "readers" / "same-study" / "NCT03630471.classic.json",
    "ctgov-xml": DATA / "readers" / "same-study" / "NCT03630471.xml",
    "bibtex": DATA / "library" / "sample.bib",
    "csl-json": DATA / "library" / "sample.json",
    "ris": DATA / "library" / "sample.ris",
}


@cache
def sample(name: str) -> bytes:
    return SAMPLES[name].read_bytes()


def damaged(name: str) -> st.SearchStrategy[bytes]:
    """The reader's own format, cut, with bytes overwritten or put in: close to valid, the
    input most likely to reach a reader's corners."""
    data = sample(name)
    cut = st.integers(0, len(data)).map(lambda n: data[:n])
    spliced = st.tuples(st.integers(0, len(data)), st.binary(min_size=1, max_size=12)).map(
        lambda p: data[: p[0]] + p[1] + data[p[0] + len(p[1]) :]
    )
    inserted = st.tuples(st.integers(0, len(data)), st.binary(min_size=1, max_size=40)).map(
        lambda p: data[: p[0]] + p[1] + data[p[0] :]
    )
    return st.one_of(cut, spliced, inserted)


def arbitrary(name: str) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=600), damaged(name))


def read_all(name: str, data: bytes) -> list[object]:
    reader = READERS[name]
    suffix = SAMPLES[name].suffix
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, f"input{suffix}")
        path.write_bytes(data)
        reader.sniff(data[:8192], path)  # must not raise either
        try:
            return list(reader.read(path))
        except ReadError as error:
            return [error]


def test_every_reader_has_a_sample() -> None:
    assert set(SAMPLES) == set(READERS)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_sample_gives_records(name: str) -> None:
    assert [i for i in read_all(name, sample(name)) if isinstance(i, Record | Citation)]


@pytest.mark.parametrize("name", sorted(SAMPLES))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_bytes_give_records_or_read_errors(name: str, data: st.DataObject) -> None:
    items = read_all(name, data.draw(arbitrary(name)))
    assert all(isinstance(item, Record | Citation | ReadError) for item in items)
    for item in items:
        if isinstance(item, ReadError):
            assert item.where and item.message  # a line that names the file and the fault


XML_SAMPLE = sample("ctgov-xml")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blob=arbitrary("ctgov-xml"))
# Found by the test above: expat raised LookupError on a declaration naming no known encoding.
@example(blob=XML_SAMPLE.replace(b'encoding="UTF-8"', b'encoding="U-F-8"'))
@example(blob=XML_SAMPLE.replace(b'encoding="UTF-8"', b'encoding="UTF-32"'))
def test_xml_any_bytes_give_records_or_read_errors(blob: bytes) -> None:
    items = read_all("ctgov-xml", blob)
    assert all(isinstance(item, Record | Citation | ReadError) for item in items)
