"""Out-of-fold accuracy of the general model: k-fold cross-validation on ../shared/gold/refs/.

    python benchmarks/parse_crossval.py [--folds K] [--seed N] [--jobs J] [--output FILE]
                                        [--model-only] [--models DIR [--reuse]]
                                        [--param NAME=VALUE ...]

The shipped model is trained on the very strings that ``parse_accuracy.py`` scores, so its
in-sample figures say little. Here the labelled strings are split into K folds (default 5);
for each fold a model is trained (``refkit.parse.train``) on the other folds and every string
of the fold is parsed by ``refkit.parse_reference`` with that model, NLM grammar first as
always. The renderings of one work (``rendered.jsonl`` ids ``DOI|style``) stay in one fold, so
no work is seen in training in another style. The out-of-fold CSL items are written to
``FILE`` (JSON lines of ``{id, csl}``) and scored with ``parse_accuracy.py --predictions``.
``--model-only`` parses with the model alone (no NLM grammar), to compare the two readers;
``--models DIR`` keeps the fold models, and ``--reuse`` parses with them again without
training (for work on the decoding, which the models do not depend on).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import parse_accuracy

from refkit.parse import parse_reference
from refkit.parse.general import parse_general, using_model
from refkit.parse.train import load_cases, train


def group_of(case: dict[str, Any]) -> str:
    """The work a string renders: one DOI's renderings in the 11 styles form one group."""
    return str(case["id"]).split("|", 1)[0]


def assign_folds(cases: Sequence[dict[str, Any]], folds: int, seed: int) -> list[int]:
    """A fold per case: groups in sorted order, shuffled with ``seed``, dealt round-robin."""
    groups = sorted({group_of(c) for c in cases})
    random.Random(seed).shuffle(groups)
    fold_of = {group: i % folds for i, group in enumerate(groups)}
    return [fold_of[group_of(c)] for c in cases]


Fold = tuple[int, list[dict[str, Any]], list[dict[str, Any]], argparse.Namespace]


def run_fold(args: Fold) -> list[dict[str, Any]]:
    """Train on the first cases, predict the second: their ids and CSL items."""
    k, train_cases, test_cases, options = args
    parse = parse_general if options.model_only else parse_reference
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.models or Path(scratch)
        model = folder / f"fold{k}-of-{options.folds}-seed{options.seed}.crfsuite"
        if not (options.reuse and model.exists()):
            train(train_cases, model, dict(options.param))
        with using_model(model):
            return [{"id": c["id"], "csl": parse(c["string"]).to_csl()} for c in test_cases]


def _param(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    return name, float(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="Folds trained at once.")
    parser.add_argument("--output", type=Path, default=Path("oof-predictions.jsonl"))
    parser.add_argument(
        "--model-only", action="store_true", help="The model alone, without the NLM grammar."
    )
    parser.add_argument("--models", type=Path, help="Keep the fold models in this folder.")
    parser.add_argument(
        "--param",
        type=_param,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="A training setting other than refkit.parse.train.PARAMS (e.g. c1=0.1).",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="Use the fold models kept in --models (decoding)."
    )
    args = parser.parse_args(argv)
    if not parse_accuracy.GOLD.is_dir():
        print(f"no labelled strings at {parse_accuracy.GOLD}", file=sys.stderr)
        return 2
    cases = load_cases(parse_accuracy.GOLD)
    fold_of = assign_folds(cases, args.folds, args.seed)
    pairs = list(zip(cases, fold_of, strict=True))
    work = [
        (k, [c for c, f in pairs if f != k], [c for c, f in pairs if f == k], args)
        for k in range(args.folds)
    ]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        predictions = [item for fold in pool.map(run_fold, work) for item in fold]
    order = {c["id"]: i for i, c in enumerate(cases)}
    predictions.sort(key=lambda item: order[item["id"]])
    with args.output.open("w", encoding="utf-8") as out:
        for item in predictions:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(predictions)} out-of-fold predictions ({args.folds} folds) in {args.output}")
    return parse_accuracy.main(["--predictions", str(args.output)])


if __name__ == "__main__":
    sys.exit(main())
