"""Citation keys: readable, ASCII, stable across runs, unique within one file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import partial

from refkit.model import Citation
from refkit.spread import forked_batches
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


def citation_keys(
    citations: Sequence[Citation], *, keep_given: bool = False, jobs: int = 1
) -> list[str]:
    """The key of each citation, as ``assign_keys`` sets them. ``citations`` is gone through
    once (a build's are read back from disk and merged as they are asked for), by ``jobs``
    processes where they can be forked."""
    given: set[str] = set()
    kept: list[str | None] = []  # the key a citation keeps, or None: it gets one from its base
    bases: list[str] = []
    for own, base in _own_and_base_keys(citations, keep_given, jobs):
        if own and own not in given:
            given.add(own)
            kept.append(own)
        else:
            kept.append(None)
            bases.append(base)
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


def _own_and_base_keys(
    citations: Sequence[Citation], keep_given: bool, jobs: int
) -> Iterator[tuple[str, str]]:
    """For each citation, the key it may keep (its library's, or "") and its base key."""
    if jobs <= 1:  # in order, as a spool reads fastest
        yield from map(partial(_own_and_base, keep_given), citations)
        return
    for found in forked_batches((citations, keep_given), _keys_batch, len(citations), jobs):
        yield from found


def _keys_batch(held: tuple[Sequence[Citation], bool], batch: range) -> list[tuple[str, str]]:
    citations, keep_given = held
    return [_own_and_base(keep_given, c) for c in citations[batch.start : batch.stop]]


def _own_and_base(keep_given: bool, citation: Citation) -> tuple[str, str]:
    own = citation.id if keep_given and _users_key(citation) else ""
    return own, base_key(citation)


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
