"""The spool gives back each citation equal to the one put in, by position or in order."""

from __future__ import annotations

import errno

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refkit.errors import ExportError
from refkit.model import Citation, Date, Name, Provenance
from refkit.spool import Spool

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
names = st.builds(Name, family=text.filter(bool), given=text, particle=text, orcid=text)
dates = st.builds(
    Date,
    year=st.integers(0, 3000),
    end=st.none() | st.builds(Date, year=st.integers(1, 3000), circa=st.booleans()),
    literal=text,
)
places = st.builds(Provenance, path=text, record=text, position=st.integers(0, 10**6))
citations = st.builds(
    Citation,
    id=text,
    title=text,
    author=st.lists(names, max_size=3).map(tuple),
    translator=st.lists(names, max_size=1).map(tuple),
    issued=st.none() | dates,
    accessed=st.none() | dates,
    keyword=st.lists(text, max_size=2).map(tuple),
    extra=st.lists(st.tuples(text, text), max_size=2).map(tuple),
    provenance=st.lists(places, max_size=2).map(tuple),
    confidence=st.floats(0, 1),
    match_score=st.none() | st.floats(0, 1),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(citations, max_size=8))
def test_every_citation_comes_back_equal(items: list[Citation]) -> None:
    spool = Spool(items)
    assert len(spool) == len(items)
    assert (spool.size > 0) == bool(items)
    assert list(spool) == items
    assert [spool[i] for i in reversed(range(len(items)))] == items[::-1]
    spool.close()


def test_reads_between_appends_and_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A read between two appends does not overwrite; iteration crosses read-ahead blocks."""
    monkeypatch.setattr("refkit.spool._READ_AHEAD", 300)
    items = [Citation(title=f"Work {n} " * n, author=(Name("Ng", "A."),)) for n in range(40)]
    spool = Spool()
    for item in items:
        spool.append(item)
        assert spool[0] == items[0]
    assert list(spool) == items
    assert spool[-1] == items[-1]
    assert spool[2:4] == items[2:4]
    with pytest.raises(IndexError):
        spool[40]


def test_equal_names_come_back_as_one_value() -> None:
    """Authors recur from reference to reference; read back, they are held once."""
    name = Name("Lieshout", "E", particle="van")
    spool = Spool([Citation(author=(name,)), Citation(author=(name, Name("Ng", "A.")))])
    first, second = spool
    assert first.author[0] is second.author[0]


def test_a_full_temporary_folder_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    spool = Spool([Citation(title="Kept")])

    def full(data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spool._file, "write", full)
    with pytest.raises(ExportError, match=r"cannot write \(No space left on device\).*TMPDIR"):
        spool.append(Citation(title="Lost"))
    assert list(spool) == [Citation(title="Kept")]


def test_the_file_is_made_at_the_first_citation(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty spool (every command's runner makes one) opens no file; a temporary folder
    that cannot be written is the same one clear error at the first citation."""

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("refkit.spool.tempfile.TemporaryFile", refused)
    spool = Spool()
    assert list(spool) == []
    with pytest.raises(ExportError, match=r"cannot write \(Permission denied\).*TMPDIR"):
        spool.append(Citation(title="Lost"))
    assert len(spool) == 0
