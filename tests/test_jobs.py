from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from archives import good_tar_gz, mixed_zip
from helpers import EXAMPLES, SEED, SHARED
from test_cli_outputs import _open_when_read, _wait_until_blocked, ctrl_c_as_in_a_terminal

from refkit import jobs, spread
from refkit.commands import build
from refkit.report import Report


def inputs(folder: Path) -> list[Path]:
    """Archives (good, broken and hostile members), a folder of files and real records."""
    records = folder / "records"
    shutil.copytree(EXAMPLES, records)
    real = SHARED / "records" / "ctgov-v2"
    if real.is_dir():
        shutil.copytree(real, records / "v2")
    (records / "notes.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(30))
    return [mixed_zip(folder / "a.zip"), records, good_tar_gz(folder / "b.tgz", link=True)]


def built(paths: list[Path], output: Path, count: int) -> tuple[bytes, Report]:
    report = build(paths, str(output), offline=True, jobs=count)
    return output.read_bytes(), report


@pytest.mark.parametrize("suffix", [".bib", ".json", ".ris"])
def test_two_jobs_write_what_one_writes_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    monkeypatch.setattr(jobs, "FILES_PER_UNIT", 2)  # many small units, handed out in turn
    monkeypatch.setattr(jobs, "MEMBERS_PER_UNIT", 3)
    monkeypatch.setattr(spread, "BATCH", 4)  # and the output rendered in runs by the workers
    paths = inputs(tmp_path)
    one, one_report = built(paths, tmp_path / f"one{suffix}", 1)
    two, two_report = built(paths, tmp_path / f"two{suffix}", 2)
    assert two == one
    assert one_report.records_read >= 8 and one_report.references_written > 20
    assert [p.message for p in two_report.problems] == [p.message for p in one_report.problems]
    assert two_report.skipped == one_report.skipped
    assert two_report.warnings == one_report.warnings
    for count in ("records_read", "references_found", "references_merged", "trials_written"):
        assert getattr(two_report, count) == getattr(one_report, count), count


def test_the_units_follow_the_inputs_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "MEMBERS_PER_UNIT", 4)
    zipped = mixed_zip(tmp_path / "a.zip")
    pieces = list(jobs._plan([zipped, EXAMPLES]))
    units = [p for p in pieces if isinstance(p, jobs.Unit)]
    assert [u.members for u in units[:3]] == [range(0, 4), range(4, 8), range(8, 11)]
    assert units[3].paths == tuple(str(p) for p in sorted(EXAMPLES.iterdir()))


def test_a_single_unit_is_read_without_starting_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pool(*args: object) -> None:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(jobs, "_spread", no_pool)
    items = list(jobs.read_parsed([EXAMPLES], 2, lambda raw: None))
    assert sum(parsed is not None for _, parsed in items) == 4


def test_ctrl_c_stops_the_workers_and_leaves_nothing(tmp_path: Path) -> None:
    """Files enough for three units, then a named pipe: the main process blocks on it with
    the workers started; Ctrl-C reaches every process, as a terminal sends it."""
    records = tmp_path / "records"
    records.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    for index in range(2 * jobs.FILES_PER_UNIT + 1):
        nct = f"NCT9{index:07d}"
        (records / f"{nct}.txt").write_text(seed.replace("NCT00962923", nct), encoding="utf-8")
    pipe = records / "zz-pending.txt"
    os.mkfifo(pipe)
    out = tmp_path / "out"
    out.mkdir()
    command = [sys.executable, "-m", "refkit", "build", str(records), "-o", str(out / "r.bib")]
    process = subprocess.Popen(
        [*command, "--offline", "--jobs", "2"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    try:
        writer = _open_when_read(pipe, process)
        _wait_until_blocked(process.pid)
        workers = [int(pid) for pid in _children(process.pid)]
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        os.close(writer)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "refkit: interrupted; nothing was written"
    assert "Traceback" not in stderr
    assert list(out.iterdir()) == []
    assert len(workers) == 2
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def _children(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
