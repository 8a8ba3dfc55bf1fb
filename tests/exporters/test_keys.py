from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from roundtrip import citations

from refkit.exporters.keys import ascii_fold, assign_keys, base_key
from refkit.model import Citation, Date, Name

SUN = Citation(
    title="Mesenchymal stem cell transplantation reverses multiorgan dysfunction",
    author=(Name(family="Sun", given="L"),),
    issued=Date(2009, 6),
)


def test_readable_key() -> None:
    assert base_key(SUN) == "sun2009mesenchymal"
    assert base_key(Citation(type="report", number="NCT00962923")) == "nct00962923"
    other = Citation(title="The Ødegaard method", author=(Name(family="Müller-Łukasz"),))
    assert base_key(other) == "mullerlukaszodegaard"  # stop word skipped, ASCII-folded
    assert ascii_fold("Straße Ærø") == "Strasse AEro"


def test_clashes_get_letter_suffixes() -> None:
    keys = [c.id for c in assign_keys([SUN, SUN, Citation(title="Other"), SUN])]
    assert keys == ["sun2009mesenchymala", "sun2009mesenchymalb", "other", "sun2009mesenchymalc"]


@settings(max_examples=100, deadline=None)
@given(st.lists(citations, max_size=30))
def test_keys_are_ascii_unique_and_the_same_every_run(items: list[Citation]) -> None:
    keys = [c.id for c in assign_keys(items)]
    assert keys == [c.id for c in assign_keys(items)]
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[a-z0-9]+", k) for k in keys)
