"""A .bib file → its entries' raw fields, reading on past every problem.

BibTeX's own rules: a block starts at ``@type{`` (or ``@type(``); ``@string`` defines a macro,
``@comment`` and ``@preamble`` are skipped; a value is ``{...}`` (braces balanced, backslashes
or not), ``"..."``, a number or a macro, joined by ``#``. Recovery is by lines: a block whose
braces never close ends where the next line starting an entry begins, and a field whose braces
never close costs that field alone: reading goes on at the next line of the entry that starts
``name =``. Each problem is one message naming the line where its block or field starts.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

from refkit.errors import ReadError
from refkit.text import MONTH_ABBREVIATIONS

# A line that begins an entry: where a block that never closed is taken to end.
_LINE_HEAD = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_HEAD = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])")
_SPACE = re.compile(r"\s*")
_NAME = re.compile(r"[^\s=,{}()\"#%'@]+")
_KEY = re.compile(r"[^,\s{}()]*")
_BARE = re.compile(r"[^\s,#{}()\"]+")
_BRACE = re.compile(r"[{}]")
_QUOTE_OR_BRACE = re.compile(r'[{}"]')
# The common field, read by one match: a name and a braced value (braces one deep inside), a
# quoted one without braces or a number, followed by the comma or closer that ends it.
_SIMPLE_FIELD = re.compile(
    r"[\s,]*([^\s=,{}()\"#%'@]+)\s*=\s*"
    r"(?:\{((?:[^{}]|\{[^{}]*\})*)\}|\"([^{}\"]*)\"|(\d+))\s*(?=[,})])"
)
_STARTS_FIELD = re.compile(r"[^\s=,{}()\"#%'@]+\s*=")
_FIELD_LINE = re.compile(r"^[ \t]*[^\s=,{}()\"#%'@]+[ \t]*=", re.MULTILINE)
# BibTeX's predefined month macros stand for themselves here; dates are read later.
MONTH_MACROS = {name: name for name in MONTH_ABBREVIATIONS}


@dataclass
class RawEntry:
    """One entry as written: type, key, and its fields in order (values still LaTeX)."""

    entry_type: str
    key: str
    line: int
    fields: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Problem:
    line: int
    message: str
    hint: str = "check its braces and commas"


class _Unbalanced(ReadError):
    """A value whose braces or quotes never close before ``limit`` (caught in this module,
    which names the field and the line)."""

    def __init__(self) -> None:
        super().__init__("unbalanced braces or quotes")


class Scanner:
    """Walks one file's text; ``blocks()`` yields entries and problems in file order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.heads = [m.start() for m in _LINE_HEAD.finditer(text)]
        self.strings: dict[str, str] = dict(MONTH_MACROS)
        self._counted = (0, 1)  # (position, its line): lines are asked for in file order

    def line(self, position: int) -> int:
        start, line = self._counted if position >= self._counted[0] else (0, 1)
        line += self.text.count("\n", start, position)
        self._counted = (position, line)
        return line

    def limit_after(self, position: int) -> int:
        """Where the next line that starts an entry begins (or the end of the text)."""
        index = bisect.bisect_right(self.heads, position)
        return self.heads[index] if index < len(self.heads) else len(self.text)

    def blocks(self) -> Iterator[RawEntry | Problem]:
        position = 0
        text = self.text
        while (head := _HEAD.search(text, position)) is not None:
            kind = head.group(1).lower()
            limit = self.limit_after(head.start())
            closer = "}" if head.group(2) == "{" else ")"
            start = head.end()
            if kind == "comment" or kind == "preamble":
                position = self._skip_group(start, limit)
            elif kind == "string":
                position = yield from self._string(head.start(), start, limit, closer)
            else:
                position = yield from self._entry(head.group(1), head.start(), start, limit, closer)

    def _skip_group(self, start: int, limit: int) -> int:
        try:
            return self._braced(start - 1, limit)
        except _Unbalanced:
            return limit

    def _string(
        self, at: int, start: int, limit: int, closer: str
    ) -> Generator[Problem, None, int]:
        fields: list[tuple[str, str]] = []
        line = self.line(at)
        end = yield from self._fields(start, limit, closer, fields, line, "@string")
        for name, value in fields:
            name = name.lower()
            known = self.strings.get(name)
            if known is not None and known != value and name not in MONTH_MACROS:
                yield Problem(
                    line,
                    f"@string {name} defined again with another value: the later one is used",
                    "give each @string its own name",
                )
            self.strings[name] = value
        return end

    def _entry(
        self, entry_type: str, at: int, start: int, limit: int, closer: str
    ) -> Generator[RawEntry | Problem, None, int]:
        text = self.text
        start = _SPACE.match(text, start).end()  # type: ignore[union-attr]
        key_match = _KEY.match(text, start)
        key = key_match.group() if key_match else ""
        after_key = _SPACE.match(text, key_match.end() if key_match else start).end()  # type: ignore[union-attr]
        entry = RawEntry(entry_type.lower(), key, self.line(at))
        if after_key < len(text) and text[after_key] == closer:
            yield entry
            return after_key + 1
        if after_key >= len(text) or text[after_key] != ",":
            if after_key < len(text) and text[after_key] == "=":
                # `@article{title = ...}`: the key was forgotten; the entry gets one.
                entry.key = ""
                after_key = start
            elif _STARTS_FIELD.match(text, after_key):
                yield Problem(entry.line, f"entry {key!r}: no comma after its key (read on)")
            else:
                yield Problem(entry.line, f"entry {key!r}: no comma after its key; not read")
                return limit
        else:
            after_key += 1
        end = yield from self._fields(after_key, limit, closer, entry.fields, entry.line, repr(key))
        yield entry
        return end

    def _fields(
        self,
        position: int,
        limit: int,
        closer: str,
        out: list[tuple[str, str]],
        block_line: int,
        what: str,
    ) -> Generator[Problem, None, int]:
        """Read ``name = value`` pairs up to the block's closer; returns where reading goes on."""
        text = self.text
        while True:
            simple = _SIMPLE_FIELD.match(text, position, limit)
            if simple is not None:
                value = simple.group(2)
                if value is None:
                    value = simple.group(3) if simple.group(3) is not None else simple.group(4)
                out.append((simple.group(1).lower(), value))
                position = simple.end()
                continue
            position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
            if position >= limit:
                yield Problem(block_line, f"{what}: the block never closes (read up to here)")
                return position
            char = text[position]
            if char == closer:
                return position + 1
            if char == ",":
                position += 1
                continue
            name = _NAME.match(text, position)
            equals = _SPACE.match(text, name.end()).end() if name else position  # type: ignore[union-attr]
            if name is None or equals >= len(text) or text[equals] != "=":
                skipped_to = self._next_field_line(position, limit)
                shown = text[position : min(position + 30, limit)].split("\n")[0]
                message = f"{what}: cannot read {shown!r} (line {self.line(position)}); skipped"
                yield Problem(block_line, message)
                position = skipped_to
                continue
            try:
                value, position = self._value(equals + 1, limit)
            except _Unbalanced:
                yield Problem(
                    block_line,
                    f"{what}: field {name.group().lower()!r} (line {self.line(position)}) never"
                    " closes its braces or quotes; this field was not read",
                )
                position = self._next_field_line(position, limit)
                continue
            out.append((name.group().lower(), value))

    def _next_field_line(self, position: int, limit: int) -> int:
        newline = self.text.find("\n", position, limit)
        if newline < 0:
            return limit
        found = _FIELD_LINE.search(self.text, newline + 1, limit)
        return found.start() if found else limit

    def _value(self, position: int, limit: int) -> tuple[str, int]:
        """One value (parts joined by ``#``) → its text and where it ends."""
        text = self.text
        parts: list[str] = []
        while True:
            position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
            if position >= limit:
                raise _Unbalanced
            char = text[position]
            if char == "{":
                end = self._braced(position, limit)
                parts.append(text[position + 1 : end - 1])
            elif char == '"':
                end = self._quoted(position, limit)
                parts.append(text[position + 1 : end - 1])
            else:
                bare = _BARE.match(text, position)
                if bare is None:
                    raise _Unbalanced
                end = bare.end()
                word = bare.group()
                parts.append(word if word.isdigit() else self.strings.get(word.lower(), word))
            position = _SPACE.match(text, end).end()  # type: ignore[union-attr]
            if position < limit and text[position] == "#":
                position += 1
                continue
            return "".join(parts), position

    def _braced(self, position: int, limit: int) -> int:
        """``position`` at ``{``: the index after its matching ``}``, which must come before
        ``limit``."""
        depth = 0
        for match in _BRACE.finditer(self.text, position, limit):
            depth += 1 if match.group() == "{" else -1
            if depth == 0:
                return match.end()
        raise _Unbalanced

    def _quoted(self, position: int, limit: int) -> int:
        depth = 0
        for match in _QUOTE_OR_BRACE.finditer(self.text, position + 1, limit):
            char = match.group()
            if char == '"' and depth == 0:
                return match.end()
            if char != '"':
                depth += 1 if char == "{" else -1
        raise _Unbalanced
