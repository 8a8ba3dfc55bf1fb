"""Readers: every input format a user may hand refkit, picked by content.

``read_records(paths)`` walks files and folders (recursively, in a stable order), asks each
installed reader whether a file is its format, and yields what the reader gives: ``Record``s,
``ReadError``s for what could not be read, and ``Skipped`` notes for files that are no record.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from refkit.errors import ReadError
from refkit.model import Record
from refkit.plugins import Reader, readers

SNIFF_BYTES = 8192


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that is not a record of any known format (or is hidden): noted, not an error."""

    path: str
    reason: str


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | Skipped | ReadError]:
    """Every file under ``paths``, sorted, hidden ones skipped; symlink loops are not followed."""
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
    def on_error(error: OSError) -> None:
        problems.append(ReadError(f"cannot list folder ({error.strerror})", where=error.filename))

    problems: list[ReadError] = []
    for root, dirs, files in os.walk(folder, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from problems
        problems.clear()
        for name in sorted(files):
            path = Path(root, name)
            if name.startswith("."):
                yield Skipped(str(path), "hidden file")
            else:
                yield path
    yield from problems


def pick_reader(path: Path, head: bytes, candidates: Sequence[Reader]) -> Reader | None:
    """The first reader that recognises the content; suffix matches are asked first."""
    suffix = path.suffix.lower()
    ordered = sorted(candidates, key=lambda r: suffix not in r.suffixes)
    for reader in ordered:
        if reader.sniff(head, path):
            return reader
    return None


def read_file(path: Path, candidates: Sequence[Reader]) -> Iterator[Record | ReadError | Skipped]:
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError as error:
        yield ReadError(
            f"cannot open ({error.strerror})", where=str(path), hint="check permissions"
        )
        return
    if not head.strip():
        yield ReadError("the file is empty", where=str(path), hint="download the record again")
        return
    reader = pick_reader(path, head, candidates)
    if reader is None:
        yield Skipped(str(path), "not a trial record in any known format")
        return
    try:
        yield from reader.read(path)
    except ReadError as error:
        yield error
    except OSError as error:
        yield ReadError(f"cannot read ({error.strerror})", where=str(path))
    except Exception as error:  # noqa: BLE001 - a reader's bug must not lose the other files
        yield ReadError(
            f"{reader.name} reader failed ({type(error).__name__}: {error})",
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
