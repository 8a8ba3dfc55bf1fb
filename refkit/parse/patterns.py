"""Field patterns every reference grammar shares: dates, months, seasons, page ranges, and the
words that name a kind of work (proceedings, preprint servers, issuing bodies)."""

from __future__ import annotations

import re

from refkit.model import Date
from refkit.text import MONTHS, SEASONS, expand_pages

__all__ = ["MONTHS", "SEASONS", "expand_pages"]

MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_MON = rf"(?:{MONTH}|Spring|Summer|Autumn|Fall|Winter)"
YEAR = r"(?:1[5-9]|20)\d\d"
DATE = (
    rf"(?P<year>{YEAR})(?:\s*(?P<month>{_MON})(?:\s*-\s*{_MON})?"
    rf"(?:\s*(?P<day>\d{{1,2}})(?:\s*-\s*(?:{_MON}\s*)?\d{{1,2}})?)?)?"
)
_PAGE = r"[A-Za-z]{0,4}\d+[A-Za-z]{0,2}"
# A meeting abstract's number stands where the pages would: "Blood. 2010;116(21):Abstract 1234".
_ABSTRACT = r"[Aa]bstr(?:act)?\.?\s*(?:[Nn]o\.?\s*)?[A-Z]{0,4}-?\d+"
PAGES = (
    rf"(?:{_ABSTRACT}|{_PAGE}(?:\s*[-–—]\s*(?:{_PAGE})?)?"
    rf"(?:\s*,\s*{_PAGE}(?:\s*[-–—]\s*{_PAGE})?)*)"
)
# Words that name a kind of work, for guessing the CSL type.
CONFERENCE_WORDS = re.compile(
    r"\b(?:Proceedings|Conference|Symposium|Workshop|Congress|Meeting|Colloquium|Summit"
    r"|Convention|Program and abstracts)\b",
    re.IGNORECASE,
)
PREPRINT_SERVERS = re.compile(r"Rxiv|Research Square|SSRN|Preprints|Front Matter|arXiv", re.I)
REPORT_WORDS = re.compile(
    r"\b(?:Office|Agency|Institute|Department|Ministry|Commission|Council|Organi[sz]ation"
    r"|Bureau|Cent(?:er|re)|Authority|Administration|Board)\b"
)


def parse_date(year: str, month: str | None, day: str | None) -> Date:
    if month is None:
        return Date(int(year))
    key = month.lower().rstrip(".")
    if key in SEASONS:
        return Date(int(year), season=SEASONS[key])
    return Date(int(year), MONTHS[key[:3]], int(day) if day and int(day) <= 31 else None)
