"""Build N generated records offline and print records/s and peak memory.

The records are the seed record replicated with new NCT ids (and its references with a per-copy
DOI suffix, so that dedupe has real work but not everything merges).
Usage: python benchmarks/scale.py [N]   (default 10000)
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "records" / "NCT00962923.txt"


def generate(folder: Path, count: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    for index in range(count):
        nct = f"NCT9{index:07d}"
        copy = text.replace("NCT00962923", nct)
        copy = re.sub(r"doi: (10\.\S+?)\.(\s|$)", rf"doi: \1.{index % 97}.\2", copy)
        (folder / f"{nct}.txt").write_text(copy, encoding="utf-8")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp, "records")
        folder.mkdir()
        generate(folder, count)
        out = Path(temp, "refs.bib")
        command = [sys.executable, "-m", "refkit", "build", str(folder), "-o", str(out)]
        start = time.perf_counter()
        subprocess.run([*command, "--offline", "--quiet"], check=True)
        seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"records: {count}")
    print(f"seconds: {seconds:.2f}")
    print(f"records/s: {count / seconds:.0f}")
    print(f"peak RSS: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
