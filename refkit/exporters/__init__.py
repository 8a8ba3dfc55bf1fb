"""Exporters: citations → BibTeX, BibLaTeX, CSL-JSON or RIS (entry-point group refkit.exporters).

``export(citations, output)`` picks the exporter from ``fmt`` or the output's suffix, keeps
every usable key and writes the file atomically (``-`` is stdout); ``write`` spreads the
rendering of a large bibliography over processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO

from refkit import plugins, spread
from refkit.atomic import open_output
from refkit.exporters.keys import ensure_keys
from refkit.model import Citation
from refkit.plugins import Exporter, RunExporter


def export(citations: Iterable[Citation], output: str, *, fmt: str | None = None) -> list[Citation]:
    """Write ``citations`` to ``output``; returns them as written (with the keys they got).

    Raises ConfigError (nothing written) for an unknown format, ExportError when the file
    cannot be written (an existing file is left as it was).
    """
    exporter = plugins.exporter(fmt, output=output)
    keyed = ensure_keys(citations)
    with open_output(output) as stream:
        exporter.write(keyed, stream)
    return keyed


def write(
    exporter: Exporter, citations: Sequence[Citation], stream: IO[str], *, jobs: int = 1
) -> None:
    """``exporter.write(citations, stream)``; with ``jobs`` > 1 and an exporter that writes
    in runs, forked processes make the citations of a run (a build's are merged and keyed
    as they are asked for) and render it, and this one writes the runs in order (the same
    text)."""
    small = len(citations) <= spread.BATCH  # one run: no process is worth starting for it
    if jobs <= 1 or small or not spread.FORKS or not isinstance(exporter, RunExporter):
        exporter.write(citations, stream)
        return
    runs = spread.forked_batches((exporter, citations), _render, len(citations), jobs)
    exporter.assemble(runs, stream)


def _render(held: tuple[RunExporter, Sequence[Citation]], batch: range) -> str:
    exporter, citations = held
    return exporter.render(citations[batch.start : batch.stop])
