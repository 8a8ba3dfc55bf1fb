"""``dedupe_files``: bibliography files in (refkit output or the user's .bib / CSL-JSON / RIS),
one deduplicated bibliography out, and optionally the evidence behind every merge.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from refkit import plugins
from refkit.atomic import open_output
from refkit.compare import DEFAULT_THRESHOLD
from refkit.dedupe.cluster import DedupeResult, dedupe
from refkit.errors import ConfigError
from refkit.exporters.keys import base_key
from refkit.model import Citation
from refkit.readers.library import load_library


@dataclass
class DedupeReport:
    """What a run did: items read = written + merged; each rejected file or entry named."""

    output: str = ""
    format: str = ""
    items_read: int = 0
    items_written: int = 0
    items_merged: int = 0
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def dedupe_files(
    paths: Iterable[str | Path],
    output: str,
    *,
    fmt: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    explain: str | None = None,
) -> DedupeReport:
    """Read every library under ``paths``, merge the same works, write them to ``output``.

    Raises ConfigError (nothing written) for a bad format or threshold; an unreadable file or
    entry is named in the report and the others go through.
    """
    if not 0.0 < threshold <= 1.0:
        raise ConfigError(f"threshold {threshold} is outside (0, 1]", hint="try 0.5 to 0.99")
    exporter = plugins.exporter(fmt, output=output)
    report = DedupeReport(output=output, format=exporter.name)
    library = load_library(paths)
    citations = library.citations
    report.problems, report.skipped = library.problems, library.skipped
    report.items_read = len(citations)
    result = dedupe(citations, threshold)
    written = unique_ids(result.citations)
    report.items_written, report.items_merged = len(written), result.merged
    with open_output(output) as stream:
        exporter.write(written, stream)
    if explain:
        with open_output(explain) as stream:
            json.dump(explanation(citations, written, result), stream, indent=2)
            stream.write("\n")
    return report


def unique_ids(citations: Sequence[Citation]) -> list[Citation]:
    """Each citation keeps its id (the first member's); a missing or taken one gets a key."""
    taken: set[str] = set()
    out = []
    for citation in citations:
        wanted = citation.id or base_key(citation)
        key, number = wanted, 1
        while key in taken:
            number += 1
            key = f"{wanted}-{number}"
        taken.add(key)
        out.append(citation if key == citation.id else replace(citation, id=key))
    return out


def explanation(
    inputs: Sequence[Citation], written: Sequence[Citation], result: DedupeResult
) -> list[dict[str, Any]]:
    """Per output item: its id, the ids of the inputs merged into it, why they were, and the
    look-alike inputs a veto kept apart from it (with the veto)."""
    clusters = []
    for output, members, links in zip(written, result.clusters, result.links, strict=True):
        evidence = [
            {
                "a": inputs[link.a].id,
                "b": inputs[link.b].id,
                "rule": link.verdict.rule,
                "score": link.verdict.score,
                "fields": {k: round(v, 3) for k, v in link.verdict.fields.items()},
            }
            for link in links
        ]
        inside = set(members)
        kept_apart = [
            {"a": inputs[link.a].id, "b": inputs[link.b].id, "veto": link.verdict.guard}
            for link in result.kept_apart
            if link.a in inside or link.b in inside
        ]
        clusters.append(
            {
                "id": output.id,
                "members": [inputs[i].id for i in members],
                "evidence": evidence,
                "kept_apart": kept_apart,
            }
        )
    return clusters
