"""BibTeX and BibLaTeX output, written by bibtexparser v2, shaped for Zotero, JabRef and LaTeX.

BibTeX (``.bib``): text LaTeX-encoded (pylatexenc), ``year`` + ``month = mar`` macros,
``journal``, PMID/PMCID in ``pmid``/``pmcid`` fields (Zotero keeps them in Extra; never in
``note``, which Zotero turns into a child note). BibLaTeX (``--format biblatex``): UTF-8 text,
``date``, ``journaltitle``, PMID as ``eprint`` + ``eprinttype = {pubmed}``. Both: what LaTeX
would execute is escaped (``formats/latex.py``), capitals and acronyms in titles are braced,
page ranges use ``--``, URLs and DOIs are raw, trials are reports with the NCT id in ``number``,
and ``and others`` ends an author list only when the source said "et al.".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import IO

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Block, Entry, Field

from refkit.formats.latex import to_latex
from refkit.formats.types import NUMBERED, row, writable
from refkit.model import ET_AL, Citation, Date, Name
from refkit.plugins import RunExporter
from refkit.text import MONTH_ABBREVIATIONS

MONTH_MACROS = MONTH_ABBREVIATIONS
_TOKENS = re.compile(r"\s+|\S+")
_SEPARATOR = re.compile(r",|\band\b", re.IGNORECASE)
BLOCK_SEPARATOR = "\n\n"  # what bibtexparser writes between two blocks
BOOK_PARTS = frozenset({"chapter", "paper-conference", "entry-encyclopedia", "entry-dictionary"})
PUBLISHER_KEYS = {"report": "institution", "thesis": "school"}
BIBLATEX_PUBLISHER_KEYS = {"report": "institution", "thesis": "institution"}
BIBLATEX_PUBLISHER_KEYS |= {"webpage": "organization", "post-weblog": "organization"}
BIBLATEX_PUBLISHER_KEYS |= {"article": "organization", "document": "organization"}


# CSL-JSON's rich text (``<i>TERT</i>``) → LaTeX: each tag stands as a private-use character
# while the text is encoded, then becomes its command.
RICH_TAGS = {
    "<i>": ("\ue010", r"\textit{"),
    "<b>": ("\ue011", r"\textbf{"),
    "<sup>": ("\ue012", r"\textsuperscript{"),
    "<sub>": ("\ue013", r"\textsubscript{"),
    '<span style="font-variant:small-caps;">': ("\ue014", r"\textsc{"),
    '<span class="nocase">': ("\ue015", "{"),
    "</i>": ("\ue01f", "}"),
    "</b>": ("\ue01f", "}"),
    "</sup>": ("\ue01f", "}"),
    "</sub>": ("\ue01f", "}"),
    "</span>": ("\ue01f", "}"),
}
_RICH = re.compile("|".join(re.escape(tag) for tag in RICH_TAGS))
_MARKS = {mark: latex for mark, latex in RICH_TAGS.values()}
_MARK = re.compile("[\ue010-\ue01f]")


def _rich(value: str, encode: Callable[[str], str]) -> str:
    """Encode ``value``, its CSL rich-text tags written as LaTeX commands (when they pair up)."""
    if "<" not in value:
        return encode(value)
    marked = _RICH.sub(lambda m: RICH_TAGS[m.group()][0], value)
    opened = sum(1 for c in marked if "\ue010" <= c <= "\ue015")
    if opened != marked.count("\ue01f"):
        return encode(value)
    return _MARK.sub(lambda m: _MARKS[m.group()], encode(marked))


class Dialect:
    """What differs between BibTeX and BibLaTeX output."""

    def __init__(self, *, biblatex: bool) -> None:
        self.biblatex = biblatex

    def text(self, value: str) -> str:
        return _rich(value, lambda v: to_latex(v, ascii_only=not self.biblatex))

    def entry_type(self, csl_type: str, genre: str = "") -> str:
        found = row(csl_type)
        if not self.biblatex and found.bibtex == "phdthesis" and "master" in genre.lower():
            return "mastersthesis"
        return found.biblatex if self.biblatex else found.bibtex


BIBTEX = Dialect(biblatex=False)
BIBLATEX = Dialect(biblatex=True)


def protect_title(text: str, dialect: Dialect = BIBTEX) -> str:
    """Encode, and brace the words whose capitals must survive a style's change of case."""
    return _rich(text, lambda v: _protect_title(v, dialect))


def _protect_title(text: str, dialect: Dialect = BIBTEX) -> str:
    """In a sentence-case title every capital after the first word's is meaningful (a name, an
    acronym). In a title-case title ("Stem Cells for Systemic Sclerosis") an initial capital
    says nothing, so only inner capitals (``SSc``, ``mRNA``, ``McDonald``) are braced.
    """
    words = _TOKENS.findall(text)
    title_case = is_title_case([w for w in words if not w.isspace()])
    out = []
    first = True
    for token in words:
        if not token.isspace():
            token = _title_word(token, not first and not title_case, dialect.biblatex)
            first = False
        out.append(token)
    return "".join(out)


@lru_cache(maxsize=1 << 15)
def _title_word(token: str, initial_counts: bool, biblatex: bool) -> str:
    """One word of a title, encoded, braced when its capitals must stay (a title's words
    repeat across a bibliography: each is worked out once)."""
    marked = _MARKED_WORD.match(token)
    if marked and (marked.group(1) or marked.group(3)):  # rich-text tags stay outside braces
        inside = _title_word(marked.group(2), initial_counts, biblatex) if marked.group(2) else ""
        return marked.group(1) + inside + marked.group(3)
    letters = [c for c in token if c.isalpha()]
    inner = any(c.isupper() for c in letters[1:])
    initial = bool(letters) and letters[0].isupper() and initial_counts
    encoded = to_latex(token, ascii_only=not biblatex)
    if _MARK.search(token):
        return encoded  # a tag inside the word: braces would cross it
    return f"{{{encoded}}}" if inner or initial else encoded


_MARKED_WORD = re.compile("^([\ue010-\ue01f]*)(.*?)([\ue010-\ue01f]*)$", re.S)


def is_title_case(words: Sequence[str]) -> bool:
    """Most words of four letters or more (after the first) start with a capital."""
    long_words = [w for w in words[1:] if sum(c.isalpha() for c in w) >= 4]
    capitalised = sum(w[0].isupper() for w in long_words)
    return len(long_words) >= 2 and capitalised * 2 > len(long_words)


def bibtex_name(name: Name, dialect: Dialect = BIBTEX) -> str:
    """``von Family, Jr, Given``; organisations braced whole, odd parts braced alone."""
    if name.literal:
        return "{" + dialect.text(name.literal) + "}"

    def part(text: str) -> str:
        encoded = dialect.text(text)
        return "{" + encoded + "}" if _needs_braces(text) else encoded

    family = part(name.family)
    if name.particle:
        family = f"{dialect.text(name.particle)} {family}"
    if not (name.given or name.suffix):
        return family
    middle = [part(name.suffix)] if name.suffix else []
    return ", ".join([family, *middle, part(name.given)])


def _needs_braces(part: str) -> bool:
    """A comma or ``and`` would split the name; a lower-case word would read as a particle."""
    return bool(_SEPARATOR.search(part)) or any(w[:1].islower() for w in part.split())


def bibtex_names(names: Sequence[Name], dialect: Dialect, *, truncated: bool = False) -> str:
    listed = [bibtex_name(n, dialect) for n in names]
    return " and ".join([*listed, "others"] if truncated and listed else listed)


def page_range(page: str) -> str:
    return re.sub(r"\s*[-–—]+\s*", "--", page)


def raw(value: str) -> str:
    """Identifiers and URLs stay raw; braces, which BibTeX would count, and backslashes, which
    would escape the closing brace (``{a\\}`` never ends), are percent-encoded as in a URL."""
    return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def entry_fields(citation: Citation, dialect: Dialect = BIBTEX) -> list[Field]:
    """The fields of one entry, in a fixed order; empty ones left out."""
    pairs = [*_text_pairs(citation, dialect), *_number_pairs(citation, dialect)]
    pairs += _identifier_pairs(citation, dialect)
    fields = [Field(k, v) for k, v in pairs if v]
    issued = citation.issued
    if issued and _plain(issued) and issued.month and not dialect.biblatex:
        month = Field("month", MONTH_MACROS[issued.month - 1], enclosing="no-enclosing")
        fields.insert(next(i for i, f in enumerate(fields) if f.key == "year") + 1, month)
    written = {(f.key, f.value) for f in fields}
    for name, value in citation.extra_fields:
        key = name.removeprefix("tex.")
        if name.startswith("tex.") and (key, value) not in written:
            fields.append(Field(key, value))  # as the library wrote it: already LaTeX
    return fields


def _plain(date: Date) -> bool:
    return not (date.literal or date.end or date.circa) and date.year > 0


def _needs_date(date: Date) -> bool:
    """A range with months or days, or a circa date: more than ``year`` can say."""
    if date.literal or _plain(date):
        return False
    return date.circa or date.month is not None or bool(date.end and date.end.month)


def year_text(date: Date) -> str:
    """A BibTeX ``year``: ``2009``, ``1998--1999``, ``circa 1850``, ``535 BCE``, or the date
    as the source wrote it."""
    if date.literal:
        return date.literal
    year = f"{-date.year} BCE" if date.year < 0 else str(date.year)
    if date.end:
        return f"{year}--{date.end.year}"
    return f"circa {year}" if date.circa else year


def edtf(date: Date) -> str:
    """A BibLaTeX ``date`` (ISO 8601 / EDTF level 1): ``2009-08``, ``1998/1999``, ``1850~``."""
    text = date.iso() + (f"/{date.end.iso()}" if date.end else "")
    return text + ("~" if date.circa else "")


def _text_pairs(citation: Citation, dialect: Dialect) -> Iterator[tuple[str, str]]:
    csl_type = writable(citation.type)
    text = dialect.text
    truncated = ET_AL in citation.warnings
    yield "author", bibtex_names(citation.author, dialect, truncated=truncated)
    yield "editor", bibtex_names(citation.editor, dialect)
    yield "translator", bibtex_names(citation.translator, dialect)
    yield "title", protect_title(citation.title, dialect)
    yield "shorttitle", protect_title(citation.title_short, dialect)
    yield "origtitle", protect_title(citation.original_title, dialect)
    yield "eventtitle", text(citation.event_title)
    yield "venue", text(citation.event_place)
    yield container_key(csl_type, dialect), text(citation.container_title)
    yield "shortjournal", text(citation.container_title_short)
    yield "series", text(citation.collection_title)
    keys = BIBLATEX_PUBLISHER_KEYS if dialect.biblatex else PUBLISHER_KEYS
    yield keys.get(csl_type, "publisher"), text(citation.publisher)
    yield ("location" if dialect.biblatex else "address"), text(citation.publisher_place)
    master = csl_type == "thesis" and citation.genre == "Master's thesis" and not dialect.biblatex
    yield "type", "" if master else text(citation.genre)
    yield "chapter", text(citation.chapter_number)
    yield "version", text(citation.version)


def container_key(csl_type: str, dialect: Dialect) -> str:
    if csl_type in BOOK_PARTS:
        return "booktitle"
    if csl_type.startswith("article-"):
        return "journaltitle" if dialect.biblatex else "journal"
    return "howpublished"


def _number_pairs(citation: Citation, dialect: Dialect) -> Iterator[tuple[str, str]]:
    issued = citation.issued
    if issued is None:
        yield ("pubstate" if dialect.biblatex else "year"), _status(citation.status, dialect)
    elif dialect.biblatex and not issued.literal:
        yield "date", edtf(issued)
    else:
        yield "year", dialect.text(year_text(issued))
        if not dialect.biblatex and _plain(issued) and issued.month and issued.day:
            yield "day", str(issued.day)
        elif not dialect.biblatex and _needs_date(issued):
            yield "date", edtf(issued)  # what `year` cannot say (1850~, 2020-06-22/2020-07-01)
    if issued is not None and citation.status:
        yield "pubstate", _status(citation.status, BIBLATEX)
    yield "volume", dialect.text(citation.volume)
    numbered = writable(citation.type) in NUMBERED
    yield "number", dialect.text(citation.number if numbered else citation.issue)
    yield "pages", raw(page_range(citation.page))
    yield "edition", dialect.text(citation.edition)


def _identifier_pairs(citation: Citation, dialect: Dialect) -> Iterator[tuple[str, str]]:
    yield "doi", raw(citation.doi)
    if dialect.biblatex:
        yield "eprint", raw(citation.pmid)
        yield "eprinttype", "pubmed" if citation.pmid else ""
    else:
        yield "pmid", raw(citation.pmid)
        yield "pmcid", raw(citation.pmcid)
    yield "isbn", raw(citation.isbn)
    yield "issn", raw(citation.issn)
    yield "url", raw(citation.url)
    yield "language", dialect.text(citation.language)
    yield "abstract", dialect.text(citation.abstract)
    yield "keywords", dialect.text(", ".join(citation.tags))
    yield "urldate", citation.accessed.iso() if citation.accessed else ""
    yield "source", dialect.text(citation.source)
    yield ("annotation" if dialect.biblatex else "annote"), dialect.text(citation.annote)
    yield "note", dialect.text(note_text(citation, dialect))


PUBSTATE_KEYS = {"in press": "inpress", "forthcoming": "forthcoming", "submitted": "submitted"}


def _status(status: str, dialect: Dialect) -> str:
    """``in press`` as BibLaTeX's ``pubstate`` key, or as BibTeX's ``year`` text."""
    if dialect.biblatex:
        return PUBSTATE_KEYS.get(status.lower(), dialect.text(status))
    return dialect.text(status)


def note_text(citation: Citation, dialect: Dialect) -> str:
    """The note plus ``Key: value`` lines for what has no field in this dialect."""
    held = {"PMID"} if dialect.biblatex else {"PMID", "PMCID"}
    pairs = [("PMCID", citation.pmcid), *citation.extra_lines]
    pairs += [p for p in citation.extra_fields if not p[0].startswith("tex.")]
    lines = [f"{k}: {v}" for k, v in pairs if v]
    kept = [line for line in lines if line.split(":", 1)[0] not in held]
    return "\n".join(part for part in (citation.note, *kept) if part)


def to_entry(citation: Citation, dialect: Dialect = BIBTEX) -> Entry:
    entry_type = dialect.entry_type(citation.type, citation.genre)
    return Entry(entry_type, citation.id, entry_fields(citation, dialect))


# Every value in braces, but month macros (marked no-enclosing) and bare years.
_UNPARSE = [AddEnclosingMiddleware(False, False, "{")]


def render_entries(entries: Sequence[Block]) -> str:
    return write_string(Library(list(entries)), unparse_stack=_UNPARSE)


def assemble_runs(runs: Iterable[str], stream: IO[str]) -> None:
    """Rendered runs of entries, with the separator bibtexparser writes between two blocks."""
    for index, run in enumerate(runs):
        stream.write(BLOCK_SEPARATOR + run if index else run)


class _Writer(RunExporter):
    """Entries written a run at a time: a large bibliography is never one string."""

    name = ""
    dialect = BIBTEX

    def render(self, citations: Sequence[Citation]) -> str:
        return render_entries([to_entry(c, self.dialect) for c in citations])

    def assemble(self, runs: Iterable[str], stream: IO[str]) -> None:
        assemble_runs(runs, stream)


class BibtexExporter(_Writer):
    """BibTeX with LaTeX-encoded text (``.bib``)."""

    name = "bibtex"


class BiblatexExporter(_Writer):
    """BibLaTeX with UTF-8 text, for biber (``.biblatex``, or ``--format biblatex``)."""

    name = "biblatex"
    dialect = BIBLATEX
