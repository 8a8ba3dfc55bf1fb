from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner
from helpers import EXAMPLES, SEED

from refkit import spread
from refkit.cli import main
from refkit.exporters.bibtex import BibtexExporter

SEED_REF = SEED.read_text().split("\n")[SEED.read_text().split("\n").index("References") + 2]


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def seed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copy(SEED, folder)
    return folder


def test_build_bibtex_from_seed(seed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    status, _, err = run("build", str(seed_folder), "-o", str(out), "--offline")
    assert status == 0, err
    library = bibtexparser.parse_string(out.read_text())
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert len(entries) == 8
    trial = entries["nct00962923"]
    assert trial.entry_type == "techreport"
    assert trial["number"] == "NCT00962923"
    assert trial["institution"] == "ClinicalTrials.gov"
    sun = entries["sun2009mesenchymal"]
    assert sun["pages"] == "1421--1432"
    assert sun["journal"] == "Stem Cells"
    assert sun["doi"] == "10.1002/stem.68"
    assert sun.fields_dict["month"].value == "jun"
    assert "1 records read" in err and "7 written" in err


def test_build_csl_json_validates(seed_folder: Path, tmp_path: Path, shared: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    out = tmp_path / "refs.json"
    status, _, err = run("build", str(seed_folder), "-o", str(out), "--offline")
    assert status == 0, err
    items = json.loads(out.read_text())
    jsonschema.validate(items, json.loads((shared / "csl" / "csl-data.json").read_text()))
    assert len({item["id"] for item in items}) == len(items) == 8


def test_report_balances(seed_folder: Path, tmp_path: Path) -> None:
    (seed_folder / "copy.txt").write_bytes(SEED.read_bytes())  # the same study twice
    report_path = tmp_path / "r.json"
    status, _, _ = run(
        "build",
        str(seed_folder),
        "-o",
        str(tmp_path / "o.bib"),
        "--offline",
        "--report",
        str(report_path),
    )
    report = json.loads(report_path.read_text())
    assert status == 0
    assert report["references_found"] == 14
    assert report["references_merged"] == 7
    assert report["references_written"] == 7
    assert report["trials_written"] == 1
    assert report["records_duplicate"] == 1
    assert report["balanced"] is True
    assert set(report["timings"]) == {"read", "extract", "parse", "enrich", "dedupe", "export"}


def test_stdout_output(seed_folder: Path) -> None:
    status, out, _ = run("build", str(seed_folder), "-o", "-", "--format", "csl-json", "--offline")
    assert status == 0
    assert len(json.loads(out)) == 8


def test_rejected_input_gives_exit_1_and_names_the_file(seed_folder: Path, tmp_path: Path) -> None:
    (seed_folder / "broken.txt").write_bytes(b"")
    out = tmp_path / "refs.bib"
    status, _, err = run("build", str(seed_folder), "-o", str(out), "--offline")
    assert status == 1
    assert "broken.txt: the file is empty" in err
    assert "Traceback" not in err
    assert len(bibtexparser.parse_string(out.read_text()).entries) == 8


def test_unknown_output_suffix_is_usage_error(seed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "refs.xyz"
    status, _, err = run("build", str(seed_folder), "-o", str(out), "--offline")
    assert status == 2
    assert "cannot tell the output format" in err and "bibtex" in err
    assert not out.exists()


def test_missing_output_folder_is_usage_error(seed_folder: Path, tmp_path: Path) -> None:
    status, _, err = run("build", str(seed_folder), "-o", str(tmp_path / "no" / "r.bib"))
    assert status == 2
    assert err.count("\n") == 1 and "output folder does not exist" in err


def test_failed_write_keeps_existing_output(
    seed_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "refs.bib"
    out.write_text("precious\n")

    def explode(self: object, citations: object, stream: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(BibtexExporter, "write", explode)
    status, _, err = run("build", str(seed_folder), "-o", str(out), "--offline")
    assert status == 2 and "No space left on device" in err
    assert out.read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".refs")] == []


def test_failed_write_from_workers_keeps_existing_output(
    seed_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs rendered by worker processes, the disk full when they are written."""
    monkeypatch.setattr(spread, "BATCH", 2)
    out = tmp_path / "refs.bib"
    out.write_text("precious\n")

    def explode(self: object, runs: object, stream: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(BibtexExporter, "assemble", explode)
    status, _, err = run("build", str(seed_folder), "-o", str(out), "--offline", "--jobs", "2")
    assert status == 2 and "No space left on device" in err
    assert err.count("\n") == 1
    assert out.read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".refs")] == []


def test_parse_stdin_prints_csl_array_in_order() -> None:
    lines = SEED.read_text().split("\n")
    start = lines.index("References") + 2
    refs = lines[start : start + 3]
    status, out, _ = run("parse", stdin="\n".join(refs) + "\n")
    assert status == 0
    items = json.loads(out)
    assert [i["container-title"] for i in items] == ["Stem Cells", "Mult Scler", "Cell Mol Immunol"]


def test_parse_bibtex_format() -> None:
    status, out, _ = run("parse", SEED_REF, "--format", "bibtex")
    assert status == 0
    assert bibtexparser.parse_string(out).entries[0].key == "sun2009mesenchymal"


def test_help_shows_examples_and_version() -> None:
    assert "refkit build examples/records -o refs.bib" in run("--help")[1]
    assert run("--version")[1].startswith("refkit, version ")


def test_real_subprocess_on_examples(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    command = [sys.executable, "-m", "refkit", "build", str(EXAMPLES), "-o", str(out), "--offline"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    keys = [e.key for e in bibtexparser.parse_string(out.read_text()).entries]
    assert "nct00962923" in keys and "sun2009mesenchymal" in keys
