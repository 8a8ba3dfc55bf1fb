"""Enrichment wiring: ``build`` and ``refkit enrich`` run the installed enrichers, report their
counts and warnings, and keep every citation; ``refkit cache`` shows and clears the cache.

A stub enricher stands in for Crossref here; the Crossref enricher has its own tests.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_crossref import FakeCrossref
from helpers import DATA, SEED

from refkit import plugins
from refkit.cli import main
from refkit.commands import build
from refkit.enrich.crossref import Client
from refkit.enrich.session import Settings
from refkit.model import Citation
from refkit.plugins import Enrichment, EnrichOptions


class Stub:
    name = "stub"

    def __init__(self) -> None:
        self.options: list[EnrichOptions] = []

    def enrich(self, citations: Sequence[Citation], options: EnrichOptions) -> Enrichment:
        self.options.append(options)
        done = [replace(c, publisher="Registered") if c.doi else c for c in citations]
        counts = {"looked_up": sum(bool(c.doi) for c in citations), "http_429": 0}
        return Enrichment(done, counts, ["one warning"], ["10.1/x: retracted"])


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Stub:
    enricher = Stub()
    monkeypatch.setattr(plugins, "enrichers", lambda: [enricher])
    return enricher


def test_build_enriches_by_default_and_reports(stub: Stub, tmp_path: Path) -> None:
    options = EnrichOptions(mailto="you@example.org", cache_dir=str(tmp_path))
    report = build([SEED], str(tmp_path / "refs.json"), enrich_options=options)
    assert stub.options == [options]
    assert report.enrichment == {"looked_up": 7, "http_429": 0}
    assert report.warnings[-1] == "one warning"
    assert report.retracted == ["10.1/x: retracted"]
    items = json.loads((tmp_path / "refs.json").read_text())
    assert sum(item.get("publisher") == "Registered" for item in items) == 7
    assert report.balanced


def test_offline_build_asks_no_enricher(stub: Stub, tmp_path: Path) -> None:
    report = build([SEED], str(tmp_path / "refs.json"), offline=True)
    assert stub.options == []
    assert report.enrichment == {}


def test_cli_passes_mailto_and_cache_dir(stub: Stub, tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copy(SEED, folder)
    args = ["build", str(folder), "-o", str(tmp_path / "o.bib"), "--mailto", "me@example.org"]
    result = CliRunner().invoke(main, [*args, "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 0, result.stderr
    assert (stub.options[0].mailto, stub.options[0].cache_dir) == (
        "me@example.org",
        str(tmp_path / "c"),
    )
    assert "refkit: warning: one warning" in result.stderr
    assert "refkit: retracted: 10.1/x: retracted" in result.stderr
    assert "Crossref: 7 looked up:" in result.stderr and "0 × 429" in result.stderr


def test_enrich_command_keeps_every_entry_and_its_id(stub: Stub, tmp_path: Path) -> None:
    source, out, report = tmp_path / "in.json", tmp_path / "out.json", tmp_path / "report.json"
    sample = json.loads((DATA / "library" / "sample.json").read_text())
    before = [item for item in sample if isinstance(item, dict)]
    source.write_text(json.dumps(before))
    result = CliRunner().invoke(
        main, ["enrich", str(source), "-o", str(out), "--report", str(report)]
    )
    assert result.exit_code == 0, result.stderr
    after = json.loads(out.read_text())
    assert [item["id"] for item in after][:2] == ["sun2009mesenchymal", "no-title"]
    assert all(item.get("publisher") == "Registered" for item in after if item.get("DOI"))
    counts = json.loads(report.read_text())
    assert counts["library_entries"] == counts["references_written"] == len(before) > 1
    assert counts["command"] == "enrich" and counts["balanced"]
    assert counts["enrichment"]["looked_up"] == sum(bool(item.get("DOI")) for item in before)


def test_cache_info_and_clear(tmp_path: Path) -> None:
    with FakeCrossref() as fake, Client(Settings(base_url=fake.url, cache_dir=tmp_path)) as client:
        client.work("10.1000/unknown")  # a 404, cached
    info = CliRunner().invoke(main, ["cache", "info", "--cache-dir", str(tmp_path)])
    assert info.exit_code == 0
    assert info.stdout.startswith(f"{tmp_path / 'crossref.sqlite'}: 1 answers (0 expired)")
    cleared = CliRunner().invoke(main, ["cache", "clear", "--cache-dir", str(tmp_path)])
    assert cleared.stdout.strip().endswith(": 1 answers removed")
    assert not (tmp_path / "crossref.sqlite").exists()
    again = CliRunner().invoke(main, ["cache", "info", "--cache-dir", str(tmp_path)])
    assert ": 0 answers" in again.stdout
