from __future__ import annotations

import io

from bibtexparser.entrypoint import parse_string
from hypothesis import given, settings
from roundtrip import HOSTILE, citations

from refkit.exporters.bibtex import (
    BiblatexExporter,
    BibtexExporter,
    bibtex_name,
    protect_title,
)
from refkit.model import ET_AL, Citation, Date, Name

SUN = Citation(
    type="article-journal",
    id="sun2009mesenchymal",
    title="Mesenchymal stem cell transplantation in SLE mice and humans",
    author=(Name(family="Sun", given="L"), Name(family="Müller", given="J")),
    container_title="Stem Cells",
    issued=Date(2009, 6, 20),
    volume="27",
    issue="6",
    page="1421–1432",
    doi="10.1002/stem.68",
    pmid="19544473",
    pmcid="PMC3456789",
    url="https://example.org/a_b?x=50%25#top",
    note="Epub 2009 Apr 2",
    extra=(("arXiv", "2101.00001"),),
)
TRIAL = Citation(
    type="report",
    id="nct00962923",
    title="Allogeneic Mesenchymal Stem Cells for Systemic Sclerosis (SSc)",
    author=(Name(literal="The Affiliated Nanjing Drum Tower Hospital"),),
    publisher="ClinicalTrials.gov",
    genre="Clinical trial registration",
    number="NCT00962923",
    issued=Date(2009, 8, 20),
    url="https://clinicaltrials.gov/study/NCT00962923",
)


def bibtex(items: list[Citation], exporter: object = None) -> str:
    stream = io.StringIO()
    (exporter or BibtexExporter()).write(items, stream)  # type: ignore[attr-defined]
    return stream.getvalue()


def fields(text: str) -> dict[str, dict[str, str]]:
    library = parse_string(text)
    assert not library.failed_blocks
    return {e.key: {f.key: str(f.value) for f in e.fields} for e in library.entries}


def test_bibtex_follows_the_import_rules() -> None:
    text = bibtex([SUN])
    sun = fields(text)["sun2009mesenchymal"]
    assert "month = jun," in text  # a macro, not {June}
    assert sun["pages"] == "1421--1432"
    assert sun["url"] == "https://example.org/a_b?x=50%25#top"  # raw
    assert sun["doi"] == "10.1002/stem.68"
    assert (sun["pmid"], sun["pmcid"]) == ("19544473", "PMC3456789")
    assert sun["note"] == "Epub 2009 Apr 2\narXiv: 2101.00001"  # never PMID in note
    assert sun["author"] == 'Sun, L and M{\\"u}ller, J'
    assert sun["title"] == "Mesenchymal stem cell transplantation in {SLE} mice and humans"
    assert "others" not in sun["author"]


def test_biblatex_follows_the_import_rules() -> None:
    sun = fields(bibtex([SUN], BiblatexExporter()))["sun2009mesenchymal"]
    assert sun["journaltitle"] == "Stem Cells"
    assert sun["date"] == "2009-06-20"
    assert (sun["eprint"], sun["eprinttype"]) == ("19544473", "pubmed")
    assert sun["author"] == "Sun, L and Müller, J"  # UTF-8
    assert sun["note"] == "Epub 2009 Apr 2\nPMCID: PMC3456789\narXiv: 2101.00001"
    assert "pmid" not in sun and "year" not in sun and "month" not in sun


def test_a_trial_is_a_techreport_with_its_nct_number() -> None:
    text = bibtex([TRIAL])
    assert text.startswith("@techreport{nct00962923,")
    trial = fields(text)["nct00962923"]
    assert trial["institution"] == "ClinicalTrials.gov"
    assert trial["number"] == "NCT00962923"
    assert trial["type"] == "Clinical trial registration"
    assert trial["author"] == "{The Affiliated Nanjing Drum Tower Hospital}"
    assert trial["title"] == "Allogeneic Mesenchymal Stem Cells for Systemic Sclerosis {(SSc)}"
    assert bibtex([TRIAL], BiblatexExporter()).startswith("@report{nct00962923,")


def test_and_others_only_after_et_al() -> None:
    cut = Citation(id="a", author=(Name(family="Sun", given="L"),), warnings=(ET_AL,))
    assert fields(bibtex([cut]))["a"]["author"] == "Sun, L and others"


def test_names_with_particles_commas_and_lower_case() -> None:
    assert bibtex_name(Name(family="Berg", given="Jan", particle="van der")) == "van der Berg, Jan"
    assert bibtex_name(Name(family="Smith", given="J", suffix="Jr")) == "Smith, Jr, J"
    assert bibtex_name(Name(family="de la Cruz", given="Maria")) == "{de la Cruz}, Maria"
    assert bibtex_name(Name(literal="Brown and Co, Ltd")) == "{Brown and Co, Ltd}"


def test_title_case_and_sentence_case() -> None:
    assert protect_title("{mRNA} in Chinese patients") == (
        "{{\\textbraceleft}mRNA{\\textbraceright}} in {Chinese} patients"
    )
    assert protect_title("Stem Cells Against Systemic Sclerosis") == (
        "Stem Cells Against Systemic Sclerosis"
    )


def test_hostile_titles_stay_text() -> None:
    items = [Citation(id=f"k{i}", title=t, note=t) for i, t in enumerate(HOSTILE)]
    for exporter in (BibtexExporter(), BiblatexExporter()):
        text = bibtex(items, exporter)
        assert "\\input" not in text and "\\write18" not in text
        assert len(fields(text)) == len(items)


@settings(max_examples=80, deadline=None)
@given(citations)
def test_bibtexparser_always_reads_what_is_written(citation: Citation) -> None:
    for exporter in (BibtexExporter(), BiblatexExporter()):
        library = parse_string(bibtex([citation, citation.__class__(id="next")], exporter))
        assert not library.failed_blocks
        assert [e.key for e in library.entries] == [citation.id, "next"]
