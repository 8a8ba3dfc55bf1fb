"""PubMed's ``PubmedArticle`` (or a bare ``MedlineCitation``) → refkit's ``Citation``: pure.

``articles`` reads an efetch answer (``<PubmedArticleSet>``) with defusedxml;
``citation_from_pubmed`` maps one article and never raises: a missing or odd element leaves
its field empty. What it reads, by CSL field:

- title: ``ArticleTitle`` without its closing period and without inline markup (``<i>``,
  ``<sup>``, MathML); a translated title comes in brackets, which are removed, and its original
  (``VernacularTitle``) is kept as an ``Original title`` line;
- container-title / -short: ``Journal/Title`` and ``Journal/ISOAbbreviation`` (or ``MedlineTA``);
- issued: ``PubDate`` (``Year``/``Month``/``Day``/``Season``) or its free-text ``MedlineDate``
  (``1998 Dec-1999 Jan`` → 1998-12, ``2000 Spring`` → 2000, spring); else ``ArticleDate``;
- page: ``MedlinePgn`` with NLM's abbreviated ranges written out (``1421-32`` → ``1421-1432``),
  else ``StartPage``-``EndPage``, else the ``ELocationID`` that stands for pages (``e1234``);
- author: ``LastName``/``ForeName`` (or ``Initials``)/``Suffix``; a group's ``CollectiveName``;
- DOI from ``ELocationID`` or ``ArticleIdList``; PMCID from ``ArticleIdList``; ISSN, language;
- notices: ``RetractionIn`` and the type ``Retracted Publication`` give ``Retracted`` lines,
  ``ErratumIn``/``ExpressionOfConcernIn``/``UpdateIn`` give ``Updated by`` lines, and a notice
  itself (``RetractionOf``, ``ErratumFor``, type ``Published Erratum``) ``Updates`` lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as ElementTree

from refkit.identifiers import normalize_doi
from refkit.model import SOURCE_PUBMED, Citation, Date, Name
from refkit.text import MONTHS, SEASONS, expand_pages

# PubMed's ISO 639-2 codes → the two-letter tags CSL styles expect; others stay as PubMed has them.
LANGUAGES = {
    "eng": "en",
    "fre": "fr",
    "ger": "de",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "dut": "nl",
    "rus": "ru",
    "jpn": "ja",
    "chi": "zh",
    "pol": "pl",
    "swe": "sv",
    "dan": "da",
    "nor": "no",
    "fin": "fi",
    "cze": "cs",
    "hun": "hu",
    "tur": "tr",
    "kor": "ko",
    "gre": "el",
    "heb": "he",
    "ara": "ar",
    "per": "fa",
}
# CommentsCorrections kinds, as the note line each becomes.
NOTICES = {
    "RetractionIn": "Retracted",
    "ErratumIn": "Updated by",
    "ExpressionOfConcernIn": "Updated by",
    "UpdateIn": "Updated by",
    "RepublishedIn": "Updated by",
    "RetractionOf": "Updates",
    "ErratumFor": "Updates",
    "ExpressionOfConcernFor": "Updates",
}
_LABELS = {
    "RetractionIn": "Retraction",
    "ErratumIn": "Erratum",
    "ExpressionOfConcernIn": "Expression of concern",
    "UpdateIn": "Update",
    "RepublishedIn": "Republished",
    "RetractionOf": "Retraction of",
    "ErratumFor": "Erratum for",
    "ExpressionOfConcernFor": "Expression of concern for",
}
_BRACKETED = re.compile(r"^\[(?P<title>.+)\]\s*\.?$", re.S)
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_WORD = re.compile(r"[A-Za-z]+")


def articles(body: bytes | str) -> Iterator[Element]:
    """Each ``PubmedArticle`` (or bare ``MedlineCitation``) of an efetch or MEDLINE answer.

    Raises ``ElementTree.ParseError`` (and defusedxml's errors) for a body that is not XML."""
    root = ElementTree.fromstring(body)
    if root.tag in ("PubmedArticle", "MedlineCitation"):
        yield root
        return
    found = False
    for article in root:
        if article.tag in ("PubmedArticle", "PubmedBookArticle"):
            found = True
            yield article
    if not found:
        yield from root.iter("MedlineCitation")


def error_in(body: bytes | str) -> str:
    """The text of an ``<ERROR>`` element in an E-utilities answer ("" when there is none)."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return ""
    errors = [" ".join(_text(e).split()) for e in root.iter("ERROR")]
    return "; ".join(e for e in errors if e) or (
        "ERROR" if root.find(".//ERROR") is not None else ""
    )


def pmid_of(article: Element) -> str:
    citation = _medline(article)
    if citation is None:
        citation = article.find("BookDocument")
    return _text(citation.find("PMID")).strip() if citation is not None else ""


def citation_from_pubmed(article: Element) -> Citation:
    """The citation a ``PubmedArticle`` (or ``MedlineCitation``) describes; every filled field
    marked with the source ``pubmed``."""
    if article.tag == "PubmedBookArticle":
        return _book(article).with_sources(SOURCE_PUBMED)
    medline = _medline(article)
    if medline is None:
        return Citation().with_sources(SOURCE_PUBMED)
    item = medline.find("Article")
    if item is None:
        return Citation(pmid=pmid_of(article)).with_sources(SOURCE_PUBMED)
    journal = item.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    title, original = _title(item)
    citation = Citation(
        type="article-journal",
        title=title,
        author=_authors(item),
        container_title=_clean(_text(journal.find("Title"))) if journal is not None else "",
        container_title_short=_short_journal(medline, journal),
        issued=_issued(item, issue),
        volume=_clean(_text(issue.find("Volume"))) if issue is not None else "",
        issue=_clean(_text(issue.find("Issue"))) if issue is not None else "",
        page=_page(item),
        doi=_doi(article, item),
        pmid=pmid_of(article),
        pmcid=_article_id(article, "pmc"),
        issn=_issn(journal),
        language=_language(item),
        extra=_extra(medline, item, original),
    )
    return citation.with_sources(SOURCE_PUBMED)


def _book(article: Element) -> Citation:
    """A ``PubmedBookArticle`` (NCBI Bookshelf: GeneReviews, StatPearls, reports): a chapter
    when it has its own title, else the book."""
    document = article.find("BookDocument")
    if document is None:
        return Citation(type="book")
    book = document.find("Book")
    book_title = _without_stop(_clean(_text(book.find("BookTitle")))) if book is not None else ""
    chapter = _without_stop(_clean(_text(document.find("ArticleTitle"))))
    date = book.find("PubDate") if book is not None else None
    editors = book.find("AuthorList[@Type='editors']") if book is not None else None
    authors = document.find("AuthorList[@Type='authors']")
    if authors is None:
        authors = document.find("AuthorList")
    return Citation(
        type="chapter" if chapter else "book",
        title=chapter or book_title,
        container_title=book_title if chapter else "",
        author=_names(authors),
        editor=_names(editors),
        issued=_pub_date(date) if date is not None else None,
        publisher=_clean(_text(book.find("Publisher/PublisherName"))) if book is not None else "",
        publisher_place=(
            _clean(_text(book.find("Publisher/PublisherLocation"))) if book is not None else ""
        ),
        pmid=pmid_of(article),
        language=_language(document),
    )


def _names(author_list: Element | None) -> tuple[Name, ...]:
    if author_list is None:
        return ()
    found = (_author(a) for a in author_list.findall("Author") if a.get("ValidYN", "Y") != "N")
    return tuple(name for name in found if name is not None)


def retraction_of(citation: Citation) -> str:
    """What says ``citation`` was retracted ("" when nothing does)."""
    return "; ".join(value for key, value in citation.extra if key == "Retracted")


def _medline(article: Element) -> Element | None:
    return article if article.tag == "MedlineCitation" else article.find("MedlineCitation")


def _text(element: Element | None) -> str:
    """All the text of ``element``, inline markup dropped."""
    return "".join(element.itertext()) if element is not None else ""


def _clean(text: str) -> str:
    return " ".join(text.split())


def _title(item: Element) -> tuple[str, str]:
    """The title without its closing period or brackets, and the original of a translation."""
    title = _clean(_text(item.find("ArticleTitle")))
    original = _clean(_text(item.find("VernacularTitle")))
    bracketed = _BRACKETED.match(title)
    if bracketed:
        title = bracketed.group("title").strip()
    if not title and item.find("BookTitle") is not None:
        title = _clean(_text(item.find("BookTitle")))
    return _without_stop(title), _without_stop(original)


def _without_stop(title: str) -> str:
    """NLM closes every title with a period; a title's own ``?``, ``!`` or ``...`` stays."""
    if title.endswith(".") and not title.endswith(".."):
        return title[:-1].rstrip()
    return title


def _short_journal(medline: Element, journal: Element | None) -> str:
    iso = _clean(_text(journal.find("ISOAbbreviation"))) if journal is not None else ""
    return iso or _clean(_text(medline.find("MedlineJournalInfo/MedlineTA")))


def _authors(item: Element) -> tuple[Name, ...]:
    # ValidYN="N": a name PubMed corrected; the valid form follows it.
    return _names(item.find("AuthorList"))


def _author(author: Element) -> Name | None:
    collective = _clean(_text(author.find("CollectiveName")))
    family = _clean(_text(author.find("LastName")))
    if not family:
        return Name(literal=_without_stop(collective)) if collective else None
    given = _clean(_text(author.find("ForeName"))) or _clean(_text(author.find("Initials")))
    return Name(family=family, given=given, suffix=_clean(_text(author.find("Suffix"))))


def _issued(item: Element, issue: Element | None) -> Date | None:
    date = issue.find("PubDate") if issue is not None else None
    found = _pub_date(date) if date is not None else None
    if found is None:
        for electronic in item.findall("ArticleDate"):
            found = _pub_date(electronic)
            if found is not None:
                break
    return found


def _pub_date(date: Element) -> Date | None:
    medline_date = _clean(_text(date.find("MedlineDate")))
    if medline_date:
        return medline_date_of(medline_date)
    year = _number(_text(date.find("Year")))
    if year is None or not 1000 <= year <= 2999:
        return None
    season = SEASONS.get(_clean(_text(date.find("Season"))).lower())
    month = _month(_text(date.find("Month")))
    if month is None:
        return Date(year, season=season)
    day = _number(_text(date.find("Day")))
    return Date(year, month, day if day is not None and 1 <= day <= 31 else None)


def medline_date_of(text: str) -> Date | None:
    """NLM's free-text date: ``1998 Dec-1999 Jan`` → 1998-12; ``2000 Spring`` → 2000, spring;
    ``2015 Oct-Dec`` → 2015-10; ``1975-1976`` → 1975. The first date it names."""
    year = _YEAR.search(text)
    if year is None:
        return None
    rest = text[year.end() :]
    words = _WORD.findall(rest.split("-", 1)[0])
    first = words[0].lower() if words else ""
    if first in SEASONS:
        return Date(int(year.group(1)), season=SEASONS[first])
    month = MONTHS.get(first[:3]) if first else None
    if month is None:
        return Date(int(year.group(1)))
    day = re.match(r"\s*[A-Za-z]+\.?\s+(\d{1,2})\b", rest)
    number = int(day.group(1)) if day else 0
    return Date(int(year.group(1)), month, number if 1 <= number <= 31 else None)


def _month(text: str) -> int | None:
    value = text.strip()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return MONTHS.get(value[:3].lower())


def _number(text: str) -> int | None:
    value = text.strip()
    return int(value) if value.isdigit() else None


def _page(item: Element) -> str:
    medline = _clean(_text(item.find("Pagination/MedlinePgn")))
    if medline:
        return ", ".join(expand_pages(part) for part in medline.split(","))
    start = _clean(_text(item.find("Pagination/StartPage")))
    end = _clean(_text(item.find("Pagination/EndPage")))
    if start:
        return f"{start}-{end}" if end and end != start else start
    for location in item.findall("ELocationID"):
        if location.get("EIdType") == "pii" and location.get("ValidYN", "Y") == "Y":
            value = _clean(_text(location))
            if re.fullmatch(r"e\d+", value):  # an article number printed as the page
                return value
    return ""


def _doi(article: Element, item: Element) -> str:
    for location in item.findall("ELocationID"):
        if location.get("EIdType") == "doi" and location.get("ValidYN", "Y") == "Y":
            doi = normalize_doi(_text(location))
            if doi:
                return doi
    return normalize_doi(_article_id(article, "doi"))


def _article_id(article: Element, kind: str) -> str:
    for found in article.findall("PubmedData/ArticleIdList/ArticleId"):
        if found.get("IdType") == kind:
            return _clean(_text(found))
    return ""


def _issn(journal: Element | None) -> str:
    if journal is None:
        return ""
    found = journal.findall("ISSN")
    found.sort(key=lambda issn: 0 if issn.get("IssnType") == "Print" else 1)
    return ", ".join(dict.fromkeys(_clean(_text(issn)) for issn in found if _text(issn).strip()))


def _language(item: Element) -> str:
    code = _clean(_text(item.find("Language"))).lower()
    return LANGUAGES.get(code, code)


def _extra(medline: Element, item: Element, original: str) -> tuple[tuple[str, str], ...]:
    lines: list[tuple[str, str]] = []
    if original:
        lines.append(("Original title", original))
    for link in medline.findall("CommentsCorrectionsList/CommentsCorrections"):
        kind = link.get("RefType", "")
        if kind in NOTICES:
            lines.append((NOTICES[kind], _describe(kind, link)))
    types = {_clean(_text(t)) for t in item.findall("PublicationTypeList/PublicationType")}
    if "Retracted Publication" in types and not any(k == "Retracted" for k, _ in lines):
        lines.append(("Retracted", "PubMed lists it as a Retracted Publication"))
    notice = types & {"Retraction of Publication", "Published Erratum"}
    if notice and not any(k == "Updates" for k, _ in lines):
        lines.append(("Updates", f"PubMed lists it as a {sorted(notice)[0]}"))
    return tuple(dict.fromkeys(lines))


def _describe(kind: str, link: Element) -> str:
    """``PMID 26705261 (Erratum: Syst Synth Biol. 2015 Dec;9(Suppl 1):55)``."""
    source = _clean(_text(link.find("RefSource")))
    pmid = _clean(_text(link.find("PMID")))
    details = ": ".join(part for part in (_LABELS[kind], source) if part)
    return f"PMID {pmid} ({details})" if pmid else details
