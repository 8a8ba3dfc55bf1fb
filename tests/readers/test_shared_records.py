"""Every file of ``../shared/records``: refkit extracts as many references as the source holds,
with the same PMIDs and types, in the same order.

The expected values are counted here straight from the raw files (stdlib json / ElementTree and
the text layout FORMATS.md describes), without any of refkit's reader code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree  # the shared records are trusted test data

import pytest
from helpers import SHARED

from refkit.errors import ReadError
from refkit.model import RawReference, Record
from refkit.readers import Skipped, read_records

RECORDS = SHARED / "records"
FILES = sorted(p for p in RECORDS.rglob("*") if p.suffix in (".json", ".xml", ".txt"))
# In the text rendering the References section ends where the next section starts.
TEXT_HEADERS = ("Other Identifiers", "Links", "Publications", "More Related Trials")

# (pmid, type) per reference, in source order; "" where the source states none.
Expected = list[tuple[str, str]]


def expected_json(data: Any) -> Expected:
    if isinstance(data, list):
        return [ref for study in data for ref in expected_json(study)]
    if "FullStudiesResponse" in data:
        studies = [s["Study"] for s in data["FullStudiesResponse"]["FullStudies"]]
        refs = [
            r
            for s in studies
            for r in s["ProtocolSection"]
            .get("ReferencesModule", {})
            .get("ReferenceList", {})
            .get("Reference", [])
        ]
        return [(r.get("ReferencePMID", ""), r["ReferenceType"].upper()) for r in refs]
    if "studies" in data:
        return expected_json(data["studies"])
    module = data["protocolSection"].get("referencesModule", {})
    return [(r.get("pmid", ""), r["type"]) for r in module.get("references", [])]


def expected_xml(path: Path) -> Expected:
    root = ElementTree.parse(path).getroot()
    kinds = {"reference": "", "results_reference": "RESULT"}
    return [
        (child.findtext("PMID", default="").strip(), kinds[child.tag])
        for child in root
        if child.tag in kinds
    ]


def expected_text(path: Path) -> Expected:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    start = lines.index("References") + 2  # the header, then its one-line blurb
    found: Expected = []
    for line in lines[start:]:
        if line in TEXT_HEADERS:
            break
        if line:
            found.append(("", ""))
    return found


def expected(path: Path) -> Expected:
    if path.suffix == ".json":
        return expected_json(json.loads(path.read_text(encoding="utf-8")))
    if path.suffix == ".xml":
        return expected_xml(path)
    return expected_text(path)


def extracted(path: Path) -> list[RawReference]:
    items = list(read_records([path]))
    assert not [i for i in items if isinstance(i, ReadError | Skipped)], items
    return [ref for item in items if isinstance(item, Record) for ref in item.references]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_references_and_pmids_equal_the_source(path: Path, shared: Path) -> None:
    refs = extracted(path)
    assert [(r.pmid, r.provenance.ref_type) for r in refs] == expected(path)
    assert all(r.text for r in refs)
    for section in {r.provenance.section for r in refs}:
        positions = [r.provenance.position for r in refs if r.provenance.section == section]
        assert positions == list(range(1, len(positions) + 1))


def test_every_record_file_is_covered(shared: Path) -> None:
    by_folder = {p.parent.name for p in FILES}
    assert by_folder == {"ctgov-v1", "ctgov-v2", "ctgov-xml", "fragments", "text"}
    assert sum(len(expected(p)) for p in FILES) > 100


def test_nct_id_comes_from_the_content_not_the_file_name(shared: Path) -> None:
    (v2,) = read_records([RECORDS / "ctgov-v2" / "NCT02278341.json"])
    (xml,) = read_records([RECORDS / "ctgov-xml" / "NCT00980226.xml"])
    assert isinstance(v2, Record) and isinstance(xml, Record)
    assert v2.nct_id == "NCT02552212"
    assert xml.nct_id == "NCT00081588" and xml.aliases == ("NCT00980226",)
    assert {r.provenance.record for r in v2.references} == {"NCT02552212"}


def test_the_fragment_keeps_its_reference_and_retraction(shared: Path) -> None:
    path = RECORDS / "fragments" / "aact_study_reference_retraction.json"
    (record,) = read_records([path])
    assert isinstance(record, Record)
    assert record.nct_id == ""
    assert len(record.warnings) == 1 and record.warnings[0].startswith(f"{path}: no NCT id")
    (ref,) = record.references
    assert (ref.pmid, ref.provenance.ref_type) == ("33178765", "DERIVED")
    assert [(r.pmid, r.source) for r in ref.retractions] == [
        ("32861403", "Br J Anaesth. 2020 Sep;125(3):412-413")
    ]
