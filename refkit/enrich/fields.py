"""How refkit compares bibliographic values: folded text, titles, notices, first pages.

Shared by the match (is this the same work?) and the merge (do these values agree?).
"""

from __future__ import annotations

import re

from refkit.model import Citation, Name
from refkit.text import first_page, fold

__all__ = ["first_page", "fold", "is_notice", "is_update_notice", "name_key", "normalize_title"]
__all__ += ["titles"]

# A notice's title names the kind of notice, then a colon, "to", "for", "notice" or nothing.
_NOTICE = re.compile(
    r"^(?:(?:(?:author|publisher)s?\W+)?correction|corrigend(?:um|a)|errat(?:um|a)|addendum"
    r"|retraction|retracted|notice of retraction|withdrawal|withdrawn|expression of concern"
    r"|reply|in reply)\s*(?::|$|\b(?:to|for|notice|note|statement)\b)"
    r"|^(?:response|re)\s*:|^retraction of\b|^(?:comment on|commentary on)\b",
)
_BRACKETED = re.compile(r"^\[(.*)\]\.?$")


def normalize_title(title: str) -> str:
    """A title folded, without the brackets PubMed puts around translated titles."""
    text = title.strip()
    bracketed = _BRACKETED.match(text)
    if bracketed:
        text = bracketed.group(1)
    return fold(text)


def titles(citation: Citation) -> list[str]:
    """The normalised title, the title without its subtitle, and every translated or original
    title, each once."""
    found = [citation.title]
    found += [
        value for key, value in citation.extra if key in ("Translated title", "Original title")
    ]
    mains = [t.split(": ", 1)[0] for t in found if ": " in t]
    return [n for n in dict.fromkeys(normalize_title(t) for t in found + mains) if n]


def is_notice(title: str) -> bool:
    """True for the title of an erratum, correction, retraction notice, reply or comment."""
    return bool(_NOTICE.match(" ".join(title.casefold().strip(" [").split())))


def is_update_notice(citation: Citation) -> bool:
    """A notice by its registered metadata (``update-to``) or by its title."""
    return is_notice(citation.title) or any(key == "Updates" for key, _ in citation.extra)


def name_key(name: Name) -> str:
    """The folded family name with its particle, or the organisation's name."""
    return fold(f"{name.particle} {name.family}" if name.family else name.literal)
