"""The word lists shipped for the general model's features: they load and mark what they say."""

from __future__ import annotations

import gzip

import pytest

from refkit.parse.lexicon import LEXICON, lexicon_marks


def test_the_file_names_its_sources() -> None:
    head = gzip.decompress(LEXICON.read_bytes()).decode("utf-8").splitlines()[:3]
    assert all(line.startswith("# ") for line in head)
    assert "List of Title Word Abbreviations" in " ".join(head)
    assert "GeoNames" in " ".join(head)


@pytest.mark.parametrize(
    ("word", "marks"),
    [
        ("phys", ("abbr",)),  # Physical, Physics
        ("lett", ("abbr",)),  # Letters
        ("physiological", ("title",)),  # by the LTWA's stem "physiolog-"
        ("heidelberg", ("title", "place")),  # a city that serial titles name
        ("york", ("place",)),
        ("thousand", ("place1",)),  # Thousand Oaks
        ("smith", ()),
        ("quark", ()),
    ],
)
def test_marks(word: str, marks: tuple[str, ...]) -> None:
    assert lexicon_marks(word) == marks
