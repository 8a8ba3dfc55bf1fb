"""A stand-in for the Crossref REST API on 127.0.0.1: fault tests, the demo, the benchmark.

It answers ``GET /works/{doi}`` with a body it was given (the real recorded bodies of
``../shared/crossref/responses/works/`` when started from the command line), and otherwise
Crossref's own 404 (``text/plain``, ``Resource not found.``). Searches (``GET /works?…``) get a
body given for that query, else the real recorded zero-result list. Scripted faults are played
first, in order: a status with headers and body, a delay (a timeout for the client), a truncated
body, a connection closed without an answer. It can announce and enforce a rate and a concurrency
limit (429 beyond them) and add latency. Every request is recorded.

    python tests/fake_crossref.py [--port 8088] [--rate 10 --concurrency 3 --latency 0.05]
"""

from __future__ import annotations

import argparse
import collections
import json
import signal
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

RESPONSES = Path(__file__).resolve().parent.parent.parent / "shared" / "crossref" / "responses"
NOT_FOUND = b"Resource not found."
# Crossref's 429 body as users quoted it (responses/errors/429__too_many_requests__...).
TOO_MANY = (
    b"<html><body><h1>429 Too Many Requests</h1>"
    b"You have sent too many requests in a given amount of time.</body></html>"
)
EMPTY_LIST = {
    "status": "ok",
    "message-type": "work-list",
    "message-version": "1.0.0",
    "message": {"facets": {}, "total-results": 0, "items": [], "items-per-page": 20},
}


@dataclass
class Fault:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None  # None: the normal answer's body
    delay: float = 0.0  # seconds before answering
    truncate: bool = False  # promise the whole body, send half, close
    reset: bool = False  # close the connection without answering


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and closed its end is what the fault tests ask for; printing
        # the traceback from this thread would also race CPython 3.11's ast (caret anchors).
        pass


class FakeCrossref:
    def __init__(
        self,
        works: dict[str, bytes] | None = None,
        *,
        searches: dict[str, bytes] | None = None,
        rate: float | None = None,
        concurrency: int | None = None,
        latency: float = 0.0,
        announce: bool = True,
        port: int = 0,
        log: bool = False,
        fallback: bytes | None = None,
    ) -> None:
        self.works = {doi.lower(): body for doi, body in (works or {}).items()}
        self.searches = dict(searches or {})
        self.rate = rate
        self.concurrency = concurrency
        self.latency = latency
        self.announce = announce
        self.log = log
        self.fallback = fallback  # the body for any DOI not in ``works`` (else a 404)
        self.seen: list[Seen] = []
        self.too_many = 0
        self._faults: dict[str, collections.deque[Fault]] = {}
        self._arrivals: collections.deque[float] = collections.deque()
        self._in_flight = 0
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), _handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeCrossref:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail(self, path: str, *faults: Fault) -> None:
        """Play ``faults`` in order to the next requests for ``path`` (``/works``: searches)."""
        self._faults.setdefault(path, collections.deque()).extend(faults)

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(path)
            return queue.popleft() if queue else None

    def _admit(self) -> bool:
        """Count the request in; False when it breaks the rate or concurrency limit."""
        now = time.monotonic()
        with self._lock:
            self._in_flight += 1
            self._arrivals.append(now)
            while self._arrivals and self._arrivals[0] <= now - 1.0:
                self._arrivals.popleft()
            over_rate = self.rate is not None and len(self._arrivals) > self.rate
            over_flight = self.concurrency is not None and self._in_flight > self.concurrency
            if over_rate or over_flight:
                self.too_many += 1
            return not (over_rate or over_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def limit_headers(self) -> dict[str, str]:
        if not self.announce:
            return {}
        headers = {"x-api-pool": "polite"}
        if self.rate is not None:
            headers |= {"x-rate-limit-limit": f"{self.rate:g}", "x-rate-limit-interval": "1s"}
        if self.concurrency is not None:
            headers["x-concurrency-limit"] = str(self.concurrency)
        return headers

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, bytes]:
        """The normal (fault-free) answer: status, content type, body."""
        if path.startswith("/works/"):
            body = self.works.get(unquote(path[len("/works/") :]).lower(), self.fallback)
            if body is None:
                return 404, "text/plain", NOT_FOUND
            return 200, "application/json", body
        if path == "/works":
            text = (query.get("query.bibliographic") or [""])[0]
            body = self.searches.get(text, json.dumps(EMPTY_LIST).encode())
            return 200, "application/json", body
        route = {"status": "error", "message-type": "route-not-found", "message": None}
        return 404, "application/json", json.dumps(route).encode()


def _handler(fake: FakeCrossref) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once, as from a real server

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            fake.seen.append(Seen(parts.path, query, dict(self.headers), time.monotonic()))
            if fake.log:
                print(f"GET {self.path} User-Agent: {self.headers.get('User-Agent')}", flush=True)
            admitted = fake._admit()
            try:
                time.sleep(fake.latency)
                if not admitted:
                    fault: Fault | None = Fault(429, {"Retry-After": "1"}, TOO_MANY)
                else:
                    fault = fake._next_fault(parts.path)
                status, kind, body = fake.answer(parts.path, query)
            finally:
                fake._leave()
            self._send(fault or Fault(status), kind, body)

        def _send(self, fault: Fault, kind: str, body: bytes) -> None:
            time.sleep(fault.delay)
            if fault.reset:
                self.close_connection = True
                return
            if fault.body is not None:
                body = fault.body
                kind = "text/html" if body.startswith(b"<") else "text/plain"
            self.send_response(fault.status)
            for name, value in {**fake.limit_headers(), **fault.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if fault.truncate else body)
            if fault.truncate:
                self.close_connection = True

    return Handler


def recorded_works(folder: Path = RESPONSES) -> dict[str, bytes]:
    """Every real ``/works/{doi}`` body under ``folder/works``, by the DOI it describes."""
    works = {}
    for path in sorted((folder / "works").glob("*.json")):
        if path.name.endswith(".headers.json"):
            continue
        body = path.read_bytes()
        works[json.loads(body)["message"]["DOI"].lower()] = body
    return works


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument("--rate", type=float)
    parser.add_argument("--concurrency", type=int)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument(
        "--every-doi", action="store_true", help="answer every DOI with one recorded work"
    )
    parser.add_argument("--quiet", action="store_true", help="do not print each request")
    args = parser.parse_args()
    works = recorded_works()
    fallback = works.get("10.7554/elife.01567") if args.every_doi else None
    with FakeCrossref(
        works,
        rate=args.rate,
        concurrency=args.concurrency,
        latency=args.latency,
        port=args.port,
        log=not args.quiet,
        fallback=fallback,
    ) as fake:
        print(f"serving {len(works)} recorded works at {fake.url}", flush=True)
        # A background job ignores SIGINT: SIGTERM ends the server the same way.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            span = fake.seen[-1].at - fake.seen[0].at if fake.seen else 0.0
            print(
                f"{len(fake.seen)} requests, {fake.too_many} answered 429, "
                f"{span:.3f} s from the first to the last",
                flush=True,
            )


if __name__ == "__main__":
    main()
