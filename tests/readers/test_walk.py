from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from helpers import EXAMPLES, SEED

from refkit.errors import ReadError
from refkit.model import Record
from refkit.readers import Skipped, read_records

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def outcome(items: list[Record | ReadError | Skipped]) -> list[tuple[str, str, str]]:
    """(kind, file name, message) per item, in stream order."""
    out = []
    for item in items:
        if isinstance(item, Record):
            out.append(("record", Path(item.path).name, item.nct_id))
        elif isinstance(item, ReadError):
            out.append(("error", Path(item.where).name, item.message))
        else:
            out.append(("skipped", Path(item.path).name, item.reason))
    return out


def test_every_example_is_read() -> None:
    found = outcome(list(read_records([EXAMPLES])))
    assert [(k, n) for k, n, _ in found] == [
        ("record", "NCT00277524.xml"),
        ("record", "NCT00962923.txt"),
        ("record", "NCT01949129.json"),
        ("record", "NCT04251754.json"),
        ("skipped", "SOURCES.md"),
    ]


def test_binary_files_are_named_under_a_record_suffix_and_archives_opened(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(PNG)
    (tmp_path / "b.png").write_bytes(PNG)
    (tmp_path / "c.txt").write_bytes(b"NCT ID: NCT00000001\x00\x00\x01\x02")
    (tmp_path / "ctg-studies.json.gz").write_bytes(gzip.compress(b"[]"))
    (tmp_path / "ctg-studies.zip").write_bytes(b"PK\x03\x04" + bytes(40))
    assert outcome(list(read_records([tmp_path]))) == [
        ("error", "a.json", "binary content (PNG image), not a trial record"),
        ("skipped", "b.png", "not a trial record in any known format"),
        ("error", "c.txt", "binary content (binary data), not a trial record"),
        (
            "skipped",
            "ctg-studies.json.gz:ctg-studies.json",
            "not a trial record in any known format",
        ),
        ("error", "ctg-studies.zip", "not a readable zip archive (File is not a zip file)"),
    ]


def test_a_symlink_loop_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "self.txt").symlink_to(folder / "self.txt")
    found = outcome(list(read_records([folder])))
    assert found[0] == ("skipped", "loop", f"the same folder as {folder}, already read")
    assert found[1] == ("record", "a.txt", "NCT00962923")
    assert found[2][:2] == ("error", "self.txt")
    assert "Too many levels of symbolic links" in found[2][2]
    assert len(found) == 3


def test_a_linked_folder_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "given").mkdir()
    (tmp_path / "given" / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    assert outcome(list(read_records([tmp_path / "given"]))) == [("record", "a.txt", "NCT00962923")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its mode")
def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(SEED.read_bytes())
    path.chmod(0)
    assert outcome(list(read_records([tmp_path]))) == [
        ("error", "a.txt", "cannot open (Permission denied)")
    ]


def test_an_unreadable_file_is_named_whoever_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "b.txt").write_bytes(SEED.read_bytes())
    original = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "a.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refuse)
    assert outcome(list(read_records([tmp_path]))) == [
        ("error", "a.txt", "cannot open (Permission denied)"),
        ("record", "b.txt", "NCT00962923"),
    ]
