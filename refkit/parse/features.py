"""Token features for the general model: what a token is, what surrounds it, where it sits.

Each token gets a list of ``name=value`` strings (python-crfsuite's cheapest input form):
the folded word and its shape, casing, digits (year-like, page-like, small numbers), the
punctuation itself and whether spaces surround it, word classes that mark fields in every
style (``In``, ``pp.``, ``vol.``, ``eds``, ``Press``, ``University``, journal words, months,
``doi``), what the shipped word lists say of it (an ISO 4 abbreviation of a serial title word,
such a word, a place name: ``refkit.parse.lexicon``), whether it is inside quotes,
parentheses or brackets, how far into the string it is, how many sentence stops and commas
come before it, and the same basic facts for the two tokens on each side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from refkit.parse.lexicon import lexicon_marks
from refkit.parse.tokens import Token, fold

_CLASSES: dict[str, str] = {}
for _name, _words in {
    "journal": "journal j jour rev review reviews annals ann bulletin bull letters lett "
    "quarterly transactions trans magazine acta archives arch research res science sci "
    "medicine med clinical clin international int american am society soc",
    "proceedings": "proceedings proc conference conf symposium workshop congress meeting "
    "annual colloquium",
    "publisher": "press publishers publishing publisher verlag springer elsevier wiley "
    "academic books inc ltd co company sons routledge blackwell mcgraw sage",
    "university": "university univ universite universita universitat college institute "
    "school department dept center centre laboratory",
    "editor": "ed eds editor editors edited edn hrsg hg dir coord",
    "in": "in dans im",
    "pages": "pp p pages page pgs",
    "volume": "vol vols volume volumes v bd",
    "number": "no nr n issue num number",
    "etal": "et al others",
    "and": "and und et y",
    "doi": "doi",
    "ident": "isbn issn pmid pmcid arxiv",
    "link": "available retrieved accessed online url http https www",
    "thesis": "thesis dissertation phd diss master masters",
    "report": "report technical tech working paper memorandum",
    "edition": "edition nd rd th st",
    "trans": "translated transl translator",
    "preprint": "preprint arxiv biorxiv medrxiv",
    "month": "january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec",
    "season": "spring summer autumn fall winter",
}.items():
    for _word in _words.split():
        _CLASSES.setdefault(_word, _name)

_OPEN = {"(": "paren", "[": "bracket", "“": "quote", "«": "quote", "‘": "squote"}
_CLOSE = {")": "paren", "]": "bracket", "”": "quote", "»": "quote", "’": "squote"}
_SHAPE = re.compile(r"(.)\1+")
_ROMAN = re.compile(r"[ivxlcdm]+$")
_STOPS = ".?!"


@lru_cache(maxsize=16384)
def _shape(text: str) -> str:
    """``Smith`` → ``Xx``, ``1997`` → ``d``, ``H.-D`` → ``X.-X``, ``北京`` → ``C``: runs of a
    kind made one."""
    letters = []
    for char in text[:12]:
        if char.isupper():
            letters.append("X")
        elif char.isalpha():
            letters.append("C" if "\u3040" <= char <= "\ud7af" else "x")  # CJK, Hangul
        elif char.isdigit():
            letters.append("d")
        else:
            letters.append(char)
    return _SHAPE.sub(r"\1", "".join(letters))


def _basics(token: Token, word: str) -> tuple[str, ...]:
    """The facts of a token that its neighbours see too: the word, its shape and class."""
    if token.kind != "word":
        return (f"w={word}",)
    klass = _CLASSES.get(word)
    shape = f"shape={_shape(token.text)}"
    marks = tuple(f"lex={mark}" for mark in lexicon_marks(word))
    if klass:
        return (f"w={word}", shape, f"class={klass}", *marks)
    return (f"w={word}", shape, *marks)


def _word_kind(token: Token, word: str) -> list[str]:
    """What kind of word: length, case, digits, year-like, initial, roman numeral."""
    text = token.text
    if token.kind != "word":
        return [f"kind={token.kind}"]
    out = [f"len={min(len(text), 8)}"]
    if text.isdecimal():  # not isdigit: "²" is a digit that int() refuses
        number = int(text[:9])
        out.append("year" if len(text) == 4 and 1500 <= number <= 2039 else f"digits={len(text)}")
    elif text[:4].isdigit() and text[4:].isalpha() and len(text) <= 6:
        out.append("yearlike")  # 2015a
    elif any(c.isdigit() for c in text):
        out.append("alnum")
    if len(text) == 1 and text.isupper():
        out.append("initial")
    elif text.isupper():
        out.append("caps")
    elif text[0].isupper():
        out.append("title")
    if len(word) <= 5 and _ROMAN.match(word):
        out.append("roman")
    return out


@lru_cache(maxsize=4096)
def _state_features(
    inside: tuple[str, ...], stops: int, commas: int, seen: frozenset[str]
) -> tuple[str, ...]:
    return (
        *(f"in={name}" for name in inside),
        f"stops={stops}",
        f"commas={commas}",
        *sorted(f"seen={s}" for s in seen),
    )


def _state(tokens: Sequence[Token]) -> list[tuple[str, ...]]:
    """Inside quotes, parentheses or brackets; stops and commas so far; what was seen before.

    "Seen" marks: a year, a closed quotation (a quoted title is behind), ``In`` opening a
    segment (a book or proceedings follows), an editor word, a page or volume word. The
    features are built again only after a token that changed one of these.
    """
    opened = dict.fromkeys(("paren", "bracket", "quote", "squote", "dquote"), 0)
    stops = commas = 0
    seen: set[str] = set()
    previous = ""
    states = []
    inside: tuple[str, ...] = ()
    current: tuple[str, ...] | None = None
    for token in tokens:
        text = token.text
        kind = _CLOSE.get(text) or _OPEN.get(text) or ("dquote" if text == '"' else "")
        closing = bool(kind) and text not in _OPEN and opened[kind] > 0
        if closing:
            opened[kind] -= 1
            inside, current = _open_kinds(opened), None
        if current is None:
            current = _state_features(inside, min(stops, 6), min(commas, 8), frozenset(seen))
        states.append(current)
        if kind and not closing and text not in _CLOSE:
            opened[kind] += 1
            inside, current = _open_kinds(opened), None
        elif closing and kind in ("quote", "dquote") and "quoted" not in seen:
            seen.add("quoted")
            current = None
        if token.kind == "mark":
            if text in _STOPS or text == ",":
                stops += text in _STOPS
                commas += text == ","
                current = None
        elif token.kind == "word":
            found = _seen(token, previous)
            if found and found[0] not in seen:
                seen.add(found[0])
                current = None
        previous = text
    return states


def _open_kinds(opened: dict[str, int]) -> tuple[str, ...]:
    return tuple(name for name, depth in opened.items() if depth > 0)


def _seen(token: Token, previous: str) -> tuple[str, ...]:
    text = token.text
    if token.kind != "word":
        return ()
    if text[:4].isdigit() and len(text) in (4, 5):
        return ("year",)
    word = text.lower()
    if word == "in" and (not previous or previous in ".,;:)]”\"'’"):
        return ("in",)
    klass = _CLASSES.get(word)
    return (klass,) if klass in ("editor", "pages", "volume") else ()


def _marks_around(tokens: Sequence[Token]) -> tuple[list[str], list[str]]:
    """The nearest punctuation mark before and after each token (what ends its field)."""
    before, after = [], [""] * len(tokens)
    last = "BOS"
    for token in tokens:
        before.append(last)
        if token.kind == "mark":
            last = token.text
    last = "EOS"
    for i in range(len(tokens) - 1, -1, -1):
        after[i] = last
        if tokens[i].kind == "mark":
            last = tokens[i].text
    return before, after


_OPENS = frozenset(("BOS", ".", ",", ";", ":", "(", ")", "“", '"'))
_CLOSES = frozenset(("EOS", ".", ",", ";", ":", "(", ")", "”", '"'))
_EDGE = {(o, c): f"edge={o:d}{c:d}" for o in (False, True) for c in (False, True)}
_SPACED = {(b, a): f"sp={b}{a}" for b in (False, True) for a in (False, True)}
_POSITION = tuple(f"pos={tenth}" for tenth in range(10))


class _Facts(NamedTuple):
    """What a token's text alone says, computed once per distinct token."""

    word: str  # folded
    basics: tuple[str, ...]
    kind: tuple[str, ...]
    suffix: tuple[str, ...]
    around: tuple[tuple[str, ...], ...]  # the basics as seen from offsets -2, -1, +1, +2
    shape: str  # the shape of a word, a mark itself
    capital_abbr: bool  # "Phys": a capitalized ISO 4 abbreviation of a title word


_OFFSETS = (-2, -1, 1, 2)
_EDGES = tuple((f"{offset}:{'BOS' if offset < 0 else 'EOS'}",) for offset in _OFFSETS)
# Two tokens of padding at each end, so that neighbours are found without bounds checks.
_START = _Facts("BOS", (), (), (), _EDGES, "BOS", False)
_END = _Facts("EOS", (), (), (), _EDGES, "EOS", False)


@lru_cache(maxsize=65536)
def _facts(text: str, kind: str) -> _Facts:
    token = Token(text, 0, len(text), kind)
    word = fold(text) if kind == "word" else text[:24].lower()
    basics = _basics(token, word)
    suffix = (f"suf={word[-3:]}",) if kind == "word" and len(word) > 3 else ()
    around = tuple(tuple(f"{offset}:{b}" for b in basics) for offset in _OFFSETS)
    shape = _shape(text) if kind == "word" else text
    capital_abbr = text[:1].isupper() and "lex=abbr" in basics
    return _Facts(word, basics, tuple(_word_kind(token, word)), suffix, around, shape, capital_abbr)


def featurize(text: str, tokens: Sequence[Token]) -> list[list[str]]:
    """One feature list per token."""
    padded = [_START, _START, *(_facts(t.text, t.kind) for t in tokens), _END, _END]
    texts = ["BOS", *(t.text for t in tokens), "EOS"]
    n = len(tokens)
    states = _state(tokens)
    marks_before, marks_after = _marks_around(tokens)
    out = []
    for i, token in enumerate(tokens):
        previous, own, following = padded[i + 1], padded[i + 2], padded[i + 3]
        before = text[token.start - 1 : token.start]
        after = text[token.end : token.end + 1]
        out.append(
            [
                "bias",
                *own.basics,
                _POSITION[10 * i // n],
                _SPACED[before == " " or not before, after == " " or not after],
                *own.kind,
                *states[i],
                f"mb={marks_before[i]}",
                f"ma={marks_after[i]}",
                *padded[i].around[0],
                *previous.around[1],
                *following.around[2],
                *padded[i + 4].around[3],
                *own.suffix,
                f"bi={previous.word}|{own.word}",
                f"tri={previous.shape}|{own.shape}|{following.shape}",
                _EDGE[texts[i] in _OPENS, texts[i + 2] in _CLOSES],
            ]
        )
        if own.capital_abbr and after == ".":
            out[-1].append("abbrdot")  # "Phys." in full: a journal title's word
    return out
