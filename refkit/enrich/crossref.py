"""The Crossref REST API client: cached, paced to the announced limits, retried, and polite.

A look-up first asks the cache (no socket). On a miss it waits for a slot from the Limiter, sends
one GET, and reads the answer. 429s, 5xx, timeouts, resets and broken bodies are retried with
exponential back-off and jitter (urllib3's ``Retry`` keeps the count and the delays), at most
``Settings.attempts`` times; a 429 pauses every worker for ``Retry-After``. When the network is
plainly down the Breaker opens and every later look-up answers OFFLINE at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

import requests
from requests_cache import AnyResponse, CachedSession
from urllib3.exceptions import InvalidHeader, MaxRetryError, NameResolutionError, NewConnectionError

from refkit.enrich.breaker import Breaker
from refkit.enrich.ratelimit import LIST, SINGLE, Limiter, WaitTooLong
from refkit.enrich.session import (
    EXPIRE_NOT_FOUND,
    Settings,
    Tally,
    open_session,
    retry_policy,
)
from refkit.identifiers import normalize_doi

OK, NOT_FOUND, FAILED, OFFLINE = "ok", "not_found", "failed", "offline"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
# Retries wait 0, 1, 2, 4 … s (urllib3's schedule: the first retry is immediate), plus up to
# 0.5 s of jitter, at most 8 s.


@dataclass(frozen=True, slots=True)
class Answer:
    status: str  # OK, NOT_FOUND, FAILED or OFFLINE
    message: Any = None  # the envelope's "message" when OK: a work or a work list
    detail: str = ""  # why, when not OK
    from_cache: bool = False


def doi_path(doi: str) -> str:
    """``/works/{doi}`` with the DOI normalised and fully percent-encoded; "" for no valid DOI.

    Crossref asks for encoded DOIs: ``<>#;?&[]`` and friends otherwise break the URL.
    """
    normal = normalize_doi(doi)
    return "/works/" + quote(normal, safe="") if normal else ""


class Client:
    """Thread-safe: worker threads share one session, one Limiter and one Breaker."""

    def __init__(
        self,
        settings: Settings,
        *,
        session: CachedSession | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.session = session if session is not None else open_session(settings)
        self.limiter = Limiter(settings.pool)
        self.breaker = Breaker()
        self._identity = {"mailto": settings.mailto} if settings.mailto else {}
        self._retry = retry_policy(settings.attempts)
        self._sleep = sleep
        self._tally = Tally()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.session.close()  # type: ignore[no-untyped-call]  # requests-cache: untyped

    def counts(self) -> dict[str, int]:
        """cache_hits, requests_sent, retries and http_429 so far."""
        return self._tally.snapshot()

    def _count(self, key: str) -> None:
        self._tally.add(key)

    def work(self, doi: str) -> Answer:
        """The registered metadata of ``doi``: OK with the work, or NOT_FOUND, FAILED, OFFLINE."""
        path = doi_path(doi)
        if not path:
            return Answer(FAILED, detail=f"{doi!r} is not a valid DOI")
        return self._get(SINGLE, path, {})

    def search(self, query: str, *, rows: int, select: str = "") -> Answer:
        """The best ``rows`` works for a reference string (``query.bibliographic``)."""
        params: dict[str, str | int] = {"query.bibliographic": query, "rows": rows}
        if select:
            params["select"] = select
        return self._get(LIST, "/works", params)

    def _get(self, kind: str, path: str, params: dict[str, str | int]) -> Answer:
        url = self.settings.base_url + path
        params = {**params, **self._identity}
        cached = self.session.get(url, params=params, only_if_cached=True)
        if cached.status_code != 504:  # requests-cache's answer for "not in the cache"
            answer, _ = self._read(cached)
            if answer is not None:
                self._count("cache_hits")
                return answer
        return self._fetch(kind, url, params)

    def _fetch(self, kind: str, url: str, params: dict[str, str | int]) -> Answer:
        retry = self._retry
        while True:
            if self.breaker.open:  # before waiting for a turn that would not be used
                return Answer(OFFLINE, detail=self.breaker.reason)
            try:
                answer, why, retry_after = self._attempt(kind, url, params, bool(retry.history))
            except WaitTooLong as wait:
                return Answer(FAILED, detail=str(wait))
            if answer is not None:
                return answer
            try:
                retry = retry.increment("GET", url)
            except MaxRetryError:
                return Answer(FAILED, detail=f"{why} after {self.settings.attempts} attempts")
            backoff = retry.get_backoff_time()
            if retry_after is not None:
                # The Limiter holds every worker back; this one waits its turn there.
                self.limiter.too_many(kind, max(retry_after, backoff))
            else:
                self._sleep(backoff)

    def _attempt(
        self, kind: str, url: str, params: dict[str, str | int], retrying: bool
    ) -> tuple[Answer | None, str, float | None]:
        """One request: a final Answer, or None with why to retry (and the 429's pause)."""
        with self.limiter.slot(kind):
            if self.breaker.open:  # it opened while this request waited for its turn
                return Answer(OFFLINE, detail=self.breaker.reason), "", None
            self._count("requests_sent")
            if retrying:
                self._count("retries")
            try:
                response = self.session.get(url, params=params, timeout=self.settings.timeout)
            except requests.RequestException as error:
                what, connecting = describe(error)
                self.breaker.failure(what, connecting=connecting)
                return None, what, None
        self.limiter.update(kind, response.headers)
        status = response.status_code
        if status == 429:
            self._count("http_429")
            return None, "HTTP 429", self._retry_after(response) or 1.0
        if status >= 500:
            self.breaker.failure(f"HTTP {status}")
        else:
            self.breaker.success()
            self.limiter.succeeded()
        answer, why = self._read(response)
        if answer is not None and answer.status == NOT_FOUND:
            expires = datetime.now(timezone.utc) + EXPIRE_NOT_FOUND
            self.session.cache.save_response(response, expires=expires)
        return answer, why, None

    def _retry_after(self, response: AnyResponse) -> float | None:
        value = response.headers.get("Retry-After")
        try:
            return self._retry.parse_retry_after(value) if value else None
        except InvalidHeader:
            return None

    def _read(self, response: AnyResponse) -> tuple[Answer | None, str]:
        """The final Answer a response gives, or None and why it is worth another try."""
        status = response.status_code
        if status in _RETRY_STATUS:
            return None, f"HTTP {status}"
        body = _json(response)
        if status == 404:
            if isinstance(body, dict) and body.get("message-type") == "route-not-found":
                return Answer(FAILED, detail=f"{response.url} is not a Crossref API route"), ""
            return Answer(NOT_FOUND, detail="not registered with Crossref"), ""
        if status != 200:
            return Answer(FAILED, detail=f"HTTP {status}: {response.text[:200]}"), ""
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, dict):
            # A broken body must not stay in the cache as if it were an answer.
            self.session.cache.delete(response.cache_key)
            return None, "a body that is not a Crossref JSON message"
        return Answer(OK, message, from_cache=response.from_cache), ""


def _json(response: AnyResponse) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and what caused it, through requests' and urllib3's wrappers."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return
        yield seen
        reason = getattr(seen, "reason", None)
        wrapped = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = seen.__cause__ or (reason if isinstance(reason, BaseException) else wrapped)


def describe(error: requests.RequestException, service: str = "Crossref") -> tuple[str, bool]:
    """A short name for a failed request, and whether no connection could be made at all."""
    causes = list(_chain(error))
    if any(isinstance(cause, NameResolutionError) for cause in causes):
        return f"cannot resolve the {service} host name", True
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return "connection refused", True
    if any(isinstance(cause, NewConnectionError) for cause in causes):
        return "cannot connect", True
    if isinstance(error, requests.ConnectTimeout):
        return "connect timeout", True
    if isinstance(error, requests.Timeout):
        return "read timeout", False
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "truncated response", False
    return "connection broken", False
