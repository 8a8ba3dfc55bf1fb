"""Settings for talking to Crossref, and the one cached HTTP session that does it.

Environment: ``REFKIT_CROSSREF_URL`` (base URL; a mirror or a test server), ``REFKIT_MAILTO``
(contact address: the polite pool), ``REFKIT_CROSSREF_TOKEN`` (Metadata Plus key, sent as a
header, never logged and never stored in the cache). The cache is an SQLite file in the user
cache directory unless a cache directory is given.
"""

from __future__ import annotations

import os
import re
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path

import platformdirs
from requests_cache import CachedSession
from requests_cache.backends.sqlite import SQLiteCache
from requests_cache.policy.settings import DEFAULT_IGNORED_PARAMS
from urllib3.util import Retry

from refkit.enrich.ratelimit import PLUS, POLITE, PUBLIC
from refkit.errors import ConfigError
from refkit.version import VERSION

ENV_URL = "REFKIT_CROSSREF_URL"
ENV_MAILTO = "REFKIT_MAILTO"
ENV_TOKEN = "REFKIT_CROSSREF_TOKEN"
DEFAULT_URL = "https://api.crossref.org"
TOKEN_HEADER = "Crossref-Plus-API-Token"
CACHE_FILE = "crossref.sqlite"

# Registered metadata changes rarely, but retractions and corrections do arrive later.
EXPIRE_FOUND = timedelta(days=30)
# A DOI unknown today may be registered next week.
EXPIRE_NOT_FOUND = timedelta(days=7)
# (connect, read) seconds: connecting to Crossref takes well under a second when it works at all.
TIMEOUT = (3.05, 20.0)
ATTEMPTS = 4

MAILTO_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Settings:
    base_url: str = DEFAULT_URL
    mailto: str = ""
    token: str = field(default="", repr=False)
    cache_dir: Path = field(default_factory=lambda: Path(platformdirs.user_cache_dir("refkit")))
    timeout: tuple[float, float] = TIMEOUT
    attempts: int = ATTEMPTS

    @property
    def pool(self) -> str:
        return PLUS if self.token else POLITE if self.mailto else PUBLIC

    @property
    def cache_path(self) -> Path:
        return self.cache_dir / CACHE_FILE

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
            mailto=contact_address(mailto, environ),
            token=environ.get(ENV_TOKEN, "").strip(),
            cache_dir=Path(cache_dir) if cache_dir else defaults.cache_dir,
        )


def base_url_from(environ: Mapping[str, str], name: str, default: str) -> str:
    """The base URL ``environ[name]`` gives (else ``default``), without its last slash.
    Raises ConfigError for anything but an http(s) URL."""
    base_url = (environ.get(name) or default).strip().rstrip("/")
    if not re.match(r"^https?://[^/\s]+", base_url):
        raise ConfigError(f"{name}={base_url!r} is not an http(s) URL")
    return base_url


def contact_address(mailto: str | None, environ: Mapping[str, str]) -> str:
    """The e-mail address from ``--mailto``, else ``REFKIT_MAILTO``, else "". Raises
    ConfigError for one that is not an address."""
    address = (mailto if mailto is not None else environ.get(ENV_MAILTO, "")).strip()
    if address and not MAILTO_ADDRESS.match(address):
        raise ConfigError(f"{address!r} is not an e-mail address", hint="give --mailto NAME@HOST")
    return address


def project_url() -> str:
    """The project's home page as the installed metadata names it; "" when it names none."""
    try:
        urls = metadata("refkit").get_all("Project-URL") or []
    except PackageNotFoundError:
        return ""
    return next((url.split(",", 1)[1].strip() for url in urls if "," in url), "")


def user_agent(mailto: str) -> str:
    """``refkit/0.1.0 (https://…; mailto:you@example.org)``, as Crossref asks clients to say."""
    about = "; ".join(
        part for part in (project_url(), f"mailto:{mailto}" if mailto else "") if part
    )
    return f"refkit/{VERSION} ({about})" if about else f"refkit/{VERSION}"


def open_session(settings: Settings) -> CachedSession:
    """The cached session every request goes through.

    Only 200s are cached by default; the client stores 404s itself with the shorter expiry.
    The mailto parameter and the token header are left out of cache keys and stored requests.
    """
    session = cached_session(settings.cache_dir, ignored=("mailto", TOKEN_HEADER))
    session.headers["User-Agent"] = user_agent(settings.mailto)
    session.headers["Accept"] = "application/json"
    if settings.token:
        session.headers[TOKEN_HEADER] = f"Bearer {settings.token}"
    return session


def cached_session(cache_dir: Path, *, ignored: tuple[str, ...]) -> CachedSession:
    """A session over the one answer cache (``cache_dir/crossref.sqlite``) that every service
    shares, so that ``refkit cache info|clear`` covers them all.

    Only 200s to GETs are cached; ``ignored`` parameters and headers (contact addresses, keys)
    are left out of cache keys and of stored requests.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    return CachedSession(
        str(cache_dir / CACHE_FILE),
        backend="sqlite",
        expire_after=EXPIRE_FOUND,
        allowable_codes=(200,),
        allowable_methods=("GET",),
        ignored_parameters=(*DEFAULT_IGNORED_PARAMS, *ignored),
        # Write-ahead logging: a save costs ~0.3 ms instead of an fsync's ~10 ms, which would
        # otherwise cap a run near 50 requests/s.
        wal=True,
    )


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    responses: int
    expired: int
    size: int  # bytes on disk


def cache_info(settings: Settings) -> CacheInfo:
    """How many answers the cache holds (and how many have expired); nothing is created."""
    path = settings.cache_path
    if not path.exists():
        return CacheInfo(path, 0, 0, 0)
    cache = SQLiteCache(path)
    try:
        total, fresh = cache.count(), cache.count(expired=False)
    finally:
        cache.close()  # type: ignore[no-untyped-call]  # requests-cache: untyped
    return CacheInfo(path, total, total - fresh, path.stat().st_size)


def clear_cache(settings: Settings) -> int:
    """Delete the cache file; the number of answers it held."""
    held = cache_info(settings).responses
    for suffix in ("", "-wal", "-shm"):
        Path(f"{settings.cache_path}{suffix}").unlink(missing_ok=True)
    return held


BACKOFF = 0.5  # seconds before the first retry; doubled each time, with as much jitter


def retry_policy(attempts: int) -> Retry:
    """How a client waits between attempts (exponential back-off with jitter, at most 8 s)
    and reads ``Retry-After``; the same for every service."""
    return Retry(total=attempts - 1, backoff_factor=BACKOFF, backoff_jitter=BACKOFF, backoff_max=8)


class Tally:
    """What a client counted (cache hits, requests, retries, 429s), from any worker thread."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, key: str, by: int = 1) -> None:
        with self._lock:
            self._counts[key] += by

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)
