"""The PubMed enricher: completion by PMID, the judge of the cited work, the order before
Crossref and the merge of both services' values (conflicts reported, sources kept)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_crossref import FakeCrossref
from fake_eutils import FakeEutils, recorded_articles

from refkit.cli import main
from refkit.enrich import enrich
from refkit.enrich.enricher import lookup_for
from refkit.enrich.merge import merge_registered
from refkit.enrich.pubmed_enricher import (
    PubmedEnricher,
    citmatch_line,
    disagrees,
    is_cited_work,
)
from refkit.enrich.pubmed_mapping import articles, citation_from_pubmed
from refkit.model import SOURCE_CROSSREF, SOURCE_PUBMED, Citation, Date, Name, Provenance
from refkit.parse import parse_reference
from refkit.plugins import EnrichOptions

# Real MEDLINE citation 18621939 as NLM prints it (the DOI left out), and cut off.
FULL = (
    "DiMartini A, Dew MA, Fitzgerald MG, Fontes P. Clusters of alcohol use disorders "
    "diagnostic criteria and predictors of alcohol use after liver transplantation for "
    "alcoholic liver disease. Psychosomatics. 2008 Jul-Aug;49(4):332-40."
)
CUT = "DiMartini A, Dew MA, Fitzgerald MG..."
PMID = "18621939"
OTHER = (  # a real citation of another work (PMID 29768149), given the PMID above by mistake
    "O'Byrne PM, FitzGerald JM, Bateman ED, et al. Inhaled Combined Budesonide-Formoterol as "
    "Needed in Mild Asthma. N Engl J Med. 2018 May 17;378(20):1865-1876."
)


@pytest.fixture(scope="module")
def bodies() -> dict[str, bytes]:
    found = recorded_articles()
    if PMID not in found:
        pytest.skip("../shared/ncbi (real PubMed records) is not present")
    return found


@pytest.fixture
def server(bodies: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEutils]:
    with FakeEutils(bodies, rate=3) as fake:
        monkeypatch.setenv("REFKIT_NCBI_URL", fake.url)
        yield fake


def cited(text: str, pmid: str = PMID, position: int = 1) -> Citation:
    place = Provenance("records/NCT09999999.json", "NCT09999999", "references", position)
    return Citation(**{**_fields(parse_reference(text, place)), "pmid": pmid})


def _fields(citation: Citation) -> dict[str, object]:
    return {name: getattr(citation, name) for name in citation.__slots__}


def run(citations: list[Citation], cache: Path) -> tuple[list[Citation], dict[str, int], list[str]]:
    result = PubmedEnricher().enrich(citations, EnrichOptions(cache_dir=str(cache)))
    return result.citations, result.counts, result.warnings


def test_a_cut_off_citation_is_completed(server: FakeEutils, tmp_path: Path) -> None:
    [done], counts, warnings = run([cited(CUT)], tmp_path)
    assert done.title.startswith("Clusters of alcohol use disorders")
    assert (done.container_title, done.volume, done.issue, done.page) == (
        "Psychosomatics",
        "49",
        "4",
        "332-340",
    )
    assert done.issued == Date(2008, 7) and done.doi == "10.1176/appi.psy.49.4.332"
    assert [a.family for a in done.author] == ["DiMartini", "Dew", "Fitzgerald", "Fontes"]
    assert done.source_of("title") == SOURCE_PUBMED
    assert done.raw == CUT and done.pmid == PMID
    assert counts["pubmed_found"] == counts["pubmed_looked_up"] == 1 and warnings == []


def test_a_full_string_agrees_and_keeps_its_abbreviation(
    server: FakeEutils, tmp_path: Path
) -> None:
    [done], counts, _ = run([cited(FULL)], tmp_path)
    assert counts["pubmed_found"] == 1
    assert done.container_title == "Psychosomatics"
    assert done.source_of("page") == "merged"  # 332-40 in the string, 332-40 at PubMed
    assert done.source_of("doi") == SOURCE_PUBMED
    assert not [w for w in done.warnings if "PubMed record" in w]


def test_a_disagreement_between_string_and_pubmed_is_reported(
    server: FakeEutils, tmp_path: Path
) -> None:
    [done], _, _ = run([cited(FULL.replace(";49(4)", ";48(4)"))], tmp_path)
    assert done.volume == "49"
    assert "volume: 48 in the reference, 49 registered (PubMed record PMID 18621939)" in (
        done.warnings
    )


def test_a_pmid_of_another_work_is_not_merged(server: FakeEutils, tmp_path: Path) -> None:
    given = cited(OTHER)
    [done], counts, warnings = run([given], tmp_path)
    assert done.title == given.title and done.volume == "378"  # kept as parsed
    assert done.pmid == PMID  # the record's statement is kept, not dropped
    assert counts["pubmed_not_this_work"] == 1 and counts["pubmed_found"] == 0
    assert "does not look like this reference" in warnings[0]


def test_the_judge_is_asked_only_on_disagreement(bodies: dict[str, bytes]) -> None:
    record = citation_from_pubmed(next(articles(bodies[PMID])))
    assert not disagrees(parse_reference(CUT), record)
    assert not disagrees(parse_reference(FULL), record)
    assert disagrees(parse_reference(OTHER), record)
    assert not is_cited_work(parse_reference(OTHER), record)
    assert is_cited_work(parse_reference(FULL), record)
    assert disagrees(parse_reference("Nobody X, Else Y..."), record)


def test_unknown_pmids_and_every_citation_in_order(server: FakeEutils, tmp_path: Path) -> None:
    given = [cited(CUT, position=1), cited("", "99999999", 2), Citation(title="No PMID")]
    given.append(cited(CUT, position=4))  # the same PMID again: asked once
    done, counts, warnings = run(given, tmp_path)
    assert [c.pmid for c in done] == [PMID, "99999999", "", PMID]
    assert done[1].title == "" and done[1].container_title == "" and done[1].doi == ""
    assert done[2] == given[2]
    assert done[3].title == done[0].title
    assert (counts["pubmed_looked_up"], counts["pubmed_found"], counts["pubmed_not_found"]) == (
        2,
        1,
        1,
    )
    assert counts["pubmed_requests_sent"] == 1 == len(server.seen)
    assert warnings == [
        "records/NCT09999999.json:references 2: PMID 99999999 is not in PubMed (mistyped, or "
        "withdrawn); kept as parsed"
    ]


def test_pubmed_out_of_reach_is_one_warning(tmp_path: Path) -> None:
    given = [cited(CUT), cited("", "12345", 2)]
    done, counts, warnings = run(given, tmp_path)  # conftest: a refused port
    assert done == given
    assert counts["pubmed_offline"] == 2 and counts["pubmed_looked_up"] == 0
    assert len(warnings) == 1 and warnings[0].startswith("PubMed is out of reach")


def pubmed_completed() -> Citation:
    return merge_registered(
        Citation(pmid="1", raw="Bao Y, Prescott J..."),
        Citation(
            title="Leucocyte telomere length",
            author=(Name("Bao", "Y"), Name("Prescott", "Jennifer")),
            container_title="Gut",
            issued=Date(2017, 6),
            volume="66",
            page="1116-1122",
            doi="10.1136/gutjnl-2016-312510",
            issn="0017-5749",
        ).with_sources(SOURCE_PUBMED),
        source=SOURCE_PUBMED,
    )


def test_crossref_adds_what_pubmed_lacks_and_reports_conflicts() -> None:
    crossref = Citation(
        title="Leucocyte telomere length",
        author=(Name("Bao", "Ying", orcid="0000-0002-1825-0097"), Name("Prescott", "Jennifer")),
        container_title="GUT",
        issued=Date(2016, 11, 2),
        volume="67",
        page="1116-1122",
        doi="10.1136/gutjnl-2016-312510",
        issn="1468-3288",
        publisher="BMJ",
    ).with_sources(SOURCE_CROSSREF)
    done = merge_registered(pubmed_completed(), crossref)
    assert done.volume == "66" and done.source_of("volume") == SOURCE_PUBMED
    assert done.issued == Date(2017, 6)
    assert done.publisher == "BMJ" and done.source_of("publisher") == SOURCE_CROSSREF
    assert done.issn == "0017-5749, 1468-3288"
    assert done.author[0] == Name("Bao", "Ying", orcid="0000-0002-1825-0097")
    assert done.container_title == "GUT"  # the same name, as the publisher writes it
    assert done.source_of("title") == "merged"
    conflicts = [w for w in done.warnings if "from Crossref" in w]
    assert conflicts == [
        "issued: 2017 from PubMed, 2016 from Crossref; kept PubMed's (Crossref record "
        "10.1136/gutjnl-2016-312510)",
        "volume: 66 from PubMed, 67 from Crossref; kept PubMed's (Crossref record "
        "10.1136/gutjnl-2016-312510)",
    ]


def test_crossref_does_not_search_for_what_pubmed_completed() -> None:
    completed = pubmed_completed()
    assert lookup_for(completed) is not None and lookup_for(completed).doi  # type: ignore[union-attr]
    without_doi = merge_registered(
        Citation(pmid="2"),
        Citation(title="A title", container_title="J").with_sources(SOURCE_PUBMED),
        source=SOURCE_PUBMED,
    )
    assert lookup_for(without_doi) is None
    assert lookup_for(Citation(title="A title of a parsed reference", raw="x")) is not None


def test_pubmed_runs_before_crossref_which_asks_by_pubmed_s_doi(
    server: FakeEutils, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeCrossref() as crossref:
        monkeypatch.setenv("REFKIT_CROSSREF_URL", crossref.url)
        result = enrich([cited("")], EnrichOptions(cache_dir=str(tmp_path)))
        assert [seen.path for seen in crossref.seen] == ["/works/10.1176%2Fappi.psy.49.4.332"]
    assert result.counts["pubmed_found"] == 1 and result.counts["not_found"] == 1
    assert result.citations[0].title.startswith("Clusters of alcohol")


def test_build_keeps_a_pmid_without_text_and_completes_it(
    server: FakeEutils, tmp_path: Path
) -> None:
    study = {
        "protocolSection": {
            "identificationModule": {"nctId": "NCT09999999", "briefTitle": "A study"},
            "referencesModule": {"references": [{"pmid": PMID, "type": "BACKGROUND"}]},
        }
    }
    (tmp_path / "NCT09999999.json").write_text(json.dumps(study), encoding="utf-8")
    out, report = tmp_path / "out.json", tmp_path / "report.json"
    args = ["build", str(tmp_path / "NCT09999999.json"), "-o", str(out), "--report", str(report)]
    result = CliRunner().invoke(main, [*args, "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    assert "PubMed: 1 PMIDs looked up: 1 found" in result.output
    assert "1 references with a PMID and no usable text kept by their PMID" in result.output
    [item] = [i for i in json.loads(out.read_text()) if i["type"] != "report"]
    assert item["PMID"] == PMID and item["container-title"] == "Psychosomatics"
    counts = json.loads(report.read_text())
    assert counts["references_pmid_only"] == 1 and counts["references_rejected"] == 0
    assert counts["balanced"]


def test_a_reference_without_identifiers_is_found_by_the_citation_matcher(
    server: FakeEutils, tmp_path: Path
) -> None:
    given = [cited(FULL, pmid=""), cited(FULL.replace("Clusters of alcohol", "Heaps of"), "", 2)]
    given.append(
        cited(
            OTHER.replace("N Engl J Med", "Psychosomatics")
            .replace("2018", "2008")
            .replace("378(20):1865-1876", "49(4):332-340"),
            "",
            3,
        )
    )
    done, counts, _ = run(given, tmp_path)
    assert citmatch_line(given[0]) == "Psychosomatics|2008|49|332|DiMartini A|"
    assert done[0].pmid == PMID and done[0].doi == "10.1176/appi.psy.49.4.332"
    assert done[0].source_of("pmid") == SOURCE_PUBMED
    assert done[1].pmid == PMID  # a title slip is still the same work
    assert done[2] == given[2]  # the matcher's record is another work: refused
    assert (counts["pubmed_citmatch_asked"], counts["pubmed_citmatch_matched"]) == (3, 2)
    assert counts["pubmed_citmatch_rejected"] == 1
    assert [s.path.rsplit("/", 1)[1] for s in server.seen] == ["ecitmatch.cgi", "efetch.fcgi"]


def test_only_nlm_style_references_go_to_the_citation_matcher() -> None:
    assert citmatch_line(parse_reference(CUT)) == ""
    assert citmatch_line(cited(FULL)) == ""  # it has a PMID
    assert citmatch_line(parse_reference(FULL + " doi: 10.1176/appi.psy.49.4.332")) == ""
    assert citmatch_line(
        Citation(
            title="A",
            container_title="J|X",
            volume="1",
            page="2-3",
            issued=Date(2000),
            author=(Name("van", "B"),),
        )
    ) == ("J X|2000|1|2|van B|")
