"""Find and normalise identifiers in free text: DOI, PMID, PMCID, NCT, arXiv, ISBN, ISSN, URL.

Every stage uses these: the parser to fill fields, enrichment to decide what to ask,
dedupe to compare. ``normalize_doi`` is the one definition of "the same DOI".
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote

# A DOI may be cut by a space or line end right after "/" or "-", or after the "." of a
# PLOS-like "journal. pone.0123456" (copy-paste from PDFs). Angle brackets belong to it only
# as an old SICI's "<1661::AID-SIM968>", never as markup around it.
_DOI_PART = r"(?:[^\s\"<>]|<\d[^\s\"<>]*>)"
_DOI = re.compile(
    rf"10\.\d{{4,9}}/{_DOI_PART}*(?:(?:(?<=[/-])\s+|(?<=\.)\s+(?=[a-z]+\.\d)){_DOI_PART}+)*"
)
# The label of the next identifier run on after a DOI's stop: "10.1/x.PMID: 1", "10.1/x.URL".
_NEXT_LABEL = re.compile(r"\.(?:URL|PMID|PMCID|arXiv|ISSN|ISBN)$")
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"\bPMID\s*:?\s*(\d{1,8})\b", re.IGNORECASE)
# "PMCID: PMC2758394", "PMC2758394", "PMC 2758394", and "PMCID: 2758394" without its prefix.
_PMCID = re.compile(r"\b(?:PMCID\s*:?\s*(?:PMC\s?)?|PMC\s?)(\d{4,9})\b", re.IGNORECASE)
_NCT = re.compile(r"\b(NCT\d{8})\b", re.IGNORECASE)
_ARXIV = re.compile(r"\barXiv\s*:\s*(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7})", re.I)
_ISBN = re.compile(r"\bISBN(?:-1[03])?\s*:?\s*((?:97[89][\s-]?)?(?:\d[\s-]?){9}[\dXx])\b")
_ISSN = re.compile(r"\b(\d{4}-\d{3}[\dXx])\b")
_DOI_LINK = re.compile(r"https?://(dx\.)?doi\.org/", re.IGNORECASE)
_URL = re.compile(r"\bhttps?://[^\s<>\"]+", re.IGNORECASE)
_TRAILING = ".,;:"
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}


class Identifiers(NamedTuple):
    """What ``find_identifiers`` found (a named tuple: built for every reference parsed)."""

    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    nct: tuple[str, ...] = ()
    arxiv: str = ""
    isbn: str = ""
    issn: str = ""
    url: str = ""


# What is left of a string once its identifiers and their labels are taken out.
_ID_SPANS = (_URL, _DOI, _PMID, _PMCID, _NCT, _ARXIV, _ISBN, _ISSN)
_ID_LABELS = re.compile(r"\b(?:doi|pmid|pmcid|pmc|nct|arxiv|isbn|issn|url|available at)\b", re.I)


def only_identifiers(text: str) -> bool:
    """Whether ``text`` holds identifiers and nothing else to read (``PMID: 123``, a bare DOI)."""
    rest = text
    for pattern in _ID_SPANS:
        rest = pattern.sub(" ", rest)
    if rest == text:
        return False
    return not any(ch.isalpha() for ch in _ID_LABELS.sub(" ", rest))


def strip_trailing(text: str) -> str:
    """Drop trailing punctuation and closing brackets that do not close anything inside."""
    while text:
        last = text[-1]
        if last in _TRAILING or (last in _PAIRS and text.count(_PAIRS[last]) < text.count(last)):
            text = text[:-1]
        else:
            break
    return text


def _search_doi(text: str) -> re.Match[str] | None:
    """The first DOI at a word start; ``str.find`` skips ahead faster than a regex search."""
    start = text.find("10.")
    while start >= 0:
        before = text[start - 1 : start]
        if not (before.isalnum() or before == "_"):
            match = _DOI.match(text, start)
            if match is not None:
                return match
        start = text.find("10.", start + 3)
    return None


def normalize_doi(text: str) -> str:
    """``doi:10.1002/STEM.68.`` / ``https://doi.org/10.1002%2Fstem.68`` → ``10.1002/stem.68``.

    DOIs are case-insensitive; refkit compares and writes them in lower case.
    Returns "" when the text holds no DOI.
    """
    match = _search_doi(unquote(text) if "%" in text else text)
    if match is None:
        return ""
    doi = match.group(0)
    doi = strip_trailing("".join(doi.split()) if " " in doi or "\n" in doi else doi)
    if "." in doi[-7:]:
        doi = _NEXT_LABEL.sub("", doi)
    return doi.lower() if _DOI_SHAPE.match(doi) else ""


def normalize_pmid(pmid: str) -> str:
    """``PMID: 0012345`` → ``12345``: the digits, leading zeros off."""
    return "".join(re.findall(r"\d+", pmid)).lstrip("0")


def find_doi(text: str) -> str:
    return normalize_doi(text) if "10." in text else ""


def find_pmid(text: str) -> str:
    match = _PMID.search(text)
    return match.group(1).lstrip("0") if match else ""


def find_pmcid(text: str) -> str:
    match = _PMCID.search(text)
    return f"PMC{match.group(1)}" if match else ""


def find_nct(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.upper() for m in _NCT.findall(text)))


def find_arxiv(text: str) -> str:
    match = _ARXIV.search(text)
    return match.group(1) if match else ""


def isbn_is_valid(digits: str) -> bool:
    if len(digits) == 10:
        total = sum((10 - i) * (10 if c in "Xx" else int(c)) for i, c in enumerate(digits))
        return digits[:9].isdigit() and total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        return sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits)) % 10 == 0
    return False


def find_isbn(text: str) -> str:
    for match in _ISBN.finditer(text):
        digits = re.sub(r"[\s-]", "", match.group(1)).upper()
        if isbn_is_valid(digits):
            return digits
    return ""


def issn_is_valid(issn: str) -> bool:
    digits = issn.replace("-", "").upper()
    if len(digits) != 8 or not digits[:7].isdigit():
        return False
    check = (11 - sum((8 - i) * int(c) for i, c in enumerate(digits[:7])) % 11) % 11
    return digits[7] == ("X" if check == 10 else str(check))


def find_issn(text: str) -> str:
    return _find_issn(text) if "ISSN" in text.upper() else ""


def _find_issn(text: str) -> str:
    for match in _ISSN.finditer(text):
        if issn_is_valid(match.group(1)):
            return match.group(1).upper()
    return ""


def find_url(text: str) -> str:
    """The first URL that is not a DOI link."""
    for match in _URL.finditer(text):
        url = strip_trailing(match.group(0))
        if not _DOI_LINK.match(url):
            return url
    return ""


def find_identifiers(text: str) -> Identifiers:
    # Cheap substring tests first: most references hold one or two identifiers at most.
    upper = text.upper()
    return Identifiers(
        doi=find_doi(text),
        pmid=find_pmid(text) if "PMID" in upper else "",
        pmcid=find_pmcid(text) if "PMC" in upper else "",
        nct=find_nct(text) if "NCT" in upper else (),
        arxiv=find_arxiv(text) if "ARXIV" in upper else "",
        isbn=find_isbn(text) if "ISBN" in upper else "",
        issn=_find_issn(text) if "ISSN" in upper else "",
        url=find_url(text) if "HTTP" in upper else "",
    )
