"""Which citations a user's library already holds (``refkit build --against MYLIBRARY``).

A citation is in the library when an identifier agrees (DOI, PMID, PMCID, a trial's NCT
number) and nothing forbids the match, or when ``refkit.compare`` calls the pair the same work:
the same judge as deduplication and the Crossref check, so all agree on what "the same" means.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from refkit.compare import Profile, compare, guard
from refkit.dedupe.profiled import candidate_pairs, profiled
from refkit.identifiers import normalize_doi, normalize_pmid
from refkit.model import Citation
from refkit.views import Joined


def identifiers(citation: Citation) -> Iterator[str]:
    if doi := normalize_doi(citation.doi):
        yield "doi:" + doi
    if pmid := normalize_pmid(citation.pmid):
        yield "pmid:" + pmid
    if citation.pmcid:
        yield "pmcid:" + citation.pmcid.strip().upper()
    if citation.number.upper().startswith("NCT"):
        yield "nct:" + citation.number.strip().upper()


def find_known(citations: Sequence[Citation], library: Sequence[Citation]) -> dict[int, Citation]:
    """For each citation (by index) that the library holds: the library entry it matches."""
    # Never all held as one list: ``citations`` may be a build's, each made when read.
    made = profiled(Joined(library, citations), on_disk=True)
    profiles = made.profiles
    found = _by_identifier(citations, library, profiles)
    first = len(library)
    for a, b in candidate_pairs(made):
        if (a < first) == (b < first):
            continue
        entry, mine = (a, b) if a < first else (b, a)
        if mine - first not in found and compare(profiles[entry], profiles[mine]).same_work():
            found[mine - first] = library[entry]
    return found


def _by_identifier(
    citations: Sequence[Citation], library: Sequence[Citation], profiles: Sequence[Profile]
) -> dict[int, Citation]:
    index: dict[str, int] = {}
    for position, held in enumerate(library):
        for key in identifiers(held):
            index.setdefault(key, position)
    found: dict[int, Citation] = {}
    for position, citation in enumerate(citations):
        for key in identifiers(citation):
            match = index.get(key)
            if match is not None and not guard(profiles[match], profiles[len(library) + position]):
                found[position] = library[match]
                break
    return found
