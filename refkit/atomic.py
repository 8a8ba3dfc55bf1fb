"""Write a file whole or not at all: a temp file in the target folder, then a rename.

A failed or interrupted write removes its temp file and leaves an existing target as it was.
A target that is not a regular file (``/dev/null``, ``/dev/stdout``, a named pipe) is written in
place: renaming over it would replace the device itself (as root, ``/dev/null`` with a file).
A symbolic link keeps pointing where it did: the file it names is replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from refkit.errors import ExportError


@contextlib.contextmanager
def open_output(target: str) -> Iterator[IO[str]]:
    """A text stream for ``target`` (``-`` is stdout); renamed into place only on success.

    Raises ExportError (before anything is written) when the target cannot be written, and
    when a write fails (a full disk): then the temp file is gone and the target untouched.
    """
    if target == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = _resolve(target)
    mode = _existing_mode(path, target)
    if mode is not None and not stat.S_ISREG(mode):
        with _in_place(path, target) as stream:
            yield stream
        return
    with _replacing(path, target, mode) as stream:
        yield stream


def check_output(target: str) -> None:
    """Raise ExportError now, before a long run, when ``target`` could not be written."""
    if target == "-":
        return
    path = _resolve(target)
    mode = _existing_mode(path, target)
    if mode is None or stat.S_ISREG(mode):
        handle, temp_name = _create_temp(path, target)
        os.close(handle)
        _remove(temp_name)


def _resolve(target: str) -> Path:
    return Path(os.path.realpath(target)) if os.path.islink(target) else Path(target)


def _existing_mode(path: Path, target: str) -> int | None:
    """The target's mode when it exists; refuse a folder and a file nobody may write."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ExportError(f"cannot write here ({error.strerror})", where=target) from error
    if stat.S_ISDIR(mode):
        raise ExportError("the output is a folder", where=target, hint="give a file name")
    if stat.S_ISREG(mode) and not mode & 0o222:
        raise ExportError(
            "the output file is read-only", where=target, hint="make it writable or pick another"
        )
    return mode


def _create_temp(path: Path, target: str) -> tuple[int, str]:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError("the output folder does not exist", where=target, hint="create it first")
    try:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ExportError(f"cannot write here ({error.strerror})", where=target) from error


@contextlib.contextmanager
def _replacing(path: Path, target: str, mode: int | None) -> Iterator[IO[str]]:
    handle, temp_name = _create_temp(path, target)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private: keep the replaced file's mode, else the usual one.
        os.chmod(temp_name, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(temp_name, path)
    except OSError as error:
        _remove(temp_name)
        raise ExportError(f"cannot write ({error.strerror})", where=target) from error
    except BaseException:
        _remove(temp_name)
        raise


@contextlib.contextmanager
def _in_place(path: Path, target: str) -> Iterator[IO[str]]:
    try:
        stream = path.open("w", encoding="utf-8", newline="\n")
    except OSError as error:
        raise ExportError(f"cannot write here ({error.strerror})", where=target) from error
    try:
        with stream:
            yield stream
    except OSError as error:
        raise ExportError(f"cannot write ({error.strerror})", where=target) from error


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)
