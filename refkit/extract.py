"""The extract stage: a trial Record becomes its own citation plus the references it cites."""

from __future__ import annotations

import re
from dataclasses import replace

from refkit.model import SOURCE_RECORD, Citation, Name, Provenance, RawReference, Record

TRIAL_INSTITUTION = "ClinicalTrials.gov"
TRIAL_GENRE = "Clinical trial registration"
# Degrees and titles registries append to investigators' names ("Neil H White, M.D.").
_DEGREES = re.compile(
    r",?\s*\b(?:M\.?D|Ph\.?D|M\.?P\.?H|M\.?Sc?|B\.?Sc?|R\.?N|Pharm\.?D|D\.?O|MBBS|FRCP\w*|"
    r"Prof|Dr|MD|PhD|MPH|MSc|MS|RN)\b\.?",
    re.IGNORECASE,
)


def person_name(text: str) -> Name:
    """``Neil H White, M.D.`` → Name(family="White", given="Neil H"); one word stays literal."""
    words = _DEGREES.sub("", text).replace(",", " ").split()
    if len(words) < 2:
        return Name(literal=text.strip())
    return Name(family=words[-1], given=" ".join(words[:-1]))


def trial_url(nct_id: str) -> str:
    return f"https://clinicaltrials.gov/study/{nct_id}"


def trial_citation(record: Record) -> Citation:
    """The trial as a citable report, shaped like Zotero's own ClinicalTrials.gov importer."""
    creators = [Name(literal=name) for name in (record.lead_sponsor, *record.collaborators) if name]
    if record.investigator:
        creators.insert(0, person_name(record.investigator))
    title = record.official_title or record.brief_title
    short = record.brief_title if record.brief_title != title else ""
    citation = Citation(
        type="report",
        id=record.nct_id,
        title=title,
        title_short=short,
        author=tuple(creators),
        issued=record.last_updated or record.first_posted,
        submitted=record.first_submitted,
        publisher=TRIAL_INSTITUTION,
        genre=TRIAL_GENRE,
        number=record.nct_id,
        url=trial_url(record.nct_id),
        abstract=record.summary,
        provenance=(Provenance(path=record.path, record=record.nct_id),),
    )
    return citation.with_sources(SOURCE_RECORD)


def references(record: Record) -> tuple[RawReference, ...]:
    """Every reference the record gives, in its order; one without text is kept too, so that
    the build names and counts it instead of losing it."""
    return record.references


PMID_ONLY = "PMID only (no usable citation text): the rest comes from PubMed when online"


def pmid_only(raw: RawReference, text: str) -> Citation:
    """A reference whose record gives a PMID and no usable text: the PMID names the work, so
    it is kept (with ``text``, whatever text it has) for PubMed to complete."""
    return Citation(
        type="document",
        pmid=raw.pmid.strip(),
        raw=text,
        provenance=(raw.provenance,),
        sources=(("pmid", SOURCE_RECORD),),
        warnings=(PMID_ONLY,),
        confidence=0.5,
    )


def with_retractions(citation: Citation, raw: RawReference) -> tuple[Citation, list[str]]:
    """The citation marked with the retraction notices its record lists, and one report line
    per notice (``Retracted: PMID 32861403 (Br J Anaesth. 2020 ...)`` goes to Zotero's Extra)."""
    if not raw.retractions:
        return citation, []
    notices = [
        f"PMID {r.pmid} ({r.source})" if r.source else f"PMID {r.pmid}" for r in raw.retractions
    ]
    extra = citation.extra + tuple(("Retracted", notice) for notice in notices)
    work = citation.title or raw.text[:80]
    lines = [f"{raw.provenance.where()}: {work} — retraction notice {n}" for n in notices]
    return replace(citation, extra=extra), lines
