"""Small archives for tests, made on the fly: good records, a broken one and hostile members."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

from helpers import EXAMPLES

GOOD = ("NCT00277524.xml", "NCT00962923.txt", "NCT01949129.json", "NCT04251754.json")
BROKEN = b'{"protocolSection": {"identificationModule": {"nctId": "NCT0'
# Spaces compress ~1000 times: a small "bomb" past the 1 MiB the ratio is checked from.
BOMB = b" " * (3 << 20)


def good_members() -> dict[str, bytes]:
    return {f"studies/{name}": (EXAMPLES / name).read_bytes() for name in GOOD}


def mixed_zip(path: Path) -> Path:
    """Good records with, between them, a broken one and hostile ones, in this order."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as nested:
        nested.writestr("x.json", b"{}")
    members = good_members()
    names = list(members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(names[0], members[names[0]])
        archive.writestr("studies/broken.json", BROKEN)
        archive.writestr("../../etc/evil.json", members[names[1]])
        archive.writestr("/abs.json", members[names[1]])
        archive.writestr("bomb.json", BOMB)
        archive.writestr("nested.zip", inner.getvalue())
        archive.writestr("__MACOSX/studies/._x.json", b"\x00\x05")
        archive.writestr("studies/notes.png", b"\x89PNG\r\n\x1a\n" + bytes(20))
        for name in names[1:]:
            archive.writestr(name, members[name])
    return path


def good_tar_gz(path: Path, *, link: bool = False) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in good_members().items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            if link:
                link_info = tarfile.TarInfo("studies/link.json")
                link_info.type = tarfile.SYMTYPE
                link_info.linkname = "/etc/passwd"
                archive.addfile(link_info)
                link = False
    return path


def gzipped(path: Path, data: bytes) -> Path:
    path.write_bytes(gzip.compress(data))
    return path
