"""Pace requests to the limits Crossref announces, and never have more in flight than it allows.

Crossref states its limits on every response: ``x-rate-limit-limit`` requests per
``x-rate-limit-interval`` (older responses spell them ``x-ratelimit-*``) and, since December 2025,
``x-concurrency-limit``. The limits differ by pool and by route: in 2026 the public pool allowed
5 requests/s with 1 in flight on every route; the polite pool 10/s for single works and as little
as 3/s for searches, with 3 in flight. Until the first answer arrives, refkit assumes those
documented limits of the pool it uses; afterwards, whatever the server last said.

Requests are spaced evenly (no bursts), a little below the announced rate so that jitter in
arrival times never puts one request too many into the server's window. A 429 halves the pace
and pauses the route for ``Retry-After``; every success wins back a little of the pace.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from refkit.errors import EnrichError

SINGLE = "single"  # /works/{doi}
LIST = "list"  # /works?query...
KINDS = (SINGLE, LIST)

PUBLIC, POLITE, PLUS = "public", "polite", "plus"
# NCBI's E-utilities: 3 requests/s per IP without an API key, 10/s with one, every route together.
NCBI, NCBI_KEY = "ncbi", "ncbi-key"
# Pools whose limit holds for every route together: one pace for both kinds of request.
SHARED_PACE = frozenset({PUBLIC, NCBI, NCBI_KEY})

# Spacing requests at 95 % of the announced rate keeps a margin for arrival jitter.
MARGIN = 0.95
# After a 429 the pace is halved (down to 1/8); each success wins back 5 % of the full pace.
SLOWEST = 0.125
RECOVERY = 0.05
# A wait longer than this (a long Retry-After) fails the request instead of hanging the run.
MAX_WAIT = 60.0


@dataclass(frozen=True, slots=True)
class Limits:
    rate: float  # requests per second
    concurrency: int


# What Crossref documented and recorded in 2026 (../shared/crossref/CROSSREF_API.md §5). The Plus
# pool's current limits are not documented; it starts like the polite pool and follows the headers.
START: dict[str, dict[str, Limits]] = {
    PUBLIC: {SINGLE: Limits(5, 1), LIST: Limits(5, 1)},
    POLITE: {SINGLE: Limits(10, 3), LIST: Limits(3, 3)},
    PLUS: {SINGLE: Limits(10, 3), LIST: Limits(3, 3)},
    # NCBI limits requests per second, not requests in flight; a batch of a few hundred PMIDs
    # takes a second or two to answer, so a few may overlap while the pace holds.
    NCBI: {SINGLE: Limits(3, 3), LIST: Limits(3, 3)},
    NCBI_KEY: {SINGLE: Limits(10, 3), LIST: Limits(10, 3)},
}

_SECONDS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*s?\s*$", re.IGNORECASE)


def _header(headers: Mapping[str, str], *names: str) -> str | None:
    lowered = {key.lower(): value for key, value in headers.items()}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def announced(headers: Mapping[str, str]) -> tuple[float | None, int | None]:
    """The rate (requests/s) and concurrency a response announces; None where it says nothing."""
    limit = _header(headers, "x-rate-limit-limit", "x-ratelimit-limit")
    interval = _header(headers, "x-rate-limit-interval", "x-ratelimit-interval") or "1s"
    concurrency = _header(headers, "x-concurrency-limit")
    rate = None
    seconds = _SECONDS.match(interval)
    if limit is not None and limit.strip().isdigit() and seconds and float(seconds.group(1)) > 0:
        rate = int(limit) / float(seconds.group(1)) or None
    in_flight = int(concurrency) if concurrency and concurrency.strip().isdigit() else None
    return rate, (in_flight or None)


class WaitTooLong(EnrichError):
    """The server asked for a pause longer than refkit waits within one run."""

    def __init__(self, seconds: float, service: str = "Crossref") -> None:
        super().__init__(f"{service} asked to wait {seconds:.0f} s")
        self.seconds = seconds


class Limiter:
    """Shared by every worker thread: a concurrency cap and an even pace per kind of route."""

    def __init__(
        self,
        pool: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = MAX_WAIT,
        service: str = "Crossref",
    ) -> None:
        start = START[pool]
        # The public pool's limit holds for every route together, so both kinds share one pace.
        self._bucket = {kind: (pool if pool in SHARED_PACE else kind) for kind in KINDS}
        self._service = service
        self._rate = {self._bucket[kind]: start[kind].rate for kind in KINDS}
        # Each request starts one spacing (at the rate in force then) after the one before.
        self._last = dict.fromkeys(self._rate, -math.inf)
        self._last_any = -math.inf
        self._paused_until = dict.fromkeys(self._rate, -math.inf)
        self._concurrency = min(limits.concurrency for limits in start.values())
        self._in_flight = 0
        self._pace = 1.0
        self._clock = clock
        self._sleep = sleep
        self._max_wait = max_wait
        self._cond = threading.Condition()

    @property
    def concurrency(self) -> int:
        return self._concurrency

    def rate(self, kind: str) -> float:
        """The announced rate now in force for ``kind`` (requests/s)."""
        return self._rate[self._bucket[kind]]

    @contextmanager
    def slot(self, kind: str) -> Iterator[None]:
        """Wait for a free slot and for this kind's turn, hold the slot while the body runs.

        Raises WaitTooLong (holding nothing) when the turn is further away than ``max_wait``.
        """
        with self._cond:
            self._cond.wait_for(lambda: self._in_flight < self._concurrency)
            start = self._reserve(self._bucket[kind])
            self._in_flight += 1
        try:
            delay = start - self._clock()
            if delay > 0:
                self._sleep(delay)
            yield
        finally:
            with self._cond:
                self._in_flight -= 1
                self._cond.notify_all()

    def _reserve(self, bucket: str) -> float:
        now = self._clock()
        spacing = 1.0 / (self._rate[bucket] * MARGIN * self._pace)
        # Whether the polite pool's search and DOI budgets add up is not documented: all
        # requests together also stay under the higher of the two rates.
        overall = 1.0 / (max(self._rate.values()) * MARGIN * self._pace)
        start = max(
            now,
            self._last[bucket] + spacing,
            self._last_any + overall,
            self._paused_until[bucket],
        )
        if start - now > self._max_wait:
            raise WaitTooLong(start - now, self._service)
        self._last[bucket] = self._last_any = start
        return start

    def update(self, kind: str, headers: Mapping[str, str]) -> None:
        """Adopt the limits a fresh response announces."""
        rate, concurrency = announced(headers)
        with self._cond:
            if rate is not None:
                self._rate[self._bucket[kind]] = rate
            if concurrency is not None and concurrency != self._concurrency:
                self._concurrency = concurrency
                self._cond.notify_all()

    def succeeded(self) -> None:
        with self._cond:
            self._pace = min(1.0, self._pace + RECOVERY)

    def too_many(self, kind: str, retry_after: float) -> None:
        """A 429: slow down, and let nothing of this kind start before ``retry_after`` seconds."""
        bucket = self._bucket[kind]
        with self._cond:
            self._pace = max(SLOWEST, self._pace / 2)
            until = self._clock() + retry_after
            self._paused_until[bucket] = max(self._paused_until[bucket], until)
