"""Write the vcrpy cassettes under ``cassettes/`` from real recorded Crossref responses.

Each interaction pairs the request refkit sends (its URL as vcrpy keeps it: the mailto value
filtered to ``REDACTED``) with a response body and headers recorded from the live API by other
projects (``../shared/crossref/responses``, provenance in its SOURCES.md). Bodies are stored
decoded, so ``content-encoding``, ``content-length`` and ``transfer-encoding`` are dropped; all
other recorded headers are kept as they were. ``cassettes/README.md`` lists each body's source.

A maintainer online can record afresh instead: delete a cassette and run
``pytest --record-mode=once`` (the mailto address and the token header are filtered on record).

    python tests/make_cassettes.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from fake_crossref import RESPONSES

from refkit.enrich.enricher import SEARCH_ROWS, lookup_for
from refkit.enrich.mapping import SELECT
from refkit.parse import parse_reference

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
API = "https://api.crossref.org"
DROPPED = {"content-encoding", "content-length", "transfer-encoding"}
REASONS = {200: "OK", 404: "Not Found", 429: "Too Many Requests", 500: "Server Error"}

# A reference to a work in the one recorded query.bibliographic answer (its first item).
FISH_REFERENCE = (
    "Ali NM, Khan HA, Then AY, Ving Ching C, Gaur M, Dhillon SK. Fish Ontology framework for "
    "taxonomy-based fish recognition. PeerJ. 2017 Sep 15;5:e3811."
)
FISH = (
    "work-lists/"
    "works__query.bibliographic=fish__journal_2167-8359__filter_type_journal-article.json"
)


def search_url(reference: str) -> str:
    lookup = lookup_for(parse_reference(reference))
    assert lookup is not None
    query = urlencode(
        {
            "query.bibliographic": lookup.query,
            "rows": SEARCH_ROWS,
            "select": SELECT,
            "mailto": "REDACTED",
        }
    )
    return f"{API}/works?{query}"


# (test module, test name) -> [(URL refkit requests, recorded body file under RESPONSES)]
PLAN: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("test_crossref_cassettes", "test_a_polite_work_by_doi"): [
        (f"{API}/works/10.7554%2Felife.01567?mailto=REDACTED", "works/10.7554__elife.01567.json"),
    ],
    ("test_crossref_cassettes", "test_the_public_pool_limits_are_adopted"): [
        (
            f"{API}/works/10.1371%2Fjournal.pone.0033693",
            "works/10.1371__journal.pone.0033693.json",
        ),
    ],
    ("test_crossref_cassettes", "test_the_older_header_spelling_is_read"): [
        (
            f"{API}/works/10.1007%2F978-3-319-75889-3_1?mailto=REDACTED",
            "works/10.1007__978-3-319-75889-3_1.json",
        ),
    ],
    ("test_crossref_cassettes", "test_a_sici_doi_is_encoded"): [
        (
            f"{API}/works/10.1890%2F0012-9658%282006%2987%5B2832%3Atiopma%5D2.0.co%3B2"
            "?mailto=REDACTED",
            "works/10.1890__0012-9658(2006)87%5B2832%3Atiopma%5D2.0.co%3B2.json",
        ),
    ],
    ("test_crossref_cassettes", "test_a_reference_without_doi_is_found_by_search"): [
        (search_url(FISH_REFERENCE), FISH),
    ],
    ("test_crossref_cassettes", "test_an_unknown_doi_is_not_found"): [
        (
            f"{API}/works/10.1371%2Fnotarealdoi?mailto=REDACTED",
            "errors/404__works__10.1371__notarealdoi.body.txt",
        ),
        (
            f"{API}/works/10.7554%2Felife.01567x?mailto=REDACTED",
            "errors/404__works__10.7554__elife.01567x.body.txt",
        ),
    ],
}


def headers_file(body: Path) -> Path:
    stem = body.name.removesuffix(".json").removesuffix(".body.txt")
    return body.with_name(stem + ".headers.json")


def interaction(url: str, body_path: Path) -> dict[str, Any]:
    recorded = json.loads(headers_file(body_path).read_text(encoding="utf-8"))
    status = int(recorded["status"])
    headers = {k: [v] for k, v in recorded["headers"].items() if k.lower() not in DROPPED}
    return {
        "request": {
            "method": "GET",
            "uri": url,
            "body": None,
            "headers": {"Accept": ["application/json"]},
        },
        "response": {
            "status": {"code": status, "message": REASONS.get(status, "")},
            "headers": headers,
            "body": {"string": body_path.read_text(encoding="utf-8")},
        },
    }


def sources() -> dict[str, list[str]]:
    """SOURCES.md's provenance row of each recorded file, by its name under RESPONSES."""
    rows = {}
    for line in (RESPONSES.parent / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 8 and (RESPONSES / cells[0]).is_file():
            rows[cells[0]] = cells
    return rows


def readme() -> str:
    known = sources()
    lines = [
        "# Cassettes",
        "",
        "vcrpy cassettes replayed by the tests (`record_mode=none` unless pytest is given",
        "`--record-mode`), one per test: `cassettes/<test module>/<test name>.yaml`. They were",
        "written by `python tests/make_cassettes.py` from real Crossref REST API responses that",
        "other projects recorded from the live API; nothing here was fetched by refkit or made up.",
        "Each response keeps its recorded status, headers (minus the transfer headers of a decoded",
        "body) and body; the request is the one refkit sends, its `mailto` value filtered to",
        "`REDACTED`. One body answers another request than the one it was recorded for: the",
        'only recorded `query.bibliographic` answer (a search for "fish" within one journal,',
        "20 items) stands in for refkit's search for a reference to its first item; the last",
        "column gives the URL each body was recorded for.",
        "",
        "To record afresh while online, delete a cassette and run `pytest --record-mode=once`:",
        "the `mailto` parameter, the address in the User-Agent and the `Crossref-Plus-API-Token`",
        "header are filtered before anything is written.",
        "",
        "PubMed's cassettes (`test_pubmed_cassettes/`) are built from real PubMed records by",
        "`python tests/make_pubmed_cassettes.py`; their own README names each source.",
        "",
        "| cassette | refkit's request | body recorded by | from (path @ commit) | recorded | "
        "licence | URL recorded |",
        "|---|---|---|---|---|---|---|",
    ]
    for (module, test), plan in PLAN.items():
        for url, name in plan:
            row = known[name]
            lines.append(
                f"| `{module}/{test}.yaml` | `{url.removeprefix(API)}` | {row[2]} | "
                f"`{row[3]}` @ `{row[4][:12]}` | {row[6]} | {row[5]} | `{row[7]}` |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    (CASSETTES / "README.md").write_text(readme(), encoding="utf-8")
    for (module, test), plan in PLAN.items():
        cassette = {
            "version": 1,
            "interactions": [interaction(url, RESPONSES / name) for url, name in plan],
        }
        path = CASSETTES / module / f"{test}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(cassette, allow_unicode=True, sort_keys=False, width=100)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
