from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from outputs import FULL, NULL, device, leftovers, read_only

from refkit.atomic import check_output, open_output
from refkit.errors import ExportError


def test_written_whole_with_the_usual_mode(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    with open_output(str(target)) as stream:
        stream.write("@misc{a,}\n")
        assert not target.exists()  # nothing is in place before the end
    assert target.read_text() == "@misc{a,}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("precious\n")
    with pytest.raises(RuntimeError), open_output(str(target)) as stream:
        stream.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "precious\n"
    assert leftovers(tmp_path) == []


def test_replacing_keeps_the_mode_of_the_replaced_file(tmp_path: Path) -> None:
    target = tmp_path / "private.bib"
    target.write_text("old\n")
    target.chmod(0o600)
    with open_output(str(target)) as stream:
        stream.write("new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() == "new\n"


def test_a_symbolic_link_keeps_pointing_at_the_file(tmp_path: Path) -> None:
    real = tmp_path / "library" / "refs.bib"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    with open_output(str(link)) as stream:
        stream.write("new\n")
    assert link.is_symlink() and real.read_text() == "new\n"
    assert leftovers(tmp_path) == leftovers(real.parent) == []


def test_a_device_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    null = device(tmp_path, "null", NULL)
    with open_output(str(null)) as stream:
        stream.write("gone\n")
    assert null.is_char_device()
    assert leftovers(null.parent) == []


def test_a_full_device_gives_an_export_error(tmp_path: Path) -> None:
    full = device(tmp_path, "full", FULL)
    with (
        pytest.raises(ExportError, match="No space left on device"),
        open_output(str(full)) as stream,
    ):
        stream.write("x" * 100_000)
    assert full.is_char_device()


@pytest.mark.parametrize("name", ["no/such/folder/refs.bib", "folder", "readonly.bib"])
def test_unwritable_places_are_refused_before_any_work(tmp_path: Path, name: str) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "readonly.bib").write_text("keep\n")
    (tmp_path / "readonly.bib").chmod(0o444)
    with pytest.raises(ExportError) as caught:
        check_output(str(tmp_path / name))
    assert str(tmp_path / name) in caught.value.one_line()
    with pytest.raises(ExportError), open_output(str(tmp_path / name)):
        pass
    assert (tmp_path / "readonly.bib").read_text() == "keep\n"
    assert leftovers(tmp_path) == []


def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder), pytest.raises(ExportError, match="cannot write here"):
        check_output(str(folder / "refs.bib"))
    assert list(folder.iterdir()) == []


def test_stdout_and_devices_pass_the_check(tmp_path: Path) -> None:
    check_output("-")
    check_output(str(device(tmp_path, "null", NULL)))


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
