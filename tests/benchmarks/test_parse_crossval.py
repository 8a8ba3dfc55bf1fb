"""The cross-validation's split: groups kept whole, a fold's twins out of its training."""

from __future__ import annotations

from typing import Any

from helpers import load_benchmark

crossval = load_benchmark("parse_crossval")


def case(ident: str, string: str, source: str = "anystyle-core") -> dict[str, Any]:
    return {"id": ident, "source": source, "string": string, "fields": {}}


def test_a_grobid_file_and_a_rendered_work_stay_in_one_fold() -> None:
    cases = [
        case(f"grobid:paper.xml:{i}", f"Reference {i} of one paper", "grobid") for i in range(6)
    ]
    cases += [case(f"10.1/x|{style}", f"Work in {style}", "rendered") for style in "abcdef"]
    folds = crossval.assign_folds(cases, 3, seed=0)
    assert len(set(folds[:6])) == 1 and len(set(folds[6:])) == 1


def test_twins_across_files_are_left_out_of_the_training_of_their_fold() -> None:
    long = "Smith J. A title long enough to be a reference. J Biol Chem. 2001;12:1-9."
    cases = [
        case("core:1", long),
        case("grobid:citations.xml:7", long.upper().replace(". ", " . "), "grobid"),  # a twin
        case("gold:2", long[:60], "anystyle-gold"),  # cut off: a twin too
        case("gold:3", "Jones K. Another work entirely. Nature. 1999;1:2.", "anystyle-gold"),
    ]
    fold_of = [0, 1, 1, 1]
    train, test = crossval.splits(cases, fold_of, 2)[0]
    assert [c["id"] for c in test] == ["core:1"]
    assert [c["id"] for c in train] == ["gold:3"]
    short = [case("a", "Short A"), case("b", "Short AB")]  # a prefix too short to count
    assert crossval.splits(short, [0, 1], 2)[0][0] == [short[1]]
