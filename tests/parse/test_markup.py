"""Entities and inline markup are dropped before parsing; the raw string is kept as given."""

from __future__ import annotations

import pytest

from refkit.parse import parse_reference
from refkit.parse.markup import plain_text, prepared


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("&amp;lt;sup&amp;gt;13&amp;lt;/sup&amp;gt;C labelling", "13C labelling"),
        ("&lt;i&gt;In vivo&lt;/i&gt; study", "In vivo study"),
        ("<italic>Nature</italic> 2003", "Nature 2003"),
        ('<span class="x">A</span> &#x3B1;-helix &eacute;t&eacute;', "A α-helix été"),
        ("Smith & Jones <http://example.org> AT&T", "Smith & Jones <http://example.org> AT&T"),
    ],
)
def test_entities_are_decoded_and_inline_tags_dropped(text: str, plain: str) -> None:
    assert plain_text(text) == plain


def test_prepared_makes_spaces_one_and_leaves_plain_strings_alone() -> None:
    plain = "Sun L. Title. Stem Cells. 2009 Jun;27(6):1421-32."
    assert prepared(plain) is plain
    assert prepared(" A <i>b</i>\n  c ") == "A b c"


def test_a_title_with_markup_parses_as_plain_text_and_raw_is_untouched() -> None:
    text = (
        "Sun L, Shi S. &lt;sup&gt;13&lt;/sup&gt;C tracing of <i>Escherichia coli</i> growth. "
        "Stem Cells. 2009 Jun;27(6):1421-32."
    )
    citation = parse_reference(text)
    assert citation.title == "13C tracing of Escherichia coli growth"
    assert citation.container_title == "Stem Cells"
    assert citation.raw == text
