"""Whatever text a citation holds, refkit's BibTeX and BibLaTeX are files bibtexparser reads
whole: one entry per citation, under its key, each value giving back the text it was given."""

from __future__ import annotations

import io
import unicodedata

import pytest
from bibtexparser.entrypoint import parse_string
from hypothesis import given, settings
from hypothesis import strategies as st

from refkit import plugins
from refkit.exporters.keys import assign_keys
from refkit.formats.latex import to_text
from refkit.formats.types import TYPES
from refkit.model import Citation, Name

# Any character a string can hold but surrogates (not text) and unassigned code points.
anything = st.text(st.characters(blacklist_categories=("Cs", "Cn")), max_size=30)
something = anything.filter(bool)  # a Name holds some name (its rule)
names = st.builds(Name, family=something, given=anything) | st.builds(Name, literal=something)
citations = st.builds(
    Citation,
    type=st.sampled_from(sorted(TYPES)),
    id=anything,
    title=anything,
    author=st.lists(names, max_size=3).map(tuple),
    container_title=anything,
    publisher=anything,
    note=anything,
    keyword=st.lists(anything, max_size=3).map(tuple),
    title_short=anything,
    editor=st.lists(names, max_size=2).map(tuple),
    collection_title=anything,
    volume=anything,
    issue=anything,
    number=anything,
    page=anything,
    edition=anything,
    genre=anything,
    publisher_place=anything,
    abstract=anything,
    language=anything,
    doi=anything,
    pmid=anything,
    pmcid=anything,
    isbn=anything,
    issn=anything,
    url=anything,
    extra=st.lists(st.tuples(anything, anything), max_size=2).map(tuple),
)


def written(items: list[Citation], fmt: str) -> str:
    stream = io.StringIO()
    plugins.exporter(fmt).write(items, stream)
    return stream.getvalue()


def spaced(text: str) -> str:
    """A value as BibTeX holds it: composed, each run of white space one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
@settings(max_examples=200, deadline=None)
@given(items=st.lists(citations, min_size=1, max_size=3))
def test_bibtexparser_reads_every_entry_back(fmt: str, items: list[Citation]) -> None:
    keyed = assign_keys(items)
    library = parse_string(written(keyed, fmt))
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == [c.id for c in keyed]
    for citation, entry in zip(keyed, library.entries, strict=True):
        values = {f.key: str(f.value) for f in entry.fields}
        if spaced(citation.title):
            assert spaced(to_text(values["title"])) == spaced(citation.title)
        if spaced(citation.note):  # the note, then a line per extra identifier
            assert spaced(to_text(values["note"])).startswith(spaced(citation.note))
