"""Bibliographies a user brings (``.bib``, CSL-JSON, ``.ris``) → Citations, ids kept.

``read_library(paths)`` walks files and folders like ``read_records`` and picks the library
reader (entry-point group ``refkit.libraries``) by content. ``read_inputs(paths)`` reads trial
records and libraries together, as ``refkit build`` does: a file is a trial record when a trial
reader claims it, else a library when a library reader does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from refkit import plugins
from refkit.errors import ReadError
from refkit.model import Citation, Record, with_citing_trials
from refkit.plugins import LibraryReader
from refkit.readers import (
    Skipped,
    first_claiming,
    guarded,
    is_archive,
    iter_files,
    open_error,
    pick_reader,
    read_head,
    read_members,
    read_with,
)
from refkit.readers.decode import detect, sniff_text

NOT_A_LIBRARY = "not a BibTeX, CSL-JSON or RIS library"
NEITHER = "neither a trial record nor a BibTeX, CSL-JSON or RIS library"
# Plain text may be anything (notes, a README): skipped with a note, not named as a problem.
TEXT_SUFFIXES = (".txt", ".text")


def read_library(paths: Iterable[str | Path]) -> Iterator[Citation | ReadError | Skipped]:
    """Citations from every library file under ``paths``, with errors and skipped files."""
    candidates = plugins.library_readers()
    for item in iter_files(paths):
        if isinstance(item, Path):
            yield from read_library_file(item, candidates)
        else:
            yield item


def read_inputs(
    paths: Iterable[str | Path],
) -> Iterator[Record | Citation | ReadError | Skipped]:
    """Trial records and library entries from every file under ``paths``, in order; the
    members of an archive (``.zip``, ``.gz``, ``.tar.gz``) as if each were a file."""
    read_one = input_reader()
    for item in iter_files(paths):
        if not isinstance(item, Path):
            yield item
            continue
        try:
            head = read_head(item)
        except OSError as error:
            yield open_error(error, item)
            continue
        if is_archive(head):
            yield from read_members(item, head, read_one)
        else:
            yield from read_one(item, head)


InputReader = Callable[[Path, bytes], Iterator[Record | Citation | ReadError | Skipped]]


def input_reader() -> InputReader:
    """What reads one input file (or archive member) from its first bytes, as ``refkit build``
    does: a trial record when a trial reader claims it, else a library when one does."""
    record_readers = plugins.readers()
    library_readers = plugins.library_readers()
    data_suffixes = plugins.all_suffixes(plugins.READERS, plugins.LIBRARIES) - set(TEXT_SUFFIXES)

    def read_one(item: Path, head: bytes) -> Iterator[Record | Citation | ReadError | Skipped]:
        reader = pick_reader(item, head, record_readers) if head.strip() else None
        if head.strip() and reader is None:
            for found in read_library_file(item, library_readers, skip_reason=NEITHER):
                meant = isinstance(found, Skipped) and item.suffix.lower() in data_suffixes
                yield _unclaimed(item, head) if meant else found
        else:
            yield from read_with(item, head, reader)

    return read_one


def _unclaimed(path: Path, head: bytes) -> ReadError:
    """A file named as data (``.json``, ``.xml``, ``.bib``...) that no reader recognises: a
    download gone wrong (an error page, a value of the wrong shape) is named, not skipped."""
    begins = " ".join(sniff_text(head[:200]).split())[:40]
    return ReadError(
        f"named {path.suffix.lower()} but neither a trial record nor a BibTeX, CSL-JSON or RIS "
        f"library (it begins {begins!r})",
        where=str(path),
        hint="give the record as ClinicalTrials.gov or your reference manager wrote it",
    )


def read_library_file(
    path: Path, candidates: Sequence[LibraryReader], skip_reason: str = NOT_A_LIBRARY
) -> Iterator[Citation | ReadError | Skipped]:
    try:
        head = read_head(path)
    except OSError as error:
        yield open_error(error, path)
        return
    if not head.strip():
        yield ReadError("the file is empty", where=str(path))
        return
    reader = _pick(path, head, candidates)
    if reader is None:
        yield Skipped(str(path), skip_reason)
        return
    for item in guarded(reader.name, reader.read, path):
        yield with_citing_trials(item) if isinstance(item, Citation) else item


def _pick(path: Path, head: bytes, candidates: Sequence[LibraryReader]) -> LibraryReader | None:
    # A UTF-16 or UTF-32 library (as some Windows tools write) is sniffed as the text it is.
    head = sniff_text(head).encode("utf-8") if detect(head)[0] else head
    return first_claiming(path, head, candidates)
