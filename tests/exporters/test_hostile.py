"""Hostile text in trial records (``tests/data/hostile``) through a whole build: the BibTeX and
BibLaTeX a LaTeX run reads hold nothing it would execute, bibtexparser and biber read back the
very strings, and CSL-JSON carries them as plain text.

``studies.xml`` holds one study per string of ``strings.jsonl`` (as official title, brief
title, sponsor, summary and inside its reference); XML escapes them, so the reader gives them
back exactly (runs of spaces and line breaks made one space, as for any record text).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from helpers import DATA
from pylatexenc.latexencode import get_builtin_conversion_rules
from roundtrip import held, hostile_strings, read_back
from tools import biber

from refkit import build
from refkit.exporters.bibtex import RICH_TAGS
from refkit.formats.latex import SPECIALS, to_text
from refkit.model import Citation, Record
from refkit.readers import read_records

HOSTILE = DATA / "hostile"
STUDIES = HOSTILE / "studies.xml"
SUFFIX = {"bibtex": "bib", "biblatex": "biblatex", "csl-json": "json"}
# What TeX would run if it reached it unescaped; none of it is one of the escapes refkit writes.
DANGEROUS = {"input", "include", "write", "immediate", "openout", "openin", "read", "csname"}
DANGEROUS |= {"def", "edef", "let", "catcode", "newcommand", "renewcommand", "verb", "url"}


def strings() -> list[str]:
    return hostile_strings()


def as_record_text(text: str) -> str:
    return " ".join(text.split())


def trial_key(index: int) -> str:
    return f"nct900001{index:02d}"


@cache
def allowed_commands() -> frozenset[str]:
    """Every command refkit's encoding writes: its escapes and pylatexenc's letter table."""
    table = get_builtin_conversion_rules("defaults")[0].rule
    rich = [latex for _, latex in RICH_TAGS.values()]  # CSL's <i>, <b>... as their commands
    written = [*SPECIALS.values(), *rich, *(str(v) for v in table.values())]
    return frozenset(c for v in written for c in re.findall(r"\\([A-Za-z]+|.)", v))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    made = {}
    for fmt, suffix in SUFFIX.items():
        made[fmt] = folder / f"refs.{suffix}"
        report = build([STUDIES], str(made[fmt]), fmt=fmt, offline=True)
        assert report.clean and report.balanced
        assert report.trials_written == report.references_written == len(strings())
    return made


def test_the_records_give_the_strings() -> None:
    records = [r for r in read_records([STUDIES]) if isinstance(r, Record)]
    assert [r.official_title for r in records] == [as_record_text(s) for s in strings()]
    assert all(
        as_record_text(s) in r.references[0].text for r, s in zip(records, strings(), strict=True)
    )


def test_the_encoding_can_only_print() -> None:
    assert not DANGEROUS & allowed_commands()


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_nothing_in_the_file_would_run(fmt: str, outputs: dict[str, Path]) -> None:
    text = outputs[fmt].read_text(encoding="utf-8")
    assert set(re.findall(r"\\([A-Za-z]+|.)", text)) <= allowed_commands()
    assert "^^" not in text  # TeX's notation for any character, \ included
    entry_types = {"techreport", "report", "article"}
    for line in text.splitlines():
        if line.lstrip().startswith("@"):
            assert re.match(rf"@({'|'.join(entry_types)})\{{nct|@article\{{", line), line
    for entry in parse_string(text).entries:
        for value in (str(f.value) for f in entry.fields):
            assert _balanced(value), value


def _balanced(value: str) -> bool:
    depth = 0
    for char in value:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_bibtexparser_reads_back_the_strings(fmt: str, outputs: dict[str, Path]) -> None:
    library = parse_string(outputs[fmt].read_text(encoding="utf-8"))
    assert not library.failed_blocks
    assert_trials_read_back(library.entries, fmt)


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_biber_reads_back_the_strings(fmt: str, outputs: dict[str, Path], tmp_path: Path) -> None:
    given = tmp_path / "refs.bib"
    given.write_bytes(outputs[fmt].read_bytes())
    _, out = biber(given)
    library = parse_string(out.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    assert_trials_read_back(library.entries, fmt)


def assert_trials_read_back(entries: list[object], fmt: str) -> None:
    read = {e.key.lower(): {f.key.lower(): str(f.value) for f in e.fields} for e in entries}  # type: ignore[attr-defined]
    institution = "institution"
    for index, text in enumerate(strings(), start=1):
        entry = read[trial_key(index)]
        expected = as_record_text(text)
        assert to_text(entry["title"]) == expected
        assert to_text(entry["shorttitle"]) == f"Brief: {expected}"
        assert to_text(entry["author"]).strip("{}") == expected or _literal(entry) == expected
        assert to_text(entry["abstract"]) == expected
        assert to_text(entry[institution]) == "ClinicalTrials.gov", fmt


def _literal(entry: dict[str, str]) -> str:
    return to_text(entry["author"][1:-1])


def test_csl_json_carries_the_strings_as_they_are(outputs: dict[str, Path]) -> None:
    items = {i["id"]: i for i in json.loads(outputs["csl-json"].read_text(encoding="utf-8"))}
    for index, text in enumerate(strings(), start=1):
        item = items[trial_key(index)]
        expected = as_record_text(text)
        assert item["title"] == expected
        assert item["abstract"] == expected
        assert item["author"] == [{"literal": expected}]


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "csl-json"])
def test_the_references_read_back_as_they_were_written(
    fmt: str, outputs: dict[str, Path], tmp_path: Path
) -> None:
    written = [c for c in citations_of(outputs["csl-json"]) if not c.id.startswith("nct")]
    back = read_back(outputs[fmt].read_text(encoding="utf-8"), fmt, tmp_path)
    references = [c for c in back if not c.id.lower().startswith("nct")]
    assert len(references) == len(strings())
    assert references == [held(c, fmt) for c in written]


def citations_of(path: Path) -> list[Citation]:
    return [Citation.from_csl(item) for item in json.loads(path.read_text(encoding="utf-8"))]
