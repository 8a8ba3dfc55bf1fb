"""Is a Crossref search result the work a reference cites? refkit's own check, not Crossref's.

Crossref's relevance ``score`` says how well a record matches the query words; it is not
comparable across queries (it grows with query length) nor across years of the API, so it is
never read here. Each candidate is compared field by field with the parsed reference, and
where the parser could not tell a field, with the reference text itself (Crossref's own
matcher validates candidates against the string the same way):

- title: rapidfuzz similarity of the normalised titles (with and without subtitle, and every
  translated title), or the candidate's title found in the reference text; at least
  ``MIN_TITLE``;
- first author: family name (or organisation) of the first author, or that name in the text;
- year: equal, or one apart (online before print); further apart rejects;
- volume and first page: equal when both are known; different rejects;
- a notice (erratum, correction, retraction, reply, comment) never stands for the article it is
  about, nor the other way round.

A candidate that passes scores the weighted mean of its field similarities over the fields the
reference gives (a field the candidate lacks counts ``UNKNOWN``); the best one is accepted when
it reaches ``MIN_SCORE`` and leads every other passing candidate by ``MARGIN``. Otherwise the
reference stays unmatched and ``Match.reason`` says why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from refkit.compare import Profile, Rules, guard, profile
from refkit.enrich.fields import (
    first_page,
    fold,
    is_notice,
    is_update_notice,
    name_key,
    titles,
)
from refkit.model import Citation

WEIGHTS = {"title": 0.5, "author": 0.2, "year": 0.1, "volume": 0.1, "page": 0.1}
LIMITS = {"title": 0.85, "author": 0.8, "year": 0.5, "volume": 1.0, "page": 1.0}
MIN_TITLE = LIMITS["title"]
MIN_SCORE = 0.75
MARGIN = 0.05
UNKNOWN = 0.5  # a field only the reference has: neither for nor against the candidate
IN_TEXT = "(in the text)"  # Evidence.parsed when the reference text, not a field, gave it
MIN_TEXT_TITLE = 20  # shorter titles are too common to be looked for in a reference string
# compare's vetoes, but not the one on the kind of work: a parsed reference's type is a guess.
_PARSED = Rules(kind_veto=False)


@dataclass(frozen=True, slots=True)
class Evidence:
    """How one field of the reference compares with the candidate's.

    ``parsed`` is empty when the reference says nothing of the field (it then does not count in
    the score); ``similarity`` is None when the candidate lacks it.
    """

    field: str
    parsed: str
    candidate: str
    similarity: float | None

    def describe(self) -> str:
        verdict = "unknown" if self.similarity is None else f"{self.similarity:.2f}"
        return f"{self.field}: {self.parsed or '-'} / {self.candidate or '-'} ({verdict})"


@dataclass(frozen=True, slots=True)
class Match:
    """The verdict on a reference's search results.

    ``candidate`` is the accepted work or None; ``score`` is the best candidate's score (0..1),
    ``runner_up`` the best score among the other candidates that passed every check (0 when
    none did); ``evidence`` compares the best candidate field by field; ``reason`` says why
    nothing was accepted.
    """

    candidate: Citation | None
    score: float = 0.0
    runner_up: float = 0.0
    evidence: tuple[Evidence, ...] = ()
    reason: str = ""

    @property
    def accepted(self) -> bool:
        return self.candidate is not None


@dataclass(frozen=True, slots=True)
class _Reference:
    """The parsed reference with what every comparison needs, computed once."""

    citation: Citation
    titles: list[str]
    container: str
    text: str  # the cleaned reference string, folded, padded for whole-word search
    profile: Profile  # what refkit.compare judges

    @classmethod
    def of(cls, citation: Citation) -> _Reference:
        text = f" {fold(bibliographic_query(citation))} " if citation.raw else ""
        container = fold(citation.container_title)
        return cls(citation, titles(citation), container, text, profile(citation))

    def says(self, value: str) -> bool:
        """True when ``value`` appears as whole words in the reference text."""
        folded = fold(value)
        return bool(folded) and f" {folded} " in self.text


@dataclass(frozen=True, slots=True)
class _Verdict:
    index: int
    score: float
    evidence: tuple[Evidence, ...]
    failure: str  # "" when every check passed


def best_match(
    parsed: Citation,
    candidates: Sequence[Citation],
    min_score: float = MIN_SCORE,
    margin: float = MARGIN,
) -> Match:
    """The candidate that is the work ``parsed`` cites, or an unmatched verdict saying why."""
    return decide(judge(parsed, candidates), candidates, min_score, margin)


@dataclass(frozen=True, slots=True)
class Judged:
    """Every candidate compared with one reference; ``decide`` turns it into a ``Match``."""

    verdicts: tuple[_Verdict, ...]  # best score first
    reason: str = ""  # why nothing could be compared


def judge(parsed: Citation, candidates: Sequence[Citation]) -> Judged:
    """Each candidate's score and evidence, and why it cannot be the cited work (if so)."""
    reference = _Reference.of(parsed)
    if not reference.titles and not reference.text:
        return Judged((), "the reference has no title to compare")
    if not candidates:
        return Judged((), "Crossref returned no candidates")
    verdicts = sorted(
        (_judge(reference, c, i) for i, c in enumerate(candidates)),
        key=lambda v: (-v.score, v.index),
    )
    return Judged(tuple(verdicts))


def decide(
    judged: Judged,
    candidates: Sequence[Citation],
    min_score: float = MIN_SCORE,
    margin: float = MARGIN,
) -> Match:
    """The best candidate that passes every check, when it scores ``min_score`` and leads the
    other passing ones by ``margin``."""
    if not judged.verdicts:
        return Match(None, reason=judged.reason)
    passing = [v for v in judged.verdicts if not v.failure]
    if not passing:
        best = judged.verdicts[0]
        match = Match(None, best.score, 0.0, best.evidence)
        return _rejected(match, f"no candidate passes; the closest: {best.failure}")
    best = passing[0]
    rivals = [
        v.score for v in passing[1:] if not _same_doi(candidates[v.index], candidates[best.index])
    ]
    match = Match(None, best.score, max(rivals, default=0.0), best.evidence)
    if best.score < min_score:
        return _rejected(match, f"best score {best.score:.2f} is below {min_score}")
    if best.score - match.runner_up < margin:
        return _rejected(
            match, f"ambiguous: runner-up scores {match.runner_up:.2f} vs {best.score:.2f}"
        )
    return Match(candidates[best.index], best.score, match.runner_up, best.evidence)


def _rejected(match: Match, reason: str) -> Match:
    return Match(None, match.score, match.runner_up, match.evidence, reason)


def _same_doi(a: Citation, b: Citation) -> bool:
    return bool(a.doi) and a.doi.lower() == b.doi.lower()


def _judge(reference: _Reference, candidate: Citation, index: int) -> _Verdict:
    evidence = (
        _title(reference, candidate),
        _author(reference, candidate),
        _year(reference, candidate),
        _exact(reference, "volume", reference.citation.volume, candidate.volume),
        _exact(reference, "page", first_page(reference.citation.page), first_page(candidate.page)),
    )
    total = weight = 0.0
    for item in evidence:
        if item.parsed:  # a field the reference does not give does not count
            weight += WEIGHTS[item.field]
            similarity = UNKNOWN if item.similarity is None else item.similarity
            total += WEIGHTS[item.field] * similarity
    score = round(total / weight, 4) if weight else 0.0
    return _Verdict(index, score, evidence, _failure(reference, candidate, evidence))


def _failure(reference: _Reference, candidate: Citation, evidence: Sequence[Evidence]) -> str:
    """Why the candidate cannot be the cited work ("" when nothing forbids it)."""
    if not candidate.title:
        return "the candidate has no title"
    if is_notice(reference.citation.title) != is_update_notice(candidate):
        if is_notice(reference.citation.title):
            return f"the reference is a notice, {candidate.title[:60]!r} is not"
        return f"{candidate.title[:60]!r} is a notice about a work, not the work"
    for item in evidence:
        if item.similarity is not None and item.similarity < LIMITS[item.field]:
            return f"{item.field} differs ({item.parsed} vs {item.candidate})"
    veto = guard(reference.profile, profile(candidate), _PARSED)
    return f"not the same work: {veto}" if veto else ""


def _title(reference: _Reference, candidate: Citation) -> Evidence:
    """The best similarity of any title pair, or of the candidate's title within the text.

    The text is not searched for a title that is the reference's container (a book cited
    through one of its chapters has its title in the string too)."""
    theirs = titles(candidate)
    shown = reference.citation.title or IN_TEXT
    if not theirs:
        return Evidence("title", shown, "", 0.0)
    ours = reference.titles
    similarity = max((fuzz.ratio(a, b) for a in ours for b in theirs), default=0.0) / 100
    if similarity < MIN_TITLE and reference.text:
        for title in theirs:
            if len(title) >= MIN_TEXT_TITLE and fuzz.ratio(title, reference.container) < 85:
                found = fuzz.partial_ratio(title, reference.text) / 100
                similarity = max(similarity, found if found >= MIN_TITLE else 0.0)
    return Evidence("title", shown, candidate.title, round(similarity, 4))


def _author(reference: _Reference, candidate: Citation) -> Evidence:
    """The first author's family name; found later in the list or only in the text counts
    less."""
    ours, theirs = reference.citation.author, candidate.author
    mine = name_key(ours[0]) if ours else ""
    shown = ours[0].display() if ours else ""
    keys = [name_key(name) for name in theirs[:3]]
    if not keys or not keys[0]:
        return Evidence("author", shown, "", None)
    in_text = 0.9 if reference.says(keys[0]) else 0.0
    if not mine:
        return Evidence("author", IN_TEXT if in_text else "", theirs[0].display(), in_text or None)
    first = fuzz.token_set_ratio(mine, keys[0]) / 100
    later = max((fuzz.token_set_ratio(mine, key) / 100 for key in keys[1:] if key), default=0.0)
    similarity = max(first, later * 0.9, in_text)
    return Evidence("author", shown, theirs[0].display(), round(similarity, 4))


def _year(reference: _Reference, candidate: Citation) -> Evidence:
    parsed = reference.citation.issued
    theirs = candidate.issued.year if candidate.issued else None
    if theirs is None:
        return Evidence("year", str(parsed.year) if parsed else "", "", None)
    if parsed is None:
        for year, similarity in ((theirs, 1.0), (theirs - 1, 0.7), (theirs + 1, 0.7)):
            if reference.says(str(year)):
                return Evidence("year", IN_TEXT, str(theirs), similarity)
        return Evidence("year", "", str(theirs), None)
    similarity = {0: 1.0, 1: 0.7}.get(abs(parsed.year - theirs), 0.0)
    return Evidence("year", str(parsed.year), str(theirs), similarity)


def _exact(reference: _Reference, field: str, ours: str, theirs: str) -> Evidence:
    """Volume or first page: equal or not; only in the text counts when found there."""
    if not fold(theirs):
        return Evidence(field, ours, "", None)
    if not fold(ours):
        return (
            Evidence(field, IN_TEXT, theirs, 1.0)
            if reference.says(theirs)
            else (Evidence(field, "", theirs, None))
        )
    return Evidence(field, ours, theirs, 1.0 if fold(ours) == fold(theirs) else 0.0)


# What a search does not need: identifiers Crossref would match as words, and the trailing
# notes of PubMed citations (errata, comments) that name other works.
_NOISE = (
    re.compile(
        r"\b(?:Erratum|Comment|Retraction|Update|Republished|Corrected and republished|"
        r"Expression of concern)\s+(?:in|of|for|on)\s*:.*$",
        re.I,
    ),
    re.compile(r"\bhttps?://\S+", re.I),
    re.compile(r"\b(?:doi\s*:?\s*)?10\.\d{4,9}/\S+", re.I),
    re.compile(r"\b(?:PMID|PMCID|ISSN|ISBN)\s*:?\s*(?:PMC)?[\dXx-]+", re.I),
    re.compile(r"\bPMC\d+\b", re.I),
    re.compile(r"\bNCT\d{8}\b", re.I),
    re.compile(
        r"\[?\bEpub(?: ahead of print)?(?:\s+\d{4}(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?)?\]?", re.I
    ),
    re.compile(r"\[(?:PubMed|Internet|cited[^\]]*|Google Scholar|CrossRef)\]", re.I),
    re.compile(r"\b(?:Available (?:from|at)|Accessed|Retrieved)\b.*$", re.I),
    re.compile(r"\bet al\b\.?", re.I),
    re.compile(r"\barXiv\s*:\s*\S+", re.I),
    re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)])\s+"),  # the list's numbering
)
MAX_QUERY = 500


def bibliographic_query(parsed: Citation) -> str:
    """The text to send as ``query.bibliographic``: the reference as written, without the
    identifiers and notes that make a search worse; built from the fields when there is no
    raw string."""
    text = parsed.raw or _from_fields(parsed)
    for pattern in _NOISE:
        text = pattern.sub(" ", text)
    text = re.sub(r"(?:\s*[.;,:]\s*){2,}", ". ", text)
    text = " ".join(text.split()).strip(" .;,:")
    if len(text) > MAX_QUERY:
        text = text[:MAX_QUERY].rsplit(" ", 1)[0]
    return text


def _from_fields(citation: Citation) -> str:
    authors = ", ".join(name.display() for name in citation.author[:3])
    year = str(citation.issued.year) if citation.issued else ""
    parts = (
        authors,
        citation.title,
        citation.container_title,
        year,
        citation.volume,
        citation.issue,
        citation.page,
    )
    return ". ".join(part for part in parts if part)
