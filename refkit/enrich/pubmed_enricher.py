"""The PubMed enricher: complete every citation that carries a PMID from PubMed's record of it.

It runs before Crossref's (``order``): the DOI PubMed gives then lets Crossref add what PubMed
lacks (see ``merge``). Each distinct PMID is asked once per run, in batches; the citations come
back in their order, none dropped. A record whose title or first author does not look like the
reference's at all is put before the judge of "same work?" (``is_cited_work``); one it rejects
leaves the citation as parsed, with a warning. A PMID PubMed does not know leaves the citation
as it was (nothing is invented), with a warning. A reference with neither PMID nor DOI that
names its journal, year, volume, first page and first author (NLM style) is put to NCBI's
citation matcher (ecitmatch); the record it names is taken only when the judge agrees.

Counts (``pubmed_`` keys) are per distinct PMID: ``looked_up`` = found + not_found +
not_this_work + failed; ``offline`` PMIDs were skipped because NCBI was out of reach.
``cache_hits`` (PMIDs), ``requests_sent``, ``retries`` and ``http_429`` say what it cost;
``retracted`` counts found works that PubMed marks as retracted. ``citmatch_asked`` references
went to the citation matcher; ``citmatch_matched`` were completed, ``citmatch_rejected`` named a
record the judge refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from refkit.enrich.fields import first_page, name_key, titles
from refkit.enrich.match import best_match
from refkit.enrich.merge import TITLE_WARNING, merge_registered
from refkit.enrich.pubmed import (
    FAILED,
    NOT_FOUND,
    OFFLINE,
    OK,
    Answer,
    Client,
    Settings,
    normalize_pmid,
)
from refkit.enrich.pubmed_mapping import citation_from_pubmed, retraction_of
from refkit.model import SOURCE_PUBMED, Citation
from refkit.plugins import Enrichment, EnrichOptions

FOUND, NOT_THIS_WORK = "found", "not_this_work"
PREFIX = "pubmed_"
COUNTS = tuple(
    PREFIX + key
    for key in (
        "looked_up",
        "found",
        "not_found",
        "not_this_work",
        "failed",
        "offline",
        "retracted",
        "cache_hits",
        "requests_sent",
        "retries",
        "http_429",
        "citmatch_asked",
        "citmatch_matched",
        "citmatch_rejected",
    )
)


def is_cited_work(parsed: Citation, record: Citation) -> bool:
    """Whether ``record`` is the work ``parsed`` cites: the one judge of "same work?"."""
    return best_match(parsed, [record]).accepted


def disagrees(parsed: Citation, record: Citation) -> bool:
    """Whether the reference string says something that does not fit PubMed's record: a title
    unlike any of the record's, or a first author the record does not list. A cut-off string
    (names only) or a PMID alone has nothing to disagree with."""
    ours, theirs = titles(parsed), titles(record)
    if ours and theirs:
        similarity = max(fuzz.partial_ratio(a, b) / 100 for a in ours for b in theirs)
        if similarity < TITLE_WARNING:
            return True
    if parsed.author and record.author:
        first = name_key(parsed.author[0])
        listed = {name_key(name) for name in record.author}
        if first and first not in listed and not any(first in name for name in listed):
            return True
    return False


def _pmid(citation: Citation) -> str:
    return normalize_pmid(citation.pmid) if citation.pmid else ""


def where(citation: Citation) -> str:
    return citation.provenance[0].where() if citation.provenance else citation.raw[:60]


class PubmedEnricher:
    name = "pubmed"
    order = 10  # before Crossref: PubMed's DOI is what Crossref is then asked with

    def enrich(self, citations: Sequence[Citation], options: EnrichOptions) -> Enrichment:
        settings = Settings.from_env(mailto=options.mailto, cache_dir=options.cache_dir)
        pmids = [_pmid(citation) for citation in citations]
        first: dict[str, Citation] = {}
        for citation, pmid in zip(citations, pmids, strict=True):
            if pmid:
                first.setdefault(pmid, citation)
        result = Enrichment(list(citations), counts=dict.fromkeys(COUNTS, 0))
        lines = {str(i): line for i, line in enumerate(map(citmatch_line, citations)) if line}
        if not first and not lines:
            return result
        with Client(settings) as client:
            answers = client.fetch(list(first))
            matched = {int(key): pmid for key, pmid in client.citmatch(lines).items() if pmid}
            answers.update(client.fetch([p for p in matched.values() if p not in answers]))
            costs = client.counts()
            down = client.breaker.reason
        records = {
            pmid: citation_from_pubmed(answer.article)
            for pmid, answer in answers.items()
            if answer.status == OK and answer.article is not None
        }
        verdicts = {pmid: _verdict(first[pmid], answers[pmid], records.get(pmid)) for pmid in first}
        result.citations = [
            citation if not pmid else _completed(citation, pmid, verdicts[pmid], records)
            for citation, pmid in zip(citations, pmids, strict=True)
        ]
        _count(result, first, verdicts, records)
        _matched(result, lines, matched, records)
        for key in ("cache_hits", "requests_sent", "retries", "http_429"):
            result.counts[PREFIX + key] = costs.get(key, 0)
        if down:
            skipped = result.counts[PREFIX + "offline"]
            result.warnings.insert(
                0,
                f"PubMed is out of reach ({down}); went on offline: {skipped} PMIDs not looked "
                "up, their citations kept as parsed",
            )
        return result


def citmatch_line(citation: Citation) -> str:
    """``journal|year|volume|first page|author|`` for NCBI's citation matcher, for a reference
    with neither PMID nor DOI that names all of them (NLM style); "" for any other."""
    if citation.pmid or citation.doi or citation.type == "report":
        return ""
    page = first_page(citation.page)
    year = str(citation.issued.year) if citation.issued else ""
    person = next((name for name in citation.author if name.family), None)
    parts = [citation.container_title, year, citation.volume, page]
    if not all(part.strip() for part in parts) or person is None:
        return ""
    initials = "".join(word[0] for word in person.given.replace(".", " ").split())
    parts.append(f"{person.particle} {person.family} {initials}".strip())
    return "".join(" ".join(part.replace("|", " ").split()) + "|" for part in parts)


def _matched(
    result: Enrichment, lines: dict[str, str], matched: dict[int, str], records: dict[str, Citation]
) -> None:
    """Complete the references the citation matcher found, where the judge agrees."""
    result.counts[PREFIX + "citmatch_asked"] = len(lines)
    for index, pmid in matched.items():
        parsed, record = result.citations[index], records.get(pmid)
        if record is None or not is_cited_work(parsed, record):
            result.counts[PREFIX + "citmatch_rejected"] += 1
            continue
        result.counts[PREFIX + "citmatch_matched"] += 1
        notice = retraction_of(record)
        if notice:
            result.counts[PREFIX + "retracted"] += 1
            result.retracted.append(f"{where(parsed)}: PMID {pmid} {record.title!r}: {notice}")
        label = f"PubMed record PMID {pmid}, found by NCBI's citation matcher"
        result.citations[index] = merge_registered(
            parsed, record, source=SOURCE_PUBMED, label=label
        )


def _verdict(parsed: Citation, answer: Answer, record: Citation | None) -> tuple[str, str]:
    """(status, detail) of one PMID: FOUND, NOT_THIS_WORK, NOT_FOUND, FAILED or OFFLINE."""
    if answer.status == OK and record is not None:
        if disagrees(parsed, record) and not is_cited_work(parsed, record):
            return NOT_THIS_WORK, record.title
        return FOUND, ""
    if answer.status == OK:
        return FAILED, "an answer without the article"
    return answer.status, answer.detail


def _count(
    result: Enrichment,
    first: dict[str, Citation],
    verdicts: dict[str, tuple[str, str]],
    records: dict[str, Citation],
) -> None:
    for pmid, citation in first.items():  # in the order the citations came
        status, _ = verdicts[pmid]
        result.counts[PREFIX + status] += 1
        result.counts[PREFIX + "looked_up"] += status != OFFLINE
        place = where(citation)
        if status in (FAILED, NOT_FOUND, NOT_THIS_WORK):
            result.warnings.append(f"{place}: {_warning(pmid, verdicts[pmid])}")
        record = records.get(pmid)
        notice = retraction_of(record) if record is not None and status == FOUND else ""
        if record is not None and notice:
            result.counts[PREFIX + "retracted"] += 1
            result.retracted.append(f"{place}: PMID {pmid} {record.title!r}: {notice}")


def _completed(
    citation: Citation, pmid: str, verdict: tuple[str, str], records: dict[str, Citation]
) -> Citation:
    status, _ = verdict
    if status == OFFLINE:
        return citation
    if status == FOUND:
        label = f"PubMed record PMID {pmid}"
        return merge_registered(citation, records[pmid], source=SOURCE_PUBMED, label=label)
    return replace(citation, warnings=(*citation.warnings, _warning(pmid, verdict)))


def _warning(pmid: str, verdict: tuple[str, str]) -> str:
    status, detail = verdict
    if status == NOT_FOUND:
        return f"PMID {pmid} is not in PubMed (mistyped, or withdrawn); kept as parsed"
    if status == NOT_THIS_WORK:
        return (
            f"PMID {pmid} is {detail[:80]!r} in PubMed, which does not look like this reference; "
            "kept as parsed"
        )
    return f"PubMed look-up of PMID {pmid} failed ({detail}); kept as parsed"
