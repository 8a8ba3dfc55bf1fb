"""Deduplication accuracy on the labelled duplicate sets in ../shared/dedup/.

    python benchmarks/dedupe_accuracy.py [--threshold X] [--show N] [DATASET...]

For each file: pairwise precision, recall and F1 of refkit's clusters against the labelled
ones (the scorer of ../shared/dedup/README.md), plus B-cubed figures, whose large clusters do
not dominate as they do pairwise (Cora's), and the record-level "in a duplicate group"
sensitivity and specificity that SRA-DM and DedupEndNote report. ``--show N`` prints up to N
false merges and N missed pairs of each file, each with the guard or the score of the pair
(a pair may also be joined or kept apart through other records), for looking at what goes
wrong.
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

from refkit.compare import compare, profile
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
