"""``refkit build tests/data/bad -o out.bib --report r.json`` over the whole bad-input corpus.

The command runs once, as a user would type it, in a copy of the corpus where the cases git
cannot hold are made (``tests/bad_corpus.py``); each test checks one promise: exit 1, no
traceback, each bad file named in the line its case expects, every good record written, and a
report whose counts balance, each rejection with its file, position and reason.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bad_corpus import GENERATED, MANY, expected_lines, good_trials, is_warning, lay_out
from bibtexparser.entrypoint import parse_string

from refkit.formats.latex import to_text

CORPUS = Path("tests", "data", "bad")
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2  # <linux/prctl.h>, capability.h
TIMEOUT = 300
SKIPPED_LINE = "skipped (not trial records)"


@dataclass
class Build:
    folder: Path
    status: int
    stderr: list[str]
    report: dict[str, Any]
    entries: dict[str, dict[str, str]]  # key → fields, read back from out.bib
    expected: dict[str, list[str]]


def _without_dac_override() -> None:
    """Root reads every file whatever its mode; without these two capabilities (dropped from
    the bounding set, so the command starts without them) it reads like any other user."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _as_a_plain_user() -> Callable[[], None] | None:
    """What to run before the command so that a mode-000 file is unreadable to it (None: it
    already is), or raise Skip when this machine cannot do that."""
    if os.geteuid() != 0:
        return None
    probe = tempfile.NamedTemporaryFile()  # noqa: SIM115 - closed below
    with probe:
        os.chmod(probe.name, 0)
        try:
            done = subprocess.run(
                ["cat", probe.name], preexec_fn=_without_dac_override, capture_output=True
            )
        except (OSError, subprocess.SubprocessError):
            done = None
    if done is None or done.returncode == 0:
        return _skip_unreadable
    return _without_dac_override


def _skip_unreadable() -> None:
    """Run as root with every capability: the unreadable file is read (its case is left out)."""


def _command() -> list[str]:
    script = Path(sys.executable).with_name("refkit")
    start = [str(script)] if script.exists() else [sys.executable, "-m", "refkit"]
    return [*start, "build", str(CORPUS), "-o", "out.bib", "--report", "r.json"]


@pytest.fixture(scope="module")
def build() -> Iterator[Build]:
    folder = Path(tempfile.mkdtemp(prefix="refkit-bad-"))
    before = _as_a_plain_user()
    try:
        corpus = lay_out(folder / CORPUS)
        if before is _skip_unreadable:
            shutil.rmtree(corpus / "unreadable")
            before = None
        env = {**os.environ, "REFKIT_CROSSREF_URL": "http://127.0.0.1:9"}  # refused: no network
        env |= {"XDG_CACHE_HOME": str(folder / "cache"), "HOME": str(folder)}
        done = subprocess.run(
            _command(),
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            preexec_fn=before,
        )
        bib = (folder / "out.bib").read_text(encoding="utf-8")
        library = parse_string(bib)
        assert not library.failed_blocks
        yield Build(
            folder=folder,
            status=done.returncode,
            stderr=done.stderr.splitlines(),
            report=json.loads((folder / "r.json").read_text(encoding="utf-8")),
            entries={e.key: {f.key: str(f.value) for f in e.fields} for e in library.entries},
            expected=expected_lines(corpus),
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_corpus_has_every_case_with_its_expected_lines() -> None:
    cases = {path.name for path in CORPUS.iterdir() if path.is_dir()}
    assert set(GENERATED) <= cases
    assert all((CORPUS / case / "expected.txt").is_file() for case in cases)
    assert len(cases) >= 24


def test_exit_1_and_no_traceback(build: Build) -> None:
    assert build.status == 1, "\n".join(build.stderr)
    assert not [line for line in build.stderr if "Traceback" in line or "Error:" in line]


def test_each_case_prints_exactly_its_expected_lines(build: Build) -> None:
    for case, lines in build.expected.items():
        printed = [
            line
            for line in build.stderr
            if f"{CORPUS}/{case}/" in line and SKIPPED_LINE not in line
        ]
        assert printed == lines, case


def test_every_problem_line_names_a_file_of_the_corpus(build: Build) -> None:
    problems = [line for line in build.stderr if line.startswith("refkit: ")]
    problems = [line for line in problems if not is_warning(line) and SKIPPED_LINE not in line]
    assert len(problems) == sum(
        not is_warning(x) for lines in build.expected.values() for x in lines
    )
    for line in problems:
        path = re.match(rf"refkit: ({re.escape(str(CORPUS))}/[^:]+)", line)
        assert path, line
        assert os.path.lexists(build.folder / path.group(1)), line


def test_every_good_record_is_written(build: Build) -> None:
    trials = [e for e in build.entries.values() if e.get("institution") == "ClinicalTrials.gov"]
    numbers = [entry["number"] for entry in trials]
    assert len(numbers) == len(set(numbers))  # the same study twice: one trial entry
    good = good_trials(build.folder / CORPUS, build.expected)
    assert {"NCT00962923", "NCT04251754", "NCT00277524", "NCT03630471"} <= good
    assert set(numbers) == good | {"NCT90000013"}  # and the study before a truncated page's cut


def test_the_references_around_a_bad_one_are_written(build: Build) -> None:
    """The seed's references, also given by the records with a 1 MiB line, control characters
    and 100,000 lines, are each one entry citing all of those trials."""
    cited = {
        entry.get("doi"): to_text(entry.get("note", ""))
        for entry in build.entries.values()
        if entry.get("doi")
    }
    for doi in ("10.1002/stem.68", "10.1177/1352458509104590", "10.1016/j.stem.2012.03.007"):
        for trial in ("NCT00962923", "NCT90000020", "NCT90000021", "NCT90000005"):
            assert trial in cited[doi], (doi, trial)


def test_no_control_character_reaches_the_output(build: Build) -> None:
    text = (build.folder / "out.bib").read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)


def test_the_report_balances(build: Build) -> None:
    report = build.report
    written = report["references_written"] + report["references_merged"]
    rejected = report["references_rejected"] + report["references_known"]
    assert report["references_found"] == written + rejected
    assert report["balanced"] is True
    assert report["references_found"] > MANY  # the 100,000 lines are all counted
    entries = report["trials_written"] + report["references_written"]
    assert len(build.entries) == entries


def test_every_record_is_read_or_rejected(build: Build) -> None:
    report = build.report
    fragments = [w for w in report["warnings"] if "no NCT id (a fragment" in w]
    read = report["trials_written"] + report["records_duplicate"] + len(fragments)
    assert report["records_read"] == read
    whole = [p for p in report["problems"] if not p["position"]]
    references = [p for p in report["problems"] if re.match(r"[Rr]eferences \d+$", p["position"])]
    assert report["references_rejected"] == len(references) == 3
    assert report["records_rejected"] == len(report["problems"]) - len(references)
    assert len(whole) == report["records_rejected"]


def test_the_skipped_files_are_summed_up_in_one_line(build: Build) -> None:
    (line,) = [line for line in build.stderr if SKIPPED_LINE in line]
    skipped = build.report["skipped"]
    assert line.startswith(f"refkit: {len(skipped)} files {SKIPPED_LINE}: ")
    assert f"{skipped[0]['where']}, {skipped[1]['where']}" in line
    assert line.endswith(", ...")


def test_each_rejection_has_its_file_position_and_reason(build: Build) -> None:
    printed = set(build.stderr)
    for problem in build.report["problems"]:
        assert problem["reason"] and problem["reason"] in problem["message"]
        place = f":{problem['position']}" if problem["position"] else ""
        assert problem["where"] == problem["file"] + place
        archive, _, member = problem["file"].partition(".gz:")  # an archive's member
        assert os.path.lexists(build.folder / (f"{archive}.gz" if member else archive))
        assert f"refkit: {problem['message']}" in printed
    skipped = {item["where"] for item in build.report["skipped"]}
    assert f"{CORPUS}/symlink-loop/loop" in skipped


def test_an_unreadable_file_is_named(build: Build) -> None:
    if not (build.folder / CORPUS / "unreadable").exists():
        pytest.skip("run as root without the right to drop capabilities: root reads every file")
    line = build.expected["unreadable"][0]
    assert line in build.stderr
