"""Exporters: citations → BibTeX, BibLaTeX, CSL-JSON or RIS (entry-point group refkit.exporters).

``export(citations, output)`` picks the exporter from ``fmt`` or the output's suffix, keeps
every usable key and writes the file atomically (``-`` is stdout); ``write`` spreads the
rendering of a large bibliography over processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import IO

from refkit import plugins, spread
from refkit.atomic import open_output
from refkit.exporters.keys import ensure_keys
from refkit.model import Citation
from refkit.plugins import Exporter, RunExporter
from refkit.spool import pack, unpack
from refkit.spread import AHEAD_PER_JOB, batches, in_order, processes


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
    in runs, the runs are rendered by ``jobs`` processes (the same text, in the same order)
    while this one makes the citations and writes what comes back."""
    if jobs <= 1 or len(citations) <= spread.BATCH or not isinstance(exporter, RunExporter):
        exporter.write(citations, stream)
        return
    with processes(jobs) as pool:
        packed = map(pack, batches(citations))
        render = partial(_render, exporter)
        exporter.assemble(in_order(pool, render, packed, ahead=jobs * AHEAD_PER_JOB), stream)


def _render(exporter: RunExporter, packed: bytes) -> str:
    return exporter.render(unpack(packed))
