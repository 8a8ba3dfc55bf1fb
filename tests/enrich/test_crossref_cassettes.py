"""The client replayed against real Crossref responses (cassettes under ``cassettes/``).

The cassettes hold bodies and headers that the live API sent (see cassettes/README.md); they
are replayed, never recorded, unless ``--record-mode`` asks for it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT
from make_cassettes import FISH_REFERENCE

from refkit.enrich.crossref import NOT_FOUND, OK, Client
from refkit.enrich.enricher import CrossrefEnricher
from refkit.enrich.mapping import SELECT
from refkit.enrich.ratelimit import SINGLE
from refkit.enrich.session import Settings
from refkit.parse import parse_reference
from refkit.plugins import EnrichOptions


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


@pytest.mark.vcr(match_on=["method", "host", "path"])  # the query follows the parser's output
def test_a_reference_without_doi_is_found_by_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vcr: Any
) -> None:
    monkeypatch.setenv("REFKIT_CROSSREF_URL", "https://api.crossref.org")
    parsed = parse_reference(FISH_REFERENCE)
    assert not parsed.doi
    options = EnrichOptions(mailto="you@example.org", cache_dir=str(tmp_path))
    result = CrossrefEnricher().enrich([parsed], options)
    [done] = result.citations
    assert result.counts["matched"] == 1 and vcr.play_count == 1
    assert done.doi == "10.7717/peerj.3811"
    assert done.author[0].given == "Najib M."
    assert done.match_score is not None and done.match_score >= 0.75
    sent = vcr.requests[0]
    assert ("select", SELECT) in sent.query and ("rows", "5") in sent.query
