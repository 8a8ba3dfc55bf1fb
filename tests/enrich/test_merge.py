"""Merging a parsed reference with its registered record: conflict rules, warnings, sources."""

from __future__ import annotations

import json
from dataclasses import replace

from helpers import DATA

from refkit.enrich.mapping import citation_from_crossref
from refkit.enrich.merge import merge_registered
from refkit.model import SOURCE_CROSSREF, SOURCE_MERGED, SOURCE_PARSED, Citation, Date, Provenance
from refkit.parse import parse_reference

PONE = (
    "Sadasivan S, Pond BB, Pani AK, Qu C, Jiao Y, Smeyne RJ. Methylphenidate exposure induces "
    "dopamine neuron loss and activation of microglia in the basal ganglia of mice. PLoS One. "
    "2012;7(3):e33693. doi: 10.1371/journal.pone.0033693. PMID: 22470460"
)


def _registered(case: str = "updated-by-correction") -> Citation:
    path = DATA / "enrich" / "mapping" / case / "input.json"
    return citation_from_crossref(json.loads(path.read_text(encoding="utf-8"))["message"])


def _parsed(text: str = PONE) -> Citation:
    where = Provenance("records/NCT1.txt", "NCT00000001", "References", 3)
    return replace(parse_reference(text, where), cited_by=("NCT00000001",), id="ref-1")


def test_crossref_fills_gaps_and_keeps_identity() -> None:
    parsed, registered = _parsed(), _registered()
    merged = merge_registered(parsed, registered)
    assert merged.container_title == "PLoS ONE"
    assert merged.container_title_short == "PLoS ONE"  # the reference gave the full title
    assert merged.issn == "1932-6203" and merged.publisher == registered.publisher
    assert merged.author == registered.author
    assert (merged.id, merged.raw, merged.pmid) == ("ref-1", parsed.raw, "22470460")
    assert merged.provenance == parsed.provenance and merged.cited_by == ("NCT00000001",)
    assert merged.warnings == ()
    assert merged.match_score is None
    assert ("Updated by", registered.extra[0][1]) in merged.extra


def test_every_field_knows_its_source() -> None:
    merged = merge_registered(_parsed(), _registered())
    sources = dict(merged.sources)
    assert sources["issn"] == SOURCE_CROSSREF
    assert sources["container_title_short"] == SOURCE_CROSSREF
    assert sources["volume"] == SOURCE_MERGED  # both said 7
    assert sources["pmid"] == SOURCE_PARSED
    assert sources["title"] == SOURCE_MERGED
    filled = {name for name, _ in merged.sources}
    for name in ("title", "author", "issued", "page", "doi", "publisher", "url"):
        assert name in filled


def test_registered_values_win_conflicts_with_warnings() -> None:
    parsed = replace(_parsed(), issued=Date(2011), volume="8", page="e33699")
    merged = merge_registered(parsed, _registered())
    assert merged.issued == Date(2012, 3, 21)
    assert merged.volume == "7" and merged.page == "e33693"
    text = " | ".join(merged.warnings)
    assert "year: 2011 in the reference, 2012 registered" in text
    assert "volume: 8 in the reference, 7 registered" in text
    assert "pages: e33699 in the reference, e33693 registered" in text
    assert "10.1371/journal.pone.0033693" in text
    assert dict(merged.sources)["volume"] == SOURCE_CROSSREF


def test_the_abbreviation_the_reference_used_is_kept() -> None:
    parsed = parse_reference("Lehsnau M. Penile injury. Urologe A. 2007 Jul;46(7):776-9.")
    merged = merge_registered(parsed, _registered("translated-titles"))
    assert (merged.container_title, merged.container_title_short) == ("Der Urologe", "Urologe A")
    assert dict(merged.sources)["container_title_short"] == SOURCE_PARSED
    assert merged.page == "776-779" and merged.warnings == ()


def test_a_translated_title_is_no_title_conflict() -> None:
    parsed = parse_reference(
        "Lehsnau M. [Penile injury caused by a Moulinette. Result of autoerotic "
        "self-mutilation]. Urologe A. 2007 Jul;46(7):776-9. German."
    )
    merged = merge_registered(parsed, _registered("translated-titles"))
    assert merged.title.startswith("Penisverletzung durch eine Moulinette")
    assert merged.warnings == ()


def test_no_warning_when_they_agree_in_another_form() -> None:
    registered = replace(_registered(), page="776-779")
    parsed = replace(_parsed(), page="776-9")
    assert merge_registered(parsed, registered).warnings == ()


def test_the_more_precise_date_of_the_same_year_is_kept() -> None:
    registered = replace(_registered(), issued=Date(2012))
    parsed = replace(_parsed(), issued=Date(2012, 3))
    merged = merge_registered(parsed, registered)
    assert merged.issued == Date(2012, 3)
    assert dict(merged.sources)["issued"] == SOURCE_MERGED


def test_a_page_range_completes_a_first_page() -> None:
    registered = replace(_registered(), page="776")
    parsed = replace(_parsed(), page="776-9")
    assert merge_registered(parsed, registered).page == "776-779"


def test_match_score_is_recorded() -> None:
    assert merge_registered(_parsed(), _registered(), match_score=0.93).match_score == 0.93


def test_a_wholly_different_title_warns_of_a_wrong_doi() -> None:
    merged = merge_registered(_parsed(), _registered("author-suffix"))
    assert any(w.startswith("title:") for w in merged.warnings)


def test_et_al_warning_goes_when_crossref_gives_the_full_list() -> None:
    parsed = parse_reference(
        "Sadasivan S, et al. Methylphenidate exposure. PLoS One. 2012;7(3):e33693."
    )
    assert parsed.warnings
    assert merge_registered(parsed, _registered()).warnings == ()


def test_parsed_only_fields_stay_parsed() -> None:
    parsed = replace(_parsed(), url="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1/", note="Epub")
    merged = merge_registered(parsed, _registered())
    assert merged.url == parsed.url
    assert merged.note.startswith("Epub")


def test_the_registered_type_wins() -> None:
    parsed = _parsed()  # parsed as a journal article
    registered = replace(_registered("book-chapter-book-first"), title=parsed.title)
    merged = merge_registered(parsed, registered)
    assert merged.type == "chapter"
    assert merged.collection_title == "Lecture Notes in Computer Science"
    assert dict(merged.sources)["type"] == SOURCE_CROSSREF


def test_merge_is_stable() -> None:
    """Merging the same record again changes no value and adds no warning; the values now
    agree with Crossref's, so their source becomes ``merged``."""
    parsed = replace(_parsed(), volume="8")
    once = merge_registered(parsed, _registered())
    twice = merge_registered(once, _registered())
    assert replace(twice, sources=()) == replace(once, sources=())
    assert len(once.warnings) == 1
    assert dict(twice.sources)["volume"] == SOURCE_MERGED
