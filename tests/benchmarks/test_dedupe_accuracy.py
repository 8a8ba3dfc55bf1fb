"""The deduplication benchmark's scorers, on clusters where the answer is known."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import load_benchmark

scoring = load_benchmark("dedupe_accuracy")


def test_pairwise_counts_pairs_inside_clusters() -> None:
    # gold {a,b,c} {d}; predicted {a,b} {c,d}: 1 of 2 predicted pairs right, 1 of 3 gold found
    precision, recall, _ = scoring.pairwise(["g1", "g1", "g1", "g2"], [1, 1, 2, 2])
    assert (precision, recall) == (0.5, 1 / 3)


def test_cases_are_scored_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Identical records in two cases carry two labels: pooled they cost precision, per case
    they do not."""
    fields = {"author": "Adeli K.Lewis G. F.", "title": "Intestinal lipoprotein overproduction"}
    fields |= {"container-title": "Curr Opin Lipidol", "issued": "2008", "volume": "19"}
    lines = [
        {"id": f"edge:{case}:{side}", "cluster": f"edge:{case}", "fields": fields}
        for case in ("first", "second")
        for side in ("a", "b")
    ]
    (tmp_path / "edge.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    monkeypatch.setattr(scoring, "DATA", tmp_path)
    pooled = scoring.run("edge", scoring.DEFAULT_THRESHOLD, 0)
    assert pooled["P"] == pytest.approx(2 / 6) and pooled["R"] == 1.0
    assert scoring.run_by_case("edge", scoring.DEFAULT_THRESHOLD) == (1.0, 1.0, 1.0)


def test_rules_precise_on_every_training_file_win_over_a_better_mean() -> None:
    precise = {"a": (1.0, 0.9, 0.947), "b": (0.996, 0.8, 0.887)}
    loose = {"a": (1.0, 1.0, 1.0), "b": (0.99, 1.0, 0.995)}
    rules = scoring.RULES
    assert scoring._training_merit(rules, precise, ["a", "b"]) > scoring._training_merit(
        rules, loose, ["a", "b"]
    )
    # Held out, "b" no longer counts: the better mean wins.
    assert scoring._training_merit(rules, loose, ["a"]) > scoring._training_merit(
        rules, precise, ["a"]
    )


def test_of_equal_rules_the_one_with_more_vetoes_is_kept() -> None:
    figures = {"a": (1.0, 1.0, 1.0)}
    without = scoring.Rules(title_veto=0.0, generic_needs_place=False, kind_veto=False)
    assert scoring._training_merit(scoring.RULES, figures, ["a"]) > scoring._training_merit(
        without, figures, ["a"]
    )
