"""Citations held in a temporary file while a build runs, a few bytes each in memory.

A registry's worth of references makes millions of citations (~2 KB each as objects); a build
needs each only a few times (to compare, to key, to write), so they wait on disk, each as a
``marshal``-ed tuple of plain values (strings, numbers, tuples), and come back as equal
citations. The file is the process's own (``tempfile.TemporaryFile``: no name on disk, gone
when closed or when the process ends), so nothing else ever reads what ``marshal`` wrote.
"""

from __future__ import annotations

import io
import marshal
import os
import tempfile
from array import array
from collections.abc import Iterable, Iterator
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


class Spool(CitationView):
    """An append-only sequence of citations kept in a temporary file."""

    def __init__(self, citations: Iterable[Citation] = ()) -> None:
        # Opened at the first append (an empty spool, as every command's runner makes one,
        # makes no file); closed by close(), or with the spool when it is dropped.
        self._file: IO[bytes] = io.BytesIO()
        self._ends = array("q")  # where each citation's bytes end
        self._names: dict[tuple[str, ...], Name] = {}  # names read back, each held once
        for citation in citations:
            self.append(citation)

    def append(self, citation: Citation) -> None:
        """Raises ExportError when the temporary folder is full or cannot be written (nothing
        is written then)."""
        data = marshal.dumps(_plain(citation))
        end = self._ends[-1] if self._ends else 0
        try:
            if not self._ends:
                self._file = tempfile.TemporaryFile(prefix="refkit-")  # noqa: SIM115
            self._file.seek(end)
            self._file.write(data)
            self._file.flush()
        except OSError as error:
            raise ExportError(
                f"cannot write ({error.strerror})",
                where=tempfile.gettempdir(),
                hint="a build holds its citations in a temporary file there: "
                "free some space, or set TMPDIR to a folder with room",
            ) from error
        self._ends.append(end + len(data))

    def __len__(self) -> int:
        return len(self._ends)

    @property
    def size(self) -> int:
        """The bytes the citations take on disk."""
        return self._ends[-1] if self._ends else 0

    def _make(self, index: int) -> Citation:
        start = self._ends[index - 1] if index else 0
        return self._citation(self._read(start, self._ends[index] - start))

    def _read(self, start: int, size: int) -> bytes:
        if _PREAD:
            # At an offset, never moving the file's position: forked workers share that
            # position with this process and one another, and read the spool side by side.
            return os.pread(self._file.fileno(), size, start)
        self._file.seek(start)
        return self._file.read(size)

    def __iter__(self) -> Iterator[Citation]:
        """In order, reading ahead a block at a time (a write in between is fine)."""
        start, index = 0, 0
        while index < len(self._ends):
            last = index
            while last + 1 < len(self._ends) and self._ends[last + 1] - start <= _READ_AHEAD:
                last += 1
            block = self._read(start, self._ends[last] - start)
            for position in range(index, last + 1):
                begin = (self._ends[position - 1] if position else 0) - start
                yield self._citation(block[begin : self._ends[position] - start])
            start, index = self._ends[last], last + 1

    def close(self) -> None:
        self._file.close()

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
