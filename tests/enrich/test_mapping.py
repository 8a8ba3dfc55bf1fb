"""Crossref work JSON → Citation, on every real recorded response and on kept real works."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import DATA, SHARED
from hypothesis import given, settings
from hypothesis import strategies as st

from refkit.enrich.mapping import (
    CROSSREF_TO_CSL,
    CSL_TYPES,
    POSTED_CONTENT_SUBTYPES,
    SELECT_FIELDS,
    citation_from_crossref,
    clean_text,
    crossref_date,
    csl_type,
    issued,
    retraction_notice,
)
from refkit.identifiers import normalize_doi
from refkit.model import SOURCE_CROSSREF, Citation, Date

RESPONSES = SHARED / "crossref" / "responses"
CASES = DATA / "enrich" / "mapping"

# Crossref key → the Citation attribute that must be filled whenever the key has a value.
FIELD_MAP = {
    "title": "title",
    "short-title": "title_short",
    "author": "author",
    "editor": "editor",
    "container-title": "container_title",
    "short-container-title": "container_title_short",
    "container-title-short": "container_title_short",
    "volume": "volume",
    "issue": "issue",
    "page": "page",
    "article-number": "page",
    "edition-number": "edition",
    "ISSN": "issn",
    "ISBN": "isbn",
    "publisher": "publisher",
    "publisher-location": "publisher_place",
    "URL": "url",
    "language": "language",
    "DOI": "doi",
    "issued": "issued",
    "published-print": "issued",
    "published-online": "issued",
}


def _messages(kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(name, message) of every recorded body of one kind (works, work-list items, CSL)."""
    if not RESPONSES.is_dir():
        return []
    found = []
    for path in sorted(RESPONSES.glob("*/*.json")):
        if path.name.endswith(".headers.json"):
            continue
        body = json.loads(path.read_text(encoding="utf-8"))
        message = body.get("message") if "message-type" in body else body
        name = f"{path.parent.name}/{path.name}"
        if kind == "work" and path.parent.name == "works":
            found.append((name, message))
        elif kind == "work" and body.get("message-type") == "work-list":
            found += [(f"{name}#{i}", item) for i, item in enumerate(message["items"])]
        elif kind == "csl" and path.parent.name == "csl":
            found.append((name, message))
    return found


WORKS = _messages("work")
CSL = _messages("csl")
needs_shared = pytest.mark.skipif(not RESPONSES.is_dir(), reason="../shared/crossref is absent")


def _has_value(value: Any) -> bool:
    if isinstance(value, dict):
        parts = value.get("date-parts") or [[None]]
        return bool(parts and parts[0] and parts[0][0] is not None)
    if isinstance(value, list):
        return any(_has_value(item) for item in value)
    return value not in (None, "", [])


def _usable_names(value: Any) -> bool:
    return any(n.get("family") or n.get("given") or n.get("name") for n in value or [])


@pytest.fixture(scope="module")
def csl_enum(request: pytest.FixtureRequest) -> frozenset[str]:
    schema_path = SHARED / "csl" / "csl-data.json"
    if not schema_path.is_file():
        pytest.skip("../shared/csl is absent")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return frozenset(schema["items"]["properties"]["type"]["enum"])


@needs_shared
def test_every_real_response_is_read() -> None:
    assert len([n for n, _ in WORKS if n.startswith("works/")]) >= 90
    assert len(CSL) >= 30


@needs_shared
@pytest.mark.parametrize(("name", "message"), WORKS + CSL, ids=[n for n, _ in WORKS + CSL])
def test_every_present_field_is_mapped(
    name: str, message: dict[str, Any], csl_enum: frozenset[str]
) -> None:
    citation = citation_from_crossref(message)
    assert citation.type in csl_enum
    for key, attr in FIELD_MAP.items():
        value = message.get(key)
        names = key in ("author", "editor")
        present = _usable_names(value) if names else _has_value(value)
        if present:
            assert getattr(citation, attr) not in ("", (), None), f"{key} → {attr}"
    if message.get("DOI"):
        assert citation.doi == normalize_doi(message["DOI"])
    for text in (citation.title, citation.container_title, *[n.display() for n in citation.author]):
        assert "<" not in text and "&amp;" not in text and "&lt;" not in text
        assert "\n" not in text and "  " not in text
    _assert_titles_and_notices(message, citation)
    filled = {f for f, _ in citation.sources}
    assert all(source == SOURCE_CROSSREF for _, source in citation.sources)
    assert "title" in filled or not citation.title


def _assert_titles_and_notices(message: dict[str, Any], citation: Citation) -> None:
    """Subtitles join their title, other titles and notices about the work become note lines."""
    keys = [key for key, _ in citation.extra]
    subtitles = [clean_text(t) for t in message.get("subtitle") or [] if isinstance(t, str)]
    if subtitles and subtitles[0] and citation.title:
        assert subtitles[0].casefold() in citation.title.casefold()
    titles = [t for t in message.get("title") or [] if isinstance(t, str) and t.strip()]
    if isinstance(message.get("title"), list) and len(titles) > 1:
        assert keys.count("Translated title") == len(titles) - 1
    if not titles and _has_value(message.get("original-title")):
        assert citation.title
    own = normalize_doi(str(message.get("DOI", "")))
    for update in message.get("updated-by") or []:
        if normalize_doi(update.get("DOI", "")) not in ("", own):
            assert {"Retracted", "Updated by"} & set(keys)


@needs_shared
def test_work_types_cover_crossref_type_list() -> None:
    types = json.loads((RESPONSES / "other" / "types.json").read_text(encoding="utf-8"))
    ids = {item["id"] for item in types["message"]["items"]}
    assert ids == set(CROSSREF_TO_CSL)


def test_type_table_gives_valid_csl_types(csl_enum: frozenset[str]) -> None:
    assert set(CROSSREF_TO_CSL.values()) <= csl_enum
    assert csl_enum == CSL_TYPES
    assert len(CROSSREF_TO_CSL) == 30


@pytest.mark.parametrize(
    ("crossref", "subtype", "expected"),
    [
        ("journal-article", None, "article-journal"),
        ("book-chapter", None, "chapter"),
        ("proceedings-article", None, "paper-conference"),
        ("posted-content", "preprint", "article"),
        ("posted-content", "blog", "post-weblog"),
        ("posted-content", None, "manuscript"),
        ("dissertation", None, "thesis"),
        ("article-journal", None, "article-journal"),  # a 2018 CSL body already says CSL
        ("no-such-type", None, "document"),
        (None, None, "document"),
    ],
)
def test_csl_type(crossref: str | None, subtype: str | None, expected: str) -> None:
    assert csl_type({"type": crossref, "subtype": subtype}) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "seed beetle\n            <i>Callosobruchus maculatus</i>",
            "seed beetle Callosobruchus maculatus",
        ),
        ("the δ&amp;lt;sup&amp;gt;13&amp;lt;/sup&amp;gt;C Decline", "the δ13C Decline"),
        ("<jats:title>A</jats:title> &amp; B", "A & B"),
        ("p < 0.05 and a<b and c>d", "p < 0.05 and a<b and c>d"),
        ("<mml:math><mml:mi>x</mml:mi></mml:math>-ray", "x-ray"),
        (None, ""),
        (42, "42"),
    ],
)
def test_clean_text(raw: Any, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"date-parts": [[2009, 6, 20]]}, Date(2009, 6, 20)),
        ({"date-parts": [[2009, 6]]}, Date(2009, 6)),
        ({"date-parts": [["2009"]]}, Date(2009)),
        ({"date-parts": [[None]]}, None),
        ({"date-parts": [[2009, 13]]}, Date(2009)),
        ({"date-parts": []}, None),
        ({"date-parts": "2009"}, None),
        ({"date-time": "2010-02-06T00:00:00Z"}, Date(2010, 2, 6)),
        ({"date-parts": [[None]], "date-time": "2010-02-06T00:00:00Z"}, None),
        ("2009", None),
        (None, None),
    ],
)
def test_crossref_date(value: Any, expected: Date | None) -> None:
    assert crossref_date(value) == expected


def test_print_date_wins_over_the_earlier_online_date() -> None:
    message = {
        "issued": {"date-parts": [[2008, 12, 1]]},
        "published-online": {"date-parts": [[2008, 12, 1]]},
        "published-print": {"date-parts": [[2009, 6]]},
    }
    assert issued(message) == Date(2009, 6)
    del message["published-print"]
    assert issued(message) == Date(2008, 12, 1)
    assert issued({"created": {"date-parts": [[2020, 1, 1]]}}) is None


@pytest.mark.parametrize(
    "message",
    [
        {},
        {"title": None, "author": None, "issued": None},
        {"title": [], "author": [], "container-title": [], "ISSN": []},
        {"title": [None, 3], "author": [None, "x", {}], "editor": "x", "relation": []},
        {"title": "a string", "container-title": "Journal", "type": ["journal-article"]},
        {"updated-by": [None, {"DOI": None}], "update-to": "x", "relation": {"cites": None}},
        {"issn-type": [{"type": "print"}], "ISBN": [None], "page": 12, "volume": 3},
    ],
)
def test_odd_shapes_never_raise(message: dict[str, Any]) -> None:
    citation = citation_from_crossref(message)
    assert citation.type in CSL_TYPES


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_KEYS = sorted(
    {
        *FIELD_MAP,
        "subtitle",
        "original-title",
        "update-to",
        "updated-by",
        "relation",
        "issn-type",
        "isbn-type",
        "type",
        "subtype",
        "journal-issue",
        "posted",
    }
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=8))
def test_any_json_shape_maps_without_raising(message: dict[str, Any]) -> None:
    citation = citation_from_crossref(message)
    assert citation.type in CSL_TYPES
    assert all(source == SOURCE_CROSSREF for _, source in citation.sources)
    assert isinstance(citation.to_csl(), dict)


def test_not_a_mapping_gives_an_empty_citation() -> None:
    assert citation_from_crossref(None).title == ""  # type: ignore[arg-type]


def test_readme_type_table_is_the_mapping_table() -> None:
    """README's "Crossref type → CSL type" rows say what CROSSREF_TO_CSL does, every type once."""
    readme = (DATA.parent.parent / "README.md").read_text(encoding="utf-8")
    readme = readme[readme.index("| Crossref type | CSL type |") :].split("\n\n")[0]
    rows = re.findall(r"^\| (`[a-z-]+`(?:, `[a-z-]+`)*) \| `([a-z-]+)`", readme, re.MULTILINE)
    listed: dict[str, str] = {}
    for crossref_types, csl in rows:
        for crossref in re.findall(r"`([a-z-]+)`", crossref_types):
            if crossref in CROSSREF_TO_CSL:
                assert crossref not in listed, crossref
                listed[crossref] = csl
    posted = next(line for line in readme.splitlines() if line.startswith("| `posted-content`"))
    for subtype, csl in POSTED_CONTENT_SUBTYPES.items():
        assert re.search(rf"`{csl}` \([^)]*`{subtype}`", posted), subtype
    assert posted.endswith(f"else `{CROSSREF_TO_CSL['posted-content']}` |")
    listed["posted-content"] = CROSSREF_TO_CSL["posted-content"]
    assert listed == CROSSREF_TO_CSL


def test_select_fields_cover_what_the_mapping_reads() -> None:
    needed = {"DOI", "title", "author", "container-title", "issued", "volume", "page", "type"}
    assert needed <= set(SELECT_FIELDS)
    assert "language" not in SELECT_FIELDS  # not selectable: Crossref answers 400


# --- notices ---------------------------------------------------------------------------------


def _work(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"DOI": "10.1234/abc", "type": "journal-article", "title": ["T"]}
    return {**base, **fields}


def test_a_retraction_in_updated_by_flags_the_work() -> None:
    notice = {
        "DOI": "10.1234/retraction",
        "type": "retraction",
        "label": "Retraction",
        "updated": {"date-parts": [[2015, 3, 2]]},
    }
    citation = citation_from_crossref(_work(**{"updated-by": [notice]}))
    assert retraction_notice(citation) == "10.1234/retraction (Retraction, 2015-03-02)"
    assert "Retracted: 10.1234/retraction (Retraction, 2015-03-02)" in citation.to_csl()["note"]


def test_a_retraction_watch_entry_and_a_title_mark() -> None:
    """The shape of the Wakefield paper's record (10.1016/S0140-6736(97)11096-0) as public code
    and notes describe it: no recorded body of a retracted work is at hand, so the message is
    assembled from those facts. Both notices come from Retraction Watch, with only
    ``date-time`` and a ``record-id``; the title carries the publisher's mark."""
    message = {
        "DOI": "10.1016/s0140-6736(97)11096-0",
        "type": "journal-article",
        "title": [
            "RETRACTED: Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and "
            "pervasive developmental disorder in children"
        ],
        "updated-by": [
            {
                "DOI": "10.1016/s0140-6736(04)15715-2",
                "type": "correction",
                "label": "Correction",
                "source": "retraction-watch",
                "updated": {"date-time": "2004-03-06T00:00:00Z"},
                "record-id": "17269",
            },
            {
                "DOI": "10.1016/s0140-6736(10)60175-4",
                "type": "retraction",
                "label": "Retraction",
                "source": "retraction-watch",
                "updated": {"date-time": "2010-02-06T00:00:00Z"},
                "record-id": "4036",
            },
        ],
    }
    citation = citation_from_crossref(message)
    assert citation.title.startswith("Ileal-lymphoid-nodular hyperplasia")
    assert retraction_notice(citation) == "10.1016/s0140-6736(10)60175-4 (Retraction, 2010-02-06)"
    assert citation.extra == (
        ("Updated by", "10.1016/s0140-6736(04)15715-2 (Correction, 2004-03-06)"),
        ("Retracted", "10.1016/s0140-6736(10)60175-4 (Retraction, 2010-02-06)"),
    )


def test_the_same_notice_from_two_sources_is_one_line() -> None:
    notice = {"DOI": "10.1234/n", "type": "retraction", "label": "Retraction"}
    updates = [{**notice, "source": "publisher"}, {**notice, "source": "retraction-watch"}]
    citation = citation_from_crossref(_work(**{"updated-by": updates}))
    assert citation.extra == (("Retracted", "10.1234/n (Retraction)"),)


def test_a_correction_is_an_update_not_a_retraction() -> None:
    notice = {"DOI": "10.1234/corr", "type": "correction", "label": "Correction"}
    citation = citation_from_crossref(_work(**{"updated-by": [notice]}))
    assert retraction_notice(citation) == ""
    assert ("Updated by", "10.1234/corr (Correction)") in citation.extra


def test_a_self_referencing_update_is_no_notice() -> None:
    update = {"DOI": "10.1234/ABC", "type": "new_version", "label": "New version"}
    citation = citation_from_crossref(
        _work(**{"updated-by": [update], "update-to": [update], "relation": {"new_version": []}})
    )
    assert citation.extra == ()


def test_a_retraction_relation_counts_from_the_notice_side_only() -> None:
    def relation(asserted_by: str) -> dict[str, Any]:
        target = {"id-type": "doi", "id": "10.1234/other", "asserted-by": asserted_by}
        return _work(relation={"retraction": [target]})

    retracted = citation_from_crossref(relation("object"))
    assert retraction_notice(retracted) == "10.1234/other (Retraction)"
    assert retraction_notice(citation_from_crossref(relation("subject"))) == ""


def test_a_notice_says_what_it_updates() -> None:
    update = {"DOI": "10.1234/original", "type": "retraction", "label": "Retraction"}
    citation = citation_from_crossref(_work(**{"update-to": [update]}))
    assert citation.extra == (("Updates", "10.1234/original (Retraction)"),)
    assert retraction_notice(citation) == ""


def test_a_retracted_title_is_stripped_and_flagged() -> None:
    citation = citation_from_crossref(_work(title=["RETRACTED: Stem cells in lupus"]))
    assert citation.title == "Stem cells in lupus"
    assert retraction_notice(citation)


# --- real works kept in tests/data/enrich/mapping ---------------------------------------------


def _cases() -> list[Path]:
    return sorted(path.parent for path in CASES.glob("*/input.json"))


def _actual(citation: Citation, key: str, expected: Any) -> Any:
    """The value ``expected.json`` names: a CSL key, or ``extra`` / ``orcid_first`` /
    ``author_first``; an author list is compared on as many names as it gives."""
    csl = citation.to_csl()
    if key == "extra":
        return [list(pair) for pair in citation.extra]
    if key == "orcid_first":
        return citation.author[0].orcid
    if key == "author_first":
        return csl["author"][0]
    if key in ("author", "editor"):
        return csl.get(key, [])[: len(expected)]
    return csl.get(key)


@pytest.mark.parametrize("case", _cases(), ids=[p.name for p in _cases()])
def test_real_work_maps_to_expected_fields(case: Path) -> None:
    body = json.loads((case / "input.json").read_text(encoding="utf-8"))
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    citation = citation_from_crossref(body["message"])
    for key, value in expected.items():
        assert _actual(citation, key, value) == value, key
