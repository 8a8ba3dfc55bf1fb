"""Search-match accuracy with decoys: does ``best_match`` pick the cited Crossref record, and only
that one, when the candidates hold look-alikes?

    python benchmarks/match_accuracy.py [--folds K] [--show N]

The labelled strings of ``../shared/gold/refs/rendered.jsonl`` are real Crossref records
(``../shared/crossref/responses/works``) rendered in 11 citation styles (32 works); every
recorded work is also rendered here in two plain styles (Vancouver-like and APA-like, from the
mapped record), so that all of them are cited. Each string is parsed
with ``refkit.parse_reference`` and its DOI removed (a reference found by search). The
candidates are what a search could return: every real record, and for the cited work two
decoys made from its record (another DOI each):

- a **look-alike**: the same title and authors, two to four years later, on other pages (a
  reprint, a later version, the same conference talk written up);
- **another title by the same first author** in the same journal, year and volume (the title of
  another record, on other pages).

For a third of the works (chosen by a hash of the DOI) the real record is left out of every
pool: the right answer is then no match. A string's verdict is right (its own record accepted),
wrong (anything else accepted) or unmatched; precision is right / accepted, recall is right /
strings whose record is in the pool.

Out of sample (the headline): the decision thresholds (``MIN_SCORE``, ``MARGIN``) are chosen by
K-fold cross-validation grouped by work (no work's strings on both sides): on the other folds,
the best recall at precision ≥ 0.995; scored on the held-out fold. In-sample figures with the
library's defaults are printed beside them. Every wrong match of the out-of-sample run is
listed. The candidates are given to ``best_match`` directly, as the Crossref stand-in
(``tests/fake_crossref.py``) would serve them; no HTTP is timed.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from refkit.enrich.mapping import citation_from_crossref
from refkit.enrich.match import MARGIN, MIN_SCORE, Judged, decide, judge
from refkit.model import Citation
from refkit.parse import parse_reference

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
RENDERED = SHARED / "gold" / "refs" / "rendered.jsonl"
WORKS = SHARED / "crossref" / "responses" / "works"
MIN_PRECISION = 0.995
SCORES = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
MARGINS = (0.02, 0.05, 0.1, 0.15)
_DATES = (
    "published-print",
    "issued",
    "published",
    "published-online",
    "posted",
    "approved",
    "created",
)


def messages() -> dict[str, dict[str, Any]]:
    """Crossref's message of each recorded work, by lower-case DOI."""
    found = {}
    for path in sorted(WORKS.glob("*.json")):
        if not path.name.endswith(".headers.json"):
            message = json.loads(path.read_text(encoding="utf-8"))["message"]
            found[message["DOI"].lower()] = message
    return found


def _stable(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


def absent(doi: str) -> bool:
    """A third of the works have no record in any pool: the right answer is no match."""
    return _stable(doi) % 3 == 0


def _other_pages(message: dict[str, Any], shift: int) -> str:
    first = "".join(c for c in str(message.get("page", "")).split("-")[0] if c.isdigit())
    start = int(first or 1) + shift
    return f"{start}-{start + 9}"


def _moved(message: dict[str, Any], years: int) -> dict[str, Any]:
    for key in _DATES:
        parts = message.get(key, {}).get("date-parts")
        if parts and parts[0] and parts[0][0]:
            message[key] = {"date-parts": [[parts[0][0] + years]]}
    return message


def decoys(doi: str, works: dict[str, dict[str, Any]], order: Sequence[str]) -> list[Citation]:
    """The look-alike and the same author's other title for one work."""
    message = works[doi]
    later = _moved(copy.deepcopy(message), 2 + _stable(doi) % 3)
    later["DOI"] = f"10.99999/later.{_stable(doi)}"
    later["page"] = _other_pages(message, 200)
    other_doi = order[(order.index(doi) + 1) % len(order)]
    other = copy.deepcopy(message)
    other["DOI"] = f"10.99999/other.{_stable(doi)}"
    other["title"] = works[other_doi].get("title") or ["Untitled"]
    other.pop("subtitle", None)
    other.pop("short-title", None)
    other["page"] = _other_pages(message, 40)
    authors = message.get("author") or []
    other["author"] = authors[:1] + (works[other_doi].get("author") or [])[1:3]
    return [citation_from_crossref(later), citation_from_crossref(other)]


@dataclass(frozen=True)
class Case:
    doi: str
    style: str
    string: str
    judged: Judged
    pool: tuple[Citation, ...]


def rendered(works: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(DOI, style, string): the labelled strings, then two plain renderings of every work."""
    found = []
    for line in RENDERED.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        doi, style = item["id"].split("|")
        if doi.lower() in works:
            found.append((doi.lower(), style, item["string"]))
    for doi in sorted(works):
        citation = citation_from_crossref(works[doi])
        if citation.title and citation.author:
            found.append((doi, "plain-vancouver", vancouver(citation)))
            found.append((doi, "plain-apa", apa(citation)))
    return found


def vancouver(citation: Citation) -> str:
    names = ", ".join(
        f"{n.family} {''.join(g[0] for g in n.given.replace('-', ' ').split())}".strip()
        if n.family
        else n.literal
        for n in citation.author[:6]
    )
    year = citation.issued.year if citation.issued else ""
    where = f"{citation.container_title}. {year}" if citation.container_title else f"{year}"
    numbers = f";{citation.volume}" if citation.volume else ""
    numbers += f"({citation.issue})" if citation.issue else ""
    numbers += f":{citation.page}" if citation.page else ""
    return f"{names}. {citation.title}. {where}{numbers}."


def apa(citation: Citation) -> str:
    names = ", ".join(
        f"{n.family}, {' '.join(g[0] + '.' for g in n.given.split())}" if n.family else n.literal
        for n in citation.author[:6]
    )
    year = citation.issued.year if citation.issued else "n.d."
    text = f"{names} ({year}). {citation.title}."
    if citation.container_title:
        text += f" {citation.container_title}"
        text += f", {citation.volume}" if citation.volume else ""
        text += f"({citation.issue})" if citation.issue else ""
        text += f", {citation.page}" if citation.page else ""
        text += "."
    elif citation.publisher:
        text += f" {citation.publisher}."
    return text


def cases() -> list[Case]:
    works = messages()
    order = sorted(works)
    present = [citation_from_crossref(works[d]) for d in order if not absent(d)]
    found = []
    for doi, style, string in rendered(works):
        parsed = replace(parse_reference(string), doi="")
        pool = tuple(present + decoys(doi, works, order))
        found.append(Case(doi, style, string, judge(parsed, pool), pool))
    return found


def verdict(case: Case, min_score: float, margin: float) -> tuple[str, Citation | None]:
    match = decide(case.judged, case.pool, min_score, margin)
    if match.candidate is None:
        return "unmatched", None
    return ("right" if match.candidate.doi.lower() == case.doi else "wrong"), match.candidate


def figures(counts: Counter[str]) -> tuple[float, float]:
    accepted = counts["right"] + counts["wrong"]
    precision = counts["right"] / accepted if accepted else 1.0
    recall = counts["right"] / counts["answerable"] if counts["answerable"] else 1.0
    return precision, recall


def tally(chosen: Sequence[Case], min_score: float, margin: float) -> Counter[str]:
    counts: Counter[str] = Counter()
    for case in chosen:
        counts[verdict(case, min_score, margin)[0]] += 1
        counts["answerable"] += not absent(case.doi)
    return counts


def choose(training: Sequence[Case]) -> tuple[float, float]:
    """The thresholds with the best recall at precision ≥ MIN_PRECISION on ``training``
    (else the best precision); ties go to the stricter setting."""

    def merit(setting: tuple[float, float]) -> tuple[bool, float, float, float, float]:
        precision, recall = figures(tally(training, *setting))
        return precision >= MIN_PRECISION, recall, precision, setting[0], setting[1]

    return max(((s, m) for s in SCORES for m in MARGINS), key=merit)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--show", type=int, default=0, help="print N unmatched strings")
    args = parser.parse_args()
    if not RENDERED.is_file() or not WORKS.is_dir():
        print("../shared/gold/refs/rendered.jsonl or ../shared/crossref is absent", file=sys.stderr)
        return 0
    started = time.perf_counter()
    every = cases()
    judging = time.perf_counter() - started
    held_out: Counter[str] = Counter()
    wrong: list[tuple[Case, Citation]] = []
    settings = []
    for fold in range(args.folds):
        test = [c for c in every if _stable(c.doi + "fold") % args.folds == fold]
        training = [c for c in every if _stable(c.doi + "fold") % args.folds != fold]
        setting = choose(training)
        settings.append(setting)
        held_out += tally(test, *setting)
        for case in test:
            kind, candidate = verdict(case, *setting)
            if kind == "wrong" and candidate is not None:
                wrong.append((case, candidate))
    inside = tally(every, MIN_SCORE, MARGIN)
    absent_strings = sum(absent(c.doi) for c in every)
    print(
        f"{len(every)} strings of {len({c.doi for c in every})} works; {absent_strings} strings "
        f"cite a work left out of the pool; {len(every[0].pool)} candidates each"
    )
    print("| run | right | wrong | unmatched | P | R |")
    print("|---|---|---|---|---|---|")
    for label, counts in (
        (f"out of sample ({args.folds}-fold, grouped by work)", held_out),
        (f"in sample (library defaults {MIN_SCORE} / {MARGIN})", inside),
    ):
        precision, recall = figures(counts)
        print(
            f"| {label} | {counts['right']} | {counts['wrong']} | {counts['unmatched']} "
            f"| {precision:.4f} | {recall:.4f} |"
        )
    print("thresholds chosen per fold (min score, margin):", settings)
    for case, candidate in wrong:
        print(f"WRONG [{case.style}] {case.string[:110]}")
        print(f"    cites {case.doi}{' (absent)' if absent(case.doi) else ''}")
        print(f"    took  {candidate.doi}: {candidate.title[:80]} ({candidate.issued})")
    shown = 0
    for case in every:
        answerable = shown < args.show and not absent(case.doi)
        if answerable and verdict(case, MIN_SCORE, MARGIN)[0] == "unmatched":
            shown += 1
            print(f"unmatched [{case.style}] {case.string[:110]}")
            print(f"    {decide(case.judged, case.pool).reason}")
    judged = sum(len(c.pool) for c in every)
    print(f"{judged} candidates judged in {judging:.2f} s: {judging / judged * 1e6:.0f} µs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
