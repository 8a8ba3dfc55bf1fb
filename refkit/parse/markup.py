"""Reference strings as text: HTML entities decoded and inline markup dropped before parsing.

Strings copied from web pages and XML exports carry ``&amp;``, ``&lt;sup&gt;13&lt;/sup&gt;C``
(sometimes escaped twice: ``&amp;lt;sup&amp;gt;``) and tags such as ``<italic>`` or
``<i>``; none of it is part of a field. Only inline tags are dropped (their text is kept):
``<http://example.org>``, a link in angle brackets, is not markup.
"""

from __future__ import annotations

import html
import re

_INLINE = re.compile(
    r"</?(?:[a-z]+:)?(?:i|b|u|em|strong|sup|sub|italic|bold|sc|scp|small|smallcaps|span|font"
    r"|tt|underline|strike|mml|math|mi|mn|mo|msub|msup|mrow|inline-formula|named-content)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)
_ROUNDS = 3  # "&amp;amp;lt;" is escaped three times; more is not text anyone wrote


def has_markup(text: str) -> bool:
    """A cheap test first: most strings hold neither ``&`` nor ``<``."""
    return ("&" in text and _ENTITY.search(text) is not None) or (
        "<" in text and _INLINE.search(text) is not None
    )


def plain_text(text: str) -> str:
    """``text`` with its entities decoded (up to three escapes deep) and inline tags dropped."""
    for _ in range(_ROUNDS):
        if "&" not in text or _ENTITY.search(text) is None:
            break
        text = html.unescape(text)
    if "<" in text:
        text = _INLINE.sub("", text)
    return text


def prepared(text: str) -> str:
    """The string the parsers read: markup dropped, line ends, tabs and runs of spaces made
    one space (the tests come first: most strings need nothing done)."""
    clean = text
    if "  " in text or not text.isprintable() or text[:1] == " " or text[-1:] == " ":
        clean = " ".join(text.split())
    if ("&" in clean or "<" in clean) and has_markup(clean):
        clean = " ".join(plain_text(clean).split())
    return clean
