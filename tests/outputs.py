"""Places that cannot be written, made safely: a full device, a read-only folder, a size limit.

Run as root, refkit could create files in ``/dev``; a regression that renamed a temp file over
``/dev/full`` would then replace the system's device. So root gets its own device nodes in the
test's folder, and only an unprivileged user is given ``/dev/full`` itself.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

FULL = os.makedev(1, 7)  # Linux's /dev/full: every write fails with ENOSPC
NULL = os.makedev(1, 3)


def device(folder: Path, name: str, number: int) -> Path:
    """A character device: a node of our own when root, else the system's."""
    if os.geteuid() == 0:
        node = folder / name
        try:
            os.mknod(node, stat.S_IFCHR | 0o666, number)
        except OSError as error:
            pytest.skip(f"cannot make a device node here ({error.strerror})")
        return node
    system = Path("/dev", name)
    if not system.is_char_device():
        pytest.skip(f"{system} is not a character device here")
    return system


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` made read-only; root ignores modes, so it is also made immutable for root."""
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    try:
        if immutable:
            done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
            if done.returncode:
                pytest.skip("root ignores folder modes, and chattr +i is not available")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
        folder.chmod(0o755)


def file_size_limit(limit: int) -> Callable[[], None]:
    """A ``preexec_fn`` under which no file may grow past ``limit`` bytes: a full disk.

    The write fails with EFBIG (SIGXFSZ ignored) exactly as a full disk's fails with ENOSPC.
    """

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def leftovers(folder: Path) -> list[str]:
    """Temp files an interrupted or failed write left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
