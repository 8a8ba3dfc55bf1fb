from __future__ import annotations

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from refkit.parse import parse_reference

pieces = st.sampled_from(
    [
        "Sun L, Shi S.",
        " Title.",
        " Stem Cells.",
        " 2009 Jun;27(6):1421-32.",
        " doi: 10.1002/stem.68.",
        " PMID: 19544473.",
        "(",
        ")",
        ";",
        ":",
        ".",
        " et al.",
        " 2017 Jul 19;",
        "\\",
        "{",
        "}",
    ]
)
texts = st.one_of(st.text(max_size=200), st.lists(pieces, max_size=12).map("".join))


@settings(max_examples=300, deadline=None)
@given(texts)
@example(".;. . 02000Jul;(0):0")  # a name list of dots once made an empty name
def test_never_raises_and_keeps_raw(text: str) -> None:
    citation = parse_reference(text)
    assert citation.raw == text
    assert citation.type
    assert not [w for w in citation.warnings if w.startswith("parser failed")]


@settings(max_examples=200, deadline=None)
@given(texts)
def test_identifiers_in_the_string_are_in_the_result(text: str) -> None:
    assume("10." not in text and "PMID" not in text.upper())
    citation = parse_reference(text + " doi: 10.1002/stem.68. PMID: 19544473.")
    assert citation.doi == "10.1002/stem.68"
    assert citation.pmid == "19544473"
