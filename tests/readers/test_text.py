from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SEED

from refkit.errors import ReadError
from refkit.model import Date, Record
from refkit.readers import Skipped, read_records
from refkit.readers.text import TextReader, parse_text_record


def read_seed() -> Record:
    records = list(TextReader().read(SEED))
    assert len(records) == 1
    record = records[0]
    assert isinstance(record, Record)
    return record


def test_seed_record_fields() -> None:
    record = read_seed()
    assert record.nct_id == "NCT00962923"
    assert record.brief_title.startswith("Allogeneic Mesenchymal Stem Cells Transplantation")
    assert record.last_updated == Date(2009, 8, 20)
    assert record.lead_sponsor.startswith("The Affiliated Nanjing Drum Tower Hospital")
    assert record.status == "UNKNOWN"
    assert record.other_ids == ("NJGLYY003",)
    assert record.related_nct_ids[:2] == ("NCT02213705", "NCT01051882")


def test_seed_references_one_per_line_with_position() -> None:
    refs = read_seed().references
    assert len(refs) == 7
    assert refs[0].text.startswith("Sun L, Akiyama K")
    assert refs[-1].text.endswith("Epub 2012 Apr 26.")
    assert [r.provenance.position for r in refs] == list(range(1, 8))
    assert refs[2].provenance.where().endswith("NCT00962923.txt:References 3")


def test_sniff_by_content_not_suffix(tmp_path: Path) -> None:
    renamed = tmp_path / "record.dat"
    renamed.write_bytes(SEED.read_bytes())
    assert TextReader().sniff(renamed.read_bytes()[:8192], renamed)
    assert not TextReader().sniff(b"just some notes\nnothing here\n", renamed)


def test_markdown_escapes_and_crlf_are_undone() -> None:
    text = "A \\<title\\>\r\nNCT ID: NCT00000001\r\nLast Updated: 2020-01-02\r\n"
    record = parse_text_record(text.replace("\r\n", "\n"), "x.txt")
    assert record.brief_title == "A <title>"
    assert record.last_updated == Date(2020, 1, 2)


def test_missing_nct_line_is_a_read_error() -> None:
    with pytest.raises(ReadError, match=r"x\.txt: no 'NCT ID:' line"):
        parse_text_record("Title only\n", "x.txt")


def test_folder_walk_skips_unknown_and_names_empty_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "notes.md").write_text("# notes\n")
    (tmp_path / ".hidden.txt").write_bytes(SEED.read_bytes())
    items = list(read_records([tmp_path]))
    records = [i for i in items if isinstance(i, Record)]
    errors = [i for i in items if isinstance(i, ReadError)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [r.nct_id for r in records] == ["NCT00962923"]
    assert len(errors) == 1 and "empty.txt: the file is empty" in errors[0].one_line()
    assert sorted(Path(s.path).name for s in skipped) == [".hidden.txt", "notes.md"]


def test_windows_1252_record_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    text = SEED.read_text(encoding="utf-8").replace("Sun L, Akiyama K", "Sün L, Akiyama K")
    path.write_bytes(text.encode("cp1252"))
    (record,) = TextReader().read(path)
    assert isinstance(record, Record)
    assert record.references[0].text.startswith("Sün L")
    assert record.warnings and "Windows-1252" in record.warnings[0]


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("utf-16"))
    (record,) = list(read_records([path]))
    assert isinstance(record, Record) and len(record.references) == 7
    assert not record.warnings


def test_a_reader_bug_is_named_and_other_files_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "b.txt").write_bytes(SEED.read_bytes().replace(b"Sun L,", b"BUG L,"))

    original = parse_text_record

    def buggy(text: str, path: str) -> Record:
        if "BUG L," in text:
            raise IndexError("boom")
        return original(text, path)

    monkeypatch.setattr("refkit.readers.text.parse_text_record", buggy)
    items = list(read_records([tmp_path]))
    assert isinstance(items[0], Record)
    assert isinstance(items[1], ReadError)
    assert "b.txt: ctgov-text reader failed (IndexError: boom)" in items[1].one_line()
