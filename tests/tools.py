"""The real tools the export tests run (biber, pandoc); a test skips, saying why, without them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

TIMEOUT = 120
# biber checks ~16,000 gold entries in ~80 s of CPU; on a loaded 2-core machine that took 160 s.
LARGE_TIMEOUT = 900


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian: apt-get install {name})")
    return found


def biber(bib: Path, timeout: float = TIMEOUT) -> tuple[str, Path]:
    out = bib.with_name("biber-out.bib")
    command = [tool("biber"), "--tool", "--validate-datamodel", f"--output-file={out}", str(bib)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr, out
