"""refkit's own check of Crossref search results: true matches accepted, near misses not."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import DATA, SHARED

from refkit.enrich.fields import first_page, is_notice, normalize_title
from refkit.enrich.mapping import citation_from_crossref
from refkit.enrich.match import MARGIN, Match, best_match, bibliographic_query
from refkit.model import Citation, Date, Name
from refkit.parse import parse_reference

WORKS = DATA / "enrich" / "mapping"


def _real(case: str) -> Citation:
    body = json.loads((WORKS / case / "input.json").read_text(encoding="utf-8"))
    return citation_from_crossref(body["message"])


def _all_real() -> list[Citation]:
    return [_real(path.parent.name) for path in sorted(WORKS.glob("*/input.json"))]


# NLM strings for real works (their metadata as registered with Crossref).
GIGA = (
    "Liu S, Huang S, Rao J, et al. Discovery, genotyping and characterization of structural "
    "variation and novel sequence at single nucleotide resolution from de novo genome assemblies "
    "on a population scale. Gigascience. 2015 Dec 24;4:64. doi: 10.1186/s13742-015-0103-4."
)
UROLOGE = (
    "Lehsnau M. [Penile injury caused by a Moulinette. Result of autoerotic self-mutilation]. "
    "Urologe A. 2007 Jul;46(7):776-9. German."
)
PONE = (
    "Sadasivan S, Pond BB, Pani AK, Qu C, Jiao Y, Smeyne RJ. Methylphenidate exposure induces "
    "dopamine neuron loss and activation of microglia in the basal ganglia of mice. PLoS One. "
    "2012;7(3):e33693. doi: 10.1371/journal.pone.0033693. Epub 2012 Mar 21. Erratum in: PLoS "
    "One. 2012;7(5). doi:10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda. PMID: 22470460"
)


@pytest.mark.parametrize(
    ("reference", "case"),
    [
        (GIGA, "organisation-author"),
        (UROLOGE, "translated-titles"),
        (PONE, "updated-by-correction"),
    ],
)
def test_true_matches_are_accepted_among_all_real_works(reference: str, case: str) -> None:
    parsed = parse_reference(reference)
    match = best_match(parsed, _all_real())
    assert match.accepted, match.reason
    assert match.candidate == _real(case)
    assert match.score >= 0.9
    assert match.score - match.runner_up >= MARGIN
    assert {e.field for e in match.evidence} == {"title", "author", "year", "volume", "page"}


def test_same_title_other_year_is_rejected() -> None:
    parsed = parse_reference(PONE)
    moved = replace(_real("updated-by-correction"), issued=Date(2015))
    match = best_match(parsed, [moved])
    assert not match.accepted
    assert "year differs" in match.reason


def test_one_year_apart_is_accepted() -> None:
    parsed = replace(parse_reference(PONE), issued=Date(2011))
    assert best_match(parsed, [_real("updated-by-correction")]).accepted


def test_same_title_other_volume_is_rejected() -> None:
    parsed = replace(parse_reference(PONE), volume="8")
    match = best_match(parsed, [_real("updated-by-correction")])
    assert not match.accepted and "volume differs" in match.reason


def test_other_first_page_is_rejected() -> None:
    parsed = replace(parse_reference(PONE), page="e33694")
    match = best_match(parsed, [_real("updated-by-correction")])
    assert not match.accepted and "page differs" in match.reason


def test_other_first_author_is_rejected() -> None:
    parsed = parse_reference(PONE.replace("Sadasivan S", "Miller J"))
    assert parsed.author[0] == Name("Miller", "J")
    match = best_match(parsed, [_real("updated-by-correction")])
    assert not match.accepted and "author differs" in match.reason


@pytest.mark.parametrize("prefix", ["Erratum: ", "Correction: ", "Retraction: ", "Reply to: "])
def test_a_notice_never_stands_for_the_article(prefix: str) -> None:
    article = _real("updated-by-correction")
    notice = replace(article, title=prefix + article.title, doi="10.1371/notice")
    parsed = parse_reference(PONE)
    assert not best_match(parsed, [notice]).accepted
    # With the article among the candidates, the notice is no rival.
    match = best_match(parsed, [notice, article])
    assert match.candidate == article
    assert match.runner_up == 0.0


def test_a_notice_update_to_is_no_match_for_the_article() -> None:
    article = _real("updated-by-correction")
    notice = replace(article, doi="10.1371/notice", extra=(("Updates", "10.1371/x (Correction)"),))
    assert not best_match(parse_reference(PONE), [notice]).accepted


def test_a_close_runner_up_makes_it_ambiguous() -> None:
    article = _real("updated-by-correction")
    twin = replace(article, doi="10.9999/twin")
    match = best_match(replace(parse_reference(PONE), doi=""), [article, twin])
    assert not match.accepted
    assert "ambiguous" in match.reason
    assert match.runner_up == match.score


def test_a_doi_in_the_reference_vetoes_a_twin_with_another() -> None:
    article = _real("updated-by-correction")
    twin = replace(article, doi="10.9999/twin")
    parsed = parse_reference(PONE)
    assert parsed.doi
    assert best_match(parsed, [twin, article]).candidate == article
    assert "different DOIs" in best_match(parsed, [twin]).reason


def test_a_preprint_without_volume_and_pages_loses_to_the_article() -> None:
    article = _real("updated-by-correction")
    preprint = replace(article, doi="10.1101/x", type="article", volume="", issue="", page="")
    match = best_match(parse_reference(PONE), [preprint, article])
    assert match.candidate == article
    assert match.score - match.runner_up >= MARGIN


def test_crossref_relevance_order_is_not_trusted() -> None:
    article = _real("updated-by-correction")
    others = [c for c in _all_real() if c.doi != article.doi]
    assert best_match(parse_reference(PONE), [*others, article]).candidate == article


def test_nothing_to_compare() -> None:
    assert best_match(Citation(), [_real("no-given-name")]).reason
    assert best_match(parse_reference(PONE), []).reason == "Crossref returned no candidates"
    assert Match(None).accepted is False


@pytest.mark.parametrize(
    ("title", "notice"),
    [
        ("Erratum", True),
        ("Correction: Methylphenidate exposure", True),
        ("Retraction notice to “Stem cells”", True),
        ("Re: Stem cells in lupus", True),
        ("Correction of scoliosis in adults", False),
        ("Reproducibility of stem cell assays", False),
        ("Responses to therapy", False),
        ("Response to neoadjuvant chemotherapy", False),
        ("Response: the authors reply", True),
        ("Author Correction: Single-molecule FRET", True),
        ("Correction to: Penile injury", True),
        ("Retraction of: Stem cells", True),
        ("Withdrawn", True),
    ],
)
def test_is_notice(title: str, notice: bool) -> None:
    assert is_notice(title) is notice


def test_normalize_title() -> None:
    assert normalize_title("[Penile injury: Result.]") == "penile injury result"
    assert normalize_title("Ćelije — “Stem” cells") == "celije stem cells"


@pytest.mark.parametrize(
    ("page", "first"), [("1421-1432", "1421"), ("e33693", "e33693"), ("S12–S18", "S12"), ("", "")]
)
def test_first_page(page: str, first: str) -> None:
    assert first_page(page) == first


def test_bibliographic_query_drops_identifiers_and_trailing_notes() -> None:
    query = bibliographic_query(parse_reference(PONE))
    assert query.startswith("Sadasivan S, Pond BB")
    assert "basal ganglia of mice. PLoS One. 2012;7(3):e33693" in query
    for noise in ("doi", "10.1371", "PMID", "22470460", "Epub", "Erratum", "annotation"):
        assert noise not in query


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "[85] Minker W. Speech and dialog. Springer, 2004.",
            "Minker W. Speech and dialog. Springer, 2004",
        ),
        (
            "139. Lin TC, et al. Abnormal glucose. BMC Med Genet 2006; 7: 36.",
            "Lin TC, Abnormal glucose. BMC Med Genet 2006; 7: 36",
        ),
        (
            "Taddy M. Document classification. arXiv preprint arXiv:1504.07295, 2015.",
            "Taddy M. Document classification. arXiv preprint 2015",
        ),
        (
            "CIA World Factbook. Available at https://www.cia.gov/ library/x.html",
            "CIA World Factbook",
        ),
        ("3D printing in surgery. Lancet. 2019;1:2.", "3D printing in surgery. Lancet. 2019;1:2"),
    ],
)
def test_bibliographic_query_cleans(raw: str, expected: str) -> None:
    assert bibliographic_query(Citation(raw=raw)) == expected


def test_bibliographic_query_from_fields_without_raw() -> None:
    citation = replace(_real("translated-titles"), raw="")
    query = bibliographic_query(citation)
    assert query.startswith("Lehsnau M.. Penisverletzung") is False
    assert "Lehsnau" in query and "Der Urologe" in query and "2007" in query


def test_bibliographic_query_is_bounded() -> None:
    assert len(bibliographic_query(Citation(raw="word " * 1000))) <= 500


def test_paths() -> None:
    assert isinstance(WORKS, Path) and WORKS.is_dir()


# --- real records rendered in 11 citation styles (../shared/gold/refs/rendered.jsonl) ---------


def _rendered() -> list[tuple[str, str]]:
    path = SHARED / "gold" / "refs" / "rendered.jsonl"
    if not path.is_file():
        return []
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(case["id"].split("|")[0].lower(), case["string"]) for case in cases]


@pytest.fixture(scope="module")
def shared_records() -> list[Citation]:
    works = SHARED / "crossref" / "responses" / "works"
    if not works.is_dir():
        pytest.skip("../shared/crossref is absent")
    paths = sorted(p for p in works.glob("*.json") if not p.name.endswith(".headers.json"))
    return [citation_from_crossref(json.loads(p.read_text("utf-8"))["message"]) for p in paths]


def test_rendered_references_find_their_record_and_no_other(
    shared_records: list[Citation],
) -> None:
    """Each string against its record and 6 neighbours (same publishers, mostly): never a
    wrong acceptance, and without its record never any acceptance."""
    cases = _rendered()
    if not cases:
        pytest.skip("../shared/gold/refs/rendered.jsonl is absent")
    position = {c.doi: i for i, c in enumerate(shared_records)}
    right = 0
    for doi, text in cases:
        parsed = replace(parse_reference(text), doi="")
        i = position[doi]
        neighbours = shared_records[max(0, i - 3) : i] + shared_records[i + 1 : i + 4]
        match = best_match(parsed, [*neighbours, shared_records[i]])
        assert match.candidate is None or match.candidate.doi == doi, (text, match.evidence)
        right += match.accepted
        assert not best_match(parsed, neighbours).accepted, text
    assert right / len(cases) >= 0.9  # 331 of 352 when measured (BENCHMARKS.md)
