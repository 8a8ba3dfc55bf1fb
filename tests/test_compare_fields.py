from __future__ import annotations

import pytest

from refkit.compare import (
    abbreviates,
    acronym_of,
    container_tokens,
    name_tokens,
    notice_kind,
    part_number,
    publisher_key,
    title_before_authors,
    title_with_citation,
)
from refkit.model import Name
from refkit.text import clean_title, expand_pages, fold, normalize_issue, page_range, volume_numbers


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Über die DNA", "uber die dna"),
        ('{\\"U}ber die {DNA}', "uber die dna"),
        ("ApoE<sup>-/-</sup> mice &amp; rats", "apoe mice rats"),
        ("Interferon-γ", "interferon gamma"),
        ("Straße  Søren", "strasse soren"),
        ("零工工作者", "零工工作者"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Title of the work. [Review] [42 refs]", "Title of the work"),
        ("[Protective effects of incretin]. [Japanese]", "Protective effects of incretin"),
        ("[Research on fast track surgery] LA: Chi", "Research on fast track surgery"),
        (
            "Definitive cardiac stimulation. <ORIGINAL> LA ESTIMULACION",
            "Definitive cardiac stimulation",
        ),
        ("Dynamics of HPV16.[Erratum appears in J Clin Virol. 2006]", "Dynamics of HPV16"),
        ("[Only a tag]", "Only a tag"),
        ("Benefit of HPV-load testing (Structured abstract)", "Benefit of HPV-load testing"),
        ("Treatment of bronchial carcinoma (author's transl)", "Treatment of bronchial carcinoma"),
        (
            "Common Lisp: The Language (Second Edition).",
            "Common Lisp: The Language (Second Edition)",
        ),
        ("RETRACTED ARTICLE: Stem cells in lupus", "Stem cells in lupus"),
        ("WITHDRAWN: Antibiotics for acute otitis media", "Antibiotics for acute otitis media"),
    ],
)
def test_clean_title(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_a_citation_in_the_title_field() -> None:
    assert title_with_citation("Quinlan (1993) &quot;Combining instance-based learning&quot;,") == (
        "Combining instance-based learning",
        "Quinlan",
        1993,
    )
    plain = 'The "best" treatment (1993)'
    assert title_with_citation(plain) == (plain, "", None)


def test_a_title_in_the_author_field() -> None:
    assert title_before_authors("Common Lisp: The Language. By Guy L. Steele Jr., S. Fahlman") == (
        "Common Lisp: The Language",
        "Guy L. Steele Jr., S. Fahlman",
    )
    assert title_before_authors("Smith, J. and Doe, K.") == ("", "Smith, J. and Doe, K.")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Erratum: Gain-of-function mutations", "erratum"),
        ("Correction to: Gain-of-function mutations", "erratum"),
        ("Corrigendum to 'A study'", "erratum"),
        ("Retraction of: A study", "retraction"),
        ("Notice of retraction: A study", "retraction"),
        ("Reply to: Comment on a study", "reply"),
        ("In reply", "reply"),
        ("Comment on: A study", "comment"),
        ("Correction of hyponatremia in the elderly", ""),
        ("Retracted: Stem cells in lupus", ""),
        ("Response of tumours to radiotherapy", ""),
        ("Replication stress in cancer", ""),
    ],
)
def test_notice_kind(title: str, kind: str) -> None:
    assert notice_kind(title) == kind


def test_part_number() -> None:
    assert part_number("Diabetes. Part I: basics") == "1"
    assert part_number("Diabetes, part 2") == "2"
    assert part_number("Diabetes: part two") == "2"
    assert part_number("Participation in trials") == ""


@pytest.mark.parametrize(
    ("page", "bounds", "expanded"),
    [
        ("1030-7", (1030, 1037), "1030-1037"),
        ("1421-32", (1421, 1432), "1421-1432"),
        ("S30-1", (30, 31), "S30-S31"),
        ("9848-9853", (9848, 9853), "9848-9853"),
        ("01-Oct", (1, 10), "01-Oct"),
        ("e24", (24, 24), "e24"),
        ("2297-2108", (2108, 2297), "2297-2108"),
    ],
)
def test_pages(page: str, bounds: tuple[int, int], expanded: str) -> None:
    assert page_range(page) == bounds
    assert expand_pages(page) == expanded


def test_page_without_numbers() -> None:
    assert page_range("no pagination") is None
    assert page_range("Suppl-6") is None  # the first page is lost: no range to compare
    assert page_range("(pp. 107 - 120).") == (107, 120)
    assert page_range("pp 278-296,") == (278, 296)  # "pp" without its dot


@pytest.mark.parametrize("count", ["215 p", "215 pp.", "xv, 1055", "xii, 300 pages"])
def test_a_count_of_pages_is_no_range(count: str) -> None:
    assert page_range(count) is None


def test_month_issues() -> None:
    assert [normalize_issue(i) for i in ("May", "sept", " 5 ", "3-B", "Spring")] == [
        "5",
        "9",
        "5",
        "3-b",
        "spring",
    ]


def test_volume_numbers() -> None:
    assert volume_numbers("44 (2 Supplement 1)") == {"44", "2", "1"}
    assert volume_numbers("Ph.D.") == frozenset()
    assert volume_numbers("059") == {"59"}


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Pediatr Nephrol", "Pediatric Nephrology"),
        ("Orphanet J Rare Dis.", "Orphanet Journal Of Rare Diseases"),
        ("New Engl J Med", "New England Journal of Medicine"),
        ("BMJ (Clinical research ed.)", "BMJ"),
        ("Circulation. Conference: AHA Scientific Sessions", "Circulation"),
        (
            "Hematology/Oncology Clinics of North America",
            "Hematology - Oncology Clinics of North America",
        ),
        ("Analytical & Bioanalytical Chemistry", "Analytical and Bioanalytical Chemistry"),
    ],
)
def test_journal_abbreviations_compare_equal(short: str, full: str) -> None:
    assert abbreviates(container_tokens(short), container_tokens(full))


def test_other_journals_do_not() -> None:
    assert not abbreviates(container_tokens("Cancer"), container_tokens("Clinical Cancer Research"))
    assert not abbreviates(
        container_tokens("Nephron"), container_tokens("Nephron Clinical Practice")
    )


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        (
            "In Proceedings of IJCAI-81,",
            "Proceedings of the Seventh International Joint Conference on Artificial Intelligence,",
            True,
        ),
        ("JAMA", "Journal of the American Medical Association", True),
        (
            "JNCCN Journal of the National Comprehensive Cancer Network",
            "Journal of the National Comprehensive Cancer Network",
            True,
        ),
        ("MIS Quarterly", "Journal of Management Information Systems", False),
        ("BMJ", "British Medical Journal Case Reports", False),
        (
            "AIS Transactions on Human-Computer Interaction",
            "Journal of the Association for Information Systems",
            False,
        ),
    ],
)
def test_acronyms(one: str, other: str, same: bool) -> None:
    a, b = container_tokens(one), container_tokens(other)
    assert (acronym_of(a, b) or acronym_of(b, a)) is same


@pytest.mark.parametrize(
    "raw",
    [
        "Arakawa M.Mita T.Azuma K.",
        "Arakawa, M. and Mita, T. and Azuma, K.",
        "M. Arakawa; T. Mita; K. Azuma",
        "Arakawa Masayuki and Mita Tomoya and Azuma Kosuke",
    ],
)
def test_raw_author_strings(raw: str) -> None:
    names, first = name_tokens((Name(literal=raw),))
    assert {"arakawa", "mita", "azuma"} <= names
    assert "arakawa" in first


def test_structured_names_drop_particles() -> None:
    names, first = name_tokens((Name(family="van der Burg", given="S H"), Name(family="Kenter")))
    assert names == {"burg", "kenter"}
    assert first == {"burg"}


@pytest.mark.parametrize(
    ("raw", "surname"),
    [
        ("John Ross Quinlan.", "quinlan"),
        ("Guy L. Steele Jr., Scott E. Fahlman", "steele"),
        ("Quinlan J. R.", "quinlan"),
        ("Zhai, Q. J. and Yue, X. Y.", "zhai"),
    ],
)
def test_first_author_of_a_raw_string(raw: str, surname: str) -> None:
    assert surname in name_tokens((Name(literal=raw),))[1]


def test_run_together_names_add_no_last_author() -> None:
    assert name_tokens((Name(literal="Arakawa M.Mita T."),))[1] == {"arakawa", "mita"}


@pytest.mark.parametrize(
    ("publisher", "key"),
    [
        ("MA: Kluwer.", "kluwer"),
        ("Kluwer Academic Publishers", "kluwer"),
        ("Morgan Kaufmann Inc.", "morgan"),
        ("The University of Chicago Press", "chicago"),
        ("", ""),
    ],
)
def test_publisher_key(publisher: str, key: str) -> None:
    assert publisher_key(publisher) == key
