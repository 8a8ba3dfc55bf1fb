"""The E-utilities client replayed against real PubMed records (cassettes/test_pubmed_cassettes).

The cassettes are replayed, never recorded, unless ``--record-mode`` asks for it; their README
names each body's source.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from make_pubmed_cassettes import PLAN, UNKNOWN

from refkit.enrich.pubmed import DEFAULT_URL, NOT_FOUND, OK, Client, Settings
from refkit.enrich.pubmed_enricher import PubmedEnricher
from refkit.enrich.pubmed_mapping import citation_from_pubmed
from refkit.model import Citation
from refkit.plugins import EnrichOptions


def client(cache: Path) -> Client:
    settings = Settings(base_url=DEFAULT_URL, email="you@example.org", cache_dir=cache)
    return Client(settings, sleep=lambda _: None)


def fetched(test: str, cache: Path) -> dict[str, Citation]:
    with client(cache) as pubmed:
        answers = pubmed.fetch(PLAN[test][0])
        assert pubmed.counts() == {"requests_sent": 1}
    return {
        pmid: citation_from_pubmed(answer.article)
        for pmid, answer in answers.items()
        if answer.status == OK and answer.article is not None
    }


@pytest.mark.vcr
def test_two_articles_in_one_answer(tmp_path: Path) -> None:
    found = fetched("test_two_articles_in_one_answer", tmp_path)
    assert found["11748933"].container_title == "Cryobiology"
    assert found["11700088"].doi == "10.1006/jmre.2001.2429"


@pytest.mark.vcr
def test_a_season_and_a_full_date(tmp_path: Path) -> None:
    found = fetched("test_a_season_and_a_full_date", tmp_path)
    assert found["12091962"].issued is not None and found["12091962"].issued.season == 1
    assert found["9997"].page == "179-191"


@pytest.mark.vcr
def test_inline_markup_leaves_the_title(tmp_path: Path) -> None:
    found = fetched("test_inline_markup_leaves_the_title", tmp_path)
    assert "<i>" not in found["30108519"].title


@pytest.mark.vcr
def test_a_recent_article_with_its_identifiers(tmp_path: Path) -> None:
    found = fetched("test_a_recent_article_with_its_identifiers", tmp_path)
    assert found["29768149"].doi == "10.1056/nejmoa1715274"


@pytest.mark.vcr
def test_an_unknown_pmid_is_absent(tmp_path: Path) -> None:
    with client(tmp_path) as pubmed:
        answers = pubmed.fetch([UNKNOWN, "29963580"])
    assert answers[UNKNOWN].status == NOT_FOUND
    assert answers["29963580"].status == OK


@pytest.mark.vcr
def test_medline_citations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The enricher completes PMID-only citations from the recorded answer, in order."""
    monkeypatch.setenv("REFKIT_NCBI_URL", DEFAULT_URL)
    pmids = PLAN["test_medline_citations"][0]
    given = [Citation(type="document", pmid=pmid) for pmid in pmids]
    result = PubmedEnricher().enrich(given, EnrichOptions("you@example.org", str(tmp_path)))
    assert [c.pmid for c in result.citations] == pmids
    assert all(c.title and c.container_title and c.issued for c in result.citations)
    assert result.counts["pubmed_found"] == len(pmids) == result.counts["pubmed_looked_up"]
    assert result.counts["pubmed_requests_sent"] == 1
    assert result.citations[0].type == "article-journal"
