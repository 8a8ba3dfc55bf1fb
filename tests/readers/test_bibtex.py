"""A user's .bib library: every entry, every field, every letter (cases in data/library/cases)."""

from __future__ import annotations

import codecs
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import DATA, SEED

from refkit import build
from refkit.cli import main
from refkit.commands import convert
from refkit.errors import ReadError
from refkit.model import Citation, Date, Name
from refkit.readers.library import read_library

CASES = DATA / "library" / "cases"


def read(path: Path) -> tuple[list[Citation], list[str]]:
    items = list(read_library([path]))
    citations = [i for i in items if isinstance(i, Citation)]
    return citations, [i.one_line() for i in items if isinstance(i, ReadError)]


def by_id(path: Path) -> dict[str, Citation]:
    return {c.id: c for c in read(path)[0]}


def test_the_reader_keeps_going_past_every_problem() -> None:
    citations, errors = read(CASES / "keeps_going.bib")
    assert [c.id for c in citations] == ["first", "unbalanced", "twotitles", "first", "last"]
    # The field that never closes costs that field alone, named with the line where its
    # entry starts, and its own.
    assert errors == [
        f"{CASES / 'keeps_going.bib'}:line 9: 'unbalanced': field 'title' (line 10) never "
        "closes its braces or quotes; this field was not read (check its braces and commas)"
    ]
    unbalanced = citations[1]
    assert (unbalanced.title, unbalanced.container_title) == ("", "Kept Journal")
    assert unbalanced.issued == Date(2002)


def test_href_and_url_keep_the_address_as_written() -> None:
    first = read(CASES / "keeps_going.bib")[0][0]
    assert first.url == "http://host/~user/a_b.pdf"
    assert first.note == "Data at the archive (http://example.org/data~v2/a_b.csv)"


def test_two_titles_keep_both_and_repeated_keys_keep_both_works() -> None:
    citations = read(CASES / "keeps_going.bib")[0]
    assert citations[2].title == "The First Title"
    assert citations[2].extra_fields == (("tex.title", "The Second Title"),)
    assert citations[3].title == "A Different Work with the Same Key"


def test_names_starting_with_accent_macros_keep_every_letter() -> None:
    davos = by_id(CASES / "latex_text.bib")["davos"]
    assert davos.author == (
        Name(family="Ore", given="Øystein"),
        Name(family="Nowak", given="Łukasz"),
        Name(family="Berg", given="Åsa"),
        Name(family="Kaya", given="Özgür"),
        Name(literal="World Health Organization"),
    )


def test_text_inside_macros_is_kept() -> None:
    davos = by_id(CASES / "latex_text.bib")["davos"]
    assert davos.title == "Davos: A Python package for The TeXbook & ICD-11 guide"
    assert davos.container_title == "Tools & Methods"  # a bare & kept
    assert davos.note == "Compiled \\today"  # never the day of the run


def test_every_field_maps_to_a_csl_variable_or_is_carried() -> None:
    entries = by_id(CASES / "every_field.bib")
    book = entries["translated1998"]
    assert book.translator == (Name(family="Nowak", given="Łukasz"),)
    assert book.original_title == "Grafer og deres anvendelser"
    assert book.annote == "Read for the seminar"
    assert book.issued == Date(1998, end=Date(1999))
    assert (book.publisher, book.publisher_place) == ("Springer", "Berlin")  # from @xdata
    assert dict(book.extra_fields) == {
        "tex.subtitle": "An Introduction",
        "tex.xdata": "pubinfo",
        "tex.file": ":ore.pdf:PDF",
        "tex.langid": "english",
    }
    chapter = entries["chapter2001"]
    assert chapter.chapter_number == "7" and chapter.issued == Date(2001, 3, 14)
    assert dict(chapter.extra_fields) == {"tex.organization": "A Society"}
    software = entries["software2020"]
    assert (software.version, software.source) == ("4.0.2", "CRAN")
    assert software.accessed == Date(2021, 2, 3)
    assert software.issued == Date(2020, 6, 22, end=Date(2020, 7, 1))
    assert entries["talk2018"].issued == Date(2018, circa=True)
    assert (entries["talk2018"].event_title, entries["talk2018"].event_place) == (
        "Annual Meeting",
        "Lisbon",
    )
    assert "xdata" not in {c.type for c in entries.values()} and "pubinfo" not in entries


def test_years_that_are_no_plain_year_keep_what_they_say() -> None:
    entries = by_id(CASES / "every_field.bib")
    assert entries["inpress"].status == "in press" and entries["inpress"].issued is None
    assert entries["forthcoming"].status == "forthcoming"
    assert entries["ancient"].issued == Date(-535, literal="535 BCE")
    assert entries["circa"].issued == Date(1850, circa=True, literal="c. 1850")
    assert entries["lettered"].issued == Date(2019, literal="2019a")
    assert entries["inpress"].container_title == "Stat. Med."  # the @string, defined twice alike


def test_crossref_is_resolved_as_biber_does() -> None:
    part = by_id(CASES / "every_field.bib")["part2019"]
    assert part.container_title == "Proceedings of the Tenth Workshop"  # parent title → booktitle
    assert part.editor == (Name(family="Smith", given="Anne"), Name(family="Jones", given="Bob"))
    assert (part.issued, part.publisher) == (Date(2019), "ACM")
    assert part.title == "A Part of the Proceedings"


def comparable(citation: Citation) -> Citation:
    """What a round trip must give back: everything but the key (a repeated one is renamed),
    the entry type (the type table maps several types to one) and messages."""
    return replace(citation, id="", type="document", warnings=())


@pytest.mark.parametrize("name", ["every_field.bib", "keeps_going.bib", "latex_text.bib"])
@pytest.mark.parametrize("via", [(".bib",), (".json", ".bib"), (".biblatex",)])
def test_round_trips_keep_every_field(name: str, via: tuple[str, ...], tmp_path: Path) -> None:
    source = CASES / name
    before = read(source)[0]
    current = source
    for index, suffix in enumerate(via):
        target = tmp_path / f"step{index}{suffix}"
        convert([current], str(target))
        current = target
    after = read(current)[0]
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        assert comparable(new) == comparable(old), old.id


def test_masters_thesis_stays_one(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    convert([CASES / "every_field.bib"], str(target))
    assert "@mastersthesis{masters2015," in target.read_text(encoding="utf-8")


def test_csl_rich_text_becomes_latex_and_repeated_ids_keep_both(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    result = convert([CASES / "rich.json"], str(target))
    text = target.read_text(encoding="utf-8")
    assert "\\textit{{TERT}}" in text and "textless" not in text  # capitals braced inside
    assert result.references_written == 2 and len(result.renamed) == 1
    back = by_id(target)
    assert any(c.title == "<i>TERT</i> promoter mutations in glioma" for c in back.values())


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-8", codecs.BOM_UTF8),
    ],
)
@pytest.mark.parametrize("name", ["latex_text.bib", "rich.json", "every_field.bib"])
def test_libraries_with_a_byte_order_mark_are_read(
    name: str, encoding: str, bom: bytes, tmp_path: Path
) -> None:
    source = CASES / name
    copy = tmp_path / name
    copy.write_bytes(bom + source.read_text(encoding="utf-8").encode(encoding))
    copied, source_citations = read(copy)[0], read(source)[0]
    assert [c.id for c in copied] == [c.id for c in source_citations]
    assert [comparable(c) for c in copied] == [comparable(c) for c in source_citations]


def test_a_utf16_ris_library_is_read(tmp_path: Path) -> None:
    copy = tmp_path / "lib.ris"
    text = (DATA / "library" / "sample.ris").read_text(encoding="utf-8")
    copy.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert len(read(copy)[0]) == 2


def test_windows_1252_is_named_once(tmp_path: Path) -> None:
    copy = tmp_path / "lib.bib"
    copy.write_bytes("@misc{a, title={Café}}\n@misc{b, title={Crème}}\n".encode("cp1252"))
    result = convert([copy], str(tmp_path / "out.json"))
    notes = [w for w in result.warnings if "Windows-1252" in w]
    assert len(notes) == 1
    titles = [item["title"] for item in json.loads((tmp_path / "out.json").read_text())]
    assert titles == ["Café", "Crème"]


def test_a_file_that_reads_as_nothing_never_overwrites_the_output(tmp_path: Path) -> None:
    empty = tmp_path / "empty.bib"
    empty.write_text("@comment{nothing here}\n", encoding="utf-8")
    output = tmp_path / "out.json"
    output.write_text("[previous]", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(empty), "-o", str(output)])
    assert result.exit_code == 1
    assert output.read_text(encoding="utf-8") == "[previous]"
    assert "not written" in result.stderr


def test_only_refkits_own_lines_reach_stderr(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["convert", str(CASES / "keeps_going.bib"), "-o", str(tmp_path / "o.json")]
    )
    lines = result.stderr.strip().split("\n")
    assert all(line.startswith("refkit: ") for line in lines[:-1]), lines
    assert sum("line 9:" in line for line in lines) == 1
    assert "@string" not in result.stderr  # the identical repeat in every_field.bib is silent


def test_a_string_defined_again_differently_is_named(tmp_path: Path) -> None:
    path = tmp_path / "s.bib"
    path.write_text('@string{j = "A"}\n@string{j = "B"}\n@misc{x, journal = j}\n', "utf-8")
    citations, errors = read(path)
    assert len(citations) == 1 and len(errors) == 1 and ":line 2: @string j" in errors[0]


def test_enrich_offline_looks_nothing_up(tmp_path: Path) -> None:
    output = tmp_path / "out.json"
    result = CliRunner().invoke(
        main, ["enrich", str(CASES / "latex_text.bib"), "-o", str(output), "--offline"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(output.read_text(encoding="utf-8"))[0]["id"] == "davos"


@pytest.mark.parametrize("via", [(".json",), (".bib", ".json"), (".ris", ".json")])
def test_csl_variables_without_an_attribute_survive(via: tuple[str, ...], tmp_path: Path) -> None:
    source = CASES / "other_variables.json"
    current = source
    for index, suffix in enumerate(via):
        target = tmp_path / f"step{index}{suffix}"
        convert([current], str(target))
        current = target
    item = json.loads(current.read_text(encoding="utf-8"))[0]
    original = json.loads(source.read_text(encoding="utf-8"))[0]
    for key in ("archive", "archive_location", "event-date", "number-of-pages", "note"):
        assert item[key] == original[key], key
    assert item["container-author"] == original["container-author"]


def test_damaged_entries_are_named_and_read_as_far_as_they_go() -> None:
    citations, errors = read(CASES / "damaged.bib")
    entries = {c.id: c for c in citations}
    assert list(entries) == ["nocomma", "junk", "quoted", "missingcomma", "concat", "cut"]
    assert entries["nocomma"].title == "No comma after the key"
    assert entries["junk"].title == "Junk after a value" and entries["junk"].issued == Date(2002)
    assert entries["quoted"].title == "" and entries["quoted"].issued == Date(2003)
    assert entries["missingcomma"].issued == Date(2004)  # read on past the missing comma
    assert entries["concat"].title == "Joined with a macro: jan"
    assert entries["cut"].issued == Date(2006)
    lines = [e.split(": ", 1)[0].rsplit(":", 1)[1] for e in errors]
    assert lines == ["line 1", "line 3", "line 8", "line 20"]


def test_build_keeps_the_keys_of_a_library_beside_trial_records(tmp_path: Path) -> None:
    output = tmp_path / "out.json"
    report = build([CASES / "latex_text.bib", SEED], str(output), offline=True)
    assert report.library_entries == 1
    ids = [item["id"] for item in json.loads(output.read_text(encoding="utf-8"))]
    assert "davos" in ids and "nct00962923" in ids


def test_build_of_nothing_leaves_an_existing_output_alone(tmp_path: Path) -> None:
    empty = tmp_path / "empty.bib"
    empty.write_text("@comment{nothing}\n", encoding="utf-8")
    output = tmp_path / "out.json"
    output.write_text("[previous]", encoding="utf-8")
    report = build([empty], str(output), offline=True)
    assert report.problems and output.read_text(encoding="utf-8") == "[previous]"
