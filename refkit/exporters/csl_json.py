"""CSL-JSON output: the format of Zotero, pandoc and citeproc.

Every item has a CSL type Zotero's importer accepts (``types.writable``: one unknown type makes
Zotero reject the whole file) and the id it was given; PMID/PMCID and identifiers without a
CSL field are repeated as ``Key: value`` lines in ``note``, which Zotero keeps in Extra.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

from refkit.formats.types import writable
from refkit.model import Citation
from refkit.plugins import RunExporter


def to_item(citation: Citation) -> dict[str, Any]:
    item = citation.to_csl()
    item["type"] = writable(citation.type)
    return item


class CslJsonExporter(RunExporter):
    """A CSL-JSON array (``.json``), one item per citation, each with a unique ``id``."""

    name = "csl-json"

    def render(self, citations: Sequence[Citation]) -> str:
        # Item by item, laid out as json.dump lays out the whole array (indent 2).
        return ",".join(map(_item_text, citations))

    def assemble(self, runs: Iterable[str], stream: IO[str]) -> None:
        stream.write("[")
        written = False
        for run in runs:
            stream.write("," + run if written else run)
            written = True
        stream.write("\n]\n" if written else "]\n")


def _item_text(citation: Citation) -> str:
    item = json.dumps(to_item(citation), ensure_ascii=False, indent=2)
    return "\n  " + item.replace("\n", "\n  ")
