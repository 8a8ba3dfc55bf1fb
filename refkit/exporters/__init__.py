"""Exporters: citations → BibTeX, BibLaTeX, CSL-JSON or RIS (entry-point group refkit.exporters).

``export(citations, output)`` picks the exporter from ``fmt`` or the output's suffix, keeps
every usable key and writes the file atomically (``-`` is stdout).
"""

from __future__ import annotations

from collections.abc import Iterable

from refkit import plugins
from refkit.atomic import open_output
from refkit.exporters.keys import ensure_keys
from refkit.model import Citation


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
