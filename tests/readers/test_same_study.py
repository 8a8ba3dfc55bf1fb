"""One study read from every format gives the same references and the same trial entry."""

from __future__ import annotations

from pathlib import Path

from helpers import DATA

from refkit.extract import trial_citation
from refkit.model import Record
from refkit.readers import read_records

SAME = DATA / "readers" / "same-study"  # NCT03630471 in four formats (see its README)


def records(*paths: Path) -> dict[str, Record]:
    found = [r for r in read_records(paths) if isinstance(r, Record)]
    by_format = {r.format: r for r in found}
    assert len(by_format) == len(found)
    return by_format


def references(record: Record) -> list[tuple[str, str]]:
    return [(r.text, r.pmid) for r in record.references]


def stated_types(record: Record) -> list[str]:
    return [r.provenance.ref_type for r in record.references]


def test_four_formats_give_the_same_references() -> None:
    by_format = records(SAME)
    assert set(by_format) == {"ctgov-json", "ctgov-classic", "ctgov-xml", "ctgov-text"}
    v2 = by_format["ctgov-json"]
    assert len(v2.references) == 12
    for record in by_format.values():
        assert record.nct_id == "NCT03630471"
        assert [t for t, _ in references(record)] == [t for t, _ in references(v2)]
    for fmt in ("ctgov-classic", "ctgov-xml"):
        assert references(by_format[fmt]) == references(v2)
    assert stated_types(by_format["ctgov-classic"]) == stated_types(v2)
    # Legacy XML writes BACKGROUND and DERIVED alike as <reference>: no type stated.
    assert set(stated_types(by_format["ctgov-xml"])) == {""}


def test_four_formats_give_the_same_trial_entry() -> None:
    by_format = records(SAME)
    entries = {fmt: trial_citation(record) for fmt, record in by_format.items()}
    v2 = entries["ctgov-json"]
    assert v2.title.startswith("The Effectiveness of a Low-intensity") and v2.title_short
    assert [a.literal for a in v2.author] == [
        "Sangath",
        "Harvard Medical School (HMS and HSDM)",
        "London School of Hygiene and Tropical Medicine",
    ]
    fields = ("title", "title_short", "author", "issued", "submitted", "number", "url", "abstract")
    for fmt in ("ctgov-classic", "ctgov-xml"):
        for name in fields:
            assert getattr(entries[fmt], name) == getattr(v2, name), (fmt, name)
    text = entries["ctgov-text"]  # the text rendering has less: what it has agrees
    assert (text.title, text.number, text.url, text.issued, text.abstract) == (
        by_format["ctgov-text"].brief_title,
        v2.number,
        v2.url,
        v2.issued,
        v2.abstract,
    )


def test_a_shared_study_in_classic_json_and_xml(shared: Path) -> None:
    folder = shared / "records"
    by_format = records(
        folder / "ctgov-v1" / "NCT00023673.json", folder / "ctgov-xml" / "NCT00023673.xml"
    )
    classic, xml = by_format["ctgov-classic"], by_format["ctgov-xml"]
    assert len(classic.references) == 3
    assert references(classic) == references(xml)
    assert stated_types(classic) == stated_types(xml) == ["RESULT"] * 3
    fields = ("title", "title_short", "author", "issued", "submitted", "number", "url", "abstract")
    classic_entry, xml_entry = trial_citation(classic), trial_citation(xml)
    for name in fields:
        assert getattr(classic_entry, name) == getattr(xml_entry, name), name
