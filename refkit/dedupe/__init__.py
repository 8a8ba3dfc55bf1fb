"""Deduplicate citations: the same work cited by several trials or libraries becomes one entry.

``dedupe(citations)`` clusters the citations that are the same work and merges each cluster;
``keys`` normalises and blocks, ``score`` decides a pair, ``cluster`` joins and merges.
"""

from refkit.compare import DEFAULT_THRESHOLD, Verdict
from refkit.dedupe.cluster import DedupeResult, Link, dedupe, merge

__all__ = [
    "DEFAULT_THRESHOLD",
    "DedupeResult",
    "Link",
    "Verdict",
    "dedupe",
    "merge",
]
