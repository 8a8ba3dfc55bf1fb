"""A stand-in for NCBI's E-utilities (efetch) on 127.0.0.1: fault tests and the PubMed benchmark.

It answers ``GET`` and ``POST /efetch.fcgi?db=pubmed&id=…&retmode=xml`` with a
``<PubmedArticleSet>`` of the articles it was given for those PMIDs (the real ones of
``../shared/ncbi`` when started from the command line: efetch answers as they are, MEDLINE
citations each wrapped in ``<PubmedArticle>``, as E-UTILITIES.md says). Unknown PMIDs are
simply absent, as at NCBI. Scripted faults are played first, in order (a status with headers
and body, a delay, a truncated body, a closed connection: ``fake_crossref.Fault``). It can
enforce a rate (requests in the last second) and answers beyond it with NCBI's 429 and JSON
body. Every request is recorded, with its parameters (query and form body together).

    python tests/fake_eutils.py [--port 8089] [--rate 3] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import signal
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.etree.ElementTree import Element, tostring

import defusedxml.ElementTree as ElementTree
from fake_crossref import Fault

NCBI = Path(__file__).resolve().parent.parent.parent / "shared" / "ncbi"
HEAD = b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n'
TAIL = b"</PubmedArticleSet>\n"


def too_many_body(count: int, limit: int) -> bytes:
    """NCBI's 429 body, in the shape E-UTILITIES.md quotes."""
    return json.dumps(
        {"error": "API rate limit exceeded", "count": str(count), "limit": str(limit)}
    ).encode()


@dataclass
class Seen:
    method: str
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]
    at: float

    @property
    def ids(self) -> list[str]:
        return ",".join(self.params.get("id", [""])).split(",") if self.params.get("id") else []


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up waiting is what the timeout tests ask for


class FakeEutils:
    def __init__(
        self,
        articles: dict[str, bytes] | None = None,
        *,
        rate: float | None = None,
        latency: float = 0.0,
        port: int = 0,
        log: bool = False,
    ) -> None:
        self.articles = dict(articles or {})
        self.rate = rate
        self.latency = latency
        self.log = log
        self.seen: list[Seen] = []
        self.too_many = 0
        self._faults: collections.deque[Fault] = collections.deque()
        self._index: dict[tuple[str, ...], list[str]] | None = None
        self._arrivals: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), _handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeEutils:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail(self, *faults: Fault) -> None:
        """Play ``faults`` in order to the next requests."""
        self._faults.extend(faults)

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def _admit(self) -> int:
        """0 when the request keeps to the rate; else how many came within the last second."""
        now = time.monotonic()
        with self._lock:
            self._arrivals.append(now)
            while self._arrivals and self._arrivals[0] <= now - 1.0:
                self._arrivals.popleft()
            if self.rate is not None and len(self._arrivals) > self.rate:
                self.too_many += 1
                return len(self._arrivals)
            return 0

    def answer(self, path: str, params: dict[str, list[str]]) -> tuple[int, str, bytes]:
        route = path.rstrip("/").split("/")[-1]
        if route == "ecitmatch.cgi":
            return 200, "text/plain", self.citmatch("".join(params.get("bdata", [])))
        if route != "efetch.fcgi":
            return 404, "text/html", b"<html><body>Not Found</body></html>"
        ids = [i.strip() for i in ",".join(params.get("id", [])).split(",") if i.strip()]
        if not ids:
            body = b"<eFetchResult><ERROR>Empty id list - nothing todo</ERROR></eFetchResult>"
            return 200, "text/xml", body
        found = [self.articles[i] for i in dict.fromkeys(ids) if i in self.articles]
        return 200, "text/xml; charset=UTF-8", HEAD + b"\n".join(found) + TAIL

    def citmatch(self, bdata: str) -> bytes:
        """ecitmatch's answer: each ``journal|year|volume|page|author|key|`` line with the PMID
        of the one article that has that journal (NLM abbreviation), year, volume and first
        page, or ``NOT_FOUND``. (This stand-in's own matching; NCBI's is looser.)"""
        if self._index is None:
            self._index = _citmatch_index(self.articles)
        out = []
        for line in re.split(r"[\r\n]+", bdata.strip()):
            fields = line.split("|")
            if len(fields) < 6:
                continue
            key = tuple(" ".join(f.lower().split()) for f in fields[:4])
            pmids = self._index.get(key, [])
            answer = pmids[0] if len(pmids) == 1 else "NOT_FOUND"
            out.append("|".join(fields[:6]) + "|" + answer)
        return ("\n".join(out) + "\n").encode()


def _citmatch_index(articles: dict[str, bytes]) -> dict[tuple[str, ...], list[str]]:
    index: dict[tuple[str, ...], list[str]] = {}
    for pmid, body in articles.items():
        root = ElementTree.fromstring(body)
        journal = root.findtext(".//MedlineJournalInfo/MedlineTA") or ""
        year = (root.findtext(".//JournalIssue/PubDate/Year") or "")[:4] or (
            root.findtext(".//JournalIssue/PubDate/MedlineDate") or ""
        )[:4]
        volume = root.findtext(".//JournalIssue/Volume") or ""
        page = re.split(r"[-,]", root.findtext(".//Pagination/MedlinePgn") or "")[0]
        key = tuple(" ".join(v.lower().split()) for v in (journal, year, volume, page))
        index.setdefault(key, []).append(pmid)
    return index


def _handler(fake: FakeEutils) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._serve(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._serve(self.rfile.read(length))

        def _serve(self, form: bytes) -> None:
            parts = urlsplit(self.path)
            params = parse_qs(parts.query)
            for key, values in parse_qs(form.decode("utf-8")).items():
                params.setdefault(key, []).extend(values)
            seen = Seen(self.command, parts.path, params, dict(self.headers), time.monotonic())
            fake.seen.append(seen)
            if fake.log:
                print(f"{self.command} {parts.path} {len(seen.ids)} ids", flush=True)
            crowd = fake._admit()
            time.sleep(fake.latency)
            if crowd:
                limit = int(fake.rate or 0)
                fault: Fault | None = Fault(429, {}, too_many_body(crowd, limit))
            else:
                fault = fake._next_fault()
            status, kind, body = fake.answer(parts.path, params)
            self._send(fault or Fault(status), kind, body)

        def _send(self, fault: Fault, kind: str, body: bytes) -> None:
            time.sleep(fault.delay)
            if fault.reset:
                self.close_connection = True
                return
            if fault.body is not None:
                body = fault.body
                kind = "application/json" if body.startswith(b"{") else "text/xml"
            self.send_response(fault.status)
            for name, value in fault.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body[: len(body) // 2] if fault.truncate else body)
            except OSError:
                return  # the client gave up (a timeout test)
            if fault.truncate:
                self.close_connection = True

    return Handler


def _pmid(element: Element) -> str:
    found = element.find(".//PMID")
    return (found.text or "").strip() if found is not None else ""


def medline_articles(folder: Path = NCBI) -> dict[str, bytes]:
    """Each MEDLINE citation of ``folder/medline``, wrapped in ``<PubmedArticle>``, by PMID."""
    found: dict[str, bytes] = {}
    for path in sorted((folder / "medline").glob("*.xml")):
        root = ElementTree.parse(path).getroot()
        for citation in root.iter("MedlineCitation"):
            body = b"<PubmedArticle>" + tostring(citation) + b"</PubmedArticle>"
            found.setdefault(_pmid(citation), body)
    return found


def efetch_articles(folder: Path = NCBI) -> dict[str, bytes]:
    """Each ``PubmedArticle`` of the real efetch answers in ``folder/efetch``, by PMID."""
    found: dict[str, bytes] = {}
    for path in sorted((folder / "efetch").glob("*.xml")):
        root = ElementTree.parse(path).getroot()
        for article in root.iter("PubmedArticle"):
            found.setdefault(_pmid(article), tostring(article))
    return found


def recorded_articles(folder: Path = NCBI) -> dict[str, bytes]:
    return {**medline_articles(folder), **efetch_articles(folder)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--rate", type=float)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--quiet", action="store_true", help="do not print each request")
    args = parser.parse_args()
    articles = recorded_articles()
    with FakeEutils(
        articles, rate=args.rate, latency=args.latency, port=args.port, log=not args.quiet
    ) as fake:
        print(f"serving {len(articles)} PubMed articles at {fake.url}", flush=True)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print(f"{len(fake.seen)} requests, {fake.too_many} answered 429", flush=True)


if __name__ == "__main__":
    main()
