"""Train the general model from labelled reference strings.

    python -m refkit.parse.train [--gold DIR] [--output FILE] [--files NAME ...]

``DIR`` holds JSON-lines files of ``{"id", "source", "string", "fields"}`` (the schema of
``../shared/gold/refs``, the default); every file is read, in name order, each string in file
order, so the same files give the same model. ``FILE`` defaults to the model shipped in the
package (``refkit/parse/general.crfsuite``). The labels of each string come from
``refkit.parse.align``, as ``B-field`` for a field's first token and ``I-field`` for the
others (so that the model learns where each field starts). A file whose strings label only
some fields (GROBID's: no names, places or institutions) has its other words labelled by a
first model trained on the fully labelled files, so that they do not teach the model that
those words belong to no field. The training is python-crfsuite's L-BFGS with the fixed
settings of ``PARAMS``, which has no random start, so a rerun on the same data writes the
same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import pycrfsuite

from refkit.parse.align import LABELS, OTHER, align, begin_inside
from refkit.parse.decode import field_of
from refkit.parse.features import featurize
from refkit.parse.general import MODEL_NAME
from refkit.parse.markup import prepared
from refkit.parse.tokens import Token

GOLD = Path(__file__).resolve().parents[3] / "shared" / "gold" / "refs"
SHIPPED = Path(__file__).resolve().parent / MODEL_NAME
PARAMS: dict[str, Any] = {
    "c1": 0.05,  # L1 keeps the model small: features that do not help get weight 0
    "c2": 0.01,
    "max_iterations": 200,
    "feature.possible_transitions": True,
}


def load_cases(folder: Path, files: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The labelled strings of ``folder`` (or only ``files``), in a fixed order."""
    cases: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.jsonl")):
        if files and path.name not in files:
            continue
        with path.open(encoding="utf-8") as lines:
            cases.extend(json.loads(line) for line in lines if line.strip())
    return cases


def train(
    cases: Iterable[Mapping[str, Any]], output: Path, params: Mapping[str, Any] | None = None
) -> int:
    """Write a model trained on ``cases`` to ``output``; returns the number of strings used.

    ``params`` replace some of ``PARAMS`` (python-crfsuite's names: ``c1``, ``c2``, ...).
    Strings of a source that labels only some fields (``partly_labelled``) have the rest of
    their words labelled by a first model, trained on the other strings (``completed``).
    """
    settings = {**PARAMS, **(params or {})}
    cases = list(cases)
    partial = partly_labelled(cases)
    labelled = [labelled_case(case) for case in cases]
    in_part = [_source(case) in partial for case in cases]
    if any(in_part) and not all(in_part):
        with tempfile.TemporaryDirectory() as scratch:
            first = Path(scratch) / "first.crfsuite"
            _fit(
                [item for item, p in zip(labelled, in_part, strict=True) if not p], first, settings
            )
            tagger = pycrfsuite.Tagger()
            tagger.open(str(first))
            labelled = [
                completed(item, tagger) if p else item
                for item, p in zip(labelled, in_part, strict=True)
            ]
            tagger.close()
    return _fit(labelled, output, settings)


class Labelled(NamedTuple):
    """A string as training sees it: its features, tokens and labels."""

    features: list[list[str]]
    tokens: list[Token]
    labels: list[str]
    given: frozenset[str]  # the labels the string's own fields gave


def labelled_case(case: Mapping[str, Any]) -> Labelled:
    text = prepared(case["string"])
    fields = _plain_fields(case["fields"])
    tokens, labels = align(text, fields)
    if not (fields.get("author") or fields.get("editor")):
        labels = leading_names(tokens, labels)
    given = frozenset(LABELS[field] for field in fields if field in LABELS)
    return Labelled(featurize(text, tokens) if tokens else [], tokens, labels, given)


def _fit(items: Iterable[Labelled], output: Path, settings: Mapping[str, Any]) -> int:
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params(dict(settings))
    used = 0
    for item in items:
        if item.tokens:
            trainer.append(item.features, begin_inside(item.labels))
            used += 1
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))
    return used


def partly_labelled(cases: Iterable[Mapping[str, Any]]) -> set[str]:
    """Sources whose strings never label names: their annotators marked some fields only.

    GROBID's corpus, as converted, labels titles, journals, dates, numbers, DOIs and
    publishers, but no authors, editors, places, institutions or notes; left ``other``, the
    words of those fields in thousands of strings would teach the model that they are no field.
    """
    named: dict[str, bool] = {}
    for case in cases:
        source, fields = _source(case), case["fields"]
        named[source] = named.get(source, False) or bool(
            fields.get("author") or fields.get("editor")
        )
    return {source for source, has_names in named.items() if not has_names}


def _source(case: Mapping[str, Any]) -> str:
    return str(case.get("source", ""))


class Labeller(Protocol):
    """What ``completed`` asks of a tagger (python-crfsuite's ``Tagger``)."""

    def set(self, features: list[list[str]]) -> None: ...

    def tag(self) -> list[str]: ...


def completed(item: Labelled, tagger: Labeller) -> Labelled:
    """``item`` with the words its fields left ``other`` labelled as ``tagger`` labels them,
    unless ``tagger`` calls them a field the string labels itself (that field is complete)."""
    if not item.tokens:
        return item
    tagger.set(item.features)
    guessed = [field_of(label) for label in tagger.tag()]
    labels = [
        guess if own == OTHER and guess != OTHER and guess not in item.given else own
        for own, guess in zip(item.labels, guessed, strict=True)
    ]
    return item._replace(labels=labels)


def leading_names(tokens: Sequence[Token], labels: Sequence[str]) -> list[str]:
    """Labels with the words before the first labelled field taken as the authors.

    Some labelled sets give no names (GROBID's strings as converted here): left ``other``,
    the names of thousands of strings would teach the model that names are not a field.
    Names open a reference in nearly every style, so the words before the first labelled
    value (numbering and marks around them left out) are labelled ``author``, when they
    hold a word of two letters or more.
    """
    out = list(labels)
    first = next((i for i, label in enumerate(labels) if label != OTHER), len(labels))
    start = 0
    while start < first and (tokens[start].kind != "word" or tokens[start].text.isdigit()):
        start += 1
    end = first
    while end > start and tokens[end - 1].kind != "word":
        end -= 1
    words = [t.text for t in tokens[start:end] if t.kind == "word"]
    if any(len(w) > 1 and not w.isdigit() for w in words):
        out[start:end] = ["author"] * (end - start)
    return out


def _plain_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Labels as the parser reads strings: markup dropped from text values."""
    return {k: prepared(v) if isinstance(v, str) else v for k, v in fields.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD, help="Folder of labelled strings.")
    parser.add_argument("--output", type=Path, default=SHIPPED, help="Model file to write.")
    parser.add_argument("--files", nargs="*", default=(), help="Only these file names.")
    args = parser.parse_args(argv)
    if not args.gold.is_dir():
        print(f"no labelled strings at {args.gold}", file=sys.stderr)
        return 2
    cases = load_cases(args.gold, args.files)
    used = train(cases, args.output)
    size = args.output.stat().st_size
    print(f"trained on {used} strings from {args.gold}: {args.output} ({size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
