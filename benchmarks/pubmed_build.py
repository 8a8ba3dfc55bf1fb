"""`refkit build` of trial records that cite PubMed's records by PMID, against a stand-in NCBI.

The 318 real MEDLINE citations of ``../shared/ncbi/medline`` are cited by made-up trial records
(ClinicalTrials.gov API v2 JSON), in turn in the three ways registries cite them: by PMID alone
(no citation text), by a citation cut off after three names (``Smith AB, Berg C, Jones D...``),
and by a full NLM string without its DOI. Five more references carry PMIDs that PubMed does not
know. A stand-in E-utilities server (tests/fake_eutils.py) serves the citations and answers 429
beyond 3 requests/s, NCBI's limit without an API key; Crossref is out of reach.

Measured: fields right (title, journal, year, volume, issue, first page, DOI, author family
names) against the records' own XML, read here without refkit; unknown PMIDs kept with nothing
more than an offline build gives; requests per 100 PMIDs; 429s; requests of a second run (same
cache); and, offline, references with a PMID written.

Usage: python benchmarks/pubmed_build.py [--show N] [--citmatch] [--pacing]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from fake_eutils import NCBI, FakeEutils, medline_articles  # noqa: E402

from refkit.commands import build  # noqa: E402
from refkit.enrich.pubmed import Client, Settings  # noqa: E402
from refkit.enrich.pubmed_enricher import PubmedEnricher  # noqa: E402
from refkit.parse import parse_reference  # noqa: E402
from refkit.plugins import EnrichOptions  # noqa: E402

MODES = ("pmid alone", "cut off", "full string")
FIELDS = ("title", "journal", "year", "volume", "issue", "first page", "DOI", "authors")
UNKNOWN = ("99999901", "99999902", "99999903", "99999904", "99999905")
PER_RECORD = 16  # references per trial record
RATE = 3  # NCBI's limit without an API key


def text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def expected(citation: Element) -> dict[str, Any]:
    """The fields a citation's XML gives, read without refkit."""
    article = citation.find("Article")
    assert article is not None
    title = text(article.find("ArticleTitle"))
    if title.startswith("[") and title.rstrip(".").endswith("]"):
        title = title.rstrip(".")[1:-1]
    date = article.find("Journal/JournalIssue/PubDate")
    year_text = text(date.find("Year")) if date is not None else ""
    if not year_text and date is not None:
        year_text = text(date.find("MedlineDate"))[:4]
    doi = [
        text(e)
        for e in article.findall("ELocationID")
        if e.get("EIdType") == "doi" and e.get("ValidYN", "Y") == "Y"
    ]
    authors = [
        text(a.find("LastName")) or text(a.find("CollectiveName"))
        for a in article.findall("AuthorList/Author")
        if a.get("ValidYN", "Y") == "Y"
    ]
    return {
        "title": title.rstrip(".") if not title.endswith("..") else title,
        "journal": text(article.find("Journal/Title")),
        "year": int(year_text) if year_text.isdigit() else None,
        "volume": text(article.find("Journal/JournalIssue/Volume")),
        "issue": text(article.find("Journal/JournalIssue/Issue")),
        "first page": re.split(r"[-,]", text(article.find("Pagination/MedlinePgn")))[0],
        "DOI": doi[0].lower() if doi else "",
        "authors": [a.rstrip(".") for a in authors if a],
    }


def nlm_names(citation: Element) -> list[str]:
    names = []
    for author in citation.findall("Article/AuthorList/Author"):
        family = text(author.find("LastName"))
        if family:
            names.append(f"{family} {text(author.find('Initials'))}".strip())
        elif text(author.find("CollectiveName")):
            names.append(text(author.find("CollectiveName")).rstrip("."))
    return names


def cut_off(citation: Element) -> str:
    """``Smith AB, Berg C, Jones D...``: a registry's citation cut after three names."""
    names = nlm_names(citation)
    if names:
        return ", ".join(names[:3]) + "..."
    return text(citation.find("Article/ArticleTitle"))[:40] + "..."


def full_string(citation: Element) -> str:
    """The NLM citation PubMed prints, without the DOI."""
    names = nlm_names(citation)
    authors = ", ".join(names[:6]) + (", et al" if len(names) > 6 else "")
    article = citation.find("Article")
    assert article is not None
    issue = article.find("Journal/JournalIssue")
    date = issue.find("PubDate") if issue is not None else None
    when = ""
    if date is not None:
        when = text(date.find("MedlineDate")) or " ".join(
            part for part in (text(date.find("Year")), text(date.find("Month"))) if part
        )
    volume = text(issue.find("Volume")) if issue is not None else ""
    number = text(issue.find("Issue")) if issue is not None else ""
    source = f"{when};{volume}" + (f"({number})" if number else "")
    page = text(article.find("Pagination/MedlinePgn"))
    journal = text(citation.find("MedlineJournalInfo/MedlineTA"))
    title = text(article.find("ArticleTitle"))
    return f"{authors}. {title} {journal}. {source}" + (f":{page}." if page else ".")


def write_records(folder: Path, citations: dict[str, Element]) -> list[tuple[str, str, str]]:
    """Trial records citing every citation; (PMID, mode, citation text) per reference."""
    references: list[tuple[str, str, str]] = []
    for index, (pmid, citation) in enumerate(citations.items()):
        mode = MODES[index % 3]
        body = {
            "pmid alone": "",
            "cut off": cut_off(citation),
            "full string": full_string(citation),
        }[mode]
        references.append((pmid, mode, body))
    for index, pmid in enumerate(UNKNOWN):
        body = "" if index < 3 else f"Unknown A, Missing B. A work PubMed lacks {index}. J X."
        references.append((pmid, "unknown", body))
    for start in range(0, len(references), PER_RECORD):
        number = f"NCT0{9000000 + start:07d}"
        study = {
            "protocolSection": {
                "identificationModule": {"nctId": number, "briefTitle": f"Study {start}"},
                "referencesModule": {
                    "references": [
                        {"pmid": pmid, "type": "BACKGROUND", "citation": body}
                        for pmid, _, body in references[start : start + PER_RECORD]
                    ]
                },
            }
        }
        (folder / f"{number}.json").write_text(json.dumps(study), encoding="utf-8")
    return references


@contextmanager
def environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_build(records: Path, out: Path, cache: Path, *, offline: bool = False) -> dict[str, Any]:
    report = build(
        [records],
        str(out),
        offline=offline,
        enrich_options=EnrichOptions(mailto="you@example.org", cache_dir=str(cache)),
    )
    items = json.loads(out.read_text(encoding="utf-8"))
    return {"report": report, "items": [i for i in items if i.get("type") != "report"]}


def fields_of(item: dict[str, Any]) -> dict[str, Any]:
    """An output item's bibliographic fields: not its citation key (it depends on the other
    entries of the file) nor its note."""
    return {key: value for key, value in item.items() if key not in ("id", "note")}


def got(item: dict[str, Any]) -> dict[str, Any]:
    issued = item.get("issued", {}).get("date-parts", [[None]])[0]
    return {
        "title": item.get("title", ""),
        "journal": item.get("container-title", ""),
        "year": issued[0] if issued else None,
        "volume": item.get("volume", ""),
        "issue": item.get("issue", ""),
        "first page": re.split(r"[-,–]", item.get("page", ""))[0],
        "DOI": item.get("DOI", "").lower(),
        "authors": [a.get("family") or a.get("literal", "") for a in item.get("author", [])],
    }


def measure(show: int = 0) -> dict[str, Any]:
    if not (NCBI / "medline").is_dir():
        raise SystemExit(f"{NCBI}/medline (real MEDLINE citations) is not present")
    bodies = medline_articles()
    citations = {
        pmid: ElementTree.fromstring(body).find("MedlineCitation") for pmid, body in bodies.items()
    }
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        records = base / "records"
        records.mkdir()
        references = write_records(records, citations)
        with (
            FakeEutils(bodies, rate=RATE) as fake,
            environment(REFKIT_NCBI_URL=fake.url, REFKIT_CROSSREF_URL="http://127.0.0.1:9"),
        ):
            first = run_build(records, base / "first.json", base / "cache")
            sent_first, too_many = len(fake.seen), fake.too_many
            second = run_build(records, base / "second.json", base / "cache")
            sent_second = len(fake.seen) - sent_first
        offline = run_build(records, base / "offline.json", base / "cache-off", offline=True)
    return score(references, citations, first, second, offline, sent_first, sent_second, too_many)


def score(
    references: list[tuple[str, str, str]],
    citations: dict[str, Element | None],
    first: dict[str, Any],
    second: dict[str, Any],
    offline: dict[str, Any],
    sent_first: int,
    sent_second: int,
    too_many: int,
) -> dict[str, Any]:
    by_pmid = {item.get("PMID"): item for item in first["items"]}
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong: list[str] = []
    for pmid, mode, _ in references:
        citation = citations.get(pmid)
        if citation is None:
            continue
        want, have = expected(citation), got(by_pmid.get(pmid, {}))
        for name in FIELDS:
            total[mode, name] += 1  # type: ignore[index]
            if want[name] == have[name]:
                right[mode, name] += 1  # type: ignore[index]
            else:
                wrong.append(f"{pmid} {mode} {name}: {want[name]!r} vs {have[name]!r}")
    offline_items = {item.get("PMID"): item for item in offline["items"]}
    invented = [
        pmid
        for pmid in UNKNOWN
        if fields_of(by_pmid.get(pmid, {"missing": pmid})) != fields_of(offline_items.get(pmid, {}))
    ]
    with_pmid = {pmid for pmid, _, _ in references}
    report = first["report"]
    return {
        "references": len(references),
        "right": right,
        "total": total,
        "wrong": wrong,
        "unknown kept": sum(pmid in by_pmid for pmid in UNKNOWN),
        "unknown with invented fields": invented,
        "pmids": len(with_pmid),
        "requests": sent_first,
        "http_429": too_many,
        "reported_429": report.enrichment.get("pubmed_http_429", 0),
        "second run requests": sent_second,
        "second run cache hits": second["report"].enrichment.get("pubmed_cache_hits", 0),
        "offline written with PMID": len(with_pmid & set(offline_items)),
        "offline pmid only": offline["report"].references_pmid_only,
        "enrichment": report.enrichment,
        "balanced": report.balanced and offline["report"].balanced,
    }


def pacing(batch: int = 10) -> tuple[int, int, float]:
    """Every PMID fetched in small batches from the server at 3 requests/s: requests, 429s and
    the sustained rate (requests over the time from the first to the last)."""
    bodies = medline_articles()
    with tempfile.TemporaryDirectory() as cache, FakeEutils(bodies, rate=RATE) as fake:
        settings = Settings(base_url=fake.url, cache_dir=Path(cache), batch=batch)
        with Client(settings) as client:
            client.fetch(sorted(bodies))
        span = fake.seen[-1].at - fake.seen[0].at
        return len(fake.seen), fake.too_many, (len(fake.seen) - 1) / span if span else 0.0


def citmatch(show: int = 0) -> dict[str, Any]:
    """Every citation's full string with neither PMID nor DOI, through the citation matcher;
    then each string with the next citation's source (journal, date, volume, pages), which
    makes the matcher name the other record: the judge must refuse it."""
    bodies = medline_articles()
    citations = {
        pmid: ElementTree.fromstring(body).find("MedlineCitation") for pmid, body in bodies.items()
    }
    order = list(citations)
    strings = {pmid: full_string(citations[pmid]) for pmid in order}
    swapped = {}
    for here, there in zip(order, order[1:] + order[:1], strict=True):
        own, other = strings[here], strings[there]
        cut, other_cut = _source_start(citations[here]), _source_start(citations[there])
        swapped[here] = own[: own.rindex(cut)] + other[other.rindex(other_cut) :]
    result: dict[str, Any] = {}
    with (
        tempfile.TemporaryDirectory() as cache,
        FakeEutils(bodies, rate=RATE) as fake,
        environment(REFKIT_NCBI_URL=fake.url),
    ):
        for name, given in (("own", strings), ("swapped", swapped)):
            parsed = [parse_reference(given[pmid]) for pmid in order]
            done = PubmedEnricher().enrich(parsed, EnrichOptions(cache_dir=cache)).citations
            result[name] = {pmid: c for pmid, c in zip(order, done, strict=True)}
    own, other = result["own"], result["swapped"]
    right = total = 0
    wrong: list[str] = []
    for pmid in order:
        if own[pmid].pmid != pmid:
            continue
        want, have = expected(citations[pmid]), got(own[pmid].to_csl())  # type: ignore[arg-type]
        for name in FIELDS:
            total += 1
            right += want[name] == have[name]
            if want[name] != have[name]:
                wrong.append(f"{pmid} {name}: {want[name]!r} vs {have[name]!r}")
    return {
        "asked": len(order),
        "matched": sum(own[p].pmid == p for p in order),
        "matched wrongly": sum(bool(own[p].pmid) and own[p].pmid != p for p in order),
        "fields right": right,
        "fields": total,
        "swapped accepted": sum(bool(other[p].pmid) for p in order),
        "wrong": wrong[:show],
    }


def _source_start(citation: Element) -> str:
    """The journal abbreviation that starts the source part of ``full_string``'s output."""
    return " " + text(citation.find("MedlineJournalInfo/MedlineTA")) + ". "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print N wrong fields")
    parser.add_argument("--citmatch", action="store_true", help="also measure the citation matcher")
    parser.add_argument(
        "--pacing", action="store_true", help="also fetch every PMID 10 at a time (~11 s)"
    )
    args = parser.parse_args()
    result = measure()
    right, total = result["right"], result["total"]
    print(f"{result['references']} references, {result['pmids']} distinct PMIDs")
    print(f"{'mode':<12}" + "".join(f"{name:>11}" for name in FIELDS) + f"{'all':>9}")
    for mode in MODES:
        cells = [right[mode, n] / total[mode, n] for n in FIELDS]
        all_right = sum(right[mode, n] for n in FIELDS) / sum(total[mode, n] for n in FIELDS)
        print(f"{mode:<12}" + "".join(f"{c:>11.1%}" for c in cells) + f"{all_right:>9.1%}")
    overall = sum(right.values()) / sum(total.values())
    print(f"fields right: {sum(right.values())} / {sum(total.values())} = {overall:.2%}")
    print(
        f"unknown PMIDs: {result['unknown kept']} of {len(UNKNOWN)} kept, "
        f"{len(result['unknown with invented fields'])} with fields an offline build lacks"
    )
    per_100 = 100 * result["requests"] / result["pmids"]
    print(f"requests: {result['requests']} ({per_100:.2f} per 100 PMIDs)", end="; ")
    print(f"429s: {result['http_429']}")
    print(
        f"second run: {result['second run requests']} requests, "
        f"{result['second run cache hits']} PMIDs from the cache"
    )
    print(
        f"offline: {result['offline written with PMID']} of {result['pmids']} PMIDs written "
        f"({result['offline pmid only']} kept by their PMID alone); balanced: {result['balanced']}"
    )
    for line in result["wrong"][: args.show]:
        print("  " + line)
    if args.citmatch:
        found = citmatch(args.show)
        print(
            f"citation matcher: {found['matched']} of {found['asked']} strings without PMID "
            f"or DOI completed ({found['matched wrongly']} with another record), fields right "
            f"{found['fields right']} / {found['fields']}; with another citation's source: "
            f"{found['swapped accepted']} of {found['asked']} accepted"
        )
        for line in found["wrong"]:
            print("  " + line)
    if args.pacing:
        sent, refused, rate = pacing()
        print(f"pacing, 10 PMIDs a request: {sent} requests, {refused} × 429, {rate:.2f} /s")


if __name__ == "__main__":
    main()
