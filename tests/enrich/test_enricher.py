"""The Crossref enricher against a fake Crossref serving real recorded bodies.

Each test asserts that no citation is lost, that the counts are right, and that the run stays
bounded (short timeouts, few requests).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fake_crossref import RESPONSES, TOO_MANY, FakeCrossref, Fault

from refkit.enrich import enricher as enricher_module
from refkit.enrich import session
from refkit.enrich.enricher import CrossrefEnricher, lookup_for
from refkit.enrich.mapping import SELECT, citation_from_crossref
from refkit.model import Citation, Name, Provenance
from refkit.plugins import Enrichment, EnrichOptions

ELIFE = "10.7554/elife.01567"
PLOS = "10.1371/journal.pone.0033693"
Run = Callable[[list[Citation]], Enrichment]
FISH = "works__query.bibliographic=fish__journal_2167-8359__filter_type_journal-article.json"


def body(name: str) -> bytes:
    path = RESPONSES / name
    if not path.is_file():
        pytest.skip(f"{path} (a recorded Crossref response) is not present")
    return path.read_bytes()


def cited(doi: str = "", title: str = "", line: int = 1, **fields: str) -> Citation:
    where = Provenance("records/NCT00000001.txt", "NCT00000001", "References", line)
    return Citation(doi=doi, title=title, raw=title or doi, provenance=(where,), **fields)


@pytest.fixture
def fake() -> Iterator[FakeCrossref]:
    works = {
        ELIFE: body("works/10.7554__elife.01567.json"),
        PLOS: body("works/10.1371__journal.pone.0033693.json"),
    }
    with FakeCrossref(works, rate=50, concurrency=5) as server:
        yield server


@pytest.fixture
def run(fake: FakeCrossref, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("REFKIT_CROSSREF_URL", fake.url)
    monkeypatch.setattr(session, "BACKOFF", 0.01)  # keep retries quick

    def enrich(citations: list[Citation]) -> Enrichment:
        options = EnrichOptions(mailto="you@example.org", cache_dir=str(tmp_path))
        result = CrossrefEnricher().enrich(citations, options)
        assert len(result.citations) == len(citations)  # none lost
        counts = result.counts
        assert counts["looked_up"] == sum(
            counts[key] for key in ("matched", "not_found", "ambiguous", "failed")
        )
        return result

    return enrich


def test_a_doi_is_completed_from_its_registered_record(run: Run, fake: FakeCrossref) -> None:
    parsed = cited(ELIFE.upper(), "Automated quantitative histology", container_title="Elife")
    [done] = run([parsed]).citations
    message = json.loads(body("works/10.7554__elife.01567.json"))["message"]
    assert done.container_title == "eLife"
    assert done.publisher == message["publisher"]
    assert "2050-084X" in done.issn
    assert done.author[0] == Name(family="Sankar", given="Martial")
    assert fake.seen[0].query["mailto"] == ["you@example.org"]


def test_counts_and_no_request_twice(run: Run, fake: FakeCrossref) -> None:
    trial = Citation(type="report", number="NCT00000001", title="A trial")
    citations = [
        cited(ELIFE),
        cited(f"https://doi.org/{ELIFE}", line=2),  # the same work, cited again
        cited(PLOS, line=3),
        cited("10.5061/dryad.8515", line=4),  # a DataCite DOI: Crossref answers 404
        trial,
    ]
    first = run(citations)
    assert {k: first.counts[k] for k in ("looked_up", "matched", "not_found", "not_looked_up")} == {
        "looked_up": 3,
        "matched": 2,
        "not_found": 1,
        "not_looked_up": 1,
    }
    assert first.counts["requests_sent"] == len(fake.seen) == 3
    assert first.citations[4] == trial
    [warning] = first.warnings
    assert warning.startswith("records/NCT00000001.txt:References 4: DOI 10.5061/dryad.8515 is not")
    assert first.citations[3].warnings == (warning.split(": ", 1)[1],)
    second = run(citations)
    assert len(fake.seen) == 3  # nothing asked twice across runs
    assert (second.counts["cache_hits"], second.counts["requests_sent"]) == (3, 0)
    assert second.citations == first.citations


def test_429_and_server_errors_are_survived(run: Run, fake: FakeCrossref) -> None:
    fake.fail("/works/10.7554%2Felife.01567", Fault(429, {"Retry-After": "1"}, TOO_MANY))
    fake.fail("/works/10.1371%2Fjournal.pone.0033693", Fault(503, body=b"busy"), Fault(500))
    result = run([cited(ELIFE), cited(PLOS, line=2)])
    counts = result.counts
    assert (counts["matched"], counts["http_429"], counts["retries"]) == (2, 1, 3)
    assert counts["requests_sent"] == len(fake.seen) == 5
    assert not result.warnings


def test_a_failing_look_up_keeps_the_citation(run: Run, fake: FakeCrossref) -> None:
    fake.fail("/works/10.7554%2Felife.01567", *[Fault(500, body=b"{}")] * 4)
    parsed = cited(ELIFE, "As parsed")
    result = run([parsed, cited(PLOS, line=2)])
    assert (result.counts["failed"], result.counts["matched"]) == (1, 1)
    assert result.citations[0].title == "As parsed"
    assert "HTTP 500 after 4 attempts" in result.warnings[0]


def test_network_down_warns_once_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeCrossref() as gone:
        monkeypatch.setenv("REFKIT_CROSSREF_URL", gone.url)
    citations = [cited(f"10.1000/{i}", line=i) for i in range(30)]
    start = time.monotonic()
    result = CrossrefEnricher().enrich(citations, EnrichOptions(cache_dir=str(tmp_path)))
    assert time.monotonic() - start < 5
    assert result.citations == citations
    assert result.counts["offline"] + result.counts["looked_up"] == 30
    assert (result.counts["requests_sent"], result.counts["retries"]) == (1, 0)
    [warning] = result.warnings
    assert warning.startswith("Crossref is out of reach (connection refused); went on offline")


def test_a_reference_without_doi_is_searched(run: Run, fake: FakeCrossref) -> None:
    raw = (
        "Ali R, Khan S, Then P. Fish Ontology framework for taxonomy-based fish recognition. "
        "PeerJ. 2017;5:e3811."
    )
    parsed = Citation(
        title="Fish Ontology framework for taxonomy-based fish recognition",
        author=(Name(family="Ali", given="R"), Name(family="Khan", given="S")),
        container_title="PeerJ",
        volume="5",
        page="e3811",
        raw=raw,
        issued=None,
    )
    lookup = lookup_for(parsed)
    assert lookup is not None and lookup.query
    fake.searches[lookup.query] = body(f"work-lists/{FISH}")
    [done] = run([parsed]).citations
    [seen] = fake.seen
    assert seen.path == "/works"
    assert seen.query["rows"] == ["5"] and seen.query["select"] == [SELECT]
    assert done.doi.lower() == "10.7717/peerj.3811"


def test_an_unusable_record_is_a_failure_not_a_crash(
    run: Run, fake: FakeCrossref, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(message: object) -> Citation:
        raise ValueError("unexpected shape")

    monkeypatch.setattr(enricher_module, "citation_from_crossref", broken)
    result = run([cited(ELIFE)])
    assert result.counts["failed"] == 1
    assert "ValueError: unexpected shape" in result.warnings[0]


def test_a_retracted_work_is_flagged(
    run: Run, fake: FakeCrossref, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No recorded response carries a retraction; the mapping's marker is added to a real one.
    def retracted(message: dict[str, object]) -> Citation:
        work = citation_from_crossref(message)
        return replace(work, extra=(*work.extra, ("Retracted", "Retraction 10.1000/r (2020)")))

    monkeypatch.setattr(enricher_module, "citation_from_crossref", retracted)
    result = run([cited(ELIFE), cited(PLOS, line=2)])
    assert result.counts["retracted"] == 2
    assert result.retracted[0].startswith("records/NCT00000001.txt:References 1: 10.7554/elife")
    assert result.retracted[0].endswith(": Retraction 10.1000/r (2020)")
    assert "Retracted: Retraction 10.1000/r (2020)" in result.citations[0].to_csl()["note"]
