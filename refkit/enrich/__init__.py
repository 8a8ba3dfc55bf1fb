"""Enrichment: complete parsed citations from Crossref (HTTP client, matching, merging)."""
