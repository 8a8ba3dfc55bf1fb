"""The Limiter paces to announced limits, caps concurrency, and backs off on 429."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from refkit.enrich.ratelimit import (
    LIST,
    MARGIN,
    POLITE,
    PUBLIC,
    SINGLE,
    Limiter,
    WaitTooLong,
    announced,
)


class Clock:
    """A fake clock: sleeping moves time forward and records when each request started."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def starts(limiter: Limiter, clock: Clock, kind: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        with limiter.slot(kind):
            times.append(clock.now)
    return times


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {"x-rate-limit-limit": "5", "x-rate-limit-interval": "1s", "x-concurrency-limit": "1"},
            (5, 1),
        ),
        ({"X-Rate-Limit-Limit": "50", "X-Rate-Limit-Interval": "1s"}, (50, None)),
        ({"x-ratelimit-limit": "50", "x-ratelimit-interval": "1s"}, (50, None)),
        ({"x-rate-limit-limit": "3000", "x-rate-limit-interval": "60s"}, (50, None)),
        ({"X-Concurrency-Limit": "3"}, (None, 3)),
        ({"x-rate-limit-limit": "many", "x-concurrency-limit": "0"}, (None, None)),
        ({}, (None, None)),
    ],
)
def test_announced_limits_in_both_spellings(headers: dict[str, str], expected: tuple) -> None:
    assert announced(headers) == expected


def test_starts_from_the_documented_limits_of_the_pool() -> None:
    public, polite = Limiter(PUBLIC), Limiter(POLITE)
    assert (public.rate(SINGLE), public.rate(LIST), public.concurrency) == (5, 5, 1)
    assert (polite.rate(SINGLE), polite.rate(LIST), polite.concurrency) == (10, 3, 3)


def test_requests_are_spaced_evenly_below_the_rate() -> None:
    clock = Clock()
    limiter = Limiter(POLITE, clock=clock, sleep=clock.sleep)
    times = starts(limiter, clock, SINGLE, 11)
    gaps = {round(b - a, 6) for a, b in itertools.pairwise(times)}
    assert gaps == {round(1 / (10 * MARGIN), 6)}
    assert times[-1] > 1.0  # never 11 requests within one second at 10/s


def test_public_pool_shares_one_pace_across_routes() -> None:
    clock = Clock()
    limiter = Limiter(PUBLIC, clock=clock, sleep=clock.sleep)
    times = starts(limiter, clock, SINGLE, 3) + starts(limiter, clock, LIST, 3)
    assert all(b - a >= 1 / 5 for a, b in itertools.pairwise(times))


def test_new_limits_from_headers_take_effect() -> None:
    clock = Clock()
    limiter = Limiter(POLITE, clock=clock, sleep=clock.sleep)
    limiter.update(LIST, {"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"})
    limiter.update(SINGLE, {"X-Concurrency-Limit": "1"})
    assert (limiter.rate(LIST), limiter.rate(SINGLE), limiter.concurrency) == (50, 10, 1)
    times = starts(limiter, clock, LIST, 3)
    assert times[2] - times[1] == pytest.approx(1 / (50 * MARGIN))


def test_a_429_pauses_the_route_and_halves_the_pace() -> None:
    clock = Clock()
    limiter = Limiter(POLITE, clock=clock, sleep=clock.sleep)
    starts(limiter, clock, SINGLE, 1)
    limiter.too_many(SINGLE, 2.0)
    first, second = starts(limiter, clock, SINGLE, 2)
    assert first >= 2.0
    assert second - first == pytest.approx(2 / (10 * MARGIN))
    for _ in range(20):
        limiter.succeeded()
    third, fourth = starts(limiter, clock, SINGLE, 2)
    assert fourth - third == pytest.approx(1 / (10 * MARGIN))


def test_a_pause_longer_than_the_wait_limit_fails_fast() -> None:
    clock = Clock()
    limiter = Limiter(POLITE, clock=clock, sleep=clock.sleep, max_wait=60)
    limiter.too_many(LIST, 3600)
    with pytest.raises(WaitTooLong), limiter.slot(LIST):
        pass
    starts(limiter, clock, SINGLE, 1)  # the slot was not kept, other routes go on


def test_never_more_in_flight_than_the_concurrency_limit() -> None:
    limiter = Limiter(POLITE)
    limiter.update(SINGLE, {"x-rate-limit-limit": "1000", "x-concurrency-limit": "2"})
    in_flight = peak = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal in_flight, peak
        with limiter.slot(SINGLE):
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
            time.sleep(0.02)
            with lock:
                in_flight -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert peak == 2


def test_searches_and_look_ups_together_stay_under_the_higher_rate() -> None:
    clock = Clock()
    limiter = Limiter(POLITE, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(10):
        times += starts(limiter, clock, SINGLE, 3) + starts(limiter, clock, LIST, 1)
    assert all(b - a >= 1 / (10 * MARGIN) - 1e-9 for a, b in itertools.pairwise(times))
    searches = times[3::4]
    assert all(b - a >= 1 / (3 * MARGIN) - 1e-9 for a, b in itertools.pairwise(searches))
