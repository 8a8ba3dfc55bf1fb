"""The client replayed against real Crossref responses (cassettes under ``cassettes/``).

The cassettes hold bodies and headers that the live API sent (see cassettes/README.md); they
are replayed, never recorded, unless ``--record-mode`` asks for it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import ROOT

from refkit.enrich.crossref import NOT_FOUND, OK, Client
from refkit.enrich.ratelimit import SINGLE
from refkit.enrich.session import Settings


def client(cache: Path, mailto: str = "you@example.org") -> Client:
    return Client(Settings(mailto=mailto, cache_dir=cache, attempts=1))


@pytest.mark.vcr
def test_a_polite_work_by_doi(tmp_path: Path) -> None:
    with client(tmp_path) as crossref:
        answer = crossref.work("https://doi.org/10.7554/eLife.01567")
        assert answer.status == OK
        assert answer.message["DOI"] == "10.7554/elife.01567"
        assert answer.message["container-title"] == ["eLife"]
        # x-api-pool: polite-single announced 10 requests/s, 3 in flight
        assert (crossref.limiter.rate(SINGLE), crossref.limiter.concurrency) == (10, 3)
        assert crossref.counts() == {"requests_sent": 1}


@pytest.mark.vcr
def test_the_public_pool_limits_are_adopted(tmp_path: Path) -> None:
    with client(tmp_path, mailto="") as crossref:
        assert crossref.work("10.1371/journal.pone.0033693").status == OK
        assert (crossref.limiter.rate(SINGLE), crossref.limiter.concurrency) == (5, 1)


@pytest.mark.vcr
def test_the_older_header_spelling_is_read(tmp_path: Path) -> None:
    with client(tmp_path) as crossref:
        assert crossref.work("10.1007/978-3-319-75889-3_1").status == OK
        assert crossref.limiter.rate(SINGLE) == 50  # x-ratelimit-limit: 50 / 1s, 2023


@pytest.mark.vcr
def test_a_sici_doi_is_encoded(tmp_path: Path) -> None:
    with client(tmp_path) as crossref:
        answer = crossref.work("doi:10.1890/0012-9658(2006)87[2832:TIOPMA]2.0.CO;2")
    assert answer.status == OK
    assert answer.message["DOI"] == "10.1890/0012-9658(2006)87[2832:tiopma]2.0.co;2"


@pytest.mark.vcr
def test_an_unknown_doi_is_not_found(tmp_path: Path) -> None:
    with client(tmp_path) as crossref:
        # 2026: text/plain; 2023: the same text labelled application/json
        assert crossref.work("10.1371/notarealdoi").status == NOT_FOUND
        assert crossref.work("10.7554/elife.01567x").status == NOT_FOUND
        assert crossref.work("10.1371/NOTAREALDOI").status == NOT_FOUND  # cached
        assert crossref.counts() == {"requests_sent": 2, "cache_hits": 1}


def test_no_cassette_holds_a_secret() -> None:
    cassettes = sorted((ROOT / "cassettes").rglob("*.yaml"))
    assert cassettes
    for cassette in cassettes:
        text = cassette.read_text(encoding="utf-8")
        assert not re.search(r"mailto[=:][^&\"'\s;)]+@", text), cassette
        assert not re.search(r"Crossref-Plus-API-Token:\s*\S*[A-Za-z0-9]", text), cassette
