"""How deduplication time and memory grow with the number of references.

    python benchmarks/dedupe_scale.py [N ...]        (default: 10000 30000 100000)
    python benchmarks/dedupe_scale.py --hot N        (one work cited N times)

The references are the real records of ../shared/dedup/ made into as many distinct works as
needed (a copy beyond the first gets other words in its title, another first author, year,
volume, pages and DOI), each work exported one to four times with the noise of real exports:
typos, upper-case titles, abbreviated journals, dropped DOIs and pages, reordered authors,
short page ranges. Each size runs in a fresh process, so that its peak memory is its own.
Prints seconds (wall and CPU: the machine may be shared), peak RSS and pairwise
precision/recall per size, then the growth exponent fitted to time = c·N^k by least squares on
the logarithms.
"""

from __future__ import annotations

import json
import math
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace

from dedupe_accuracy import DATA, DATASETS, load, pairwise

from refkit.dedupe import dedupe
from refkit.model import Citation, Date, Name

SIZES = (10_000, 30_000, 100_000)


def pool() -> list[tuple[Citation, str]]:
    """Every labelled record that has a title and an author, with its labelled cluster."""
    records: list[tuple[Citation, str]] = []
    for name in DATASETS:
        if name == "bibdedupe_edge_cases":  # hand-made pairs; identical records held apart
            continue
        citations, gold = load(name)
        records.extend((c, g) for c, g in zip(citations, gold, strict=True) if c.title and c.author)
    return records


def distinct_work(base: Citation, copy: int, rng: random.Random, words: list[str]) -> Citation:
    """The copy-th distinct work made from a real record: copy 0 is the record itself."""
    if copy == 0:
        return base
    title = base.title.split()
    for _ in range(max(3, len(title) // 3)):
        title[rng.randrange(len(title))] = rng.choice(words)
    year = base.issued.year + rng.randint(-5, 5) if base.issued else 2000
    first = rng.randint(1, 2000)
    return replace(
        base,
        title=" ".join(title) + f" {rng.choice(words)}",
        author=tuple(Name(rng.choice(words).title(), "Q.") for _ in range(rng.randint(1, 5))),
        issued=Date(year),
        volume=str(rng.randint(1, 300)),
        page=f"{first}-{first + rng.randint(1, 15)}",
        doi=f"10.9999/bench.{copy}.{rng.randrange(10**9)}" if base.doi else "",
    )


def export_noise(work: Citation, rng: random.Random) -> Citation:
    """One more export of the same work, as another database would write it."""
    title, container, page, doi, author = (
        work.title,
        work.container_title,
        work.page,
        work.doi,
        work.author,
    )
    if rng.random() < 0.3 and len(title) > 20:
        at = rng.randrange(5, len(title) - 2)
        title = title[:at] + title[at + 1] + title[at] + title[at + 2 :]
    if rng.random() < 0.2:
        title = title.upper()
    if rng.random() < 0.4:
        container = " ".join(w[:5] if len(w) > 5 else w for w in container.split())
    if rng.random() < 0.5:
        doi = ""
    if rng.random() < 0.2:
        page = ""
    elif "-" in page and rng.random() < 0.5:
        first, last = page.split("-", 1)
        page = f"{first}-{last[-1:]}" if len(last) == len(first) else page
    if len(author) > 1 and rng.random() < 0.3:
        author = tuple(reversed(author))
    return replace(work, title=title, container_title=container, page=page, doi=doi, author=author)


def references(size: int, seed: int = 7) -> tuple[list[Citation], list[str]]:
    """``size`` references and the work each one is an export of.

    The real records keep their labelled clusters; each made-up work is a work of its own.
    """
    rng = random.Random(seed)
    base = pool()
    words = [w for c, _ in base for w in c.title.split() if w.isalpha() and len(w) > 3]
    citations: list[Citation] = []
    truth: list[str] = []
    number = 0
    while len(citations) < size:
        record, cluster = base[number % len(base)]
        round_ = number // len(base)
        work = distinct_work(record, round_, rng, words)
        for copy in range(rng.choice((1, 1, 2, 2, 3, 4))):
            exported = work if copy == 0 else export_noise(work, rng)
            citations.append(replace(exported, id=f"w{number}c{copy}"))
            truth.append(f"{number}" if round_ else cluster)
        number += 1
    return citations[:size], truth[:size]


def run_one(size: int) -> dict[str, float]:
    citations, truth = references(size)
    start, cpu_start = time.perf_counter(), time.process_time()
    result = dedupe(citations)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    predicted = [0] * len(citations)
    for number, members in enumerate(result.clusters):
        for index in members:
            predicted[index] = number
    precision, recall, _ = pairwise(truth, predicted)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "references": size,
        "works": len(Counter(truth)),
        "clusters": len(result.clusters),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mib": peak,
        "precision": precision,
        "recall": recall,
    }


def run_hot(size: int) -> dict[str, float]:
    """One work cited ``size`` times in a few spellings (a guideline every trial cites)."""
    rng = random.Random(3)
    work = next(c for c, _ in pool() if c.doi and c.page and c.volume)
    citations = []
    for number in range(size):
        copy = export_noise(work, rng) if number else work
        citations.append(replace(copy, id=f"r{number}", cited_by=(f"NCT{number:08d}",)))
    start = time.perf_counter()
    result = dedupe(citations)
    return {"seconds": time.perf_counter() - start, "clusters": len(result.clusters)}


def fitted_exponent(rows: list[dict[str, float]], key: str = "seconds") -> float:
    xs = [math.log(row["references"]) for row in rows]
    ys = [math.log(row[key]) for row in rows]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return numerator / sum((x - mean_x) ** 2 for x in xs)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(run_one(int(sys.argv[2]))))
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "--hot":
        row = run_hot(int(sys.argv[2]))
        print(
            f"one work cited {int(sys.argv[2]):,} times: {row['clusters']} cluster(s), "
            f"{row['seconds']:.2f} s"
        )
        return 0
    if not DATA.is_dir():
        print(f"skipped: {DATA} (the labelled duplicate sets) is not present", file=sys.stderr)
        return 0
    sizes = [int(arg) for arg in sys.argv[1:]] or list(SIZES)
    rows = []
    print("| references | works | clusters | seconds | CPU s | refs/s | peak RSS | P | R |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(out)
        rows.append(row)
        print(
            f"| {size:,} | {row['works']:,} | {row['clusters']:,} | {row['seconds']:.2f} | "
            f"{row['cpu_seconds']:.2f} | "
            f"{size / row['seconds']:,.0f} | {row['peak_mib']:.0f} MiB | "
            f"{row['precision']:.4f} | {row['recall']:.4f} |",
            flush=True,
        )
    if len(rows) > 1:
        print(
            f"\nfitted growth exponent (time ~ N^k): k = {fitted_exponent(rows):.2f} "
            f"(CPU time: k = {fitted_exponent(rows, 'cpu_seconds'):.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
