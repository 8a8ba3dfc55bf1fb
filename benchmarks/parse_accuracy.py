"""Reference-parsing accuracy against the labelled strings in ../shared/gold/refs/.

    python benchmarks/parse_accuracy.py [--source S] [--ids FILE] [--predictions FILE]
                                        [--show N] [--json]

Prints, per source (the ``source`` field of each labelled string) and per field, precision,
recall and F1 of ``refkit.parse_reference`` against the labels, then one F1 matrix, with the
NLM/Vancouver sources summed in one row. Only the fields a label gives are scored; the rules
that decide "the same value" are ``field_key`` (BENCHMARKS.md states them in words).

For reuse (tests, cross-validation of a trained model): ``score(cases, predict)`` returns
``Counts`` per source and field; ``predict`` maps a labelled case to a CSL-JSON item, and
``Counts`` add up, so the folds of a k-fold run can be scored one by one and summed.
``--ids FILE`` scores only the ids listed (one a line); ``--predictions FILE`` takes the CSL
items of a JSON-lines file (``{"id": ..., "csl": {...}}``, e.g. out-of-fold predictions) in
place of parsing those strings. A general model that was trained on labelled files lists them
in ``refkit.parse.general.TRAINED_ON`` (file names); their rows are marked, since scoring a
model on its own training strings says little.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "gold" / "refs"
FIELDS = (
    "author",
    "title",
    "container-title",
    "issued",
    "volume",
    "issue",
    "page",
    "DOI",
    "publisher",
    "type",
)
# The NLM/Vancouver strings: the seed, AnyStyle's NLM-like strings, the two NLM styles.
NLM_SOURCES = (
    "nlm-seed",
    "anystyle-gold-nlm",
    "anystyle-core-nlm",
    "rendered-nlm-citation-sequence",
    "rendered-elsevier-vancouver",
)
NLM_ROW = "NLM/Vancouver (all)"

Case = Mapping[str, Any]
Csl = Mapping[str, Any]


@dataclass(frozen=True)
class Counts:
    """Field-level counts: a wrong value counts as a false positive and a false negative."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    unshown: int = 0  # labels left out: the string does not show the value

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.unshown + other.unshown,
        )

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def labelled(self) -> int:
        return self.tp + self.fn


# Inline markup some labelled strings hold (``<italic>Microtus montanus.</italic>``, escaped
# or not): the parsers read the text without it, so both sides are compared without it.
_TAG = re.compile(r"</?(?:i|b|u|em|strong|sup|sub|italic|bold|sc|span|scp)\b[^>]*>", re.IGNORECASE)


def fold(text: str) -> str:
    """Case, accents and punctuation folded: ``Ünïcode—Title.`` → ``unicode title``."""
    text = _TAG.sub(" ", html.unescape(html.unescape(text))) if "<" in text or "&" in text else text
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


def _initials(given: str) -> str:
    """``Richard L.`` / ``R. L.`` / ``RL`` / ``R-L`` → ``RL``; ``Hans-Dieter`` → ``HD``."""
    out = ""
    for token in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", given)):
        out += token if token.isupper() and len(token) <= 4 else token[0]
    return fold(out).replace(" ", "")


def _name_key(name: Mapping[str, Any]) -> tuple[str, str]:
    if name.get("literal"):
        return "", fold(str(name["literal"]))
    particle = name.get("non-dropping-particle") or name.get("dropping-particle") or ""
    family = fold(f"{particle} {name.get('family', '')}").replace(" ", "")
    return family, _initials(str(name.get("given", "")))


_AUTHOR_NOISE = {"et", "al", "and", "others", "und", "y", "eds", "ed"}


def _raw_author_tokens(text: str) -> tuple[str, ...]:
    """A raw author string as a sorted bag of name tokens; initial runs split into letters."""
    tokens: list[str] = []
    for token in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", text)):
        if token.isupper() and len(token) <= 4:
            tokens.extend(token)
        else:
            tokens.append(token)
    folded = (fold(t).replace(" ", "") for t in tokens)
    return tuple(sorted(t for t in folded if t and t not in _AUTHOR_NOISE))


def _author_key(value: Any, raw_gold: bool) -> Any:
    names = [n for n in value if isinstance(n, Mapping)] if isinstance(value, list) else []
    if raw_gold:
        if isinstance(value, str):
            return _raw_author_tokens(value)
        parts = (
            " ".join(
                str(n.get(k, ""))
                for k in ("literal", "non-dropping-particle", "family", "given", "suffix")
            )
            for n in names
        )
        return _raw_author_tokens(" ".join(parts))
    return tuple(_name_key(n) for n in names)


def _year(value: Any) -> str:
    if isinstance(value, Mapping):
        parts = value.get("date-parts") or [[]]
        return str(parts[0][0]) if parts and parts[0] else str(value.get("raw", ""))[:4]
    match = re.match(r"\s*(\d{4})", str(value))
    return match.group(1) if match else fold(str(value))


def _volume(value: str) -> str:
    # AnyStyle labels the whole segment as volume: ``2012;30(15)``, ``7(4)``, ``v. 26``.
    text = re.sub(r"^\s*\d{4}\s*;", "", value)
    match = re.search(r"\d+", text)
    return match.group(0) if match else fold(text)


def _first_page(value: str) -> str:
    """The first page: AnyStyle labels hold the brackets and the label word printed around
    the pages (``(pp. 113-118)``, ``S. 651``; ``ages 72-76``, where the label lost its ``p``)."""
    text = value.strip().lstrip("([")
    text = re.sub(r"^(?:[^\W\d_]{1,6}(?:\.\s*|\s+))+(?=\w*\d)", "", text)
    return fold(re.split(r"\s*[-–—,]\s*", text, maxsplit=1)[0])


def _doi(value: str) -> str:
    """Without brackets around it, a ``doi:`` label or a resolver prefix (AnyStyle labels hold
    ``(doi:10.1017/aog.2016.20)`` and ``DOI:http://dx.doi.org/10.1076/...``; GROBID's hold
    ``doi :10.1103/...``, ``doi.10.1093/...``, spaces inside and the next label's ``.URL``)."""
    text = value.strip().lstrip("([").strip()
    text = re.sub(r"^(?:doi\s*[:.]?\s*)?(?:https?://(?:dx\.)?doi\.org/)?", "", text, flags=re.I)
    text = re.sub(r"\.(?:URL|PMID|PMCID)$", "", "".join(text.split()))
    return text.rstrip(".,;)]").lower()


def field_key(field: str, value: Any, raw_gold_author: bool = False) -> Any:
    """The form in which a gold and a predicted value of ``field`` are compared."""
    if value in (None, "", [], {}):
        return None
    if field == "author":
        return _author_key(value, raw_gold_author) or None
    if field == "issued":
        return _year(value)
    if field == "volume":
        return _volume(str(value))
    if field == "page":
        return _first_page(str(value))
    if field == "DOI":
        return _doi(str(value))
    if field == "type":
        return str(value)
    return fold(str(value))


def _shown_authors(names: list[Any], tokens: Counter[str]) -> list[Any]:
    """The labelled names up to the first whose family name the string does not show."""
    left = Counter(tokens)
    for index, name in enumerate(names):
        words = fold(str(name.get("family") or name.get("literal") or "")).split()
        if any(left[w] < 1 for w in words):
            return names[:index]
        left.subtract(words)
    return names


def _shown(field: str, want: Any, string: str, tokens: Counter[str]) -> bool:
    """Whether the string shows the labelled value at all (else the label is left out)."""
    if field == "DOI":
        return want in string.lower()
    if field in ("type", "author"):
        return True
    return all(tokens[w] for w in str(want).split())


def score_case(
    gold: Mapping[str, Any], predicted: Csl, string: str | None = None
) -> dict[str, Counts]:
    """Counts per labelled field of one string: only the fields the label gives are scored.

    With ``string``, a label whose value the string does not show is left out (counted as
    ``unshown``), and a labelled author list is cut at the first name the string does not show.
    """
    out: dict[str, Counts] = {}
    raw_author = isinstance(gold.get("author"), str)
    tokens = Counter(fold(string).split()) if string is not None else Counter()
    for field in FIELDS:
        value = gold.get(field)
        if string is not None and field == "author" and isinstance(value, list):
            shown = _shown_authors(value, tokens)
            if len(shown) < len(value):
                out[field] = Counts(unshown=1)
                value = shown
        want = field_key(field, value, raw_author)
        if want is None:
            continue
        if string is not None and not _shown(field, want, string, tokens):
            out[field] = Counts(unshown=1)
            continue
        got = field_key(field, predicted.get(field), raw_author)
        base = out.get(field, Counts())
        if got is None:
            out[field] = base + Counts(fn=1)
        elif got == want:
            out[field] = base + Counts(tp=1)
        else:
            out[field] = base + Counts(fp=1, fn=1)
    return out


Scores = dict[str, dict[str, Counts]]


def score(
    cases: Iterable[Case], predict: Callable[[Case], Csl], all_labels: bool = False
) -> Scores:
    """Counts per source and field (and the NLM/Vancouver sources summed under ``NLM_ROW``).

    Labels the string does not show are left out unless ``all_labels``.
    """
    table: Scores = defaultdict(lambda: defaultdict(Counts))
    for case in cases:
        rows = [case["source"]] + ([NLM_ROW] if case["source"] in NLM_SOURCES else [])
        string = None if all_labels else case.get("string")
        for field, counts in score_case(case["fields"], predict(case), string).items():
            for row in rows:
                table[row][field] += counts
    return {row: dict(fields) for row, fields in table.items()}


def parse_with_refkit(case: Case) -> Csl:
    from refkit.parse import parse_reference

    return parse_reference(case["string"]).to_csl()


def load_gold(folder: Path = GOLD, ids: set[str] | None = None) -> list[dict[str, Any]]:
    """Every labelled string of the folder (each with its ``file``), or only ``ids``."""
    cases = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            case = json.loads(line)
            if ids is None or case["id"] in ids:
                cases.append({**case, "file": path.name})
    return cases


def trained_on() -> tuple[str, ...]:
    from refkit.parse import general

    return tuple(getattr(general, "TRAINED_ON", ()))


def _print_table(scores: Scores, marks: Mapping[str, str]) -> None:
    for row in sorted(scores, key=lambda r: (r == NLM_ROW, r)):
        print(f"\n{row}{marks.get(row, '')}")
        print(f"  {'field':<16}{'n':>5}{'P':>8}{'R':>8}{'F1':>8}{'unshown':>9}")
        for field in FIELDS:
            c = scores[row].get(field)
            if c is not None:
                figures = f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}"
                print(f"  {field:<16}{c.labelled:>5}{figures}{c.unshown:>9}")


def _print_matrix(scores: Scores) -> None:
    short = {"container-title": "journal", "publisher": "publ"}
    heads = [short.get(f, f)[:7] for f in FIELDS]
    print("\nF1 per source and field ('-' = not labelled)")
    print(f"{'source':<40}" + "".join(f"{h:>8}" for h in heads) + f"{'all':>8}")
    for row in sorted(scores, key=lambda r: (r == NLM_ROW, r)):
        cells = [scores[row].get(f) for f in FIELDS]
        total = sum((c for c in cells if c is not None), Counts())
        text = "".join(f"{c.f1:>8.3f}" if c else f"{'-':>8}" for c in cells)
        print(f"{row[:39]:<40}{text}{total.f1:>8.3f}")


def _show_errors(cases: Iterable[Case], predict: Callable[[Case], Csl], limit: int) -> None:
    shown = 0
    for case in cases:
        got = predict(case)
        raw = isinstance(case["fields"].get("author"), str)
        for field, counts in score_case(case["fields"], got, case["string"]).items():
            if counts.fn and shown < limit:
                shown += 1
                print(f"\n[{case['id']}] {field}\n  {case['string']}")
                print(f"  want {field_key(field, case['fields'].get(field), raw)!r}")
                print(f"  got  {field_key(field, got.get(field), raw)!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", action="append", help="Only this source (repeatable).")
    parser.add_argument("--ids", type=Path, help="Only the ids listed in this file.")
    parser.add_argument("--predictions", type=Path, help="JSON lines of {id, csl} to score.")
    parser.add_argument("--show", type=int, default=0, help="Print up to N wrong fields.")
    parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")
    parser.add_argument(
        "--all-labels", action="store_true", help="Score labels the string does not show too."
    )
    args = parser.parse_args(argv)
    if not GOLD.is_dir():
        print(f"no labelled strings at {GOLD}", file=sys.stderr)
        return 2
    ids = set(args.ids.read_text().split()) if args.ids else None
    cases = [c for c in load_gold(GOLD, ids) if not args.source or c["source"] in args.source]
    given: dict[str, Csl] = {}
    if args.predictions:
        for line in args.predictions.open(encoding="utf-8"):
            item = json.loads(line)
            given[item["id"]] = item["csl"]

    def predict(case: Case) -> Csl:
        return given[case["id"]] if case["id"] in given else parse_with_refkit(case)

    scores = score(cases, predict, args.all_labels)
    if args.json:
        print(json.dumps({r: {f: vars(c) for f, c in fs.items()} for r, fs in scores.items()}))
        return 0
    trained = set(trained_on())
    marks = {}
    for case in cases:
        if case["file"] in trained:
            held_out = case["id"] in given
            marks[case["source"]] = (
                "  (model trained on this file; out-of-fold predictions)"
                if held_out
                else "  (model TRAINED ON THIS FILE: figures are not held out)"
            )
    print(f"{len(cases)} labelled strings from {GOLD}")
    _print_table(scores, marks)
    _print_matrix(scores)
    _show_errors(cases, predict, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
