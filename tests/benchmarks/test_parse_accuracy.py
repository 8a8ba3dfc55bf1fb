"""The accuracy benchmark's comparison rules, on values where the answer is known."""

from __future__ import annotations

from helpers import load_benchmark

accuracy = load_benchmark("parse_accuracy")


def test_text_folds_case_accents_and_punctuation() -> None:
    assert accuracy.fold("Ünïcode—Title: a “Test”.") == "unicode title a test"


def test_pages_compare_by_first_page_and_years_by_year() -> None:
    key = accuracy.field_key
    assert key("page", "1421-32") == key("page", "1421–1432") == key("page", "pp. 1421")
    assert key("page", "e1234") != key("page", "1234")
    assert key("issued", "2009-06") == key("issued", {"date-parts": [[2009]]})


def test_anystyle_volume_segments_give_the_volume_number() -> None:
    key = accuracy.field_key
    assert key("volume", "2012;30(15)") == key("volume", "30(15)") == key("volume", "30")
    assert key("volume", "v. 26") == "26"


def test_authors_by_family_and_initials() -> None:
    gold = {"author": [{"family": "Lieber", "given": "Richard L."}, {"family": "Jacks"}]}
    right = {"author": [{"family": "Lieber", "given": "RL"}, {"family": "Jacks"}]}
    wrong = {"author": [{"family": "Lieber", "given": "R"}, {"family": "Jacks"}]}
    assert accuracy.score_case(gold, right)["author"] == accuracy.Counts(tp=1)
    assert accuracy.score_case(gold, wrong)["author"] == accuracy.Counts(fp=1, fn=1)


def test_raw_gold_author_string_compares_name_tokens() -> None:
    gold = {"author": "Lin TC, Yen JM, et al"}
    right = {"author": [{"family": "Lin", "given": "T. C."}, {"family": "Yen", "given": "JM"}]}
    short = {"author": [{"family": "Lin", "given": "TC"}]}
    assert accuracy.score_case(gold, right)["author"].tp == 1
    assert accuracy.score_case(gold, short)["author"].tp == 0


def test_only_labelled_fields_are_scored_and_counts_add_up() -> None:
    cases = [
        {"id": "a", "source": "s", "fields": {"title": "A title.", "DOI": "10.1/X"}},
        {"id": "b", "source": "s", "fields": {"title": "Other"}},
    ]
    predicted = {"a": {"title": "a title", "volume": "3"}, "b": {"title": "Wrong"}}
    scores = accuracy.score(cases, lambda case: predicted[case["id"]])
    assert set(scores["s"]) == {"title", "DOI"}
    assert scores["s"]["title"] == accuracy.Counts(tp=1, fp=1, fn=1)
    assert scores["s"]["DOI"] == accuracy.Counts(fn=1)
    assert scores["s"]["title"].f1 == 0.5


def test_doi_labels_compare_without_their_label_spaces_or_the_next_label() -> None:
    key = accuracy.field_key
    want = key("DOI", "10.1103/PhysRevD.11.395")
    assert key("DOI", "doi :10.1103/PhysRevD.11.395.URL") == want
    assert key("DOI", "doi.10.1103/PhysRevD.11.395") == want
    assert key("DOI", "10. 1103/PhysRevD.11.395") == want


def test_pages_compare_without_the_label_word_or_bracket_printed_before_them() -> None:
    key = accuracy.field_key
    want = key("page", "113-118")
    assert key("page", "(pp. 113-118)") == key("page", "pages 113-118") == want
    assert key("page", "ages 113-118") == key("page", "S. 113") == want  # a label cut short
    assert key("page", "A-349") != key("page", "349")  # a letter of the page itself stays


def test_inline_markup_is_compared_without_its_tags() -> None:
    plain = accuracy.fold("Microtus montanus.")
    assert accuracy.fold("<italic>Microtus montanus.</italic>") == plain
    assert accuracy.fold("&lt;i&gt;Microtus&lt;/i&gt; montanus") == plain
    assert accuracy.fold("Fish & Chips <3") == "fish chips 3"  # no tag: text kept
