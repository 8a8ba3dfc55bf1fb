"""The convert benchmark's generated library and its count of fields kept."""

from __future__ import annotations

from pathlib import Path

from helpers import load_benchmark

from refkit.commands import convert
from refkit.readers.bibtex_blocks import RawEntry, Scanner

bench = load_benchmark("convert_scale")


def test_the_generated_library_holds_every_entry_type_and_field(tmp_path: Path) -> None:
    source = tmp_path / "library.bib"
    count = len(bench.ENTRY_TYPES) * bench.SHARE
    bench.generate(source, count)
    blocks = list(Scanner(source.read_text(encoding="utf-8")).blocks())
    entries = [b for b in blocks if isinstance(b, RawEntry)]
    assert len(entries) == len(blocks) == count  # and no problem
    assert {e.entry_type for e in entries} == set(bench.ENTRY_TYPES)
    names = {name for e in entries for name, _ in e.fields}
    assert set(bench.TEXT_FIELDS) | set(bench.NAME_FIELDS[:6]) <= names


def test_fields_kept_counts_a_lost_field(tmp_path: Path) -> None:
    source = tmp_path / "library.bib"
    bench.generate(source, 40)
    output = tmp_path / "out.bib"
    convert([source], str(output))
    total, kept, lost = bench.fields_kept(source, output)
    assert total == kept and not lost
    damaged = output.read_text(encoding="utf-8").replace("\tversion = {", "\tvershun = {", 1)
    output.write_text(damaged, encoding="utf-8")
    total, kept, lost = bench.fields_kept(source, output)
    assert kept == total - 1 and lost == {"version": 1}
