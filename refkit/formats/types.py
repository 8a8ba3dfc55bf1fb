"""The one table of entry types: CSL type ⇄ BibTeX ⇄ BibLaTeX ⇄ RIS.

Writing uses ``TYPES`` (one row per CSL type refkit writes); only types that Zotero's importers
and biber know are written, because Zotero silently drops entries of unknown BibTeX types and
rejects a whole CSL-JSON file for one unknown type. A CSL type outside the table is written as
its ``ALIASES`` entry or as ``document``.

Reading maps every entry type a user's file may hold back to one CSL type (``FROM_BIBTEX``,
``FROM_RIS``). Where several CSL types share an entry type (``article-magazine`` and
``article-journal`` are both ``@article``), reading gives the first of them.
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
    "article": TypeRow("misc", "online", "GEN"),  # a preprint, in Zotero
    "book": TypeRow("book", "book", "BOOK"),
    "chapter": TypeRow("incollection", "incollection", "CHAP"),
    "entry-encyclopedia": TypeRow("incollection", "inreference", "ENCYC"),
    "entry-dictionary": TypeRow("incollection", "inreference", "DICT"),
    "paper-conference": TypeRow("inproceedings", "inproceedings", "CPAPER"),
    "report": TypeRow("techreport", "report", "RPRT"),
    "thesis": TypeRow("phdthesis", "thesis", "THES"),
    "webpage": TypeRow("misc", "online", "ELEC"),
    "post-weblog": TypeRow("misc", "online", "BLOG"),
    "dataset": TypeRow("misc", "dataset", "DATA"),
    "patent": TypeRow("patent", "patent", "PAT"),
    "manuscript": TypeRow("unpublished", "unpublished", "MANSCPT"),
    "document": TypeRow("misc", "misc", "GEN"),
}
FALLBACK = "document"
# Types whose CSL `number` is what BibTeX `number` and RIS `SN` hold (else `number` is the issue).
NUMBERED = frozenset({"report", "patent"})
# Types whose RIS SN holds an ISSN (an ISBN for the others).
ARTICLE_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper"})
# CSL types that are not in the table, written as the nearest type that is.
ALIASES = {
    "review": "article-journal",
    "review-book": "article-journal",
    "periodical": "book",
    "classic": "book",
    "collection": "book",
    "post": "webpage",
    "standard": "report",
    "speech": "paper-conference",
}

FROM_BIBTEX: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "book",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "manual": "book",
    "reference": "book",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "incollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "techreport": "report",
    "report": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "dataset": "dataset",
    "patent": "patent",
    "unpublished": "manuscript",
    "software": "software",
    "misc": "document",
}
FROM_RIS: dict[str, str] = {
    "JOUR": "article-journal",
    "EJOUR": "article-journal",
    "JFULL": "article-journal",
    "ABST": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "ENCYC": "entry-encyclopedia",
    "DICT": "entry-dictionary",
    "CPAPER": "paper-conference",
    "CONF": "paper-conference",
    "RPRT": "report",
    "GOVDOC": "report",
    "STAND": "report",
    "THES": "thesis",
    "ELEC": "webpage",
    "WEB": "webpage",
    "BLOG": "post-weblog",
    "DATA": "dataset",
    "PAT": "patent",
    "MANSCPT": "manuscript",
    "UNPB": "manuscript",
    "UNPD": "manuscript",
    "INPR": "manuscript",
    "GEN": "document",
}


def writable(csl_type: str) -> str:
    """The CSL type refkit writes for ``csl_type``: itself when in the table."""
    if csl_type in TYPES:
        return csl_type
    return ALIASES.get(csl_type, FALLBACK)


def row(csl_type: str) -> TypeRow:
    return TYPES[writable(csl_type)]


def from_bibtex(entry_type: str) -> str:
    """The CSL type of a BibTeX or BibLaTeX entry type (``@misc`` for anything unknown)."""
    return FROM_BIBTEX.get(entry_type.lower(), FALLBACK)


def from_ris(ris_type: str) -> str:
    return FROM_RIS.get(ris_type.upper(), FALLBACK)
