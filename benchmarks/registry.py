"""Build N API v2 studies in one ZIP, as the registry's "download all studies" gives them.

The studies are the real API v2 records of ../shared/records/ctgov-v2 with new NCT ids; their
references are drawn from every real registry reference string of ../shared/records (all
formats) and the labelled strings of ../shared/gold/refs. Most are made distinct by shifting
the numbers in them (year, volume, pages, DOI digits) by the study's number, so that parsing
and deduplication face ~N x 7.5 mostly different references, as in the registry; about one in
six is kept verbatim (guidelines and landmark trials are cited by many trials).

The ZIP (one ``NCT….json`` per study, deflated) is built offline by ``refkit build`` in a
process of its own; printed: wall time, CPU time (user + system, the workers included: on a
shared machine the steadier figure), time per stage (from ``--report``), and peak memory,
sampled: the main process's own peak RSS, the peak of the proportional set size (PSS) summed
over it and its workers (what the run holds: a page a forked worker shares with the main
process is counted once, split between them), and the largest RSS of any one process (a
worker forked late counts every page it shares with the main process).

Usage: python benchmarks/registry.py N [N ...] [--jobs J] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RECORDS = SHARED / "records"
GOLD = SHARED / "gold" / "refs"
STAGES = ("read", "extract", "parse", "dedupe", "export")
_NCT = re.compile(r"NCT\d{8}")
_NUMBER = re.compile(r"\d{2,}")
VERBATIM_EVERY = 6


def templates() -> list[dict[str, object]]:
    """The real API v2 studies."""
    found = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((RECORDS / "ctgov-v2").glob("*.json"))
    ]
    return [data for data in found if isinstance(data, dict) and "protocolSection" in data]


def strings() -> tuple[list[str], list[str]]:
    """Every reference string of the real records (all formats), and of the labelled sets."""
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import record_citations  # the tests' reader of records, refkit not used

    labelled = []
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["string"]
            if len(text) > 20:
                labelled.append(" ".join(text.split()))
    return list(record_citations(RECORDS)), list(dict.fromkeys(labelled))


def shifted(text: str, by: int) -> str:
    """``text`` with each number of two digits or more moved by ``by`` (years kept plausible)."""

    def move(match: re.Match[str]) -> str:
        value = int(match.group())
        if match.group() == "10" and match.string[match.end() : match.end() + 1] == ".":
            return "10"  # a DOI's prefix
        if len(match.group()) == 4 and 1900 <= value <= 2030:
            return str(1950 + (value - 1950 + by) % 75)
        return str(value + by)

    return _NUMBER.sub(move, text)


def pick(pools: tuple[list[str], list[str]], index: int, number: int) -> str:
    """Three references in four from the registry's own strings (mostly PubMed's NLM style),
    the fourth from the labelled sets (other styles, other fields)."""
    registry, labelled = pools
    pool = labelled if (index + number) % 4 == 3 else registry
    return pool[(index * 31 + number * 977) % len(pool)]


def study(template: dict[str, object], index: int, pools: tuple[list[str], list[str]]) -> bytes:
    nct = f"NCT9{index:07d}"
    text = json.dumps(template)
    own = _NCT.search(json.dumps(template["protocolSection"]))
    if own:
        text = text.replace(own.group(), nct)
    data = json.loads(text)
    count = 3 + (index * 7919) % 10
    references = []
    for number in range(count):
        text = pick(pools, index, number)
        verbatim = (index * 7 + number) % VERBATIM_EVERY == 0
        citation = text if verbatim else shifted(text, index + 1)
        references.append({"type": "BACKGROUND", "citation": citation})
    data["protocolSection"]["referencesModule"] = {"references": references}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def make_zip(path: Path, count: int) -> int:
    """The ZIP of ``count`` studies; returns how many references they hold."""
    bases, pools = templates(), strings()
    references = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for index in range(count):
            data = study(bases[index % len(bases)], index, pools)
            references += 3 + (index * 7919) % 10
            archive.writestr(f"NCT9{index:07d}.json", data)
    return references


def memory(pid: int) -> tuple[int, int]:
    """(the peak resident bytes of ``pid`` itself so far, the proportional bytes of it and its
    children now), from Linux /proc; (0, 0) when gone. A forked worker's RSS counts every page
    it shares with the parent; its PSS counts a shared page's share only."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0, 0
    peak = next(
        (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0
    )
    total = 0
    for each in [pid, *map(int, children)]:
        try:
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return peak * 1024, total * 1024


def run(archive: Path, jobs: int, folder: Path) -> dict[str, float]:
    out, report = folder / "refs.bib", folder / "report.json"
    command = [sys.executable, "-m", "refkit", "build", str(archive), "-o", str(out)]
    command += ["--offline", "--quiet", "--report", str(report), "--jobs", str(jobs)]
    peak = [0, 0]
    start = time.perf_counter()
    process = subprocess.Popen(command)

    def sample() -> None:
        while process.poll() is None:
            own, tree = memory(process.pid)
            peak[0], peak[1] = max(peak[0], own), max(peak[1], tree)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = status
    sampler.join()
    assert status == 0, status
    found = json.loads(report.read_text(encoding="utf-8"))
    return {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,  # with the workers it waited for
        "rss": peak[0] / 2**20,
        "pss": peak[1] / 2**20,
        "largest": usage.ru_maxrss / 1024,  # of any process (a worker's counts shared pages)
        "references": found["references_found"],
        "written": found["references_written"],
        **{stage: found["timings"].get(stage, 0.0) for stage in STAGES},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="make and keep the ZIPs in this folder")
    args = parser.parse_args()
    stages = " | ".join(STAGES)
    header = "| studies | references | written | jobs | wall s | CPU s | main RSS | all PSS |"
    header += " largest RSS |"
    print(f"{header} {stages} |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * len(STAGES))
    for count in args.sizes:
        with tempfile.TemporaryDirectory() as temp:
            folder = args.keep or Path(temp)
            folder.mkdir(parents=True, exist_ok=True)
            archive = folder / f"ctg-studies-{count}.zip"
            if not archive.exists():
                started = time.perf_counter()
                make_zip(archive, count)
                made = time.perf_counter() - started
                size = archive.stat().st_size / 2**20
                print(f"(made {archive.name}: {size:.0f} MiB in {made:.0f} s)", file=sys.stderr)
            found = run(archive, args.jobs, Path(temp))
        times = " | ".join(f"{found[stage]:.1f}" for stage in STAGES)
        print(
            f"| {count:,} | {found['references']:,} | {found['written']:,} | {args.jobs} | "
            f"{found['seconds']:.1f} | {found['cpu']:.1f} | "
            f"{found['rss']:.0f} MiB | {found['pss']:.0f} MiB | {found['largest']:.0f} MiB | "
            f"{times} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
