from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import DATA, SEED

from refkit.errors import ReadError
from refkit.model import ET_AL, Citation, Date, Name, Record
from refkit.readers import Skipped
from refkit.readers.csl_json import CslJsonLibraryReader
from refkit.readers.library import read_inputs, read_library

LIBRARY = DATA / "library"


def citations(path: Path) -> dict[str, Citation]:
    items = [i for i in read_library([path]) if isinstance(i, Citation)]
    return {c.id: c for c in items}


def test_bibtex_decodes_latex_macros_and_names() -> None:
    entries = citations(LIBRARY / "sample.bib")
    sun = entries["sun2009mesenchymal"]
    assert sun.type == "article-journal"
    assert sun.container_title == "Stem Cells"  # the @string macro, resolved
    assert sun.author[2] == Name(family="Müller", given="Jørgen")
    assert sun.author[3] == Name(family="Berg", given="Jan", particle="van der")
    assert len(sun.author) == 4 and ET_AL in sun.warnings  # "and others"
    assert sun.title.endswith("in SLE mice and humans")
    assert sun.issued == Date(2009, 6)
    assert sun.page == "1421-1432"
    assert sun.pmid == "19544473"
    assert sun.keyword == ("NCT00962923", "lupus")


def test_biblatex_fields() -> None:
    entries = citations(LIBRARY / "sample.bib")
    who = entries["who2020trials"]
    assert who.type == "webpage"
    assert who.author == (Name(literal="World Health Organization"),)
    assert who.issued == Date(2020, 3, 15)
    assert who.note == "Accessed in 2024"
    liang = entries["liang2009allogeneic"]
    assert liang.container_title == "Mult Scler"
    assert liang.pmid == "19389752"  # eprint + eprinttype = {pubmed}
    assert liang.issued == Date(2009, 5)
    assert liang.warnings == ()
    assert dict(liang.extra_fields)["tex.file"].endswith(".pdf")


def test_bibtex_failed_blocks_are_reported_with_their_line() -> None:
    items = list(read_library([LIBRARY / "broken.bib"]))
    keys = [i.id for i in items if isinstance(i, Citation)]
    errors = [i.one_line() for i in items if isinstance(i, ReadError)]
    # The field that never closes costs that field; the entry, its year and every later entry
    # are read, and a repeated key keeps both works.
    assert keys == ["first", "broken", "third", "first"]
    assert "broken.bib:line 3: 'broken': field 'title' (line 3) never closes" in errors[0]
    assert all("broken.bib:line 3:" in e for e in errors)


def test_ris_records() -> None:
    entries = [i for i in read_library([LIBRARY / "sample.ris"]) if isinstance(i, Citation)]
    sun, trial = entries
    assert sun.id == "sun2009mesenchymal"
    assert sun.title.endswith("dysfunction in SLE mice and humans")  # continuation line
    assert sun.author == (
        Name(family="Sun", given="L"),
        Name(family="van der Berg", given="Jan"),
        Name(literal="Stem Cell Study Group"),
    )
    assert sun.issued == Date(2009, 6, 20)
    assert (sun.page, sun.issn, sun.pmid, sun.note) == (
        "1421-1432",
        "1066-5099",
        "19544473",
        "Read twice",
    )
    assert sun.warnings == ()
    assert [k for k, _ in sun.extra_fields] == ["ris.DB"]  # kept, written back to RIS
    assert trial.type == "report" and trial.number == "NCT00962923" and trial.id == ""
    assert trial.genre == "Clinical trial registration"


def test_csl_json_keeps_ids_and_reports_bad_items() -> None:
    items = list(read_library([LIBRARY / "sample.json"]))
    good = [i for i in items if isinstance(i, Citation)]
    bad = [i.one_line() for i in items if isinstance(i, ReadError)]
    assert [c.id for c in good] == ["sun2009mesenchymal", "no-title", ""]
    assert good[0].pmid == "19544473" and good[0].note == "Read twice"
    assert good[0].author[1] == Name(family="Berg", given="Jan", particle="van der")
    assert bad == [f"{LIBRARY / 'sample.json'}:item 3: an item must be an object, not str"]


def test_csl_json_sniffs_by_content() -> None:
    reader = CslJsonLibraryReader()
    assert reader.sniff(b' [\n {"id": "a", "type": "book"}]', Path("x.txt"))
    assert reader.sniff(b"[]", Path("x.json")) is False
    assert not reader.sniff(b'[{"protocolSection": {"identificationModule": {}}}]', Path("a.json"))
    assert not reader.sniff(b'{"protocolSection": {}}', Path("a.json"))


def test_a_library_file_that_is_not_json(tmp_path: Path) -> None:
    bad = tmp_path / "refs.json"
    bad.write_text('[{"id": "a", "type": "book"')
    (item,) = read_library([bad])
    assert isinstance(item, ReadError) and "not valid JSON" in item.one_line()


def test_read_library_skips_what_is_no_library(tmp_path: Path) -> None:
    shutil.copy(LIBRARY / "sample.ris", tmp_path)
    (tmp_path / "notes.txt").write_text("nothing bibliographic here\n")
    items = list(read_library([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Skipped", "Citation", "Citation"]
    assert isinstance(items[0], Skipped) and "not a BibTeX, CSL-JSON or RIS" in items[0].reason


def test_read_inputs_mixes_records_and_libraries(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path)
    shutil.copy(LIBRARY / "sample.ris", tmp_path)
    kinds = [type(i).__name__ for i in read_inputs([tmp_path])]
    assert kinds == ["Record", "Citation", "Citation"]


@pytest.mark.parametrize("name", ["sample.bib", "sample.json", "sample.ris"])
def test_every_library_item_is_accounted_for(name: str) -> None:
    items = list(read_library([LIBRARY / name]))
    assert items and all(isinstance(i, Citation | ReadError) for i in items)
    assert not any(isinstance(i, Record) for i in items)
    json.dumps([i.to_csl() for i in items if isinstance(i, Citation)])
