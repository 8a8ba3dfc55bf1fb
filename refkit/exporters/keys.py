"""Citation keys: readable, ASCII, stable across runs, unique within one file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from refkit.model import Citation
from refkit.text import ascii_fold

__all__ = ["STOPWORDS", "ascii_fold", "assign_keys", "base_key", "ensure_keys"]

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "with",
        "by",
        "at",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "its",
        "into",
        "via",
        "vs",
        "versus",
        "or",
        "not",
        "no",
        "than",
    ]
)


_TITLE_WORDS = re.compile(r"[\s\-/:]+")
_NOT_KEY = re.compile(r"[^a-z0-9]")


def _word(text: str) -> str:
    return _NOT_KEY.sub("", ascii_fold(text).lower())


def base_key(citation: Citation) -> str:
    """``sun2009mesenchymal``: first author, year, first significant title word."""
    if citation.type == "report" and citation.number.upper().startswith("NCT"):
        return citation.number.lower()
    first = citation.author[0] if citation.author else None
    author = ""
    if first is not None:
        author = (
            _word(first.family)
            if first.family
            else _word(first.literal.split()[0] if first.literal.split() else "")
        )
    year = str(citation.issued.year) if citation.issued and citation.issued.year > 0 else ""
    words = (_word(w) for w in _TITLE_WORDS.split(citation.title))  # folded up to the one used
    word = next((w for w in words if w and w not in STOPWORDS), "")
    return (author + year + word) or "ref"


def assign_keys(citations: Iterable[Citation], *, keep_given: bool = False) -> list[Citation]:
    """Each citation with ``id`` set to its key; clashes get ``a``, ``b``, ... suffixes.

    ``keep_given``: an entry of a user's library keeps its key (the ``\\cite`` keys of their
    documents), as ``convert`` does; a trial's own entry and parsed references get new ones.
    """
    listed = list(citations)
    keys = citation_keys(listed, keep_given=keep_given)
    return [c if c.id == key else replace(c, id=key) for c, key in zip(listed, keys, strict=True)]


def citation_keys(citations: Sequence[Citation], *, keep_given: bool = False) -> list[str]:
    """The key of each citation, as ``assign_keys`` sets them. ``citations`` is gone through
    once: a build's are read back from disk and merged as they are asked for."""
    given: set[str] = set()
    kept: list[str | None] = []  # the key a citation keeps, or None: it gets one from its base
    bases: list[str] = []
    for citation in citations:
        if keep_given and _users_key(citation) and citation.id not in given:
            given.add(citation.id)
            kept.append(citation.id)
        else:
            kept.append(None)
            bases.append(base_key(citation))
    counts: dict[str, int] = {}
    for base in bases:
        counts[base] = counts.get(base, 0) + 1
    seen: dict[str, int] = {}
    taken = {b for b, n in counts.items() if n == 1 and b not in given} | given
    out: list[str] = []
    made = iter(bases)
    for key in kept:
        if key is None:
            key = base = next(made)
            if counts[base] > 1 or base in given:
                key = _next_free(base, seen, taken)
        out.append(key)
    return out


def _users_key(citation: Citation) -> bool:
    """A key a library gave (a parsed reference has none; a trial's entry has its NCT id)."""
    trial = citation.type == "report" and citation.id == citation.number
    return bool(citation.id) and not trial and not _BAD_KEY.search(citation.id)


def _next_free(base: str, seen: dict[str, int], taken: set[str]) -> str:
    index = seen.get(base, 0)
    while True:
        key = base + _suffix(index)
        index += 1
        if key not in taken:
            seen[base] = index
            taken.add(key)
            return key


def _suffix(index: int) -> str:
    """0 → a, 25 → z, 26 → aa, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


# Characters BibTeX and biber do not allow in a key.
_BAD_KEY = re.compile(r"[\s{}(),=\\#%\"'~]")


def ensure_keys(citations: Iterable[Citation]) -> list[Citation]:
    """Keep every id that is a usable, unique key; give the others a key made by ``base_key``."""
    return assign_keys(citations, keep_given=True)
