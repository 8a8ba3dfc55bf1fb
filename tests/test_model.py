from __future__ import annotations

import inspect
import json
import string
from dataclasses import FrozenInstanceError, fields, replace
from typing import Any

import pytest
from helpers import DATA
from hypothesis import given
from hypothesis import strategies as st

from refkit.model import Citation, Date, Name, replaced, stable_id

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30).map(str.strip)
word = st.text(string.ascii_letters + "éüøß-'", min_size=1, max_size=12)
names = st.one_of(
    st.builds(
        Name,
        family=word,
        given=word,
        suffix=st.sampled_from(["", "Jr"]),
        particle=st.sampled_from(["", "van der", "de la"]),
    ),
    st.builds(Name, literal=word),
)
dates = st.builds(
    lambda y, m, d: Date(y, m, d if m else None),
    st.integers(1500, 2100),
    st.one_of(st.none(), st.integers(1, 12)),
    st.one_of(st.none(), st.integers(1, 28)),
)
citations = st.builds(
    Citation,
    type=st.sampled_from(["article-journal", "book", "chapter", "report", "webpage"]),
    id=word,
    title=text,
    author=st.lists(names, max_size=4).map(tuple),
    container_title=text,
    issued=st.one_of(st.none(), dates),
    volume=st.text(string.digits, max_size=3),
    page=st.sampled_from(["", "1421-1432", "e1234"]),
    doi=st.sampled_from(["", "10.1002/stem.68"]),
    pmid=st.sampled_from(["", "19544473"]),
    pmcid=st.sampled_from(["", "PMC3456789"]),
    note=st.sampled_from(["", "Epub 2012 Apr 26", "Review"]),
    extra=st.sampled_from([(), (("arXiv", "2101.00001"),)]),
    keyword=st.lists(st.sampled_from(["NCT00962923", "NCT00000419"]), unique=True).map(tuple),
)


@given(citations)
def test_csl_round_trip_keeps_every_field(citation: Citation) -> None:
    assert Citation.from_csl(citation.to_csl()) == citation


@given(citations)
def test_csl_item_has_only_csl_keys_and_no_empty_values(citation: Citation) -> None:
    item = citation.to_csl()
    assert item["type"] == citation.type
    assert all(value not in ("", [], None) for value in item.values())
    assert "raw" not in item and "provenance" not in item


def test_pmid_goes_in_its_field_and_in_note() -> None:
    item = Citation(pmid="19544473", note="Review").to_csl()
    assert item["PMID"] == "19544473"
    assert item["note"] == "Review\nPMID: 19544473"


def test_partial_dates() -> None:
    assert Date.from_iso("2009-08-20") == Date(2009, 8, 20)
    assert Date.from_iso("2009-08") == Date(2009, 8)
    assert Date.from_iso("2009") == Date(2009)
    assert Date.from_iso("2009-13") is None
    assert Date.from_iso("August 2009") is None
    assert Date(2009, 6).to_csl() == {"date-parts": [[2009, 6]]}


def test_stable_id_depends_on_identity_only() -> None:
    a = Citation(doi="10.1002/STEM.68", title="A")
    b = Citation(doi="10.1002/stem.68", title="B")
    assert stable_id(a) == stable_id(b)
    assert stable_id(Citation(raw="x")) != stable_id(Citation(raw="y"))


def test_model_values_keep_the_dataclass_contract() -> None:
    """Each model class builds its values with a quicker ``__init__``: same behaviour."""
    name = Name("Sun", "LY")
    assert name == Name(family="Sun", given="LY", literal="") and name.orcid == ""
    assert hash(name) == hash(Name("Sun", "LY"))
    assert replace(name, given="L") == Name("Sun", "L")
    with pytest.raises(FrozenInstanceError):
        name.family = "Moon"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Date()  # type: ignore[call-arg]
    assert Date(2009, 6) == Date(year=2009, month=6, day=None, season=None)
    assert Citation().type == "article-journal" and Citation().confidence == 1.0
    for cls in (Name, Date, Citation):
        assert [p for p in inspect.signature(cls).parameters] == [f.name for f in fields(cls)]


MODEL_CASES = DATA / "model"
_KINDS: dict[str, type] = {"Date": Date, "Name": Name, "Citation": Citation}


@pytest.mark.parametrize(
    "case",
    json.loads((MODEL_CASES / "invalid_values.json").read_text(encoding="utf-8")),
    ids=lambda case: f"{case['kind']}-{case['why']}",
)
def test_model_values_refuse_what_breaks_their_rules(case: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        _KINDS[case["kind"]](**case["args"])


@pytest.mark.parametrize(
    "case",
    json.loads((MODEL_CASES / "csl_dates.json").read_text(encoding="utf-8")),
    ids=lambda case: case["why"],
)
def test_csl_dates_keep_what_is_a_date_and_say_what_was_left(case: dict[str, Any]) -> None:
    citation = Citation.from_csl({"type": "book", "title": "T", "issued": case["given"]})
    issued = citation.issued
    assert (issued.to_csl()["date-parts"][0] if issued else None) == case["kept"]
    assert (issued.season if issued else None) == case["season"]
    assert any("is not a date" in w for w in citation.warnings) == case["warned"]


def test_csl_items_of_unknown_type_are_documents_with_a_warning() -> None:
    citation = Citation.from_csl({"type": "software-package", "title": "T"})
    assert citation.type == "document"
    assert citation.warnings == ("type 'software-package' is not a CSL type: read as document",)


def test_csl_names_without_a_name_are_left_out() -> None:
    citation = Citation.from_csl(
        {"type": "book", "author": [{}, {"suffix": "Jr"}, {"family": "Ore", "given": "Øystein"}]}
    )
    assert citation.author == (Name(family="Ore", given="Øystein"),)


def test_replaced_is_dataclasses_replace_with_the_rules() -> None:
    citation = Citation(type="book", title="T", author=(Name("Ng", "A"),), issued=Date(2001))
    changes = {"id": "ng2001t", "cited_by": ("NCT00000001",), "title": "U"}
    assert replaced(citation, **changes) == replace(citation, **changes)
    assert replaced(citation) == citation
    with pytest.raises(ValueError, match="not a CSL type"):
        replaced(citation, type="no-such-type")
    with pytest.raises(KeyError):
        replaced(citation, no_such_field="x")
