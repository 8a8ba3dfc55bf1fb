"""Token labels from field labels: where each labelled value sits in its reference string.

The labelled data gives field values (``"title": "Growth hormone ..."``), not token labels, so
training the general model starts by finding each value among the string's tokens. Words are
compared folded (case, accents, ligatures) and punctuation is skipped on both sides, so
``327-335`` finds ``327–335`` and ``“Growth Hormone”.`` finds ``growth hormone``. Long values
are placed first (a title may hold a year or a volume number); numbers are then looked for
after the field they follow in every style (volume after the journal, issue after the volume,
pages after both). Names given as a list are found by their family names. A value that cannot
be found is left out; every token no value covers is ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from refkit.parse.tokens import Token, fold, tokenize

OTHER = "other"
# CSL field → token label, in the order values are placed.
LABELS = {
    "title": "title",
    "container-title": "container",
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "collection-title": "collection",
    "publisher": "publisher",
    "publisher-place": "place",
    "edition": "edition",
    "genre": "genre",
    "note": "note",
    "URL": "url",
    "DOI": "doi",
    "ISBN": "isbn",
    "issued": "date",
    "volume": "volume",
    "issue": "issue",
    "page": "pages",
}
_MONTH = re.compile(
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|autumn|fall"
    r"|winter)$"
)
_JOINED_ISSUE = re.compile(
    r"^(?:vol\.?\s*|v\.\s*)?(?P<volume>[\w.-]+)\s*"
    r"(?:\((?P<paren>[^()]+)\)(?:\s*:\s*(?P<page>\w+(?:\s*[-–]\s*\w+)?))?"
    r"|,?\s*(?:no\.?|n°|nr\.?|issue|h\.)\s*(?P<number>.+))$",
    re.IGNORECASE,
)
_FIRST_PAGE = re.compile(r"[A-Za-z]{0,3}\d+[A-Za-z]?")
_ISSUE_REACH = 6  # tokens between a volume and its issue: ``vol. 15, no. 4``


def align(text: str, fields: Mapping[str, Any]) -> tuple[list[Token], list[str]]:
    """The tokens of ``text`` and one label per token."""
    tokens = tokenize(text)
    aligner = _Aligner(text, tokens)
    values = _split_volume(fields)
    for field, label in LABELS.items():
        value = values.get(field)
        if not value:
            continue
        if field in ("author", "editor") and isinstance(value, list):
            aligner.place_names(value, label)
        elif field == "issued":
            aligner.place_date(str(value)[:4])
        elif field in ("volume", "issue", "page"):
            aligner.place_number(field, str(value), label)
        elif isinstance(value, str):
            aligner.place(value, label)
    return tokens, aligner.labels


def begin_inside(labels: Sequence[str]) -> list[str]:
    """``title title other`` → ``B-title I-title other``: the labels the model learns."""
    return [
        label if label == OTHER else ("I-" if i and labels[i - 1] == label else "B-") + label
        for i, label in enumerate(labels)
    ]


def _split_volume(fields: Mapping[str, Any]) -> dict[str, Any]:
    """``78(1)`` or ``36, no. 9`` labelled as a volume: volume 78 and issue 1, as elsewhere."""
    values = dict(fields)
    volume = values.get("volume")
    if isinstance(volume, str) and not values.get("issue"):
        match = _JOINED_ISSUE.match(volume.strip())
        if match is not None:
            values["volume"] = match["volume"]
            values["issue"] = (match["paren"] or match["number"]).strip()
            if match["page"] and not values.get("page"):
                values["page"] = match["page"]
    return values


class _Aligner:
    def __init__(self, text: str, tokens: Sequence[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.labels = [OTHER] * len(tokens)
        self.words = [i for i, t in enumerate(tokens) if t.kind != "mark"]
        self.folded = [_key(tokens[i]) for i in self.words]
        self.ends: dict[str, int] = {}  # label → index of the last token placed

    def _free(self, first: int, last: int) -> bool:
        return all(label == OTHER for label in self.labels[first : last + 1])

    def _mark(self, first: int, last: int, label: str) -> None:
        for i in range(first, last + 1):
            self.labels[i] = label
        self.ends[label] = last

    def find(self, words: Sequence[str], after: int = -1, before: int | None = None) -> int:
        """Position in ``self.words`` of the first free run of ``words`` after token ``after``."""
        n = len(words)
        for pos in range(len(self.words) - n + 1):
            first, last = self.words[pos], self.words[pos + n - 1]
            if first <= after or (before is not None and first > before):
                continue
            if self.folded[pos : pos + n] == list(words) and self._free(first, last):
                return pos
        return -1

    def place(self, value: str, label: str, after: int = -1) -> bool:
        words = [_key(t) for t in tokenize(value) if t.kind != "mark"]
        pos = self.find(words, after) if words else -1
        if pos >= 0:
            self._mark(self.words[pos], self.words[pos + len(words) - 1], label)
            return True
        return self._place_text(value.strip(), label, after)

    def _place_text(self, value: str, label: str, after: int) -> bool:
        """The value as printed (``–––––`` for "the same author"), where words do not match."""
        start = self.tokens[after].end if after >= 0 else 0
        at = self.text.find(value, start) if value else -1
        inside = [
            i for i, t in enumerate(self.tokens) if at <= t.start and t.end <= at + len(value)
        ]
        if at < 0 or not inside or not self._free(inside[0], inside[-1]):
            return False
        self._mark(inside[0], inside[-1], label)
        return True

    def place_names(self, names: Sequence[Mapping[str, Any]], label: str) -> None:
        """From the first name's given names to the last found name's, ``et al.`` included."""
        first = last = -1
        for name in names:
            family = [_key(t) for t in tokenize(_family(name)) if t.kind != "mark"]
            pos = self.find(family, last) if family else -1
            if pos < 0:
                break
            if first < 0:
                first = self._extend_left(self.words[pos], _given_words(name))
            last = self._extend_right(self.words[pos + len(family) - 1], _given_words(name))
        if first >= 0:
            self._mark(first, self._et_al(last), label)

    def _extend_left(self, index: int, given: set[str]) -> int:
        while index > 0 and self.labels[index - 1] == OTHER:
            previous = self.tokens[index - 1]
            if _key(previous) in given or previous.text in ".-‐":
                index -= 1
            else:
                break
        while self.tokens[index].kind == "mark":
            index += 1
        return index

    def _extend_right(self, index: int, given: set[str]) -> int:
        end = index
        while end + 1 < len(self.tokens) and self.labels[end + 1] == OTHER:
            following = self.tokens[end + 1]
            if _key(following) in given or following.text in ".,-‐":
                end += 1
            else:
                break
        while self.tokens[end].kind == "mark" and end > index:
            end -= 1
        return end

    def _et_al(self, last: int) -> int:
        rest = [t.text for t in self.tokens[last + 1 : last + 5]]
        for pattern in (["et", "al"], [",", "et", "al"]):
            if [w.lower() for w in rest[: len(pattern)]] == pattern:
                return last + len(pattern)
        return last

    def place_date(self, year: str) -> None:
        for pos, word in enumerate(self.folded):
            index = self.words[pos]
            if (
                word[:4] == year
                and (len(word) == 4 or word[4:].isalpha())
                and self._free(index, index)
            ):
                self._mark(self._date_left(index), self._date_right(index), "date")
                return

    def _date_left(self, index: int) -> int:
        start = index
        while start > 0 and self.labels[start - 1] == OTHER and _date_part(self.tokens[start - 1]):
            start -= 1
        return index - len(_date_run(self.tokens[start:index][::-1]))

    def _date_right(self, index: int) -> int:
        end = index
        while (
            end + 1 < len(self.tokens)
            and self.labels[end + 1] == OTHER
            and _date_part(self.tokens[end + 1])
        ):
            end += 1
        return index + len(_date_run(self.tokens[index + 1 : end + 1]))

    def place_number(self, field: str, value: str, label: str) -> None:
        """Volume after the journal, issue right after the volume, pages after both."""
        container = self.ends.get("container", -1)
        if field == "issue" and "volume" in self.ends:
            volume = self.ends["volume"]
            words = [_key(t) for t in tokenize(value) if t.kind != "mark"]
            pos = self.find(words, volume, volume + _ISSUE_REACH) if words else -1
            if pos >= 0:
                self._mark(self.words[pos], self.words[pos + len(words) - 1], label)
            return
        after = max(self.ends.get("volume", -1), self.ends.get("issue", -1), container)
        if field == "volume":
            after = container
        if field == "page":
            self._place_pages(value, after)
        elif not self.place(value, label, after):
            self.place(value, label)

    def _place_pages(self, value: str, after: int) -> None:
        if self.place(value, "pages", after) or self.place(value, "pages"):
            return
        first = _FIRST_PAGE.search(re.sub(r"^\s*(?:pp?\.?|pages?)\s*", "", value, flags=re.I))
        if first is None:
            return
        pos = self.find([fold(first.group(0))], after)
        if pos < 0:
            pos = self.find([fold(first.group(0))])
        if pos < 0:
            return
        start = end = self.words[pos]
        dash = self.tokens[end + 1 : end + 3]
        if len(dash) == 2 and dash[0].text in "-–—" and any(c.isdigit() for c in dash[1].text):
            end += 2
        self._mark(start, end, "pages")


def _key(token: Token) -> str:
    if token.kind == "doi":  # the DOI itself, with or without a resolver in front
        return token.text[token.text.find("10.") :].lower()
    return fold(token.text)


def _family(name: Mapping[str, Any]) -> str:
    return str(name.get("family") or name.get("literal") or "")


def _given_words(name: Mapping[str, Any]) -> set[str]:
    """The forms a given name takes in print: ``Richard L.`` → richard, l, r, rl."""
    words = [fold(w) for w in re.findall(r"[^\W\d_]+", str(name.get("given", "")))]
    initials = "".join(w[0] for w in words)
    particle = str(name.get("non-dropping-particle") or name.get("dropping-particle") or "")
    found = {*words, *(w[0] for w in words), initials, *fold(particle).split()}
    found.update(fold(s) for s in str(name.get("suffix", "")).split())
    found.discard("")
    return found


def _date_part(token: Token) -> bool:
    text = fold(token.text)
    if token.kind == "mark":
        return text in ".,"
    return bool(_MONTH.match(text)) or (text.isdigit() and len(text) <= 2)


def _date_run(run: Sequence[Token]) -> Sequence[Token]:
    """The part of the tokens next to a year (nearest first) that belongs to the date.

    Day numbers count only beside a month name (``5 June 2015``, ``Dec. 01, 2020``), so
    that ``2005, 61, 327`` keeps its volume; marks at the far end are left out.
    """
    months = [i for i, t in enumerate(run) if t.kind == "word" and _MONTH.match(fold(t.text))]
    if not months:
        return ()
    end = months[-1] + 1
    if end < len(run) and run[end].text.isdigit():
        end += 1
    return run[:end]
