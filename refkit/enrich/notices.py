"""Retractions, corrections and other updates a Crossref record reports, as note lines.

``updated-by`` on a work lists the notices about it (the publisher's, and since 2023 Retraction
Watch's); ``update-to`` on a notice names the work it updates; ``relation`` may repeat either.
A work is retracted when a notice of a withdrawing kind (``RETRACTING``) updates it, or when the
publisher marked its title (``RETRACTED: …``). Entries that point at the work itself (a "new
version" of the same DOI) are no notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from refkit.enrich.values import crossref_date, text
from refkit.identifiers import normalize_doi
from refkit.model import Citation, Date

# Update types that withdraw a work; any other update (correction, erratum, new version,
# expression of concern, …) is reported as "Updated by".
RETRACTING = frozenset({"retraction", "withdrawal", "removal", "partial_retraction"})
RETRACTED_TITLE = re.compile(r"^\s*(?:retracted(?:\s+article)?|withdrawn)\s*:\s*", re.I)


def retraction_notice(citation: Citation) -> str:
    """What says ``citation`` was retracted ("" when nothing does): for notes and reports."""
    return "; ".join(value for key, value in citation.extra if key == "Retracted")


def strip_retracted(title: str) -> tuple[str, bool]:
    """Publishers mark withdrawn works in the title (``RETRACTED: …``); the mark is not the
    title, but it is a retraction notice."""
    stripped = RETRACTED_TITLE.sub("", title)
    return stripped, stripped != title


def notice_lines(message: Mapping[str, Any], doi: str) -> Iterator[tuple[str, str]]:
    """``Retracted`` / ``Updated by`` lines for notices about this work, ``Updates`` lines when
    this work is itself a notice. Entries pointing at the work itself are no notice."""
    for update in _updates(message.get("updated-by"), doi):
        kind = "Retracted" if update[0] in RETRACTING else "Updated by"
        yield kind, _describe(*update)
    for update in _updates(message.get("update-to"), doi):
        yield "Updates", _describe(*update)
    relation = message.get("relation")
    if isinstance(relation, Mapping):
        for name, targets in relation.items():
            kind = text(name).lower().replace("-", "_")
            if kind in RETRACTING:
                for target in _relation_ids(targets, doi):
                    yield "Retracted", _describe(kind, "", target, None)


def _updates(value: Any, doi: str) -> Iterable[tuple[str, str, str, Date | None]]:
    if not isinstance(value, list):
        return []
    found = []
    for entry in value:
        if not isinstance(entry, Mapping):
            continue
        target = normalize_doi(text(entry.get("DOI")))
        if target and target == doi:
            continue
        kind = text(entry.get("type")).lower().replace("-", "_")
        label = text(entry.get("label"))
        found.append((kind, label, target, crossref_date(entry.get("updated"))))
    return found


def _relation_ids(targets: Any, doi: str) -> list[str]:
    """The works that asserted the relation about this one (``asserted-by: object``): for an
    update-type relation, the notices. The notice's own side (``subject``) is ``update-to``."""
    if not isinstance(targets, list):
        return []
    ids = [
        normalize_doi(text(t.get("id")))
        for t in targets
        if isinstance(t, Mapping) and text(t.get("asserted-by")) == "object"
    ]
    return [i for i in ids if i and i != doi]


def _describe(kind: str, label: str, target: str, date: Date | None) -> str:
    """``10.1371/annotation/c76d… (Correction, 2012-05-08)``."""
    name = label or kind.replace("_", " ").capitalize() or "Update"
    details = ", ".join(part for part in (name, date.iso() if date else "") if part)
    return f"{target} ({details})" if target else details
