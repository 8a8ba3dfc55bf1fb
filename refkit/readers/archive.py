"""Archives of records (``.zip``, ``.gz``, ``.tar.gz``/``.tgz``, ``.tar``), read member by member.

The registry's bulk download is one ZIP of JSON files, one per study. An archive is never
unpacked to disk and never held whole in memory: each member is opened as a stream (a tar
member, which a compressed tar can only give once and in order, is held while it is read,
up to ``Limits.member_bytes``) and handed to the reader its content picks, under a path that
names both, ``ctg-studies.zip:NCT00962923.json``, so that every message and every citation's
provenance says where it came from.

Hostile archives are refused with one line each: too many members, too much content in all
(``Limits``), a member that expands far more than text does (a "zip bomb"), an archive inside
an archive, and member names that would climb out of a folder if unpacked (``../``, absolute
paths, drive letters) or links and devices in a tar. A damaged member is named and the members
after it are still read.
"""

from __future__ import annotations

import gzip
import io
import re
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PosixPath
from typing import IO, TypeVar, cast

from refkit.errors import ReadError
from refkit.readers import SNIFF_BYTES, Skipped
from refkit.readers.decode import binary_kind

T = TypeVar("T")
ReadOne = Callable[[Path, bytes], Iterator[T]]  # reads one file (here: a member) from its head

GET_AGAIN = "download the archive again"
HOSTILE = "refused: the archive may be hostile; get it again from its source"
_DAMAGED = (zlib.error, zipfile.BadZipFile, gzip.BadGzipFile, EOFError, tarfile.TarError)
_DRIVE = re.compile(r"^[A-Za-z]:")
_TAR_MAGIC_AT = 257


@dataclass(frozen=True)
class Limits:
    """What an archive may hold. The registry's whole download (~550,000 studies, a few GB
    unpacked, each study under ~2 MB, text compressing ~5-20x) fits well inside."""

    members: int = 2_000_000
    total_bytes: int = 64 << 30
    member_bytes: int = 1 << 30
    ratio: int = 200  # expanded / compressed; checked once a member passes ``ratio_from`` bytes
    ratio_from: int = 1 << 20


LIMITS = Limits()
# A zip member up to this size is inflated once and held while it is read (a study is ~10-200
# KB); a larger one is inflated again at each look (its first bytes, its encoding, its content).
HELD_BYTES = 16 << 20


def archive_kind(head: bytes) -> str:
    """ "zip", "gzip" (maybe a tar inside), "tar" or "" from a file's first bytes."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head[_TAR_MAGIC_AT : _TAR_MAGIC_AT + 5] == b"ustar":
        return "tar"
    return ""


class Member(PosixPath):
    """A member of an archive, standing in for a file's Path: ``str()`` is
    ``archive:member``; ``open``/``read_bytes`` give its content, checked against the limits."""

    opener: Callable[[], IO[bytes]]

    def open(self, *args: object, **kwargs: object) -> IO[bytes]:  # type: ignore[override]
        return self.opener()

    def read_bytes(self) -> bytes:
        with self.opener() as stream:
            return stream.read()

    def is_symlink(self) -> bool:
        return False


def member(archive: Path, name: str, opener: Callable[[], IO[bytes]]) -> Member:
    found = Member(f"{archive}:{name}")
    found.opener = opener
    return found


class _Bounded(io.RawIOBase):
    """A member's content that stops with a ReadError past ``limit`` bytes or past the ratio,
    and names damage (bad CRC, a cut-off stream) as this member's, not a reader's bug."""

    def __init__(
        self, stream: IO[bytes], where: str, limit: int, compressed: Callable[[], int]
    ) -> None:
        self._stream = stream
        self._where = where
        self._limit = limit
        self._compressed = compressed
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._stream.read(len(buffer))
        except _DAMAGED as error:
            raise ReadError(
                f"damaged in the archive ({error})", where=self._where, hint=GET_AGAIN
            ) from error
        self.count += len(data)
        if self.count > self._limit:
            raise ReadError(f"expands past {self._limit:,} bytes: {HOSTILE}", where=self._where)
        if self.count > LIMITS.ratio_from and self.count > LIMITS.ratio * self._compressed():
            raise ReadError(
                f"expands more than {LIMITS.ratio} times its compressed size: {HOSTILE}",
                where=self._where,
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()


def bounded(stream: IO[bytes], where: str, limit: int, compressed: Callable[[], int]) -> IO[bytes]:
    return io.BufferedReader(_Bounded(stream, where, limit, compressed))


def unsafe_name(name: str) -> str:
    """Why a member name is a path trick ("" when it is not)."""
    if not name.isprintable():
        return "a member name with control characters"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "an absolute member path"
    if ".." in re.split(r"[/\\]", name):
        return "a member path that climbs out of the archive (..)"
    return ""


def hidden_name(name: str) -> bool:
    """Hidden files and macOS's resource forks (``__MACOSX/``, ``.DS_Store``) are no records."""
    parts = name.split("/")
    return any(part.startswith(".") and part not in (".", "..") for part in parts) or (
        parts[0] == "__MACOSX"
    )


def read_archive(
    path: Path, head: bytes, read_one: ReadOne[T], select: range | None = None
) -> Iterator[T | ReadError | Skipped]:
    """Every member of the archive at ``path`` through ``read_one``, in the archive's order.

    ``select`` reads only those members of a zip (by position among its files), so that
    several processes can share one archive; the whole archive's limits are checked in each.
    """
    kind = archive_kind(head)
    try:
        if kind == "zip":
            yield from _read_zip(path, read_one, select)
        elif kind == "gzip" and _is_tar_gz(path):
            yield from _read_tar(path, read_one, "r|gz")
        elif kind == "gzip":
            yield from _read_gzip(path, read_one)
        else:
            yield from _read_tar(path, read_one, "r|")
    except ReadError as error:
        error.path = error.path or str(path)
        yield error
    except _DAMAGED as error:
        yield ReadError(f"not a readable {kind} archive ({error})", where=str(path), hint=GET_AGAIN)
    except OSError as error:
        yield ReadError(f"cannot read ({error.strerror})", where=str(path))


def zip_files(path: Path) -> int | None:
    """How many files the zip at ``path`` holds, or None when it is refused or unreadable
    (reading it whole then names why, once)."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = _zip_entries(archive)
    except (OSError, *_DAMAGED):
        return None
    if _zip_refusal(path, entries):
        return None
    return len(entries)


def _zip_entries(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [info for info in archive.infolist() if not info.is_dir()]


def _zip_refusal(path: Path, entries: list[zipfile.ZipInfo]) -> ReadError | None:
    if len(entries) > LIMITS.members:
        return ReadError(f"holds {len(entries):,} files, more than {LIMITS.members:,}: {HOSTILE}")
    total = sum(info.file_size for info in entries)
    if total > LIMITS.total_bytes:
        return ReadError(f"would expand to {total:,} bytes: {HOSTILE}", where=str(path))
    return None


def _read_zip(
    path: Path, read_one: ReadOne[T], select: range | None
) -> Iterator[T | ReadError | Skipped]:
    if select is not None:  # a slice: the archive stays open for the next slice
        archive, entries = _opened_zip(path)
        yield from _zip_members(path, archive, entries, select, read_one)
        return
    with zipfile.ZipFile(path) as archive:
        yield from _zip_members(path, archive, _zip_entries(archive), select, read_one)


def _zip_members(
    path: Path,
    archive: zipfile.ZipFile,
    entries: list[zipfile.ZipInfo],
    select: range | None,
    read_one: ReadOne[T],
) -> Iterator[T | ReadError | Skipped]:
    refusal = _zip_refusal(path, entries)
    if refusal is not None:
        refusal.where = refusal.where or str(path)
        raise refusal
    chosen = entries if select is None else [entries[i] for i in select if i < len(entries)]
    for info in chosen:
        yield from _zip_member(path, archive, info, read_one)


_OPENED: dict[tuple[str, int, int], tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]] = {}


def forget_opened() -> None:
    """Drop the zips kept open (a new process must not share their file offsets)."""
    _OPENED.clear()


def _opened_zip(path: Path) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The zip at ``path``, its directory read once per process: a process reading slice
    after slice of the registry's ZIP would otherwise read its ~550,000 entries each time."""
    status = path.stat()
    key = (str(path), status.st_size, status.st_mtime_ns)
    if key not in _OPENED:
        for archive, _ in _OPENED.values():
            archive.close()
        _OPENED.clear()
        archive = zipfile.ZipFile(path)
        _OPENED[key] = (archive, _zip_entries(archive))
    return _OPENED[key]


def _zip_member(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, read_one: ReadOne[T]
) -> Iterator[T | ReadError | Skipped]:
    where = f"{path}:{info.filename}"
    trick = unsafe_name(info.filename)
    if trick:
        yield ReadError(f"{trick}: {HOSTILE}", where=f"{path}:{info.filename!r}")
        return
    if hidden_name(info.filename):
        yield Skipped(where, "hidden file")
        return
    if info.flag_bits & 0x1:
        yield ReadError("encrypted", where=where, hint="give the archive without a password")
        return
    if info.file_size > LIMITS.member_bytes or (
        info.file_size > LIMITS.ratio_from
        and info.file_size > LIMITS.ratio * max(info.compress_size, 1)
    ):
        yield ReadError(
            f"would expand to {info.file_size:,} bytes from {info.compress_size:,}: {HOSTILE}",
            where=where,
        )
        return

    def opener() -> IO[bytes]:
        return bounded(
            archive.open(info), where, LIMITS.member_bytes, lambda: max(info.compress_size, 1)
        )

    if info.file_size <= HELD_BYTES:  # one study: inflated once, not once per look at it
        data = _held(opener(), where)
        if isinstance(data, ReadError):
            yield data
            return
        opener = partial(io.BytesIO, data)
    yield from _member(member(path, info.filename, opener), read_one)


def _member(found: Member, read_one: ReadOne[T]) -> Iterator[T | ReadError]:
    """``read_one`` over a member, after refusing an archive inside it."""
    try:
        with found.opener() as stream:
            head = stream.read(SNIFF_BYTES)
    except ReadError as error:
        yield error
        return
    if archive_kind(head) or binary_kind(head).endswith("archive"):
        yield ReadError(
            f"an archive inside an archive: {HOSTILE}",
            where=str(found),
            hint="unpack the outer archive first",
        )
        return
    yield from read_one(found, head)


def _is_tar_gz(path: Path) -> bool:
    """A gzip whose content begins as a tar does."""
    try:
        with gzip.open(path) as stream:
            head = stream.read(_TAR_MAGIC_AT + 5)
    except (OSError, *_DAMAGED):
        return False
    return archive_kind(head) == "tar" or path.name.lower().endswith((".tar.gz", ".tgz"))


def _read_gzip(path: Path, read_one: ReadOne[T]) -> Iterator[T | ReadError]:
    """A single gzipped file (``studies.json.gz``): one member named after the file."""
    name = path.name[: -len(".gz")] if path.name.lower().endswith(".gz") else path.name
    where = f"{path}:{name}"
    size = max(path.stat().st_size, 1)

    def opener() -> IO[bytes]:
        return bounded(cast(IO[bytes], gzip.open(path)), where, LIMITS.member_bytes, lambda: size)

    yield from _member(member(path, name, opener), read_one)


def _read_tar(path: Path, read_one: ReadOne[T], mode: str) -> Iterator[T | ReadError | Skipped]:
    """A tar (maybe gzipped) read as a stream, each member once, in order."""
    with path.open("rb") as raw, tarfile.open(fileobj=raw, mode=mode) as archive:  # type: ignore[call-overload]
        members, total = 0, 0
        for info in archive:
            if info.isdir():
                continue
            members += 1
            if members > LIMITS.members:
                raise ReadError(
                    f"holds more than {LIMITS.members:,} files: {HOSTILE}", where=str(path)
                )
            where = f"{path}:{info.name}"
            trick = unsafe_name(info.name) or ("" if info.isfile() else _tar_kind(info))
            if trick:
                yield ReadError(f"{trick}: {HOSTILE}", where=f"{path}:{info.name!r}")
                continue
            if hidden_name(info.name):
                yield Skipped(where, "hidden file")
                continue
            if info.size > LIMITS.member_bytes:  # passed over unread (and never held)
                yield ReadError(f"would expand to {info.size:,} bytes: {HOSTILE}", where=where)
                continue
            total += info.size
            if total > LIMITS.total_bytes:
                raise ReadError(
                    f"expands past {LIMITS.total_bytes:,} bytes: {HOSTILE}", where=str(path)
                )
            content = archive.extractfile(info)
            if content is None:
                continue
            data = _held(_tar_content(content, where, raw), where)
            if isinstance(data, ReadError):
                yield data
                continue
            yield from _member(member(path, info.name, partial(io.BytesIO, data)), read_one)


def _tar_content(content: IO[bytes], where: str, raw: IO[bytes]) -> IO[bytes]:
    # tarfile reads the compressed file ahead in blocks: what this member consumed is at most
    # one block more than the file's position moved.
    start = raw.tell() - tarfile.RECORDSIZE
    return bounded(content, where, LIMITS.member_bytes, lambda: raw.tell() - start)


def _held(stream: IO[bytes], where: str) -> bytes | ReadError:
    """A member's whole content (checked against the limits as it is inflated)."""
    try:
        with stream:
            return stream.read()
    except ReadError as error:
        return error


def _tar_kind(info: tarfile.TarInfo) -> str:
    if info.issym() or info.islnk():
        return f"a link ({info.name} -> {info.linkname})"
    return "a device or pipe, not a file"
