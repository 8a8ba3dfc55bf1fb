"""Parse reference strings into citations. ``parse_reference`` never raises."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from refkit.identifiers import find_identifiers, only_identifiers
from refkit.model import CSL_FIELDS, SOURCE_PARSED, Citation, Provenance, RawReference
from refkit.parse.general import general_fields
from refkit.parse.markup import prepared
from refkit.parse.names import parse_name_list
from refkit.parse.nlm import cut_author_list, nlm_fields
from refkit.parse.tokens import fold

# Each field with its ``sources`` pair, built once (as Citation.with_sources marks fields).
_PARSED = tuple((name, (name, SOURCE_PARSED)) for name in CSL_FIELDS if name != "id")
# The grammar's confidence in a journal source with NLM names, and in an NLM book or chapter.
SURE, PLAUSIBLE = 0.9, 0.75
# The rest of a name list: "Cheriton, Hendrik A", "Meyer and Mitchell Wand", "& Prijatel P."
_NAMES_IN_TITLE = re.compile(
    r"^(?:&|[A-Z][\w'’-]+(?:,\s+|\s+(?:and|&)\s+)[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
    r"(?=[,.]|\s+and\b|$))"
)
# Given names that can only come first: initials ("M.", "R. L.", "J.-P."), or a name and
# middle initials ("Gregory P.").
_LEADING_GIVEN = re.compile(r"(?:[A-Z][a-z]+ )?(?:[A-Z]\.[\s-]?)*[A-Z]\.")
_SENTENCE_STOP = re.compile(r"(?<!\b[A-Z])\. ")  # not an initial's stop
_JOURNAL_WORDS = re.compile(r"\b(?:J|Journal|Rev|Review|Proc|Ann|Syndr)\b|\d")
# A string of identifiers alone: nothing to parse, and a label such as "PMID" is no author.
_IDENTIFIERS_ONLY: dict[str, Any] = {
    "type": "document",
    "confidence": 0.5,
    "warnings": ("identifiers only: the rest comes from a look-up (refkit enrich)",),
}


def parse_reference(text: str, provenance: Provenance | None = None) -> Citation:
    """A structured citation for ``text``: always returns one, with ``raw`` kept."""
    clean = prepared(text)  # markup dropped, spaces made one: ``raw`` keeps ``text``
    try:
        values = _parse(clean)
    except Exception as error:  # noqa: BLE001 - a parser bug must not lose the reference
        values = {"confidence": 0.0, "warnings": (f"parser failed: {error!r}",)}
    ids = find_identifiers(clean)
    values.update(
        raw=text,
        doi=values.get("doi") or ids.doi,
        pmid=values.get("pmid") or ids.pmid,
        pmcid=values.get("pmcid") or ids.pmcid,
        url=values.get("url") or ids.url,
        isbn=values.get("isbn") or ids.isbn,
        issn=values.get("issn") or ids.issn,
        extra=values.get("extra", ()) + _extra(ids.arxiv, ids.nct),
        provenance=(provenance,) if provenance else (),
    )
    filled = values.get
    values["sources"] = tuple([pair for name, pair in _PARSED if filled(name)])
    return Citation(**values)


def _parse(text: str) -> dict[str, Any]:
    """The NLM grammar's reading when it is confident, else the general model's.

    A sure reading (``SURE``: a journal source and NLM names) is kept unless its names were
    cut at a first initial (``_cut_after_initial``); a less sure one (an NLM book or chapter,
    ``PLAUSIBLE``) is kept unless it shows the signs of another style (``_doubtful``). Any
    other reading of the grammar is kept when the model finds the same first author (or a
    name list that starts with it), since the grammar reads NLM forms more exactly; when they
    differ, the grammar has most likely taken a given name for a family name (``David R.
    Cheriton, ...``). A string that opens with initials and a family name (``M. Hosseinipour,
    G. Bisson``), or a name and middle initials (``Gregory P. Bisson,``), read so by the
    grammar, leaves no name to mistake: the model is not asked. Only the other cases pay for
    the model. Readings are ``Citation`` keyword arguments, so that the result is built once.
    """
    nlm = nlm_fields(text)
    if nlm is not None and (
        (nlm["confidence"] >= SURE and not _cut_after_initial(nlm))
        or (nlm["confidence"] >= PLAUSIBLE and not _doubtful(nlm))
    ):
        return nlm
    if nlm is not None and nlm["confidence"] >= SURE:
        rejoined = _names_rejoined(nlm, text)
        if rejoined is not None:
            return rejoined
    if only_identifiers(text):
        return _IDENTIFIERS_ONLY.copy()
    if nlm is not None and not nlm.get("author"):
        return nlm  # nothing to hold the model's names against: the grammar's reading stands
    cut = cut_author_list(text) if nlm is None else None
    if cut is not None:
        return cut
    if nlm is not None and _opens_given_first(nlm, text):
        return nlm  # the same check, answered without the model
    general = general_fields(text)
    if nlm is not None and _same_first_author(nlm, general):
        return nlm
    return general


def _names_rejoined(nlm: dict[str, Any], text: str) -> dict[str, Any] | None:
    """``Gregory P. Bisson, Amita Gupta. Title. J Test. 2016;3:1.``, read with the names cut at
    the first initial's stop: the names run to the first stop that ends no initial, and the
    title starts after it. None unless that gives two or more names, each given and family."""
    title = nlm["title"]
    at = text.find(title)
    stop = next((m.start() for m in _SENTENCE_STOP.finditer(title)), -1)
    if at < 0 or stop < 0:
        return None
    found = parse_name_list(text[:at] + title[:stop])
    rest = title[stop + 2 :].strip()
    if len(found.names) < 2 or not rest or any(not (n.family and n.given) for n in found.names):
        return None
    return {**nlm, "author": found.names, "title": rest}


def _opens_given_first(nlm: dict[str, Any], text: str) -> bool:
    """Whether the grammar's first author is the string's opening ``M. Hosseinipour,`` or
    ``Gregory P. Bisson,``."""
    first = nlm["author"][0]
    return (
        bool(first.family)
        and _LEADING_GIVEN.fullmatch(first.given) is not None
        and text.startswith(f"{first.given} {first.family},")
    )


def _cut_after_initial(nlm: dict[str, Any]) -> bool:
    """``Gregory P. Bisson, Amita Gupta. Title. J Test. 2016;3:1-2.``: the names were cut at
    the first initial's stop, one name read as NLM (``Gregory P``) and the rest as the title."""
    return (
        len(nlm.get("author", ())) == 1 and _NAMES_IN_TITLE.match(nlm.get("title", "")) is not None
    )


def _doubtful(nlm: dict[str, Any]) -> bool:
    """Signs that a string in another style was read as NLM: a title that starts with the
    rest of a name list (``Cheriton, Hendrik A``, ``Meyer and Mitchell Wand``), no title, or
    a journal read as a book's publisher (``Journal of Oncology Practice 3``)."""
    title = nlm.get("title", "")
    return (
        not title
        or _NAMES_IN_TITLE.match(title) is not None
        or _JOURNAL_WORDS.search(nlm.get("publisher", "")) is not None
    )


def _same_first_author(nlm: dict[str, Any], general: dict[str, Any]) -> bool:
    """Whether the general reading has the grammar's first author."""
    if not general.get("author"):
        return False
    first, other = nlm["author"][0], general["author"][0]
    family = fold(first.family or first.literal)
    # "Fenner M. Eating your own Dog Food": the model ran the names on into the title.
    return family == fold(other.family) or fold(other.literal).startswith(family + " ")


def _extra(arxiv: str, nct: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    if not (arxiv or nct):
        return ()  # most strings: no list to build
    pairs = [("arXiv", arxiv), ("Trial registration", ", ".join(nct))]
    return tuple((k, v) for k, v in pairs if v)


def parse_raw(ref: RawReference) -> Citation:
    """Parse a record's reference; the identifiers the record states win over the string's."""
    citation = parse_reference(ref.text, ref.provenance)
    if ref.pmid and ref.pmid != citation.pmid:
        warnings = citation.warnings
        if citation.pmid:
            warnings += (
                f"PMID {citation.pmid} in the text, {ref.pmid} in the record: kept the record's",
            )
        citation = replace(citation, pmid=ref.pmid, warnings=warnings)
    return citation
