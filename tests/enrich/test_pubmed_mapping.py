"""PubmedArticle → Citation, field by field, on the real PubMed records of the cassettes.

The bodies are read from ``cassettes/test_pubmed_cassettes`` (sources in its README), so these
pure tests need no server and no ``../shared``. Only the retraction case is built here by hand:
no real record in ``../shared/ncbi`` is retracted (see ``RETRACTED``).
"""

from __future__ import annotations

from functools import cache
from xml.etree.ElementTree import Element

import pytest
import yaml
from helpers import ROOT

from refkit.enrich.pubmed_mapping import (
    articles,
    citation_from_pubmed,
    error_in,
    medline_date_of,
    retraction_of,
)
from refkit.model import SOURCE_PUBMED, Citation, Date, Name

CASSETTES = ROOT / "cassettes" / "test_pubmed_cassettes"


@cache
def recorded() -> dict[str, Element]:
    found = {}
    for path in sorted(CASSETTES.glob("*.yaml")):
        cassette = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in cassette["interactions"]:
            for article in articles(item["response"]["body"]["string"].encode("utf-8")):
                found[article.findtext("MedlineCitation/PMID", "")] = article
    return found


def mapped(pmid: str) -> Citation:
    return citation_from_pubmed(recorded()[pmid])


def test_a_journal_article_field_by_field() -> None:
    c = mapped("29768149")
    assert c.type == "article-journal"
    assert c.pmid == "29768149"
    assert c.title == "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma"
    assert c.container_title == "The New England journal of medicine"
    assert c.container_title_short == "N Engl J Med"
    assert c.issued == Date(2018, 5, 17)
    assert (c.volume, c.issue, c.page) == ("378", "20", "1865-1876")
    assert c.doi == "10.1056/nejmoa1715274"  # ArticleIdList: 10.1056/NEJMoa1715274
    assert c.issn == "1533-4406"
    assert c.language == "en"
    assert c.author[0] == Name(family="O'Byrne", given="Paul M")
    assert c.author[1] == Name(family="FitzGerald", given="J Mark")
    assert len(c.author) == 10
    assert dict(c.sources)["title"] == SOURCE_PUBMED


def test_nlm_page_ranges_are_written_out() -> None:
    assert mapped("18621939").page == "332-340"  # MedlinePgn 332-40
    assert mapped("12091962").page == "113-125"  # 113-25
    assert mapped("11748933").page == "244-255"
    assert mapped("26702442").page == "e1500936"
    assert mapped("30108519").page == "1034"
    assert mapped("29963580").page == "026002"


@pytest.mark.parametrize(
    ("pmid", "date"),
    [
        ("18621939", Date(2008, 7)),  # MedlineDate 2008 Jul-Aug
        ("12091962", Date(1990, season=1)),  # Year 1990, Season Spring
        ("9997", Date(1976, 9, 28)),
        ("26407464", Date(2015)),
        ("26702442", Date(2015, 11)),
    ],
)
def test_dates(pmid: str, date: Date) -> None:
    assert mapped(pmid).issued == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("1998 Dec-1999 Jan", Date(1998, 12)),
        ("2000 Spring", Date(2000, season=1)),
        ("2015 Oct-Dec", Date(2015, 10)),
        ("2016 Jan-Feb", Date(2016, 1)),
        ("1975-1976", Date(1975)),
        ("2001 Dec 15-21", Date(2001, 12, 15)),
        ("Winter 2003", Date(2003)),
        ("no date", None),
    ],
)
def test_medline_dates(text: str, date: Date | None) -> None:
    assert medline_date_of(text) == date


def test_a_collective_author_is_an_organisation() -> None:
    authors = mapped("25864598").author
    assert authors[-1] == Name(
        literal="Translational Methamphetamine AIDS Research Center (TMARC) Group"
    )
    assert all(a.family for a in authors[:-1])
    assert Name(literal="Gruppo Tecnico PASSI") in mapped("26668920").author


def test_a_suffix_is_kept() -> None:
    assert Name(family="Bunn", given="Paul A", suffix="Jr") in mapped("22508830").author


def test_a_translated_title_loses_its_brackets_and_keeps_its_original() -> None:
    c = mapped("26407464")  # ArticleTitle [Screening mammography: ...]. VernacularTitle ...
    assert c.title == "Screening mammography: a clear statement by the IARC Handbook"
    assert ("Original title", "Screening mammografico: un punto fermo dallo IARC Handbook") in (
        c.extra
    )
    assert c.language == "it"
    assert "Original title: Screening mammografico" in c.note_with_extra()


def test_inline_markup_is_removed_from_titles() -> None:
    title = mapped("30108519").title  # A &quot;<i>Blood Relationship&quot;</i> Between ...
    assert title.startswith('A "Blood Relationship" Between the Overlooked')
    assert title.endswith("Back to the Old Days?")
    assert "<" not in title


def test_the_doi_and_the_pmcid_come_from_the_article_ids() -> None:
    c = mapped("30108519")
    assert (c.doi, c.pmcid) == ("10.3389/fphys.2018.01034", "PMC6079548")
    assert mapped("12091962").doi == ""  # none given: none invented


def test_an_erratum_link_is_an_update_note() -> None:
    c = mapped("26702309")
    assert c.extra == (
        ("Updated by", "PMID 26705261 (Erratum: Syst Synth Biol. 2015 Dec;9(Suppl 1):55)"),
    )
    assert "Updated by: PMID 26705261" in c.note_with_extra()
    assert retraction_of(c) == ""
    assert c.issue == "Suppl 1"


def test_comments_are_no_notices() -> None:
    assert mapped("29768149").extra == ()  # two CommentIn links


# No real record in ../shared/ncbi is retracted: this one is built by hand, in the shape of
# E-UTILITIES.md's table (CommentsCorrections RefType="RetractionIn", PublicationType).
RETRACTED = b"""<PubmedArticleSet><PubmedArticle><MedlineCitation>
<PMID Version="1">1</PMID>
<Article><Journal><JournalIssue><Volume>1</Volume><PubDate><Year>2000</Year></PubDate>
</JournalIssue><Title>A journal</Title></Journal><ArticleTitle>A title.</ArticleTitle>
<PublicationTypeList><PublicationType>Journal Article</PublicationType>
<PublicationType>Retracted Publication</PublicationType></PublicationTypeList></Article>
<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn">
<RefSource>A journal. 2001;2:3</RefSource><PMID Version="1">2</PMID></CommentsCorrections>
</CommentsCorrectionsList></MedlineCitation></PubmedArticle></PubmedArticleSet>"""


def test_a_retraction_flags_the_citation() -> None:
    c = citation_from_pubmed(next(articles(RETRACTED)))
    assert c.title == "A title"
    assert retraction_of(c) == "PMID 2 (Retraction: A journal. 2001;2:3)"
    assert "Retracted: PMID 2 (Retraction: A journal. 2001;2:3)" in c.note_with_extra()


def test_a_publication_type_alone_flags_a_retraction() -> None:
    body = RETRACTED.replace(b"RetractionIn", b"CommentIn")
    assert retraction_of(citation_from_pubmed(next(articles(body)))) == (
        "PubMed lists it as a Retracted Publication"
    )


def test_every_recorded_article_maps_without_loss() -> None:
    for pmid, article in recorded().items():
        c = citation_from_pubmed(article)
        assert c.pmid == pmid
        assert c.title and not c.title.endswith(".") and c.container_title and c.issued
        assert c.author


def test_error_bodies_are_read() -> None:
    assert error_in(b"<eFetchResult><ERROR>Empty id list</ERROR></eFetchResult>") == (
        "Empty id list"
    )
    assert error_in(b"<PubmedArticleSet></PubmedArticleSet>") == ""
    assert error_in(b"not xml") == ""


# No real NCBI Bookshelf record is in ../shared/ncbi: this one is built by hand in the shape of
# the PubMed DTD's PubmedBookArticle (BookDocument, Book, AuthorList Type=authors/editors).
BOOK = b"""<PubmedArticleSet><PubmedBookArticle><BookDocument>
<PMID Version="1">20301295</PMID>
<Book><Publisher><PublisherName>University of Washington, Seattle</PublisherName>
<PublisherLocation>Seattle (WA)</PublisherLocation></Publisher>
<BookTitle book="gene">GeneReviews<sup>&#174;</sup></BookTitle>
<PubDate><Year>1993</Year></PubDate>
<AuthorList Type="editors"><Author><LastName>Adam</LastName><ForeName>Margaret P</ForeName>
</Author></AuthorList></Book>
<ArticleTitle book="gene" part="a-thal">Alpha-Thalassemia</ArticleTitle>
<Language>eng</Language>
<AuthorList Type="authors"><Author><LastName>Tamary</LastName><ForeName>Hannah</ForeName>
</Author></AuthorList>
</BookDocument></PubmedBookArticle></PubmedArticleSet>"""


def test_a_bookshelf_chapter_is_a_chapter() -> None:
    [article] = list(articles(BOOK))
    c = citation_from_pubmed(article)
    assert (c.type, c.pmid, c.title, c.container_title) == (
        "chapter",
        "20301295",
        "Alpha-Thalassemia",
        "GeneReviews®",
    )
    assert c.author == (Name("Tamary", "Hannah"),) and c.editor == (Name("Adam", "Margaret P"),)
    assert (c.publisher, c.publisher_place, c.issued) == (
        "University of Washington, Seattle",
        "Seattle (WA)",
        Date(1993),
    )
    assert c.language == "en"
