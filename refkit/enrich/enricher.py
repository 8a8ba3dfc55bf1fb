"""The Crossref enricher: ask Crossref about each citation, merge what is registered, count it all.

A citation with a DOI is looked up by DOI; one without is searched for with its reference string
(``query.bibliographic``) and a candidate is accepted only when refkit's own check says it is the
same work. Trial registrations are not looked up. Each distinct DOI or query is asked once per
run, by a few worker threads sharing one Client (its Limiter decides how many are in flight);
the citations come back in their order, none dropped.

Counts are per distinct look-up: ``looked_up`` = matched + not_found + ambiguous + failed;
``offline`` look-ups were skipped because the network was down; ``not_looked_up`` citations had
nothing to ask with. ``cache_hits``, ``requests_sent``, ``retries`` and ``http_429`` say what it
cost; ``retracted`` counts matched works that Crossref marks as retracted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace

from refkit.enrich.crossref import FAILED, NOT_FOUND, OFFLINE, OK, Client
from refkit.enrich.mapping import SELECT, citation_from_crossref, retraction_notice
from refkit.enrich.match import best_match, bibliographic_query
from refkit.enrich.merge import merge_registered
from refkit.enrich.session import Settings
from refkit.identifiers import normalize_doi
from refkit.model import SOURCE_PUBMED, Citation
from refkit.plugins import Enrichment, EnrichOptions

MATCHED, AMBIGUOUS = "matched", "ambiguous"
# Crossref's tips: re-ranking more than 5 candidates rarely finds the match.
SEARCH_ROWS = 5
# Enough threads for the highest concurrency Crossref has announced (5); the Limiter holds them
# to whatever the server allows now.
WORKERS = 5
COUNTS = (
    "looked_up",
    "matched",
    "not_found",
    "ambiguous",
    "failed",
    "offline",
    "not_looked_up",
    "retracted",
    "cache_hits",
    "requests_sent",
    "retries",
    "http_429",
)


@dataclass(frozen=True, slots=True)
class Lookup:
    """What to ask: a DOI, or else a reference string to search with."""

    doi: str = ""
    query: str = ""

    def describe(self) -> str:
        return f"DOI {self.doi}" if self.doi else "search"


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # MATCHED, NOT_FOUND, AMBIGUOUS, FAILED or OFFLINE
    registered: Citation | None = None
    score: float | None = None
    detail: str = ""


def is_trial(citation: Citation) -> bool:
    return citation.type == "report" and citation.number.upper().startswith("NCT")


def lookup_for(citation: Citation) -> Lookup | None:
    """The look-up a citation calls for; None for a trial or a citation with nothing to ask."""
    if is_trial(citation):
        return None
    doi = normalize_doi(citation.doi) if citation.doi else ""
    if doi:
        return Lookup(doi=doi)
    if citation.source_of("title") == SOURCE_PUBMED:
        return None  # PubMed's record, without a DOI: a search could only find it again
    query = bibliographic_query(citation)
    return Lookup(query=query) if query.strip() else None


def ask(client: Client, lookup: Lookup, parsed: Citation) -> Outcome:
    """One look-up, its answer read and (for a search) checked against the parsed citation."""
    if lookup.doi:
        answer = client.work(lookup.doi)
        if answer.status != OK:
            return Outcome(answer.status, detail=answer.detail)
        return Outcome(MATCHED, citation_from_crossref(answer.message))
    answer = client.search(lookup.query, rows=SEARCH_ROWS, select=SELECT)
    if answer.status != OK:
        return Outcome(answer.status, detail=answer.detail)
    items = answer.message.get("items") or []
    candidates = [citation_from_crossref(item) for item in items if isinstance(item, dict)]
    match = best_match(parsed, candidates)
    if match.candidate is not None:
        return Outcome(MATCHED, match.candidate, score=match.score)
    # Ambiguous: more than one candidate passed every check, and none stood out.
    status = AMBIGUOUS if match.runner_up > 0 else NOT_FOUND
    return Outcome(status, score=match.score, detail=match.reason)


def where(citation: Citation) -> str:
    return citation.provenance[0].where() if citation.provenance else citation.raw[:60]


class CrossrefEnricher:
    name = "crossref"
    order = 20  # after PubMed's, which may give the DOI to ask with

    def enrich(self, citations: Sequence[Citation], options: EnrichOptions) -> Enrichment:
        settings = Settings.from_env(mailto=options.mailto, cache_dir=options.cache_dir)
        lookups = [lookup_for(citation) for citation in citations]
        first: dict[Lookup, Citation] = {}
        for citation, lookup in zip(citations, lookups, strict=True):
            if lookup is not None:
                first.setdefault(lookup, citation)
        with Client(settings) as client:
            outcomes = _ask_all(client, first, options.progress)
            costs = client.counts()
            down = client.breaker.reason
        result = _apply(citations, lookups, outcomes, first)
        result.counts["not_looked_up"] = lookups.count(None)
        for key in ("cache_hits", "requests_sent", "retries", "http_429"):
            result.counts[key] = costs.get(key, 0)
        if down:
            skipped = result.counts["offline"]
            result.warnings.insert(
                0,
                f"Crossref is out of reach ({down}); went on offline: {skipped} look-ups "
                f"skipped, their citations kept as parsed",
            )
        return result


def _ask_all(
    client: Client,
    first: dict[Lookup, Citation],
    progress: Callable[[int, int], None] | None,
) -> dict[Lookup, Outcome]:
    outcomes: dict[Lookup, Outcome] = {}
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="crossref") as pool:
        futures: dict[Future[Outcome], Lookup] = {
            pool.submit(_ask_safely, client, lookup, parsed): lookup
            for lookup, parsed in first.items()
        }
        try:
            for future in as_completed(futures):
                outcomes[futures[future]] = future.result()
                if progress:
                    progress(1, len(futures))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return outcomes


def _ask_safely(client: Client, lookup: Lookup, parsed: Citation) -> Outcome:
    try:
        return ask(client, lookup, parsed)
    except Exception as error:  # noqa: BLE001 - one unreadable record must not lose the others
        return Outcome(
            FAILED, detail=f"cannot use Crossref's record ({type(error).__name__}: {error})"
        )


def _apply(
    citations: Sequence[Citation],
    lookups: Sequence[Lookup | None],
    outcomes: dict[Lookup, Outcome],
    first: dict[Lookup, Citation],
) -> Enrichment:
    """Every citation completed by the outcome of its look-up; counts and lines per look-up."""
    result = Enrichment(
        [
            citation if lookup is None else _completed(citation, lookup, outcomes[lookup])
            for citation, lookup in zip(citations, lookups, strict=True)
        ],
        counts=dict.fromkeys(COUNTS, 0),
    )
    for lookup in first:  # in the order the citations came, so that runs read the same
        outcome = outcomes[lookup]
        result.counts[outcome.status] += 1
        result.counts["looked_up"] += outcome.status != OFFLINE
        place = where(first[lookup])
        # A DOI Crossref does not know and a failure are worth a line; an unmatched search is not.
        if outcome.status == FAILED or (outcome.status == NOT_FOUND and lookup.doi):
            result.warnings.append(f"{place}: {_warning(lookup, outcome)}")
        work = outcome.registered
        notice = retraction_notice(work) if work is not None else ""
        if work is not None and notice:
            result.counts["retracted"] += 1
            result.retracted.append(f"{place}: {work.doi} {work.title!r}: {notice}")
    return result


def _completed(citation: Citation, lookup: Lookup, outcome: Outcome) -> Citation:
    if outcome.status == OFFLINE:
        return citation
    if outcome.status == MATCHED and outcome.registered is not None:
        return merge_registered(citation, outcome.registered, match_score=outcome.score)
    return replace(citation, warnings=(*citation.warnings, _warning(lookup, outcome)))


def _warning(lookup: Lookup, outcome: Outcome) -> str:
    if outcome.status == NOT_FOUND and lookup.doi:
        return (
            f"DOI {lookup.doi} is not registered with Crossref (another agency's, such as "
            f"DataCite's, or mistyped); kept as parsed"
        )
    if outcome.status == NOT_FOUND:
        return "Crossref found no candidate; kept as parsed"
    if outcome.status == AMBIGUOUS:
        return f"no Crossref candidate is surely this work ({outcome.detail}); kept as parsed"
    return f"Crossref {lookup.describe()} failed ({outcome.detail}); kept as parsed"
