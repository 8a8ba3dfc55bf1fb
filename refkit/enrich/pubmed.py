"""NCBI's E-utilities client: PubMed records by PMID, in batches, cached, paced, retried.

``fetch`` first asks the cache for each PMID (no socket). The PMIDs it lacks are fetched with
efetch (``db=pubmed&retmode=xml``) in batches of ``Settings.batch`` (GET up to ``GET_LIMIT``
ids, POST above, and always POST with an API key), paced by the Limiter shared with Crossref's
client (3 requests/s without an API key, 10/s with one) and stopped by the same Breaker when
NCBI is plainly out of reach. A 429 (NCBI answers it with ``{"error":"API rate limit
exceeded",...}``) slows every worker down and is retried after ``Retry-After``; 5xx, timeouts,
resets, bodies that are not XML and HTTP 200 bodies holding an ``<ERROR>`` or an error JSON are
retried with back-off, at most ``Settings.attempts`` times.

Each article of a batch is stored in the answer cache on its own, under the URL that fetches
that one PMID, so that a later run (or a later batch that holds it) finds it whatever its
batch was; a PMID that a full answer lacks is stored as not found for a week. The contact
address and the API key are request parameters that never reach the cache or a message.

Environment: ``REFKIT_NCBI_URL`` (base URL, default NCBI's), ``NCBI_API_KEY``, ``REFKIT_MAILTO``.
"""

from __future__ import annotations

import io
import json
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, tostring

import platformdirs
import requests
from requests_cache import AnyResponse
from urllib3 import HTTPResponse
from urllib3.exceptions import InvalidHeader, MaxRetryError

from refkit.enrich.breaker import Breaker
from refkit.enrich.crossref import describe
from refkit.enrich.pubmed_mapping import articles, error_in, pmid_of
from refkit.enrich.ratelimit import NCBI, NCBI_KEY, SINGLE, Limiter, WaitTooLong
from refkit.enrich.session import (
    EXPIRE_NOT_FOUND,
    Tally,
    base_url_from,
    cached_session,
    contact_address,
    retry_policy,
    user_agent,
)

ENV_URL = "REFKIT_NCBI_URL"
ENV_KEY = "NCBI_API_KEY"
DEFAULT_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
TOOL = "refkit"
# NCBI: up to 200 ids in a GET is safe; more go in a POST body (efetch takes up to 10,000).
GET_LIMIT = 200
BATCH = 200
# A batch of 200 full records is a few megabytes, and NCBI can take seconds to assemble it.
TIMEOUT = (3.05, 60.0)
ATTEMPTS = 4
WORKERS = 3  # NCBI limits the pace, not the requests in flight; the Limiter holds the pace
# Citations per ecitmatch request (one line each in ``bdata``).
CITMATCH_BATCH = 50
_FINAL = "final: "  # a failure that another try would not mend

OK, NOT_FOUND, FAILED, OFFLINE = "ok", "not_found", "failed", "offline"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_PMID = re.compile(r"^\d{1,9}$")
EMPTY_SET = b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n'


@dataclass(frozen=True)
class Settings:
    base_url: str = DEFAULT_URL
    email: str = ""
    api_key: str = field(default="", repr=False)
    cache_dir: Path = field(default_factory=lambda: Path(platformdirs.user_cache_dir("refkit")))
    timeout: tuple[float, float] = TIMEOUT
    attempts: int = ATTEMPTS
    batch: int = BATCH

    @property
    def pool(self) -> str:
        return NCBI_KEY if self.api_key else NCBI

    @classmethod
    def from_env(
        cls,
        *,
        mailto: str | None = None,
        cache_dir: str | Path | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> Settings:
        """Settings from options, falling back on the environment. Raises ConfigError."""
        defaults = cls()
        return cls(
            base_url=base_url_from(environ, ENV_URL, DEFAULT_URL),
            email=contact_address(mailto, environ),
            api_key=environ.get(ENV_KEY, "").strip(),
            cache_dir=Path(cache_dir) if cache_dir else defaults.cache_dir,
        )


@dataclass(frozen=True, slots=True)
class Answer:
    status: str  # OK, NOT_FOUND, FAILED or OFFLINE
    article: Element | None = None  # the PubmedArticle when OK
    detail: str = ""  # why, when not OK
    from_cache: bool = False


def normalize_pmid(value: str) -> str:
    """``PMID: 012345`` → ``12345``; "" for anything that is not a PMID."""
    digits = re.sub(r"^\s*(?:PMID\s*:?\s*)?", "", value, flags=re.I).strip().lstrip("0")
    return digits if _PMID.match(digits) else ""


class Client:
    """Thread-safe: worker threads share one session, one Limiter and one Breaker."""

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        # The cache is the one Crossref's answers are in; the network goes through a plain
        # session, since each article is stored on its own, not each batch.
        self.cache = cached_session(settings.cache_dir, ignored=("email", "tool", "api_key"))
        self.http = requests.Session()
        self.http.headers["User-Agent"] = user_agent(settings.email)
        self.limiter = Limiter(settings.pool, service="NCBI")
        self.breaker = Breaker()
        self._identity = {"tool": TOOL, **({"email": settings.email} if settings.email else {})}
        if settings.api_key:
            self._identity["api_key"] = settings.api_key
        self._retry = retry_policy(settings.attempts)
        self._sleep = sleep
        self._tally = Tally()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.http.close()
        self.cache.close()  # type: ignore[no-untyped-call]  # requests-cache: untyped

    def counts(self) -> dict[str, int]:
        """cache_hits, requests_sent, retries and http_429 so far."""
        return self._tally.snapshot()

    def _count(self, key: str, by: int = 1) -> None:
        self._tally.add(key, by)

    @property
    def efetch(self) -> str:
        return f"{self.settings.base_url}/efetch.fcgi"

    def fetch(self, pmids: Sequence[str]) -> dict[str, Answer]:
        """An Answer for each distinct PMID of ``pmids`` (normalised; invalid ones FAILED)."""
        answers: dict[str, Answer] = {}
        missing: list[str] = []
        for given in dict.fromkeys(pmids):
            pmid = normalize_pmid(given)
            if not pmid:
                answers[given] = Answer(FAILED, detail=f"{given!r} is not a PMID")
                continue
            cached = self._cached(pmid)
            if cached is None:
                missing.append(pmid)
            else:
                self._count("cache_hits")
                answers[pmid] = cached
        size = max(1, self.settings.batch)
        batches = [missing[i : i + size] for i in range(0, len(missing), size)]
        with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="pubmed") as pool:
            for found in pool.map(self._batch_safely, batches):
                answers.update(found)
        return answers

    def _single(self, pmid: str) -> dict[str, str]:
        return {"db": "pubmed", "id": pmid, "retmode": "xml"}

    def _cached(self, pmid: str) -> Answer | None:
        cached = self.cache.get(self.efetch, params=self._single(pmid), only_if_cached=True)
        if cached.status_code != 200:  # 504: requests-cache's "not in the cache"
            return None
        try:
            found = [a for a in articles(cached.content) if pmid_of(a) == pmid]
        except ParseError:
            self.cache.cache.delete(cached.cache_key)
            return None
        if found:
            return Answer(OK, found[0], from_cache=True)
        return Answer(NOT_FOUND, detail="not in PubMed", from_cache=True)

    def _batch_safely(self, pmids: list[str]) -> dict[str, Answer]:
        try:
            return self._batch(pmids)
        except Exception as error:  # noqa: BLE001 - one unreadable answer must not lose the run
            detail = f"cannot use NCBI's answer ({type(error).__name__}: {error})"
            return dict.fromkeys(
                pmids, Answer(FAILED, detail=_quiet(detail, self.settings.api_key))
            )

    def _batch(self, pmids: list[str]) -> dict[str, Answer]:
        """One efetch of ``pmids``: each article stored on its own, an Answer for each."""
        body, status, detail = self._send(
            self.efetch,
            {"db": "pubmed", "retmode": "xml"},
            {"id": ",".join(pmids)},
            _articles_or_trouble,
        )
        if body is None:
            return dict.fromkeys(pmids, Answer(status, detail=detail))
        found = {pmid_of(a): a for a in articles(body)}
        return self._keep(pmids, found)

    def citmatch(self, lines: Mapping[str, str]) -> dict[str, str]:
        """NCBI's citation matcher: for each key, the PMID its ``journal|year|volume|first
        page|author`` line names, or "" (not found, ambiguous, failed or offline)."""
        found: dict[str, str] = {}
        missing: dict[str, str] = {}
        for key, line in lines.items():
            cached = self.cache.get(
                self.ecitmatch, params=self._one_line(line), only_if_cached=True
            )
            if cached.status_code == 200:
                self._count("cache_hits")
                found[key] = _matched_pmid(cached.text)
            else:
                missing[key] = line
        keys = list(missing)
        for start in range(0, len(keys), CITMATCH_BATCH):
            batch = keys[start : start + CITMATCH_BATCH]
            bdata = "\r".join(f"{missing[key]}{key}|" for key in batch)
            body, _, _ = self._send(
                self.ecitmatch, {"db": "pubmed", "retmode": "xml"}, {"bdata": bdata}, _trouble
            )
            if body is None:  # failed or offline: nothing matched, nothing stored
                found.update(dict.fromkeys(batch, ""))
                continue
            answered = _citmatch_lines(body.decode("utf-8", "replace"))
            for key in batch:
                answer = answered.get(key, "")
                pmid = _matched_pmid(answer)
                found[key] = pmid
                expires = None if pmid else EXPIRE_NOT_FOUND
                self._store(self.ecitmatch, self._one_line(missing[key]), answer.encode(), expires)
        return found

    @property
    def ecitmatch(self) -> str:
        return f"{self.settings.base_url}/ecitmatch.cgi"

    def _one_line(self, line: str) -> dict[str, str]:
        return {"db": "pubmed", "retmode": "xml", "bdata": line}

    def _send(
        self,
        url: str,
        params: dict[str, str],
        payload: dict[str, str],
        check: Callable[[bytes], str],
    ) -> tuple[bytes | None, str, str]:
        """The body of a successful answer, or None with the status (FAILED, OFFLINE) and why.

        ``check`` says what is wrong with an HTTP 200 body ("" for nothing): worth a retry."""
        retry = self._retry
        while True:
            if self.breaker.open:
                return None, OFFLINE, self.breaker.reason
            try:
                body, why, retry_after = self._attempt(
                    url, params, payload, check, bool(retry.history)
                )
            except WaitTooLong as wait:
                return None, FAILED, str(wait)
            if body is not None:
                return body, OK, ""
            if why.startswith(_FINAL):
                return None, FAILED, why.removeprefix(_FINAL)
            if why == OFFLINE:
                return None, OFFLINE, self.breaker.reason
            try:
                retry = retry.increment("GET", url)
            except MaxRetryError:
                return None, FAILED, f"{why} after {self.settings.attempts} attempts"
            backoff = retry.get_backoff_time()
            if retry_after is not None:
                self.limiter.too_many(SINGLE, max(retry_after, backoff))
            else:
                self._sleep(backoff)

    def _attempt(
        self,
        url: str,
        params: dict[str, str],
        payload: dict[str, str],
        check: Callable[[bytes], str],
        retrying: bool,
    ) -> tuple[bytes | None, str, float | None]:
        """One request: the body, or None with why (and a 429's pause); a why that starts with
        ``_FINAL`` is not worth another try."""
        fields = {**params, **self._identity, **payload}
        with self.limiter.slot(SINGLE):
            if self.breaker.open:
                return None, OFFLINE, None
            self._count("requests_sent")
            if retrying:
                self._count("retries")
            try:
                # With a key, always a POST: the key then never appears in a URL, which proxies
                # and debug logs record.
                if len(payload.get("id", "").split(",")) > GET_LIMIT or self.settings.api_key:
                    response = self.http.post(url, data=fields, timeout=self.settings.timeout)
                else:
                    response = self.http.get(url, params=fields, timeout=self.settings.timeout)
                body = response.content
            except requests.RequestException as error:
                what, connecting = describe(error, "NCBI")
                self.breaker.failure(what, connecting=connecting)
                return None, what, None
        status = response.status_code
        if status == 429:
            self._count("http_429")
            return None, "HTTP 429", self._retry_after(response) or 1.0
        if status >= 500:
            self.breaker.failure(f"HTTP {status}")
            return None, f"HTTP {status}", None
        self.breaker.success()
        self.limiter.succeeded()
        if status != 200:
            text = _quiet(response.text[:200], self.settings.api_key)
            return None, f"{_FINAL}HTTP {status}: {text}", None
        trouble = check(body)
        if trouble:
            return None, _quiet(trouble, self.settings.api_key), None
        return body, "", None

    def _keep(self, pmids: list[str], found: dict[str, Element]) -> dict[str, Answer]:
        """Store each article (and each PMID the answer lacks) on its own; their Answers."""
        answers = {}
        for pmid in pmids:
            article = found.get(pmid)
            if article is None:
                self._store(self.efetch, self._single(pmid), EMPTY_SET, EXPIRE_NOT_FOUND)
                answers[pmid] = Answer(NOT_FOUND, detail="not in PubMed")
            else:
                body = b"<PubmedArticleSet>" + tostring(article) + b"</PubmedArticleSet>"
                self._store(self.efetch, self._single(pmid), body)
                answers[pmid] = Answer(OK, article)
        return answers

    def _store(self, url: str, params: dict[str, str], body: bytes, expires: Any = None) -> None:
        """Save ``body`` as the answer to the GET of ``url`` with ``params`` (no identity)."""
        request = self.cache.prepare_request(requests.Request("GET", url, params=params))
        response = requests.Response()
        response.status_code = 200
        response._content = body
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        response.headers["Content-Type"] = "text/xml; charset=UTF-8"
        response.raw = HTTPResponse(
            body=io.BytesIO(body),
            preload_content=False,
            status=200,
            headers={"Content-Type": "text/xml; charset=UTF-8"},
            request_url=response.url,
        )
        when = datetime.now(timezone.utc) + expires if expires is not None else None
        self.cache.cache.save_response(response, expires=when)

    def _retry_after(self, response: AnyResponse | requests.Response) -> float | None:
        value = response.headers.get("Retry-After")
        try:
            return self._retry.parse_retry_after(value) if value else None
        except InvalidHeader:
            return None


def _articles_or_trouble(body: bytes) -> str:
    """What is wrong with an efetch answer ("" when it is a PubmedArticleSet)."""
    trouble = _trouble(body)
    if trouble:
        return trouble
    try:
        list(articles(body))
    except ParseError:
        return "a body that is not PubMed XML"
    return ""


def _citmatch_lines(text: str) -> dict[str, str]:
    """ecitmatch's answer lines (``journal|year|volume|page|author|key|PMID``) by key."""
    found = {}
    for line in text.splitlines():
        fields = line.strip().split("|")
        if len(fields) >= 7:
            found[fields[5]] = line.strip()
    return found


def _matched_pmid(line: str) -> str:
    """The PMID an answer line ends with; "" for NOT_FOUND, AMBIGUOUS and anything else."""
    last = line.strip().rsplit("|", 1)[-1]
    return last if _PMID.match(last) else ""


def _trouble(body: bytes) -> str:
    """What is wrong with an HTTP 200 body: an error JSON or an ``<ERROR>`` ("" when nothing)."""
    head = body.lstrip()[:1]
    if head == b"{":
        try:
            data = json.loads(body)
        except ValueError:
            return "a body that is neither XML nor JSON"
        error = data.get("error") if isinstance(data, dict) else None
        return f"NCBI error: {error}" if error else "a JSON body instead of PubMed XML"
    if b"<ERROR>" in body or b"<ERROR " in body:
        return f"NCBI error: {error_in(body) or 'ERROR'}"
    return ""


def _quiet(text: str, key: str) -> str:
    """``text`` with the API key, were it ever echoed, blanked out."""
    return text.replace(key, "REDACTED") if key else text
