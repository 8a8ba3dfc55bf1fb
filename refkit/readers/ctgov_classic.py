"""The classic ClinicalTrials.gov API's JSON (retired June 2024, still in many archives):
``{"FullStudiesResponse": {"FullStudies": [{"Study": {"ProtocolSection": ...}}]}}``.

A response holds at most 100 studies (the classic API's page limit), so it is read whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from refkit.errors import ReadError
from refkit.model import Link, Record, Retraction
from refkit.readers.ctgov_json import json_error
from refkit.readers.decode import clean_block, clean_text, open_text, sniff_text
from refkit.readers.jsonstream import JsonSyntaxError, values
from refkit.readers.study import Cited, Fields, Study, to_record

_RESPONSE_KEY = re.compile(r'"(?:FullStudiesResponse|StudyFieldsResponse)"\s*:')
SECTION = "ReferenceList"


class CtgovClassicReader:
    """Classic API ``full_studies`` JSON."""

    name = "ctgov-classic"

    def sniff(self, head: bytes, path: Path) -> bool:
        text = sniff_text(head).lstrip()
        return text.startswith("{") and bool(_RESPONSE_KEY.search(text))

    def read(self, path: Path) -> Iterator[Record | ReadError]:
        stream, warning = open_text(path)
        count = 0
        with stream:
            try:
                for _, position, value in values(stream):
                    where = f"{path}:response {position}" if position > 1 else str(path)
                    for item in _studies(value, where):
                        count += 1
                        if warning and isinstance(item, Record):
                            item = replace(item, warnings=(f"{path}: {warning}", *item.warnings))
                        yield item
            except JsonSyntaxError as error:
                raise json_error(error, str(path)) from error
            except UnicodeDecodeError as error:
                raise ReadError(f"cannot decode ({error.reason})", where=str(path)) from error
        if count == 0:
            raise ReadError("holds no studies", where=str(path), hint="download the studies again")


def _studies(value: Any, where: str) -> Iterator[Record | ReadError]:
    f = Fields(where)
    if isinstance(value, dict) and "StudyFieldsResponse" in value:
        yield ReadError(
            "a classic StudyFieldsResponse holds chosen fields only, not full studies",
            where=where,
            hint="download full studies (API v2 JSON) instead",
        )
        return
    response = f.obj(value, "FullStudiesResponse")
    if not response:
        yield ReadError("no FullStudiesResponse object: not a classic API response", where=where)
        return
    studies = f.items(response, "FullStudies")
    for index, item in enumerate(studies, start=1):
        study_where = f"{where}:study {index}" if len(studies) > 1 else where
        study = f.obj(item, "Study")
        try:
            yield classic_record(study, study_where)
        except ReadError as error:
            yield error


def classic_record(study: dict[str, Any], where: str) -> Record:
    """One classic ``Study`` object → Record. Raises ReadError when it is not a study."""
    f = Fields(where)
    protocol = f.obj(study, "ProtocolSection")
    if not protocol:
        raise ReadError("no ProtocolSection: not a study", where=where)
    return to_record(_study(f, protocol), where, f, "ctgov-classic")


def _study(f: Fields, protocol: dict[str, Any]) -> Study:
    """A classic ``ProtocolSection`` in the neutral form."""
    ident = f.obj(protocol, "IdentificationModule")
    status = f.obj(protocol, "StatusModule")
    sponsors = f.obj(protocol, "SponsorCollaboratorsModule")
    party = f.obj(sponsors, "ResponsibleParty")
    refs = f.obj(protocol, "ReferencesModule")
    ids = [f.text(f.obj(ident, "OrgStudyIdInfo"), "OrgStudyId")]
    ids += [
        f.text(info, "SecondaryId")
        for info in f.items(f.obj(ident, "SecondaryIdInfoList"), "SecondaryIdInfo")
    ]
    collaborators = f.items(f.obj(sponsors, "CollaboratorList"), "Collaborator")
    return Study(
        given_id=f.text(ident, "NCTId"),
        brief_title=clean_text(f.text(ident, "BriefTitle")),
        official_title=clean_text(f.text(ident, "OfficialTitle")),
        acronym=clean_text(f.text(ident, "Acronym")),
        summary=clean_block(f.text(f.obj(protocol, "DescriptionModule"), "BriefSummary")),
        status=f.text(status, "OverallStatus"),
        lead_sponsor=clean_text(
            f.text(f.obj(sponsors, "LeadSponsor"), "LeadSponsorName")
            or f.text(f.obj(ident, "Organization"), "OrgFullName")
        ),
        collaborators=tuple(
            n for n in (clean_text(f.text(c, "CollaboratorName")) for c in collaborators) if n
        ),
        party_type=f.text(party, "ResponsiblePartyType"),
        investigator=clean_text(f.text(party, "ResponsiblePartyInvestigatorFullName")),
        first_submitted=f.date(status, "StudyFirstSubmitDate"),
        first_posted=f.date(f.obj(status, "StudyFirstPostDateStruct"), "StudyFirstPostDate"),
        last_updated=f.date(status, "LastUpdateSubmitDate"),
        last_posted=f.date(f.obj(status, "LastUpdatePostDateStruct"), "LastUpdatePostDate"),
        conditions=tuple(
            clean_text(c)
            for c in f.texts(f.obj(protocol, "ConditionsModule", "ConditionList"), "Condition")
        ),
        ids=tuple(ids),
        expanded_access=f.text(f.obj(status, "ExpandedAccessInfo"), "ExpandedAccessNCTId"),
        aliases=f.texts(f.obj(ident, "NCTIdAliasList"), "NCTIdAlias"),
        links=_links(f, refs),
        references=_references(f, refs),
    )


def _links(f: Fields, module: dict[str, Any]) -> tuple[Link, ...]:
    links = [
        Link(clean_text(f.text(item, "SeeAlsoLinkLabel")), f.text(item, "SeeAlsoLinkURL"))
        for item in f.items(f.obj(module, "SeeAlsoLinkList"), "SeeAlsoLink")
    ]
    for item in f.items(f.obj(module, "AvailIPDList"), "AvailIPD"):
        label = " ".join(p for p in (f.text(item, "AvailIPDType"), f.text(item, "AvailIPDId")) if p)
        links.append(Link(clean_text(label), f.text(item, "AvailIPDURL")))
    return tuple(links)


def _references(f: Fields, module: dict[str, Any]) -> tuple[Cited, ...]:
    out = []
    for index, item in enumerate(f.items(f.obj(module, "ReferenceList"), "Reference"), start=1):
        if not isinstance(item, dict):
            f.warnings.append(f"{f.where}: Reference {index} is not an object")
            item = {}
        retractions = tuple(
            Retraction(f.text(r, "RetractionPMID"), clean_text(f.text(r, "RetractionSource")))
            for r in f.items(f.obj(item, "RetractionList"), "Retraction")
        )
        out.append(
            Cited(
                clean_text(f.text(item, "ReferenceCitation")),
                position=index,
                section=SECTION,
                pmid=f.text(item, "ReferencePMID"),
                ref_type=f.text(item, "ReferenceType"),
                retractions=retractions,
            )
        )
    return tuple(out)
