"""``enrich_files``: bibliography files in (refkit's own output or a user's .bib / CSL-JSON / RIS),
the same entries out, completed from PubMed and Crossref, in the same order.

With ``refkit build --offline`` on a train and ``refkit enrich`` back online, nothing is parsed
twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from refkit import plugins
from refkit.atomic import open_output
from refkit.dedupe.files import unique_ids
from refkit.pipeline import enrich
from refkit.plugins import EnrichOptions
from refkit.readers.library import load_library


@dataclass
class EnrichReport:
    """What a run did: items read = items written; each rejected file or entry named."""

    output: str = ""
    format: str = ""
    items_read: int = 0
    items_written: int = 0
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    retracted: list[str] = field(default_factory=list)
    enrichment: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def enrich_files(
    paths: Iterable[str | Path],
    output: str,
    *,
    fmt: str | None = None,
    options: EnrichOptions | None = None,
    report_path: str | None = None,
) -> EnrichReport:
    """Complete every entry of the libraries under ``paths`` and write them all to ``output``.

    Raises ConfigError (nothing written) for a bad format, output or option.
    """
    exporter = plugins.exporter(fmt, output=output)
    report = EnrichReport(output=output, format=exporter.name)
    library = load_library(paths)
    report.problems, report.skipped = library.problems, library.skipped
    report.items_read = len(library.citations)
    result = enrich(library.citations, options)
    report.items_written = len(result.citations)
    report.enrichment = result.counts
    report.warnings, report.retracted = result.warnings, result.retracted
    with open_output(output) as stream:
        exporter.write(unique_ids(result.citations), stream)
    if report_path:
        with open_output(report_path) as stream:
            json.dump(report.to_dict(), stream, indent=2, ensure_ascii=False)
            stream.write("\n")
    return report
