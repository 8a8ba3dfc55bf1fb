"""Reference strings as tokens: words, numbers, single punctuation marks, whole URLs and DOIs.

The general model labels these tokens; a field is then the slice of the original string from
its first token to its last, so spacing and punctuation inside a field are kept as printed.
Punctuation marks are tokens of their own because they are the main evidence of where one
field ends and the next begins (``Journal, 15(4), 519–527``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from refkit.text import MONTH_ABBREVIATIONS

# Kana, CJK ideographs (and their extension A and compatibility forms), Hangul syllables.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_MONTH_WORDS = "|".join(month.title() for month in MONTH_ABBREVIATIONS)
_TOKEN = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"]+)"
    r"|(?P<doi>10\.\d{4,9}/[^\s\"<>]+)"
    # "2015Nov19" (a style that prints no spaces in dates) as three words.
    # A run of CJK or Hangul is a word of its own, apart from the digits and Latin letters
    # written against it without a space ("雜誌2009", "제4권").
    rf"|(?P<word>\d{{4}}(?={_MONTH_WORDS})|(?:{_MONTH_WORDS})(?=\d)|[{_CJK}]+|[^\W_{_CJK}]+)"
    r"|(?P<mark>\S)"
)
_TRAILING = ".,;:'\"”’»"


class Token(NamedTuple):
    text: str
    start: int
    end: int
    kind: str  # "url", "doi", "word" or "mark"


def _link_end(text: str) -> int:
    """Where a URL or DOI ends: trailing punctuation and unmatched ``)`` or ``]`` left out."""
    end = len(text)
    while end > 1:
        last = text[end - 1]
        if last in _TRAILING or (last in ")]" and _unclosed(text[:end], last)):
            end -= 1
        else:
            break
    return end


def _unclosed(text: str, close: str) -> bool:
    opener = "(" if close == ")" else "["
    return text.count(close) > text.count(opener)


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "mark"
        start, end = match.span()
        if kind == "url" and "doi.org/10." in match.group(0):
            kind = "doi"
        if kind in ("url", "doi"):
            end = start + _link_end(match.group(0))
            tokens.append(Token(text[start:end], start, end, kind))
            tokens.extend(tokenize_rest(text, end, match.end()))
        else:
            tokens.append(Token(match.group(0), start, end, kind))
    return tokens


def tokenize_rest(text: str, start: int, end: int) -> list[Token]:
    """The marks cut from a link's end (``doi: 10.1/x.`` ends with a ``.`` token)."""
    return [Token(text[i], i, i + 1, "mark") for i in range(start, end)]


def fold(text: str) -> str:
    """Lower case without accents: ``Müller`` → ``muller``; ligatures (``ﬁ``) spelled out."""
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed.lower()
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
