"""BibTeX output, written by bibtexparser v2, shaped for Zotero, JabRef and LaTeX.

Text is LaTeX-encoded (pylatexenc), so that a LaTeX run prints it and executes nothing;
capitals and acronyms in titles are braced; months are the ``jan``..``dec`` macros; page
ranges use ``--``; URLs and DOIs are written raw. PMID/PMCID go in ``pmid``/``pmcid`` fields,
which Zotero keeps in Extra (never in ``note``, which Zotero turns into a child note).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Block, Entry, Field
from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from refkit.exporters.types import row
from refkit.model import Citation, Name

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Braces are counted by BibTeX even when escaped, so they become text commands.
_SPECIALS = {
    ord("{"): r"{\textbraceleft}",
    ord("}"): r"{\textbraceright}",
    ord("<"): r"{\textless}",
    ord(">"): r"{\textgreater}",
}
_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, _SPECIALS), "defaults"],
    non_ascii_only=False,
    unknown_char_policy="keep",
)
_WORD = re.compile(r"\S+")


def latex(text: str) -> str:
    """Plain text → LaTeX that prints the same text."""
    return str(_ENCODER.unicode_to_latex(text))


def protect_title(text: str) -> str:
    """Encode and brace every word whose capitals must survive a style's case change."""
    out = []
    for index, match in enumerate(_WORD.finditer(text)):
        word = match.group(0)
        capitals = sum(c.isupper() for c in word)
        needs = capitals > 1 or (capitals == 1 and (index > 0 or not word[0].isupper()))
        encoded = latex(word)
        out.append(f"{{{encoded}}}" if needs else encoded)
    return " ".join(out)


def bibtex_name(name: Name) -> str:
    """``Family, Given`` (with particle and suffix); organisations braced whole."""
    if name.literal:
        return "{" + latex(name.literal) + "}"
    family = latex(f"{name.particle} {name.family}".strip())
    parts = (
        [family, latex(name.suffix), latex(name.given)]
        if name.suffix
        else [family, latex(name.given)]
    )
    return ", ".join(p for p in parts if p) if name.given or name.suffix else family


def bibtex_names(names: Sequence[Name]) -> str:
    return " and ".join(bibtex_name(n) for n in names)


def page_range(page: str) -> str:
    return re.sub(r"\s*[-–—]+\s*", "--", page)


def entry_fields(citation: Citation, *, encode: bool = True) -> list[Field]:
    """The fields of one entry, in a fixed order; empty ones left out."""
    text = latex if encode else str
    issued = citation.issued
    report = citation.type == "report"
    pairs: list[tuple[str, str]] = [
        ("author", bibtex_names(citation.author)),
        ("editor", bibtex_names(citation.editor)),
        ("title", protect_title(citation.title)),
        ("shorttitle", protect_title(citation.title_short)),
        (_container_key(citation.type), text(citation.container_title)),
        ("institution" if report else "publisher", text(citation.publisher)),
        ("address", text(citation.publisher_place)),
        ("type", text(citation.genre)),
        ("year", str(issued.year) if issued else ""),
        ("volume", text(citation.volume)),
        ("number", text(citation.number if report else citation.issue)),
        ("pages", page_range(citation.page)),
        ("edition", text(citation.edition)),
        ("doi", citation.doi),
        ("pmid", citation.pmid),
        ("pmcid", citation.pmcid),
        ("isbn", citation.isbn),
        ("issn", citation.issn),
        ("url", _url(citation.url)),
        ("language", text(citation.language)),
        ("abstract", text(citation.abstract)),
        ("keywords", text(", ".join(citation.keyword))),
        ("note", text(citation.note)),
    ]
    fields = [Field(k, v) for k, v in pairs if v]
    if issued and issued.month:
        month = Field("month", MONTH_MACROS[issued.month - 1], enclosing="no-enclosing")
        fields.insert(next(i for i, f in enumerate(fields) if f.key == "year") + 1, month)
    return fields


def _container_key(csl_type: str) -> str:
    return "booktitle" if csl_type in ("chapter", "paper-conference") else "journal"


def _url(url: str) -> str:
    """URLs stay raw; only braces, which BibTeX would count, are percent-encoded."""
    return url.replace("{", "%7B").replace("}", "%7D")


def to_entry(citation: Citation) -> Entry:
    return Entry(row(citation.type).bibtex, citation.id, entry_fields(citation))


def write_library(entries: list[Block], stream: IO[str]) -> None:
    library = Library(entries)
    # Every value in braces, but month macros (marked no-enclosing) and bare years.
    stack = [AddEnclosingMiddleware(False, False, "{")]
    text = write_string(library, unparse_stack=stack)
    stream.write(text)


class BibtexExporter:
    """BibTeX with LaTeX-encoded text (``.bib``)."""

    name = "bibtex"
    suffixes = (".bib", ".bibtex")

    def write(self, citations: Sequence[Citation], stream: IO[str]) -> None:
        write_library([to_entry(c) for c in citations], stream)
