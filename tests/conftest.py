"""Shared fixtures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, SHARED


@pytest.fixture
def shared() -> Path:
    """``../shared`` when present; tests that need it skip without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared (reference material) is not present")
    return SHARED


@pytest.fixture(autouse=True)
def no_crossref(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never reach the real Crossref or NCBI: a refused local port, and a cache of their
    own."""
    monkeypatch.setenv("REFKIT_CROSSREF_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("REFKIT_NCBI_URL", "http://127.0.0.1:9")
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("REFKIT_MAILTO", raising=False)
    monkeypatch.delenv("REFKIT_CROSSREF_TOKEN", raising=False)


def _redact_contact(request: Any) -> Any:
    """The mailto address in the User-Agent never reaches a cassette."""
    agent = request.headers.get("User-Agent")
    if agent:
        request.headers["User-Agent"] = re.sub(r"mailto:[^;)\s]+", "mailto:REDACTED", agent)
    return request


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """Cassettes live in ``cassettes/<test module>/<test name>.yaml`` at the repository root."""
    return str(ROOT / "cassettes" / Path(request.node.path).stem)


@pytest.fixture
def vcr_config(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replay only, unless ``--record-mode`` says otherwise; secrets filtered when recording."""
    # requests-cache reads urllib3's private ``_request_url``, which vcrpy's stand-in response
    # lacks (kevin1024/vcrpy#881); without it the answer could not be cached.
    from vcr.stubs import VCRHTTPResponse

    monkeypatch.setattr(VCRHTTPResponse, "_request_url", None, raising=False)
    return {
        "filter_query_parameters": [
            ("mailto", "REDACTED"),
            ("email", "REDACTED"),
            ("api_key", "REDACTED"),
        ],
        "filter_headers": [("Crossref-Plus-API-Token", "REDACTED")],
        "before_record_request": _redact_contact,
        "decode_compressed_response": True,
    }
