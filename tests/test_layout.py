"""The imports follow the pipeline: stage packages (readers, parse, enrich, dedupe, exporters)
import only the foundation below them, never each other, the commands, the CLI or the package
root. Read from the source, so a new import against the flow fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import refkit

PACKAGE = Path(refkit.__file__).parent
STAGES = ("readers", "parse", "enrich", "dedupe", "exporters")
FOUNDATION = (
    "model",
    "errors",
    "plugins",
    "version",
    "text",
    "identifiers",
    "compare",
    "formats",
    "atomic",
    "report",
    "views",
    "spread",
    "spool",
)


def imports(path: Path) -> set[str]:
    """The refkit modules ``path`` imports, as dotted names below ``refkit``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "refkit":
                found |= {f"refkit.{alias.name}" for alias in node.names}
            elif node.module.startswith("refkit."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("refkit.")}
    return found


def top(module: str) -> str:
    return module.split(".")[1]


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        home = parts[0]
        for module in sorted(imports(path)):
            target = top(module)
            if home in STAGES and target not in (home, *FOUNDATION):
                found.append(f"{'/'.join(parts)} imports {module}")
            if home in FOUNDATION and target not in FOUNDATION:
                found.append(f"{'/'.join(parts)} (foundation) imports {module}")
    return found


def test_imports_point_down_the_pipeline() -> None:
    assert violations() == []


def test_the_rule_sees_a_wrong_import(tmp_path: Path) -> None:
    wrong = tmp_path / "bibtex.py"
    wrong.write_text("from refkit.exporters.latex import to_text\nfrom refkit import build\n")
    assert imports(wrong) == {"refkit.exporters.latex", "refkit.build"}
