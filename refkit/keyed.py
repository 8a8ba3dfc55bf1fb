"""The citations a build hands to a writer, each given its key only when it is written.

``assign_keys`` makes a keyed copy of every citation at once, so that a large bibliography was
held twice while it was written; here the keys are worked out first (strings only) and each
keyed copy lives only while the writer writes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from refkit.exporters.keys import citation_keys
from refkit.model import Citation, replaced
from refkit.views import CitationView


class Keyed(CitationView):
    """``citations`` with ``id`` set to their keys (as ``assign_keys`` sets them), on demand."""

    def __init__(
        self, citations: Sequence[Citation], *, keep_given: bool = False, jobs: int = 1
    ) -> None:
        self._citations = citations
        self._keys = citation_keys(citations, keep_given=keep_given, jobs=jobs)

    def __len__(self) -> int:
        return len(self._citations)

    def _make(self, index: int) -> Citation:
        return replaced(self._citations[index], id=self._keys[index])

    def renamed(self) -> list[str]:
        """``old → new`` for each citation whose key is not the id it came with."""
        pairs = zip(self._citations, self._keys, strict=True)
        return [f"{c.id or '(no id)'} → {key}" for c, key in pairs if c.id != key]
