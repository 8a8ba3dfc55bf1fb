"""Crossref enrichment against a server that enforces a rate limit and a concurrency limit.

A local stand-in for Crossref (tests/fake_crossref.py, in its own process) allows L requests per
second and C in flight, answers each request after 50 ms with a real recorded work, announces
its limits in the headers as Crossref does, and answers 429 to anything beyond them. refkit
enriches N citations with distinct DOIs (empty cache: one request each); then a sequential
client (one request at a time, no pacing) asks for the same DOIs. Prints, per (L, C): refkit's
sustained rate as a share of L, the 429s each got, and refkit's speed-up over the sequential
client in successful answers per second.

Usage: python benchmarks/enrich.py [SECONDS]   (default 10: each refkit run lasts about that long)
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from refkit.enrich.enricher import CrossrefEnricher
from refkit.model import Citation
from refkit.plugins import EnrichOptions

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "tests" / "fake_crossref.py"
LATENCY = 0.05
# (requests/s, in flight, contact): Crossref's polite pool before December 2025, its polite
# single-work pool since, and its public pool since (no mailto: refkit starts from 5/s and 1).
CASES = [(50, 5, "you@example.org"), (10, 3, "you@example.org"), (5, 1, "")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """The fake Crossref in a process of its own (its threads must not share refkit's GIL)."""

    def __init__(self, rate: int, concurrency: int) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        command = [sys.executable, str(SERVER), "--port", self.url.rsplit(":", 1)[1]]
        command += ["--rate", str(rate), "--concurrency", str(concurrency)]
        command += ["--latency", str(LATENCY), "--every-doi", "--quiet"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.process.stdout.readline()  # "serving ..."

    def stop(self) -> tuple[int, int, float]:
        """Requests seen, 429s answered, seconds from the first request to the last."""
        self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=10)
        found = re.search(r"(\d+) requests, (\d+) answered 429, ([\d.]+) s", out)
        assert found, out
        return int(found.group(1)), int(found.group(2)), float(found.group(3))


def refkit_run(url: str, dois: list[str], mailto: str) -> tuple[float, dict[str, int]]:
    citations = [Citation(doi=doi, title="x") for doi in dois]
    with tempfile.TemporaryDirectory() as cache:
        options = EnrichOptions(mailto=mailto or None, cache_dir=cache)
        os.environ["REFKIT_CROSSREF_URL"] = url
        start = time.perf_counter()
        result = CrossrefEnricher().enrich(citations, options)
        elapsed = time.perf_counter() - start
    return elapsed, result.counts


def sequential_run(url: str, dois: list[str]) -> tuple[float, int]:
    """One request at a time, each sent when the last answer came: (seconds, 200s)."""
    ok = 0
    with requests.Session() as session:
        start = time.perf_counter()
        for doi in dois:
            ok += session.get(f"{url}/works/{doi}", timeout=10).status_code == 200
        return time.perf_counter() - start, ok


def case(rate: int, concurrency: int, mailto: str, seconds: float) -> None:
    count = int(rate * seconds)
    dois = [f"10.5555/bench.{rate}.{i}" for i in range(count)]
    server = Server(rate, concurrency)
    try:
        elapsed, counts = refkit_run(server.url, dois, mailto)
    finally:
        sent, refused, span = server.stop()
    matched = counts.get("matched", 0)
    sustained = (sent - 1) / span
    server = Server(rate, concurrency)
    try:
        seq_elapsed, seq_ok = sequential_run(server.url, dois)
    finally:
        seq_sent, seq_refused, _ = server.stop()
    print(
        f"L={rate}/s C={concurrency} {'polite' if mailto else 'public'}, {count} DOIs | "
        f"refkit: {matched} matched, {sent} requests, {refused} x 429, sustained "
        f"{sustained:.2f} requests/s = {sustained / rate:.1%} of L, {elapsed:.2f} s in all "
        f"({matched / elapsed:.2f} answers/s) | sequential: {seq_ok} of {seq_sent} answered, "
        f"{seq_refused} x 429, {seq_elapsed:.2f} s ({seq_ok / seq_elapsed:.2f} answers/s) | "
        f"speed-up {(matched / elapsed) / (seq_ok / seq_elapsed):.2f}x",
        flush=True,
    )


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    for rate, concurrency, mailto in CASES:
        case(rate, concurrency, mailto, seconds)


if __name__ == "__main__":
    main()
