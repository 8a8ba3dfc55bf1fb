"""Search-match accuracy: does ``best_match`` pick the right Crossref record, and only that?

    python benchmarks/match_accuracy.py [--show N]

The labelled strings of ``../shared/gold/refs/rendered.jsonl`` are real Crossref records
(``../shared/crossref/responses/works``) rendered in 11 citation styles. Each string is parsed
with ``refkit.parse_reference``, its DOI removed (as for a reference found by search), and
matched twice against the mapped records, as if a search had returned all of them:

- with its record among them: right (its own record accepted), wrong (another accepted) or
  unmatched;
- without its record (a work Crossref does not hold): any acceptance is a false match.

Prints per style and in total: precision (right / accepted), recall (right / strings), F1, the
false matches of the second run, the lowest accepted score, the highest runner-up of an
accepted match, and the time per candidate judged.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from refkit.enrich.mapping import citation_from_crossref
from refkit.enrich.match import best_match
from refkit.model import Citation
from refkit.parse import parse_reference

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
RENDERED = SHARED / "gold" / "refs" / "rendered.jsonl"
WORKS = SHARED / "crossref" / "responses" / "works"


def records() -> dict[str, Citation]:
    found = {}
    for path in sorted(WORKS.glob("*.json")):
        if not path.name.endswith(".headers.json"):
            body = json.loads(path.read_text(encoding="utf-8"))
            citation = citation_from_crossref(body["message"])
            found[citation.doi] = citation
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print N unmatched strings")
    args = parser.parse_args()
    if not RENDERED.is_file() or not WORKS.is_dir():
        print("../shared/gold/refs/rendered.jsonl or ../shared/crossref is absent", file=sys.stderr)
        return 2
    works = records()
    candidates = list(works.values())
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    accepted_scores, runner_ups, shown = [], [], 0
    judged, elapsed = 0, 0.0
    for line in RENDERED.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        doi, style = case["id"].split("|")
        parsed = replace(parse_reference(case["string"]), doi="")
        others = [c for c in candidates if c.doi != doi.lower()]
        started = time.perf_counter()
        match = best_match(parsed, candidates)
        stranger = best_match(parsed, others)
        elapsed += time.perf_counter() - started
        judged += len(candidates) + len(others)
        if match.candidate is None:
            verdict = "unmatched"
            if shown < args.show:
                shown += 1
                print(f"unmatched [{style}] {case['string'][:100]}\n    {match.reason}")
        else:
            verdict = "right" if match.candidate.doi == doi.lower() else "wrong"
            accepted_scores.append(match.score)
            runner_ups.append(match.runner_up)
        for row in (style, "all"):
            counts[row][verdict] += 1
            counts[row]["false match without its record"] += stranger.accepted
    print(
        f"{'style':32} {'strings':>7} {'right':>5} {'wrong':>5} {'unmat':>5} "
        f"{'P':>6} {'R':>6} {'F1':>6} {'no-record FP':>12}"
    )
    for row in [*sorted(r for r in counts if r != "all"), "all"]:
        c = counts[row]
        total = c["right"] + c["wrong"] + c["unmatched"]
        accepted = c["right"] + c["wrong"]
        p = c["right"] / accepted if accepted else 1.0
        r = c["right"] / total if total else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(
            f"{row:32} {total:7} {c['right']:5} {c['wrong']:5} {c['unmatched']:5} "
            f"{p:6.3f} {r:6.3f} {f1:6.3f} {c['false match without its record']:12}"
        )
    print(
        f"lowest accepted score {min(accepted_scores):.3f}; "
        f"highest runner-up of an accepted match {max(runner_ups):.3f}"
    )
    print(f"{judged} candidates judged in {elapsed:.2f} s: {elapsed / judged * 1e6:.0f} µs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
