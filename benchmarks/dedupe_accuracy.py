"""Deduplication accuracy on the labelled duplicate sets in ../shared/dedup/.

    python benchmarks/dedupe_accuracy.py [--threshold X] [--show N] [--no-lodo] [--peer]
                                         [DATASET...]

For each file: pairwise precision, recall and F1 of refkit's clusters against the labelled
ones (the scorer of ../shared/dedup/README.md), plus B-cubed figures, whose large clusters do
not dominate as they do pairwise (Cora's), and the record-level "in a duplicate group"
sensitivity and specificity that SRA-DM and DedupEndNote report. ``--show N`` prints up to N
false merges and N missed pairs of each file, each with the guard or the score of the pair
(a pair may also be joined or kept apart through other records), for looking at what goes
wrong.

Out of sample (the headline): **leave-one-dataset-out**. For each file, the switchable vetoes
and the threshold (``refkit.compare.Rules.variants()``) are chosen on the other files (every
file's precision at least ``MIN_PRECISION``, then the best mean F1) and scored on the held-out
one. The hand-made edge cases never choose rules. ``--peer`` runs bib-dedupe (CoLRev's
deduplicator; ``pip install bib-dedupe``, a benchmark dependency only) on the same records in
the same run and prints its figures beside refkit's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from refkit.compare import RULES, Rules, compare, profile
from refkit.dedupe import DEFAULT_THRESHOLD, dedupe
from refkit.model import Citation

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "dedup"
DATASETS = (
    "asysd_diabetes",
    "sra_cytology_screening",
    "sra_haematology",
    "sra_respiratory",
    "sra_stroke",
    "colrev_digital_work",
    "cora",
    "bibdedupe_edge_cases",
)
_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "techreport": "report",
}
_TEXT_FIELDS = (
    "title",
    "container-title",
    "volume",
    "issue",
    "page",
    "DOI",
    "ISBN",
    "ISSN",
    "abstract",
    "publisher",
    "publisher-place",
    "genre",
)


def citation_from_labelled(record_id: str, fields: dict[str, str]) -> Citation:
    """A labelled record as the CSL-JSON item an export would give: names as one raw string."""
    item: dict[str, Any] = {"id": record_id, "type": _TYPES.get(fields.get("type", ""), "")}
    item["type"] = item["type"] or "article-journal"
    item.update({key: fields[key] for key in _TEXT_FIELDS if key in fields})
    for key in ("author", "editor"):
        if key in fields:
            item[key] = [{"literal": fields[key]}]
    if fields.get("issued", "").isdigit():
        item["issued"] = {"date-parts": [[int(fields["issued"])]]}
    if "booktitle" in fields:
        item["collection-title"] = fields["booktitle"]
    if "institution" in fields and "publisher" not in fields:
        item["publisher"] = fields["institution"]
    return Citation.from_csl(item)


def load(name: str) -> tuple[list[Citation], list[str]]:
    """The citations of one file and the gold cluster of each."""
    citations, gold = [], []
    with (DATA / f"{name}.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            citations.append(citation_from_labelled(record["id"], record["fields"]))
            gold.append(record["cluster"])
    return citations, gold


def pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def pairwise(gold: Sequence[str], predicted: Sequence[int]) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1 from the contingency table (the README's scorer)."""
    gold_pairs = pairs(Counter(gold).values())
    pred_pairs = pairs(Counter(predicted).values())
    true_pairs = pairs(Counter(zip(gold, predicted, strict=True)).values())
    precision = true_pairs / pred_pairs if pred_pairs else 1.0
    recall = true_pairs / gold_pairs if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bcubed(gold: Sequence[str], predicted: Sequence[int]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1: per record, averaged over records."""
    cells = Counter(zip(gold, predicted, strict=True))
    gold_size, pred_size = Counter(gold), Counter(predicted)
    precision = sum(cells[g, p] / pred_size[p] for g, p in zip(gold, predicted, strict=True)) / len(
        gold
    )
    recall = sum(cells[g, p] / gold_size[g] for g, p in zip(gold, predicted, strict=True)) / len(
        gold
    )
    return precision, recall, 2 * precision * recall / (precision + recall)


def duplicate_group(gold: Sequence[str], predicted: Sequence[int]) -> tuple[float, float]:
    """Sensitivity and specificity of "is this record in a duplicate group?" (SRA-DM's metric).

    A record is positive when its gold cluster has two or more records; predicted positive
    when its predicted cluster has.
    """
    gold_size, pred_size = Counter(gold), Counter(predicted)
    truth = [gold_size[g] > 1 for g in gold]
    guess = [pred_size[p] > 1 for p in predicted]
    tp = sum(t and g for t, g in zip(truth, guess, strict=True))
    tn = sum(not t and not g for t, g in zip(truth, guess, strict=True))
    positives, negatives = sum(truth), len(truth) - sum(truth)
    return tp / positives if positives else 1.0, tn / negatives if negatives else 1.0


def run(name: str, threshold: float, show: int) -> dict[str, Any]:
    citations, gold = load(name)
    start = time.perf_counter()
    result = dedupe(citations, threshold)
    seconds = time.perf_counter() - start
    predicted = [0] * len(citations)
    for number, members in enumerate(result.clusters):
        for index in members:
            predicted[index] = number
    if show:
        show_errors(citations, gold, predicted, show)
    p, r, f = pairwise(gold, predicted)
    bp, br, bf = bcubed(gold, predicted)
    sensitivity, specificity = duplicate_group(gold, predicted)
    return {"dataset": name, "records": len(citations), "P": p, "R": r, "F1": f} | {
        "B3_P": bp,
        "B3_R": br,
        "B3_F1": bf,
        "Se": sensitivity,
        "Sp": specificity,
        "seconds": seconds,
    }


MIN_PRECISION = 0.995
HAND_MADE = "bibdedupe_edge_cases"


def predicted_clusters(citations: Sequence[Citation], rules: Rules) -> list[int]:
    result = dedupe(citations, rules.threshold, rules=rules)
    predicted = [0] * len(citations)
    for number, members in enumerate(result.clusters):
        for index in members:
            predicted[index] = number
    return predicted


def leave_one_dataset_out(
    names: Sequence[str],
) -> dict[str, tuple[Rules, tuple[float, float, float]]]:
    """For each file: the rules chosen on the others, and their figures on it."""
    data = {name: load(name) for name in names}
    variants = RULES.variants()
    scores: dict[Rules, dict[str, tuple[float, float, float]]] = {}
    for rules in variants:
        scores[rules] = {
            name: pairwise(gold, predicted_clusters(citations, rules))
            for name, (citations, gold) in data.items()
        }
    chosen = {}
    for held_out in names:
        training = [n for n in names if n != held_out and n != HAND_MADE]
        best = max(variants, key=lambda rules: _training_merit(rules, scores[rules], training))
        chosen[held_out] = (best, scores[best][held_out])
    return chosen


def _training_merit(
    rules: Rules, figures: dict[str, tuple[float, float, float]], training: Sequence[str]
) -> tuple[bool, float, float, int, float]:
    """Every training file precise enough first, then the mean F1, then the worst precision;
    of rules that tie, the one with more vetoes on and the threshold nearest the default (a
    veto that costs nothing on the training files is kept: it fails safe)."""
    worst = min(figures[n][0] for n in training)
    mean_f1 = sum(figures[n][2] for n in training) / len(training)
    vetoes = sum((bool(rules.title_veto), rules.issue_veto, rules.generic_needs_place))
    vetoes += rules.kind_veto
    nearest = -abs(rules.threshold - DEFAULT_THRESHOLD)
    return worst >= MIN_PRECISION, round(mean_f1, 6), worst, vetoes, nearest


def describe(rules: Rules) -> str:
    switches = [f"t={rules.threshold}", f"title<{rules.title_veto}" if rules.title_veto else ""]
    switches += [
        "issue" if rules.issue_veto else "",
        "generic" if rules.generic_needs_place else "",
    ]
    switches += ["kind" if rules.kind_veto else ""]
    return " ".join(s for s in switches if s)


def peer_clusters(name: str) -> list[int] | None:
    """bib-dedupe's clusters of one file (its default: sure duplicates merged), or None when
    it is not installed."""
    try:
        import pandas as pd
        from bib_dedupe import bib_dedupe
    except ImportError:
        return None
    ids, rows = [], []
    with (DATA / f"{name}.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            ids.append(record["id"])
            rows.append(_peer_row(record["id"], record["fields"]))
    prepared = bib_dedupe.prep(pd.DataFrame(rows), verbosity_level=0, cpu=1)
    matched = bib_dedupe.match(bib_dedupe.block(prepared, verbosity_level=0, cpu=1), cpu=1)
    clusters = bib_dedupe.cluster(matched, verbosity_level=0)
    where = {record_id: number for number, members in enumerate(clusters) for record_id in members}
    return [where.get(record_id, len(clusters) + i) for i, record_id in enumerate(ids)]


def _peer_row(record_id: str, fields: dict[str, str]) -> dict[str, str]:
    """A labelled record in bib-dedupe's (BibTeX) field names."""
    kind = fields.get("type", "article")
    container = fields.get("container-title", "")
    return {
        "ID": record_id,
        "ENTRYTYPE": kind,
        "title": fields.get("title", ""),
        "author": fields.get("author", ""),
        "year": fields.get("issued", ""),
        "journal": container if kind == "article" else "",
        "booktitle": fields.get("booktitle", "") if kind == "article" else container,
        "volume": fields.get("volume", ""),
        "number": fields.get("issue", ""),
        "pages": fields.get("page", ""),
        "doi": fields.get("DOI", ""),
        "abstract": fields.get("abstract", ""),
        "isbn": fields.get("ISBN", ""),
        "issn": fields.get("ISSN", ""),
    }


def run_by_case(name: str, threshold: float) -> tuple[float, float, float]:
    """Pairwise figures with each test case deduplicated on its own, as the source's tests run
    them: the edge-case set was split by case, so identical records of two cases carry two
    cluster labels although they are one work (``…_variant_a_b`` and ``…_variant_b_new``)."""
    citations, gold = load(name)
    cases: dict[str, list[int]] = {}
    for index, citation in enumerate(citations):
        cases.setdefault(citation.id.rpartition(":")[0], []).append(index)
    gold_all: list[str] = []
    predicted: list[int] = []
    for number, members in enumerate(cases.values()):
        result = dedupe([citations[i] for i in members], threshold)
        for cluster, chosen in enumerate(result.clusters):
            for index in chosen:
                gold_all.append(gold[members[index]])
                predicted.append(number * len(citations) + cluster)
    return pairwise(gold_all, predicted)


def show_errors(
    citations: Sequence[Citation], gold: Sequence[str], predicted: Sequence[int], limit: int
) -> None:
    """Print false merges (same predicted cluster, different gold) and missed pairs."""
    wrong, missed = [], []
    for i in range(len(citations)):
        for j in range(i + 1, len(citations)):
            same_gold, same_pred = gold[i] == gold[j], predicted[i] == predicted[j]
            if same_pred and not same_gold:
                wrong.append((i, j))
            elif same_gold and not same_pred:
                missed.append((i, j))
    profiles = {i: profile(citations[i]) for pair in wrong[:limit] + missed[:limit] for i in pair}
    for label, found in (("FALSE MERGE", wrong), ("MISSED", missed)):
        for i, j in found[:limit]:
            verdict = compare(profiles[i], profiles[j])
            why = verdict.guard or f"score {verdict.score} {json.dumps(verdict.fields)}"
            print(f"--- {label}: {why}", file=sys.stderr)
            for index in (i, j):
                item = citations[index].to_csl()
                item.pop("abstract", None)
                print("   ", json.dumps(item, ensure_ascii=False)[:600], file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("datasets", nargs="*", default=list(DATASETS))
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--show", type=int, default=0, help="print N errors of each kind")
    parser.add_argument("--no-lodo", action="store_true", help="skip leave-one-dataset-out")
    parser.add_argument("--peer", action="store_true", help="run bib-dedupe on the same sets")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} (the labelled duplicate sets) is not present", file=sys.stderr)
        return 0
    rows = [run(name, args.threshold, args.show) for name in args.datasets]
    header = (
        "| dataset | records | P | R | F1 | B³ P | B³ R | B³ F1 | group Se | group Sp | seconds |"
    )
    print(header)
    print("|" + "---|" * header.count(" | ") + "---|")
    for row in rows:
        keys = ("P", "R", "F1", "B3_P", "B3_R", "B3_F1", "Se", "Sp")
        figures = " | ".join(f"{row[k]:.4f}" for k in keys)
        print(f"| {row['dataset']} | {row['records']:,} | {figures} | {row['seconds']:.2f} |")
    macro = {k: sum(row[k] for row in rows) / len(rows) for k in ("P", "R", "F1")}
    print(
        f"\nmacro-average over {len(rows)} files: "
        + ", ".join(f"{k} {v:.4f}" for k, v in macro.items())
    )
    if "bibdedupe_edge_cases" in args.datasets:
        p, r, f = run_by_case("bibdedupe_edge_cases", args.threshold)
        print(f"bibdedupe_edge_cases, each case on its own: P {p:.4f}, R {r:.4f}, F1 {f:.4f}")
    if not args.no_lodo or args.peer:
        print_side_by_side(args.datasets, not args.no_lodo, args.peer)
    return 0


def print_side_by_side(names: Sequence[str], lodo: bool, peer: bool) -> None:
    """Held-out figures (rules chosen on the other files), in-sample ones, and the peer's."""
    held_out = leave_one_dataset_out(names) if lodo else {}
    print(
        "\n| dataset | out of sample P / R / F1 | rules chosen on the others "
        "| in sample (default rules) P / R / F1 | bib-dedupe P / R / F1 | peer seconds |"
    )
    print("|---|---|---|---|---|---|")
    for name in names:
        citations, gold = load(name)
        inside = pairwise(gold, predicted_clusters(citations, RULES))
        row = [name, "-", "-", _figures(inside), "-", "-"]
        if name in held_out:
            rules, outside = held_out[name]
            row[1:3] = [_figures(outside), describe(rules)]
        if peer:
            start = time.perf_counter()
            theirs = peer_clusters(name)
            if theirs is not None:
                row[4:6] = [_figures(pairwise(gold, theirs)), f"{time.perf_counter() - start:.1f}"]
        print("| " + " | ".join(row) + " |")
    print(f"default rules: {describe(RULES)}")


def _figures(figures: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.4f}" for value in figures)


if __name__ == "__main__":
    sys.exit(main())
