"""``convert``: bibliography files in any format refkit reads → one file in any it writes.

Each entry keeps its key (or CSL id); an entry without a usable one (missing, duplicated, or
with characters BibTeX forbids) gets a readable key, and the change is listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from refkit import plugins
from refkit.exporters import export
from refkit.readers.decode import is_fallback
from refkit.readers.library import load_library


@dataclass
class Conversion:
    """What a conversion did: entries read = written; each problem named."""

    output: str
    format: str
    read: int = 0
    written: int = 0
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # read with doubts (a guessed encoding)


def convert(paths: Iterable[str | Path], output: str, *, fmt: str | None = None) -> Conversion:
    """Read every library under ``paths`` and write its entries to ``output``.

    Raises ConfigError (nothing written) for an unknown format or output place.
    """
    exporter = plugins.exporter(fmt, output=output)
    result = Conversion(output=output, format=exporter.name)
    library = load_library(paths)
    citations = library.citations
    result.problems, result.skipped = library.problems, library.skipped
    result.notes = [w for c in citations for w in c.warnings if is_fallback(w)]
    if not citations:
        # A file that reads as nothing (the wrong encoding, a broken export) never replaces
        # the output a previous run wrote.
        result.problems.append(f"no bibliography entries found in the inputs; {output} not written")
        return result
    keyed = export(citations, output, fmt=exporter.name)
    result.renamed = [
        f"{old.id or '(no id)'} → {new.id}"
        for old, new in zip(citations, keyed, strict=True)
        if old.id != new.id
    ]
    result.read = result.written = len(keyed)
    return result
