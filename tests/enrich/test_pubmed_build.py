"""`refkit build` of trial records citing PubMed's records by PMID alone, by a cut-off citation
and by a full string without DOI, against the stand-in E-utilities server at NCBI's 3
requests/s (benchmarks/pubmed_build.py makes the records and measures)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import load_benchmark

benchmark = load_benchmark("pubmed_build")


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    if not (benchmark.NCBI / "medline").is_dir():
        pytest.skip("../shared/ncbi/medline (real MEDLINE citations) is not present")
    measured: dict[str, Any] = benchmark.measure()
    return measured


def test_at_least_99_percent_of_fields_are_right(result: dict[str, Any]) -> None:
    right, total = sum(result["right"].values()), sum(result["total"].values())
    assert total == 318 * len(benchmark.FIELDS)
    assert right / total >= 0.99, result["wrong"][:20]
    for mode in benchmark.MODES:
        share = sum(result["right"][mode, n] for n in benchmark.FIELDS) / sum(
            result["total"][mode, n] for n in benchmark.FIELDS
        )
        assert share >= 0.99, mode


def test_unknown_pmids_are_kept_without_invented_fields(result: dict[str, Any]) -> None:
    assert result["unknown kept"] == len(benchmark.UNKNOWN)
    assert result["unknown with invented fields"] == []
    assert result["enrichment"]["pubmed_not_found"] == len(benchmark.UNKNOWN)


def test_few_requests_no_429_and_a_second_run_asks_nothing(result: dict[str, Any]) -> None:
    assert result["requests"] * 100 <= result["pmids"]
    assert result["http_429"] == result["reported_429"] == 0
    assert result["second run requests"] == 0
    assert result["second run cache hits"] == result["pmids"]
    assert result["enrichment"]["pubmed_found"] == 318


def test_offline_nothing_with_a_pmid_is_dropped(result: dict[str, Any]) -> None:
    assert result["offline written with PMID"] == result["pmids"]
    assert result["offline pmid only"] == 106 + 3  # every third citation, and 3 unknown
    assert result["balanced"]


def test_the_three_citation_forms(result: dict[str, Any]) -> None:
    body = benchmark.medline_articles()["18621939"]
    citation = benchmark.ElementTree.fromstring(body).find("MedlineCitation")
    assert benchmark.cut_off(citation) == "DiMartini A, Dew MA, Fitzgerald MG..."
    full = benchmark.full_string(citation)
    assert full.startswith("DiMartini A, Dew MA, Fitzgerald MG, Fontes P. Clusters of alcohol")
    assert full.endswith("liver disease. Psychosomatics. 2008 Jul-Aug;49(4):332-40.")
    assert "10.1176" not in full


def test_the_citation_matcher_completes_strings_and_refuses_other_records(
    result: dict[str, Any],
) -> None:
    found = benchmark.citmatch()
    assert found["matched wrongly"] == 0 and found["swapped accepted"] == 0
    assert found["matched"] >= 0.95 * found["asked"]
    assert found["fields right"] == found["fields"] == found["matched"] * len(benchmark.FIELDS)
