"""The extract stage: a trial Record becomes its own citation plus the references it cites."""

from __future__ import annotations

from refkit.model import SOURCE_RECORD, Citation, Name, Provenance, RawReference, Record

TRIAL_INSTITUTION = "ClinicalTrials.gov"
TRIAL_GENRE = "Clinical trial registration"


def trial_url(nct_id: str) -> str:
    return f"https://clinicaltrials.gov/study/{nct_id}"


def trial_citation(record: Record) -> Citation:
    """The trial as a citable report, shaped like Zotero's own ClinicalTrials.gov importer."""
    creators = [Name(literal=name) for name in (record.lead_sponsor, *record.collaborators) if name]
    if record.investigator:
        creators.insert(0, Name(literal=record.investigator))
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
    """The record's references that hold any text."""
    return tuple(ref for ref in record.references if ref.text.strip())
