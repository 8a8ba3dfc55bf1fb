"""The one table of entry types: CSL type ⇄ BibTeX ⇄ BibLaTeX ⇄ RIS.

Only types that Zotero's importers and biber know are written: Zotero silently drops entries
of unknown BibTeX types, so an unlisted CSL type falls back to the ``document`` row.
"""

from __future__ import annotations

from typing import NamedTuple


class TypeRow(NamedTuple):
    bibtex: str
    biblatex: str
    ris: str


TYPES: dict[str, TypeRow] = {
    "article-journal": TypeRow("article", "article", "JOUR"),
    "article-magazine": TypeRow("article", "article", "MGZN"),
    "article-newspaper": TypeRow("article", "article", "NEWS"),
    "article": TypeRow("misc", "online", "GEN"),
    "review": TypeRow("article", "article", "JOUR"),
    "book": TypeRow("book", "book", "BOOK"),
    "chapter": TypeRow("incollection", "incollection", "CHAP"),
    "paper-conference": TypeRow("inproceedings", "inproceedings", "CPAPER"),
    "report": TypeRow("techreport", "report", "RPRT"),
    "thesis": TypeRow("phdthesis", "thesis", "THES"),
    "webpage": TypeRow("misc", "online", "ELEC"),
    "post-weblog": TypeRow("misc", "online", "BLOG"),
    "dataset": TypeRow("misc", "dataset", "DATA"),
    "patent": TypeRow("misc", "patent", "PAT"),
    "standard": TypeRow("techreport", "report", "STAND"),
    "manuscript": TypeRow("unpublished", "unpublished", "UNPB"),
    "document": TypeRow("misc", "misc", "GEN"),
}
FALLBACK = "document"


def row(csl_type: str) -> TypeRow:
    return TYPES.get(csl_type, TYPES[FALLBACK])
