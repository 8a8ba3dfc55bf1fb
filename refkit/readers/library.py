"""Bibliographies a user brings (``.bib``, CSL-JSON, ``.ris``) → Citations, ids kept.

``read_library(paths)`` walks files and folders like ``read_records`` and picks the library
reader (entry-point group ``refkit.libraries``) by content. ``read_inputs(paths)`` reads trial
records and libraries together, as ``refkit build`` does: a file is a trial record when a trial
reader claims it, else a library when a library reader does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from refkit import plugins
from refkit.errors import ReadError
from refkit.model import Citation, Record
from refkit.plugins import LibraryReader
from refkit.readers import SNIFF_BYTES, Skipped, iter_files, pick_reader, read_file

NOT_A_LIBRARY = "not a BibTeX, CSL-JSON or RIS library"
NEITHER = "neither a trial record nor a BibTeX, CSL-JSON or RIS library"


def read_library(paths: Iterable[str | Path]) -> Iterator[Citation | ReadError | Skipped]:
    """Citations from every library file under ``paths``, with errors and skipped files."""
    candidates = plugins.library_readers()
    for item in iter_files(paths):
        if isinstance(item, Path):
            yield from read_library_file(item, candidates)
        else:
            yield item


@dataclass
class Library:
    """Every entry of some libraries, with the files and entries that could not be used."""

    citations: list[Citation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: path, what, what to do
    skipped: list[str] = field(default_factory=list)  # files that are no library


def load_library(paths: Iterable[str | Path]) -> Library:
    """``read_library`` gathered: the citations in order, problems and skipped files named."""
    library = Library()
    for item in read_library(paths):
        if isinstance(item, Citation):
            library.citations.append(item)
        elif isinstance(item, ReadError):
            library.problems.append(item.one_line())
        else:
            library.skipped.append(f"{item.path}: {item.reason}")
    return library


def read_inputs(
    paths: Iterable[str | Path],
) -> Iterator[Record | Citation | ReadError | Skipped]:
    """Trial records and library entries from every file under ``paths``, in order."""
    record_readers = plugins.readers()
    library_readers = plugins.library_readers()
    for item in iter_files(paths):
        if not isinstance(item, Path):
            yield item
            continue
        head = _head(item)
        if head.strip() and pick_reader(item, head, record_readers) is None:
            yield from read_library_file(item, library_readers, skip_reason=NEITHER)
        else:
            yield from read_file(item, record_readers)


def read_library_file(
    path: Path, candidates: Sequence[LibraryReader], skip_reason: str = NOT_A_LIBRARY
) -> Iterator[Citation | ReadError | Skipped]:
    try:
        head = _read_head(path)
    except OSError as error:
        yield ReadError(
            f"cannot open ({error.strerror})", where=str(path), hint="check permissions"
        )
        return
    if not head.strip():
        yield ReadError("the file is empty", where=str(path))
        return
    reader = _pick(path, head, candidates)
    if reader is None:
        yield Skipped(str(path), skip_reason)
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


def _pick(path: Path, head: bytes, candidates: Sequence[LibraryReader]) -> LibraryReader | None:
    suffix = path.suffix.lower()
    ordered = sorted(candidates, key=lambda r: suffix not in r.suffixes)
    return next((r for r in ordered if r.sniff(head, path)), None)


def _read_head(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(SNIFF_BYTES)


def _head(path: Path) -> bytes:
    try:
        return _read_head(path)
    except OSError:
        return b""
