"""The E-utilities client against a stand-in server on 127.0.0.1: batches, cache, faults.

The server serves the real PubMed records of ``../shared/ncbi`` (tests skip without them);
every fault is played by the server, bounded in time.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_crossref import Fault
from fake_eutils import FakeEutils, recorded_articles, too_many_body

from refkit.enrich.pubmed import (
    FAILED,
    NOT_FOUND,
    OFFLINE,
    OK,
    TOOL,
    Client,
    Settings,
    normalize_pmid,
)
from refkit.enrich.pubmed_mapping import pmid_of
from refkit.errors import ConfigError

KEY = "k3y-never-stored-0123456789"
ERROR_XML = (
    b'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n'
    b"\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>\n"
)


@pytest.fixture(scope="module")
def articles() -> dict[str, bytes]:
    found = recorded_articles()
    if len(found) < 300:
        pytest.skip("../shared/ncbi (real PubMed records) is not present")
    return found


@pytest.fixture
def server(articles: dict[str, bytes]) -> Iterator[FakeEutils]:
    with FakeEutils(articles) as fake:
        yield fake


def client(url: str, cache: Path, **changes: object) -> Client:
    settings = Settings(base_url=url, email="you@example.org", cache_dir=cache, attempts=3)
    values = {**settings.__dict__, **changes}
    return Client(Settings(**values), sleep=lambda _: None)  # type: ignore[arg-type]


def test_pmids_are_normalised() -> None:
    assert normalize_pmid("PMID: 0019544473") == "19544473"
    assert normalize_pmid(" 123 ") == "123"
    assert normalize_pmid("PMC123") == normalize_pmid("12a") == normalize_pmid("") == ""


def test_settings_come_from_the_environment(tmp_path: Path) -> None:
    env = {"REFKIT_NCBI_URL": "http://127.0.0.1:1/eutils/", "NCBI_API_KEY": KEY}
    settings = Settings.from_env(mailto="me@example.org", cache_dir=tmp_path, environ=env)
    assert settings.base_url == "http://127.0.0.1:1/eutils"
    assert (settings.email, settings.api_key, settings.pool) == ("me@example.org", KEY, "ncbi-key")
    assert KEY not in repr(settings)
    assert Settings.from_env(environ={}).pool == "ncbi"
    with pytest.raises(ConfigError):
        Settings.from_env(environ={"REFKIT_NCBI_URL": "ftp://x"})


def test_a_batch_is_one_get_and_every_article_comes_back(
    server: FakeEutils, articles: dict[str, bytes], tmp_path: Path
) -> None:
    pmids = sorted(articles)[:150]
    with client(server.url, tmp_path) as pubmed:
        answers = pubmed.fetch(pmids)
        assert pubmed.counts() == {"requests_sent": 1}
    assert [s.method for s in server.seen] == ["GET"]
    assert sorted(server.seen[0].ids) == pmids
    assert server.seen[0].params["tool"] == [TOOL]
    assert server.seen[0].params["email"] == ["you@example.org"]
    assert all(answers[p].status == OK and pmid_of(answers[p].article) == p for p in pmids)


def test_more_than_200_pmids_go_in_a_post(
    server: FakeEutils, articles: dict[str, bytes], tmp_path: Path
) -> None:
    pmids = sorted(articles)[:250]
    with client(server.url, tmp_path, batch=500) as pubmed:
        answers = pubmed.fetch(pmids)
    assert [s.method for s in server.seen] == ["POST"]
    assert "id" not in server.seen[0].path and len(server.seen[0].ids) == 250
    assert sum(a.status == OK for a in answers.values()) == 250


def test_batches_of_200_and_a_second_run_asks_nothing(
    server: FakeEutils, articles: dict[str, bytes], tmp_path: Path
) -> None:
    pmids = sorted(articles)
    with client(server.url, tmp_path) as pubmed:
        first = pubmed.fetch(pmids)
    assert len(server.seen) == -(-len(pmids) // 200)
    with client(server.url, tmp_path) as pubmed:
        second = pubmed.fetch(list(reversed(pmids)))  # any order, any batches: one per PMID
        assert pubmed.counts() == {"cache_hits": len(pmids)}
    assert len(server.seen) == -(-len(pmids) // 200)
    assert {p: a.status for p, a in first.items()} == {p: a.status for p, a in second.items()}
    assert all(answer.from_cache for answer in second.values())


def test_an_unknown_pmid_is_not_found_and_remembered(
    server: FakeEutils, articles: dict[str, bytes], tmp_path: Path
) -> None:
    known = sorted(articles)[0]
    with client(server.url, tmp_path) as pubmed:
        answers = pubmed.fetch([known, "99999999"])
    assert answers["99999999"].status == NOT_FOUND and answers["99999999"].article is None
    assert answers[known].status == OK
    with client(server.url, tmp_path) as pubmed:
        again = pubmed.fetch(["99999999"])
        assert pubmed.counts() == {"cache_hits": 1}
    assert again["99999999"].status == NOT_FOUND
    assert len(server.seen) == 1


def test_a_429_with_ncbi_s_json_body_is_waited_out(
    server: FakeEutils, articles: dict[str, bytes], tmp_path: Path
) -> None:
    server.fail(Fault(429, {"Retry-After": "1"}, too_many_body(4, 3)))
    pmid = sorted(articles)[0]
    start = time.monotonic()
    with client(server.url, tmp_path) as pubmed:
        answers = pubmed.fetch([pmid])
        counts = pubmed.counts()
    assert answers[pmid].status == OK
    assert counts == {"requests_sent": 2, "retries": 1, "http_429": 1}
    assert server.seen[1].at - server.seen[0].at >= 0.9  # the pause NCBI asked for
    assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    "fault",
    [
        Fault(502, body=b"<html>Bad Gateway</html>"),
        Fault(503),
        Fault(200, body=ERROR_XML),
        Fault(200, body=b'{"error":"API rate limit exceeded","count":"4","limit":"3"}'),
        Fault(200, body=b'{"esearchresult": {"ERROR": "Invalid query"}}'),
        Fault(200, truncate=True),
        Fault(200, reset=True),
    ],
    ids=["502", "503", "error-xml", "error-json", "other-json", "truncated", "reset"],
)
def test_a_passing_fault_is_retried(
    server: FakeEutils, articles: dict[str, bytes], tmp_path: Path, fault: Fault
) -> None:
    server.fail(fault)
    pmid = sorted(articles)[1]
    with client(server.url, tmp_path) as pubmed:
        answers = pubmed.fetch([pmid])
        counts = pubmed.counts()
    assert answers[pmid].status == OK, answers[pmid].detail
    assert counts["retries"] == 1 and counts["requests_sent"] == 2


def test_a_lasting_error_body_fails_the_batch_after_the_attempts(
    server: FakeEutils, articles: dict[str, bytes], tmp_path: Path
) -> None:
    server.fail(*[Fault(200, body=ERROR_XML)] * 3)
    pmids = sorted(articles)[:2]
    with client(server.url, tmp_path) as pubmed:
        answers = pubmed.fetch(pmids)
    assert {a.status for a in answers.values()} == {FAILED}
    assert "Unable to obtain query #1" in answers[pmids[0]].detail
    assert "after 3 attempts" in answers[pmids[0]].detail
    with client(server.url, tmp_path) as pubmed:  # a failure is not cached
        assert pubmed.fetch(pmids)[pmids[0]].status == OK


def test_a_timeout_is_retried(
    server: FakeEutils, articles: dict[str, bytes], tmp_path: Path
) -> None:
    server.fail(Fault(200, delay=1.0))
    pmid = sorted(articles)[2]
    start = time.monotonic()
    with client(server.url, tmp_path, timeout=(1.0, 0.3)) as pubmed:
        answers = pubmed.fetch([pmid])
        counts = pubmed.counts()
    assert answers[pmid].status == OK
    assert counts["retries"] == 1
    assert time.monotonic() - start < 5


def test_ncbi_out_of_reach_opens_the_breaker_at_once(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with client(f"http://127.0.0.1:{port}", tmp_path, batch=2) as pubmed:
        answers = pubmed.fetch(["1", "2", "3", "4", "5"])
        assert pubmed.breaker.open and "refused" in pubmed.breaker.reason
        assert pubmed.counts()["requests_sent"] <= 3
    assert {a.status for a in answers.values()} == {OFFLINE}


def test_the_api_key_is_sent_and_never_stored(
    server: FakeEutils, articles: dict[str, bytes], tmp_path: Path
) -> None:
    server.fail(Fault(500, body=b"Server Error"))
    pmids = [*sorted(articles)[:3], "99999999"]
    with client(server.url, tmp_path, api_key=KEY) as pubmed:
        pubmed.fetch(pmids)
        assert pubmed.limiter.rate("single") == 10
    assert all(seen.params["api_key"] == [KEY] for seen in server.seen)
    assert all(seen.method == "POST" and KEY not in seen.path for seen in server.seen)
    stored = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert KEY.encode() not in stored
    assert b"you@example.org" not in stored


def test_three_requests_a_second_without_a_key_get_no_429(
    articles: dict[str, bytes], tmp_path: Path
) -> None:
    with FakeEutils(articles, rate=3) as fake, client(fake.url, tmp_path, batch=25) as pubmed:
        answers = pubmed.fetch(sorted(articles)[:200])  # 8 requests
        counts = pubmed.counts()
    assert fake.too_many == 0 and counts.get("http_429", 0) == 0
    assert counts["requests_sent"] == 8
    assert all(answer.status == OK for answer in answers.values())


def test_the_citation_matcher_finds_pmids_and_remembers(server: FakeEutils, tmp_path: Path) -> None:
    lines = {
        "0": "Psychosomatics|2008|49|332|DiMartini A|",
        "1": "Psychosomatics|2008|49|999|Nobody X|",
    }
    with client(server.url, tmp_path) as pubmed:
        assert pubmed.citmatch(lines) == {"0": "18621939", "1": ""}
        assert pubmed.counts() == {"requests_sent": 1}
    [seen] = server.seen
    assert seen.path.endswith("/ecitmatch.cgi") and seen.params["tool"] == [TOOL]
    assert seen.params["bdata"] == [
        "Psychosomatics|2008|49|332|DiMartini A|0|\rPsychosomatics|2008|49|999|Nobody X|1|"
    ]
    with client(server.url, tmp_path) as pubmed:
        assert pubmed.citmatch(lines) == {"0": "18621939", "1": ""}
        assert pubmed.counts() == {"cache_hits": 2}
    assert len(server.seen) == 1


def test_the_citation_matcher_out_of_reach_matches_nothing(tmp_path: Path) -> None:
    with client("http://127.0.0.1:9", tmp_path) as pubmed:
        assert pubmed.citmatch({"0": "Psychosomatics|2008|49|332|DiMartini A|"}) == {"0": ""}
        assert pubmed.breaker.open


def test_an_answer_refkit_cannot_store_fails_its_batch_only(
    server: FakeEutils, articles: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pmids = sorted(articles)[:3]
    with client(server.url, tmp_path, batch=2) as pubmed:
        calls: list[int] = []
        keep = pubmed._keep

        def broken_once(batch: list[str], found: dict[str, object]) -> object:
            calls.append(1)
            if len(calls) == 1:
                raise OSError("disk full")
            return keep(batch, found)  # type: ignore[arg-type]

        monkeypatch.setattr(pubmed, "_keep", broken_once)
        answers = pubmed.fetch(pmids)
    statuses = sorted(a.status for a in answers.values())
    assert statuses in (["failed", "failed", "ok"], ["failed", "ok", "ok"])
    assert any("disk full" in a.detail for a in answers.values())
