"""``--explain``: for each output item, the inputs merged into it and the evidence of each merge."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from refkit.dedupe.cluster import DedupeResult
from refkit.model import Citation


def explanation(
    inputs: Sequence[Citation], written: Sequence[Citation], result: DedupeResult
) -> list[dict[str, Any]]:
    """Per output item: its id, the ids of the inputs merged into it, why they were, and the
    look-alike inputs a veto kept apart from it (with the veto)."""
    apart: dict[int, list[int]] = {}  # input → the kept-apart pairs it is in, by position
    for position, link in enumerate(result.kept_apart):
        apart.setdefault(link.a, []).append(position)
        apart.setdefault(link.b, []).append(position)
    clusters = []
    for output, members, links in zip(written, result.clusters, result.links, strict=True):
        evidence = [
            {
                "a": inputs[link.a].id,
                "b": inputs[link.b].id,
                "rule": link.verdict.rule,
                "score": link.verdict.score,
                "fields": {k: round(v, 3) for k, v in link.verdict.fields.items()},
            }
            for link in links
        ]
        found = sorted({position for member in members for position in apart.get(member, ())})
        kept_apart = [
            {"a": inputs[link.a].id, "b": inputs[link.b].id, "veto": link.verdict.guard}
            for link in (result.kept_apart[position] for position in found)
        ]
        clusters.append(
            {
                "id": output.id,
                "members": [inputs[i].id for i in members],
                "evidence": evidence,
                "kept_apart": kept_apart,
            }
        )
    return clusters
