"""CSL-JSON output: the format of Zotero, pandoc and citeproc.

Every item has a CSL type Zotero's importer accepts (``types.writable``: one unknown type makes
Zotero reject the whole file) and the id it was given; PMID/PMCID and identifiers without a
CSL field are repeated as ``Key: value`` lines in ``note``, which Zotero keeps in Extra.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any

from refkit.formats.types import writable
from refkit.model import Citation


def to_item(citation: Citation) -> dict[str, Any]:
    item = citation.to_csl()
    item["type"] = writable(citation.type)
    return item


class CslJsonExporter:
    """A CSL-JSON array (``.json``), one item per citation, each with a unique ``id``."""

    name = "csl-json"

    def write(self, citations: Sequence[Citation], stream: IO[str]) -> None:
        # Item by item, laid out as json.dump lays out the whole array (indent 2).
        stream.write("[")
        for index, citation in enumerate(citations):
            item = json.dumps(to_item(citation), ensure_ascii=False, indent=2)
            stream.write(("," if index else "") + "\n  " + item.replace("\n", "\n  "))
        stream.write("\n]\n" if citations else "]\n")
