"""Reading and parsing spread over processes (``--jobs N``), giving what one process gives.

The inputs are cut into units in their order: a few files at a time, or a slice of a zip's
members (the registry's download is one ZIP of ~550,000 studies); a tar, which can only be read
from its start, is one unit. Each worker process reads its unit and parses the references of
each record it finds; the results come back in the order of the units, so the stream equals
``read_inputs`` exactly, each record with its references parsed beside it.

A worker parses a reference string only the first time it meets it (later copies come back
unparsed: the build holds one citation per string and parses a copy itself only in the rare
case that it needs one), so copies cost the workers nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from refkit.errors import ReadError
from refkit.model import Citation, RawReference, Record
from refkit.readers import Skipped, iter_files, open_error
from refkit.readers.archive import archive_kind, forget_opened, read_archive, zip_files
from refkit.readers.library import input_reader, read_inputs
from refkit.spread import AHEAD_PER_JOB, in_order, processes

Item = Record | Citation | ReadError | Skipped
Parsed = tuple[Citation | None, ...]  # a record's references parsed, None: not parsed here
Parse = Callable[[RawReference], Citation | None]  # None: the reference is not to be parsed
FILES_PER_UNIT = 32
MEMBERS_PER_UNIT = 256
SEEN_MOST = 1_000_000  # strings a worker remembers having parsed (~60 MB): memory stays flat
_HEAD = 512  # enough to tell an archive (a tar's magic is at byte 257)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Unit:
    """Some files, or some members of one zip, read by one worker in one go."""

    paths: tuple[str, ...]
    members: range | None = None


def read_parsed(
    paths: Iterable[str | Path], jobs: int, parse: Parse
) -> Iterator[tuple[Item, Parsed | None]]:
    """``read_inputs(paths)``, each record with its references parsed by ``parse`` (None with
    ``jobs`` 1: the caller parses)."""
    if jobs <= 1:
        for item in read_inputs(paths):
            yield item, None
        return
    pieces = _plan(paths)
    ahead: list[Unit | Item] = []
    for piece in pieces:  # look ahead: one unit of work is not worth starting processes for
        ahead.append(piece)
        if sum(isinstance(p, Unit) for p in ahead) > 1:
            yield from _spread(_chain(ahead, pieces), jobs, parse)
            return
    for piece in ahead:
        if isinstance(piece, Unit):
            yield from _work(piece, parse, set())
        else:
            yield piece, None


def _chain(first: list[Unit | Item], rest: Iterator[Unit | Item]) -> Iterator[Unit | Item]:
    yield from first
    yield from rest


def _plan(paths: Iterable[str | Path]) -> Iterator[Unit | Item]:
    """The inputs in order: units of work, and what the walk itself found (skipped, errors)."""
    batch: list[str] = []
    for item in iter_files(paths):
        if not isinstance(item, Path):
            yield from _flush(batch)
            yield item
            continue
        try:
            with item.open("rb") as stream:
                kind = archive_kind(stream.read(_HEAD))
        except OSError as error:
            yield from _flush(batch)
            yield open_error(error, item)
            continue
        if not kind:
            batch.append(str(item))
            if len(batch) >= FILES_PER_UNIT:
                yield from _flush(batch)
            continue
        yield from _flush(batch)
        count = zip_files(item) if kind == "zip" else None
        if count is None:
            yield Unit((str(item),))
        else:
            for start in range(0, max(count, 1), MEMBERS_PER_UNIT):
                yield Unit((str(item),), range(start, min(start + MEMBERS_PER_UNIT, count)))
    yield from _flush(batch)


def _flush(batch: list[str]) -> Iterator[Unit]:
    if batch:
        yield Unit(tuple(batch))
        batch.clear()


def _spread(
    pieces: Iterator[Unit | Item], jobs: int, parse: Parse
) -> Iterator[tuple[Item, Parsed | None]]:
    """Units handed to ``jobs`` processes, at most a few ahead; results in the units' order."""
    # Zips the parent kept open are its own: a worker opens its own (a shared offset would mix
    # reads).
    with processes(jobs, forget_opened) as pool:
        work = partial(_piece_in_worker, parse=parse)
        for done in in_order(pool, work, pieces, ahead=jobs * AHEAD_PER_JOB):
            yield from done


def _piece_in_worker(piece: Unit | Item, parse: Parse) -> list[tuple[Item, Parsed | None]]:
    """A unit read and parsed; what the walk itself found (skipped, errors) as it is."""
    if isinstance(piece, Unit):
        return list(_work(piece, parse, _SEEN))
    return [(piece, None)]


_SEEN: set[int] = set()  # in a worker: the reference strings it has parsed (their hashes)


def _work(unit: Unit, parse: Parse, seen: set[int]) -> Iterator[tuple[Item, Parsed | None]]:
    for item in _read(unit):
        if isinstance(item, Record):
            yield item, tuple(_parse_once(raw, parse, seen) for raw in item.references)
        else:
            yield item, None


def _parse_once(raw: RawReference, parse: Parse, seen: set[int]) -> Citation | None:
    key = hash((raw.text, raw.pmid, raw.retractions))
    if key in seen:
        return None
    if len(seen) >= SEEN_MOST:  # forgetting costs only some parses twice, never a wrong one
        seen.clear()
    seen.add(key)
    return parse(raw)


def _read(unit: Unit) -> Iterator[Item]:
    if unit.members is None:
        yield from read_inputs(unit.paths)
        return
    path = Path(unit.paths[0])
    with path.open("rb") as stream:
        head = stream.read(_HEAD)
    yield from read_archive(path, head, input_reader(), unit.members)
