"""A user's CSL-JSON library (Zotero, pandoc, citeproc: an array of items) → Citations.

Recognised by content: a JSON array of objects with CSL keys. A ClinicalTrials.gov download is
also an array, of study objects (``protocolSection``), and is left to the trial readers. Each
item keeps its ``id``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from refkit.errors import ReadError
from refkit.model import CSL_FIELDS, Citation
from refkit.readers.decode import decode

_CSL_KEY = re.compile(rb'"(?:id|type|title|author|issued|container-title|DOI)"\s*:')
_STUDY_KEY = re.compile(rb'"(?:protocolSection|ProtocolSection|FullStudiesResponse|studies)"\s*:')


class CslJsonLibraryReader:
    """CSL-JSON: a top-level array of CSL items."""

    name = "csl-json"

    def sniff(self, head: bytes, path: Path) -> bool:
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not re.match(rb"\[\s*(\{|\])", text):
            return False
        return bool(_CSL_KEY.search(text)) and not _STUDY_KEY.search(text)

    def read(self, path: Path) -> Iterator[Citation | ReadError]:
        text, warning = decode(path.read_bytes(), str(path))
        try:
            items = json.loads(text)
        except json.JSONDecodeError as error:
            raise ReadError(
                f"not valid JSON ({error.msg} at line {error.lineno} column {error.colno})",
                where=str(path),
                hint="export the library again",
            ) from error
        if not isinstance(items, list):
            raise ReadError("CSL-JSON must be an array of items", where=str(path))
        for index, item in enumerate(items, start=1):
            yield item_citation(item, f"{path}:item {index}", warning)


def item_citation(item: object, where: str, warning: str = "") -> Citation | ReadError:
    """One CSL item as a Citation, or the error saying why it cannot be one."""
    if not isinstance(item, dict):
        return ReadError(f"an item must be an object, not {type(item).__name__}", where=where)
    try:
        citation = Citation.from_csl(item)
    except (TypeError, ValueError, AttributeError) as error:
        return ReadError(f"malformed item ({error})", where=where, hint="check its fields")
    carried = _other_variables(item)
    if carried:
        citation = replace(citation, extra_fields=(*citation.extra_fields, *carried))
    return replace(citation, warnings=(*citation.warnings, warning)) if warning else citation


_READ = frozenset({*CSL_FIELDS.values(), "note"})


def _other_variables(item: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """CSL variables refkit has no attribute for (``archive``, ``event-date``,
    ``citation-key``...), kept as ``("csl.archive", value)``: written back to CSL-JSON, carried
    as note lines elsewhere. A value that is not text is kept as its JSON."""
    out = []
    for key, value in item.items():
        if key in _READ or value in (None, "", [], {}):
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        out.append((f"csl.{key}", " ".join(text.split())))
    return tuple(out)
