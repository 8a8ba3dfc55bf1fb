"""CSL-JSON output: the format of Zotero, pandoc and citeproc."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any

from refkit.model import Citation


def to_item(citation: Citation) -> dict[str, Any]:
    return citation.to_csl()


class CslJsonExporter:
    """A CSL-JSON array (``.json``), one item per citation, each with a unique ``id``."""

    name = "csl-json"
    suffixes = (".json", ".csl.json", ".csljson")

    def write(self, citations: Sequence[Citation], stream: IO[str]) -> None:
        json.dump([to_item(c) for c in citations], stream, ensure_ascii=False, indent=2)
        stream.write("\n")
