"""Author lists as sets of surname-like words, whatever shape the export gave them.

An export may hold structured names, or the whole list as one raw string: ``Zhai, Q. J. and
Yue, X. Y.``, EndNote's run-together ``Arakawa M.Mita T.Azuma K.``, ``B. Abrahao; P. Parigi``,
``Omulo Sylvia and Thumbi Samuel M.``. Parsing every convention is fragile; comparing the words
of two or more letters (initials dropped) is not, and it is what tells two author lists apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from refkit.dedupe.normalize import fold, word_set
from refkit.model import Name

PARTICLES = word_set("van von der den de del della di da du la le dos das ten ter el al bin mac st")
_NOT_NAMES = word_set("and et al others jr sr ii iii")


def _words(text: str) -> list[str]:
    return [w for w in fold(text).split() if len(w) > 1 and w not in _NOT_NAMES]


_PERSON_END = re.compile(r",|;|&|\band\b", re.IGNORECASE)


def _given_first_surname(text: str) -> list[str]:
    """``John Ross Quinlan, ...`` → [quinlan]; nothing when the first person ends in an initial
    (``Quinlan J. R.``, EndNote's ``Arakawa M.Mita T.``) or is one word (``Zhai, Q.``)."""
    words = fold(_PERSON_END.split(text, maxsplit=1)[0]).split()
    if len(words) < 2 or len(words[-1]) < 2 or words[-1] in _NOT_NAMES:
        return []
    return [words[-1]]


def name_tokens(names: Sequence[Name]) -> tuple[frozenset[str], frozenset[str]]:
    """(every surname-like word, the words that may be the first author's surname).

    For structured names the surname is known; for a raw string the first author's surname is
    one of its first two words (``Zhai, Q.`` or ``B. Abrahao``, ``Abrahao, Bruno``), or the
    last word of a first name written given names first (``John Ross Quinlan and ...``).
    """
    if not names:
        return frozenset(), frozenset()
    words: list[str] = []
    first: list[str] = []
    for position, name in enumerate(names):
        if name.literal:
            found = _words(name.literal)
            surnames = [w for w in found if w not in PARTICLES] or found
            words.extend(surnames)
            if position == 0:
                first = [*surnames[:2], *_given_first_surname(name.literal)]
        else:
            found = _words(name.family) or _words(name.given)
            surnames = [w for w in found if w not in PARTICLES] or found
            words.extend(surnames)
            if position == 0:
                first = surnames[:1]
    return frozenset(words), frozenset(first)
