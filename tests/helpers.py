"""Paths every test may need; importable from any test folder (pytest pythonpath)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples" / "records"
SHARED = ROOT.parent / "shared"
SEED = EXAMPLES / "NCT00962923.txt"
