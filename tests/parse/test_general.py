"""The general model: tokens, aligner, features, decoding, the shipped model, retraining."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import DATA

from refkit.model import Citation
from refkit.parse import parse_reference
from refkit.parse.align import align, begin_inside
from refkit.parse.decode import runs, to_fields
from refkit.parse.features import featurize
from refkit.parse.general import label, using_model
from refkit.parse.names import parse_name_list
from refkit.parse.tokens import tokenize
from refkit.parse.train import (
    completed,
    labelled_case,
    leading_names,
    load_cases,
    main,
    partly_labelled,
    train,
)


def cases(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / "parse" / name).open(encoding="utf-8")]


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


ALIGN, DECODE, FEATURES = cases("align.jsonl"), cases("decode.jsonl"), cases("features.jsonl")
NAMES, GENERAL = cases("names.jsonl"), cases("general.jsonl")


def labelled_runs(text: str, labels: list[str]) -> list[list[str]]:
    tokens = tokenize(text)
    found = [
        (first, label, text[tokens[first].start : tokens[last].end])
        for label, spans in runs(labels).items()
        if label != "other"
        for first, last in spans
    ]
    return [[label, printed] for _, label, printed in sorted(found)]


@pytest.mark.parametrize("case", ALIGN, ids=ids(ALIGN))
def test_aligner_finds_each_labelled_value(case: dict[str, Any]) -> None:
    tokens, labels = align(case["string"], case["fields"])
    assert len(labels) == len(tokens)
    assert labelled_runs(case["string"], labels) == case["expected"]


def test_tokens_keep_links_whole_and_cut_their_trailing_stop() -> None:
    text = "Dog food. https://doi.org/10.53731/r79vxn1. (see https://x.org/a_(b))."
    assert [(t.text, t.kind) for t in tokenize(text)][3:] == [
        ("https://doi.org/10.53731/r79vxn1", "doi"),
        (".", "mark"),
        ("(", "mark"),
        ("see", "word"),
        ("https://x.org/a_(b)", "url"),
        (")", "mark"),
        (".", "mark"),
    ]
    assert [t.text for t in tokenize("2015Nov19;5(1)")][:3] == ["2015", "Nov", "19"]


def test_the_model_learns_where_each_field_begins() -> None:
    flat = ["author", "author", "other", "title", "title", "container", "container"]
    assert begin_inside(flat) == [
        "B-author", "I-author", "other", "B-title", "I-title", "B-container", "I-container"
    ]  # fmt: skip
    # A field that begins right after the same field (a book read as a second title).
    assert runs(["B-title", "I-title", "B-title", "other"]) == {
        "title": [(0, 1), (2, 2)],
        "other": [(3, 3)],
    }


@pytest.mark.parametrize("case", FEATURES, ids=ids(FEATURES))
def test_token_features(case: dict[str, Any]) -> None:
    tokens = tokenize(case["string"])
    index = [t.text for t in tokens].index(case["token"])
    features = set(featurize(case["string"], tokens)[index])
    assert [f for f in case["has"] if f not in features] == []
    assert [f for f in case["lacks"] if f in features] == []


def labels_of(text: str, spans: list[list[str]]) -> list[str]:
    """Token labels from runs given as printed, in string order."""
    tokens = tokenize(text)
    labels = ["other"] * len(tokens)
    at = 0
    for name, printed in spans:
        start = text.index(printed, at)
        at = start + len(printed)
        for i, token in enumerate(tokens):
            if start <= token.start and token.end <= at:
                labels[i] = name
    return labels


@pytest.mark.parametrize("case", DECODE, ids=ids(DECODE))
def test_decoding_labelled_runs(case: dict[str, Any]) -> None:
    text = case["string"]
    fields, _ = to_fields(text, tokenize(text), labels_of(text, case["spans"]))
    csl = Citation(**fields).to_csl()
    assert {key: csl.get(key) for key in case["expected"]} == case["expected"]


@pytest.mark.parametrize("case", NAMES, ids=ids(NAMES))
def test_name_lists(case: dict[str, Any]) -> None:
    found = parse_name_list(case["text"])
    assert [name.to_csl() for name in found.names] == case["names"]
    assert found.truncated is case["truncated"]


@pytest.mark.parametrize("case", GENERAL, ids=ids(GENERAL))
def test_shipped_model_reads_other_styles(case: dict[str, Any]) -> None:
    citation = parse_reference(case["string"])
    csl = citation.to_csl()
    assert {key: csl.get(key) for key in case["expected"]} == case["expected"]
    assert citation.raw == case["string"]
    assert citation.confidence > 0.8


def test_a_citation_the_model_cannot_complete_is_unsure_and_says_what_is_missing() -> None:
    citation = parse_reference("Some words without any structure at all")
    assert citation.confidence < 0.5
    assert "no year found" in citation.warnings


def test_without_a_model_file_nothing_is_placed_and_nothing_raises(tmp_path: Path) -> None:
    with using_model(tmp_path / "missing.crfsuite"):
        tokens, labels, confidence = label("Kuhn, T. S. The Structure. Chicago, 1962.")
        citation = parse_reference("Kuhn, T. S. The Structure. Chicago, 1962.")
    assert tokens and set(labels) == {"other"} and confidence == 0.0
    assert citation.raw == "Kuhn, T. S. The Structure. Chicago, 1962."
    assert "the general model file is missing: nothing was placed" in citation.warnings


def test_retraining_on_the_same_strings_gives_the_same_model(tmp_path: Path) -> None:
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "small.jsonl").write_bytes((DATA / "parse" / "align.jsonl").read_bytes())
    first, second = tmp_path / "first.crfsuite", tmp_path / "second.crfsuite"
    assert train(load_cases(folder), first) == len(ALIGN)
    assert main(["--gold", str(folder), "--output", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    text = ALIGN[0]["string"]
    with using_model(first):
        _, labels, _ = label(text)
    assert labelled_runs(text, labels) == ALIGN[0]["expected"]


def test_strings_labelled_without_names_learn_their_opening_words_as_authors() -> None:
    text = "(/) J. P. COLLMAN et B. LOOCK. Acc. Chem. Res. 10, 265 (1977);"
    fields = {"container-title": "Acc. Chem. Res.", "volume": "10", "page": "265"}
    tokens, labels = align(text, fields)
    named = leading_names(tokens, labels)
    assert labelled_runs(text, named)[0] == ["author", "J. P. COLLMAN et B. LOOCK"]
    assert named[:3] == ["other"] * 3  # the numbering mark stays outside the names
    # No words before the first labelled value: nothing is taken as names.
    tokens, labels = align("[12] 2001. Some title.", {"title": "Some title", "issued": "2001"})
    assert leading_names(tokens, labels) == labels


def test_a_journal_with_pages_and_no_title_stays_a_journal() -> None:
    text = "A. R. BATTERSBY. Tetrahedron Lett. 3169 (1978);"
    spans = [["author", "A. R. BATTERSBY"], ["container", "Tetrahedron Lett"]]
    spans += [["pages", "3169"], ["date", "1978"]]
    fields, _ = to_fields(text, tokenize(text), labels_of(text, spans))
    assert (fields["container_title"], fields["title"]) == ("Tetrahedron Lett", "")
    assert fields["page"] == "3169"


def test_a_year_the_model_left_unplaced_is_the_date_when_it_placed_none() -> None:
    text = (
        "Shi L, Wang Z, Yu W, Meng X. Performance evaluation and tuning of BioPig for genomic "
        "analysis. Proceedings of the 2015 International Workshop on Data-Intensive Scalable "
        "Computing Systems - DISCS '15. 2015."
    )
    citation = parse_reference(text)
    assert citation.issued is not None and citation.issued.year == 2015
    assert "no year found" not in citation.warnings


class _Guesses:
    """A tagger that labels every token as told."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels

    def set(self, features: list[list[str]]) -> None:
        assert len(features) == len(self.labels)

    def tag(self) -> list[str]:
        return self.labels


def test_a_source_that_labels_no_names_is_partly_labelled() -> None:
    named = {"source": "a", "fields": {"author": [{"family": "Kuhn"}], "title": "T"}}
    unnamed = {"source": "a", "fields": {"title": "U"}}
    partial = {"source": "b", "fields": {"title": "V", "container-title": "J"}}
    assert partly_labelled([named, unnamed, partial]) == {"b"}


def test_words_a_partly_labelled_string_leaves_unlabelled_are_completed() -> None:
    text = "J. Smith. A title. Tech. Rep. 7, Rice University, 1991."
    item = labelled_case({"string": text, "fields": {"title": "A title", "issued": "1991"}})
    guesses = [
        "B-title" if token.text == "Tech" else "I-publisher" if token.text == "Rice" else "other"
        for token in item.tokens
    ]
    done = completed(item, _Guesses(guesses))
    runs_of = dict((label, printed) for label, printed in labelled_runs(text, done.labels))
    assert runs_of["author"] == "J. Smith"  # the opening words, as before
    assert runs_of["publisher"] == "Rice"  # a field the string does not label: taken
    assert "Tech" not in runs_of.values()  # a second title: the string's own title is whole
    assert runs_of["title"] == "A title" and runs_of["date"] == "1991"


def test_a_training_with_a_partly_labelled_file_is_repeatable(tmp_path: Path) -> None:
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "full.jsonl").write_bytes((DATA / "parse" / "align.jsonl").read_bytes())
    partial = [
        {**case, "id": f"p{i}", "source": "partial", "fields": _without_names(case["fields"])}
        for i, case in enumerate(ALIGN)
    ]
    (folder / "partial.jsonl").write_text(
        "".join(json.dumps(case) + "\n" for case in partial), encoding="utf-8"
    )
    first, second = tmp_path / "first.crfsuite", tmp_path / "second.crfsuite"
    assert train(load_cases(folder), first) == 2 * len(ALIGN)
    assert train(load_cases(folder), second) == 2 * len(ALIGN)
    assert first.read_bytes() == second.read_bytes()


def _without_names(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k not in ("author", "editor", "publisher-place")}
