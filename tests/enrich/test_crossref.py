"""The client against a fake Crossref on 127.0.0.1: answers, cache, retries, 429s, breaker.

Every test is bounded: short timeouts, few attempts, no real back-off sleeps.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_crossref import TOO_MANY, FakeCrossref, Fault

from refkit.enrich.crossref import FAILED, NOT_FOUND, OFFLINE, OK, Client, doi_path
from refkit.enrich.session import Settings

DOI = "10.7554/elife.01567"
PATH = "/works/10.7554%2Felife.01567"


def work(doi: str = DOI) -> bytes:
    message = {"DOI": doi, "title": ["A work"], "type": "journal-article"}
    return json.dumps({"status": "ok", "message-type": "work", "message": message}).encode()


@pytest.fixture
def fake() -> Iterator[FakeCrossref]:
    with FakeCrossref({DOI: work()}, rate=50, concurrency=5) as server:
        yield server


def client_for(url: str, cache: Path, timeout: float = 0.5) -> Client:
    settings = Settings(
        base_url=url,
        mailto="you@example.org",
        cache_dir=cache,
        timeout=(timeout, timeout),
        attempts=3,
    )
    return Client(settings, sleep=lambda _: None)


@pytest.fixture
def client(fake: FakeCrossref, tmp_path: Path) -> Iterator[Client]:
    with client_for(fake.url, tmp_path) as made:
        yield made


@pytest.mark.parametrize(
    ("doi", "path"),
    [
        ("https://doi.org/10.7554/eLife.01567.", PATH),
        (
            "doi:10.1890/0012-9658(2006)87[2832:TIOPMA]2.0.CO;2",
            "/works/10.1890%2F0012-9658%282006%2987%5B2832%3Atiopma%5D2.0.co%3B2",
        ),
        ("10.1000/a#b<c>", "/works/10.1000%2Fa%23b"),
        ("not a doi", ""),
    ],
)
def test_dois_are_normalised_and_encoded(doi: str, path: str) -> None:
    assert doi_path(doi) == path


def test_a_work_is_fetched_politely(fake: FakeCrossref, client: Client) -> None:
    answer = client.work("https://doi.org/10.7554/eLife.01567")
    assert answer.status == OK
    assert answer.message["DOI"] == DOI
    [seen] = fake.seen
    assert seen.path == PATH
    assert seen.query["mailto"] == ["you@example.org"]
    assert seen.headers["User-Agent"].startswith("refkit/")
    assert seen.headers["User-Agent"].endswith("mailto:you@example.org)")
    assert client.counts() == {"requests_sent": 1}


def test_the_token_goes_in_a_header_and_not_in_the_cache(
    fake: FakeCrossref, tmp_path: Path
) -> None:
    settings = Settings(base_url=fake.url, token="secret-key", cache_dir=tmp_path)
    with Client(settings) as client:
        assert client.work(DOI).status == OK
    assert fake.seen[0].headers["Crossref-Plus-API-Token"] == "Bearer secret-key"
    assert b"secret-key" not in settings.cache_path.read_bytes()


def test_unknown_doi_is_not_found_and_cached(fake: FakeCrossref, client: Client) -> None:
    assert client.work("10.5061/dryad.8515").status == NOT_FOUND
    assert client.work("10.5061/DRYAD.8515").status == NOT_FOUND
    assert len(fake.seen) == 1
    assert client.counts() == {"requests_sent": 1, "cache_hits": 1}


def test_a_second_client_sends_nothing(fake: FakeCrossref, tmp_path: Path) -> None:
    for _ in range(2):
        with client_for(fake.url, tmp_path) as client:
            assert client.work(DOI).status == OK
            assert client.work("10.5061/dryad.8515").status == NOT_FOUND
    assert len(fake.seen) == 2
    assert client.counts() == {"cache_hits": 2}


def test_429_waits_for_retry_after_then_succeeds(fake: FakeCrossref, client: Client) -> None:
    fake.fail(PATH, Fault(429, {"Retry-After": "1"}, TOO_MANY))
    start = time.monotonic()
    assert client.work(DOI).status == OK
    assert time.monotonic() - start >= 0.95
    assert fake.seen[1].at - fake.seen[0].at >= 0.95
    assert client.counts() == {"requests_sent": 2, "retries": 1, "http_429": 1}


def test_server_errors_are_retried(fake: FakeCrossref, client: Client) -> None:
    fake.fail(PATH, Fault(500, body=b'{"status":"error"}'), Fault(503, body=b"busy"))
    assert client.work(DOI).status == OK
    assert client.counts() == {"requests_sent": 3, "retries": 2}


def test_attempts_are_bounded(fake: FakeCrossref, client: Client) -> None:
    fake.fail(PATH, *[Fault(503, body=b"busy")] * 5)
    answer = client.work(DOI)
    assert (answer.status, answer.detail) == (FAILED, "HTTP 503 after 3 attempts")
    assert len(fake.seen) == 3


@pytest.mark.parametrize(
    "fault",
    [
        Fault(delay=1.0),
        Fault(truncate=True),
        Fault(reset=True),
        Fault(body=b"<html>Service Unavailable</html>"),
        Fault(body=b'{"status": "ok", "mess'),
    ],
    ids=["timeout", "truncated", "reset", "not-json", "cut-json"],
)
def test_broken_answers_are_retried_and_never_cached(
    fault: Fault, fake: FakeCrossref, tmp_path: Path
) -> None:
    fake.fail(PATH, fault)
    with client_for(fake.url, tmp_path) as client:
        assert client.work(DOI).status == OK
        assert client.counts()["retries"] == 1
    with client_for(fake.url, tmp_path) as client:
        assert client.work(DOI).message["DOI"] == DOI
        assert client.counts() == {"cache_hits": 1}


def test_a_search_sends_the_reference_and_rows(fake: FakeCrossref, client: Client) -> None:
    answer = client.search("Sun L. Stem Cells 2009", rows=5, select="DOI,title")
    assert answer.status == OK
    assert answer.message["items"] == []
    assert fake.seen[0].query["query.bibliographic"] == ["Sun L. Stem Cells 2009"]
    assert (fake.seen[0].query["rows"], fake.seen[0].query["select"]) == (["5"], ["DOI,title"])


def test_a_wrong_base_url_is_a_failure_not_a_missing_doi(
    fake: FakeCrossref, tmp_path: Path
) -> None:
    with client_for(fake.url + "/nowhere", tmp_path) as client:
        answer = client.work(DOI)
    assert answer.status == FAILED
    assert "not a Crossref API route" in answer.detail


def test_connection_refused_opens_the_breaker_at_once(tmp_path: Path) -> None:
    with FakeCrossref() as gone:
        url = gone.url
    with client_for(url, tmp_path) as client:
        start = time.monotonic()
        answers = [client.work(DOI) for _ in range(20)]
        assert time.monotonic() - start < 2
    assert {a.status for a in answers} == {OFFLINE}
    assert client.breaker.reason == "connection refused"
    assert client.counts()["requests_sent"] == 1


def test_cached_answers_still_come_when_the_network_is_gone(tmp_path: Path) -> None:
    with FakeCrossref({DOI: work()}) as server, client_for(server.url, tmp_path) as client:
        assert client.work(DOI).status == OK
    with client_for(server.url, tmp_path) as client:
        assert client.work("10.1000/other").status == OFFLINE
        assert client.work(DOI).status == OK


def test_timeouts_in_a_row_open_the_breaker_after_answers(
    fake: FakeCrossref, tmp_path: Path
) -> None:
    client = client_for(fake.url, tmp_path, timeout=0.1)
    assert client.work(DOI).status == OK
    fake.fail("/works/10.1000%2Fa", *[Fault(delay=0.3)] * 3)
    fake.fail("/works/10.1000%2Fb", *[Fault(delay=0.3)] * 3)
    assert client.work("10.1000/a").status == FAILED
    assert not client.breaker.open
    assert client.work("10.1000/b").status == OFFLINE
    assert client.breaker.reason == "read timeout (5 failures in a row)"
    assert client.work("10.1000/c").status == OFFLINE
    assert len(fake.seen) == 6
