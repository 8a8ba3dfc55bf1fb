"""Enrichment: complete parsed citations from PubMed and Crossref (HTTP clients, matching,
merging). ``enrich`` runs every installed enricher in its order."""

from __future__ import annotations

from collections.abc import Sequence

from refkit import plugins
from refkit.model import Citation
from refkit.plugins import Enrichment, EnrichOptions


def enrich(citations: Sequence[Citation], options: EnrichOptions | None = None) -> Enrichment:
    """Run every installed enricher over ``citations`` in turn; the counts add up."""
    result = Enrichment(list(citations))
    # PubMed (order 10) first: the DOI it gives is what Crossref (20) is asked with.
    for enricher in sorted(plugins.enrichers(), key=lambda e: getattr(e, "order", 100)):
        step = enricher.enrich(result.citations, options or EnrichOptions())
        result.citations = step.citations
        for key, value in step.counts.items():
            result.counts[key] = result.counts.get(key, 0) + value
        result.warnings += step.warnings
        result.retracted += step.retracted
    return result
