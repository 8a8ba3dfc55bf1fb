"""Deduplicate citations: the same work cited by several trials or libraries becomes one entry.

``dedupe(citations)`` clusters the citations that are the same work and merges each cluster
(``cluster`` only clusters: a caller that writes one cluster at a time merges it then);
``keys`` normalises and blocks, ``score`` decides a pair, ``cluster`` joins and merges.
"""

from refkit.compare import DEFAULT_THRESHOLD, Verdict
from refkit.dedupe.cluster import Clustering, DedupeResult, Link, cluster, dedupe, merge

__all__ = [
    "DEFAULT_THRESHOLD",
    "Clustering",
    "DedupeResult",
    "Link",
    "Verdict",
    "cluster",
    "dedupe",
    "merge",
]
