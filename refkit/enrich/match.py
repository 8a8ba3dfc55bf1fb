"""Is a Crossref search result the work a reference cites? refkit's own check, not Crossref's.

Crossref's relevance ``score`` says how well a record matches the query words; it is not
comparable across queries (it grows with query length) nor across years of the API, so it is
never read here. Each candidate is compared field by field with the parsed reference:

- title: rapidfuzz similarity of the normalised titles (with and without subtitle, and every
  translated title), at least ``MIN_TITLE``;
- first author: family name (or organisation) of the first author;
- year: equal, or one apart (online before print); further apart rejects;
- volume and first page: equal when both are known; different rejects;
- a notice (erratum, correction, retraction, reply, comment) never stands for the article it is
  about, nor the other way round.

A candidate that passes scores the weighted mean of its field similarities (a field the
candidate lacks counts half); the best one is accepted when it reaches ``MIN_SCORE`` and leads
every other passing candidate by ``MARGIN``. Otherwise the reference stays unmatched and
``Match.reason`` says why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from refkit.model import Citation, Name

WEIGHTS = {"title": 0.5, "author": 0.2, "year": 0.1, "volume": 0.1, "page": 0.1}
MIN_TITLE = 0.85
MIN_AUTHOR = 0.8
MIN_SCORE = 0.75
MARGIN = 0.05
UNKNOWN = 0.5  # a field only the reference has: neither for nor against the candidate

# A notice's title names the kind of notice, then a colon, "to", "for", "notice" or nothing.
_NOTICE = re.compile(
    r"^(?:(?:(?:author|publisher)s?\W+)?correction|corrigend(?:um|a)|errat(?:um|a)|addendum"
    r"|retraction|retracted|notice of retraction|withdrawal|withdrawn|expression of concern"
    r"|reply|in reply)\s*(?::|$|\b(?:to|for|notice|note|statement)\b)"
    r"|^(?:response|re)\s*:|^retraction of\b|^(?:comment on|commentary on)\b",
)
_BRACKETED = re.compile(r"^\[(.*)\]\.?$")


@dataclass(frozen=True, slots=True)
class Evidence:
    """How one field of the reference compares with the candidate's."""

    field: str
    parsed: str
    candidate: str
    similarity: float | None  # 0..1; None when either side lacks the field

    def describe(self) -> str:
        if self.similarity is None:
            return f"{self.field}: {self.parsed or '-'} / {self.candidate or '-'} (unknown)"
        return f"{self.field}: {self.parsed} / {self.candidate} ({self.similarity:.2f})"


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
class _Verdict:
    index: int
    score: float
    evidence: tuple[Evidence, ...]
    failure: str  # "" when every check passed


def best_match(parsed: Citation, candidates: Sequence[Citation]) -> Match:
    """The candidate that is the work ``parsed`` cites, or an unmatched verdict saying why."""
    if not normalize_title(parsed.title):
        return Match(None, reason="the reference has no title to compare")
    if not candidates:
        return Match(None, reason="Crossref returned no candidates")
    verdicts = sorted(
        (_judge(parsed, c, i) for i, c in enumerate(candidates)),
        key=lambda v: (-v.score, v.index),
    )
    passing = [v for v in verdicts if not v.failure]
    if not passing:
        best = verdicts[0]
        match = Match(None, best.score, 0.0, best.evidence)
        return _rejected(match, f"no candidate passes; the best: {best.failure}")
    best = passing[0]
    rivals = [
        v.score for v in passing[1:] if not _same_doi(candidates[v.index], candidates[best.index])
    ]
    runner_up = max(rivals, default=0.0)
    match = Match(None, best.score, runner_up, best.evidence)
    if best.score < MIN_SCORE:
        return _rejected(match, f"best score {best.score:.2f} is below {MIN_SCORE}")
    if best.score - runner_up < MARGIN:
        return _rejected(match, f"ambiguous: runner-up scores {runner_up:.2f} vs {best.score:.2f}")
    return Match(candidates[best.index], best.score, runner_up, best.evidence)


def _rejected(match: Match, reason: str) -> Match:
    return Match(None, match.score, match.runner_up, match.evidence, reason)


def _same_doi(a: Citation, b: Citation) -> bool:
    return bool(a.doi) and a.doi.lower() == b.doi.lower()


def _judge(parsed: Citation, candidate: Citation, index: int) -> _Verdict:
    evidence = (
        _title(parsed, candidate),
        _author(parsed.author, candidate.author),
        _year(parsed, candidate),
        _exact("volume", parsed.volume, candidate.volume),
        _exact("page", first_page(parsed.page), first_page(candidate.page)),
    )
    failure = _failure(parsed, candidate, evidence)
    total = weight = 0.0
    for item in evidence:
        if not item.parsed:
            continue  # the reference does not say: the field does not count
        weight += WEIGHTS[item.field]
        similarity = UNKNOWN if item.similarity is None else item.similarity
        total += WEIGHTS[item.field] * similarity
    return _Verdict(index, round(total / weight, 4) if weight else 0.0, evidence, failure)


def _failure(parsed: Citation, candidate: Citation, evidence: Sequence[Evidence]) -> str:
    """Why the candidate cannot be the cited work ("" when nothing forbids it)."""
    if not _titles(candidate):
        return "the candidate has no title"
    if is_notice(parsed.title) != is_notice(candidate.title) or _updates(candidate):
        if not is_notice(parsed.title):
            return f"{candidate.title[:60]!r} is a notice about a work, not the work"
        return f"the reference is a notice, {candidate.title[:60]!r} is not"
    limits = {"title": MIN_TITLE, "author": MIN_AUTHOR, "year": 0.5, "volume": 1.0, "page": 1.0}
    for item in evidence:
        if item.similarity is not None and item.similarity < limits[item.field]:
            return f"{item.field} differs ({item.parsed} vs {item.candidate})"
    return ""


def _updates(candidate: Citation) -> bool:
    return any(key == "Updates" for key, _ in candidate.extra)


def is_notice(title: str) -> bool:
    """True for the title of an erratum, correction, retraction notice, reply or comment."""
    return bool(_NOTICE.match(" ".join(title.casefold().strip(" [").split())))


def normalize_title(title: str) -> str:
    """Case, accents, punctuation and the brackets of translated titles folded away."""
    text = title.strip()
    bracketed = _BRACKETED.match(text)
    if bracketed:
        text = bracketed.group(1)
    return _fold(text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).replace("_", " ").split())


def _titles(citation: Citation) -> list[str]:
    """The title, the title without its subtitle, and every translated or original title."""
    titles = [citation.title]
    titles += [
        value for key, value in citation.extra if key in ("Translated title", "Original title")
    ]
    mains = [t.split(": ", 1)[0] for t in titles if ": " in t]
    return [n for n in dict.fromkeys(normalize_title(t) for t in titles + mains) if n]


def _title(parsed: Citation, candidate: Citation) -> Evidence:
    ours = _titles(parsed)
    theirs = _titles(candidate)
    if not theirs:
        return Evidence("title", parsed.title, "", None)
    similarity = max(fuzz.ratio(a, b) for a in ours for b in theirs) / 100
    return Evidence("title", parsed.title, candidate.title, round(similarity, 4))


def _name_key(name: Name) -> str:
    return _fold(f"{name.particle} {name.family}" if name.family else name.literal)


def _author(ours: Sequence[Name], theirs: Sequence[Name]) -> Evidence:
    """The first author's family name; found a little later in the list counts less."""
    mine = _name_key(ours[0]) if ours else ""
    shown = ours[0].display() if ours else ""
    if not mine or not theirs:
        return Evidence("author", shown, theirs[0].display() if theirs else "", None)
    keys = [_name_key(name) for name in theirs[:3]]
    first = fuzz.token_set_ratio(mine, keys[0]) / 100 if keys[0] else 0.0
    later = max((fuzz.token_set_ratio(mine, key) / 100 for key in keys[1:] if key), default=0.0)
    similarity = first if first >= MIN_AUTHOR else max(first, later * 0.9)
    return Evidence("author", shown, theirs[0].display(), round(similarity, 4))


def _year(parsed: Citation, candidate: Citation) -> Evidence:
    ours = parsed.issued.year if parsed.issued else None
    theirs = candidate.issued.year if candidate.issued else None
    if ours is None or theirs is None:
        return Evidence("year", str(ours or ""), str(theirs or ""), None)
    similarity = {0: 1.0, 1: 0.7}.get(abs(ours - theirs), 0.0)
    return Evidence("year", str(ours), str(theirs), similarity)


def _exact(field: str, ours: str, theirs: str) -> Evidence:
    a, b = _fold(ours), _fold(theirs)
    if not a or not b:
        return Evidence(field, ours, theirs, None)
    return Evidence(field, ours, theirs, 1.0 if a == b else 0.0)


def first_page(page: str) -> str:
    """``1421-1432`` → ``1421``; ``e0214986`` → ``e0214986``; ``S12-S18`` → ``S12``."""
    return re.split(r"\s*[-–—,]\s*", page.strip(), maxsplit=1)[0] if page.strip() else ""


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
