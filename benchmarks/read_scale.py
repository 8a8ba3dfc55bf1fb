"""Read N generated trial records (no parsing, no export) and print records/s and peak memory.

The records are the real ones of ../shared/records (text rendering, API v2 JSON, classic JSON,
legacy XML), replicated round-robin with new NCT ids, laid out two ways: a folder of N files,
and one API v2 download (``ctg-studies.json``, a JSON array) of N studies. Each size is read in
a process of its own by ``refkit.read_records``; peak RSS is that process's.

Usage: python benchmarks/read_scale.py [N ...]   (default: 10000 40000)
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
RECORDS = ROOT.parent / "shared" / "records"
FORMATS = ("text", "ctgov-v2", "ctgov-v1", "ctgov-xml")
_NCT = re.compile(r"NCT\d{8}")

READ = """
import sys, time
from refkit import read_records
from refkit.model import Record
start = time.perf_counter()
records = references = other = 0
for item in read_records(sys.argv[1:]):
    if isinstance(item, Record):
        records += 1
        references += len(item.references)
    else:
        other += 1
print(records, references, other, time.perf_counter() - start)
"""


def samples() -> list[tuple[str, str, str]]:
    """(suffix, text, its own NCT id) for every real record of every format."""
    found = []
    for fmt in FORMATS:
        for path in sorted((RECORDS / fmt).iterdir()):
            text = path.read_text(encoding="utf-8")
            own = _NCT.search(text)
            if own:
                found.append((path.suffix, text, own.group()))
    return found


def new_id(index: int) -> str:
    return f"NCT8{index:07d}"


def folder_of(target: Path, count: int) -> None:
    real = samples()
    for index in range(count):
        suffix, text, own = real[index % len(real)]
        nct = new_id(index)
        (target / f"{nct}{suffix}").write_text(text.replace(own, nct), encoding="utf-8")


def download_of(target: Path, count: int) -> None:
    """One JSON array of ``count`` API v2 studies, written study by study."""
    studies = [(text, own) for suffix, text, own in samples() if '"protocolSection"' in text]
    with (target / "ctg-studies.json").open("w", encoding="utf-8") as stream:
        stream.write("[")
        for index in range(count):
            text, own = studies[index % len(studies)]
            study = json.dumps(json.loads(text.replace(own, new_id(index))))
            stream.write(("," if index else "") + "\n" + study)
        stream.write("\n]\n")


def measure(paths: list[Path]) -> tuple[int, int, int, float, float]:
    """(records, references, other items, seconds, peak RSS in MiB) of one reading process."""
    process = subprocess.Popen(
        [sys.executable, "-c", READ, *map(str, paths)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    assert status == 0, output
    records, references, other, seconds = output.split()
    return int(records), int(references), int(other), float(seconds), usage.ru_maxrss / 1024


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 40_000]
    print("| layout | records | references | seconds | records/s | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|")
    for count in sizes:
        for layout, make in (("folder of files", folder_of), ("one JSON array", download_of)):
            with tempfile.TemporaryDirectory() as temp:
                folder = Path(temp)
                start = time.perf_counter()
                make(folder, count)
                made = time.perf_counter() - start
                records, references, other, seconds, rss = measure([folder])
                assert records == count and other == 0, (records, other)
                print(
                    f"| {layout} | {records:,} | {references:,} | {seconds:.2f} | "
                    f"{records / seconds:,.0f} | {rss:.0f} MiB |",
                    flush=True,
                )
                print(f"(generated in {made:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
