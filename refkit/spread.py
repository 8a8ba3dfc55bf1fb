"""Work spread over processes, its results given back in the order of the work.

Reading and parsing (``jobs``), deduplication (profiles, scoring) and writing (keys, entries)
hand pieces of work to a pool of processes, a few pieces ahead of the one awaited, so that what
waits in memory is bounded however long the input is (``Pool.imap`` would take the whole input
at once).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache, partial
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, TypeVar

T = TypeVar("T")
H = TypeVar("H")
R = TypeVar("R")
# Forked workers inherit what the parent holds (a spool's file, profiles) instead of being sent
# it; elsewhere (spawned workers start empty) such work stays in one process.
FORKS = hasattr(os, "fork")
AHEAD_PER_JOB = 4  # pieces handed out ahead of the one awaited, per process
# Items in a batch: enough that handing a batch to a process costs little beside its work.
BATCH = 500


@contextmanager
def processes(jobs: int, initializer: Callable[[], None] | None = None) -> Iterator[Pool]:
    """A pool of ``jobs`` processes, stopped (terminated) when the block ends."""
    _one_malloc_arena()
    context = multiprocessing.get_context("fork" if FORKS else "spawn")
    with context.Pool(jobs, initializer=_started, initargs=(initializer,)) as pool:
        yield pool


@cache
def _one_malloc_arena() -> None:
    """Have glibc's malloc serve every thread from one arena. A pool unpickles the results in
    a thread of its own, to which glibc gives an arena of its own, and what it frees there is
    seldom given back: a 20,000-study build held ~30 MB more by the end of writing (the GIL
    lets one thread allocate at a time anyway). Elsewhere than glibc, nothing to do."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_ARENA_MAX, 1)
    except (OSError, AttributeError):
        pass


_M_ARENA_MAX = -8  # glibc's malloc.h


def _started(then: Callable[[], None] | None) -> None:
    """Ctrl-C is the main process's to handle: it stops the workers and removes temp files;
    the pool ends a worker with SIGTERM, which the command turns into an interrupt. What a
    forked worker inherited is set aside from garbage collection: a collection walking it
    would write to every page it shares with the parent, copying them all."""
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if then is not None:
        then()


def in_order(
    pool: Pool, function: Callable[[T], R], pieces: Iterable[T], *, ahead: int
) -> Iterator[R]:
    """``map(function, pieces)`` computed by ``pool``, at most ``ahead`` pieces handed out
    beyond the one whose result is given next."""
    waiting: deque[AsyncResult[R]] = deque()
    for piece in pieces:
        waiting.append(pool.apply_async(function, (piece,)))
        while len(waiting) > ahead:
            yield waiting.popleft().get()
    while waiting:
        yield waiting.popleft().get()


def forked_batches(held: H, work: Callable[[H, range], R], count: int, jobs: int) -> Iterator[R]:
    """``work(held, batch)`` for each batch of ``range(count)``, in order, by ``jobs`` forked
    processes that inherit ``held`` instead of being sent it (profiles, a spool's file);
    ``work`` must be a module's function (it is sent by name). In this process, a batch at a
    time, when one is enough or where processes cannot be forked."""
    pieces = (range(start, min(start + BATCH, count)) for start in range(0, count, BATCH))
    if jobs <= 1 or not FORKS or count <= BATCH:
        for piece in pieces:
            yield work(held, piece)
        return
    _HELD.append(held)
    try:
        with processes(_affordable(jobs)) as pool:
            yield from in_order(pool, partial(_held_work, work), pieces, ahead=jobs * AHEAD_PER_JOB)
    finally:
        _HELD.pop()


def _affordable(jobs: int) -> int:
    """As many forked workers as the free memory holds, ``jobs`` at most: a worker that reads
    what it inherited comes to hold its own copy of much of it (Python writes a reference
    count into every object it reads), so each may grow to the size of this process."""
    try:
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/self/statm", encoding="ascii") as statm:
            own = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return jobs  # not Linux: no measure to go by
    return max(1, min(jobs, free // max(own, 1)))


_HELD: list[Any] = []  # in a forked worker: what ``forked_batches`` was holding at the fork


def _held_work(work: Callable[[Any, range], R], batch: range) -> R:
    return work(_HELD[-1], batch)


def batches(items: Iterable[T], size: int = 0) -> Iterator[Sequence[T]]:
    """``items`` in lists of ``size`` (default ``BATCH``; the last may be shorter)."""
    size = size or BATCH
    found = iter(items)
    while batch := list(islice(found, size)):
        yield batch
