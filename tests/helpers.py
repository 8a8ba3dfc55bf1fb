"""Paths every test may need; importable from any test folder (pytest pythonpath)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import defusedxml.ElementTree as ElementTree

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples" / "records"
SHARED = ROOT.parent / "shared"


def load_benchmark(name: str) -> ModuleType:
    """A script of ``benchmarks/`` as a module (they are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


SEED = EXAMPLES / "NCT00962923.txt"


def record_citations(records: Path) -> list[str]:
    """Every reference string of a folder of trial records (JSON, XML, text), read without
    refkit's readers, once each, in file order."""
    strings: list[str] = []
    for path in sorted(records.rglob("*.json")):
        strings += _json_citations(json.loads(path.read_text(encoding="utf-8")))
    for path in sorted(records.rglob("*.xml")):
        root = ElementTree.parse(path).getroot()
        strings += [el.text or "" for el in root.iter("citation")]
    for path in sorted(records.rglob("*.txt")):
        strings += _text_citations(path)
    return list(dict.fromkeys(s for s in strings if s.strip()))


def _json_citations(data: Any) -> list[str]:
    if isinstance(data, dict):
        found = [
            v
            for k, v in data.items()
            if k in ("citation", "ReferenceCitation") and isinstance(v, str)
        ]
        return found + [s for v in data.values() for s in _json_citations(v)]
    if isinstance(data, list):
        return [s for v in data for s in _json_citations(v)]
    return []


def _text_citations(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if "References" not in lines:
        return []
    start = lines.index("References") + 2  # the header, then its one-line blurb
    section = []
    for line in lines[start:]:
        if not line.strip() or line.startswith("Other Identifiers"):
            break
        section.append(line.strip())
    return section
