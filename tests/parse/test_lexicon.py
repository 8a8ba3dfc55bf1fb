"""The word lists shipped for the general model's features: they load and mark what they say."""

from __future__ import annotations

import gzip

import pytest

from refkit.parse.features import featurize
from refkit.parse.lexicon import LEXICON, lexicon_marks
from refkit.parse.tokens import tokenize


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


def test_a_journal_abbreviation_is_a_feature_and_so_is_its_stop() -> None:
    text = "Gell-Mann M. A schematic model of baryons. Phys. Lett. 8, 214 (1964)."
    tokens = tokenize(text)
    features = featurize(text, tokens)
    phys = features[[t.text for t in tokens].index("Phys")]
    baryons = features[[t.text for t in tokens].index("baryons")]
    assert {"lex=abbr", "abbrdot", "2:lex=abbr"} <= set(phys)  # "Lett" after the stop
    assert not any(f.startswith("lex=") or f == "abbrdot" for f in baryons)
