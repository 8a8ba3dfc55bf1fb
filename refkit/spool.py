"""Values held in a temporary file while a build runs, a few bytes each in memory.

A registry's worth of references makes millions of citations (~2 KB each as objects) and as
many deduplication profiles; a build needs each only a few times (to compare, to key, to
write), so they wait on disk, each as a ``marshal``-ed tuple of plain values (strings,
numbers, tuples, frozensets), and come back as equal values. The file is the process's own
(``tempfile.TemporaryFile``: no name on disk, gone when closed or when the process ends), so
nothing else ever reads what ``marshal`` wrote. Orders over more keys than memory should hold
(``disk_order``) are sorted by SQLite in a private temporary database.
"""

from __future__ import annotations

import io
import marshal
import os
import sqlite3
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields
from operator import attrgetter
from typing import IO, Any

from refkit.errors import ExportError
from refkit.model import Citation, Date, Name, Provenance
from refkit.views import CitationView

_FIELDS = tuple(f.name for f in fields(Citation))
_NAMES = tuple(_FIELDS.index(name) for name in ("author", "editor", "translator"))
_DATES = tuple(_FIELDS.index(name) for name in ("issued", "submitted", "accessed"))
_PROVENANCE = _FIELDS.index("provenance")
_name_parts = attrgetter(*(f.name for f in fields(Name)))
_provenance_parts = attrgetter(*(f.name for f in fields(Provenance)))
_date_parts = attrgetter(*(f.name for f in fields(Date)))
_PREAD = hasattr(os, "pread")  # where there is none, there is no fork either
_READ_AHEAD = 1 << 20  # bytes read at once when going through in order


class Marshalled:
    """An append-only sequence of plain values kept in a temporary file."""

    def __init__(self) -> None:
        # Opened at the first append (an empty one, as every command's runner makes, makes no
        # file); closed by close(), or when dropped.
        self._file: IO[bytes] = io.BytesIO()
        self._ends = array("q")  # where each value's bytes end

    def append_plain(self, values: Any) -> None:
        """Raises ExportError when the temporary folder is full or cannot be written (nothing
        is written then)."""
        data = marshal.dumps(values)
        self.extend_marshalled(data, (len(data),))

    def extend_marshalled(self, data: bytes, sizes: Iterable[int]) -> None:
        """Values ``marshal``-ed elsewhere (another process), one after another in ``data``,
        each ``sizes`` long."""
        end = self.size
        try:
            if not self._ends:
                self._file = tempfile.TemporaryFile(prefix="refkit-")  # noqa: SIM115
            self._file.seek(end)
            self._file.write(data)
            self._file.flush()
        except OSError as error:
            raise _full(error) from error
        for size in sizes:
            end += size
            self._ends.append(end)

    def __len__(self) -> int:
        return len(self._ends)

    @property
    def size(self) -> int:
        """The bytes the values take on disk."""
        return self._ends[-1] if self._ends else 0

    def marshalled(self, index: int) -> bytes:
        start = self._ends[index - 1] if index else 0
        return self._read(start, self._ends[index] - start)

    def _read(self, start: int, size: int) -> bytes:
        if _PREAD:
            # At an offset, never moving the file's position: forked workers share that
            # position with this process and one another, and read the file side by side.
            return os.pread(self._file.fileno(), size, start)
        self._file.seek(start)
        return self._file.read(size)

    def all_marshalled(self) -> Iterator[bytes]:
        """Each value's bytes in order, reading ahead a block at a time (a write in between
        is fine)."""
        start, index = 0, 0
        ends = self._ends
        while index < len(ends):
            last = index
            while last + 1 < len(ends) and ends[last + 1] - start <= _READ_AHEAD:
                last += 1
            block = self._read(start, ends[last] - start)
            for position in range(index, last + 1):
                begin = (ends[position - 1] if position else 0) - start
                yield block[begin : ends[position] - start]
            start, index = ends[last], last + 1

    def close(self) -> None:
        self._file.close()


def _full(error: OSError | sqlite3.Error) -> ExportError:
    reason = error.strerror if isinstance(error, OSError) else str(error)
    return ExportError(
        f"cannot write ({reason})",
        where=tempfile.gettempdir(),
        hint="a build holds its citations in temporary files there: "
        "free some space, or set TMPDIR to a folder with room",
    )


class Spool(Marshalled, CitationView):
    """An append-only sequence of citations kept in a temporary file."""

    def __init__(self, citations: Iterable[Citation] = ()) -> None:
        super().__init__()
        self._names: dict[tuple[str, ...], Name] = {}  # names read back, each held once
        for citation in citations:
            self.append(citation)

    def append(self, citation: Citation) -> None:
        """Raises ExportError when the temporary folder is full or cannot be written (nothing
        is written then)."""
        self.append_plain(_plain(citation))

    def _make(self, index: int) -> Citation:
        return self._citation(self.marshalled(index))

    def __iter__(self) -> Iterator[Citation]:
        """In order, reading ahead a block at a time (a write in between is fine)."""
        return map(self._citation, self.all_marshalled())

    def _citation(self, data: bytes) -> Citation:
        values = list(marshal.loads(data))
        names = self._names
        for index in _NAMES:
            if values[index]:
                values[index] = tuple([names.get(n) or self._name(n) for n in values[index]])
        for index in _DATES:
            if values[index] is not None:
                values[index] = _date(values[index])
        values[_PROVENANCE] = tuple([Provenance(*p) for p in values[_PROVENANCE]])
        return Citation(*values)

    def _name(self, parts: tuple[str, ...]) -> Name:
        if len(self._names) >= 100_000:  # a bound: the same authors recur, most others do not
            self._names.clear()
        name = self._names[parts] = Name(*parts)
        return name


def _plain(citation: Citation) -> tuple[Any, ...]:
    """The citation's values with every model value inside made a tuple."""
    values: list[Any] = [getattr(citation, name) for name in _FIELDS]
    for index in _NAMES:
        values[index] = tuple([_name_parts(name) for name in values[index]])
    for index in _DATES:
        if values[index] is not None:
            values[index] = _plain_date(values[index])
    values[_PROVENANCE] = tuple([_provenance_parts(p) for p in values[_PROVENANCE]])
    return tuple(values)


_DATE_END = tuple(f.name for f in fields(Date)).index("end")


def _plain_date(date: Date) -> tuple[Any, ...]:
    values = list(_date_parts(date))
    if date.end is not None:
        values[_DATE_END] = _plain_date(date.end)
    return tuple(values)


def _date(values: tuple[Any, ...]) -> Date:
    if values[_DATE_END] is None:
        return Date(*values)
    parts = list(values)
    parts[_DATE_END] = _date(values[_DATE_END])
    return Date(*parts)


class DiskOrder:
    """Items (numbers) in the order of text keys, sorted by SQLite in a private temporary
    database (``sqlite3.connect("")``: on disk, deleted when closed), so that a registry's
    worth of keys is never held at once. Each item may have several keys (columns), each
    ordered on its own.

    Keys are compared as UTF-8 bytes (surrogates passed through), which is the order of their
    code points: the order Python gives ``str``.
    """

    def __init__(self, columns: int) -> None:
        self._columns = columns
        self._db = sqlite3.connect("")
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-16384"):
            self._db.execute(f"PRAGMA {pragma}")
        keys = ", ".join(f"k{column} BLOB" for column in range(columns))
        self._db.execute(f"CREATE TABLE items (item INTEGER PRIMARY KEY, {keys})")
        marks = ", ".join("?" * (columns + 1))
        self._insert = f"INSERT INTO items VALUES ({marks})"

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """``(item, key, ...)`` rows, one key per column. Raises ExportError when the
        temporary folder is full."""
        encoded = ((item, *map(_sortable, keys)) for item, *keys in rows)
        try:
            self._db.executemany(self._insert, encoded)
        except sqlite3.Error as error:
            raise _full(error) from error

    def ordered(self, column: int) -> Iterator[list[int]]:
        """The items in order of key ``column``, as runs of equal keys (each in item order)."""
        query = f"SELECT k{column}, item FROM items ORDER BY k{column}, item"
        run: list[int] = []
        previous: bytes | None = None
        try:
            for key, item in self._db.execute(query):
                if key != previous and run:
                    yield run
                    run = []
                previous = key
                run.append(item)
        except sqlite3.Error as error:
            raise _full(error) from error
        if run:
            yield run

    def close(self) -> None:
        self._db.close()


def _sortable(key: str) -> bytes:
    return key.encode("utf-8", "surrogatepass")


def order_of(runs: Iterable[Sequence[int]], tie: Callable[[int], Any] | None = None) -> array[int]:
    """The items of ``runs`` in order, each run of equal keys ordered by ``tie(item)`` (the
    sort is stable: equal ties keep the run's order), or as it is without ``tie``."""
    ordered = array("q")
    for run in runs:
        ordered.extend(run if tie is None or len(run) == 1 else sorted(run, key=tie))
    return ordered
