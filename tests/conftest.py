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
