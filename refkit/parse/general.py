"""Every style the NLM grammar does not read: a CRF labels the tokens, then fields are decoded.

The model (``general.crfsuite``, python-crfsuite) ships inside the package and is trained by
``python -m refkit.parse.train`` from the labelled strings listed in ``TRAINED_ON``. Tokens
and features: ``refkit.parse.tokens`` and ``refkit.parse.features``; labels back to fields:
``refkit.parse.decode``. The confidence is the model's probability of its labelling, per
token (the geometric mean, so that a long string is not penalised for its length), times
the share of a citation that was found (title, names, year, where it appeared).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import pycrfsuite

from refkit.model import ET_AL, Citation
from refkit.parse.decode import to_fields
from refkit.parse.features import featurize
from refkit.parse.tokens import Token, fold, tokenize

MODEL_NAME = "general.crfsuite"
# The labelled files (of ../shared/gold/refs) the shipped model was trained on.
TRAINED_ON = (
    "anystyle-core-nlm.jsonl",
    "anystyle-core.jsonl",
    "anystyle-gold-nlm.jsonl",
    "anystyle-gold.jsonl",
    "grobid.jsonl",
    "nlm.jsonl",
    "rendered.jsonl",
)
_MAX_TOKENS = 400  # longer strings are pasted paragraphs, not references: labelled in part
# Words every style prints around its fields: left out of the "not placed" warning.
_QUIET = frozenset(
    {"in", "pp", "vol", "no", "doi", "available", "at", "from", "retrieved", "accessed"}
    | {"online", "et", "al", "and", "eds", "ed", "url", "preprint", "see", "http", "https"}
)
_local = threading.local()
_model_path: list[Path] = []  # a model other than the shipped one, while ``using_model`` runs


def _tagger() -> pycrfsuite.Tagger | None:
    """One tagger per thread (a tagger is not safe to share); None without a model file."""
    wanted = _model_path[-1] if _model_path else None
    if getattr(_local, "path", "unset") != wanted:
        _local.tagger = _open(wanted)
        _local.path = wanted
    tagger: pycrfsuite.Tagger | None = _local.tagger
    return tagger


def _open(path: Path | None) -> pycrfsuite.Tagger | None:
    tagger = pycrfsuite.Tagger()
    try:
        if path is not None:
            tagger.open(str(path))
            return tagger
        with resources.as_file(resources.files("refkit.parse") / MODEL_NAME) as shipped:
            tagger.open(str(shipped))
        return tagger
    except (OSError, ValueError):
        return None


@contextmanager
def using_model(path: Path) -> Iterator[None]:
    """Parse with the model at ``path`` (cross-validation folds) instead of the shipped one."""
    _model_path.append(path)
    try:
        yield
    finally:
        _model_path.pop()


def label(text: str) -> tuple[list[Token], list[str], float]:
    """The tokens of ``text``, their labels and the model's per-token confidence."""
    tokens = tokenize(text)[:_MAX_TOKENS]
    tagger = _tagger()
    if not tokens or tagger is None:
        return tokens, ["other"] * len(tokens), 0.0
    tagger.set(featurize(text, tokens))
    labels: list[str] = tagger.tag()
    confidence = math.exp(math.log(max(tagger.probability(labels), 1e-300)) / len(tokens))
    return tokens, labels, confidence


def general_fields(text: str) -> dict[str, Any]:
    """``Citation`` keyword arguments for any reference string."""
    tokens, labels, confidence = label(text)
    if not tokens:
        return {"type": "document", "confidence": 0.0, "warnings": ("empty reference",)}
    values, cut = to_fields(text, tokens, labels)
    warnings = ["read by the general model (not in NLM form)"]
    if cut:
        warnings.append(ET_AL)
    for field in ("title", "issued"):
        if not values.get(field):
            warnings.append(f"no {'year' if field == 'issued' else field} found")
    unplaced = _unplaced(text, tokens, labels)
    if unplaced:
        warnings.append("not placed in a field: " + "; ".join(unplaced))
    if _tagger() is None:
        warnings.append("the general model file is missing: nothing was placed")
    confidence *= _completeness(values)
    return {**values, "confidence": round(confidence, 3), "warnings": tuple(warnings)}


def _completeness(values: dict[str, Any]) -> float:
    """How much of a citation was found: a sure labelling of a title alone is not a citation."""
    found = (
        (0.3, values.get("title")),
        (0.25, values.get("author") or values.get("editor")),
        (0.25, values.get("issued")),
        (0.2, values.get("container_title") or values.get("publisher") or values.get("doi")),
    )
    return sum(weight for weight, value in found if value)


def _unplaced(text: str, tokens: Sequence[Token], labels: Sequence[str]) -> list[str]:
    """Runs of ``other`` tokens holding words that are more than style (``pp.``, ``In:``)."""
    found = []
    start = None
    for i in range(len(tokens) + 1):
        inside = i < len(tokens) and labels[i] == "other"
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            words = [fold(t.text) for t in tokens[start:i] if t.kind == "word"]
            if any(len(w) > 1 and w not in _QUIET and not w.isdigit() for w in words):
                found.append(text[tokens[start].start : tokens[i - 1].end].strip(" .,;:"))
            start = None
    return found


def parse_general(text: str) -> Citation:
    """A citation for any reference string (``Citation`` of ``general_fields``)."""
    return Citation(**general_fields(text))
