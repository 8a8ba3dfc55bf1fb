"""Bytes → text for every reader: BOMs, UTF-16 without a BOM, a fallback, line endings.

``decode`` turns a whole file's bytes into text; ``open_text`` opens a file as a text stream
with the same choice of encoding, for readers that stream large files.
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import TextIO

from refkit.errors import ReadError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Markdown backslash escapes as ClinicalTrials.gov writes them (`\<2 years`, `10\^6`).
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>^~|=])")
# C0 controls other than tab and line ends, and DEL: never text in a record.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FALLBACK = "cp1252"
FALLBACK_WARNING = "not valid UTF-8 (from byte {}): read as Windows-1252, check accented letters"
_CHUNK = 1 << 20


def detect(head: bytes) -> tuple[str, str]:
    """(encoding, warning) from a file's first bytes, or ("", "") when it may be UTF-8.

    A byte-order mark decides; without one, ASCII text in UTF-16 shows as every other byte
    NUL (the way RFC 4627 tells JSON encodings apart).
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, ""
    sample = head[:64]
    if len(sample) >= 4 and sample.count(0) * 2 >= len(sample) - 1:
        even_nul = sample[0::2].count(0) > len(sample) // 4
        encoding = "utf-16-be" if even_nul else "utf-16-le"
        return encoding, f"UTF-16 without a byte-order mark: read as {encoding.upper()}"
    return "", ""


def binary_kind(head: bytes, limit: int = 4096) -> str:
    """What binary content this is ("PNG image", "gzip archive", ...), or "" for text.

    Text followed by NUL bytes is a damaged file (a copy cut short and zero-filled), named as
    such rather than as binary. ``limit`` is how far NUL bytes are looked for.
    """
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    nul = head.find(b"\x00", 0, limit)
    if nul < 0 or detect(head)[0]:
        return ""
    before = head[:nul].decode("utf-8", errors="replace")
    texty = nul >= 64 and len(_CONTROL.findall(before)) + before.count("\ufffd") < nul // 20
    return f"{NUL_TEXT} {nul}" if texty else "binary data"


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "zip archive"),
    (b"%PDF-", "PDF document"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
)


NUL_TEXT = "text, then NUL bytes from byte"


def binary_error(kind: str, where: str) -> ReadError:
    if kind.startswith(NUL_TEXT):
        return ReadError(
            f"{kind}: the file is damaged (cut short and filled with zeros?)",
            where=where,
            hint="download the record again",
        )
    if kind.endswith("archive"):
        return ReadError(
            f"a {kind}, not a trial record", where=where, hint="unpack it and give refkit its files"
        )
    return ReadError(
        f"binary content ({kind}), not a trial record",
        where=where,
        hint="remove it from the folder or give the record's text, JSON or XML file",
    )


def decode(data: bytes, where: str) -> tuple[str, str]:
    """Decode ``data``; returns (text with ``\\n`` line ends, warning or "")."""
    if not data.strip():
        raise ReadError("the file is empty", where=where, hint="download the record again")
    kind = binary_kind(data, limit=len(data))
    if kind:
        raise binary_error(kind, where)
    encoding, warning = detect(data)
    if encoding:
        return _text(data, encoding, where), warning
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        warning = FALLBACK_WARNING.format(error.start)
        return _text(data, FALLBACK, where, errors="replace"), warning
    return text.replace("\r\n", "\n").replace("\r", "\n"), ""


def is_fallback(warning: str) -> bool:
    """Was this the warning of a file read as Windows-1252?"""
    return warning.startswith(FALLBACK_WARNING.split("(", 1)[0])


def sniff_text(head: bytes) -> str:
    """The first bytes of a file as text, for recognising its format; never raises."""
    if binary_kind(head):
        return ""
    encoding, _ = detect(head)
    return head.decode(encoding or "utf-8", errors="replace").lstrip("\ufeff")


def open_text(path: Path) -> tuple[TextIO, str]:
    """``path`` as a text stream (``\\n`` line ends) and a warning about its encoding or "".

    Without a BOM the whole file is checked as UTF-8 first, chunk by chunk (bounded memory);
    a file that is not UTF-8 is read as Windows-1252, with a warning.
    """
    where = str(path)
    with path.open("rb") as stream:
        head = stream.read(4096)
    if not head.strip():
        raise ReadError("the file is empty", where=where, hint="download the record again")
    kind = binary_kind(head)
    if kind:
        raise binary_error(kind, where)
    encoding, warning = detect(head)
    if not encoding:
        bad = _first_non_utf8(path)
        encoding = "utf-8-sig" if bad < 0 else FALLBACK
        warning = "" if bad < 0 else FALLBACK_WARNING.format(bad)
    raw = path.open("rb")
    errors = "replace" if encoding == FALLBACK else "strict"
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline=None), warning


def _first_non_utf8(path: Path) -> int:
    """The offset of the first byte that is not UTF-8, or -1; read chunk by chunk."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    done = 0  # bytes handed to the decoder so far
    with path.open("rb") as stream:
        while True:
            chunk = stream.read(_CHUNK)
            held = len(decoder.getstate()[0])  # an incomplete sequence kept from the last chunk
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:  # its offsets count from the held bytes
                return done - held + error.start
            if not chunk:
                return -1
            done += len(chunk)


def _text(data: bytes, encoding: str, where: str, errors: str = "strict") -> str:
    try:
        text = data.decode(encoding, errors=errors)
    except UnicodeDecodeError as error:
        raise ReadError(
            f"cannot decode as {encoding} ({error.reason} at byte {error.start})",
            where=where,
            hint="save the file as UTF-8",
        ) from error
    return text.replace("\r\n", "\n").replace("\r", "\n")


def unescape_markdown(text: str) -> str:
    """``\\<2 years`` → ``<2 years``: undo the registry's Markdown escapes."""
    return _MARKDOWN_ESCAPE.sub(r"\1", text)


def clean_text(text: str, *, markdown: bool = False) -> str:
    """A record's text field as one tidy line: controls dropped, spaces joined, and with
    ``markdown`` the registry's Markdown escapes undone (API v2 and the text rendering)."""
    if markdown and "\\" in text:
        text = unescape_markdown(text)
    if not text.isprintable():  # tabs, line ends, controls: a test far cheaper than the pattern
        text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def clean_block(text: str, *, markdown: bool = False) -> str:
    """A record's long text (a summary): like ``clean_text``, paragraphs kept apart."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = (clean_text(p, markdown=markdown) for p in paragraphs)
    return "\n\n".join(p for p in cleaned if p)
