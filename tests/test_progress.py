from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES

from refkit.cli import _progress
from refkit.commands import build
from refkit.report import Problem, skipped_summary


def test_the_bar_shows_records_references_and_stages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[int, int, str]] = []
    with _progress(enabled=True) as tick:
        assert tick is not None

        def both(records: int, references: int, stage: str) -> None:
            calls.append((records, references, stage))
            tick(records, references, stage)

        report = build([EXAMPLES], str(tmp_path / "out.bib"), offline=True, progress=both)
    read = [c for c in calls if c[2] == "read"]
    assert sum(r for r, _, _ in read) == report.records_read == 4
    assert sum(n for _, n, _ in read) == report.references_found
    assert [s for _, _, s in calls if s != "read"] == ["enrich", "dedupe", "export"]
    shown = capsys.readouterr().err
    assert f"{report.references_found:,} references" in shown
    assert "dedupe" in shown


def test_no_bar_when_disabled() -> None:
    with _progress(enabled=False) as tick:
        assert tick is None


def test_the_skipped_files_line_counts_kinds_and_names_the_first_few() -> None:

    skipped = [
        Problem("r/a.png", "not a trial record in any known format"),
        Problem("r/.DS_Store", "hidden file"),
        Problem("r/b.png", "not a trial record in any known format"),
        Problem("r/README", "not a trial record in any known format"),
        Problem("r/notes.md", "not a trial record in any known format"),
    ]
    assert skipped_summary(skipped) == (
        "5 files skipped (not trial records): 2 .png, 1 hidden, 1 without a suffix, 1 .md: "
        "r/a.png, r/.DS_Store, r/b.png, ..."
    )
    assert skipped_summary(skipped[:1]) == "1 file skipped (not trial records): 1 .png: r/a.png"
    assert skipped_summary([]) == ""
