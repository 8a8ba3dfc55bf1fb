"""Bytes → text for every reader: BOMs, UTF-16, a declared fallback, line endings."""

from __future__ import annotations

import codecs
import re

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


def decode(data: bytes, where: str) -> tuple[str, str]:
    """Decode ``data``; returns (text with ``\\n`` line ends, warning or "")."""
    if not data.strip():
        raise ReadError("the file is empty", where=where, hint="download the record again")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _text(data, encoding, where), ""
    if b"\x00" in data[:4096]:
        raise ReadError(
            "binary content, not a trial record",
            where=where,
            hint="remove it from the folder or give the record's text, JSON or XML file",
        )
    try:
        return _text(data, "utf-8", where), ""
    except ReadError:
        pass
    try:
        text = _text(data, "cp1252", where)
    except ReadError:
        text = _text(data, "latin-1", where)  # maps every byte: cannot fail
    return text, "not valid UTF-8: read as Windows-1252, check accented letters"


def _text(data: bytes, encoding: str, where: str) -> str:
    try:
        text = data.decode(encoding)
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
