"""`refkit build` against a Crossref stand-in that serves every real recorded work.

The record cites the NLM renderings of those works (``../shared/gold/refs/rendered.jsonl``), so
each reference has a DOI the server knows. Two runs share one cache: the first completes every
reference from its registered record, politely and within the announced limits; the second asks
nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fake_crossref import RESPONSES, FakeCrossref, recorded_works

from refkit import __version__
from refkit.cli import main
from refkit.identifiers import normalize_doi

MAILTO = "you@example.org"


@pytest.fixture
def server(shared: Path) -> Iterator[FakeCrossref]:
    if not (RESPONSES / "works").is_dir():
        pytest.skip(f"{RESPONSES}/works (recorded Crossref works) is not present")
    # Crossref's polite pool for DOI look-ups, enforced: a request beyond it gets a 429.
    with FakeCrossref(recorded_works(), rate=10, concurrency=3) as fake:
        yield fake


def write_record(shared: Path, folder: Path) -> list[str]:
    rendered = shared / "gold" / "refs" / "rendered.jsonl"
    lines = [json.loads(line) for line in rendered.read_text(encoding="utf-8").splitlines()]
    strings = [item["string"] for item in lines if item["source"].endswith("nlm-citation-sequence")]
    study = {
        "protocolSection": {
            "identificationModule": {"nctId": "NCT09999999", "briefTitle": "A citing study"},
            "referencesModule": {
                "references": [{"citation": text, "type": "BACKGROUND"} for text in strings]
            },
        }
    }
    (folder / "NCT09999999.json").write_text(json.dumps(study), encoding="utf-8")
    return strings


def build(folder: Path, out: Path, url: str) -> dict[str, Any]:
    report = out.with_suffix(".report.json")
    args = ["build", str(folder), "-o", str(out), "--report", str(report)]
    args += ["--mailto", MAILTO, "--cache-dir", str(folder / "cache"), "--quiet"]
    result = CliRunner().invoke(main, args, env={"REFKIT_CROSSREF_URL": url})
    assert result.exit_code == 0, result.output
    return dict(json.loads(report.read_text(encoding="utf-8")))


def registered(fake: FakeCrossref, doi: str) -> dict[str, Any]:
    return dict(json.loads(fake.works[doi])["message"])


def check_completed(item: dict[str, Any], work: dict[str, Any]) -> None:
    doi = item["DOI"]
    if work.get("container-title"):
        assert item["container-title"] == work["container-title"][0], doi
    if work.get("ISSN"):
        assert set(item["ISSN"].split(", ")) == set(work["ISSN"]), doi
    assert item["publisher"] == work["publisher"], doi
    people = [a for a in work.get("author", []) if "family" in a]
    if people:
        first, expected = item["author"][0], people[0]
        assert (first["family"], first.get("given")) == (expected["family"], expected.get("given"))


def test_build_completes_every_known_doi_once(
    shared: Path, server: FakeCrossref, tmp_path: Path
) -> None:
    records = tmp_path / "records"
    records.mkdir()
    strings = write_record(shared, records)
    first = build(records, tmp_path / "first.json", server.url)
    items = json.loads((tmp_path / "first.json").read_text(encoding="utf-8"))
    references = [item for item in items if item.get("number") != "NCT09999999"]
    assert len(references) == len(strings)
    for item in references:
        check_completed(item, registered(server, normalize_doi(item["DOI"])))
    counts = first["enrichment"]
    assert counts["matched"] == len(strings) == counts["requests_sent"] == len(server.seen)
    assert (counts["http_429"], server.too_many) == (0, 0)
    for seen in server.seen:
        assert seen.query["mailto"] == [MAILTO]
        assert seen.headers["User-Agent"].startswith(f"refkit/{__version__} ")
        assert f"mailto:{MAILTO}" in seen.headers["User-Agent"]

    second = build(records, tmp_path / "second.json", server.url)
    assert len(server.seen) == len(strings)  # nothing asked twice across runs
    assert second["enrichment"]["cache_hits"] == len(strings)
    assert (tmp_path / "second.json").read_bytes() == (tmp_path / "first.json").read_bytes()
