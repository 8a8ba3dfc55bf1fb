"""Normalised keys under which two citations are the same work for certain."""

from __future__ import annotations

import re
import unicodedata

from refkit.model import Citation
from refkit.parse.identifiers import normalize_doi


def fold(text: str) -> str:
    """Case, accents, punctuation and spacing folded away: for comparing text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]|_", " ", letters).split())


def exact_keys(citation: Citation) -> list[str]:
    """Identifier keys and a strict title key; sharing any one means the same work."""
    keys = []
    doi = normalize_doi(citation.doi) if citation.doi else ""
    if doi:
        keys.append("doi:" + doi)
    if citation.pmid:
        keys.append("pmid:" + citation.pmid.lstrip("0"))
    if citation.type == "report" and citation.number.upper().startswith("NCT"):
        keys.append("nct:" + citation.number.upper())
    title = fold(citation.title)
    if len(title) >= 20 and citation.issued and citation.author:
        first = citation.author[0]
        who = fold(first.family or first.literal)
        keys.append(f"title:{title}|{citation.issued.year}|{who}")
    return keys
