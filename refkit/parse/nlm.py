"""A grammar for NLM / Vancouver (PubMed) citations.

``Authors. Title. Journal. Date;Volume(Issue):Pages. doi: … Epub … PMID: … PMCID: …``

``parse_nlm`` returns None when the string does not have that shape, so that the caller can
fall back to a more general parser.
"""

from __future__ import annotations

import re

from refkit.model import Citation, Date, Name

MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_SEASON = r"(?:Spring|Summer|Autumn|Fall|Winter)"
_DATE = (
    rf"(?P<year>(?:1[5-9]|20)\d\d)"
    rf"(?:\s+(?P<month>{_MONTH}|{_SEASON})(?:\s*-\s*(?:{_MONTH}|{_SEASON}))?"
    rf"(?:\s+(?P<day>\d{{1,2}})(?:\s*-\s*\d{{1,2}})?)?)?"
)
# Journal. Date;Volume(Issue):Pages.  — the anchor every NLM journal citation has.
_SOURCE = re.compile(
    rf"(?<=[.?!]\s)(?P<journal>[^.?!]+?)\.\s+{_DATE}"
    r"(?:\s*;\s*(?P<volume>[^(:;.\s][^(:;]*?)?\s*(?:\((?P<issue>[^)]*)\))?)?"
    r"(?:\s*:\s*(?P<page>[A-Za-z]?\d[\w-]*(?:\s*,\s*[A-Za-z]?\d[\w-]*)*))?"
    r"\s*(?:\.|$)"
)
_AUTHOR_INITIALS = re.compile(
    r"^(?P<family>.+?)\s+(?P<given>[A-Z]{1,4})(?:\s+(?P<suffix>Jr|Sr|I{2,3}|IV|2nd|3rd))?$"
)
_EPUB = re.compile(rf"\bEpub(?: ahead of print)?(?:\s+\d{{4}}(?:\s+{_MONTH}(?:\s+\d{{1,2}})?)?)?")
_ET_AL = re.compile(r",?\s*\bet\s+al\b\.?$", re.IGNORECASE)


def expand_pages(pages: str) -> str:
    """``1421-32`` → ``1421-1432``; ``S12-8`` → ``S12-S18``; ``e1234`` unchanged."""
    match = re.fullmatch(r"([A-Za-z]*)(\d+)\s*[-–]\s*([A-Za-z]*)(\d+)", pages.strip())
    if match is None:
        return pages.strip()
    prefix, first, _, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{prefix}{first}-{prefix}{last}"


def parse_date(year: str, month: str | None, day: str | None) -> Date:
    if month is None:
        return Date(int(year))
    key = month.lower().rstrip(".")
    if key in SEASONS:
        return Date(int(year), season=SEASONS[key])
    return Date(int(year), MONTHS[key[:3]], int(day) if day else None)


def parse_author(text: str) -> Name:
    """``Sun LY`` → family Sun, given LY; anything else is an organisation (literal)."""
    match = _AUTHOR_INITIALS.match(text.strip())
    if match is None:
        return Name(literal=text.strip())
    return Name(family=match["family"], given=match["given"], suffix=match["suffix"] or "")


def parse_authors(text: str) -> tuple[tuple[Name, ...], bool]:
    """The author list and whether it was cut short with ``et al.``."""
    truncated = _ET_AL.search(text) is not None
    text = _ET_AL.sub("", text)
    names = tuple(parse_author(part) for part in text.split(",") if part.strip())
    return names, truncated


def _split_head(head: str) -> tuple[str, str] | None:
    """``Authors. Title.`` → (authors, title); the authors end at the first ``. ``."""
    match = re.match(r"^(?P<authors>.+?(?:\bet al)?)\.\s+(?P<title>.+?)[.?!]?\s*$", head)
    if match is None:
        return None
    return match["authors"], match["title"]


def parse_nlm(text: str) -> Citation | None:
    """The citation if ``text`` is an NLM journal citation, else None."""
    source = None
    for candidate in _SOURCE.finditer(text):
        head = text[: candidate.start("journal")].rstrip()
        if head.endswith((".", "?", "!")) and _split_head(head):
            source = candidate
            break
    if source is None:
        return None
    authors_text, title = _split_head(text[: source.start("journal")].rstrip())  # type: ignore[misc]
    authors, truncated = parse_authors(authors_text)
    title_end = text[: source.start("journal")].rstrip()[-1]
    epub = _EPUB.search(text, source.end())
    return Citation(
        type="article-journal",
        title=title + (title_end if title_end in "?!" else ""),
        author=authors,
        container_title=source["journal"].strip(),
        issued=parse_date(source["year"], source["month"], source["day"]),
        volume=(source["volume"] or "").strip(),
        issue=(source["issue"] or "").strip(),
        page=expand_pages(source["page"] or ""),
        note=epub.group(0) if epub else "",
        warnings=("author list cut short (et al.)",) if truncated else (),
    )
