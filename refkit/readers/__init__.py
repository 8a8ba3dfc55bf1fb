"""Readers: every input format a user may hand refkit, picked by content.

``read_records(paths)`` walks files and folders (recursively, in a stable order), asks each
installed reader whether a file is its format, and yields what the reader gives: ``Record``s,
``ReadError``s for what could not be read, and ``Skipped`` notes for files that are no record.

The formats, each a plugin of the ``refkit.readers`` group: ``ctgov-text`` (the text rendering),
``ctgov-json`` (API v2: a study, a page, an array, JSON Lines), ``ctgov-classic`` (the classic
API's ``FullStudiesResponse``) and ``ctgov-xml`` (legacy ``<clinical_study>``). Each reads the
NCT id from the content, never from the file name.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from refkit.errors import ReadError
from refkit.model import Record
from refkit.plugins import Reader, RecordReader, readers, suffixes
from refkit.readers.decode import binary_error, binary_kind

SNIFF_BYTES = 8192
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that is not a record of any known format (or is hidden): noted, not an error."""

    path: str
    reason: str


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | Skipped | ReadError]:
    """Every file under ``paths``, sorted, hidden ones skipped; a symlink loop is read once."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield path
        elif not path.exists():
            yield ReadError("no such file or folder", where=str(path), hint="check the path")
        else:
            yield Skipped(str(path), "not a regular file")


def _walk(folder: Path) -> Iterator[Path | Skipped | ReadError]:
    """Files under ``folder``; linked folders are followed, each real folder read once."""

    def on_error(error: OSError) -> None:
        problems.append(ReadError(f"cannot list folder ({error.strerror})", where=error.filename))

    problems: list[ReadError] = []
    seen = {os.path.realpath(folder): str(folder)}
    for root, dirs, files in os.walk(folder, onerror=on_error, followlinks=True):
        kept = []
        for name in sorted(dirs):
            sub = os.path.join(root, name)
            real = os.path.realpath(sub)
            if name.startswith("."):
                yield Skipped(sub, "hidden folder")
            elif real in seen:
                yield Skipped(sub, f"the same folder as {seen[real]}, already read")
            else:
                seen[real] = sub
                kept.append(name)
        dirs[:] = kept
        yield from problems
        problems.clear()
        for name in sorted(files):
            path = Path(root, name)
            if name.startswith("."):
                yield Skipped(str(path), "hidden file")
            else:
                yield path
    yield from problems


class _Refuse:
    """Stands in for a reader when a file meant as a record holds binary content: names it."""

    name = "binary"

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def sniff(self, head: bytes, path: Path) -> bool:
        return True

    def read(self, path: Path) -> Iterator[Record | ReadError]:
        raise binary_error(self.kind, str(path))


def pick_reader(path: Path, head: bytes, candidates: Sequence[RecordReader]) -> RecordReader | None:
    """The first reader that recognises the content; suffix matches are asked first.

    Binary content is nobody's format: under a record's suffix (``.json``, ``.xml``...), and
    always for an archive (the registry's "JSON (zip)" download), it is refused by name.
    """
    suffix = path.suffix.lower()
    kind = binary_kind(head)
    if kind:
        meant = kind.endswith("archive") or any(suffix in suffixes(r) for r in candidates)
        return _Refuse(kind) if meant else None
    return first_claiming(path, head, candidates)


R = TypeVar("R", bound=Reader[Any])


def first_claiming(path: Path, head: bytes, candidates: Sequence[R]) -> R | None:
    """The first reader whose ``sniff`` claims ``head``, those declaring the suffix asked first."""
    suffix = path.suffix.lower()
    ordered = sorted(candidates, key=lambda r: suffix not in suffixes(r))
    return next((reader for reader in ordered if reader.sniff(head, path)), None)


_OPEN_HINTS = {
    errno.EACCES: "check its permissions",
    errno.EPERM: "check its permissions",
    errno.ELOOP: "a symbolic link in a loop: point it at a file or remove it",
}


def open_error(error: OSError, path: Path) -> ReadError:
    """``path: cannot open (Permission denied) (check its permissions)``, the hint by cause."""
    hint = _OPEN_HINTS.get(error.errno or 0, "check that it is a readable file")
    if error.errno == errno.ENOENT:  # listed a moment ago: a link to nothing, or just removed
        gone = "a symbolic link to a file that is gone" if path.is_symlink() else "it was removed"
        hint = f"{gone}: give an existing file"
    return ReadError(f"cannot open ({error.strerror})", where=str(path), hint=hint)


def read_head(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(SNIFF_BYTES)


def read_file(
    path: Path, candidates: Sequence[RecordReader]
) -> Iterator[Record | ReadError | Skipped]:
    """What the reader of ``path`` (picked by its content) gives."""
    try:
        head = read_head(path)
    except OSError as error:
        yield open_error(error, path)
        return
    if is_archive(head):
        yield from read_members(path, head, partial(_read_plain, candidates=candidates))
        return
    yield from _read_plain(path, head, candidates)


def _read_plain(
    path: Path, head: bytes, candidates: Sequence[RecordReader]
) -> Iterator[Record | ReadError | Skipped]:
    reader = pick_reader(path, head, candidates) if head.strip() else None
    yield from read_with(path, head, reader)


def is_archive(head: bytes) -> bool:
    from refkit.readers.archive import archive_kind  # it reads members with this module

    return bool(archive_kind(head))


def read_members(
    path: Path, head: bytes, read_one: Callable[[Path, bytes], Iterator[T]]
) -> Iterator[T | ReadError | Skipped]:
    """Each member of the archive at ``path`` through ``read_one``, named ``path:member``."""
    from refkit.readers.archive import read_archive  # it reads members with this module

    yield from read_archive(path, head, read_one)


def read_with(
    path: Path, head: bytes, reader: RecordReader | None
) -> Iterator[Record | ReadError | Skipped]:
    """What ``reader`` gives for ``path``, whose first bytes are ``head``."""
    if not head.strip():
        yield ReadError("the file is empty", where=str(path), hint="download the record again")
        return
    if reader is None:
        yield Skipped(str(path), "not a trial record in any known format")
        return
    yield from guarded(reader.name, reader.read, path)


def guarded(name: str, read: Callable[[Path], Iterator[T]], path: Path) -> Iterator[T | ReadError]:
    """What ``read(path)`` yields, each error tied to ``path``; whatever a reader raises becomes
    one ReadError naming the file, and the files after it are still read."""
    try:
        for item in read(path):
            if isinstance(item, ReadError):
                item.path = str(path)
            yield item
    except ReadError as error:
        error.path = str(path)
        yield error
    except OSError as error:
        yield ReadError(f"cannot read ({error.strerror})", where=str(path))
    except RecursionError:
        yield ReadError("nested too deeply to read", where=str(path), hint="is this a record?")
    except Exception as error:  # noqa: BLE001 - a reader's bug must not lose the other files
        yield ReadError(
            f"{name} reader failed ({type(error).__name__}: {error})",
            where=str(path),
            hint="please report this file to the refkit maintainers",
        )


def read_records(paths: Iterable[str | Path]) -> Iterator[Record | ReadError | Skipped]:
    """Records from every file under ``paths``, with errors and skipped files in stream order."""
    candidates = readers()
    for item in iter_files(paths):
        if isinstance(item, Path):
            yield from read_file(item, candidates)
        else:
            yield item
