"""Plugins declare their file suffixes as entry points; an output's suffix picks its exporter."""

from __future__ import annotations

import pytest

from refkit import plugins
from refkit.errors import PluginNotFoundError


@pytest.mark.parametrize(
    ("output", "name"),
    [
        ("refs.bib", "bibtex"),
        ("refs.BIB", "bibtex"),
        ("refs.biblatex", "biblatex"),
        ("refs.csl.json", "csl-json"),
        ("refs.json", "csl-json"),
        ("refs.ris", "ris"),
    ],
)
def test_the_output_suffix_picks_the_exporter(output: str, name: str) -> None:
    assert plugins.exporter(output=output).name == name


def test_a_name_wins_over_the_suffix() -> None:
    assert plugins.exporter("ris", output="refs.bib").name == "ris"


def test_an_unknown_suffix_lists_the_known_ones() -> None:
    with pytest.raises(PluginNotFoundError, match=r"bibtex \(.bib .bibtex\)"):
        plugins.exporter(output="refs.docx")


def test_every_exporter_and_library_reader_declares_its_suffixes() -> None:
    for plugin in [*plugins.all_plugins(plugins.EXPORTERS), *plugins.library_readers()]:
        assert plugins.suffixes(plugin), plugin.name
    assert plugins.suffixes(plugins.exporter("bibtex")) == (".bibtex", ".bib")


def test_the_suffixes_meant_as_data() -> None:
    meant = plugins.all_suffixes(plugins.READERS, plugins.LIBRARIES)
    assert {".json", ".xml", ".bib", ".ris", ".jsonl"} <= meant
    assert ".png" not in meant
