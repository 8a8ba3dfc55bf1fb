from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import EXAMPLES

from refkit.errors import ReadError
from refkit.model import Date, Link, Record
from refkit.readers import Skipped, read_records
from refkit.readers.csl_json import CslJsonLibraryReader
from refkit.readers.ctgov_classic import CtgovClassicReader
from refkit.readers.ctgov_json import CtgovJsonReader

STUDY_PATH = EXAMPLES / "NCT01949129.json"  # a real study with 4 DERIVED references


def study() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(STUDY_PATH.read_text(encoding="utf-8"))
    return data


def renumbered(nct: str) -> dict[str, Any]:
    copy = study()
    copy["protocolSection"]["identificationModule"]["nctId"] = nct
    return copy


def read(path: Path) -> list[Record | ReadError | Skipped]:
    return list(read_records([path]))


def only_record(path: Path) -> Record:
    (item,) = read(path)
    assert isinstance(item, Record), item
    return item


def only_error(path: Path) -> str:
    items = read(path)
    errors = [i for i in items if isinstance(i, ReadError)]
    assert len(errors) == 1, items
    return errors[0].one_line()


def test_a_real_study_gives_every_field() -> None:
    record = only_record(STUDY_PATH)
    assert record.nct_id == "NCT01949129" and record.format == "ctgov-json"
    assert record.brief_title.startswith("Allogeneic Stem Cell Transplantation for Children")
    assert record.status == "RECRUITING"
    assert record.lead_sponsor == "St. Anna Kinderkrebsforschung"
    assert record.collaborators[3] == "Assistance Publique - Hôpitaux de Paris"
    assert len(record.collaborators) == 7
    assert record.investigator == "Prof. Christina Peters"
    assert record.first_submitted == Date(2013, 9, 9)
    assert record.first_posted == Date(2013, 9, 24)
    assert record.last_updated == Date(2020, 9, 29)
    assert record.last_posted == Date(2020, 10, 1)
    assert record.conditions == ("Acute Lymphoblastic Leukaemia",)
    assert record.other_ids == ("ALL SCTped FORUM 2012",)
    assert record.links[0] == Link(
        "St. Anna Kinderkrebsforschung", "https://kinderkrebsforschung.at/"
    )
    refs = record.references
    assert [r.pmid for r in refs] == ["33974585", "33332189", "33242441", "29189665"]
    assert {r.provenance.ref_type for r in refs} == {"DERIVED"}
    assert refs[1].provenance.where() == f"{STUDY_PATH}:references 2"
    assert refs[1].provenance.record == "NCT01949129"
    assert not record.warnings


@pytest.mark.parametrize("suffix", [".json", ".txt", ""])
def test_page_array_and_lines_yield_each_study(tmp_path: Path, suffix: str) -> None:
    studies = [renumbered(f"NCT0000000{i}") for i in (1, 2, 3)]
    shapes = {
        "page": json.dumps({"studies": studies, "nextPageToken": "abc"}),
        "array": json.dumps(studies, indent=2),
        "lines": "\n".join(json.dumps(s) for s in studies) + "\n",
        "page-token-first": json.dumps({"totalCount": 3, "studies": studies}),
    }
    for name, text in shapes.items():
        path = tmp_path / f"{name}{suffix}"
        path.write_text(text, encoding="utf-8")
        items = read(path)
        assert [i.nct_id for i in items if isinstance(i, Record)] == [
            "NCT00000001",
            "NCT00000002",
            "NCT00000003",
        ], name
        second = items[1]
        assert isinstance(second, Record)
        assert second.path == f"{path}:study 2"
        assert second.references[0].provenance.where() == f"{path}:study 2:references 1"


def test_an_array_streams_one_study_at_a_time(tmp_path: Path) -> None:
    """After the first study, only a small part of a 200-study download has been read."""
    path = tmp_path / "ctg-studies.json"
    path.write_text(json.dumps([renumbered(f"NCT{i:08d}") for i in range(1, 201)]), "utf-8")
    opened: list[io.TextIOWrapper] = []
    original = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        stream = original(self, *args, **kwargs)
        opened.append(stream)
        return stream

    stream = CtgovJsonReader().read(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "open", spy)
        first = next(stream)
    assert isinstance(first, Record) and first.nct_id == "NCT00000001"
    position = opened[-1].tell()
    assert 0 < position < path.stat().st_size / 20
    assert sum(isinstance(r, Record) for r in stream) == 199


def test_sniffing_is_by_content(tmp_path: Path) -> None:
    reader = CtgovJsonReader()
    head = STUDY_PATH.read_bytes()[:8192]
    assert reader.sniff(head, tmp_path / "study.dat")
    csl = b'[{"id": "a", "type": "article-journal", "title": "T"}]'
    assert not reader.sniff(csl, tmp_path / "library.json")
    assert CslJsonLibraryReader().sniff(csl, tmp_path / "library.json")
    assert not CslJsonLibraryReader().sniff(head, tmp_path / "study.json")
    classic = b'{"FullStudiesResponse": {"FullStudies": []}}'
    assert not reader.sniff(classic, tmp_path / "a.json")
    assert CtgovClassicReader().sniff(classic, tmp_path / "a.json")
    assert reader.sniff(b'{"message": "not found"}', tmp_path / "a.json")
    assert not reader.sniff(b'{"message": "not found"}', tmp_path / "a.txt")


def test_markdown_escapes_are_undone(tmp_path: Path) -> None:
    data = renumbered("NCT00000001")
    data["protocolSection"]["identificationModule"]["briefTitle"] = (
        r"Dose \<2 mg/kg and 10\^6 cells"
    )
    refs = data["protocolSection"]["referencesModule"]["references"]
    refs[0]["citation"] = r"Smith J. CD34\+ cells \<5%. Blood. 2001;1:1-2."
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    record = only_record(path)
    assert record.brief_title == "Dose <2 mg/kg and 10^6 cells"
    assert record.references[0].text == "Smith J. CD34+ cells <5%. Blood. 2001;1:1-2."


@pytest.mark.parametrize(
    ("encoding", "warned"),
    [("utf-8", False), ("utf-8-sig", False), ("utf-16", False), ("utf-16-le", True)],
)
def test_encodings(tmp_path: Path, encoding: str, warned: bool) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(STUDY_PATH.read_text(encoding="utf-8").encode(encoding))
    record = only_record(path)
    assert record.collaborators[3] == "Assistance Publique - Hôpitaux de Paris"
    assert bool(record.warnings) == warned
    if warned:
        assert "UTF-16 without a byte-order mark" in record.warnings[0]


def test_windows_1252_and_crlf(tmp_path: Path) -> None:
    text = STUDY_PATH.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "a.json"
    path.write_bytes(text.encode("cp1252", errors="replace"))
    record = only_record(path)
    assert record.collaborators[3] == "Assistance Publique - Hôpitaux de Paris"
    assert record.warnings == (
        f"{path}: not valid UTF-8 (from byte {first_non_utf8(path.read_bytes())}): "
        "read as Windows-1252, check accented letters",
    )


BAD = {
    "truncated": (
        lambda text: text[: len(text) // 2],
        "truncated JSON: the file ends inside a value (line ",
    ),
    "invalid": (
        lambda text: text.replace('"protocolSection": {', '"protocolSection": {,', 1),
        "not valid JSON (Expecting property name enclosed in double quotes at line 2 column 23)",
    ),
    "not a study": (
        lambda _: '{"message": "Study not found"}',
        "JSON but not a ClinicalTrials.gov study (no protocolSection; found message)",
    ),
    "empty page": (lambda _: '{"studies": []}', "holds no studies"),
    "wrong type": (lambda _: '{"protocolSection": [1, 2]}', "protocolSection is a list"),
    "studies not a list": (lambda _: '{"studies": {"a": 1}}', "'studies' is an object, not a list"),
    "deep": (lambda _: '{"protocolSection": ' + "[" * 100_000, "nested too deeply"),
    "bad id": (
        lambda text: text.replace('"NCT01949129"', '"12345"'),
        "'12345' is not an NCT number (NCT + 8 digits)",
    ),
    "no id, no references": (
        lambda _: '{"protocolSection": {"identificationModule": {}}}',
        "no NCT id and no references: not a trial record",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_one_named_line(tmp_path: Path, case: str) -> None:
    change, message = BAD[case]
    path = tmp_path / "bad.json"
    path.write_text(change(STUDY_PATH.read_text(encoding="utf-8")), encoding="utf-8")
    line = only_error(path)
    assert line.startswith(f"{path}")
    assert message in line
    assert "\n" not in line


def test_one_bad_study_in_an_array_does_not_stop_the_others(tmp_path: Path) -> None:
    path = tmp_path / "ctg-studies.json"
    path.write_text(json.dumps([renumbered("NCT00000001"), [1], renumbered("NCT00000003")]))
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Record", "ReadError", "Record"]
    assert str(items[1]).startswith(f"{path}:study 2: JSON but not a ClinicalTrials.gov study")


def test_wrong_types_inside_a_study_are_left_out_with_a_warning(tmp_path: Path) -> None:
    data = renumbered("NCT00000001")
    protocol = data["protocolSection"]
    protocol["statusModule"] = "COMPLETED"
    protocol["conditionsModule"]["conditions"] = "one condition"
    refs = protocol["referencesModule"]["references"]
    refs[0]["pmid"] = 33974585
    refs[1] = "A bare citation string. J Clin Oncol. 2021;39:295-307."
    refs[2] = 42
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data))
    record = only_record(path)
    assert record.status == "" and record.conditions == ()
    assert [r.text[:8] for r in record.references] == ["Gomez SM", "A bare c", "", "Choong E"]
    assert record.references[0].pmid == "33974585"
    assert any("statusModule is str, not an object" in w for w in record.warnings)
    assert any("references[3] is int, not an object" in w for w in record.warnings)


def test_a_fragment_without_an_id_keeps_its_references_with_a_warning(tmp_path: Path) -> None:
    data = {"protocolSection": {"referencesModule": study()["protocolSection"]["referencesModule"]}}
    path = tmp_path / "fragment.json"
    path.write_text(json.dumps(data))
    record = only_record(path)
    assert record.nct_id == "" and len(record.references) == 4
    assert record.warnings == (
        f"{path}: no NCT id (a fragment, not a full study record): its 4 references kept, "
        "no trial entry made",
    )


def test_loose_nct_ids_are_normalised(tmp_path: Path) -> None:
    data = renumbered("nct1949129")
    data["protocolSection"]["identificationModule"]["nctIdAliases"] = ["NCT01949129", "NCT00000007"]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data))
    record = only_record(path)
    assert record.nct_id == "NCT01949129"
    assert record.aliases == ("NCT00000007",)


def first_non_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    raise AssertionError("the bytes are UTF-8")
