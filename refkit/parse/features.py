"""Token features for the general model: what a token is, what surrounds it, where it sits.

Each token gets a list of ``name=value`` strings (python-crfsuite's cheapest input form):
the folded word and its shape, casing, digits (year-like, page-like, small numbers), the
punctuation itself and whether spaces surround it, word classes that mark fields in every
style (``In``, ``pp.``, ``vol.``, ``eds``, ``Press``, ``University``, journal words, months,
``doi``), whether it is inside quotes, parentheses or brackets, how far into the string it
is, how many sentence stops and commas come before it, and the same basic facts for the two
tokens on each side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

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
    """``Smith`` → ``Xx``, ``1997`` → ``d``, ``H.-D`` → ``X.-X``: runs of a kind made one."""
    letters = []
    for char in text[:12]:
        if char.isupper():
            letters.append("X")
        elif char.isalpha():
            letters.append("x")
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
    return (f"w={word}", shape, f"class={klass}") if klass else (f"w={word}", shape)


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


def _state(tokens: Sequence[Token]) -> list[list[str]]:
    """Inside quotes, parentheses or brackets; stops and commas so far; what was seen before.

    "Seen" marks: a year, a closed quotation (a quoted title is behind), ``In`` opening a
    segment (a book or proceedings follows), an editor word, a page or volume word.
    """
    opened = dict.fromkeys(("paren", "bracket", "quote", "squote", "dquote"), 0)
    stops = commas = 0
    seen: set[str] = set()
    previous = ""
    states = []
    for token in tokens:
        text = token.text
        kind = _CLOSE.get(text) or _OPEN.get(text) or ("dquote" if text == '"' else "")
        closing = bool(kind) and text not in _OPEN and opened[kind] > 0
        if closing:
            opened[kind] -= 1
        inside = [f"in={name}" for name, n in opened.items() if n > 0]
        marks = [f"stops={min(stops, 6)}", f"commas={min(commas, 8)}"]
        states.append([*inside, *marks, *sorted(f"seen={s}" for s in seen)])
        if kind and not closing and text not in _CLOSE:
            opened[kind] += 1
        elif closing and kind in ("quote", "dquote"):
            seen.add("quoted")
        stops += text in _STOPS and token.kind == "mark"
        commas += text == ","
        seen.update(_seen(token, previous))
        previous = text
    return states


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


def featurize(text: str, tokens: Sequence[Token]) -> list[list[str]]:
    """One feature list per token."""
    words = [fold(t.text) if t.kind == "word" else t.text[:24].lower() for t in tokens]
    basics = [_basics(t, w) for t, w in zip(tokens, words, strict=True)]
    n = len(tokens)
    # What each token shows its neighbours, at each offset; BOS/EOS beyond the string.
    seen = {
        offset: [
            [f"{offset}:{b}" for b in basics[i + offset]]
            if 0 <= i + offset < n
            else [f"{offset}:{'BOS' if offset < 0 else 'EOS'}"]
            for i in range(n)
        ]
        for offset in (-2, -1, 1, 2)
    }
    padded = ["BOS", *(_shape(t.text) if t.kind == "word" else t.text for t in tokens), "EOS"]
    padded_words = ["BOS", *words]
    states = _state(tokens)
    marks_before, marks_after = _marks_around(tokens)
    out = []
    for i, token in enumerate(tokens):
        word = words[i]
        before = text[token.start - 1 : token.start]
        after = text[token.end : token.end + 1]
        feats = [
            "bias",
            *basics[i],
            f"pos={10 * i // n}",
            f"sp={before == ' ' or not before}{after == ' ' or not after}",
            *_word_kind(token, word),
            *states[i],
            f"mb={marks_before[i]}",
            f"ma={marks_after[i]}",
            *seen[-2][i],
            *seen[-1][i],
            *seen[1][i],
            *seen[2][i],
        ]
        if token.kind == "word" and len(word) > 3:
            feats.append(f"suf={word[-3:]}")
        feats.append(f"bi={padded_words[i]}|{word}")
        feats.append(f"tri={padded[i]}|{padded[i + 1]}|{padded[i + 2]}")
        out.append(feats)
    return out
