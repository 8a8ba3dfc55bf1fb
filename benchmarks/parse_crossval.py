"""Out-of-fold accuracy of the general model: k-fold cross-validation on ../shared/gold/refs/.

    python benchmarks/parse_crossval.py [--folds K] [--seed N] [--jobs J] [--output FILE]
                                        [--model-only] [--models DIR [--reuse]]
                                        [--param NAME=VALUE ...] [--in-sample-model FILE]
                                        [--no-in-sample]

The shipped model is trained on the very strings that ``parse_accuracy.py`` scores, so its
in-sample figures say little. Here the labelled strings are split into K folds (default 5);
for each fold a model is trained (``refkit.parse.train``) on the other folds and every string
of the fold is parsed by ``refkit.parse_reference`` with that model, NLM grammar first as
always. Strings that share a source stay in one fold, so that no string's twin is seen in
training: GROBID's strings by source file (one paper's reference list shares its style,
journals and authors), the renderings of one work (``rendered.jsonl`` ids ``DOI|style``) by
work, every other string alone. The out-of-fold CSL items are written to ``FILE`` (JSON lines
of ``{id, csl}``) and scored with ``parse_accuracy.py --predictions``; a last table gives the
F1 over all fields per source, out of fold, with the in-sample figure beside it (the shipped
model, or ``--in-sample-model``, trained on all the strings; ``--no-in-sample`` leaves it
out). ``--model-only`` parses with the model alone (no NLM grammar), to compare the two
readers; ``--models DIR`` keeps the fold models, and ``--reuse`` parses with them again
without training (for work on the decoding, which the models do not depend on).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import Counter
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
    """What must stay in one fold: a GROBID source file (its strings share authors, journals
    and a style), a rendered work (one DOI's renderings in the 11 styles), else the string."""
    ident = str(case["id"])
    if case.get("source") == "grobid":
        return ident.rsplit(":", 1)[0]
    return ident.split("|", 1)[0]


_NOT_TEXT = re.compile(r"[\W_]+")
SHORTEST_CUT = 40  # characters (letters and digits) a cut-off copy must keep to count


def twin_key(text: str) -> str:
    """A string's letters and digits in lower case: copies that differ in spacing,
    punctuation or case (one source's ``Proc .Lett`` for another's ``Proc. Lett.``) agree."""
    return _NOT_TEXT.sub("", text.lower())


def twin_classes(cases: Sequence[dict[str, Any]]) -> list[int]:
    """Each case's class of twins: strings with one ``twin_key``, or whose key starts with
    another's of at least SHORTEST_CUT characters (a copy cut off).

    The same string is labelled in more than one file (AnyStyle's core and gold sets share 86,
    core and GROBID's ``citations.xml`` 207), in any fold the grouping gives it; a fold's
    model is trained without the twins of the strings it is tested on.
    """
    keys = [twin_key(str(c["string"])) for c in cases]
    parent = {key: key for key in keys}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    ordered = sorted(parent)
    for position, key in enumerate(ordered):
        if len(key) < SHORTEST_CUT:
            continue
        for longer in ordered[position + 1 :]:
            if not longer.startswith(key):
                break
            parent[find(longer)] = find(key)
    number: dict[str, int] = {}
    return [number.setdefault(find(key), len(number)) for key in keys]


def assign_folds(cases: Sequence[dict[str, Any]], folds: int, seed: int) -> list[int]:
    """A fold per case: groups in sorted order, shuffled with ``seed``, dealt round-robin."""
    groups = sorted({group_of(c) for c in cases})
    random.Random(seed).shuffle(groups)
    fold_of = {group: i % folds for i, group in enumerate(groups)}
    return [fold_of[group_of(c)] for c in cases]


def splits(
    cases: Sequence[dict[str, Any]], fold_of: Sequence[int], folds: int
) -> list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """Each fold's training and test cases: the other folds less the test strings' twins,
    and the fold."""
    classes = twin_classes(cases)
    out = []
    for k in range(folds):
        tested = {c for c, f in zip(classes, fold_of, strict=True) if f == k}
        train = [
            case
            for case, f, c in zip(cases, fold_of, classes, strict=True)
            if f != k and c not in tested
        ]
        out.append((train, [case for case, f in zip(cases, fold_of, strict=True) if f == k]))
    return out


GROUPING = (
    "source file for grobid, work for the rendered styles, string for the rest;"
    " a fold's twins left out of its training"
)
Scores = dict[str, dict[str, Any]]
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
    parser.add_argument(
        "--in-sample-model",
        type=Path,
        help="The model trained on all the strings, for the in-sample column (default: shipped).",
    )
    parser.add_argument(
        "--no-in-sample", action="store_true", help="Leave out the in-sample column."
    )
    args = parser.parse_args(argv)
    if not parse_accuracy.GOLD.is_dir():
        print(f"no labelled strings at {parse_accuracy.GOLD}", file=sys.stderr)
        return 2
    cases = load_cases(parse_accuracy.GOLD)
    fold_of = assign_folds(cases, args.folds, args.seed)
    parts = splits(cases, fold_of, args.folds)
    work = [(k, train, test, args) for k, (train, test) in enumerate(parts)]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        predictions = [item for fold in pool.map(run_fold, work) for item in fold]
    order = {c["id"]: i for i, c in enumerate(cases)}
    predictions.sort(key=lambda item: order[item["id"]])
    with args.output.open("w", encoding="utf-8") as out:
        for item in predictions:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(predictions)} out-of-fold predictions ({args.folds} folds) in {args.output}")
    status = parse_accuracy.main(["--predictions", str(args.output)])
    held_out = {item["id"]: item["csl"] for item in predictions}
    in_sample = None if args.no_in_sample else in_sample_scores(cases, args.in_sample_model)
    print_summary(cases, parse_accuracy.score(cases, lambda c: held_out[c["id"]]), in_sample)
    return status


def in_sample_scores(cases: Sequence[dict[str, Any]], model: Path | None) -> Scores:
    """Every string parsed by a model trained on all of them (the shipped one by default)."""
    if model is None:
        return parse_accuracy.score(cases, parse_accuracy.parse_with_refkit)
    with using_model(model):
        return parse_accuracy.score(cases, parse_accuracy.parse_with_refkit)


def overall(fields: dict[str, Any]) -> Any:
    """One row's counts over all its fields."""
    return sum(fields.values(), parse_accuracy.Counts())


def print_summary(
    cases: Sequence[dict[str, Any]], held_out: Scores, in_sample: Scores | None
) -> None:
    """F1 over all fields per source: out of fold, and in sample beside it (marked)."""
    strings = Counter(c["source"] for c in cases)
    strings[parse_accuracy.NLM_ROW] = sum(strings[s] for s in parse_accuracy.NLM_SOURCES)
    head = "in-sample (trained on these strings)" if in_sample is not None else ""
    print(f"\nField F1 over all fields, per source (folds grouped by {GROUPING})")
    print(f"{'source':<40}{'strings':>8}{'out-of-fold':>13}   {head}")
    for row in sorted(held_out, key=lambda r: (r == parse_accuracy.NLM_ROW, r)):
        seen = f"{overall(in_sample[row]).f1:.3f}" if in_sample and row in in_sample else ""
        print(f"{row[:39]:<40}{strings[row]:>8}{overall(held_out[row]).f1:>13.3f}   {seen}")


if __name__ == "__main__":
    sys.exit(main())
