from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from refkit.dedupe import dedupe, merge
from refkit.model import Citation, Date, Name, Provenance

WORKS = [
    Citation(
        title="Inhibition of monocyte adhesion to endothelial cells by exendin-4",
        author=(Name("Arakawa", "M"), Name("Mita", "T"), Name("Azuma", "K")),
        container_title="Diabetes",
        issued=Date(2010),
        volume="59",
        issue="4",
        page="1030-1037",
        doi="10.2337/db09-1694",
    ),
    Citation(
        title="Complement and the atypical hemolytic uremic syndrome in children",
        author=(Name("Loirat", "C"), Name("Noris", "M"), Name("Fremeaux-Bacchi", "V")),
        container_title="Pediatric Nephrology",
        issued=Date(2008),
        volume="23",
        page="1957-1972",
    ),
    Citation(
        title="Erratum: Complement and the atypical hemolytic uremic syndrome in children",
        author=(Name("Loirat", "C"), Name("Noris", "M"), Name("Fremeaux-Bacchi", "V")),
        container_title="Pediatric Nephrology",
        issued=Date(2008),
        volume="23",
    ),
    Citation(
        title="Editorial",
        author=(Name("Hayman", "J"),),
        container_title="New Zealand Journal of Human Resources Management",
        issued=Date(2015),
    ),
    Citation(
        title="Editorial",
        author=(Name("Roche", "M"),),
        container_title="New Zealand Journal of Human Resources Management",
        issued=Date(2016),
    ),
    Citation(
        title="Unilateral neglect in stroke: a comparative study of rehabilitation",
        author=(Name("Chan", "D Y W"), Name("Man", "D W K")),
        container_title="Topics in Geriatric Rehabilitation",
        issued=Date(2013),
        volume="29",
        issue="2",
        page="126-134",
    ),
]
ABBREVIATED = {
    "Pediatric Nephrology": "Pediatr Nephrol",
    "Topics in Geriatric Rehabilitation": "Top Geriatr Rehabil",
}


@st.composite
def variant(draw: st.DrawFn, number: int) -> Citation:
    """A real-looking export of one of WORKS: case, typos, abbreviations, dropped fields."""
    origin = draw(st.integers(0, len(WORKS) - 1))
    work = WORKS[origin]
    title = work.title
    if draw(st.booleans()):
        title = title.upper()
    if draw(st.booleans()) and len(title) > 30:
        at = draw(st.integers(12, len(title) - 2))
        title = title[:at] + title[at + 1] + title[at] + title[at + 2 :]
    authors = work.author
    if draw(st.booleans()):
        authors = (Name(literal=" and ".join(f"{n.family}, {n.given}." for n in authors)),)
    elif draw(st.booleans()):
        authors = tuple(reversed(authors))
    container = work.container_title
    if draw(st.booleans()):
        container = ABBREVIATED.get(container, container)
    return replace(
        work,
        id=f"r{number}",
        title=title,
        author=authors,
        container_title=container,
        doi=work.doi if draw(st.booleans()) else "",
        page=work.page if draw(st.booleans()) else "",
        cited_by=(f"NCT{number:08d}",),
        note=f"work {origin}",  # where it came from, for checking the clusters
    )


@st.composite
def libraries(draw: st.DrawFn) -> list[Citation]:
    size = draw(st.integers(1, 14))
    return [draw(variant(number)) for number in range(size)]


def clusters_by_id(citations: list[Citation]) -> set[frozenset[str]]:
    result = dedupe(citations)
    return {frozenset(citations[i].id for i in members) for members in result.clusters}


@settings(deadline=None, max_examples=60)
@given(libraries())
def test_deduplicating_twice_changes_nothing(citations: list[Citation]) -> None:
    once = dedupe(citations)
    twice = dedupe(once.citations)
    assert twice.merged == 0
    assert twice.citations == once.citations


@settings(deadline=None, max_examples=60)
@given(st.data())
def test_input_order_does_not_change_clusters(data: st.DataObject) -> None:
    citations = data.draw(libraries())
    shuffled = data.draw(st.permutations(citations))
    assert clusters_by_id(citations) == clusters_by_id(list(shuffled))


@settings(deadline=None, max_examples=60)
@given(libraries())
def test_exports_of_one_work_merge_and_others_do_not(citations: list[Citation]) -> None:
    """Never two works in one cluster; every work with a specific title in one cluster.

    Exports of one editorial may stay apart: a generic title alone proves nothing.
    """
    result = dedupe(citations)
    for members in result.clusters:
        assert len({citations[i].note for i in members}) == 1
    specific = [c.note for c in citations if c.title.lower() != "editorial"]
    clustered = [result.citations[n].note for n in range(len(result.clusters))]
    assert sorted(n for n in clustered if n in specific) == sorted(set(specific))


def test_merge_keeps_the_most_complete_fields_and_every_citing_trial() -> None:
    short = replace(
        WORKS[0], id="a", page="", doi="", keyword=("lupus",), cited_by=("NCT00000001",)
    )
    full = replace(
        WORKS[0],
        id="b",
        issn="0012-1797",
        keyword=("to-read",),
        cited_by=("NCT00000002",),
        provenance=(Provenance("records/NCT00000002.txt", "NCT00000002"),),
    )
    merged = merge([short, full])
    assert merged.id == "a"
    assert merged.page == "1030-1037"
    assert merged.doi == "10.2337/db09-1694"
    assert merged.issn == "0012-1797"
    assert merged.keyword == ("lupus", "to-read")  # the user's keywords stay keywords
    assert merged.cited_by == ("NCT00000001", "NCT00000002")
    assert ("Cited by", "NCT00000001, NCT00000002") in merged.extra_lines
    assert merged.to_csl()["keyword"] == "lupus, to-read, NCT00000001, NCT00000002"
    assert "Cited by: NCT00000001, NCT00000002" in merged.to_csl()["note"]
    assert merged.provenance == full.provenance


def test_a_work_cited_by_one_trial_names_it_as_a_merged_one_does() -> None:
    once = replace(
        WORKS[1], keyword=("lupus",), cited_by=("NCT00000003",), extra=(("Cited by", "old"),)
    )
    result = dedupe([once, WORKS[3]])
    assert result.citations[0].extra_lines == (("Cited by", "NCT00000003"),)
    assert "Cited by: NCT00000003" in result.citations[0].to_csl()["note"]
    assert result.citations[1] == WORKS[3]  # no citing trial known: left as it is
    assert dedupe(result.citations).citations == result.citations


def test_a_users_keyword_that_looks_like_a_trial_is_still_a_keyword() -> None:
    mine = replace(WORKS[1], keyword=("NCT00000003", "lupus"))
    (result,) = dedupe([mine]).citations
    assert result.cited_by == () and result.extra_lines == ()
    assert result.keyword == ("NCT00000003", "lupus")


def test_merge_keeps_a_second_identifier_as_an_extra_line() -> None:
    a = replace(WORKS[0], issn="0012-1797")
    b = replace(WORKS[0], issn="1939-327X")
    assert ("ISSN", "1939-327X") in merge([a, b]).extra


def test_merge_prefers_the_plain_title() -> None:
    a = replace(
        WORKS[1],
        title=WORKS[1].title + ". [Review] [88 refs]",
    )
    assert merge([a, WORKS[1]]).title == WORKS[1].title


def test_a_chain_cannot_join_guarded_members() -> None:
    """b matches a and c alone, but a and c are different volumes: they stay apart."""
    a = replace(WORKS[5], id="a", volume="29", page="")
    b = replace(WORKS[5], id="b", volume="", page="")
    c = replace(WORKS[5], id="c", volume="30", page="")
    result = dedupe([a, b, c])
    assert len(result.clusters) == 2
    assert result.links[0][0].verdict.rule == "fuzzy"
