"""Deduplicate citations: the same work cited by several trials becomes one entry."""

from refkit.dedupe.cluster import DedupeResult, dedupe

__all__ = ["DedupeResult", "dedupe"]
