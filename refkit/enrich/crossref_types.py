"""Crossref work types → CSL types: refkit's own table, the one source of truth.

Crossref's content-negotiated CSL-JSON has carried Crossref's type names since about 2021
(``journal-article``, ``posted-content``), so refkit never takes a CSL type from Crossref; it
maps every type through ``CROSSREF_TO_CSL`` (the 30 types of Crossref's ``/types``) and, for
posted content, its ``subtype``. README's "Crossref type → CSL type" table says the same, and a
test checks that it does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from refkit.enrich.values import text
from refkit.model import CSL_TYPES

# Every work type of Crossref's ``/types`` (30 in 2026) → the CSL 1.0.2 type refkit writes.
CROSSREF_TO_CSL: dict[str, str] = {
    "journal-article": "article-journal",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "book-track": "chapter",
    "proceedings-article": "paper-conference",
    "posted-content": "manuscript",  # refined by subtype, see POSTED_CONTENT_SUBTYPES
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "proceedings": "book",
    "reference-entry": "entry-encyclopedia",
    "report": "report",
    "report-component": "report",
    "dissertation": "thesis",
    "dataset": "dataset",
    "database": "dataset",
    "standard": "standard",
    "peer-review": "review",
    "journal": "periodical",
    "journal-volume": "periodical",
    "journal-issue": "periodical",
    "component": "document",
    "grant": "document",
    "other": "document",
    "book-series": "document",
    "report-series": "document",
    "proceedings-series": "document",
}
# posted-content's ``subtype`` says what it is; Zotero reads CSL ``article`` as a preprint.
POSTED_CONTENT_SUBTYPES: dict[str, str] = {
    "preprint": "article",
    "blog": "post-weblog",
    "working_paper": "report",
    "report": "report",
    "dissertation": "thesis",
}
FALLBACK_TYPE = "document"


def csl_type(message: Mapping[str, Any]) -> str:
    """The CSL type for a Crossref type (and posted-content subtype); never an invalid one."""
    crossref = text(message.get("type")).lower()
    if crossref == "posted-content":
        subtype = text(message.get("subtype")).lower()
        return POSTED_CONTENT_SUBTYPES.get(subtype, CROSSREF_TO_CSL[crossref])
    if crossref in CROSSREF_TO_CSL:
        return CROSSREF_TO_CSL[crossref]
    return crossref if crossref in CSL_TYPES else FALLBACK_TYPE
