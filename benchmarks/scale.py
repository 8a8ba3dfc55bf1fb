"""Build N generated records offline and print records/s, peak memory and the time per stage.

The records are the seed record replicated with new NCT ids (and its references with a per-copy
DOI suffix, so that dedupe has real work but not everything merges: 97 variants of each of its
7 references). Each size is built by ``refkit build`` in a process of its own; peak RSS is that
process's, the stage times are those of its ``--report``.

Usage: python benchmarks/scale.py [N ...]   (default 10000)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "records" / "NCT00962923.txt"
STAGES = ("read", "parse", "dedupe", "export")


def generate(folder: Path, count: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    for index in range(count):
        nct = f"NCT9{index:07d}"
        copy = text.replace("NCT00962923", nct)
        copy = re.sub(r"doi: (10\.\S+?)\.(\s|$)", rf"doi: \1.{index % 97}.\2", copy)
        (folder / f"{nct}.txt").write_text(copy, encoding="utf-8")


def run(count: int) -> dict[str, float]:
    """Seconds, peak RSS (MiB) and stage seconds of one build of ``count`` records."""
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp, "records")
        folder.mkdir()
        generate(folder, count)
        out, report = Path(temp, "refs.bib"), Path(temp, "report.json")
        command = [sys.executable, "-m", "refkit", "build", str(folder), "-o", str(out)]
        command += ["--offline", "--quiet", "--report", str(report)]
        start = time.perf_counter()
        process = subprocess.Popen(command)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        assert status == 0, status
        timings = json.loads(report.read_text(encoding="utf-8"))["timings"]
    return {"seconds": seconds, "rss": usage.ru_maxrss / 1024, **timings}


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000]
    stages = " | ".join(STAGES)
    print(f"| records | seconds | records/s | peak RSS | {stages} |")
    print("|---:|---:|---:|---:|" + "---:|" * len(STAGES))
    for count in sizes:
        found = run(count)
        times = " | ".join(f"{found[stage]:.2f}" for stage in STAGES)
        print(
            f"| {count:,} | {found['seconds']:.2f} | {count / found['seconds']:,.0f} | "
            f"{found['rss']:.0f} MiB | {times} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
