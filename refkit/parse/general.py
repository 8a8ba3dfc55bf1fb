"""A fallback for strings the NLM grammar does not recognise: keep what can be placed safely."""

from __future__ import annotations

import re

from refkit.model import Citation, Date

_YEAR = re.compile(r"(?<!\d)((?:1[5-9]|20)\d\d)(?!\d)")
_SEGMENT = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9\"'(\[])")


def parse_general(text: str) -> Citation:
    """A low-confidence citation: a year, and the likely title segment."""
    year = _YEAR.search(text)
    segments = [s.strip() for s in _SEGMENT.split(text) if s.strip()]
    title = ""
    if len(segments) >= 2:
        title = segments[1]
    elif segments:
        title = segments[0]
    return Citation(
        type="article-journal" if len(segments) >= 3 else "document",
        title=title.rstrip(".").strip(),
        issued=Date(int(year.group(1))) if year else None,
        confidence=0.3,
        warnings=("not in NLM form: only the title and year were placed",),
    )
