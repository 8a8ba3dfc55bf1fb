from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from helpers import DATA, SEED

from refkit.cli import main
from refkit.exporters import export
from refkit.exporters.keys import ensure_keys
from refkit.model import Citation, Date, Name
from refkit.readers.library import read_library

LIBRARY = DATA / "library"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


def test_convert_bib_to_csl_json_keeps_keys(tmp_path: Path) -> None:
    out = tmp_path / "lib.json"
    status, err = run("convert", str(LIBRARY / "sample.bib"), "-o", str(out))
    assert status == 0, err
    items = json.loads(out.read_text())
    assert [i["id"] for i in items] == [
        "sun2009mesenchymal",
        "who2020trials",
        "liang2009allogeneic",
    ]
    assert "3 entries read, 0 problems" in err


def test_convert_names_what_it_could_not_read(tmp_path: Path) -> None:
    out = tmp_path / "lib.ris"
    status, err = run("convert", str(LIBRARY / "sample.json"), "-o", str(out))
    assert status == 1
    assert "sample.json:item 3: an item must be an object" in err
    assert "new key (no id) → " in err
    assert out.read_text().count("ER  - ") == 3


def test_convert_between_every_pair_keeps_the_entries(tmp_path: Path) -> None:
    for suffix in (".bib", ".json", ".ris", ".biblatex"):
        out = tmp_path / f"lib{suffix}"
        assert run("convert", str(LIBRARY / "sample.ris"), "-o", str(out))[0] == 0
        back = [c for c in read_library([out]) if isinstance(c, Citation)]
        assert [c.title[:20] for c in back] == ["Mesenchymal stem cel", "Stem cell therapy in"]


def test_ensure_keys_keeps_good_ids_and_fixes_the_rest() -> None:
    sun = Citation(title="Mesenchymal cells", author=(Name(family="Sun"),), issued=Date(2009))
    items = [Citation(id="good"), Citation(id="good"), Citation(id="has space"), sun]
    items.append(Citation(id="sun2009mesenchymal"))
    assert [c.id for c in ensure_keys(items)] == [
        "good",
        "refa",  # two entries without a usable key: both lettered, as in a build
        "refb",
        "sun2009mesenchymala",  # the key it would get is taken by an entry that has it
        "sun2009mesenchymal",
    ]


def test_build_against_a_library_leaves_known_references_out(tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    shutil.copy(SEED, records)
    out, report_path = tmp_path / "refs.json", tmp_path / "r.json"
    args = ["build", str(records), "-o", str(out), "--offline", "--report", str(report_path)]
    status, err = run(*args, "--against", str(LIBRARY / "sample.bib"))
    assert status == 0, err
    report = json.loads(report_path.read_text())
    assert report["references_known"] == 2  # Sun 2009 by DOI; Liang 2009 by the dedupe comparison
    assert report["balanced"]
    titles = [i["title"] for i in json.loads(out.read_text())]
    assert not any(
        t.startswith(("Mesenchymal stem cell transplantation", "Allogeneic")) for t in titles[1:]
    )
    assert "already in the library as sun2009mesenchymal" in err


def test_build_takes_a_library_as_input(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    status, err = run("build", str(LIBRARY / "sample.ris"), "-o", str(out), "--offline")
    assert status == 0, err
    assert "2 entries read from bibliographies" in err
    assert out.read_text().count("@") == 2


def test_export_picks_the_format_and_fixes_unusable_keys(tmp_path: Path) -> None:
    out = tmp_path / "refs.ris"
    written = export([Citation(id="a b", title="Stem cells")], str(out))
    assert [c.id for c in written] == ["stem"]
    assert "ID  - stem\n" in out.read_text()
