"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SHARED


@pytest.fixture
def shared() -> Path:
    """``../shared`` when present; tests that need it skip without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared (reference material) is not present")
    return SHARED


@pytest.fixture(autouse=True)
def no_crossref(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never reach the real Crossref: a refused local port, and a cache of their own."""
    monkeypatch.setenv("REFKIT_CROSSREF_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("REFKIT_MAILTO", raising=False)
    monkeypatch.delenv("REFKIT_CROSSREF_TOKEN", raising=False)
