"""Dates as ClinicalTrials.gov writes them: ``2015-05-02`` (API v2), ``May 2, 2015`` (XML)."""

from __future__ import annotations

import re

from refkit.model import Date
from refkit.text import month_number

# "May 2015", "July 2, 2017", "Dec. 3 2001"
_PROSE = re.compile(r"^([A-Za-z]+)\.?\s+(?:(\d{1,2}),?\s+)?(\d{4})$")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def parse_date(text: str) -> Date | None:
    """``2015``, ``2015-05``, ``2015-05-02``, ``May 2015`` or ``May 2, 2015`` → Date, else None."""
    text = " ".join(text.split())
    if not text:
        return None
    date = Date.from_iso(text)
    if date is None:
        match = _PROSE.match(text)
        month = month_number(match.group(1)) if match else None
        if match is None or month is None:
            return None
        day = int(match.group(2)) if match.group(2) else None
        date = Date(int(match.group(3)), month, day)
    return date if _valid(date) else None


def _valid(date: Date) -> bool:
    if date.month is not None and not 1 <= date.month <= 12:
        return False
    if date.day is not None:
        return date.month is not None and 1 <= date.day <= _DAYS[date.month - 1]
    return True
