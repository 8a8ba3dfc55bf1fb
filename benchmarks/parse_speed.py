"""Reference-parsing speed on one core: refkit against refextract, on the same strings.

    python benchmarks/parse_speed.py [--repeat N] [--peer-sample N] [--no-peer]

Four sets of real strings: NLM (the NLM/Vancouver labelled strings of ../shared/gold/refs),
registry (every reference of ../shared/records as the registry prints it: mostly NLM, some
in other styles or cut off), NLM+reg (the two together; earlier runs called this set "NLM")
and mixed (every labelled string plus the registry references). Both parsers run pinned to
one CPU, one string per call, after a warm-up (an untimed pass for refkit, whose passes take
milliseconds; one call for refextract). Rates are over CPU time (``time.process_time``), so
that other work on a shared machine does not count against either; refkit's rate is the best
of ``--repeat`` passes.
refextract, a peer (INSPIRE's reference extractor), runs once over the first
``--peer-sample`` strings of each set, and refkit's rate on that same sample gives the ratio.
refextract lives in its own virtual environment under the user cache folder (created on first
use, from PyPI), never in refkit's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from refkit.parse import parse_reference

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
NLM_SOURCES = {
    "nlm-seed",
    "anystyle-gold-nlm",
    "anystyle-core-nlm",
    "rendered-nlm-citation-sequence",
    "rendered-elsevier-vancouver",
}
PEER = "refextract==1.1.7"
PEER_VENV = Path(user_cache_dir("refkit")) / "benchmarks" / "refextract-venv"
_PEER_CODE = """
import json, sys, time
from refextract import extract_references_from_string
strings = json.load(open(sys.argv[1], encoding="utf-8"))
extract_references_from_string(strings[0])
start = time.process_time()
found = sum(len(extract_references_from_string(s)) for s in strings)
print(json.dumps({"seconds": time.process_time() - start, "found": found}))
"""


def record_strings(records: Path) -> list[str]:
    """Every registry reference string (JSON, XML and text records), read without refkit."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from helpers import record_citations

    return record_citations(records)


def string_sets() -> dict[str, list[str]]:
    labelled = []
    for path in sorted((SHARED / "gold" / "refs").glob("*.jsonl")):
        labelled += [json.loads(line) for line in path.open(encoding="utf-8")]
    registry = record_strings(SHARED / "records")
    nlm = [case["string"] for case in labelled if case["source"] in NLM_SOURCES]
    return {
        "NLM": nlm,
        "registry": registry,
        "NLM+reg": nlm + registry,
        "mixed": [c["string"] for c in labelled] + registry,
    }


def one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})  # children (the peer) inherit it
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here)"


def refkit_rate(strings: Sequence[str], repeat: int) -> float:
    parse: Callable[[str], Any] = parse_reference
    for text in strings:
        parse(text)
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for text in strings:
            parse(text)
        best = min(best, time.process_time() - start)
    return len(strings) / best


def peer_python() -> Path:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print(f"installing {PEER} into {PEER_VENV} (once)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PEER], check=True)
    return python


def peer_rate(strings: Sequence[str]) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(list(strings), handle)
    try:
        run = subprocess.run(
            [str(peer_python()), "-c", _PEER_CODE, handle.name],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(handle.name)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    return len(strings) / float(result["seconds"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="refkit passes (best is kept)")
    parser.add_argument("--peer-sample", type=int, default=200, help="strings given to the peer")
    parser.add_argument("--no-peer", action="store_true", help="refkit only")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"no reference material at {SHARED}", file=sys.stderr)
        return 2
    print(f"one core: {one_core()}; Python {sys.version.split()[0]}")
    print(f"{'set':<9}{'strings':>8}{'refkit/s':>11}{'sample':>8}{'refkit/s':>11}", end="")
    print(f"{'refextract/s':>14}{'ratio':>9}")
    for name, strings in string_sets().items():
        rate = refkit_rate(strings, args.repeat)
        line = f"{name:<9}{len(strings):>8}{rate:>11,.0f}"
        if not args.no_peer:
            sample = strings[: args.peer_sample]
            ours, theirs = refkit_rate(sample, args.repeat), peer_rate(sample)
            line += f"{len(sample):>8}{ours:>11,.0f}{theirs:>14,.1f}{ours / theirs:>8,.0f}x"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
