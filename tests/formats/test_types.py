from __future__ import annotations

from refkit.formats.types import FROM_BIBTEX, FROM_RIS, TYPES, from_bibtex, from_ris, row

# Entry types Zotero's BibTeX importer and biber both know; RIS types of the RIS spec.
BIBTEX_TYPES = {"article", "book", "incollection", "inproceedings", "techreport", "phdthesis"}
BIBTEX_TYPES |= {"misc", "patent", "unpublished"}
BIBLATEX_TYPES = {"article", "book", "incollection", "inreference", "inproceedings", "report"}
BIBLATEX_TYPES |= {"thesis", "online", "dataset", "patent", "unpublished", "misc"}


def test_only_known_entry_types_are_written() -> None:
    assert {r.bibtex for r in TYPES.values()} <= BIBTEX_TYPES
    assert {r.biblatex for r in TYPES.values()} <= BIBLATEX_TYPES
    assert {r.ris for r in TYPES.values()} <= set(FROM_RIS)


def test_every_written_type_reads_back_to_a_type_with_the_same_row() -> None:
    for csl_type, found in TYPES.items():
        assert row(from_bibtex(found.bibtex)).bibtex == found.bibtex, csl_type
        assert row(from_bibtex(found.biblatex)).biblatex == found.biblatex, csl_type
        assert row(from_ris(found.ris)).ris == found.ris, csl_type


def test_reading_unknown_types_gives_a_document() -> None:
    assert from_bibtex("Comment") == "document"
    assert from_ris("XYZ") == "document"
    assert from_bibtex("PhDThesis") == "thesis"
    assert all(t in TYPES or t == "software" for t in FROM_BIBTEX.values())
