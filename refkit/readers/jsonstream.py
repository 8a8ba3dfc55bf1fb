"""Top-level JSON values from a text stream, one at a time, in bounded memory.

A ClinicalTrials.gov download can be one array of thousands of studies (``ctg-studies.json``)
or a ``{"studies": [...]}`` page; JSON Lines is one value per line. ``values`` yields what the
stream holds as ``(container, position, value)``: each element of a top-level array, each study
of a page whose first key is ``"studies"``, or each top-level value. Only one element is held in
memory at a time (the stdlib decoder does the parsing; this module only finds where values
start and end).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, NoReturn, TextIO

from refkit.errors import ReadError

_CHUNK = 1 << 18  # characters read at a time: a value cut by the end is decoded again
_WHITESPACE = " \t\n\r"
# A value cut off by the window's end fails within this many characters of it.
_NEAR_END = 64
# Where a value came from: a top-level array, a page's "studies", or the top level itself.
ARRAY, PAGE, TOP = "array", "page", "top"
NESTED = "nested too deeply"


class JsonSyntaxError(ReadError):
    """Invalid or truncated JSON, with its 1-based line and column in the whole stream.

    Raised without the file's name (the scanner reads a stream): readers catch it and give a
    ReadError that names the file and says what to do.
    """

    def __init__(self, message: str, line: int, column: int, *, truncated: bool) -> None:
        super().__init__(f"{message} at line {line} column {column}")
        self.msg, self.line, self.column, self.truncated = message, line, column, truncated


class _Scanner:
    """A window over the stream: ``text[pos:]`` is what is not consumed yet."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.text = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0  # newlines in the text already dropped from the window
        self.column_before = 0  # characters after the last dropped newline

    def _fill(self, wanted: int) -> bool:
        """Read at least ``wanted`` more characters (or to the end); False at the end."""
        if self.eof:
            return False
        dropped = self.text[: self.pos]
        newlines = dropped.count("\n")
        self.lines_before += newlines
        tail = len(dropped) - dropped.rfind("\n") - 1 if newlines else len(dropped)
        self.column_before = tail if newlines else self.column_before + tail
        chunk = self.stream.read(max(wanted, _CHUNK))
        self.text = self.text[self.pos :] + chunk
        self.pos = 0
        self.eof = not chunk
        return bool(chunk)

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._fill(_CHUNK):
                return ""

    def take(self, expected: str) -> None:
        if self.peek() != expected:
            self.fail(f"Expecting {expected!r}", self.pos)
        self.pos += 1

    def value(self) -> Any:
        """Decode the next value whole, reading more of the stream until it is complete."""
        self.peek()
        decoder = json.JSONDecoder()
        while True:
            try:
                value, end = decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if self.eof or not self._incomplete(error):
                    self.fail(error.msg, error.pos)
                # As much again as the value read so far: one long value costs a few reads, and
                # the window stays the size of the largest value (asking for the whole window
                # again let it grow a little at every value cut by its end).
                self._fill(len(self.text) - self.pos)
                continue
            except RecursionError:
                self.fail(NESTED, self.pos)
            # A number at the window's end may go on in the next chunk; any other value ends
            # where its closing mark is (decoding a whole study again to learn that the
            # stream ends there cost as much as reading it).
            if end < len(self.text) or self.eof or type(value) not in (int, float):
                self.pos = end
                return value
            self._fill(_CHUNK)

    def _incomplete(self, error: json.JSONDecodeError) -> bool:
        """Could more text make this error go away? (A cut-off ``nul``, ``\\u00``, ``"ab``.)"""
        near_end = error.pos >= len(self.text.rstrip(_WHITESPACE)) - _NEAR_END
        return near_end or error.msg.startswith("Unterminated string")

    def _cut_off(self, message: str, pos: int) -> bool:
        """At the end of the stream: did the text stop inside a value?"""
        rest = self.text[pos:].strip(_WHITESPACE)
        literal = bool(rest) and any(word.startswith(rest) for word in ("true", "false", "null"))
        return not rest or literal or message.startswith("Unterminated string")

    def fail(self, message: str, pos: int) -> NoReturn:
        before = self.text[:pos]
        newlines = before.count("\n")
        column = pos - before.rfind("\n") if newlines else self.column_before + pos + 1
        truncated = self.eof and self._cut_off(message, pos)
        raise JsonSyntaxError(
            message, self.lines_before + newlines + 1, column, truncated=truncated
        )


def values(stream: TextIO) -> Iterator[tuple[str, int, Any]]:
    """``(container, 1-based position, value)`` for each value the stream holds (see above)."""
    scanner = _Scanner(stream)
    top = 0
    while first := scanner.peek():
        top += 1
        if first == "[":
            yield from _elements(scanner, ARRAY)
        elif first == "{" and _starts_with_studies(scanner):
            yield from _page(scanner)
        else:
            yield TOP, top, scanner.value()


def _elements(scanner: _Scanner, container: str) -> Iterator[tuple[str, int, Any]]:
    scanner.take("[")
    if scanner.peek() == "]":
        scanner.pos += 1
        return
    position = 0
    while True:
        position += 1
        yield container, position, scanner.value()
        if scanner.peek() == "]":
            scanner.pos += 1
            return
        scanner.take(",")


def _starts_with_studies(scanner: _Scanner) -> bool:
    """True when the object at the cursor opens with the key "studies" (an API page)."""
    while len(scanner.text) - scanner.pos < 64 and scanner._fill(_CHUNK):
        pass
    head = scanner.text[scanner.pos + 1 : scanner.pos + 64].lstrip(_WHITESPACE)
    return head.startswith('"studies"')


def _page(scanner: _Scanner) -> Iterator[tuple[str, int, Any]]:
    """Each study of ``{"studies": [...], "nextPageToken": ...}``; the other keys are skipped."""
    scanner.take("{")
    while True:
        key = scanner.value()
        scanner.take(":")
        if key == "studies" and scanner.peek() == "[":
            yield from _elements(scanner, PAGE)
        elif key == "studies":  # not a list: let the reader say so
            yield TOP, 1, {"studies": scanner.value()}
        else:
            scanner.value()
        if scanner.peek() == "}":
            scanner.pos += 1
            return
        scanner.take(",")
