"""Read Crossref JSON values whatever their shape: never raise, keep what can be read.

Crossref documents arrays of strings, partial dates and nested objects, but real bodies (and
content-negotiated CSL-JSON, which has strings where the REST API has arrays) also carry
``null``, empty strings, numbers and markup. Each reader here returns plain text or None.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from refkit.model import Date

_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s+[\w.:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))*\s*/?>")


def crossref_date(value: Any) -> Date | None:
    """``{"date-parts": [[2009, 6, 20]]}`` → Date; ``[[null]]``, junk or out of range → None.

    Without date-parts, the ISO ``date-time`` is read (Retraction Watch's update entries carry
    only that)."""
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
        iso = re.match(r"(\d{4})-(\d{2})-(\d{2})", text(value.get("date-time")))
        parts = [[int(group) for group in iso.groups()]] if iso else [[None]]
    numbers = [to_int(p) for p in parts[0][:3]]
    if not numbers or numbers[0] is None or not 1000 <= numbers[0] <= 2999:
        return None
    month = numbers[1] if len(numbers) > 1 else None
    day = numbers[2] if len(numbers) > 2 else None
    if month is None or not 1 <= month <= 12:
        return Date(numbers[0])
    if day is None or not 1 <= day <= 31:
        return Date(numbers[0], month)
    return Date(numbers[0], month, day)


def clean_text(value: Any) -> str:
    """Plain text: markup (HTML, JATS, MathML) dropped, entities decoded, even when double
    escaped (``&amp;lt;sup&amp;gt;``), whitespace collapsed."""
    plain = value if isinstance(value, str) else _scalar(value)
    for _ in range(3):  # each round undoes one level of escaping
        stripped = _TAG.sub("", html.unescape(_TAG.sub("", plain)))
        if stripped == plain:
            break
        plain = stripped
    return " ".join(plain.split())


def _scalar(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    return ""


def text(value: Any) -> str:
    """A field that should be one string; a list gives its first usable entry."""
    if isinstance(value, list):
        return first(value)
    return clean_text(value)


def strings(value: Any) -> list[str]:
    """A field that should be an array of strings; a lone string counts as one entry."""
    items = value if isinstance(value, list) else [value]
    return [found for found in (clean_text(item) for item in items) if found]


def first(value: Any) -> str:
    """The first usable string of an array (or the string itself)."""
    found = strings(value)
    return found[0] if found else ""


def to_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
