"""Output safety in real processes: nothing half-written, nothing left behind, one line, exit 2."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import SEED
from outputs import FULL, device, file_size_limit, leftovers, read_only

PRECIOUS = "@misc{precious,\n  title = {Keep me},\n}\n"
# The BibTeX exporter, made to send the process a real SIGINT after writing half an entry.
INTERRUPT_MID_EXPORT = """
import os, signal
from refkit.cli import main
from refkit.exporters.bibtex import BibtexExporter

write = BibtexExporter.write

def interrupted(self, citations, stream):
    stream.write("@techreport{half,\\n")
    stream.flush()
    os.kill(os.getpid(), signal.SIGINT)
    write(self, citations, stream)

BibtexExporter.write = interrupted
main()
"""


def refkit(
    *args: str, script: str | None = None, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    start = ["-c", script] if script else ["-m", "refkit"]
    return subprocess.run(
        [sys.executable, *start, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=preexec,  # sets limits in the child only
    )


@pytest.fixture
def records(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copy(SEED, folder)
    return folder


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "refs.bib").write_text(PRECIOUS)
    return folder


def one_line(stderr: str) -> str:
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    return stderr


def test_a_full_device_as_output_is_one_line_and_exit_2(records: Path, tmp_path: Path) -> None:
    full = device(tmp_path, "full", FULL)
    done = refkit("build", str(records), "-o", str(full), "--format", "bibtex", "--offline")
    assert done.returncode == 2
    assert "No space left on device" in one_line(done.stderr)
    assert full.is_char_device()


def test_a_report_on_a_full_device_writes_nothing(records: Path, out: Path, tmp_path: Path) -> None:
    full = device(tmp_path, "full", FULL)
    target = out / "refs.bib"
    done = refkit("build", str(records), "-o", str(target), "--offline", "--report", str(full))
    assert done.returncode == 2
    assert f"{full}: cannot write (No space left on device)" in one_line(done.stderr)
    assert target.read_text() == PRECIOUS  # both or neither
    assert leftovers(out) == []


def test_a_full_disk_keeps_the_existing_output(records: Path, out: Path) -> None:
    target = out / "refs.bib"
    done = refkit(
        "build", str(records), "-o", str(target), "--offline", preexec=file_size_limit(2048)
    )
    assert done.returncode == 2
    assert "cannot write (File too large)" in one_line(done.stderr)
    assert target.read_text() == PRECIOUS
    assert leftovers(out) == []


@pytest.mark.parametrize("option", ["-o", "--report"])
def test_a_read_only_folder_is_one_line_and_exit_2(records: Path, out: Path, option: str) -> None:
    locked = out / "locked"
    locked.mkdir()
    paths = {"-o": str(out / "refs.bib"), "--report": str(out / "r.json")}
    paths[option] = str(locked / "target.bib")
    with read_only(locked):
        done = refkit("build", str(records), "-o", paths["-o"], "--report", paths["--report"])
    assert done.returncode == 2
    assert f"{locked / 'target.bib'}: cannot write here" in one_line(done.stderr)
    assert (out / "refs.bib").read_text() == PRECIOUS
    assert not (out / "r.json").exists()


def test_a_missing_report_folder_fails_before_the_run(records: Path, out: Path) -> None:
    report = out / "no" / "r.json"
    done = refkit("build", str(records), "-o", str(out / "refs.bib"), "--report", str(report))
    assert done.returncode == 2
    assert "output folder does not exist" in one_line(done.stderr)
    assert (out / "refs.bib").read_text() == PRECIOUS


def ctrl_c_as_in_a_terminal() -> None:
    """A ``preexec_fn``: SIGINT's default action in the child, as a terminal gives it.

    A test runner started in the background inherits SIGINT ignored, and so would the child:
    Python then installs no KeyboardInterrupt handler and the signal does nothing.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_sigint_mid_export_leaves_the_old_output_and_no_temp(records: Path, out: Path) -> None:
    target, report = out / "refs.bib", out / "r.json"
    args = ("build", str(records), "-o", str(target), "--offline", "--report", str(report))
    done = refkit(*args, script=INTERRUPT_MID_EXPORT, preexec=ctrl_c_as_in_a_terminal)
    assert done.returncode == 130
    assert "interrupted; nothing was written" in one_line(done.stderr)
    assert target.read_text() == PRECIOUS
    assert not report.exists()
    assert leftovers(out) == []


def test_sigint_while_reading_leaves_nothing(records: Path, out: Path) -> None:
    """The run blocks on a named pipe among the inputs; Ctrl-C arrives while it waits."""
    pipe = records / "zz-pending.txt"
    os.mkfifo(pipe)
    target = out / "refs.bib"
    command = [sys.executable, "-m", "refkit", "build", str(records), "-o", str(target)]
    process = subprocess.Popen(
        [*command, "--offline"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    try:
        writer = _open_when_read(pipe, process)
        _wait_until_blocked(process.pid)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        os.close(writer)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "interrupted; nothing was written" in one_line(stderr)
    assert target.read_text() == PRECIOUS
    assert leftovers(out) == []


def _wait_until_blocked(pid: int) -> None:
    """Until the process sleeps in its read of the pipe (Linux: its ``wchan``; else a pause).

    The open returns the moment the pipe has a writer; a SIGINT sent in the few instructions
    between that and the blocking read sets CPython's flag where nothing checks it, and the
    read then waits for data that never comes. A terminal user's Ctrl-C never lands there.
    """
    wchan = Path(f"/proc/{pid}/wchan")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if "pipe" in wchan.read_text():
                return
        except OSError:
            break
        time.sleep(0.01)
    time.sleep(0.5)


def _open_when_read(pipe: Path, process: subprocess.Popen[str]) -> int:
    """The pipe's write end, once the process has opened it for reading (it is mid-run)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            return os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: nobody reads it yet
            if process.poll() is not None:
                pytest.skip("named pipes among the inputs are not read, so nothing blocks")
            time.sleep(0.01)
    pytest.fail("refkit never opened the named pipe")
