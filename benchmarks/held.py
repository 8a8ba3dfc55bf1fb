"""What a build holds, after reading and after clustering, and what a citation weighs.

Reads a ZIP made by ``benchmarks/registry.py`` (``--keep``) with the build's own stages, in this
process, and prints the resident memory after each stage and its peak so far, and the size of
the spool the citations wait in; with ``--sizes``, also the bytes of the objects reachable from
the citations once read back, by type (each object counted once; reading them all back and the
walk's own table raise the peaks that follow).

Usage: python benchmarks/held.py ZIP [--jobs J] [--sizes]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from pathlib import Path

from refkit import commands
from refkit.dedupe import cluster
from refkit.report import Report


def rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def peak() -> int:
    """The peak resident memory of this process so far, MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def reachable(roots: list[object]) -> tuple[Counter[str], int]:
    """Bytes by type of every object reachable from ``roots`` through tuples and slots, and
    the bytes of the strings equal to one met before (what sharing equal strings would save)."""
    seen: set[int] = set()
    sizes: Counter[str] = Counter()
    texts: set[str] = set()
    repeats = 0
    stack = list(roots)
    while stack:
        item = stack.pop()
        if id(item) in seen or item is None or isinstance(item, bool | int):
            continue
        seen.add(id(item))
        sizes[type(item).__name__] += sys.getsizeof(item)
        if isinstance(item, str):
            if item in texts:
                repeats += sys.getsizeof(item)
            texts.add(item)
        if isinstance(item, tuple | list):
            stack.extend(item)
        elif hasattr(item, "__slots__"):
            stack.extend(getattr(item, name, None) for name in item.__slots__)
        elif hasattr(item, "__dict__"):
            stack.extend(vars(item).values())
    return sizes, repeats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zip", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--sizes", action="store_true", help="bytes held, by type")
    args = parser.parse_args()
    print(f"start: {rss()} MiB")
    report = Report()
    started = time.perf_counter()
    collected = commands._collect([args.zip], report, None, fold=True, jobs=args.jobs)
    count = len(collected.citations)
    seconds = time.perf_counter() - started
    print(f"read+parse: {seconds:.1f} s, {rss()} MiB (peak {peak()}), {count:,} citations")
    spooled = collected.citations.size / 2**20
    print(f"spool: {spooled:.0f} MiB on disk, {spooled * 2**20 / count:,.0f} B a citation")
    if args.sizes:
        sizes, repeats = reachable(list(collected.citations))
        total = sum(sizes.values())
        print(f"reachable from the citations: {total / 2**20:.0f} MiB, {total / count:,.0f} B each")
        for kind, size in sizes.most_common(8):
            print(f"  {kind}: {size / 2**20:.1f} MiB ({size / count:,.0f} B per citation)")
        print(f"  of the str, equal to an earlier one: {repeats / 2**20:.1f} MiB")
    started = time.perf_counter()
    result = cluster(collected.citations, counts=collected.counts())
    seconds = time.perf_counter() - started
    print(f"cluster: {seconds:.1f} s, {rss()} MiB (peak {peak()}), {len(result.clusters):,}")


if __name__ == "__main__":
    main()
