from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from refkit.errors import ReadError
from refkit.model import Date, Record
from refkit.readers import read_records


def classic(*studies: dict[str, Any]) -> dict[str, Any]:
    full = [{"Rank": i, "Study": {"ProtocolSection": s}} for i, s in enumerate(studies, 1)]
    return {"FullStudiesResponse": {"APIVrs": "1.01.05", "FullStudies": full}}


STUDY: dict[str, Any] = {
    "IdentificationModule": {
        "NCTId": "NCT00000001",
        "NCTIdAliasList": {"NCTIdAlias": ["NCT00000002"]},
        "OrgStudyIdInfo": {"OrgStudyId": "X-1"},
        "BriefTitle": "Short",
        "OfficialTitle": "Long",
    },
    "StatusModule": {
        "OverallStatus": "Not yet recruiting",
        "StudyFirstSubmitDate": "September 13, 2001",
        "StudyFirstPostDateStruct": {"StudyFirstPostDate": "April 9, 2003"},
        "LastUpdateSubmitDate": "November 2017",
    },
    "SponsorCollaboratorsModule": {
        "ResponsibleParty": {
            "ResponsiblePartyType": "Principal Investigator",
            "ResponsiblePartyInvestigatorFullName": "Chen Xiaoping",
        },
        "LeadSponsor": {"LeadSponsorName": "Tongji Hospital"},
    },
    "ReferencesModule": {
        "ReferenceList": {
            "Reference": [
                {
                    "ReferencePMID": "33178765",
                    "ReferenceType": "derived",
                    "ReferenceCitation": "Zhao S. A title. Br J Anaesth. 2020;1:1-2.",
                    "RetractionList": {
                        "Retraction": [{"RetractionPMID": "32861403", "RetractionSource": "BJA"}]
                    },
                },
                {"ReferenceType": "background", "ReferenceCitation": "Doe J. T. Lancet. 2001."},
            ]
        },
        "SeeAlsoLinkList": {"SeeAlsoLink": [{"SeeAlsoLinkLabel": "L", "SeeAlsoLinkURL": "u"}]},
    },
}


def test_every_field(tmp_path: Path) -> None:
    path = tmp_path / "classic.json"
    path.write_text(json.dumps(classic(STUDY)))
    (record,) = read_records([path])
    assert isinstance(record, Record) and record.format == "ctgov-classic"
    assert (record.nct_id, record.aliases, record.other_ids) == (
        "NCT00000001",
        ("NCT00000002",),
        ("X-1",),
    )
    assert record.status == "NOT_YET_RECRUITING"
    assert record.investigator == "Chen Xiaoping" and record.lead_sponsor == "Tongji Hospital"
    assert record.first_submitted == Date(2001, 9, 13)
    assert record.first_posted == Date(2003, 4, 9)
    assert record.last_updated == Date(2017, 11)
    first, second = record.references
    assert (first.pmid, first.provenance.ref_type, second.provenance.ref_type) == (
        "33178765",
        "DERIVED",
        "BACKGROUND",
    )
    assert [(r.pmid, r.source) for r in first.retractions] == [("32861403", "BJA")]
    assert record.links[0].url == "u"
    assert record.path == str(path)


def test_several_studies_are_named_by_position(tmp_path: Path) -> None:
    broken = {"IdentificationModule": {"NCTId": "junk"}}
    path = tmp_path / "classic.json"
    path.write_text(json.dumps(classic(STUDY, broken)))
    first, second = read_records([path])
    assert isinstance(first, Record) and first.path == f"{path}:study 1"
    assert isinstance(second, ReadError)
    assert second.one_line().startswith(f"{path}:study 2: 'junk' is not an NCT number")


def test_study_fields_response_is_named(tmp_path: Path) -> None:
    path = tmp_path / "fields.json"
    path.write_text(json.dumps({"StudyFieldsResponse": {"StudyFields": []}}))
    (error,) = read_records([path])
    assert isinstance(error, ReadError)
    assert "holds chosen fields only, not full studies" in error.one_line()
