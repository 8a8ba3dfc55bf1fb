"""The spool gives back each citation equal to the one put in, by position or in order."""

from __future__ import annotations

import errno
import marshal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refkit.errors import ExportError
from refkit.model import Citation, Date, Name, Provenance
from refkit.spool import DiskOrder, Marshalled, Spool, order_of

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
# Lone surrogates (JSON's "\ud800" reads as one), astral and control characters too.
any_text = st.text(st.characters(categories=("Cs", "Cc", "Ll", "Lu", "Lo", "So")), max_size=8)
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


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(any_text, st.text("ab", max_size=3)), max_size=40))
def test_disk_orders_are_the_orders_python_gives(keys: list[tuple[str, str]]) -> None:
    """Any text (surrogates too) in the order ``sorted`` gives it, column by column; equal keys
    come as one run, in item order."""
    order = DiskOrder(2)
    order.add((item, *pair) for item, pair in enumerate(keys))
    items = range(len(keys))
    for column in (0, 1):
        runs = list(order.ordered(column))
        assert [item for run in runs for item in run] == sorted(
            items, key=lambda i: keys[i][column]
        )
        assert all(len({keys[i][column] for i in run}) == 1 for run in runs)
        assert len(runs) == len({key[column] for key in keys})
    order.close()


def test_runs_of_equal_keys_are_ordered_by_the_tie() -> None:
    order = DiskOrder(1)
    order.add([(0, "b"), (1, "a"), (2, "b"), (3, "b")])
    tie = {0: 2, 2: 0, 3: 1}
    assert list(order_of(order.ordered(0), tie.__getitem__)) == [1, 2, 3, 0]


def test_a_full_disk_while_ordering_is_one_clear_error() -> None:
    order = DiskOrder(1)
    order._db.execute("PRAGMA max_page_count=2")  # SQLite reports a full disk beyond it
    with pytest.raises(ExportError, match=r"cannot write \(database or disk is full\).*TMPDIR"):
        order.add((item, "x" * 200) for item in range(1000))


def test_values_marshalled_elsewhere_come_back_one_by_one() -> None:
    held = Marshalled()
    held.append_plain(("first", 1))
    made = [marshal.dumps(value) for value in [("a", frozenset({"b"})), (None, (1, 2))]]
    held.extend_marshalled(b"".join(made), map(len, made))
    assert [marshal.loads(held.marshalled(i)) for i in range(3)] == [
        ("first", 1),
        ("a", frozenset({"b"})),
        (None, (1, 2)),
    ]
    assert list(held.all_marshalled()) == [marshal.dumps(("first", 1)), *made]
