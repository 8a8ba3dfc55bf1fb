from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES

from refkit.errors import ReadError
from refkit.model import Date, Record
from refkit.readers import Skipped, read_records
from refkit.readers.ctgov_xml import CtgovXmlReader

XML_PATH = EXAMPLES / "NCT00277524.xml"  # a real 2013 record: 5 <reference>, 4 with a PMID
RECORD = """<?xml version="1.0" encoding="{encoding}"?>
<clinical_study>
  <id_info><org_study_id>ABC-1</org_study_id><secondary_id>NCT00000009</secondary_id>
    <nct_id>NCT00000001</nct_id><nct_alias>NCT00000002</nct_alias></id_info>
  <brief_title>Caf\u00e9 study</brief_title>
  <official_title>The Caf\u00e9
     study, in full</official_title>
  <sponsors><lead_sponsor><agency>Acme</agency></lead_sponsor>
    <collaborator><agency>NIH</agency></collaborator></sponsors>
  <brief_summary><textblock>
      First paragraph
      goes on.

      Second.
  </textblock></brief_summary>
  <overall_status>Active, not recruiting</overall_status>
  <condition>Flu</condition>
  <reference><citation>Smith J. A title. J Clin Oncol. 2001;1:1-2.</citation>
    <PMID>11111111</PMID></reference>
  <results_reference><citation>Doe J. Results. Lancet. 2005;2:3-4.</citation></results_reference>
  <link><url>https://example.org</url><description>Site</description></link>
  <firstreceived_date>May 2015</firstreceived_date>
  <lastchanged_date>July 2, 2017</lastchanged_date>
  <responsible_party><responsible_party_type>Sponsor-Investigator</responsible_party_type>
    <investigator_full_name>Jane Doe, MD</investigator_full_name></responsible_party>
</clinical_study>
"""


def write(tmp_path: Path, text: str, encoding: str = "UTF-8", name: str = "a.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.format(encoding=encoding).encode(encoding))
    return path


def only(path: Path) -> Record | ReadError | Skipped:
    (item,) = read_records([path])
    return item


def test_a_real_record() -> None:
    record = only(XML_PATH)
    assert isinstance(record, Record) and record.format == "ctgov-xml"
    assert record.nct_id == "NCT00277524"
    assert record.status == "TERMINATED"
    assert record.lead_sponsor == "Medtronic Cardiac Rhythm and Heart Failure"
    assert record.collaborators == ("Medtronic",)
    assert record.first_submitted == Date(2006, 1, 12)
    assert record.first_posted == Date(2006, 1, 16)
    assert record.last_updated == Date(2013, 5, 21)
    assert record.last_posted == Date(2013, 8, 28)
    assert record.investigator == ""
    refs = record.references
    assert [r.pmid for r in refs] == ["15492306", "10952831", "12950512", "15659722", ""]
    assert [r.provenance.where() for r in refs][-1] == f"{XML_PATH}:reference 5"
    assert {r.provenance.ref_type for r in refs} == {""}  # XML does not say BACKGROUND/DERIVED


@pytest.mark.parametrize("encoding", ["UTF-8", "ISO-8859-1", "UTF-16"])
def test_every_field_in_declared_encodings(tmp_path: Path, encoding: str) -> None:
    record = only(write(tmp_path, RECORD, encoding))
    assert isinstance(record, Record), record
    assert (record.nct_id, record.aliases, record.related_nct_ids) == (
        "NCT00000001",
        ("NCT00000002",),
        ("NCT00000009",),
    )
    assert record.other_ids == ("ABC-1",)
    assert record.brief_title == "Café study"
    assert record.official_title == "The Café study, in full"
    assert record.summary == "First paragraph goes on.\n\nSecond."
    assert record.status == "ACTIVE_NOT_RECRUITING"
    assert record.investigator == "Jane Doe, MD"
    assert (record.first_submitted, record.last_updated) == (Date(2015, 5), Date(2017, 7, 2))
    assert [(r.pmid, r.provenance.section, r.provenance.ref_type) for r in record.references] == [
        ("11111111", "reference", ""),
        ("", "results_reference", "RESULT"),
    ]
    assert record.links[0].url == "https://example.org"
    assert not record.warnings


def test_undeclared_windows_1252_is_read_with_a_warning(tmp_path: Path) -> None:
    text = RECORD.replace('<?xml version="1.0" encoding="{encoding}"?>\n', "")
    path = tmp_path / "a.xml"
    path.write_bytes(text.encode("cp1252"))
    record = only(path)
    assert isinstance(record, Record)
    assert record.brief_title == "Café study"
    assert record.warnings == (
        f"{path}: not valid UTF-8 (from byte {first_non_utf8(path.read_bytes())}): "
        "read as Windows-1252, check accented letters",
    )


BAD = {
    "truncated": (RECORD[: len(RECORD) // 2], "truncated XML: the file ends inside an element"),
    "not well-formed": (
        RECORD.replace("<condition>Flu</condition>", "<condition>Flu</conditon>"),
        "not well-formed XML (mismatched tag at line 17 column 19)",
    ),
    "entity bomb": (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        "<clinical_study>&lol2;</clinical_study>",
        "XML declares entities (EntitiesForbidden), refused for safety",
    ),
    "external entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<clinical_study>&x;</clinical_study>",
        "XML declares entities (EntitiesForbidden), refused for safety",
    ),
    "other xml": ("<?xml version='1.0'?><rss><channel/></rss>", "XML with root <rss>, not a"),
    "no id": (
        "<clinical_study><brief_title>T</brief_title></clinical_study>",
        "no NCT id and no references: not a trial record",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_xml_is_one_named_line(tmp_path: Path, case: str) -> None:
    text, message = BAD[case]
    path = tmp_path / "bad.xml"
    path.write_text(text.format(encoding="UTF-8"), encoding="utf-8")
    error = only(path)
    assert isinstance(error, ReadError), error
    assert error.one_line().startswith(f"{path}: ")
    assert message in error.one_line()


def test_sniffing(tmp_path: Path) -> None:
    reader = CtgovXmlReader()
    head = XML_PATH.read_bytes()[:8192]
    assert reader.sniff(head, tmp_path / "record.dat")
    assert reader.sniff(b"<?xml version='1.0'?><other/>", tmp_path / "a.xml")
    assert not reader.sniff(b"<?xml version='1.0'?><other/>", tmp_path / "a.txt")
    assert not reader.sniff(b"Notes about <clinical_study> files\n", tmp_path / "notes.md")


def test_a_wrapper_of_several_studies(tmp_path: Path) -> None:
    one = RECORD.split("\n", 1)[1]
    text = f"<search_results>{one}{one.replace('NCT00000001', 'NCT00000003')}</search_results>"
    path = tmp_path / "all.xml"
    path.write_text(text, encoding="utf-8")
    items = list(read_records([path]))
    assert [i.nct_id for i in items if isinstance(i, Record)] == ["NCT00000001", "NCT00000003"]
    assert isinstance(items[1], Record) and items[1].path == f"{path}:study 2"


def first_non_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    raise AssertionError("the bytes are UTF-8")


@pytest.mark.parametrize("declared", ["U-F-8", "UTF-32", "no-such-encoding"])
def test_an_encoding_declaration_that_cannot_be_used_leaves_the_bytes_to_decide(
    tmp_path: Path, declared: str
) -> None:
    path = tmp_path / "a.xml"
    path.write_bytes(RECORD.format(encoding=declared).encode("utf-8"))
    record = only(path)
    assert isinstance(record, Record)
    assert record.brief_title == "Café study"
    assert any("declared encoding cannot be used" in w for w in record.warnings)
