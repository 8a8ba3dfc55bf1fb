"""Author lists as reference strings print them.

NLM/Vancouver writes ``Family Initials`` (``Sun LY``, ``van der Heijde D``, ``Alvarenga LC Jr``),
ends a cut list with ``et al.`` and puts collective authors after ``;``. Other styles write
``Family, G.`` or ``G. Family``; ``parse_author`` keeps those as family + given when it can.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from refkit.model import Name
from refkit.text import PARTICLES

# Upper-case letters of Latin-1 and Latin Extended-A/B ("Kupče Ē", "Šustić A"): Python's `re`
# has no \p{Lu}, and initials must not match lower-case words.
_UPPER = "A-Z" + "".join(chr(c) for c in range(0xC0, 0x250) if chr(c).isupper())
_INITIALS = rf"[{_UPPER}](?:-?[{_UPPER}]){{0,4}}(?: (?:[a-z]{{1,3}} )?[{_UPPER}]{{1,3}})*"
_SUFFIXES = "Jr|Sr|2nd|3rd|II|III|IV"
_NLM_NAME = rf"[^\W\d_][^,;:]*? {_INITIALS}(?: (?:{_SUFFIXES}))?"
NLM_NAME = re.compile(
    rf"(?P<family>[^\W\d_][^,;:]*?) (?P<given>{_INITIALS})(?: (?P<suffix>{_SUFFIXES}))?"
)
# The persons of an NLM author list (collective authors follow after ";"), and each person.
_NLM_LIST = re.compile(rf"{_NLM_NAME}(?:, {_NLM_NAME})*(?:,? et al)?")
_NLM_EACH = re.compile(rf"([^\W\d_][^,;:]*?) ({_INITIALS})(?: ({_SUFFIXES}))?(?:, |$)")
_ET_AL = re.compile(r",?\s*\bet\.? al\b\.?", re.IGNORECASE)
_PARTICLE = re.compile(r"^((?:(?:van|von|de|der|den|del|della|da|das|do|dos|di|du|la|le|ter)\s)+)")
_INVERTED = re.compile(rf"^(?P<family>[^,]+), (?P<given>(?:[{_UPPER}][\w-]*\.?\s?)+)$")
_GIVEN_FIRST = re.compile(rf"^(?P<given>(?:[{_UPPER}][\w-]*\.\s?)+)\s*(?P<family>[^\s.][^,]*)$")
NO_AUTHORS = "[No authors listed]"
_MIDDLE_INITIAL = re.compile(rf"[{_UPPER}]\.(?:-[{_UPPER}]\.)?")


def _family(text: str) -> tuple[str, str]:
    """``van der Heijde`` → (``Heijde``, ``van der``): lower-case particles only."""
    match = _PARTICLE.match(text)
    if match is None or match.end() == len(text):
        return text, ""
    return text[match.end() :], match.group(1).strip()


def parse_author(text: str) -> Name:
    """One author: ``Sun LY``, ``Bergk, V.``, ``R. L. Lieber``; else an organisation."""
    text = text.strip().rstrip(".").strip() if text.endswith(" Jr.") else text.strip()
    match = NLM_NAME.fullmatch(text)
    if match is not None:
        family, particle = _family(match["family"])
        return Name(family, match["given"], suffix=match["suffix"] or "", particle=particle)
    for pattern in (_INVERTED, _GIVEN_FIRST):
        match = pattern.match(text)
        if match is not None and len(match["family"].split()) <= 3:
            family, particle = _family(match["family"].strip())
            return Name(family, match["given"].strip(), particle=particle)
    return Name(literal=text.rstrip("."))


def _full_name(name: Name) -> Name:
    """A ``Given Family`` literal of two or three capitalised words, or one with middle
    initials (``Gregory P. Bisson``) → family + given."""
    words = name.literal.split()
    if not 2 <= len(words) <= 3 or not all(_capitalised(w) for w in (words[0], words[-1])):
        return name
    if not all(_capitalised(w) or _MIDDLE_INITIAL.fullmatch(w) for w in words[1:-1]):
        return name
    return Name(family=words[-1], given=" ".join(words[:-1]))


def _capitalised(word: str) -> bool:
    return word[0].isupper() and word[1:].islower()


class Authors(NamedTuple):
    names: tuple[Name, ...]
    truncated: bool  # the list ended with "et al."
    nlm: bool  # the persons were written NLM-style: "Family Initials"


def parse_authors(text: str) -> Authors:
    """The author list, whether it was cut short (``et al.``) and whether it is NLM-style.

    Persons are separated by ``,``; collective authors follow ``;`` (NLM) and stay whole.
    """
    text = text.strip().rstrip(".:").strip()
    if not text or text == NO_AUTHORS.strip("[]") or text == NO_AUTHORS:
        return Authors((), False, False)
    truncated = "et al" in text or "Et al" in text
    if truncated:
        text = _ET_AL.sub("", text)
    persons, *groups = text.split(";")
    names = _nlm_names(persons.strip())
    nlm = bool(names)
    if not nlm:
        names = _other_names(persons)
    names += [Name(literal=g.strip().rstrip(".")) for g in groups if _named(g)]
    return Authors(tuple(names), truncated, nlm)


def _nlm_names(persons: str) -> list[Name]:
    """``Sun L, van der Heijde D, Alvarenga LC Jr`` in two passes of compiled patterns."""
    if " and " in persons:
        return []
    names = []
    covered = -2  # the matches must tile the whole text: ", " between them, nothing else
    for family, given, suffix in _NLM_EACH.findall(persons):
        covered += len(family) + len(given) + (len(suffix) + 1 if suffix else 0) + 3
        if family[0].islower():  # "van der Heijde": the particle apart
            family, particle = _family(family)
            names.append(Name(family, given, suffix=suffix, particle=particle))
        else:
            names.append(Name(family, given, "", suffix, ""))
    return names if covered == len(persons) else []


def _named(piece: str) -> bool:
    """Whether a piece of a name list holds a letter or digit (not just ``.`` or ``-``)."""
    return any(character.isalnum() for character in piece)


def _other_names(persons: str) -> list[Name]:
    pieces = [part.strip() for part in persons.split(",") if _named(part)]
    names = [parse_author(piece) for piece in pieces]
    if len(names) > 1:  # "Johnstone Kumwenda, Amita Gupta": persons, not organisations
        names = [_full_name(n) for n in names]
    return names


def is_nlm_author_list(text: str) -> bool:
    """Whether ``text`` is a list of ``Family Initials`` names (collectives after ``;``)."""
    head = text.split(";", 1)[0].strip().rstrip(".")
    return " and " not in head and _NLM_LIST.fullmatch(head) is not None


def _short_pieces(text: str) -> bool:
    """Whether every comma-separated piece has at most four words: a list of names."""
    return all(len(piece.split()) <= 4 for piece in text.split(","))


def split_head(head: str) -> tuple[str, str]:
    """``Authors. Title.`` → (authors, title). The title keeps a final ``?`` or ``!``."""
    head = head.strip()
    if head.startswith(NO_AUTHORS):
        return "", head[len(NO_AUTHORS) :].strip().rstrip(".").strip()
    end = head.find(". ")
    cut = head.find(" et al")
    if cut > 0 and (end < 0 or end > cut or _short_pieces(head[:cut])):
        end = cut + 6 + (head[cut + 6 : cut + 7] == ".")
    colon = head.find(": ")
    if 0 < colon < (end if end >= 0 else len(head)) and is_nlm_author_list(head[:colon]):
        end = colon
    if end < 0:
        whole = head.rstrip(".")
        return (whole, "") if is_nlm_author_list(whole) else ("", whole)
    title = head[end + 1 :].strip().lstrip(":.").strip()
    return head[:end].strip(), title.rstrip(".").strip()


# Any style's author list: "Lieber, R. L., Jacks, T. M., & Hickey, G. J.",
# "R. L. Lieber, T. M. Jacks, and G. J. Hickey", "Lieber, R. L., T. M. Jacks, and G. J. Hickey".
_LIST_SPLIT = re.compile(r"\s*(?:[,;&]|\band\b|\bund\b|\by\b)\s*")
_ROLE = re.compile(
    r"^\s*(?:in:?\s+|edited by\s+|eds?\.\s+|trans(?:lated)?\.?(?: by)?\s+)"
    r"|[\s,]*\(?\b(?:eds?|editors?|hrsg|trans|transl|translators?|dir)\b\.?\)?\.?\s*$",
    re.IGNORECASE,
)
_GIVEN_WORD = re.compile(
    rf"(?:[{_UPPER}]\.?(?:-[{_UPPER}]\.?)*|[{_UPPER}][^\W\d_]+(?:-[^\W\d_]+)?)"
)
_NAME_SUFFIX = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})
_ORGANISATION = re.compile(
    r"\b(?:Organi[sz]ation|Association|Society|Group|Committee|Institute|Council|Agency"
    r"|Department|Ministry|Foundation|Board|Office|Cent(?:re|er)|University|Collaboration"
    r"|Network|Consortium|Commission|Programme|Program|Trust|Service|National|International"
    r"|Federation|Union|Alliance|Nations|Bank|Company|Corporation|Inc|Ltd)\b"
)


def _is_initials(word: str) -> bool:
    return bool(re.fullmatch(rf"-?(?:[{_UPPER}]\.?-?)+", word))


def _looks_given(piece: str, initials_only: bool) -> bool:
    """``R. L.``, ``H.-D.``, ``J. da C.``, or (not ``initials_only``) ``Taiga``, ``Richard L.``."""
    words = [w for w in piece.replace(".", ". ").split() if w not in PARTICLES]
    if not words or len(words) > 4:
        return False
    if all(_is_initials(w) for w in words):
        return True
    return not initials_only and all(_GIVEN_WORD.fullmatch(w) for w in words)


def _direct_name(piece: str) -> Name:
    """One name written as ``Given Family`` or ``Family Initials`` (``Lieber RL``)."""
    words = piece.split()
    if len(words) > 4 or _ORGANISATION.search(piece):
        return Name(literal=piece)
    suffix = words.pop() if len(words) > 2 and words[-1] in _NAME_SUFFIX else ""
    if len(words) < 2:
        if words and not words[0][0].isupper():
            return Name(literal=piece)
        return Name(piece.rstrip(".") if len(piece) > 2 else piece)
    if _is_initials(words[-1]) and not _is_initials(words[0]):
        family, particle = _family(" ".join(words[:-1]))
        return Name(family, words[-1], suffix=suffix, particle=particle)
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    given = " ".join(words[:start])
    family = words[-1].rstrip(".") if len(words[-1]) > 2 else words[-1]
    return Name(family, given, suffix=suffix, particle=" ".join(words[start:-1]))


def parse_name_list(text: str) -> Authors:
    """Names in any style; ``Family, Given`` pairs told apart from ``Given Family`` pieces."""
    text = _ROLE.sub("", text.strip().rstrip(",;:").strip()).strip()
    truncated = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text).strip(" ,;")
    if not text:
        return Authors((), truncated, False)
    if is_nlm_author_list(text):
        return Authors(parse_authors(text).names, truncated, True)
    pieces = [p.strip(" .") if p.count(".") == 0 else p.strip() for p in _LIST_SPLIT.split(text)]
    pieces = [p for p in pieces if p.strip(" .")]
    names: list[Name] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        following = pieces[i + 1] if i + 1 < len(pieces) else ""
        single = len([w for w in piece.split() if w not in PARTICLES]) <= 2
        if following and single and _looks_given(following, " " in piece.strip()):
            family, particle = _family(piece.strip(" ."))
            names.append(Name(family, following.strip(), particle=particle))
            i += 2
        else:
            names.append(_direct_name(piece.strip(" ")))
            i += 1
    return Authors(tuple(names), truncated, False)
