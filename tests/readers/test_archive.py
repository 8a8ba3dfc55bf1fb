from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from archives import BROKEN, GOOD, good_members, good_tar_gz, gzipped, mixed_zip
from helpers import EXAMPLES

from refkit.errors import ReadError
from refkit.model import Record
from refkit.readers import Skipped, read_records
from refkit.readers import archive as archive_module
from refkit.readers.archive import Limits, unsafe_name, zip_files
from refkit.readers.library import read_inputs


def kinds(items: list[object]) -> list[tuple[str, str]]:
    out = []
    for item in items:
        if isinstance(item, Record):
            out.append(("record", item.path))
        elif isinstance(item, ReadError):
            out.append(("error", item.one_line()))
        elif isinstance(item, Skipped):
            out.append(("skipped", item.path))
    return out


def test_a_zip_is_read_member_by_member_good_ones_through_and_each_bad_one_named(
    tmp_path: Path,
) -> None:
    zipped = mixed_zip(tmp_path / "ctg-studies.zip")
    found = kinds(list(read_records([zipped])))
    records = [where for kind, where in found if kind == "record"]
    assert records == [f"{zipped}:studies/{name}" for name in GOOD]
    errors = [line for kind, line in found if kind == "error"]
    assert len(errors) == 5
    assert errors[0].startswith(f"{zipped}:studies/broken.json: truncated JSON")
    assert f"{zipped}:'../../etc/evil.json': a member path that climbs out" in errors[1]
    assert f"{zipped}:'/abs.json': an absolute member path" in errors[2]
    assert errors[3].startswith(f"{zipped}:bomb.json: would expand to 3,145,728 bytes")
    assert errors[4].startswith(f"{zipped}:nested.zip: an archive inside an archive")
    assert all("\n" not in line and "refused" in line for line in errors[1:])
    skipped = [where for kind, where in found if kind == "skipped"]
    assert skipped == [f"{zipped}:__MACOSX/studies/._x.json", f"{zipped}:studies/notes.png"]


def test_records_from_an_archive_equal_the_same_files_read_from_a_folder(tmp_path: Path) -> None:
    zipped = mixed_zip(tmp_path / "a.zip")
    from_zip = [r for r in read_records([zipped]) if isinstance(r, Record)]
    from_folder = [r for r in read_records([EXAMPLES]) if isinstance(r, Record)]
    assert [r.nct_id for r in from_zip] == [r.nct_id for r in from_folder]
    assert [len(r.references) for r in from_zip] == [len(r.references) for r in from_folder]
    assert [ref.text for r in from_zip for ref in r.references] == [
        ref.text for r in from_folder for ref in r.references
    ]


def test_a_tar_gz_is_streamed_and_a_link_in_it_refused(tmp_path: Path) -> None:
    tarred = good_tar_gz(tmp_path / "studies.tgz", link=True)
    found = kinds(list(read_records([tarred])))
    assert [kind for kind, _ in found] == ["record", "error", "record", "record", "record"]
    assert found[1][1].startswith(f"{tarred}:'studies/link.json': a link")


def test_a_gzipped_record_is_one_member_named_after_the_file(tmp_path: Path) -> None:
    gz = gzipped(tmp_path / "NCT01949129.json.gz", (EXAMPLES / "NCT01949129.json").read_bytes())
    (record,) = read_records([gz])
    assert isinstance(record, Record)
    assert record.path == f"{gz}:NCT01949129.json"
    broken = gzipped(tmp_path / "broken.json.gz", BROKEN)
    (error,) = read_records([broken])
    assert isinstance(error, ReadError)
    assert error.one_line().startswith(f"{broken}:broken.json: truncated JSON")


def test_a_gzip_bomb_is_stopped_while_it_expands(tmp_path: Path) -> None:
    bomb = gzipped(tmp_path / "studies.json.gz", b'{"studies": [' + b" " * (4 << 20) + b"]}")
    (error,) = read_records([bomb])
    assert isinstance(error, ReadError)
    assert "expands more than 200 times its compressed size: refused" in error.message


def test_a_damaged_member_is_named_and_the_next_ones_read(tmp_path: Path) -> None:
    zipped = tmp_path / "a.zip"
    members = good_members()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    data = bytearray(zipped.read_bytes())
    first = next(iter(members.values()))
    at = data.find(first[200:240])
    data[at : at + 4] = b"XXXX"  # the CRC no longer matches
    zipped.write_bytes(bytes(data))
    found = kinds(list(read_records([zipped])))
    assert [kind for kind, _ in found] == ["error", "record", "record", "record"]
    assert "damaged in the archive (Bad CRC-32" in found[0][1]


def test_too_many_members_refuse_the_whole_archive_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zipped = mixed_zip(tmp_path / "a.zip")
    monkeypatch.setattr(archive_module, "LIMITS", Limits(members=3))
    assert zip_files(zipped) is None
    (error,) = read_records([zipped])
    assert isinstance(error, ReadError)
    assert error.one_line().startswith(f"{zipped}: holds 11 files, more than 3: refused")


def test_a_tar_past_the_limits_is_refused_where_it_passes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tarred = good_tar_gz(tmp_path / "studies.tar.gz")
    monkeypatch.setattr(archive_module, "LIMITS", Limits(members=2))
    found = kinds(list(read_records([tarred])))
    assert [kind for kind, _ in found] == ["record", "record", "error"]
    assert found[2][1].startswith(f"{tarred}: holds more than 2 files: refused")
    monkeypatch.setattr(archive_module, "LIMITS", Limits(member_bytes=40_000))
    found = kinds(list(read_records([tarred])))
    too_big = [line for kind, line in found if kind == "error"]
    assert too_big and all(": would expand to " in line for line in too_big)
    assert len(found) == 4


def test_a_file_that_is_not_the_archive_it_claims_is_named(tmp_path: Path) -> None:
    fake = tmp_path / "ctg-studies.zip"
    fake.write_bytes(b"PK\x03\x04" + bytes(40))
    (error,) = read_records([fake])
    assert isinstance(error, ReadError)
    assert error.one_line().startswith(f"{fake}: not a readable zip archive")


def test_libraries_in_an_archive_are_read_as_inputs(tmp_path: Path) -> None:
    zipped = tmp_path / "mixed.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("refs.bib", "@article{a, title={A title}, year={2020}}\n")
        archive.writestr("NCT01949129.json", (EXAMPLES / "NCT01949129.json").read_bytes())
    items = list(read_inputs([zipped]))
    assert [type(item).__name__ for item in items] == ["Citation", "Record"]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../x.json", "climbs out"),
        ("a/../../x.json", "climbs out"),
        ("a\\..\\x.json", "climbs out"),
        ("/etc/x.json", "absolute"),
        ("C:/x.json", "absolute"),
        ("a\x00b.json", "control"),
        ("studies/NCT1.json", ""),
        ("studies/..x.json", ""),
    ],
)
def test_path_tricks_are_recognised(name: str, why: str) -> None:
    found = unsafe_name(name)
    assert (why in found) if why else found == ""
