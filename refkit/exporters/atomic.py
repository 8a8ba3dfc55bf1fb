"""Write a file whole or not at all: a temp file in the target folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from refkit.errors import ExportError


@contextlib.contextmanager
def open_output(target: str) -> Iterator[IO[str]]:
    """A text stream for ``target`` (``-`` is stdout); renamed into place only on success."""
    if target == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(target)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(
            "the output folder does not exist", where=str(path), hint="create it first"
        )
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ExportError(f"cannot write here ({error.strerror})", where=str(path)) from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o666 & ~_umask())  # mkstemp makes it private; use the usual mode
        os.replace(temp_name, path)
    except OSError as error:
        _remove(temp_name)
        raise ExportError(f"cannot write ({error.strerror})", where=str(path)) from error
    except BaseException:
        _remove(temp_name)
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)
